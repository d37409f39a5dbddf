// Tiny builders of NetworkModel / TargetModel objects for simulator tests (independent of the spec core).
// Shapes exclude the batch; params and macs are computed here with the textbook formulas.
import type {
  LayerModel,
  LayerType,
  LayerAttrs,
  NetworkModel,
  Precision,
  Shape,
  TargetKind,
  TargetModel,
  ParamValue,
} from '../../../server/src/spec/types';
import { KINDS } from '../../../server/src/kinds/params';

const R0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const ranges = () => ({ node: R0, name: R0, type: R0, keys: {}, inputEntries: [] });

export interface LayerSpec {
  type: LayerType;
  name?: string;
  attrs?: LayerAttrs;
  inputs?: (string | number)[];
  outShape?: Shape;
}

export interface NetOptions {
  name?: string;
  batch?: number;
  precision?: Precision;
  masterWeights?: Precision | null;
  optimizer?: NetworkModel['optimizer']['type'];
  weightDecay?: number;
}

function prod(s: Shape): number {
  return s.reduce((a, b) => a * b, 1);
}

/** Build a network, inferring shapes/params/macs for conv2d, linear, pools, element-wise, flatten, lstm, embedding. */
export function net(inputShape: Shape, specs: LayerSpec[], o: NetOptions = {}): NetworkModel {
  const batch = o.batch ?? 1;
  const layers: LayerModel[] = [];
  const byName = new Map<string, number>();
  specs.forEach((s, i) => {
    const name = s.name ?? `${s.type}${i}`;
    const inputs = (s.inputs ?? [i - 1]).map((x) => (typeof x === 'number' ? x : x === 'input' ? -1 : byName.get(x)!));
    const inShapes = inputs.map((j) => (j < 0 ? inputShape : layers[j].outShape));
    const x = inShapes[0];
    const a = { ...(s.attrs ?? {}) };
    let out: Shape = x,
      params = 0,
      macs = 0;
    switch (s.type) {
      case 'conv2d': {
        const K = a.outChannels!,
          [R, S] = a.kernel ?? [1, 1],
          [sh, sw] = a.stride ?? [1, 1],
          [ph, pw] = a.padding ?? [0, 0];
        const G = a.groups ?? 1;
        a.kernel = [R, S];
        a.stride = [sh, sw];
        a.padding = [ph, pw];
        a.groups = G;
        a.bias = a.bias ?? false;
        const P = Math.floor((x[1] + 2 * ph - R) / sh) + 1,
          Q = Math.floor((x[2] + 2 * pw - S) / sw) + 1;
        out = [K, P, Q];
        params = K * (x[0] / G) * R * S + (a.bias ? K : 0);
        macs = batch * K * (x[0] / G) * R * S * P * Q;
        break;
      }
      case 'linear': {
        const F = x[x.length - 1],
          O = a.outFeatures!;
        a.bias = a.bias ?? true;
        out = [...x.slice(0, -1), O];
        params = F * O + (a.bias ? O : 0);
        macs = batch * prod(x.slice(0, -1)) * F * O;
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        const [R, S] = a.kernel ?? [2, 2],
          [sh, sw] = a.stride ?? [R, S],
          [ph, pw] = a.padding ?? [0, 0];
        a.kernel = [R, S];
        a.stride = [sh, sw];
        a.padding = [ph, pw];
        out = [x[0], Math.floor((x[1] + 2 * ph - R) / sh) + 1, Math.floor((x[2] + 2 * pw - S) / sw) + 1];
        break;
      }
      case 'global_avgpool':
      case 'global_maxpool':
        out = [x[0], 1, 1];
        break;
      case 'batchnorm':
        params = 2 * x[0];
        break;
      case 'layernorm':
        params = 2 * x[x.length - 1];
        break;
      case 'flatten':
        out = [prod(x)];
        break;
      case 'embedding':
        out = [...x, a.embeddingDim!];
        params = a.numEmbeddings! * a.embeddingDim!;
        break;
      case 'lstm':
      case 'gru': {
        const H = a.hiddenSize!,
          g = s.type === 'gru' ? 3 : 4,
          L = a.numLayers ?? 1,
          d = a.bidirectional ? 2 : 1;
        for (let l = 0; l < L; l++) params += d * g * (H * ((l === 0 ? x[1] : H * d) + H) + 2 * H);
        macs = batch * x[0] * d * g * H * (x[1] + H);
        out = [x[0], H * d];
        break;
      }
      default:
        out = s.outShape ?? x;
    }
    if (s.outShape) out = s.outShape;
    byName.set(name, i);
    layers.push({
      index: i,
      name,
      type: s.type,
      attrs: a,
      inputs,
      inShapes,
      outShape: out,
      params,
      macs,
      ranges: ranges(),
    });
  });
  const precision = o.precision ?? 'fp32';
  return {
    kind: 'network',
    name: o.name ?? 'test',
    batch,
    precision,
    masterWeights: o.masterWeights !== undefined ? o.masterWeights : precision === 'fp32' ? null : 'fp32',
    gradientPrecision: precision,
    optimizer: {
      type: o.optimizer ?? 'sgd',
      lr: 0.01,
      momentum: 0.9,
      weightDecay: o.weightDecay ?? 0,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
    },
    inputShape,
    targets: [],
    hardwareFiles: [],
    layers,
    ranges: { root: R0, keys: {}, targetEntries: [] },
  };
}

/** An MLP: sizes [in, h1, ..., out] as linear layers with ReLU between (no ReLU after the last). */
export function mlp(sizes: number[], o: NetOptions = {}): NetworkModel {
  const specs: LayerSpec[] = [];
  for (let i = 1; i < sizes.length; i++) {
    specs.push({ type: 'linear', name: `fc${i}`, attrs: { outFeatures: sizes[i] } });
    if (i < sizes.length - 1) specs.push({ type: 'relu', name: `relu${i}` });
  }
  return net([sizes[0]], specs, { name: `mlp-${sizes.join('-')}`, ...o });
}

/** A target from a built-in preset (values parsed from their unit strings by `parseValue`) plus overrides in SI. */
export function target(
  kind: TargetKind,
  preset?: string,
  overrides: Record<string, ParamValue> = {},
  name?: string,
): TargetModel {
  const ks = KINDS.find((k) => k.kind === kind)!;
  const ps = preset ? ks.presets.find((p) => p.name === preset) : ks.presets[0];
  if (preset && !ps) throw new Error(`no preset ${preset}`);
  const params: Record<string, ParamValue> = {};
  for (const p of ks.params) params[p.path] = p.default;
  for (const [k, v] of Object.entries(ps?.values ?? {})) params[k] = parseValue(v.value);
  Object.assign(params, overrides);
  return {
    name: name ?? ps?.name ?? kind,
    kind,
    description: '',
    extendsChain: ps ? [ps.name] : [],
    params,
    provenance: {},
    notes: ps?.notes ?? [],
  };
}

const PREFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  m: 1e-3,
  u: 1e-6,
  µ: 1e-6,
  n: 1e-9,
  p: 1e-12,
  f: 1e-15,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Minimal unit parser for preset strings in tests ('1.25 GHz', '320 GB/s', '8.4 pJ', '3.7 pJ/bit', '64 KiB'). */
export function parseValue(v: ParamValue): ParamValue {
  if (typeof v !== 'string') return v;
  const m = /^\s*([-+]?[0-9.]+(?:e[-+]?\d+)?)\s*(Ki|Mi|Gi|Ti|[kKMGTPmunpfµ]?)(.*)$/.exec(v);
  if (!m || (m[3].trim() === '' && m[2] === '')) return Number.isFinite(Number(v)) ? Number(v) : v;
  let x = Number(m[1]) * (PREFIX[m[2]] ?? 1);
  const unit = m[3].trim();
  if (/^(b|bit)(\/s)?$/.test(unit)) x /= 8;
  if (/\/(b|bit)$/.test(unit)) x *= 8;
  if (unit === '' && m[2] !== '') return x;
  return Number.isFinite(x) ? x : v;
}
