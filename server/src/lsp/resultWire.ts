// The wire form of a SimulationResult in accelmap/simulationResult: columns instead of objects. A result's bulk is
// its per-layer phases and its timeline events, hundreds of thousands of small objects whose keys JSON repeats for
// every one; here each field is one typed array sent as base64, the layer table (names, ops, dims) is shared by all
// targets, and strings are dictionary-coded. Columns of 1 KB or more are deflated (zlib, level 1) before base64: they
// repeat values (zeros, the same op's figures), so a 10,000-layer result on six targets shrinks from ~57 MB to ~3.5 MB
// for ~0.1 s of encoding (bench/protocol.bench.ts). decodeResult rebuilds the same SimulationResult (same values, NaN
// and all; checked by test/unit/lsp/result-wire.test.ts) from either version. Node's Buffer and zlib: the client
// (extension host) decodes it too.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PHASES, type LayerResult, type SimulationResult, type TargetResult, type TimelineEvent } from '../sim/types';
import { phaseColumnsOf, type PhaseColumns } from '../sim/record';
import {
  deflatedColumn,
  BOUNDS,
  ENERGY,
  NUM,
  PHASE_CODES,
  WIRE_VERSION,
  decodeWire,
  type B64,
  type WirePhases,
  type WireResult,
  type WireTarget,
  type WireTimeline,
} from './wireDecode';

export { WIRE_VERSION, isWireResult, wireColumns, type WireResult } from './wireDecode';

/**
 * A column in base64: deflated (prefix `~`, not a base64 character) when it is large enough for that to pay, raw
 * otherwise. zlib with a 4 KB window and memLevel 4: each call's set-up is half the default's (~26 us against ~59 us
 * for a 4 KB column here), and the columns' repeats are short-range.
 */
const DEFLATE_MIN = 1024;
const b64 = (a: ArrayBufferView): B64 => {
  const raw = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return raw.length < DEFLATE_MIN
    ? raw.toString('base64')
    : `~${raw.length}:` + deflateRawSync(raw, { level: 1, memLevel: 4, windowBits: 12 }).toString('base64');
};
function dict(): { ids: Map<string, number>; list: string[]; id(s: string): number } {
  const ids = new Map<string, number>(),
    list: string[] = [];
  return {
    ids,
    list,
    id(s: string) {
      let i = ids.get(s);
      if (i === undefined) {
        i = list.length;
        list.push(s);
        ids.set(s, i);
      }
      return i;
    },
  };
}

/** The layer table of a result: from the first target with per-layer rows (its columns when it has them). */
function layerTable(r: SimulationResult): readonly Pick<LayerResult, 'name' | 'op' | 'dims'>[] {
  for (const t of r.targets) {
    const c = phaseColumnsOf(t);
    if (c) return c.layers;
    if (t.layers.length) return t.layers;
  }
  return [];
}

export function encodeResult(r: SimulationResult): WireResult {
  const ref = layerTable(r);
  const layerIndex = new Map(ref.map((l, i) => [l.name, i]));
  return wireOf(
    r,
    ref,
    r.targets.map((t) => targetOf(t, ref, layerIndex)),
  );
}

/**
 * encodeResult a target at a time, yielding to the event loop between targets (a few ms each for ResNet-50), so a
 * request that arrives meanwhile — the editor asking for the hints the run just refreshed — is answered first.
 */
export async function encodeResultAsync(r: SimulationResult): Promise<WireResult> {
  const ref = layerTable(r);
  const layerIndex = new Map(ref.map((l, i) => [l.name, i]));
  const targets: WireTarget[] = [];
  for (const t of r.targets) {
    await new Promise((res) => setImmediate(res));
    targets.push(targetOf(t, ref, layerIndex));
  }
  return wireOf(r, ref, targets);
}

type LayerRow = Pick<LayerResult, 'name' | 'op' | 'dims'>;

function targetOf(t: TargetResult, ref: readonly LayerRow[], layerIndex: Map<string, number>): WireTarget {
  // a recorded result's rows are read as columns: building its PhaseResult objects first cost ~0.2 s per target of a
  // 10,000-layer network
  const c = phaseColumnsOf(t);
  const { timeline, ...head } = withoutLayers(t);
  const phases = c ? phasesOfColumns(c, ref) : t.layers.length ? phasesOf(t.layers, ref) : null;
  return { ...head, phases, timeline: timelineOf(timeline, layerIndex) };
}

/** The result's own fields but `layers` (without reading it: that would build the per-layer objects). */
function withoutLayers(t: TargetResult): Omit<TargetResult, 'layers'> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(t)) if (k !== 'layers') out[k] = (t as unknown as Record<string, unknown>)[k];
  return out as Omit<TargetResult, 'layers'>;
}

const sameLayers = (a: readonly LayerRow[], ref: readonly LayerRow[]): boolean =>
  a === ref || (a.length === ref.length && a.every((l, i) => l.name === ref[i].name));

const wireOf = (r: SimulationResult, ref: readonly LayerRow[], targets: WireTarget[]): WireResult => ({
  ...r,
  wire: WIRE_VERSION,
  layers: { name: ref.map((l) => l.name), op: ref.map((l) => l.op), dims: ref.map((l) => l.dims) },
  targets,
});

function phasesOfColumns(c: PhaseColumns, ref: readonly LayerRow[]): WirePhases {
  if (!sameLayers(c.layers, ref)) throw new Error('targets list different layers');
  const n = c.phase.length;
  const num: Record<string, B64> = {};
  for (const k of NUM) num[k] = b64(c.num[k]);
  for (const k of ENERGY) num[`energy.${k}`] = b64(c.energy[k]);
  for (const [lv, a] of Object.entries(c.bytes)) num[`bytes.${lv}`] = b64(a);
  // codes are indices in the recorder's lists; the wire's are indices in its own (equal for bounds and phases)
  const bound = new Uint8Array(n);
  for (let j = 0; j < n; j++) bound[j] = BOUNDS.indexOf(c.bounds[c.bound[j]]);
  const phase = new Uint8Array(n);
  for (let j = 0; j < n; j++) phase[j] = PHASE_CODES.indexOf(PHASES[c.phase[j]]);
  let mapping: Uint32Array | undefined;
  const mappings = dict();
  if (c.mapping.size) {
    mapping = new Uint32Array(n);
    for (const [j, m] of c.mapping) mapping[j] = 1 + mappings.id(m);
  }
  return {
    count: b64(c.count),
    phase: b64(phase),
    engine: b64(c.engine),
    bound: b64(bound),
    engines: [...c.engines],
    num,
    levels: Object.keys(c.bytes),
    ...(mapping ? { mapping: b64(mapping), mappings: mappings.list } : {}),
  };
}

function phasesOf(layers: LayerResult[], ref: readonly LayerRow[]): WirePhases {
  if (!sameLayers(layers, ref)) throw new Error('targets list different layers');
  const n = layers.reduce((a, l) => a + l.phases.length, 0);
  const count = new Uint8Array(layers.length),
    phase = new Uint8Array(n),
    engine = new Uint8Array(n),
    bound = new Uint8Array(n);
  const engines = dict(),
    mappings = dict();
  const mapping = new Uint32Array(n);
  const levels = [...new Set(layers.flatMap((l) => l.phases.flatMap((p) => Object.keys(p.bytes))))];
  const cols: Record<string, Float64Array> = {};
  for (const k of NUM) cols[k] = new Float64Array(n);
  for (const k of ENERGY) cols[`energy.${k}`] = new Float64Array(n);
  for (const lv of levels) cols[`bytes.${lv}`] = new Float64Array(n).fill(NaN);
  let j = 0;
  layers.forEach((l, i) => {
    count[i] = l.phases.length;
    for (const p of l.phases) {
      phase[j] = PHASE_CODES.indexOf(p.phase);
      engine[j] = engines.id(p.engine);
      bound[j] = BOUNDS.indexOf(p.bound);
      for (const k of NUM) cols[k][j] = p[k];
      for (const k of ENERGY) cols[`energy.${k}`][j] = p.energy[k];
      for (const [lv, v] of Object.entries(p.bytes)) cols[`bytes.${lv}`][j] = v;
      if (p.mapping !== undefined) mapping[j] = 1 + mappings.id(p.mapping);
      j++;
    }
  });
  const num: Record<string, B64> = {};
  for (const [k, a] of Object.entries(cols)) num[k] = b64(a);
  return {
    count: b64(count),
    phase: b64(phase),
    engine: b64(engine),
    bound: b64(bound),
    engines: engines.list,
    num,
    levels,
    ...(mappings.list.length ? { mapping: b64(mapping), mappings: mappings.list } : {}),
  };
}

function timelineOf(ev: TimelineEvent[], layerIndex: Map<string, number>): WireTimeline {
  const lanes = dict(),
    kinds = dict(),
    extra = dict();
  const n = ev.length;
  const lane = new Uint16Array(n),
    layer = new Int32Array(n),
    phase = new Uint8Array(n),
    kind = new Uint16Array(n);
  const start = new Float64Array(n),
    end = new Float64Array(n);
  ev.forEach((e, i) => {
    lane[i] = lanes.id(e.lane);
    const li = layerIndex.get(e.layer);
    layer[i] = li ?? -1 - extra.id(e.layer);
    phase[i] = PHASE_CODES.indexOf(e.phase);
    kind[i] = kinds.id(e.kind);
    start[i] = e.startS;
    end[i] = e.endS;
  });
  return {
    lanes: lanes.list,
    kinds: kinds.list,
    lane: b64(lane),
    layer: b64(layer),
    phase: b64(phase),
    kind: b64(kind),
    start: b64(start),
    end: b64(end),
    extraLayers: extra.list,
  };
}

/** A column's bytes on Node (deflated when it starts with `~`). */
const bytes = (s: B64): ArrayBuffer => {
  const d = deflatedColumn(s);
  const b = d ? inflateRawSync(Buffer.from(d.b64, 'base64'), { windowBits: 12 }) : Buffer.from(s, 'base64');
  const out = new Uint8Array(b.length);
  out.set(b);
  return out.buffer;
};

/** The SimulationResult of a payload (either version). */
export const decodeResult = (w: WireResult): SimulationResult => decodeWire(w, bytes);
