// Orders shared by the views that offer a layer picker.
import type { LayerResult, TargetResult } from '../../../server/src/sim/types';

/** The target's layers (those `keep` accepts) by their time on it, slowest first. */
export function slowestFirst(t: TargetResult, keep: (l: LayerResult) => boolean = () => true): string[] {
  return t.layers
    .filter(keep)
    .map((l) => ({ name: l.name, t: l.phases.reduce((a, p) => a + p.timeS, 0) }))
    .sort((a, b) => b.t - a.t)
    .map((x) => x.name);
}
