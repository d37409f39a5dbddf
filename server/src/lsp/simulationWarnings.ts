// Simulation notes that say a run does not fit the target (training state larger than its memory, weights that
// must be streamed) become warnings on the network, on the `targets:` entry of that target when there is one.
// Only notes whose wording says so are picked (ASM: the simulators phrase these as "exceeds" / "does not fit");
// every other note stays in the result and the dashboard.
import type { NetworkModel, SpecDiagnostic, Range } from '../spec/types';
import type { SimulationResult } from '../sim/types';

export const CODE_SIMULATION_DOES_NOT_FIT = 'AM5803';

const FIT = /\b(exceeds?|does not fit|doesn't fit|would not fit|cannot hold|out of memory)\b/i;

export function simulationWarnings(net: NetworkModel, result: SimulationResult): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const fallback: Range = net.ranges.keys['name'] ?? { start: net.ranges.root.start, end: net.ranges.root.start };
  for (const t of result.targets) {
    const i = net.targets.indexOf(t.name);
    const range = (i >= 0 ? net.ranges.targetEntries[i] : undefined) ?? net.ranges.keys['targets'] ?? fallback;
    for (const note of t.notes) {
      if (!FIT.test(note)) continue;
      out.push({ range, severity: 'warning', code: CODE_SIMULATION_DOES_NOT_FIT, message: `${t.name}: ${note}` });
    }
  }
  return out;
}
