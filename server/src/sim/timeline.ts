// The timeline of one target run, stored in columns (typed arrays, interned lane and kind names) and turned into
// TimelineEvent objects only when someone reads them. A 10,000-layer network on six targets records ~120,000
// events; as objects they were a third of the simulator's time (allocation and GC), as columns they cost little.
import type { Phase, TimelineEvent } from './types';

const PHASE_OF: readonly Phase[] = ['fwd', 'bwd_data', 'bwd_weight', 'update'];
export const PHASE_INDEX: Readonly<Record<Phase, number>> = { fwd: 0, bwd_data: 1, bwd_weight: 2, update: 3 };

const EMPTY_F64 = new Float64Array(0),
  EMPTY_I32 = new Int32Array(0),
  EMPTY_U16 = new Uint16Array(0),
  EMPTY_U8 = new Uint8Array(0);

/** Lanes of one phase placed at the cursor (TimelineBuilder.place). */
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

/** The four times of a phase that placing it needs. */
export interface PhaseTimes {
  timeS: number;
  computeS: number;
  memoryS: number;
  overheadS: number;
}

/**
 * Lays phases end to end on a critical-path cursor. For each phase: the exposed overhead first (kind 'config' on
 * the config lane), then compute and DMA side by side (overlapped; double buffering), with a 'stall' on the
 * compute lane when the DMA takes longer. Disabled builders record nothing (sweeps) but still move the cursor.
 * Past `maxEvents` (default 20,000: more than a chart can show), an event extends the last event of the same lane
 * and phase instead: its `layer` then names the first layer of the run followed by ' …', and its `kind` becomes
 * 'mixed' when compute, stall, dma or config runs were folded together. The timeline then stays bounded (at most
 * maxEvents + lanes x phases events) for networks of any depth. Past the cap an event spans its whole run, gaps
 * included (and, in a backward pass that alternates bwd_data and bwd_weight, the two runs of a lane overlap): it
 * summarises where the lane was busy rather than each layer.
 * Layers are given by index; `layerName` turns an index into the name events carry.
 */
export class TimelineBuilder {
  cursor = 0;
  private n = 0;
  private cap = 0;
  private start = EMPTY_F64;
  private end = EMPTY_F64;
  private layer = EMPTY_I32;
  /** phase (2 bits) | lane id << 2 ; kind id in its own column; merged runs flagged. */
  private lanePhase = EMPTY_U16;
  private kind = EMPTY_U8;
  private merged = EMPTY_U8;
  private readonly lanes: string[] = [];
  private readonly kinds: string[] = [];
  // Created only by an enabled builder (a sweep makes ~100,000 disabled ones).
  private readonly laneId!: Map<string, number>;
  private readonly kindId!: Map<string, number>;
  private readonly lastRun!: Map<number, number>;
  /** Lane ids of each PhaseLanes object place() saw: [compute, dma, config, config kind] (-1 = none). */
  private readonly laneIdsOf!: WeakMap<PhaseLanes, Int32Array>;
  private cached: TimelineEvent[] | undefined;
  private readonly kindStall: number = -1;
  private readonly kindDma: number = -1;
  private readonly kindCompute: number = -1;
  private readonly kindUpdate: number = -1;

  constructor(
    readonly enabled = true,
    readonly maxEvents = 20_000,
    private readonly layerName: (i: number) => string = String,
  ) {
    if (!enabled) return; // a disabled builder (sweeps) only moves the cursor
    this.laneId = new Map();
    this.kindId = new Map();
    this.lastRun = new Map();
    this.laneIdsOf = new WeakMap();
    this.kindCompute = this.kindOf('compute');
    this.kindUpdate = this.kindOf('update');
    this.kindStall = this.kindOf('stall');
    this.kindDma = this.kindOf('dma');
  }

  private kindOf(kind: string): number {
    return this.intern(this.kinds, this.kindId, kind);
  }
  private laneOf(lane: string): number {
    return this.intern(this.lanes, this.laneId, lane);
  }

  private intern(names: string[], ids: Map<string, number>, s: string): number {
    let id = ids.get(s);
    if (id === undefined) {
      id = names.length;
      names.push(s);
      ids.set(s, id);
    }
    return id;
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const f = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.start = f(this.start);
    this.end = f(this.end);
    const l = new Int32Array(cap);
    l.set(this.layer);
    this.layer = l;
    const lp = new Uint16Array(cap);
    lp.set(this.lanePhase);
    this.lanePhase = lp;
    const k = new Uint8Array(cap);
    k.set(this.kind);
    this.kind = k;
    const m = new Uint8Array(cap);
    m.set(this.merged);
    this.merged = m;
    this.cap = cap;
  }

  add(lane: string, layer: number, phase: Phase, kind: string, startS: number, endS: number): void {
    if (!this.enabled || !(endS > startS)) return;
    this.addIds(this.laneOf(lane), layer, PHASE_INDEX[phase], this.kindOf(kind), startS, endS);
  }

  private addIds(lane: number, layer: number, phase: number, k: number, startS: number, endS: number): void {
    if (!(endS > startS)) return;
    this.cached = undefined;
    const lp = (lane << 2) | phase;
    if (this.n >= this.maxEvents) {
      // past the cap only (the common path stays a plain append): runs are tracked per lane and phase
      const last = this.lastRun.get(lp);
      if (last !== undefined && startS >= this.start[last]) {
        this.merged[last] = 1;
        if (this.kind[last] !== k) this.kind[last] = this.kindOf('mixed');
        if (endS > this.end[last]) this.end[last] = endS;
        return;
      }
      this.lastRun.set(lp, this.n);
    }
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.start[i] = startS;
    this.end[i] = endS;
    this.layer[i] = layer;
    this.lanePhase[i] = lp;
    this.kind[i] = k;
    this.merged[i] = 0;
  }

  /** Place a phase at the cursor and advance the cursor by its time. */
  place(layer: number, phase: Phase, r: PhaseTimes, lanes: PhaseLanes, computeKind?: string): void {
    const t0 = this.cursor;
    if (this.enabled) {
      let ids = this.laneIdsOf.get(lanes);
      if (!ids) {
        ids = Int32Array.of(
          this.laneOf(lanes.compute),
          lanes.dma ? this.laneOf(lanes.dma) : -1,
          lanes.config ? this.laneOf(lanes.config) : -1,
          this.kindOf(lanes.configKind ?? 'config'),
        );
        this.laneIdsOf.set(lanes, ids);
      }
      const ph = PHASE_INDEX[phase];
      const ck =
        computeKind !== undefined ? this.kindOf(computeKind) : phase === 'update' ? this.kindUpdate : this.kindCompute;
      const ov = r.overheadS;
      if (ids[2] >= 0 && ov > 0) this.addIds(ids[2], layer, ph, ids[3], t0, t0 + ov);
      const s = t0 + ov;
      const body = Math.max(0, r.timeS - ov);
      const comp = Math.min(r.computeS, body);
      this.addIds(ids[0], layer, ph, ck, s, s + comp);
      if (ids[1] >= 0) this.addIds(ids[1], layer, ph, this.kindDma, s, s + Math.min(r.memoryS, body));
      if (body > comp) this.addIds(ids[0], layer, ph, this.kindStall, s + comp, s + body);
    }
    this.cursor = t0 + r.timeS;
  }

  /** The events as objects (built on first use, then kept). */
  get events(): TimelineEvent[] {
    if (this.cached) return this.cached;
    const out: TimelineEvent[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const lp = this.lanePhase[i];
      const name = this.layerName(this.layer[i]);
      out[i] = {
        lane: this.lanes[lp >> 2],
        layer: this.merged[i] ? name + ' …' : name,
        phase: PHASE_OF[lp & 3],
        kind: this.kinds[this.kind[i]],
        startS: this.start[i],
        endS: this.end[i],
      };
    }
    return (this.cached = out);
  }
}
