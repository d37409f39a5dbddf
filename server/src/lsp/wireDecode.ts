// Decoding the wire form of a SimulationResult (server/src/lsp/resultWire.ts encodes it). Pure: a column's bytes come
// from the `column` function the caller passes (Node's Buffer and zlib on the extension host, atob and
// DecompressionStream in the dashboard's webview), so both sides rebuild the same objects from the same payload.
import type {
  Bound,
  Dims,
  Engine,
  EnergyBreakdown,
  LayerResult,
  Phase,
  PhaseResult,
  SimulationResult,
  TargetResult,
  TimelineEvent,
} from '../sim/types';

/**
 * 1: raw little-endian columns in base64; 2: the large ones deflated (`~` + base64); 3: a deflated column says its
 * inflated size (`~<bytes>:` + base64) so a decoder allocates it once. Every version decodes.
 */
export const WIRE_VERSION = 3;

/** A deflated column's base64 and, from version 3, its inflated size; undefined for a raw column. */
export function deflatedColumn(s: B64): { b64: string; size?: number } | undefined {
  if (s.charCodeAt(0) !== 126) return undefined;
  const colon = s.indexOf(':', 1);
  // base64 has no ':', so `~<digits>:` can only be the size
  if (colon > 1 && colon < 20 && /^\d+$/.test(s.slice(1, colon)))
    return { b64: s.slice(colon + 1), size: Number(s.slice(1, colon)) };
  return { b64: s.slice(1) };
}

export type B64 = string;
export interface WirePhases {
  /** Phases per layer (Uint8). */
  count: B64;
  phase: B64;
  engine: B64;
  bound: B64; // Uint8 codes
  engines: string[];
  /** Float64 columns by field name (energy.* and bytes.<level> included; NaN = the key was absent). */
  num: Record<string, B64>;
  levels: string[];
  /**
   * PhaseResult.mapping, dictionary-coded (Uint32: 0 = none, else 1 + index in `mappings`); absent when no phase has
   * one.
   */
  mapping?: B64;
  mappings?: string[];
}
export interface WireTimeline {
  lanes: string[];
  kinds: string[];
  lane: B64;
  layer: B64;
  phase: B64;
  kind: B64;
  start: B64;
  end: B64;
  extraLayers: string[];
}
export interface WireTarget extends Omit<TargetResult, 'layers' | 'timeline'> {
  phases: WirePhases | null;
  timeline: WireTimeline;
}
export interface WireResult extends Omit<SimulationResult, 'targets'> {
  wire: number;
  layers: { name: string[]; op: string[]; dims: Dims[] };
  targets: WireTarget[];
}

export const PHASE_CODES: readonly Phase[] = ['fwd', 'bwd_data', 'bwd_weight', 'update'];
export const BOUNDS: readonly Bound[] = ['compute', 'memory', 'overhead'];
export const NUM = [
  'flops',
  'timeS',
  'computeS',
  'memoryS',
  'overheadS',
  'bandwidthBps',
  'utilization',
  'energyJ',
  'intensity',
] as const;
export const ENERGY: readonly (keyof EnergyBreakdown)[] = ['compute', 'sram', 'dram', 'link', 'control', 'static'];

/** The bytes of a column, in a fresh (aligned) ArrayBuffer. */
export type ColumnReader = (s: B64) => ArrayBuffer;

/** Every column string of a payload (to inflate them ahead, e.g. asynchronously in a browser). */
export function wireColumns(w: WireResult): B64[] {
  const out: B64[] = [];
  for (const t of w.targets) {
    if (t.phases) {
      const p = t.phases;
      out.push(p.count, p.phase, p.engine, p.bound, ...Object.values(p.num), ...(p.mapping ? [p.mapping] : []));
    }
    const e = t.timeline;
    out.push(e.lane, e.layer, e.phase, e.kind, e.start, e.end);
  }
  return out;
}

/** Whether a notification's payload is the wire form (else it is a plain SimulationResult, as older servers sent). */
export const isWireResult = (x: unknown): x is WireResult =>
  typeof x === 'object' && x !== null && typeof (x as WireResult).wire === 'number';

export function decodeWire(w: WireResult, bytes: ColumnReader): SimulationResult {
  const { wire: _version, layers: table, targets, ...head } = w;
  void _version; // every version decodes alike: a column says itself whether it is deflated
  return {
    ...head,
    targets: targets.map((t): TargetResult => {
      const { phases, timeline, ...rest } = t;
      const out = { ...rest } as TargetResult;
      // built on first read (the summary of a 10,000-layer result needs neither), then plain data properties
      lazy(out, 'layers', () => (phases ? layersOf(phases, table, bytes) : []));
      lazy(out, 'timeline', () => eventsOf(timeline, table.name, bytes));
      return out;
    }),
  } as SimulationResult;
}

/** An enumerable property computed on first read (JSON, spreads and structured clones see its value). */
function lazy<T extends object, K extends keyof T>(o: T, k: K, make: () => T[K]): void {
  const set = (v: T[K]) =>
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(o, k, {
    enumerable: true,
    configurable: true,
    get: () => {
      const v = make();
      set(v);
      return v;
    },
    set,
  });
}

function layersOf(p: WirePhases, table: WireResult['layers'], bytes: ColumnReader): LayerResult[] {
  const count = new Uint8Array(bytes(p.count)),
    phase = new Uint8Array(bytes(p.phase)),
    engine = new Uint8Array(bytes(p.engine)),
    bound = new Uint8Array(bytes(p.bound));
  const cols: Record<string, Float64Array> = {};
  for (const [k, s] of Object.entries(p.num)) cols[k] = new Float64Array(bytes(s));
  const mapping = p.mapping && p.mappings ? new Uint32Array(bytes(p.mapping)) : undefined;
  const out: LayerResult[] = [];
  // the columns looked up once (not by name per phase: 240,000 phases for a 10,000-layer network on six targets)
  const levels = p.levels,
    byLevel = levels.map((lv) => cols[`bytes.${lv}`]);
  const [ec, es, ed, el, ectl, est] = ENERGY.map((key) => cols[`energy.${key}`]);
  const { flops, timeS, computeS, memoryS, overheadS, bandwidthBps, utilization, energyJ, intensity } = cols;
  let j = 0;
  for (let i = 0; i < table.name.length; i++) {
    const phases: PhaseResult[] = [];
    for (let k = 0; k < count[i]; k++, j++) {
      const b: Record<string, number> = {};
      for (let q = 0; q < levels.length; q++) {
        const v = byLevel[q][j];
        if (v === v) b[levels[q]] = v;
      }
      const e: EnergyBreakdown = {
        compute: ec[j],
        sram: es[j],
        dram: ed[j],
        link: el[j],
        control: ectl[j],
        static: est[j],
      };
      const r: PhaseResult = {
        phase: PHASE_CODES[phase[j]],
        engine: p.engines[engine[j]] as Engine,
        flops: flops[j],
        bytes: b,
        timeS: timeS[j],
        computeS: computeS[j],
        memoryS: memoryS[j],
        overheadS: overheadS[j],
        bound: BOUNDS[bound[j]],
        bandwidthBps: bandwidthBps[j],
        utilization: utilization[j],
        energyJ: energyJ[j],
        energy: e,
        intensity: intensity[j],
      };
      if (mapping?.[j]) r.mapping = p.mappings![mapping[j] - 1];
      phases.push(r);
    }
    out.push({ name: table.name[i], op: table.op[i], dims: table.dims[i], phases });
  }
  return out;
}

function eventsOf(t: WireTimeline, names: string[], bytes: ColumnReader): TimelineEvent[] {
  const lane = new Uint16Array(bytes(t.lane)),
    layer = new Int32Array(bytes(t.layer)),
    phase = new Uint8Array(bytes(t.phase)),
    kind = new Uint16Array(bytes(t.kind));
  const start = new Float64Array(bytes(t.start)),
    end = new Float64Array(bytes(t.end));
  const out: TimelineEvent[] = new Array(lane.length);
  for (let i = 0; i < lane.length; i++) {
    const li = layer[i];
    out[i] = {
      lane: t.lanes[lane[i]],
      layer: li >= 0 ? names[li] : t.extraLayers[-1 - li],
      phase: PHASE_CODES[phase[i]],
      kind: t.kinds[kind[i]],
      startS: start[i],
      endS: end[i],
    };
  }
  return out;
}
