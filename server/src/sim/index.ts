// Public API of the simulator (pure TypeScript, no `vscode`). Used by the language server, the CLI and tests.
import type { NetworkModel, TargetModel } from '../spec/types';
import { RESULT_SCHEMA_VERSION, type SimulationResult, type TargetResult } from './types';
import { lower } from './lower';
import { simulatorFor } from '../kinds/models';
import { FULL_CONTEXT, type SimContext } from './target';
import type { Workload } from './workload';

export type * from './types';
export type { Workload, LayerWork, PhaseWork } from './workload';
export type { TargetSimulator, SimContext } from './target';
export { lower } from './lower';
export { rooflinePoints, rooflineCeilings, attainable } from './target';

export interface SimulateOptions {
  /** Name of the target the others are compared with. */
  baseline?: string;
  /** Override the network's batch size / precision (CLI --batch / --precision). */
  batch?: number;
  precision?: NetworkModel['precision'];
  /** Skip the timeline / per-layer results (design-space sweeps); totals are unchanged. */
  detail?: 'full' | 'totals';
}

function failedResult(t: TargetModel, message: string): TargetResult {
  return {
    name: t.name,
    kind: t.kind,
    peak: { flops: 0, bandwidth: {}, levels: [] },
    totals: {
      timeS: 0,
      phaseS: { fwd: 0, bwd_data: 0, bwd_weight: 0, update: 0 },
      energyJ: 0,
      flops: 0,
      bytes: {},
      offloadOverheadS: 0,
      utilization: 0,
      flopsPerJoule: 0,
      samplesPerS: 0,
      energy: { compute: 0, sram: 0, dram: 0, link: 0, control: 0, static: 0 },
    },
    layers: [],
    timeline: [],
    findings: [{ code: 'internal-error', severity: 'error', target: t.name, numbers: {}, message }],
    notes: [message],
  };
}

/** Run one target on an already lowered workload; a crash in a model becomes a note, not an exception. */
export function simulateTarget(w: Workload, t: TargetModel, ctx: SimContext = FULL_CONTEXT): TargetResult {
  try {
    const sim = simulatorFor(t.kind);
    const r = sim.simulate(w, t, ctx);
    if (sim.area) r.area = sim.area(t);
    return r;
  } catch (e) {
    return failedResult(t, `internal error in the ${t.kind} model: ${(e as Error)?.message ?? String(e)}`);
  }
}

/**
 * Lower the network to its training phases and map them onto every target. Deterministic; never throws on valid
 * models. vsBaseline: speedup = baseline time / time; energyRatio = energy / baseline energy; efficiencyRatio =
 * (flops/J) / baseline's (flops/J).
 */
export function simulate(network: NetworkModel, targets: TargetModel[], opts: SimulateOptions = {}): SimulationResult {
  let w: Workload;
  try {
    w = lower(network, { batch: opts.batch, precision: opts.precision });
  } catch (e) {
    const msg = `internal error while lowering the network: ${(e as Error)?.message ?? String(e)}`;
    return {
      schemaVersion: RESULT_SCHEMA_VERSION,
      network: {
        name: network?.name ?? '',
        batch: opts.batch ?? network?.batch ?? 0,
        precision: opts.precision ?? network?.precision ?? 'fp32',
        layerCount: network?.layers?.length ?? 0,
        flops: 0,
      },
      targets: targets.map((t) => failedResult(t, msg)),
    };
  }
  const ctx: SimContext = opts.detail === 'totals' ? { timeline: false, layers: false } : FULL_CONTEXT;
  const results = targets.map((t) => {
    const r = simulateTarget(w, t, ctx);
    if (w.notes.length) {
      r.findings = [...r.findings, ...w.notes.map((f) => ({ ...f, target: r.name }))];
      r.notes = [...r.notes, ...w.notes.map((f) => f.message)];
    }
    return r;
  });
  const base = opts.baseline !== undefined ? results.find((r) => r.name === opts.baseline) : undefined;
  if (base) {
    for (const r of results) {
      if (r === base) continue;
      const b = base.totals,
        x = r.totals;
      r.vsBaseline = {
        baseline: base.name,
        speedup: x.timeS > 0 ? b.timeS / x.timeS : 0,
        energyRatio: b.energyJ > 0 ? x.energyJ / b.energyJ : 0,
        efficiencyRatio: b.flopsPerJoule > 0 ? x.flopsPerJoule / b.flopsPerJoule : 0,
      };
    }
  }
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    network: {
      name: network.name,
      batch: w.batch,
      precision: w.precision,
      layerCount: network.layers.length,
      flops: w.totalFlops,
    },
    ...(base ? { baseline: base.name } : {}),
    targets: results,
  };
}
