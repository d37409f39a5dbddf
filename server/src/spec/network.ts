// Schema checks of a `kind: network` document and construction of its NetworkModel (shapes: shapes.ts).
import type { AstMap, AstNode } from './ast';
import { get } from './ast';
import type { Diags } from './diag';
import type {
  LayerModel,
  LayerType,
  NetworkModel,
  Optimizer,
  OptimizerKind,
  ParallelSpec,
  Precision,
  Range,
} from './types';
import {
  COMMON_LAYER_KEYS,
  LAYER_TYPES,
  LAYER_TYPE_NAMES,
  NETWORK_DEFAULTS,
  NETWORK_KEYS,
  OPTIMIZER_KEYS,
  PARALLEL_KEYS,
  OPTIMIZER_USES,
  OPTIMIZERS,
  PRECISIONS,
  type KeyInfo,
} from './vocab';
import { readLayerMapping } from './mapping';
import {
  checkKeys,
  readBool,
  readEnum,
  readInt,
  readIntList,
  readIntPair,
  readNames,
  readReal,
  readString,
  unknownKey,
} from './values';
import { inferShapes, type LayerSource } from './shapes';
import { LAYERS } from '../layers/index';
import { URI, Utils } from 'vscode-uri';
import { specBaseName } from './files';
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
  if (tNode)
    for (const t of readNames(tNode, 'targets', d) ?? []) {
      targets.push(t.name);
      targetEntries.push(lines.range(t.node.start, t.node.end));
    }
  const hNode = keys.get('hardware');
  const hardwareFiles = hNode ? (readNames(hNode, 'hardware', d) ?? []).map((h) => h.name) : [];

  const parallel = readParallel(keys.get('parallel'), d);

  const layersNode = keys.get('layers');
  const sources: LayerSource[] = [];
  if (layersNode) {
    if (layersNode.t !== 'seq')
      d.error(
        'AM2004',
        layersNode,
        '`layers` must be a list of layers, each a mapping like `- {name: conv1, type: conv2d, ...}`.',
      );
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
  let base: string;
  try {
    base = Utils.basename(URI.parse(uri));
  } catch {
    base = uri.split(/[\\/]/).pop() ?? '';
  }
  return specBaseName(base) || 'network';
}

function readParallel(n: AstNode | undefined, d: Diags): ParallelSpec | undefined {
  if (!n) return undefined;
  if (n.t !== 'map') {
    d.error('AM2004', n, '`parallel` must be a mapping like `{tp: 8, pp: 4, micro_batches: 8}`.');
    return undefined;
  }
  const keys = checkKeys(n, PARALLEL_KEYS, '`parallel`', d);
  const out: ParallelSpec = {};
  const int = (k: string, min: number, max?: number) => {
    const v = keys.get(k);
    return v ? readInt(v, `parallel.${k}`, d, min, max) : undefined;
  };
  const dp = int('dp', 0),
    tp = int('tp', 1),
    pp = int('pp', 1),
    mb = int('micro_batches', 1),
    zero = int('zero', 0, 3);
  if (dp !== undefined) out.dp = dp;
  if (tp !== undefined) out.tp = tp;
  if (pp !== undefined) out.pp = pp;
  if (mb !== undefined) out.microBatches = mb;
  if (zero !== undefined) out.zero = zero as 0 | 1 | 2 | 3;
  const sch = keys.get('schedule');
  if (sch) {
    const v = readEnum(sch, 'parallel.schedule', ['1f1b', 'gpipe'] as const, d);
    if (v) out.schedule = v;
  }
  const rc = keys.get('recompute');
  if (rc) {
    const v = readBool(rc, 'parallel.recompute', d);
    if (v !== undefined) out.recompute = v;
  }
  return out;
}

function readOptimizer(n: AstNode | undefined, d: Diags): Optimizer {
  const o: Optimizer = {
    type: NETWORK_DEFAULTS.optimizer,
    lr: NETWORK_DEFAULTS.lr,
    momentum: 0.9,
    weightDecay: 0,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
  };
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
        d.warn(
          'AM2010',
          p.keyNode,
          `\`${p.key}\` has no effect with the \`${type}\` optimizer; remove it or change \`type\`.`,
        );
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
    d.error(
      'AM2004',
      n,
      `Layer ${index} must be a mapping like \`{name: relu1, type: relu}\`, not ${n.t === 'seq' ? 'a list' : 'a single value'}.`,
    );
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
    if (!known.names.includes(p.key) && (type || !anyLayerKey(p.key)))
      unknownKey(p.key, p.keyNode, known.names, type ? `a \`${type}\` layer` : 'a layer', d);
  }
  // Values by key: a linear search over a layer's few pairs is cheaper than a Map per layer.
  const vals = {
    get: (key: string): AstNode | undefined => (known.names.includes(key) ? get(n, key)?.value : undefined),
  };
  if (type) {
    for (const k of known.infos) {
      if (k.required && k.key !== 'type' && !get(n, k.key)) {
        d.error(
          'AM2007',
          typePair ? typePair.value : firstLineOf(n),
          `A \`${type}\` layer needs \`${k.key}\`: ${k.doc}`,
        );
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
  if (osNode)
    src.outputShape = {
      shape: readIntList(osNode, 'output_shape', d, { t: 'intList', min: 1, nonEmpty: true }),
      node: osNode,
    };
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

/** `kernel_size` -> `kernelSize`: the LayerAttrs field of a layer key without an `attr`. */
const camel = (key: string): string => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Fill `attrs` with the layer's keys, each read by its type in the layer module's key table (defaults applied when
 * absent or unusable), then the module's own reading. Returns false when a value the shape depends on is unusable:
 * an invalid integer, pair or list, or a missing required key.
 */
function readAttrs(type: LayerType, v: { get(key: string): AstNode | undefined }, src: LayerSource, d: Diags): boolean {
  const def = LAYERS[type];
  const a = src.attrs as Record<string, unknown>;
  let ok = true;
  for (const k of def.keys) {
    const n = v.get(k.key);
    const t = k.type;
    let val: unknown;
    switch (t.t) {
      case 'int':
        if (n) {
          val = readInt(n, k.key, d, t.min, t.max);
          if (val === undefined) ok = false;
        }
        break;
      case 'intPair':
        if (n) {
          val = readIntPair(n, k.key, d, t.min);
          if (val === undefined) ok = false;
        }
        break;
      case 'intList':
        if (n) {
          val = readIntList(n, k.key, d, t);
          if (val === undefined) ok = false;
        }
        break;
      case 'bool':
        if (n) val = readBool(n, k.key, d);
        break;
      case 'number':
        if (n) val = readReal(n, k.key, d, t);
        break;
      case 'enum':
        if (n) val = readEnum(n, k.key, t.values, d);
        break;
      case 'string':
        if (n) val = readString(n, k.key, d);
        break;
      default:
        continue; // read by the module (conv2d's `padding`)
    }
    if (val === undefined && k.default !== undefined)
      val = t.t === 'intPair' ? [Number(k.default), Number(k.default)] : k.default;
    if (val === undefined && k.required) ok = false;
    a[k.attr ?? camel(k.key)] = val;
  }
  def.read?.({
    attrs: src.attrs,
    get: (key) => v.get(key),
    readIntPair: (n, key, min) => readIntPair(n, key, d, min),
    error: (code, at, message) => d.error(code, at, message),
    fail: () => {
      ok = false;
    },
    setSamePadding: () => {
      src.samePadding = true;
    },
  });
  return ok;
}
