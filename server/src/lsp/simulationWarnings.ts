// Simulator findings that say a run does not fit its target (training state larger than its memory, weights that
// must be streamed) become warnings on the network, on the `targets:` entry of that target when there is one. They
// are picked by their code (sim/findings.ts CAPACITY_CODES), never by the wording of a sentence; every other
// finding stays in the result and the dashboard.
import type { NestPhaseName, NetworkModel, ParallelSpec, QuickFix, SpecDiagnostic, Range } from '../spec/types';
import type { Finding } from '../sim/findings';
import type { SimulationResult } from '../sim/types';
import { CAPACITY_CODES } from '../sim/findings';

export const CODE_SIMULATION_DOES_NOT_FIT = 'AM5803';
export const CODE_MAPPING_ILLEGAL = 'AM5804';

/** The mapper's own mapping of a layer phase on a target, as the text of a `mapping.<phase>` value (for the fix). */
export type OwnMapping = (layer: string, phase: NestPhaseName, target: string) => string | undefined;

export function simulationWarnings(
  net: NetworkModel,
  result: SimulationResult,
  ownMapping?: OwnMapping,
  json = false,
): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  for (const t of result.targets)
    for (const f of t.findings ?? [])
      if (f.code === 'mapping.illegal') {
        const d = mappingWarning(net, t.name, f, ownMapping, json);
        if (d) out.push(d);
      }
  const fallback: Range = net.ranges.keys['name'] ?? { start: net.ranges.root.start, end: net.ranges.root.start };
  for (const t of result.targets) {
    const i = net.targets.indexOf(t.name);
    // a system's fit depends on the split: point at `parallel:` when the network chose it there
    const range =
      (t.kind === 'system' && net.parallel ? net.ranges.keys['parallel'] : undefined) ??
      (i >= 0 ? net.ranges.targetEntries[i] : undefined) ??
      net.ranges.keys['targets'] ??
      fallback;
    for (const f of t.findings ?? []) {
      if (!CAPACITY_CODES.has(f.code)) continue;
      // The smallest change that fits on one device: the batch, when the weights and optimizer state fit at all.
      const batchAt = net.ranges.keys['batch_size'];
      const n = f.numbers.fitsBatch;
      const fixes =
        f.code === 'memory.exceeds-device' && batchAt && n >= 1 && n < net.batch
          ? [{ title: `Set batch_size to ${n} (fits ${t.name})`, edits: [{ range: batchAt, newText: String(n) }] }]
          : undefined;
      const sysFix = t.kind === 'system' ? parallelFix(net, f.numbers, t.name) : undefined;
      const all = [...(fixes ?? []), ...(sysFix ? [sysFix] : [])];
      out.push({
        range,
        severity: 'warning',
        code: CODE_SIMULATION_DOES_NOT_FIT,
        message: `${t.name}: ${f.message}`,
        ...(all.length ? { fixes: all } : {}),
      });
    }
  }
  return out;
}

/**
 * The system's smallest change that fits, written into the network's `parallel:` (added before `layers:` if absent).
 */
function parallelFix(net: NetworkModel, n: Record<string, number>, target: string): QuickFix | undefined {
  const change: ParallelSpec = {};
  if (n.fixZero !== undefined) change.zero = n.fixZero as 0 | 1 | 2 | 3;
  if (n.fixRecompute) change.recompute = true;
  if (n.fixPp !== undefined) {
    change.pp = n.fixPp;
    change.microBatches = n.fixMicroBatches;
    change.dp = 0;
  }
  if (n.fixTp !== undefined) {
    change.tp = n.fixTp;
    change.dp = 0;
  }
  if (!Object.keys(change).length) return undefined;
  const p: ParallelSpec = { ...(net.parallel ?? {}), ...change };
  const keyOf: Record<string, string> = {
    dp: 'dp',
    tp: 'tp',
    pp: 'pp',
    microBatches: 'micro_batches',
    schedule: 'schedule',
    zero: 'zero',
    recompute: 'recompute',
  };
  const text = `{${Object.entries(p)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${keyOf[k]}: ${v}`)
    .join(', ')}}`;
  const title = `Set parallel: ${text} (fits ${target})`;
  const at = net.ranges.keys['parallel'];
  if (at) return { title, edits: [{ range: at, newText: text }] };
  // a new top-level key after the document (YAML block specs; a JSON spec keeps the message only)
  const end = net.ranges.root.end;
  if (end.character === 0 && end.line === 0) return undefined;
  return {
    title,
    edits: [
      { range: { start: end, end }, newText: end.character === 0 ? `parallel: ${text}\n` : `\nparallel: ${text}` },
    ],
  };
}

/**
 * A layer's pins that a spatial target cannot meet: on the phase's entry of its `mapping:`, with the mapper's own as
 * the fix.
 */
function mappingWarning(
  net: NetworkModel,
  target: string,
  f: Finding,
  ownMapping: OwnMapping | undefined,
  json: boolean,
): SpecDiagnostic | undefined {
  const layer = net.layers.find((l) => l.name === f.layer);
  const m = layer?.attrs.mapping;
  if (!layer || !m || !f.phase || f.phase === 'update') return undefined;
  const phase = f.phase as NestPhaseName;
  const key = m.ranges[phase] ? phase : 'all';
  const range = m.ranges[key] ?? layer.ranges.keys['mapping'] ?? layer.ranges.name;
  const own = key === phase ? ownMapping?.(layer.name, phase, target) : undefined;
  const q = (s: string) => (json ? `"${s}"` : s);
  const fixes: QuickFix[] | undefined =
    own && m.ranges[phase]
      ? [
          {
            title: `Use the mapper's mapping of ${layer.name} ${phase} on ${target}`,
            edits: [{ range: m.ranges[phase]!, newText: `${q(phase)}: ${own}` }],
          },
        ]
      : undefined;
  return {
    range,
    severity: 'warning',
    code: CODE_MAPPING_ILLEGAL,
    message: `${target}: ${f.message}`,
    ...(fixes ? { fixes } : {}),
  };
}
