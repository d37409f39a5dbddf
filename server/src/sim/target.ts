// The per-kind simulator interface and the helpers every target model shares: parameter access, building a
// PhaseResult, summing Totals, the training-order schedule, the timeline and the roofline.
import type { TargetKind, TargetModel } from '../spec/types';
import { KINDS } from '../spec/presets/index';
import type {
  Bound, BytesPerLevel, Engine, EnergyBreakdown, LayerResult, MemoryLevelPeak, Phase, PhaseResult, TargetResult,
  TimelineEvent, Totals,
} from './types';
import type { LayerWork, PhaseWork, Workload } from './workload';

export interface SimContext {
  /** Build the per-event timeline (false in design-space sweeps, where only totals matter). */
  timeline: boolean;
  /** Keep per-layer results (false in sweeps: `layers` is then empty, totals are still exact). */
  layers: boolean;
}

export const FULL_CONTEXT: SimContext = { timeline: true, layers: true };

/** One simulator per target kind. `simulate` must be deterministic and must not throw on a valid model. */
export interface TargetSimulator {
  kind: TargetKind;
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult;
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

/** A numeric parameter (SI) by dotted path: the target's value, else its kind's default, else `fallback`. */
export function num(t: TargetModel, path: string, fallback = 0): number {
  const v = t.params[path] ?? kindDefaults(t.kind).get(path);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') { const x = Number(v); if (Number.isFinite(x)) return x; }
  return fallback;
}
export function str(t: TargetModel, path: string, fallback = ''): string {
  const v = t.params[path] ?? kindDefaults(t.kind).get(path);
  return typeof v === 'string' ? v : v === undefined ? fallback : String(v);
}
export function bool(t: TargetModel, path: string, fallback = false): boolean {
  const v = t.params[path] ?? kindDefaults(t.kind).get(path);
  return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : typeof v === 'string' ? v === 'true' : fallback;
}

// ------------------------------------------------------------------------------------------- phase results

export function zeroEnergy(): EnergyBreakdown {
  return { compute: 0, sram: 0, dram: 0, link: 0, control: 0, static: 0 };
}

export interface PhaseInput {
  phase: Phase;
  engine: Engine;
  flops: number;
  bytes: BytesPerLevel;
  /** Name of the outermost memory level in `bytes` (for bandwidth and intensity). */
  outer: string;
  computeS: number;
  memoryS: number;
  /** Exposed offload / control / configuration time. */
  overheadS: number;
  /** Peak FLOP/s of the target at this phase's precision (for utilization). */
  peakFlops: number;
  energy: Partial<EnergyBreakdown>;
  /** Override the default time = max(compute, memory) + overhead (e.g. when the target does not overlap them). */
  timeS?: number;
}

/**
 * time = max(compute, memory) + exposed overhead (seed-systems.md §0), unless `timeS` is given.
 * bound = the largest of compute, memory and overhead; bandwidth = outer bytes / time; utilization = flops /
 * (peak * time); intensity = flops / outer bytes (0 when the phase moves no outer-level bytes).
 */
export function makePhase(p: PhaseInput): PhaseResult {
  const timeS = p.timeS ?? Math.max(p.computeS, p.memoryS) + p.overheadS;
  const e = p.energy;
  const energy: EnergyBreakdown = {
    compute: e.compute ?? 0, sram: e.sram ?? 0, dram: e.dram ?? 0, link: e.link ?? 0, control: e.control ?? 0, static: e.static ?? 0,
  };
  const energyJ = energy.compute + energy.sram + energy.dram + energy.link + energy.control + energy.static;
  let bound: Bound = 'compute';
  if (p.memoryS > p.computeS && p.memoryS >= p.overheadS) bound = 'memory';
  else if (p.overheadS > p.computeS && p.overheadS > p.memoryS) bound = 'overhead';
  const outerB = p.bytes[p.outer] ?? 0;
  return {
    phase: p.phase, engine: p.engine, flops: p.flops, bytes: p.bytes, timeS,
    computeS: p.computeS, memoryS: p.memoryS, overheadS: p.overheadS, bound,
    bandwidthBps: timeS > 0 ? outerB / timeS : 0,
    utilization: timeS > 0 && p.peakFlops > 0 ? p.flops / (p.peakFlops * timeS) : 0,
    energyJ, energy,
    intensity: outerB > 0 ? p.flops / outerB : 0, // 0 = no outer-level traffic (kept finite for JSON)
  };
}

// ------------------------------------------------------------------------------------------- totals

/** Accumulates Totals phase by phase; utilization = total flops / (peak * total time). */
export class TotalsBuilder {
  timeS = 0; energyJ = 0; flops = 0; offloadOverheadS = 0;
  bytes: BytesPerLevel = {};
  energy = zeroEnergy();
  add(p: PhaseResult): void {
    this.timeS += p.timeS; this.energyJ += p.energyJ; this.flops += p.flops; this.offloadOverheadS += p.overheadS;
    for (const k in p.bytes) this.bytes[k] = (this.bytes[k] ?? 0) + p.bytes[k];
    const e = this.energy, q = p.energy;
    e.compute += q.compute; e.sram += q.sram; e.dram += q.dram; e.link += q.link; e.control += q.control; e.static += q.static;
  }
  /** `timeS` may be replaced before finishing when phases overlap (e.g. a pipelined schedule). */
  finish(peakFlops: number, batch: number, timeS = this.timeS): Totals {
    return {
      timeS, energyJ: this.energyJ, flops: this.flops, bytes: this.bytes, offloadOverheadS: this.offloadOverheadS,
      utilization: timeS > 0 && peakFlops > 0 ? this.flops / (peakFlops * timeS) : 0,
      flopsPerJoule: this.energyJ > 0 ? this.flops / this.energyJ : 0,
      samplesPerS: timeS > 0 ? batch / timeS : 0,
      energy: this.energy,
    };
  }
}

// ------------------------------------------------------------------------------------------- schedule

/** One step of a training iteration: layer index and the phase of that layer. */
export interface Step { layer: number; work: PhaseWork }

/**
 * Training order: fwd of every layer; then backward in reverse layer order (bwd_data, then bwd_weight of each
 * layer); then the updates in layer order — or, with `updateInline`, each layer's update right after its
 * bwd_weight (targets that overlap the update with the backward pass, e.g. CATERPILLAR's fused WG+UPD).
 * The order depends only on the workload, so it is built once per workload and shared by every target (callers
 * only read it): one simulate() call on six targets would otherwise build ~4 step objects per layer per target.
 */
export function trainingOrder(w: Workload, updateInline = false): readonly Step[] {
  let cached = orderCache.get(w);
  if (!cached) { cached = {}; orderCache.set(w, cached); }
  const key = updateInline ? 'inline' : 'separate';
  return (cached[key] ??= buildTrainingOrder(w, updateInline));
}
const orderCache = new WeakMap<Workload, { inline?: readonly Step[]; separate?: readonly Step[] }>();

function buildTrainingOrder(w: Workload, updateInline: boolean): Step[] {
  const steps: Step[] = [];
  const L = w.layers;
  for (let i = 0; i < L.length; i++) for (const p of L[i].phases) if (p.phase === 'fwd') steps.push({ layer: i, work: p });
  for (let i = L.length - 1; i >= 0; i--) {
    for (const p of L[i].phases) if (p.phase === 'bwd_data') steps.push({ layer: i, work: p });
    for (const p of L[i].phases) if (p.phase === 'bwd_weight') steps.push({ layer: i, work: p });
    if (updateInline) for (const p of L[i].phases) if (p.phase === 'update') steps.push({ layer: i, work: p });
  }
  if (!updateInline) for (let i = 0; i < L.length; i++) for (const p of L[i].phases) if (p.phase === 'update') steps.push({ layer: i, work: p });
  return steps;
}

// ------------------------------------------------------------------------------------------- timeline

export interface PhaseLanes {
  /** Lane of the compute, e.g. 'engine:ntx'. */
  compute: string;
  /** Lane of the data movement (omitted: no dma event). */
  dma?: string;
  /** Lane of the exposed configuration / offload time (omitted: no config event). */
  config?: string;
  /** Event kind of the exposed overhead (default 'config'; e.g. 'ring' for exposed communication). */
  configKind?: string;
}

/**
 * Lays phases end to end on a critical-path cursor. For each phase: the exposed overhead first (kind 'config' on
 * the config lane), then compute and DMA side by side (overlapped; double buffering), with a 'stall' on the
 * compute lane when the DMA takes longer. Disabled builders record nothing (sweeps).
 * Past `maxEvents` (default 20,000: more than a chart can show), an event extends the last event of the same lane
 * and phase instead: its `layer` then names the first layer of the run followed by ' …', and its `kind` becomes
 * 'mixed' when compute, stall, dma or config runs were folded together. The timeline then stays bounded (at most
 * maxEvents + lanes x phases events) for networks of any depth. Past the cap an event spans its whole run, gaps
 * included (and, in a backward pass that alternates bwd_data and bwd_weight, the two runs of a lane overlap): it
 * summarises where the lane was busy rather than each layer.
 */
export class TimelineBuilder {
  readonly events: TimelineEvent[] = [];
  cursor = 0;
  private readonly lastByLanePhase = new Map<string, TimelineEvent>();
  constructor(readonly enabled = true, readonly maxEvents = 20_000) {}

  add(lane: string, layer: string, phase: Phase, kind: string, startS: number, endS: number): void {
    if (!this.enabled || !(endS > startS)) return;
    const e: TimelineEvent = { lane, layer, phase, kind, startS, endS };
    if (this.events.length >= this.maxEvents) {
      // past the cap only (the common path stays a plain push): runs are tracked per lane and phase
      const key = lane + '\u0000' + phase;
      const last = this.lastByLanePhase.get(key);
      if (last && startS >= last.startS) {
        if (!last.layer.endsWith(' …')) last.layer += ' …';
        if (last.kind !== kind) last.kind = 'mixed';
        if (endS > last.endS) last.endS = endS;
        return;
      }
      this.lastByLanePhase.set(key, e);
    }
    this.events.push(e);
  }

  /** Place a phase at the cursor and advance the cursor by its time. */
  phase(layer: string, r: PhaseResult, lanes: PhaseLanes, computeKind = r.phase === 'update' ? 'update' : 'compute'): void {
    const t0 = this.cursor;
    if (this.enabled) {
      const ov = r.overheadS;
      if (lanes.config && ov > 0) this.add(lanes.config, layer, r.phase, lanes.configKind ?? 'config', t0, t0 + ov);
      const s = t0 + ov;
      const body = Math.max(0, r.timeS - ov);
      const comp = Math.min(r.computeS, body);
      this.add(lanes.compute, layer, r.phase, computeKind, s, s + comp);
      if (lanes.dma) this.add(lanes.dma, layer, r.phase, 'dma', s, s + Math.min(r.memoryS, body));
      if (body > comp) this.add(lanes.compute, layer, r.phase, 'stall', s + comp, s + body);
    }
    this.cursor = t0 + r.timeS;
  }
}

// ------------------------------------------------------------------------------------------- roofline

export interface RooflinePoint { layer: string; phase: Phase; intensity: number; flopsPerS: number; bound: Bound }
export interface RooflineCeilings { peakFlops: number; levels: { name: string; bandwidthBps: number }[] }

/** Ceilings: the flat compute roof and one slanted roof per memory level with a bandwidth. */
export function rooflineCeilings(r: TargetResult): RooflineCeilings {
  return { peakFlops: r.peak.flops, levels: r.peak.levels.filter((l) => l.bandwidthBps > 0).map((l) => ({ name: l.name, bandwidthBps: l.bandwidthBps })) };
}

/** One point per layer-phase with work and outer-level traffic: x = FLOPs per outer-level byte, y = achieved FLOP/s. */
export function rooflinePoints(r: TargetResult): RooflinePoint[] {
  const pts: RooflinePoint[] = [];
  for (const l of r.layers) for (const p of l.phases) {
    if (p.flops > 0 && p.timeS > 0 && p.intensity > 0 && Number.isFinite(p.intensity)) pts.push({ layer: l.name, phase: p.phase, intensity: p.intensity, flopsPerS: p.flops / p.timeS, bound: p.bound });
  }
  return pts;
}

/** Attainable FLOP/s at an intensity under a ceiling set: min(peak, intensity * bandwidth of the slowest level). */
export function attainable(c: RooflineCeilings, intensity: number): number {
  let y = c.peakFlops;
  for (const l of c.levels) y = Math.min(y, intensity * l.bandwidthBps);
  return y;
}

// ------------------------------------------------------------------------------------------- assembly

/** Builds the per-layer result list while phases are simulated (skips storage when ctx.layers is false). */
export class LayerCollector {
  readonly layers: LayerResult[] = [];
  constructor(private readonly w: Workload, private readonly keep: boolean) {}
  add(layer: number, r: PhaseResult): void {
    if (!this.keep) return;
    const lw: LayerWork = this.w.layers[layer];
    let lr = this.layers[layer];
    if (!lr) lr = this.layers[layer] = { name: lw.name, op: lw.op, dims: lw.dims, phases: [] };
    lr.phases.push(r);
  }
  /** Layers in network order, each with its phases in PHASES order. */
  finish(): LayerResult[] {
    if (!this.keep) return [];
    const n = this.w.layers.length;
    const out: LayerResult[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const lr = this.layers[i] ?? { name: this.w.layers[i].name, op: this.w.layers[i].op, dims: this.w.layers[i].dims, phases: [] };
      // Most targets add a layer's phases in PHASES order already (fwd first, then bwd_data, bwd_weight, update):
      // sort (stable) only when they are not, so the common case costs no comparator calls.
      if (!inPhaseOrder(lr.phases)) lr.phases.sort((a, b) => PHASE_RANK[a.phase] - PHASE_RANK[b.phase]);
      out[i] = lr;
    }
    return out;
  }
}

const PHASE_RANK: Record<Phase, number> = { fwd: 0, bwd_data: 1, bwd_weight: 2, update: 3 };
function inPhaseOrder(ps: PhaseResult[]): boolean {
  for (let i = 1; i < ps.length; i++) if (PHASE_RANK[ps[i - 1].phase] > PHASE_RANK[ps[i].phase]) return false;
  return true;
}

export function levels(...l: MemoryLevelPeak[]): MemoryLevelPeak[] { return l; }
