// The vocabulary of spec files, in one table: which keys exist, their types, defaults and docs.
// The validator (network.ts, hardware.ts), completion and hover (language server) and the JSON Schemas
// (scripts/gen-schemas.ts) are all driven by these tables, so they cannot drift apart.
import type { LayerType, OptimizerKind, Precision } from './types';
import { KINDS } from '../kinds/params';
import { LAYER_DEFS } from '../layers/index';

export type { ValueType, KeyInfo, InputArity } from './keys';
import type { InputArity, KeyInfo } from './keys';

export const PRECISIONS: readonly Precision[] = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'int4', 'radix4'];
export const PRECISION_DOCS: Record<Precision, string> = {
  fp32: 'IEEE single precision (4 bytes).',
  tf32: 'NVIDIA TensorFloat-32: fp32 storage, 10-bit mantissa in the tensor cores (4 bytes).',
  fp16: 'IEEE half precision (2 bytes).',
  bf16: 'bfloat16: 8-bit exponent, 7-bit mantissa (2 bytes).',
  fp8: '8-bit float (E4M3/E5M2, 1 byte).',
  int8: '8-bit integer (1 byte).',
  int4: '4-bit integer (half a byte).',
  radix4: 'FP4 1-3-0 radix-4 format of Sun et al. (NeurIPS 2020), half a byte.',
};
export const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'momentum', 'adam', 'adamw'];
export const OPTIMIZER_DOCS: Record<OptimizerKind, string> = {
  sgd: 'Plain SGD: w -= lr * g. No optimizer state.',
  momentum: 'SGD with momentum: one state tensor (velocity) per weight.',
  adam: 'Adam: two state tensors (first and second moments) per weight.',
  adamw: 'AdamW: Adam with decoupled weight decay; two state tensors per weight.',
};
export const SPEC_KINDS = ['network', 'hardware'] as const;

/** Defaults applied when a key is absent (ASM: our choices where docs/spec-format.md gives none). */
export const NETWORK_DEFAULTS = { batch_size: 1, optimizer: 'sgd' as OptimizerKind, lr: 0.01 };

export const NETWORK_KEYS: readonly KeyInfo[] = [
  {
    key: 'kind',
    doc: 'What this file describes: `network` (a DNN to train) or `hardware` (target accelerators).',
    type: { t: 'enum', values: SPEC_KINDS },
    required: true,
  },
  { key: 'name', doc: 'Name of the network, shown in results. Defaults to the file name.', type: { t: 'string' } },
  {
    key: 'batch_size',
    doc: 'Mini-batch size N of one training iteration.',
    type: { t: 'int', min: 1 },
    default: NETWORK_DEFAULTS.batch_size,
  },
  {
    key: 'precision',
    doc: 'Number format of activations and weights in compute.',
    type: { t: 'enum', values: PRECISIONS },
    default: 'fp32',
  },
  {
    key: 'master_weights',
    doc: 'Format of the master copy of the weights in mixed-precision training (`none` for no copy). Default fp32 when `precision` is below fp32, else none.',
    type: { t: 'enum', values: [...PRECISIONS, 'none'] },
  },
  {
    key: 'gradient_precision',
    doc: 'Number format of gradients. Default: `precision`.',
    type: { t: 'enum', values: PRECISIONS },
  },
  {
    key: 'optimizer',
    doc: 'Weight-update rule: a name (`adam`) or a mapping with `type`, `lr` and its hyper-parameters.',
    type: { t: 'optimizer' },
    default: NETWORK_DEFAULTS.optimizer,
  },
  {
    key: 'input_shape',
    doc: 'Shape of one input sample, batch excluded: [C, H, W] images, [T] token ids, [T, F] sequences, [F] vectors.',
    type: { t: 'intList', min: 1, nonEmpty: true },
    required: true,
  },
  {
    key: 'targets',
    doc: 'Targets to evaluate on: preset names or targets of the `hardware:` files.',
    type: { t: 'names' },
  },
  { key: 'hardware', doc: 'Hardware spec files (relative to this file) that define targets.', type: { t: 'names' } },
  {
    key: 'parallel',
    doc: "How the training is split over the devices of a `system` target (data, tensor and pipeline parallel degrees, micro-batches, ZeRO stage, recomputation); unset knobs keep the system target's. Ignored on single-device targets.",
    type: { t: 'parallel' },
  },
  {
    key: 'layers',
    doc: "The layers in order. Each takes the previous layer's output unless `inputs:` says otherwise.",
    type: { t: 'layers' },
    required: true,
  },
];

export const PARALLEL_KEYS: readonly KeyInfo[] = [
  { key: 'dp', doc: 'Data-parallel replicas (0 = the devices left after tp x pp).', type: { t: 'int', min: 0 } },
  {
    key: 'tp',
    doc: 'Tensor-parallel degree (Megatron column/row splits of linear layers and attention heads).',
    type: { t: 'int', min: 1 },
  },
  { key: 'pp', doc: 'Pipeline stages.', type: { t: 'int', min: 1 } },
  { key: 'micro_batches', doc: 'Micro-batches per step per replica.', type: { t: 'int', min: 1 } },
  { key: 'schedule', doc: 'Pipeline schedule.', type: { t: 'enum', values: ['1f1b', 'gpipe'] } },
  {
    key: 'zero',
    doc: 'ZeRO stage: 1 optimizer state, 2 + gradients, 3 + weights sharded over the data-parallel group.',
    type: { t: 'int', min: 0 },
  },
  { key: 'recompute', doc: 'Activation recomputation.', type: { t: 'bool' } },
];

export const OPTIMIZER_KEYS: readonly KeyInfo[] = [
  { key: 'type', doc: 'The update rule.', type: { t: 'enum', values: OPTIMIZERS }, required: true },
  {
    key: 'lr',
    doc: 'Learning rate (> 0).',
    type: { t: 'number', min: 0, exclusiveMin: true },
    default: NETWORK_DEFAULTS.lr,
  },
  {
    key: 'momentum',
    doc: 'Momentum factor, `momentum` optimizer only.',
    type: { t: 'number', min: 0, max: 1, exclusiveMax: true },
    default: 0.9,
  },
  { key: 'weight_decay', doc: 'L2 weight decay (>= 0).', type: { t: 'number', min: 0 }, default: 0 },
  {
    key: 'beta1',
    doc: 'Adam first-moment decay, adam/adamw only.',
    type: { t: 'number', min: 0, max: 1, exclusiveMax: true },
    default: 0.9,
  },
  {
    key: 'beta2',
    doc: 'Adam second-moment decay, adam/adamw only.',
    type: { t: 'number', min: 0, max: 1, exclusiveMax: true },
    default: 0.999,
  },
  {
    key: 'eps',
    doc: 'Adam denominator epsilon (> 0), adam/adamw only.',
    type: { t: 'number', min: 0, exclusiveMin: true },
    default: 1e-8,
  },
];
/** Which optimizer keys each rule reads (others get an AM2010 warning). */
export const OPTIMIZER_USES: Record<OptimizerKind, readonly string[]> = {
  sgd: ['type', 'lr', 'weight_decay'],
  momentum: ['type', 'lr', 'weight_decay', 'momentum'],
  adam: ['type', 'lr', 'weight_decay', 'beta1', 'beta2', 'eps'],
  adamw: ['type', 'lr', 'weight_decay', 'beta1', 'beta2', 'eps'],
};

/** Keys every layer may carry. */
export const COMMON_LAYER_KEYS: readonly KeyInfo[] = [
  { key: 'name', doc: 'Unique layer name (default `<type><index>`, index counted from 0).', type: { t: 'string' } },
  { key: 'type', doc: 'The layer type.', type: { t: 'enum', values: [] }, required: true },
  {
    key: 'inputs',
    doc: "Producers of this layer's inputs: names of earlier layers, or `input` for the network input. Default: the previous layer.",
    type: { t: 'names' },
  },
  {
    key: 'output_shape',
    doc: 'Expected output shape, batch excluded. A disagreement with the inferred shape is an error.',
    type: { t: 'intList', min: 1, nonEmpty: true },
  },
  { key: 'origin', doc: 'Free text, e.g. the ONNX node this layer was imported from.', type: { t: 'string' } },
  {
    key: 'mapping',
    doc: "How this layer's loop nests map onto a `spatial` target, per phase (`fwd`, `bwd_data`, `bwd_weight`, or `all`) and storage level (`dram`, `global_buffer`, `pe_buffer`): `temporal` / `spatial` factors per dimension (N K C P Q R S G for convolutions, B M N K for matrix products), `order` (outermost first), `spatial_x`, `keep` / `bypass` (Weights, Inputs, Outputs). What is given is fixed; the mapper chooses the rest.",
    type: { t: 'mapping' },
  },
];

/** Keys of one level in a layer's `mapping:`. */
export const MAPPING_LEVEL_KEYS: readonly KeyInfo[] = [
  {
    key: 'temporal',
    doc: 'Temporal loop bound per dimension at this level, e.g. `{K: 4, C: 2}`.',
    type: { t: 'string' },
  },
  {
    key: 'spatial',
    doc: 'Spatial factor per dimension: the tile is split over this many instances below the level, e.g. `{K: 12}`.',
    type: { t: 'string' },
  },
  { key: 'order', doc: 'Temporal loop order, outermost first, e.g. `[K, C, P, Q]`.', type: { t: 'names' } },
  { key: 'spatial_x', doc: 'Spatial dimensions laid along X (the rest along Y).', type: { t: 'names' } },
  { key: 'keep', doc: 'Data spaces this level keeps: Weights, Inputs, Outputs.', type: { t: 'names' } },
  { key: 'bypass', doc: 'Data spaces that bypass this level.', type: { t: 'names' } },
];
export const MAPPING_PHASES = ['fwd', 'bwd_data', 'bwd_weight', 'all'] as const;
export const NEST_DIMS = ['G', 'N', 'K', 'C', 'P', 'Q', 'R', 'S', 'B', 'M'] as const;
export const DATA_SPACES = ['Weights', 'Inputs', 'Outputs'] as const;

export interface LayerTypeInfo {
  type: LayerType;
  doc: string;
  /** `input -> output` shape rule, batch excluded. */
  shapes: string;
  inputs: InputArity;
  keys: readonly KeyInfo[];
}

/** The vocabulary of each layer type, from its module (layers/<type>.ts). */
export const LAYER_TYPES = Object.fromEntries(
  LAYER_DEFS.map((d) => [d.type, { type: d.type, doc: d.doc, shapes: d.shapes, inputs: d.inputs, keys: d.keys }]),
) as Record<LayerType, LayerTypeInfo>;
export const LAYER_TYPE_NAMES = Object.keys(LAYER_TYPES) as LayerType[];

/** All keys a layer of `type` accepts (common keys first). */
export function layerKeys(type: LayerType): readonly KeyInfo[] {
  return [...COMMON_LAYER_KEYS, ...LAYER_TYPES[type].keys];
}

// ------------------------------------------------------------------------------------------------- hardware

export const HARDWARE_KEYS: readonly KeyInfo[] = [
  {
    key: 'kind',
    doc: 'What this file describes: `hardware` (target accelerators).',
    type: { t: 'enum', values: SPEC_KINDS },
    required: true,
  },
  { key: 'targets', doc: 'The targets this file defines.', type: { t: 'string' }, required: true },
];
export const TARGET_KINDS = KINDS.map((k) => k.kind);
export const TARGET_KEYS: readonly KeyInfo[] = [
  { key: 'name', doc: 'Unique target name, used in `targets:` and `--target`.', type: { t: 'string' }, required: true },
  {
    key: 'kind',
    doc: 'Architecture kind; required unless `extends` gives it.',
    type: { t: 'enum', values: TARGET_KINDS },
  },
  {
    key: 'extends',
    doc: 'A built-in preset or another target whose values this one starts from.',
    type: { t: 'string' },
  },
  { key: 'description', doc: 'Free text shown in hover and reports.', type: { t: 'string' } },
];

/**
 * Completion/hover vocabulary for hardware targets: the keys allowed inside `prefix` (a dotted group path, '' for the
 * target itself) of a target of `kind`: groups (with their parameter count) and parameters (with their ParamSpec).
 */
export function targetKeysAt(
  kind: import('./types').TargetKind,
  prefix: string,
): { key: string; group: boolean; param?: import('./params').ParamSpec }[] {
  const spec = KINDS.find((k) => k.kind === kind);
  if (!spec) return [];
  const pre = prefix ? prefix + '.' : '';
  const out = new Map<string, { key: string; group: boolean; param?: import('./params').ParamSpec }>();
  if (!prefix) for (const k of TARGET_KEYS) out.set(k.key, { key: k.key, group: false });
  for (const p of spec.params) {
    if (!p.path.startsWith(pre)) continue;
    const rest = p.path.slice(pre.length);
    const dot = rest.indexOf('.');
    if (dot < 0) out.set(rest, { key: rest, group: false, param: p });
    else if (!out.has(rest.slice(0, dot))) out.set(rest.slice(0, dot), { key: rest.slice(0, dot), group: true });
  }
  return [...out.values()];
}
