// Per-layer figures of a simulation result for one target: time and energy summed over the four training phases,
// and the bound of the phase that takes longest (it dominates the layer).
import type { Bound, Engine, LayerResult, Phase, SimulationResult, TargetResult } from '../sim/types';
import { PHASES } from '../sim/types';
import { phaseColumnsOf, type PhaseColumns } from '../sim/record';

export interface LayerFigures {
  timeS: number;
  energyJ: number;
  bound: Bound;
  flops: number;
}

/** What a layer's summary reads of each of its phases. */
export interface PhaseLine {
  phase: Phase;
  timeS: number;
  energyJ: number;
  flops: number;
  bound: Bound;
  engine: Engine;
}

export function layerFigures(l: { phases: readonly PhaseLine[] }): LayerFigures {
  let timeS = 0,
    energyJ = 0,
    flops = 0,
    worst = -1;
  let bound: Bound = 'compute';
  for (const p of l.phases) {
    timeS += p.timeS;
    energyJ += p.energyJ;
    flops += p.flops;
    if (p.timeS > worst) {
      worst = p.timeS;
      bound = p.bound;
    }
  }
  return { timeS, energyJ, bound, flops };
}

/** Index a target's layers by name (built once per result and target). */
const indexCache = new WeakMap<TargetResult, Map<string, LayerResult>>();
export function layerByName(t: TargetResult, name: string): LayerResult | undefined {
  let m = indexCache.get(t);
  if (!m) {
    m = new Map(t.layers.map((l) => [l.name, l]));
    indexCache.set(t, m);
  }
  return m.get(name);
}

/** The primary target: the baseline's first other target when a baseline is set, else the first target. */
export function primaryTarget(r: SimulationResult): TargetResult | undefined {
  return r.targets[0];
}

export const BOUND_LABEL: Record<Bound, string> = {
  compute: 'compute-bound',
  memory: 'mem-bound',
  overhead: 'overhead-bound',
};

/** A recorded result's rows by layer name: each layer's first row in the columns (a layer's rows are adjacent). */
interface ColumnIndex {
  cols: PhaseColumns;
  at: Map<string, number>;
  start: Int32Array;
}
const columnIndexCache = new WeakMap<TargetResult, ColumnIndex | null>();
function columnIndex(t: TargetResult): ColumnIndex | null {
  let c = columnIndexCache.get(t);
  if (c === undefined) {
    const cols = phaseColumnsOf(t);
    if (!cols) c = null;
    else {
      const start = new Int32Array(cols.layers.length + 1);
      for (let i = 0; i < cols.layers.length; i++) start[i + 1] = start[i] + cols.count[i];
      c = { cols, at: new Map(cols.layers.map((l, i) => [l.name, i])), start };
    }
    columnIndexCache.set(t, c);
  }
  return c;
}

/**
 * A layer's phases on a target, as its summaries (inlay hints) read them: from the recorded columns when the result
 * has them — no PhaseResult objects built for a whole network to show one line per layer — else from its layers.
 */
export function layerPhases(t: TargetResult, name: string): PhaseLine[] | undefined {
  const c = columnIndex(t);
  if (!c) return layerByName(t, name)?.phases;
  const i = c.at.get(name);
  if (i === undefined) return undefined;
  const { cols } = c;
  const out: PhaseLine[] = [];
  for (let r = c.start[i]; r < c.start[i + 1]; r++)
    out.push({
      phase: PHASES[cols.phase[r]],
      timeS: cols.num.timeS[r],
      energyJ: cols.num.energyJ[r],
      flops: cols.num.flops[r],
      bound: cols.bounds[cols.bound[r]],
      engine: cols.engines[cols.engine[r]],
    });
  return out;
}
