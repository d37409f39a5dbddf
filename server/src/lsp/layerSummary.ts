// Per-layer figures of a simulation result for one target: time and energy summed over the four training phases,
// and the bound of the phase that takes longest (it dominates the layer).
import type { Bound, LayerResult, SimulationResult, TargetResult } from '../sim/types';

export interface LayerFigures {
  timeS: number;
  energyJ: number;
  bound: Bound;
  flops: number;
}

export function layerFigures(l: LayerResult): LayerFigures {
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
