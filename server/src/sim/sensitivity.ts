// Which knobs move a result most: the elasticity d ln(y) / d ln(p) of a step's (or one layer's) time and energy with
// respect to every numeric parameter of the target, by central finite differences (p x (1 +- h), h = 1%; whole-number
// knobs by whole steps). A value of
// -1 means "1% more of p, 1% less time"; 0 means the result does not depend on p here. Each parameter comes with where
// its value came from (preset with its source tag, a spec line, or the kind's default).
import type { NetworkModel, Provenance, TargetModel } from '../spec/types';
import type { Phase, TargetResult } from './types';
import { lower } from './lower';
import { simulateTarget } from './index';

export interface Sensitivity {
  path: string;
  value: number;
  /** d ln(time) / d ln(p) and d ln(energy) / d ln(p). */
  time: number;
  energy: number;
  provenance?: Provenance;
}

export interface Scope {
  layer?: string;
  phase?: Phase;
}

/** Time and energy of a result in a scope: the whole step, one layer, or one phase of one layer. */
export function measure(r: TargetResult, s: Scope): { timeS: number; energyJ: number } {
  if (!s.layer) return { timeS: r.totals.timeS, energyJ: r.totals.energyJ };
  const l = r.layers.find((x) => x.name === s.layer);
  const ps = (l?.phases ?? []).filter((p) => !s.phase || p.phase === s.phase);
  return { timeS: ps.reduce((a, p) => a + p.timeS, 0), energyJ: ps.reduce((a, p) => a + p.energyJ, 0) };
}

const H = 0.01;

/** Elasticities of `scope` on `target` for every numeric parameter (largest |time| first). */
export function sensitivities(net: NetworkModel, target: TargetModel, scope: Scope = {}): Sensitivity[] {
  const w = lower(net);
  const ctx = scope.layer ? { timeline: false, layers: true } : { timeline: false, layers: false };
  const base = measure(simulateTarget(w, target, ctx), scope);
  const out: Sensitivity[] = [];
  for (const [path, v] of Object.entries(target.params)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v === 0) continue;
    // Whole-number knobs (counts, tile edges, cycles) move by whole steps: +-1% rounded, at least 1.
    const discrete = Number.isInteger(v) && Math.abs(v) >= 1;
    const step = discrete ? Math.max(1, Math.round(Math.abs(v) * H)) : Math.abs(v) * H;
    const hi = v + step,
      lo = discrete && v - step <= 0 ? v : v - step;
    const at = (p: number) =>
      measure(simulateTarget(w, { ...target, params: { ...target.params, [path]: p } }, ctx), scope);
    const up = at(hi),
      down = lo === v ? base : at(lo);
    const span = Math.log(hi / lo);
    const el = (a: number, b: number, y: number) =>
      y > 0 && a > 0 && b > 0 && span > 0 ? (Math.log(a) - Math.log(b)) / span : 0;
    const time = el(up.timeS, down.timeS, base.timeS),
      energy = el(up.energyJ, down.energyJ, base.energyJ);
    out.push({ path, value: v, time: clean(time), energy: clean(energy), provenance: target.provenance[path] });
  }
  return out.sort(
    (a, b) =>
      Math.abs(b.time) - Math.abs(a.time) || Math.abs(b.energy) - Math.abs(a.energy) || a.path.localeCompare(b.path),
  );
}

/** Finite differences of integer-rounded or piecewise models leave noise around 0: below 1e-6 is 0. */
const clean = (x: number) => (Math.abs(x) < 1e-6 ? 0 : Number(x.toPrecision(4)));
