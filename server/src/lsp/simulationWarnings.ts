// Simulator findings that say a run does not fit its target (training state larger than its memory, weights that
// must be streamed) become warnings on the network, on the `targets:` entry of that target when there is one. They
// are picked by their code (sim/findings.ts CAPACITY_CODES), never by the wording of a sentence; every other
// finding stays in the result and the dashboard.
import type { NetworkModel, SpecDiagnostic, Range } from '../spec/types';
import type { SimulationResult } from '../sim/types';
import { CAPACITY_CODES } from '../sim/findings';

export const CODE_SIMULATION_DOES_NOT_FIT = 'AM5803';

export function simulationWarnings(net: NetworkModel, result: SimulationResult): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const fallback: Range = net.ranges.keys['name'] ?? { start: net.ranges.root.start, end: net.ranges.root.start };
  for (const t of result.targets) {
    const i = net.targets.indexOf(t.name);
    // a system's fit depends on the split: point at `parallel:` when the network chose it there
    const range = (t.kind === 'system' && net.parallel ? net.ranges.keys['parallel'] : undefined) ?? (i >= 0 ? net.ranges.targetEntries[i] : undefined) ?? net.ranges.keys['targets'] ?? fallback;
    for (const f of t.findings ?? []) {
      if (!CAPACITY_CODES.has(f.code)) continue;
      // The smallest change that fits on one device: the batch, when the weights and optimizer state fit at all.
      const batchAt = net.ranges.keys['batch_size'];
      const n = f.numbers.fitsBatch;
      const fixes = f.code === 'memory.exceeds-device' && batchAt && n >= 1 && n < net.batch
        ? [{ title: `Set batch_size to ${n} (fits ${t.name})`, edits: [{ range: batchAt, newText: String(n) }] }]
        : undefined;
      out.push({ range, severity: 'warning', code: CODE_SIMULATION_DOES_NOT_FIT, message: `${t.name}: ${f.message}`, ...(fixes ? { fixes } : {}) });
    }
  }
  return out;
}
