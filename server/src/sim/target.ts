// The per-kind simulator interface and the helpers every target model shares: parameter access, the
// training-order schedule and the roofline. Recording phases, totals and results: record.ts; the timeline:
// timeline.ts (both re-exported here).
import type { TargetKind, TargetModel } from '../spec/types';
import { KINDS } from '../kinds/params';
import type { AreaBreakdown, Bound, Phase, TargetResult } from './types';
import type { PhaseWork, Workload } from './workload';
import type { SimContext } from './record';

export { FULL_CONTEXT, Recorder, PhaseTable, type SimContext, type PhaseInput } from './record';
export { TimelineBuilder, type PhaseLanes } from './timeline';

/** One simulator per target kind. `simulate` must be deterministic and must not throw on a valid model. */
export interface TargetSimulator {
  kind: TargetKind;
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult;
  /** Silicon area from the target's parameters, for kinds that model it (independent of the workload). */
  area?(t: TargetModel): AreaBreakdown;
}

// ------------------------------------------------------------------------------------------- parameters

const defaults = new Map<string, Map<string, number | string | boolean>>();
function kindDefaults(kind: string): Map<string, number | string | boolean> {
  let m = defaults.get(kind);
  if (!m) {
    m = new Map();
    for (const k of KINDS) if (k.kind === kind) for (const p of k.params) m.set(p.path, p.default);
    defaults.set(kind, m);
  }
  return m;
}

// Parameter readers take defaults from the kind's schema only (kinds/<kind>/params.ts): no fallback literal in a model.
// A value of the wrong type (NaN, an unparsable string) reads as the default; a path that is not in the kind's
// schema reads as NaN / '' / false (test/unit/sim/param-paths.test.ts fails on any such path in the models).
const asNum = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'boolean'
      ? v
        ? 1
        : 0
      : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
        ? Number(v)
        : undefined;

/** A numeric parameter (SI) by dotted path: the target's value, else its kind's default. */
export function num(t: TargetModel, path: string): number {
  return asNum(t.params[path]) ?? asNum(kindDefaults(t.kind).get(path)) ?? NaN;
}

/**
 * A numeric knob clamped into its declared [min, max] (kinds/<kind>/params.ts). Out-of-range values are reported by
 * the spec checker; clamping here keeps a model that is run anyway finite (no division by zero channels). Used by
 * the gradpim, neurotrainer and imc models.
 */
export function knob(t: TargetModel, path: string): number {
  const v = num(t, path);
  const spec = KINDS.find((k) => k.kind === t.kind)?.params.find((p) => p.path === path);
  if (!spec) return v;
  return Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, v));
}
/** A numeric parameter that must be positive (a clock, a bandwidth, a word size): a value <= 0 reads as the default. */
export function pos(t: TargetModel, path: string): number {
  const v = asNum(t.params[path]);
  return v !== undefined && v > 0 ? v : (asNum(kindDefaults(t.kind).get(path)) ?? NaN);
}
export function str(t: TargetModel, path: string): string {
  const v = t.params[path],
    d = kindDefaults(t.kind).get(path);
  return typeof v === 'string' ? v : v !== undefined && v !== null ? String(v) : d === undefined ? '' : String(d);
}
export function bool(t: TargetModel, path: string): boolean {
  const read = (v: unknown) =>
    typeof v === 'boolean'
      ? v
      : typeof v === 'number' && Number.isFinite(v)
        ? v !== 0
        : v === 'true'
          ? true
          : v === 'false'
            ? false
            : undefined;
  return read(t.params[path]) ?? read(kindDefaults(t.kind).get(path)) ?? false;
}
/** True when the kind's schema has the path (for models shared between kinds). */
export function hasParam(t: TargetModel, path: string): boolean {
  return kindDefaults(t.kind).has(path);
}

// ------------------------------------------------------------------------------------------- schedule

/**
 * The steps of a training iteration in order: step i is phase `work[i]` of layer `layer[i]`. Kept as two flat arrays
 * (no object per step): callers iterate `for (let i = 0; i < o.length; i++)`.
 */
export interface TrainingOrder {
  readonly length: number;
  readonly layer: Int32Array;
  readonly work: readonly PhaseWork[];
}

/**
 * Training order: fwd of every layer; then backward in reverse layer order (bwd_data, then bwd_weight of each
 * layer); then the updates in layer order — or, with `updateInline`, each layer's update right after its
 * bwd_weight (targets that overlap the update with the backward pass, e.g. CATERPILLAR's fused WG+UPD).
 * The order depends only on the workload, so it is built once per workload and shared by every target (callers
 * only read it).
 */
export function trainingOrder(w: Workload, updateInline = false): TrainingOrder {
  let cached = orderCache.get(w);
  if (!cached) {
    cached = {};
    orderCache.set(w, cached);
  }
  const key = updateInline ? 'inline' : 'separate';
  return (cached[key] ??= buildTrainingOrder(w, updateInline));
}
const orderCache = new WeakMap<Workload, { inline?: TrainingOrder; separate?: TrainingOrder }>();

function buildTrainingOrder(w: Workload, updateInline: boolean): TrainingOrder {
  const L = w.layers;
  let n = 0;
  for (let i = 0; i < L.length; i++) n += L[i].phases.length;
  const layer = new Int32Array(n);
  const work: PhaseWork[] = new Array(n);
  let k = 0;
  const take = (i: number, ph: Phase) => {
    const ps = L[i].phases;
    for (let j = 0; j < ps.length; j++)
      if (ps[j].phase === ph) {
        layer[k] = i;
        work[k++] = ps[j];
      }
  };
  for (let i = 0; i < L.length; i++) take(i, 'fwd');
  for (let i = L.length - 1; i >= 0; i--) {
    take(i, 'bwd_data');
    take(i, 'bwd_weight');
    if (updateInline) take(i, 'update');
  }
  if (!updateInline) for (let i = 0; i < L.length; i++) take(i, 'update');
  return { length: k, layer: k === n ? layer : layer.slice(0, k), work: k === n ? work : work.slice(0, k) };
}

/** The order as objects (tests and tools; models use the flat arrays). */
export function orderSteps(o: TrainingOrder): { layer: number; work: PhaseWork }[] {
  return Array.from({ length: o.length }, (_, i) => ({ layer: o.layer[i], work: o.work[i] }));
}

// ------------------------------------------------------------------------------------------- roofline

export interface RooflinePoint {
  layer: string;
  phase: Phase;
  intensity: number;
  flopsPerS: number;
  bound: Bound;
}
export interface RooflineCeilings {
  peakFlops: number;
  levels: { name: string; bandwidthBps: number }[];
}

/** Ceilings: the flat compute roof and one slanted roof per memory level with a bandwidth. */
export function rooflineCeilings(r: TargetResult): RooflineCeilings {
  return {
    peakFlops: r.peak.flops,
    levels: r.peak.levels
      .filter((l) => l.bandwidthBps > 0)
      .map((l) => ({ name: l.name, bandwidthBps: l.bandwidthBps })),
  };
}

/** One point per layer-phase with work and outer-level traffic: x = FLOPs per outer-level byte, y = achieved FLOP/s. */
export function rooflinePoints(r: TargetResult): RooflinePoint[] {
  const pts: RooflinePoint[] = [];
  for (const l of r.layers)
    for (const p of l.phases) {
      if (p.flops > 0 && p.timeS > 0 && p.intensity > 0 && Number.isFinite(p.intensity))
        pts.push({
          layer: l.name,
          phase: p.phase,
          intensity: p.intensity,
          flopsPerS: p.flops / p.timeS,
          bound: p.bound,
        });
    }
  return pts;
}

/** Attainable FLOP/s at an intensity under a ceiling set: min(peak, intensity * bandwidth of the slowest level). */
export function attainable(c: RooflineCeilings, intensity: number): number {
  let y = c.peakFlops;
  for (const l of c.levels) y = Math.min(y, intensity * l.bandwidthBps);
  return y;
}
