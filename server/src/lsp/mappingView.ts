// accelmap/mapping: what the dashboard's Mapping view shows for one layer, built on demand from the last run. A
// spatial target's phases come from the mapper's cache (never a new search): the loop nest, per storage level the
// occupancy against the capacity and, per tensor, the accesses and their energy, and the spread the mapper saw. The
// seed targets' phases carry their model's own choice (PhaseResult.mapping) and bytes per memory level.
import type { NetworkModel, TargetModel } from '../spec/types';
import type {
  LayerResult,
  MappingPhaseView,
  MappingReport,
  MappingTargetView,
  SimulationResult,
  TargetResult,
} from '../sim/types';
import type { Problem, SpatialArch } from '../sim/nest/types';
import type { LayerWork, Workload } from '../sim/workload';
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
  const out: MappingTargetView[] = result.targets.map((r) => {
    const t = targets.find((x) => x.name === r.name);
    if (t?.kind === 'spatial') return spatialView(w, lw, t, r);
    const lr = r.layers.find((l) => l.name === layer);
    if (!lr) return { target: r.name, kind: r.kind, phases: [], note: 'No per-layer result for this target.' };
    return seedView(r, lr);
  });
  return { uri, layer, op: lw.op, targets: out };
}

/** A spatial target: each loop nest of the layer's matrix phases as the mapper's cache holds it (no new search). */
function spatialView(w: Workload, lw: LayerWork, t: TargetModel, r: TargetResult): MappingTargetView {
  const a = spatialArch(t);
  const phases: MappingPhaseView[] = [];
  for (const ph of lw.phases) {
    if (ph.phase === 'update' || ph.kind !== 'mvm') continue;
    const pins = layerPins(w, lw, ph.phase as NestPhase);
    for (const p of phaseProblems(lw, ph.phase as NestPhase)) {
      const shown = shownMapping(p, t, a, pins);
      if (shown) phases.push(nestView(p, a, ph.phase as NestPhase, shown.m, shown.status));
    }
  }
  const note = lw.phases.some((p) => p.kind === 'mvm')
    ? 'Not mapped yet: save the spec to simulate it.'
    : 'No loop-nest phase: this layer streams its tensors through DRAM.';
  return { target: r.name, kind: r.kind, phases, ...(phases.length ? {} : { note }) };
}

type Shown = NonNullable<ReturnType<typeof shownMapping>>;

/** One loop nest: its text, utilization, cycles, energy, per level occupancy and per tensor accesses and energy. */
function nestView(p: Problem, a: SpatialArch, phase: NestPhase, m: Shown['m'], status: Shown['status']) {
  const res = m.result;
  const pJ = 1e-12;
  const rw = p.dataSpaces.find((d) => d.readWrite)?.name;
  const view: MappingPhaseView = {
    phase,
    nest: p.name,
    status,
    summary: nestLine(p, a, m.mapping),
    loopNest: loopNestText(p, a, m.mapping, res),
    utilization: res.utilization,
    cycles: res.cycles,
    computes: res.computes,
    energyJ: res.energyPJ * pJ,
    levels: res.levels.map((lv) => ({
      name: lv.name,
      occupancyWords: lv.occupancy,
      ...(lv.capacity !== undefined ? { capacityWords: lv.capacity } : {}),
      throttling: lv.throttling,
      energyJ: lv.energyPJ * pJ,
      tensors: lv.tensors.map((ts) => ({
        name: ts.name,
        role: roleName(ts.name, phase, ts.name === rw),
        tileWords: ts.tile,
        instances: ts.instances,
        reads: ts.reads,
        fills: ts.fills,
        updates: ts.updates,
        accesses: (ts.reads + ts.fills + ts.updates) * ts.instances,
        energyJ: ts.energyPJ * pJ,
      })),
    })),
    search: {
      evaluated: m.searched.evaluated,
      legal: m.searched.legal,
      seconds: m.searched.seconds,
      spread: m.searched.spread ?? [],
    },
  };
  return view;
}

/** A seed target: its model's own choice per phase (PhaseResult.mapping) with utilization, energy and bytes. */
function seedView(r: TargetResult, lr: LayerResult): MappingTargetView {
  const mapped = lr.phases.filter((p) => p.mapping !== undefined);
  return {
    target: r.name,
    kind: r.kind,
    phases: mapped.map((p) => ({
      phase: p.phase,
      nest: p.phase,
      status: 'fixed' as const,
      summary: p.mapping!,
      utilization: p.utilization,
      energyJ: p.energyJ,
      bytes: p.bytes,
      levels: [],
    })),
    ...(mapped.length ? {} : { note: `${r.kind} has no mapping choice for this layer.` }),
  };
}
