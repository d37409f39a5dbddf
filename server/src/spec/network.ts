// Schema checks of a `kind: network` document and construction of its NetworkModel (shapes: shapes.ts).
import type { AstMap, AstNode } from './ast';
import { get } from './ast';
import type { Diags } from './diag';
import type { LayerAttrs, LayerModel, LayerType, NetworkModel, Optimizer, OptimizerKind, ParallelSpec, Precision, Range } from './types';
import {
  COMMON_LAYER_KEYS, LAYER_TYPES, LAYER_TYPE_NAMES, NETWORK_DEFAULTS, NETWORK_KEYS, OPTIMIZER_KEYS, PARALLEL_KEYS, OPTIMIZER_USES, OPTIMIZERS, PRECISIONS,
  type KeyInfo,
} from './vocab';
import { readLayerMapping } from './mapping';
import { checkKeys, readBool, readEnum, readInt, readIntList, readIntPair, readNames, readReal, readString, unknownKey } from './values';
import { inferShapes, type LayerSource } from './shapes';
import { LazyLayerRanges } from './layerRanges';

/** Precisions narrower than fp32: mixed-precision training keeps an fp32 master copy by default. */
const BELOW_FP32: ReadonlySet<Precision> = new Set(['fp16', 'bf16', 'fp8', 'int8', 'int4', 'radix4']);

const LAYER_KEY_NAMES = new Map<LayerType, { infos: readonly KeyInfo[]; names: string[] }>();
for (const t of LAYER_TYPE_NAMES) {
  const infos = [...COMMON_LAYER_KEYS, ...LAYER_TYPES[t].keys];
  LAYER_KEY_NAMES.set(t, { infos, names: infos.map((k) => k.key) });
}
const COMMON_NAMES = COMMON_LAYER_KEYS.map((k) => k.key);

export function checkNetwork(root: AstMap, uri: string, d: Diags): NetworkModel {
  const lines = d.lines;
  const keys = checkKeys(root, NETWORK_KEYS, 'a network spec', d);
  const keyRanges: Record<string, Range> = {};
  for (const p of root.pairs) keyRanges[p.key] = lines.range(p.value.start, p.value.end);

  const nameNode = keys.get('name');
  const name = (nameNode && readString(nameNode, 'name', d)) || defaultName(uri);
  const batchNode = keys.get('batch_size');
  const batch = (batchNode && readInt(batchNode, 'batch_size', d, 1)) || NETWORK_DEFAULTS.batch_size;
  const precNode = keys.get('precision');
  const precision: Precision = (precNode && readEnum(precNode, 'precision', PRECISIONS, d)) || 'fp32';
  const mwNode = keys.get('master_weights');
  let masterWeights: Precision | null = BELOW_FP32.has(precision) ? 'fp32' : null;
  if (mwNode) {
    if (mwNode.t === 'scalar' && mwNode.value === null) masterWeights = null;
    else {
      const v = readEnum(mwNode, 'master_weights', [...PRECISIONS, 'none'] as const, d);
      if (v) masterWeights = v === 'none' ? null : v;
    }
  }
  const gpNode = keys.get('gradient_precision');
  const gradientPrecision: Precision = (gpNode && readEnum(gpNode, 'gradient_precision', PRECISIONS, d)) || precision;
  const optimizer = readOptimizer(keys.get('optimizer'), d);

  const isNode = keys.get('input_shape');
  const inputShape = (isNode && readIntList(isNode, 'input_shape', d, { t: 'intList', min: 1, nonEmpty: true })) || [];

  const targets: string[] = [];
  const targetEntries: Range[] = [];
  const tNode = keys.get('targets');
  if (tNode) for (const t of readNames(tNode, 'targets', d) ?? []) {
    targets.push(t.name);
    targetEntries.push(lines.range(t.node.start, t.node.end));
  }
  const hNode = keys.get('hardware');
  const hardwareFiles = hNode ? (readNames(hNode, 'hardware', d) ?? []).map((h) => h.name) : [];

  const parallel = readParallel(keys.get('parallel'), d);

  const layersNode = keys.get('layers');
  const sources: LayerSource[] = [];
  if (layersNode) {
    if (layersNode.t !== 'seq') d.error('AM2004', layersNode, '`layers` must be a list of layers, each a mapping like `- {name: conv1, type: conv2d, ...}`.');
    else {
      const items = layersNode.items;
      for (let i = 0; i < items.length; i++) sources.push(readLayer(items[i], i, d));
    }
  }
  const layers: LayerModel[] = inferShapes(sources, inputShape.length ? inputShape : null, batch, d);

  return {
    kind: 'network',
    name,
    batch,
    precision,
    masterWeights,
    gradientPrecision,
    optimizer,
    inputShape,
    targets,
    hardwareFiles,
    layers,
    ...(parallel ? { parallel } : {}),
    ranges: { root: lines.range(root.start, root.end), keys: keyRanges, targetEntries },
  };
}

function defaultName(uri: string): string {
  const base = uri.replace(/[?#].*$/, '').split(/[\\/]/).pop() ?? 'network';
  return decodeURIComponent(base).replace(/\.(net\.)?(ya?ml|json)$/i, '') || 'network';
}

function readParallel(n: AstNode | undefined, d: Diags): ParallelSpec | undefined {
  if (!n) return undefined;
  if (n.t !== 'map') { d.error('AM2004', n, '`parallel` must be a mapping like `{tp: 8, pp: 4, micro_batches: 8}`.'); return undefined; }
  const keys = checkKeys(n, PARALLEL_KEYS, '`parallel`', d);
  const out: ParallelSpec = {};
  const int = (k: string, min: number, max?: number) => { const v = keys.get(k); return v ? readInt(v, `parallel.${k}`, d, min, max) : undefined; };
  const dp = int('dp', 0), tp = int('tp', 1), pp = int('pp', 1), mb = int('micro_batches', 1), zero = int('zero', 0, 3);
  if (dp !== undefined) out.dp = dp;
  if (tp !== undefined) out.tp = tp;
  if (pp !== undefined) out.pp = pp;
  if (mb !== undefined) out.microBatches = mb;
  if (zero !== undefined) out.zero = zero as 0 | 1 | 2 | 3;
  const sch = keys.get('schedule');
  if (sch) { const v = readEnum(sch, 'parallel.schedule', ['1f1b', 'gpipe'] as const, d); if (v) out.schedule = v; }
  const rc = keys.get('recompute');
  if (rc) { const v = readBool(rc, 'parallel.recompute', d); if (v !== undefined) out.recompute = v; }
  return out;
}

function readOptimizer(n: AstNode | undefined, d: Diags): Optimizer {
  const o: Optimizer = { type: NETWORK_DEFAULTS.optimizer, lr: NETWORK_DEFAULTS.lr, momentum: 0.9, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
  if (!n) return o;
  if (n.t === 'scalar') {
    const t = readEnum(n, 'optimizer', OPTIMIZERS, d);
    if (t) o.type = t;
    return o;
  }
  if (n.t !== 'map') {
    d.error('AM2004', n, '`optimizer` must be a name like `adam` or a mapping like `{type: adam, lr: 0.001}`.');
    return o;
  }
  const keys = checkKeys(n, OPTIMIZER_KEYS, '`optimizer`', d);
  const tn = keys.get('type');
  const type: OptimizerKind | undefined = tn && readEnum(tn, 'optimizer.type', OPTIMIZERS, d);
  if (type) o.type = type;
  const num = (k: string): number | undefined => {
    const v = keys.get(k);
    const info = OPTIMIZER_KEYS.find((x) => x.key === k)!;
    return v && info.type.t === 'number' ? readReal(v, k, d, info.type) : undefined;
  };
  o.lr = num('lr') ?? o.lr;
  o.momentum = num('momentum') ?? o.momentum;
  o.weightDecay = num('weight_decay') ?? o.weightDecay;
  o.beta1 = num('beta1') ?? o.beta1;
  o.beta2 = num('beta2') ?? o.beta2;
  o.eps = num('eps') ?? o.eps;
  if (type) {
    for (const p of n.pairs) {
      if (OPTIMIZER_KEYS.some((k) => k.key === p.key) && !OPTIMIZER_USES[type].includes(p.key)) {
        d.warn('AM2010', p.keyNode, `\`${p.key}\` has no effect with the \`${type}\` optimizer; remove it or change \`type\`.`);
      }
    }
  }
  return o;
}

function readLayer(n: AstNode, index: number, d: Diags): LayerSource {
  // Ranges are made on demand (LazyLayerRanges): most analyses never read them.
  const ranges = new LazyLayerRanges(n, d.lines);
  const src: LayerSource = {
    index,
    node: n,
    name: '',
    nameNode: undefined,
    type: undefined,
    attrs: {},
    inputs: undefined,
    outputShape: undefined,
    bad: false,
    samePadding: false,
    ranges,
  };
  if (n.t !== 'map') {
    d.error('AM2004', n, `Layer ${index} must be a mapping like \`{name: relu1, type: relu}\`, not ${n.t === 'seq' ? 'a list' : 'a single value'}.`);
    src.name = `layer${index}`;
    return src;
  }
  const typePair = get(n, 'type');
  let type: LayerType | undefined;
  if (!typePair) {
    d.error('AM2007', firstLineOf(n), `Layer ${index} needs a \`type\`, one of: ${LAYER_TYPE_NAMES.join(', ')}.`);
  } else {
    type = readEnum(typePair.value, 'type', LAYER_TYPE_NAMES, d);
  }
  src.type = type;
  const namePair = get(n, 'name');
  if (namePair) {
    const s = readString(namePair.value, 'name', d);
    if (s !== undefined && namePair.value.t === 'scalar') {
      src.name = s;
      src.nameNode = namePair.value;
    }
  }
  if (!src.name) src.name = `${type ?? 'layer'}${index}`;
  // Keys: unknown ones get did-you-mean among this type's keys (or the common keys while the type is unknown).
  const known = type ? LAYER_KEY_NAMES.get(type)! : { infos: COMMON_LAYER_KEYS, names: COMMON_NAMES };
  for (const p of n.pairs) {
    if (!known.names.includes(p.key) && (type || !anyLayerKey(p.key))) unknownKey(p.key, p.keyNode, known.names, type ? `a \`${type}\` layer` : 'a layer', d);
  }
  // Values by key: a linear search over a layer's few pairs is cheaper than a Map per layer.
  const vals = { get: (key: string): AstNode | undefined => (known.names.includes(key) ? get(n, key)?.value : undefined) };
  if (type) {
    for (const k of known.infos) {
      if (k.required && k.key !== 'type' && !get(n, k.key)) {
        d.error('AM2007', typePair ? typePair.value : firstLineOf(n), `A \`${type}\` layer needs \`${k.key}\`: ${k.doc}`);
      }
    }
  }
  const inputsNode = vals.get('inputs');
  if (inputsNode) {
    const names = readNames(inputsNode, 'inputs', d);
    if (names) {
      src.inputs = names;
      ranges.setInputEntries(names.map((x) => x.node));
    }
  }
  const osNode = vals.get('output_shape');
  if (osNode) src.outputShape = { shape: readIntList(osNode, 'output_shape', d, { t: 'intList', min: 1, nonEmpty: true }), node: osNode };
  const originNode = vals.get('origin');
  if (originNode) src.attrs.origin = readString(originNode, 'origin', d);
  const mappingNode = vals.get('mapping');
  if (mappingNode) {
    const m = readLayerMapping(mappingNode, type, d);
    if (m) src.attrs.mapping = m;
  }
  if (type) src.bad = !readAttrs(type, vals, src, d);
  return src;
}

function anyLayerKey(key: string): boolean {
  for (const v of LAYER_KEY_NAMES.values()) if (v.names.includes(key)) return true;
  return false;
}

function firstLineOf(n: AstNode): [number, number] {
  return [n.start, Math.min(n.end, n.start + 1)];
}

/** Fill `attrs` with the layer's keys and defaults. Returns false when a value the shape depends on is unusable. */
function readAttrs(type: LayerType, v: { get(key: string): AstNode | undefined }, src: LayerSource, d: Diags): boolean {
  const a: LayerAttrs = src.attrs;
  let ok = true;
  const int = (k: string, min?: number): number | undefined => {
    const n = v.get(k);
    if (!n) return undefined;
    const r = readInt(n, k, d, min);
    if (r === undefined) ok = false;
    return r;
  };
  const pair = (k: string, min: number): [number, number] | undefined => {
    const n = v.get(k);
    if (!n) return undefined;
    const r = readIntPair(n, k, d, min);
    if (r === undefined) ok = false;
    return r;
  };
  const bool = (k: string, dflt: boolean): boolean => {
    const n = v.get(k);
    return (n && readBool(n, k, d)) ?? dflt;
  };
  switch (type) {
    case 'conv2d': {
      a.outChannels = int('out_channels', 1);
      a.kernel = pair('kernel_size', 1);
      a.stride = pair('stride', 1) ?? [1, 1];
      a.dilation = pair('dilation', 1) ?? [1, 1];
      a.groups = int('groups', 1) ?? 1;
      a.bias = bool('bias', true);
      const pn = v.get('padding');
      if (pn && pn.t === 'scalar' && pn.value === 'same') {
        if (a.stride[0] !== 1 || a.stride[1] !== 1) {
          d.error('AM4013', pn, '`padding: same` only works with stride 1 (as in PyTorch); give the padding as a number instead.');
          ok = false;
        }
        // PyTorch pads dilation*(k-1) in total; symmetric when odd kernels (the usual case). ASM: even kernels
        // are shown with the floor of half, the output size is kept equal to the input as PyTorch does.
        if (a.kernel) {
          a.padding = [Math.floor((a.dilation[0] * (a.kernel[0] - 1)) / 2), Math.floor((a.dilation[1] * (a.kernel[1] - 1)) / 2)];
          src.samePadding = true;
        }
      } else if (pn) {
        const p = readIntPair(pn, 'padding', d, 0);
        if (!p) ok = false;
        a.padding = p ?? [0, 0];
      } else a.padding = [0, 0];
      if (!a.outChannels || !a.kernel) ok = false;
      break;
    }
    case 'linear':
      a.outFeatures = int('out_features', 1);
      a.bias = bool('bias', true);
      if (!a.outFeatures) ok = false;
      break;
    case 'matmul':
      a.transposeA = bool('transpose_a', false);
      a.transposeB = bool('transpose_b', false);
      break;
    case 'lstm':
    case 'gru':
    case 'rnn':
      a.hiddenSize = int('hidden_size', 1);
      a.numLayers = int('num_layers', 1) ?? 1;
      a.bidirectional = bool('bidirectional', false);
      a.bias = bool('bias', true);
      a.returnSequences = bool('return_sequences', true);
      if (!a.hiddenSize) ok = false;
      break;
    case 'maxpool':
    case 'avgpool':
      a.kernel = pair('kernel_size', 1);
      a.stride = pair('stride', 1) ?? a.kernel;
      a.padding = pair('padding', 0) ?? [0, 0];
      a.ceilMode = bool('ceil_mode', false);
      if (!a.kernel) ok = false;
      break;
    case 'adaptive_avgpool':
      a.outputSize = pair('output_size', 1);
      if (!a.outputSize) ok = false;
      break;
    case 'leaky_relu': {
      const n = v.get('negative_slope');
      a.negativeSlope = (n && readReal(n, 'negative_slope', d, { t: 'number' })) ?? 0.01;
      break;
    }
    case 'concat':
      a.axis = int('axis') ?? 0;
      break;
    case 'softmax':
      a.axis = int('axis') ?? -1;
      break;
    case 'embedding':
      a.numEmbeddings = int('num_embeddings', 1);
      a.embeddingDim = int('embedding_dim', 1);
      if (!a.numEmbeddings || !a.embeddingDim) ok = false;
      break;
    case 'reshape': {
      const n = v.get('shape');
      a.shape = n && readIntList(n, 'shape', d, { t: 'intList', min: 1, minusOne: true, nonEmpty: true });
      if (!a.shape) ok = false;
      break;
    }
    case 'transpose': {
      const n = v.get('perm');
      a.perm = n && readIntList(n, 'perm', d, { t: 'intList', min: 0, nonEmpty: true });
      if (!a.perm) ok = false;
      break;
    }
    case 'dropout': {
      const n = v.get('p');
      a.p = (n && readReal(n, 'p', d, { t: 'number', min: 0, max: 1, exclusiveMax: true })) ?? 0.5;
      break;
    }
    case 'conv_transpose2d':
      a.outChannels = int('out_channels', 1);
      a.kernel = pair('kernel_size', 1);
      a.stride = pair('stride', 1) ?? [1, 1];
      a.padding = pair('padding', 0) ?? [0, 0];
      a.outputPadding = pair('output_padding', 0) ?? [0, 0];
      a.dilation = pair('dilation', 1) ?? [1, 1];
      a.groups = int('groups', 1) ?? 1;
      a.bias = bool('bias', true);
      if (!a.outChannels || !a.kernel) ok = false;
      break;
    case 'groupnorm':
      a.numGroups = int('groups', 1);
      if (!a.numGroups) ok = false;
      break;
    case 'resize': {
      const n = v.get('size');
      a.size = n && readIntList(n, 'size', d, { t: 'intList', min: 1, nonEmpty: true });
      const m = v.get('mode');
      a.mode = (m && readEnum(m, 'mode', ['nearest', 'linear', 'cubic'] as const, d)) || 'nearest';
      if (!a.size) ok = false;
      break;
    }
    case 'pad': {
      const n = v.get('pads');
      a.pads = n && readIntList(n, 'pads', d, { t: 'intList', min: 0, nonEmpty: true });
      const m = v.get('mode');
      a.mode = (m && readEnum(m, 'mode', ['constant', 'reflect', 'edge', 'wrap'] as const, d)) || 'constant';
      if (!a.pads) ok = false;
      break;
    }
    case 'slice':
      a.axis = int('axis') ?? 0;
      a.start = int('start') ?? 0;
      a.end = int('end');
      a.step = int('step') ?? 1;
      a.keepDim = bool('keep_dim', true);
      break;
    case 'input':
    case 'expand': {
      const n = v.get('shape');
      a.shape = n && readIntList(n, 'shape', d, { t: 'intList', min: 1, nonEmpty: true });
      if (!a.shape) ok = false;
      break;
    }
    case 'reduce': {
      const n = v.get('axes');
      a.axes = n && readIntList(n, 'axes', d, { t: 'intList', min: 0, nonEmpty: true });
      a.keepDims = bool('keep_dims', true);
      const o = v.get('op');
      a.op = (o && readString(o, 'op', d)) ?? 'mean';
      if (!a.axes) ok = false;
      break;
    }
    case 'elementwise': {
      const o = v.get('op');
      a.op = (o && readString(o, 'op', d)) ?? 'elementwise';
      const f = v.get('flops');
      a.flops = (f && readReal(f, 'flops', d, { t: 'number', min: 0 })) ?? 1;
      break;
    }
    case 'unsupported': {
      const n = v.get('op_type');
      a.opType = (n && readString(n, 'op_type', d)) ?? 'unknown';
      break;
    }
    default:
      break;
  }
  return ok;
}

