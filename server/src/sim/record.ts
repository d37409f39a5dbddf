// Where a target model records its phases: one row per (layer, phase) in a Float64Array, totals summed from the
// rows, the timeline beside them, and per-layer PhaseResult objects built only when `layers` is read.
//
// Why columns: ResNet-50 on six targets is ~4,000 phases, a 10,000-layer network ~210,000; as objects (each with
// its bytes and energy objects) they survived into the old generation and the garbage collector took most of a
// run. The result's `layers` and `timeline` are lazy properties: enumerable, so JSON.stringify, spreads and
// structured clones see plain arrays, built once on first read and then kept (assigning replaces them).
import type { Finding, FindingDraft } from './findings';
import type { TargetModel } from '../spec/types';
import type {
  Bound,
  BytesPerLevel,
  Engine,
  EnergyBreakdown,
  LayerResult,
  Phase,
  PhaseResult,
  TargetResult,
  TimelineEvent,
  Totals,
} from './types';
import type { Workload } from './workload';
import { PHASE_INDEX, TimelineBuilder, type PhaseLanes, type PhaseTimes } from './timeline';

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
  /**
   * How the target mapped this phase, in its own terms (NTX's tile and commands, NeuroTrainer's data flow, the GPU's
   * kernel...): kept only with per-layer results, so a model builds it only when `ctx.layers`. A function is called
   * when the text is first read: a 10,000-layer run describes 40,000 phases per target that nobody may look at.
   */
  mapping?: string | (() => string | undefined);
}

export interface SimContext {
  /** Build the per-event timeline (false in design-space sweeps, where only totals matter). */
  timeline: boolean;
  /** Keep per-layer results (false in sweeps: `layers` is then empty, totals are still exact). */
  layers: boolean;
}

export const FULL_CONTEXT: SimContext = { timeline: true, layers: true };

/**
 * A target's phase rows as columns, in the order `layers` lists them (layers in network order, a layer's phases in
 * PHASES order): what a consumer that wants columns (the result wire) reads instead of building every PhaseResult.
 */
export interface PhaseColumns {
  /** The network's layers (name, op, dims): the rows' layer table. */
  layers: readonly Pick<LayerResult, 'name' | 'op' | 'dims'>[];
  /** Phases per layer. */
  count: Uint8Array;
  /** Per row: index in PHASES, in `engines`, in `bounds`. */
  phase: Uint8Array;
  engine: Uint8Array;
  bound: Uint8Array;
  engines: readonly Engine[];
  bounds: readonly Bound[];
  num: Record<
    'flops' | 'timeS' | 'computeS' | 'memoryS' | 'overheadS' | 'bandwidthBps' | 'utilization' | 'energyJ' | 'intensity',
    Float64Array
  >;
  energy: Record<keyof EnergyBreakdown, Float64Array>;
  /** Bytes per memory level (NaN: the phase has no such level); only levels some phase has. */
  bytes: Record<string, Float64Array>;
  /** PhaseResult.mapping by row, for the rows that have one. */
  mapping: Map<number, string>;
}

const COLUMNS = new WeakMap<TargetResult, { columns: () => PhaseColumns; built: () => LayerResult[] | undefined }>();

/**
 * A recorded TargetResult's phase rows as columns, the same numbers its `layers` hold; undefined for a result not
 * built by a Recorder, one without per-layer results, or one whose `layers` were replaced since.
 */
export function phaseColumnsOf(t: TargetResult): PhaseColumns | undefined {
  const c = COLUMNS.get(t);
  if (!c) return undefined;
  const d = Object.getOwnPropertyDescriptor(t, 'layers');
  return d && (d.get !== undefined || (d.value !== undefined && d.value === c.built())) ? c.columns() : undefined;
}

const PHASES_BY_INDEX: readonly Phase[] = ['fwd', 'bwd_data', 'bwd_weight', 'update'];
const ENGINES: readonly Engine[] = ['accelerator', 'host', 'in-memory', 'digital'];
const BOUNDS: readonly Bound[] = ['compute', 'memory', 'overhead'];

// Row layout: STRIDE float64 columns, in chunks of CHUNK rows (64 KB each: below malloc's mmap threshold, so the
// memory of dropped results can be reused rather than faulted in fresh from the OS on every run). The bytes of the
// first INLINE memory levels sit in the row; further levels (no target has any yet) in side chunks. Bandwidth,
// utilization and intensity are derived when a row is read (same formulas as when they were stored).
const FLOPS = 0,
  TIME = 1,
  COMPUTE = 2,
  MEMORY = 3,
  OVERHEAD = 4,
  ENERGY = 5;
const E_COMPUTE = 6,
  E_SRAM = 7,
  E_DRAM = 8,
  E_LINK = 9,
  E_CONTROL = 10,
  E_STATIC = 11;
/** layer * 1024 + meta, meta = phase | engine << 2 | bound << 4 | outer level << 6 (4 bits: levels 0-14; 15 = none). */
const LM = 12;
/** Bytes of the first INLINE levels sit in the row (NaN = the phase has no such level); more levels in side chunks. */
const INLINE = 3,
  BYTES0 = 13,
  STRIDE = BYTES0 + INLINE;
/** meta of a packed LM value (the fast path while layer * 1024 stays an int32). */
const metaOf = (v: number): number => (v < 2147483648 ? v & 1023 : v % 1024);
const NO_OUTER = 15;
const phaseCode = (p: Phase): number => (p === 'fwd' ? 0 : p === 'bwd_data' ? 1 : p === 'bwd_weight' ? 2 : 3);
const engineCode = (e: Engine): number => (e === 'accelerator' ? 0 : e === 'host' ? 1 : e === 'in-memory' ? 2 : 3);
/**
 * time = max(compute, memory) + exposed overhead (seed-systems.md §0), unless `timeS` is given.
 * bound = the largest of compute, memory and overhead; bandwidth = outer bytes / time; utilization = flops /
 * (peak * time); intensity = flops / outer bytes (0 when the phase moves no outer-level bytes).
 *
 * boundCode: index in BOUNDS of the largest of compute, memory and overhead (ties: compute, then memory).
 */
const boundCode = (c: number, m: number, o: number): number => (m > c && m >= o ? 1 : o > c && o > m ? 2 : 0);
const SHIFT = 9,
  CHUNK = 1 << SHIFT,
  MASK = CHUNK - 1;

/** The row of every totals-only table (only the row just added is ever read back, and runs do not interleave rows). */
const SCRATCH_ROW = [new Float64Array(STRIDE)];

/**
 * The phases of one target run, one row each, in the order the model recorded them. With `keep` false (totals-only
 * runs: design-space sweeps, GradPIM's no-PIM twin) no rows are stored: only the row just added can be read back,
 * bytes per level are not kept per row, and the totals are summed as rows arrive; such a run allocates almost
 * nothing, however deep the network.
 */
export class PhaseTable {
  n = 0;
  private readonly chunks: Float64Array[];
  /**
   * Running sums (keep = false): time, energy, flops, overhead, the time of each phase (fwd, bwd_data, bwd_weight,
   * update), then the six energy components; bytes per level. Typed arrays of at most 64 bytes, which V8 keeps on
   * the heap (a sweep makes ~100,000 tables).
   */
  private readonly sums = new Float64Array(8);
  private readonly energySums = new Float64Array(6);
  /** (64 bytes: small enough for V8 to keep the typed array on the heap; more levels widen it.) */
  private levelSums = new Float64Array(8);
  /** Peak FLOP/s of the rows (for utilization): the first row's; rows that differ are kept in `peaks`. */
  private peak = NaN;
  private peaks: Map<number, number> | undefined;
  /**
   * PhaseInput.mapping by row (keep only; holes for rows without one). An array, not a Map: most kinds describe every
   * phase, and a 40,000-entry Map per target per run cost a fifth of a 10,000-layer simulation.
   */
  private mappings: (string | (() => string | undefined) | undefined)[] | undefined;

  /** The mapping text of a row, built on first read when the model gave a function. */
  private mappingAt(row: number): string | undefined {
    const m = this.mappings?.[row];
    if (typeof m !== 'function') return m;
    const text = m();
    this.mappings![row] = text;
    return text;
  }

  constructor(readonly keep = true) {
    this.chunks = keep ? [] : SCRATCH_ROW;
  }
  /** levelChunks[level][chunk]: bytes of that level for the rows of the chunk. */
  private readonly levelChunks: Float64Array[][] = [];
  readonly levels: string[] = [];

  private level(name: string): number {
    const levels = this.levels;
    for (let i = 0; i < levels.length; i++) if (levels[i] === name) return i;
    levels.push(name);
    this.levelChunks.push([]);
    if (levels.length > this.levelSums.length) {
      const w = new Float64Array(2 * this.levelSums.length);
      w.set(this.levelSums);
      this.levelSums = w;
    }
    return levels.length - 1;
  }

  private setBytes(level: number, row: number, v: number): void {
    if (!this.keep) {
      this.levelSums[level] += v;
      return;
    }
    if (level < INLINE) {
      this.chunks[row >>> SHIFT][(row & MASK) * STRIDE + BYTES0 + level] = v;
      return;
    }
    const cs = this.levelChunks[level],
      c = row >>> SHIFT;
    while (cs.length <= c) cs.push(new Float64Array(CHUNK).fill(NaN));
    cs[c][row & MASK] = v;
  }

  private rawBytes(level: number, row: number): number {
    if (level < INLINE) return this.chunks[row >>> SHIFT][(row & MASK) * STRIDE + BYTES0 + level];
    const ch = this.levelChunks[level][row >>> SHIFT];
    return ch === undefined ? NaN : ch[row & MASK];
  }

  add(layer: number, p: PhaseInput): number {
    const row = this.n++;
    const c = this.keep ? row >>> SHIFT : 0;
    if (c === this.chunks.length) this.chunks.push(new Float64Array(CHUNK * STRIDE));
    const g = this.chunks[c],
      q = this.keep ? (row & MASK) * STRIDE : 0;
    const timeS = p.timeS ?? Math.max(p.computeS, p.memoryS) + p.overheadS;
    const e = p.energy;
    const ec = e.compute ?? 0,
      es = e.sram ?? 0,
      ed = e.dram ?? 0,
      el = e.link ?? 0,
      ectl = e.control ?? 0,
      est = e.static ?? 0;
    if (this.keep) {
      g[q + BYTES0] = NaN;
      g[q + BYTES0 + 1] = NaN;
      g[q + BYTES0 + 2] = NaN;
    }
    let outer = NO_OUTER;
    const bytes = p.bytes;
    for (const k in bytes) {
      const lv = this.level(k);
      this.setBytes(lv, row, bytes[k]);
      if (k === p.outer && lv < NO_OUTER) outer = lv;
    }
    if (p.mapping !== undefined && this.keep) (this.mappings ??= [])[row] = p.mapping;
    if (row === 0) this.peak = p.peakFlops;
    else if (p.peakFlops !== this.peak && !(Number.isNaN(p.peakFlops) && Number.isNaN(this.peak)))
      (this.peaks ??= new Map()).set(row, p.peakFlops);
    const energy = ec + es + ed + el + ectl + est;
    g[q + FLOPS] = p.flops;
    g[q + TIME] = timeS;
    g[q + COMPUTE] = p.computeS;
    g[q + MEMORY] = p.memoryS;
    g[q + OVERHEAD] = p.overheadS;
    g[q + ENERGY] = energy;
    g[q + E_COMPUTE] = ec;
    g[q + E_SRAM] = es;
    g[q + E_DRAM] = ed;
    g[q + E_LINK] = el;
    g[q + E_CONTROL] = ectl;
    g[q + E_STATIC] = est;
    g[q + LM] =
      layer * 1024 +
      (phaseCode(p.phase) |
        (engineCode(p.engine) << 2) |
        (boundCode(p.computeS, p.memoryS, p.overheadS) << 4) |
        (outer << 6));
    if (!this.keep) {
      const m = this.sums,
        x = this.energySums;
      m[0] += timeS;
      m[1] += energy;
      m[2] += p.flops;
      m[3] += p.overheadS;
      m[4 + phaseCode(p.phase)] += timeS;
      x[0] += ec;
      x[1] += es;
      x[2] += ed;
      x[3] += el;
      x[4] += ectl;
      x[5] += est;
    }
    return row;
  }

  /** Offset of a row in its chunk (keep = false: the scratch row, valid for the row just added only). */
  private at(row: number): number {
    return this.keep ? (row & MASK) * STRIDE : 0;
  }
  private get(row: number, col: number): number {
    return this.chunks[this.keep ? row >>> SHIFT : 0][this.at(row) + col];
  }
  private set(row: number, col: number, v: number): void {
    this.chunks[this.keep ? row >>> SHIFT : 0][this.at(row) + col] = v;
  }

  private meta(row: number): number {
    return metaOf(this.get(row, LM));
  }
  layer(row: number): number {
    return Math.floor(this.get(row, LM) / 1024);
  }
  phase(row: number): Phase {
    return PHASES_BY_INDEX[this.meta(row) & 3];
  }
  timeS(row: number): number {
    return this.get(row, TIME);
  }
  energyJ(row: number): number {
    return this.get(row, ENERGY);
  }
  /** The four times of a row (one reused object: read it before the next call). */
  times(row: number): PhaseTimes {
    const t = this.scratchTimes;
    t.timeS = this.get(row, TIME);
    t.computeS = this.get(row, COMPUTE);
    t.memoryS = this.get(row, MEMORY);
    t.overheadS = this.get(row, OVERHEAD);
    return t;
  }
  private readonly scratchTimes: PhaseTimes = { timeS: 0, computeS: 0, memoryS: 0, overheadS: 0 };
  /** Bytes of a level in a row (0 when the phase has no such level). */
  bytes(row: number, level: string): number {
    const i = this.levels.indexOf(level);
    const v = i < 0 ? NaN : this.rawBytes(i, row);
    return Number.isNaN(v) ? 0 : v;
  }
  /** Replace a row's static energy (energyJ is summed again). */
  setStatic(row: number, staticJ: number): void {
    const g = (col: number) => this.get(row, col);
    const oldStatic = g(E_STATIC),
      oldEnergy = g(ENERGY);
    const energy = g(E_COMPUTE) + g(E_SRAM) + g(E_DRAM) + g(E_LINK) + g(E_CONTROL) + staticJ;
    this.set(row, E_STATIC, staticJ);
    this.set(row, ENERGY, energy);
    if (!this.keep) {
      this.energySums[5] += staticJ - oldStatic;
      this.sums[1] += energy - oldEnergy;
    }
  }
  /** Add static energy to a row (e.g. idle power charged to the last phase of an overlapped schedule). */
  addStatic(row: number, extraJ: number): void {
    if (!this.keep) {
      this.energySums[5] += extraJ;
      this.sums[1] += extraJ;
      return;
    }
    this.set(row, E_STATIC, this.get(row, E_STATIC) + extraJ);
    this.set(row, ENERGY, this.get(row, ENERGY) + extraJ);
  }

  /** Totals over all rows; utilization = total flops / (peak * time). `timeS` replaces the sum of phase times. */
  totals(peakFlops: number, batch: number, timeS?: number): Totals {
    if (!this.keep) {
      const m = this.sums,
        x = this.energySums,
        bytes: BytesPerLevel = {};
      for (let i = 0; i < this.levels.length; i++) bytes[this.levels[i]] = this.levelSums[i];
      return makeTotals(
        m[0],
        m[1],
        m[2],
        m[3],
        { compute: x[0], sram: x[1], dram: x[2], link: x[3], control: x[4], static: x[5] },
        bytes,
        { fwd: m[4], bwd_data: m[5], bwd_weight: m[6], update: m[7] },
        peakFlops,
        batch,
        timeS,
      );
    }
    const ph = [0, 0, 0, 0];
    let t = 0,
      energyJ = 0,
      flops = 0,
      ov = 0,
      ec = 0,
      es = 0,
      ed = 0,
      el = 0,
      ectl = 0,
      est = 0;
    for (let r = 0; r < this.n; r++) {
      const g = this.chunks[r >>> SHIFT],
        o = (r & MASK) * STRIDE;
      t += g[o + TIME];
      ph[metaOf(g[o + LM]) & 3] += g[o + TIME];
      energyJ += g[o + ENERGY];
      flops += g[o + FLOPS];
      ov += g[o + OVERHEAD];
      ec += g[o + E_COMPUTE];
      es += g[o + E_SRAM];
      ed += g[o + E_DRAM];
      el += g[o + E_LINK];
      ectl += g[o + E_CONTROL];
      est += g[o + E_STATIC];
    }
    const bytes: BytesPerLevel = {};
    for (let i = 0; i < this.levels.length; i++) {
      let sum = 0,
        seen = false;
      for (let r = 0; r < this.n; r++) {
        const v = this.rawBytes(i, r);
        if (v === v) {
          sum += v;
          seen = true;
        }
      }
      if (seen) bytes[this.levels[i]] = sum;
    }
    return makeTotals(
      t,
      energyJ,
      flops,
      ov,
      { compute: ec, sram: es, dram: ed, link: el, control: ectl, static: est },
      bytes,
      { fwd: ph[0], bwd_data: ph[1], bwd_weight: ph[2], update: ph[3] },
      peakFlops,
      batch,
      timeS,
    );
  }

  /** One row as a PhaseResult object. */
  result(row: number): PhaseResult {
    const g = this.chunks[this.keep ? row >>> SHIFT : 0],
      o = this.at(row),
      m = metaOf(g[o + LM]);
    const bytes: BytesPerLevel = {};
    for (let i = 0; i < this.levels.length; i++) {
      const v = this.rawBytes(i, row);
      if (v === v) bytes[this.levels[i]] = v;
    }
    const outer = m >> 6;
    const ob = outer === NO_OUTER ? NaN : this.rawBytes(outer, row);
    const outerB = ob === ob ? ob : 0;
    const flops = g[o + FLOPS],
      timeS = g[o + TIME],
      peak = this.peaks?.get(row) ?? this.peak;
    const mapping = this.mappingAt(row);
    const r: PhaseResult = {
      phase: PHASES_BY_INDEX[m & 3],
      engine: ENGINES[(m >> 2) & 3],
      flops,
      bytes,
      timeS,
      computeS: g[o + COMPUTE],
      memoryS: g[o + MEMORY],
      overheadS: g[o + OVERHEAD],
      bound: BOUNDS[(m >> 4) & 3],
      bandwidthBps: timeS > 0 ? outerB / timeS : 0,
      utilization: timeS > 0 && peak > 0 ? flops / (peak * timeS) : 0,
      energyJ: g[o + ENERGY],
      energy: {
        compute: g[o + E_COMPUTE],
        sram: g[o + E_SRAM],
        dram: g[o + E_DRAM],
        link: g[o + E_LINK],
        control: g[o + E_CONTROL],
        static: g[o + E_STATIC],
      },
      intensity: outerB > 0 ? flops / outerB : 0, // 0 = no outer-level traffic (kept finite for JSON)
    };
    if (mapping !== undefined) r.mapping = mapping;
    return r;
  }

  /** The rows as columns, ordered as layerResults orders them (keep only). */
  columns(w: Workload): PhaseColumns {
    const nl = w.layers.length,
      n = this.n;
    const count = new Uint8Array(nl),
      at = new Int32Array(nl + 1);
    for (let r = 0; r < n; r++) at[this.layer(r) + 1]++;
    for (let i = 0; i < nl; i++) {
      count[i] = at[i + 1];
      at[i + 1] += at[i];
    }
    // rows by layer (stable), then a layer's rows by phase (stable insertion sort: at most a handful each)
    const order = new Int32Array(n),
      next = at.slice(0, nl);
    for (let r = 0; r < n; r++) order[next[this.layer(r)]++] = r;
    for (let i = 0; i < nl; i++)
      for (let a = at[i] + 1; a < at[i + 1]; a++) {
        const r = order[a],
          k = this.meta(r) & 3;
        let b = a - 1;
        while (b >= at[i] && (this.meta(order[b]) & 3) > k) order[b + 1] = order[b--];
        order[b + 1] = r;
      }
    const f = () => new Float64Array(n);
    const num = {
      flops: f(),
      timeS: f(),
      computeS: f(),
      memoryS: f(),
      overheadS: f(),
      bandwidthBps: f(),
      utilization: f(),
      energyJ: f(),
      intensity: f(),
    };
    const energy = { compute: f(), sram: f(), dram: f(), link: f(), control: f(), static: f() };
    const phase = new Uint8Array(n),
      engine = new Uint8Array(n),
      bound = new Uint8Array(n);
    const levelCols = this.levels.map(() => new Float64Array(n));
    const seen = this.levels.map(() => false);
    const mapping = new Map<number, string>();
    for (let j = 0; j < n; j++) {
      const row = order[j],
        g = this.chunks[row >>> SHIFT],
        o = (row & MASK) * STRIDE,
        m = metaOf(g[o + LM]);
      phase[j] = m & 3;
      engine[j] = (m >> 2) & 3;
      bound[j] = (m >> 4) & 3;
      for (let q = 0; q < levelCols.length; q++) {
        const v = this.rawBytes(q, row);
        levelCols[q][j] = v;
        if (v === v) seen[q] = true;
      }
      // bandwidth, utilization and intensity as result() derives them
      const outer = m >> 6,
        ob = outer === NO_OUTER ? NaN : this.rawBytes(outer, row),
        outerB = ob === ob ? ob : 0;
      const flops = g[o + FLOPS],
        timeS = g[o + TIME],
        peak = this.peaks?.get(row) ?? this.peak;
      num.flops[j] = flops;
      num.timeS[j] = timeS;
      num.computeS[j] = g[o + COMPUTE];
      num.memoryS[j] = g[o + MEMORY];
      num.overheadS[j] = g[o + OVERHEAD];
      num.bandwidthBps[j] = timeS > 0 ? outerB / timeS : 0;
      num.utilization[j] = timeS > 0 && peak > 0 ? flops / (peak * timeS) : 0;
      num.energyJ[j] = g[o + ENERGY];
      num.intensity[j] = outerB > 0 ? flops / outerB : 0;
      energy.compute[j] = g[o + E_COMPUTE];
      energy.sram[j] = g[o + E_SRAM];
      energy.dram[j] = g[o + E_DRAM];
      energy.link[j] = g[o + E_LINK];
      energy.control[j] = g[o + E_CONTROL];
      energy.static[j] = g[o + E_STATIC];
      const mp = this.mappingAt(row);
      if (mp !== undefined) mapping.set(j, mp);
    }
    const bytes: Record<string, Float64Array> = {};
    this.levels.forEach((lv, q) => {
      if (seen[q]) bytes[lv] = levelCols[q];
    });
    const layers = w.layers.map((l) => ({ name: l.name, op: l.op, dims: l.dims }));
    return { layers, count, phase, engine, bound, engines: ENGINES, bounds: BOUNDS, num, energy, bytes, mapping };
  }

  /** Layers in network order, each with its phases in PHASES order (rows of a layer may come in any order). */
  layerResults(w: Workload): LayerResult[] {
    const n = w.layers.length;
    const out: LayerResult[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const lw = w.layers[i];
      out[i] = { name: lw.name, op: lw.op, dims: lw.dims, phases: [] };
    }
    const lastRank = new Int8Array(n).fill(-1);
    let unordered = false;
    for (let r = 0; r < this.n; r++) {
      const li = this.layer(r),
        rank = this.meta(r) & 3;
      if (rank < lastRank[li]) unordered = true;
      lastRank[li] = rank;
      out[li].phases.push(this.result(r));
    }
    // Most targets record a layer's phases in PHASES order already: sort (stable) only when one did not.
    if (unordered) for (const l of out) l.phases.sort((a, b) => PHASE_INDEX[a.phase] - PHASE_INDEX[b.phase]);
    return out;
  }
}

function makeTotals(
  t: number,
  energyJ: number,
  flops: number,
  ov: number,
  energy: EnergyBreakdown,
  bytes: BytesPerLevel,
  phaseS: Record<Phase, number>,
  peakFlops: number,
  batch: number,
  timeS?: number,
): Totals {
  const T = timeS ?? t;
  return {
    timeS: T,
    phaseS,
    energyJ,
    flops,
    bytes,
    offloadOverheadS: ov,
    utilization: T > 0 && peakFlops > 0 ? flops / (peakFlops * T) : 0,
    flopsPerJoule: energyJ > 0 ? flops / energyJ : 0,
    samplesPerS: T > 0 ? batch / T : 0,
    energy,
  };
}

/** What a target model writes while it runs: the phase rows and the timeline. */
export class Recorder {
  readonly rows: PhaseTable;
  readonly tl: TimelineBuilder;

  constructor(
    readonly w: Workload,
    readonly ctx: SimContext,
  ) {
    // Rows are kept when someone may read them: per-layer results or the timeline (placed from the rows).
    this.rows = new PhaseTable(ctx.layers || ctx.timeline);
    this.tl = new TimelineBuilder(ctx.timeline, 20_000, (i) => w.layers[i]?.name ?? '');
  }

  /** Record a phase of layer `layer`; returns its row. */
  add(layer: number, p: PhaseInput): number {
    return this.rows.add(layer, p);
  }

  /** Record a phase and place it on the timeline at the cursor. */
  addPlaced(layer: number, p: PhaseInput, lanes: PhaseLanes, computeKind?: string): number {
    const row = this.rows.add(layer, p);
    this.place(row, lanes, computeKind);
    return row;
  }

  /** Place a recorded row on the timeline at the cursor (see TimelineBuilder.place). */
  place(row: number, lanes: PhaseLanes, computeKind?: string): void {
    if (!this.tl.enabled) {
      this.tl.cursor += this.rows.timeS(row);
      return;
    }
    this.tl.place(this.rows.layer(row), this.rows.phase(row), this.rows.times(row), lanes, computeKind);
  }

  /**
   * The TargetResult: head fields, totals and notes as given; `layers` and `timeline` built from the rows on first
   * read (empty when the context did not ask for them).
   */
  result(
    head: { name: string; kind: TargetModel['kind']; peak: TargetResult['peak'] },
    totals: Totals,
    drafts: FindingDraft[],
    targetNotes: string[] = [],
  ): TargetResult {
    const rows = this.rows,
      w = this.w,
      tl = this.tl,
      keepLayers = this.ctx.layers;
    const findings: Finding[] = drafts.map((f) => ({ ...f, target: head.name }));
    const notes = [...findings.map((f) => f.message), ...targetNotes];
    if (!keepLayers && !tl.enabled) {
      // totals only (sweeps): plain empty arrays, no accessors to define on every one of many results
      return { name: head.name, kind: head.kind, peak: head.peak, totals, layers: [], timeline: [], findings, notes };
    }
    const r = { name: head.name, kind: head.kind, peak: head.peak, totals } as TargetResult;
    let built: LayerResult[] | undefined;
    lazy(r, 'layers', () => (built = keepLayers ? rows.layerResults(w) : []));
    let cols: PhaseColumns | undefined;
    // built once: the inlay hints and the wire encoder read the same columns
    if (keepLayers) COLUMNS.set(r, { columns: () => (cols ??= rows.columns(w)), built: () => built });
    lazy(r, 'timeline', (): TimelineEvent[] => tl.events);
    r.findings = findings;
    r.notes = notes;
    return r;
  }
}

/** An enumerable property computed on first read and then kept; assigning it replaces it with a plain value. */
function lazy<T extends object, K extends keyof T>(obj: T, key: K, make: () => T[K]): void {
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get(this: T) {
      const v = make();
      Object.defineProperty(this, key, { value: v, enumerable: true, configurable: true, writable: true });
      return v;
    },
    set(this: T, v: T[K]) {
      Object.defineProperty(this, key, { value: v, enumerable: true, configurable: true, writable: true });
    },
  });
}
