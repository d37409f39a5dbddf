// accelmap/mapping: what the dashboard's Mapping view shows for one layer, built on demand from the last run. A
// spatial target's phases come from the mapper's cache (never a new search): the loop nest, per storage level the
// occupancy against the capacity and, per tensor, the accesses and their energy, and the spread the mapper saw. The
// seed targets' phases carry their model's own choice (PhaseResult.mapping) and bytes per memory level.
import type { NetworkModel, TargetModel } from '../spec/types';
import type { MappingPhaseView, MappingReport, MappingTargetView, SimulationResult } from '../sim/types';
import type { Workload } from '../sim/workload';
import { lower } from '../sim/lower';
import { loopNestText, nestLine } from '../sim/nest/format';
import { phaseProblems, roleName, type NestPhase } from '../sim/nest/training';
import { layerPins, spatialArch } from '../kinds/spatial/model';
import { shownMapping } from './mappingSearch';

const workloads = new WeakMap<NetworkModel, Workload>();
const workloadOf = (net: NetworkModel): Workload => {
  let w = workloads.get(net);
  if (!w) {
    w = lower(net);
    workloads.set(net, w);
  }
  return w;
};

export function mappingReport(
  uri: string,
  net: NetworkModel,
  result: SimulationResult,
  targets: TargetModel[],
  layer: string,
): MappingReport | { error: string } {
  const w = workloadOf(net);
  const li = w.layers.findIndex((l) => l.name === layer);
  if (li < 0) return { error: `No layer named \`${layer}\` in this network.` };
  const lw = w.layers[li];
  const out: MappingTargetView[] = [];
  for (const r of result.targets) {
    const t = targets.find((x) => x.name === r.name);
    const lr = r.layers.find((l) => l.name === layer);
    if (t?.kind === 'spatial') {
      const a = spatialArch(t),
        wordJ = 1e-12;
      const phases: MappingPhaseView[] = [];
      for (const ph of lw.phases) {
        if (ph.phase === 'update' || ph.kind !== 'mvm') continue;
        const pins = layerPins(w, lw, ph.phase as NestPhase);
        for (const p of phaseProblems(lw, ph.phase as NestPhase)) {
          const shown = shownMapping(p, t, a, pins);
          if (!shown) continue;
          const { m, status } = shown,
            res = m.result;
          const rw = p.dataSpaces.find((d) => d.readWrite)?.name;
          phases.push({
            phase: ph.phase,
            nest: p.name,
            status,
            summary: nestLine(p, a, m.mapping),
            loopNest: loopNestText(p, a, m.mapping, res),
            utilization: res.utilization,
            cycles: res.cycles,
            computes: res.computes,
            energyJ: res.energyPJ * wordJ,
            levels: res.levels.map((lv) => ({
              name: lv.name,
              occupancyWords: lv.occupancy,
              ...(lv.capacity !== undefined ? { capacityWords: lv.capacity } : {}),
              throttling: lv.throttling,
              energyJ: lv.energyPJ * wordJ,
              tensors: lv.tensors.map((ts) => ({
                name: ts.name,
                role: roleName(ts.name, ph.phase as NestPhase, ts.name === rw),
                tileWords: ts.tile,
                instances: ts.instances,
                reads: ts.reads,
                fills: ts.fills,
                updates: ts.updates,
                accesses: (ts.reads + ts.fills + ts.updates) * ts.instances,
                energyJ: ts.energyPJ * wordJ,
              })),
            })),
            search: {
              evaluated: m.searched.evaluated,
              legal: m.searched.legal,
              seconds: m.searched.seconds,
              spread: m.searched.spread ?? [],
            },
          });
        }
      }
      out.push({
        target: r.name,
        kind: r.kind,
        phases,
        ...(phases.length
          ? {}
          : {
              note: lw.phases.some((p) => p.kind === 'mvm')
                ? 'Not mapped yet: save the spec to simulate it.'
                : 'No loop-nest phase: this layer streams its tensors through DRAM.',
            }),
      });
      continue;
    }
    if (!lr) {
      out.push({ target: r.name, kind: r.kind, phases: [], note: 'No per-layer result for this target.' });
      continue;
    }
    out.push({
      target: r.name,
      kind: r.kind,
      phases: lr.phases
        .filter((p) => p.mapping !== undefined)
        .map((p) => ({
          phase: p.phase,
          nest: p.phase,
          status: 'fixed' as const,
          summary: p.mapping!,
          utilization: p.utilization,
          energyJ: p.energyJ,
          bytes: p.bytes,
          levels: [],
        })),
      ...(lr.phases.some((p) => p.mapping !== undefined)
        ? {}
        : { note: `${r.kind} has no mapping choice for this layer.` }),
    });
  }
  return { uri, layer, op: lw.op, targets: out };
}
