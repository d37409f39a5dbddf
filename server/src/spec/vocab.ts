// The vocabulary of spec files, in one table: which keys exist, their types, defaults and docs.
// The validator (network.ts, hardware.ts), completion and hover (language server) and the JSON Schemas
// (scripts/gen-schemas.ts) are all driven by these tables, so they cannot drift apart.
import type { LayerType, OptimizerKind, Precision } from './types';
import { KINDS } from '../kinds/params';

export type ValueType =
  | { t: 'int'; min?: number; max?: number }
  | { t: 'number'; min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean }
  | { t: 'bool' }
  | { t: 'string' }
  | { t: 'enum'; values: readonly string[] }
  /** An integer or a `[h, w]` pair of them. */
  | { t: 'intPair'; min: number }
  /** `padding`: an integer, `[h, w]`, or `same`. */
  | { t: 'padding' }
  /** A list of integers (shapes, permutations); `minusOne` allows one -1 entry. */
  | { t: 'intList'; min: number; minusOne?: boolean; nonEmpty?: boolean }
  /** A name or a list of names. */
  | { t: 'names' }
  | { t: 'optimizer' }
  | { t: 'parallel' }
  | { t: 'mapping' }
  | { t: 'layers' };

export interface KeyInfo {
  key: string;
  doc: string;
  type: ValueType;
  /** Default as shown to users (hover, schema); absent when required or derived. */
  default?: string | number | boolean;
  required?: boolean;
}

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
  { key: 'kind', doc: 'What this file describes: `network` (a DNN to train) or `hardware` (target accelerators).', type: { t: 'enum', values: SPEC_KINDS }, required: true },
  { key: 'name', doc: 'Name of the network, shown in results. Defaults to the file name.', type: { t: 'string' } },
  { key: 'batch_size', doc: 'Mini-batch size N of one training iteration.', type: { t: 'int', min: 1 }, default: NETWORK_DEFAULTS.batch_size },
  { key: 'precision', doc: 'Number format of activations and weights in compute.', type: { t: 'enum', values: PRECISIONS }, default: 'fp32' },
  { key: 'master_weights', doc: 'Format of the master copy of the weights in mixed-precision training (`none` for no copy). Default fp32 when `precision` is below fp32, else none.', type: { t: 'enum', values: [...PRECISIONS, 'none'] } },
  { key: 'gradient_precision', doc: 'Number format of gradients. Default: `precision`.', type: { t: 'enum', values: PRECISIONS } },
  { key: 'optimizer', doc: 'Weight-update rule: a name (`adam`) or a mapping with `type`, `lr` and its hyper-parameters.', type: { t: 'optimizer' }, default: NETWORK_DEFAULTS.optimizer },
  { key: 'input_shape', doc: 'Shape of one input sample, batch excluded: [C, H, W] images, [T] token ids, [T, F] sequences, [F] vectors.', type: { t: 'intList', min: 1, nonEmpty: true }, required: true },
  { key: 'targets', doc: 'Targets to evaluate on: preset names or targets of the `hardware:` files.', type: { t: 'names' } },
  { key: 'hardware', doc: 'Hardware spec files (relative to this file) that define targets.', type: { t: 'names' } },
  { key: 'parallel', doc: 'How the training is split over the devices of a `system` target (data, tensor and pipeline parallel degrees, micro-batches, ZeRO stage, recomputation); unset knobs keep the system target\'s. Ignored on single-device targets.', type: { t: 'parallel' } },
  { key: 'layers', doc: 'The layers in order. Each takes the previous layer\'s output unless `inputs:` says otherwise.', type: { t: 'layers' }, required: true },
];

export const PARALLEL_KEYS: readonly KeyInfo[] = [
  { key: 'dp', doc: 'Data-parallel replicas (0 = the devices left after tp x pp).', type: { t: 'int', min: 0 } },
  { key: 'tp', doc: 'Tensor-parallel degree (Megatron column/row splits of linear layers and attention heads).', type: { t: 'int', min: 1 } },
  { key: 'pp', doc: 'Pipeline stages.', type: { t: 'int', min: 1 } },
  { key: 'micro_batches', doc: 'Micro-batches per step per replica.', type: { t: 'int', min: 1 } },
  { key: 'schedule', doc: 'Pipeline schedule.', type: { t: 'enum', values: ['1f1b', 'gpipe'] } },
  { key: 'zero', doc: 'ZeRO stage: 1 optimizer state, 2 + gradients, 3 + weights sharded over the data-parallel group.', type: { t: 'int', min: 0 } },
  { key: 'recompute', doc: 'Activation recomputation.', type: { t: 'bool' } },
];

export const OPTIMIZER_KEYS: readonly KeyInfo[] = [
  { key: 'type', doc: 'The update rule.', type: { t: 'enum', values: OPTIMIZERS }, required: true },
  { key: 'lr', doc: 'Learning rate (> 0).', type: { t: 'number', min: 0, exclusiveMin: true }, default: NETWORK_DEFAULTS.lr },
  { key: 'momentum', doc: 'Momentum factor, `momentum` optimizer only.', type: { t: 'number', min: 0, max: 1, exclusiveMax: true }, default: 0.9 },
  { key: 'weight_decay', doc: 'L2 weight decay (>= 0).', type: { t: 'number', min: 0 }, default: 0 },
  { key: 'beta1', doc: 'Adam first-moment decay, adam/adamw only.', type: { t: 'number', min: 0, max: 1, exclusiveMax: true }, default: 0.9 },
  { key: 'beta2', doc: 'Adam second-moment decay, adam/adamw only.', type: { t: 'number', min: 0, max: 1, exclusiveMax: true }, default: 0.999 },
  { key: 'eps', doc: 'Adam denominator epsilon (> 0), adam/adamw only.', type: { t: 'number', min: 0, exclusiveMin: true }, default: 1e-8 },
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
  { key: 'inputs', doc: 'Producers of this layer\'s inputs: names of earlier layers, or `input` for the network input. Default: the previous layer.', type: { t: 'names' } },
  { key: 'output_shape', doc: 'Expected output shape, batch excluded. A disagreement with the inferred shape is an error.', type: { t: 'intList', min: 1, nonEmpty: true } },
  { key: 'origin', doc: 'Free text, e.g. the ONNX node this layer was imported from.', type: { t: 'string' } },
  { key: 'mapping', doc: 'How this layer\'s loop nests map onto a `spatial` target, per phase (`fwd`, `bwd_data`, `bwd_weight`, or `all`) and storage level (`dram`, `global_buffer`, `pe_buffer`): `temporal` / `spatial` factors per dimension (N K C P Q R S G for convolutions, B M N K for matrix products), `order` (outermost first), `spatial_x`, `keep` / `bypass` (Weights, Inputs, Outputs). What is given is fixed; the mapper chooses the rest.', type: { t: 'mapping' } },
];

/** Keys of one level in a layer's `mapping:`. */
export const MAPPING_LEVEL_KEYS: readonly KeyInfo[] = [
  { key: 'temporal', doc: 'Temporal loop bound per dimension at this level, e.g. `{K: 4, C: 2}`.', type: { t: 'string' } },
  { key: 'spatial', doc: 'Spatial factor per dimension: the tile is split over this many instances below the level, e.g. `{K: 12}`.', type: { t: 'string' } },
  { key: 'order', doc: 'Temporal loop order, outermost first, e.g. `[K, C, P, Q]`.', type: { t: 'names' } },
  { key: 'spatial_x', doc: 'Spatial dimensions laid along X (the rest along Y).', type: { t: 'names' } },
  { key: 'keep', doc: 'Data spaces this level keeps: Weights, Inputs, Outputs.', type: { t: 'names' } },
  { key: 'bypass', doc: 'Data spaces that bypass this level.', type: { t: 'names' } },
];
export const MAPPING_PHASES = ['fwd', 'bwd_data', 'bwd_weight', 'all'] as const;
export const NEST_DIMS = ['G', 'N', 'K', 'C', 'P', 'Q', 'R', 'S', 'B', 'M'] as const;
export const DATA_SPACES = ['Weights', 'Inputs', 'Outputs'] as const;

/** one, exactly two, two or more, any number from one (elementwise operators of any arity), or none (an input). */
export type InputArity = 'one' | 'two' | 'many' | 'any' | 'none';
export interface LayerTypeInfo {
  type: LayerType;
  doc: string;
  /** `input -> output` shape rule, batch excluded. */
  shapes: string;
  inputs: InputArity;
  keys: readonly KeyInfo[];
}

const kernel: KeyInfo = { key: 'kernel_size', doc: 'Window size: an integer or [h, w].', type: { t: 'intPair', min: 1 }, required: true };
const bias: KeyInfo = { key: 'bias', doc: 'Whether the layer adds a learned bias.', type: { t: 'bool' }, default: true };
const same = (type: LayerType, doc: string): LayerTypeInfo => ({ type, doc, shapes: 'same shape', inputs: 'one', keys: [] });
const rnnKeys: readonly KeyInfo[] = [
  { key: 'hidden_size', doc: 'Hidden state size H.', type: { t: 'int', min: 1 }, required: true },
  { key: 'num_layers', doc: 'Stacked recurrent layers.', type: { t: 'int', min: 1 }, default: 1 },
  { key: 'bidirectional', doc: 'Run a second direction backwards over time (output 2H).', type: { t: 'bool' }, default: false },
  bias,
  { key: 'return_sequences', doc: 'Output every time step ([T, H·dirs]) or only the last ([H·dirs]).', type: { t: 'bool' }, default: true },
];

export const LAYER_TYPES: Record<LayerType, LayerTypeInfo> = {
  conv2d: {
    type: 'conv2d', doc: '2-D convolution (PyTorch Conv2d).', shapes: '[C,H,W] -> [K,P,Q]', inputs: 'one',
    keys: [
      { key: 'out_channels', doc: 'Output channels K.', type: { t: 'int', min: 1 }, required: true },
      kernel,
      { key: 'stride', doc: 'Stride: an integer or [h, w].', type: { t: 'intPair', min: 1 }, default: 1 },
      { key: 'padding', doc: 'Zero padding on each side: an integer, [h, w], or `same` (stride 1 only).', type: { t: 'padding' }, default: 0 },
      { key: 'dilation', doc: 'Kernel dilation: an integer or [h, w].', type: { t: 'intPair', min: 1 }, default: 1 },
      { key: 'groups', doc: 'Channel groups; groups = in_channels = out_channels is a depthwise convolution.', type: { t: 'int', min: 1 }, default: 1 },
      bias,
    ],
  },
  linear: {
    type: 'linear', doc: 'Fully connected layer on the last dimension (PyTorch Linear).', shapes: '[..., F] -> [..., out_features]', inputs: 'one',
    keys: [{ key: 'out_features', doc: 'Output features.', type: { t: 'int', min: 1 }, required: true }, bias],
  },
  matmul: {
    type: 'matmul', doc: 'Matrix product of two activations, batched over leading dimensions (torch.matmul).', shapes: 'A[..., M, K] x B[..., K, N] -> [..., M, N]', inputs: 'two',
    keys: [
      { key: 'transpose_a', doc: 'Use A transposed (its last two dimensions swapped).', type: { t: 'bool' }, default: false },
      { key: 'transpose_b', doc: 'Use B transposed (its last two dimensions swapped).', type: { t: 'bool' }, default: false },
    ],
  },
  lstm: { type: 'lstm', doc: 'LSTM (PyTorch LSTM, batch_first).', shapes: '[T, F] -> [T, H·dirs] (or [H·dirs])', inputs: 'one', keys: rnnKeys },
  gru: { type: 'gru', doc: 'GRU (PyTorch GRU, batch_first).', shapes: '[T, F] -> [T, H·dirs] (or [H·dirs])', inputs: 'one', keys: rnnKeys },
  maxpool: {
    type: 'maxpool', doc: 'Max pooling (PyTorch MaxPool2d).', shapes: '[C,H,W] -> [C,P,Q]', inputs: 'one',
    keys: [
      kernel,
      { key: 'stride', doc: 'Stride (default: the kernel size).', type: { t: 'intPair', min: 1 } },
      { key: 'padding', doc: 'Padding on each side (at most half the kernel).', type: { t: 'intPair', min: 0 }, default: 0 },
      { key: 'ceil_mode', doc: 'Round the output size up instead of down.', type: { t: 'bool' }, default: false },
    ],
  },
  avgpool: {
    type: 'avgpool', doc: 'Average pooling (PyTorch AvgPool2d).', shapes: '[C,H,W] -> [C,P,Q]', inputs: 'one',
    keys: [
      kernel,
      { key: 'stride', doc: 'Stride (default: the kernel size).', type: { t: 'intPair', min: 1 } },
      { key: 'padding', doc: 'Padding on each side (at most half the kernel).', type: { t: 'intPair', min: 0 }, default: 0 },
      { key: 'ceil_mode', doc: 'Round the output size up instead of down.', type: { t: 'bool' }, default: false },
    ],
  },
  global_avgpool: { type: 'global_avgpool', doc: 'Average over the whole spatial extent.', shapes: '[C,H,W] -> [C,1,1]', inputs: 'one', keys: [] },
  global_maxpool: { type: 'global_maxpool', doc: 'Maximum over the whole spatial extent.', shapes: '[C,H,W] -> [C,1,1]', inputs: 'one', keys: [] },
  adaptive_avgpool: {
    type: 'adaptive_avgpool', doc: 'Adaptive average pooling to a fixed output size (PyTorch AdaptiveAvgPool2d).', shapes: '[C,H,W] -> [C,oh,ow]', inputs: 'one',
    keys: [{ key: 'output_size', doc: 'Output size: an integer or [h, w].', type: { t: 'intPair', min: 1 }, required: true }],
  },
  batchnorm: same('batchnorm', 'Batch normalisation over the channel dimension (affine: gamma and beta per channel).'),
  layernorm: same('layernorm', 'Layer normalisation over the last dimension (affine: gamma and beta per feature).'),
  relu: same('relu', 'max(x, 0).'),
  relu6: same('relu6', 'min(max(x, 0), 6).'),
  leaky_relu: {
    type: 'leaky_relu', doc: 'x for x > 0, else negative_slope * x.', shapes: 'same shape', inputs: 'one',
    keys: [{ key: 'negative_slope', doc: 'Slope for negative inputs.', type: { t: 'number' }, default: 0.01 }],
  },
  gelu: same('gelu', 'Gaussian error linear unit.'),
  sigmoid: same('sigmoid', 'Logistic sigmoid.'),
  tanh: same('tanh', 'Hyperbolic tangent.'),
  silu: same('silu', 'x * sigmoid(x) (swish).'),
  hardswish: same('hardswish', 'Hard swish (MobileNetV3).'),
  add: { type: 'add', doc: 'Element-wise sum of two or more inputs (broadcasting).', shapes: 'broadcast shape', inputs: 'many', keys: [] },
  mul: { type: 'mul', doc: 'Element-wise product of two or more inputs (broadcasting).', shapes: 'broadcast shape', inputs: 'many', keys: [] },
  concat: {
    type: 'concat', doc: 'Concatenation along an axis.', shapes: 'sum along axis', inputs: 'many',
    keys: [{ key: 'axis', doc: 'Axis, batch excluded: 0 is channels; negative counts from the end.', type: { t: 'int' }, default: 0 }],
  },
  embedding: {
    type: 'embedding', doc: 'Embedding table lookup (PyTorch Embedding).', shapes: '[T] -> [T, D]', inputs: 'one',
    keys: [
      { key: 'num_embeddings', doc: 'Rows of the table (vocabulary size).', type: { t: 'int', min: 1 }, required: true },
      { key: 'embedding_dim', doc: 'Embedding size D.', type: { t: 'int', min: 1 }, required: true },
    ],
  },
  softmax: {
    type: 'softmax', doc: 'Softmax along an axis.', shapes: 'same shape', inputs: 'one',
    keys: [{ key: 'axis', doc: 'Axis, batch excluded; -1 is the last.', type: { t: 'int' }, default: -1 }],
  },
  flatten: { type: 'flatten', doc: 'Flatten everything but the batch (torch.flatten(x, 1)).', shapes: '[...] -> [prod]', inputs: 'one', keys: [] },
  reshape: {
    type: 'reshape', doc: 'Reshape, batch excluded.', shapes: '[...] -> shape', inputs: 'one',
    keys: [{ key: 'shape', doc: 'New shape, batch excluded; one entry may be -1 (inferred).', type: { t: 'intList', min: 1, minusOne: true, nonEmpty: true }, required: true }],
  },
  transpose: {
    type: 'transpose', doc: 'Permute dimensions, batch excluded.', shapes: 'permuted', inputs: 'one',
    keys: [{ key: 'perm', doc: 'Permutation of 0..rank-1, batch excluded.', type: { t: 'intList', min: 0, nonEmpty: true }, required: true }],
  },
  dropout: {
    type: 'dropout', doc: 'Dropout (training mode).', shapes: 'same shape', inputs: 'one',
    keys: [{ key: 'p', doc: 'Drop probability in [0, 1).', type: { t: 'number', min: 0, max: 1, exclusiveMax: true }, default: 0.5 }],
  },
  input: {
    type: 'input', doc: 'A further network input beside `input_shape` (a second token sequence, an attention mask, a decoder target): costs nothing; later layers name it in `inputs`.', shapes: '-> shape', inputs: 'none',
    keys: [{ key: 'shape', doc: 'Shape of one sample of this input, batch excluded.', type: { t: 'intList', min: 1, nonEmpty: true }, required: true }],
  },
  rnn: { type: 'rnn', doc: 'Elman RNN with tanh (PyTorch RNN, batch_first).', shapes: '[T, F] -> [T, H·dirs] (or [H·dirs])', inputs: 'one', keys: rnnKeys },
  conv_transpose2d: {
    type: 'conv_transpose2d', doc: '2-D transposed convolution (PyTorch ConvTranspose2d): the forward pass is the backward-data pass of the convolution with the same kernel.', shapes: '[C,H,W] -> [K,(H-1)s-2p+d(R-1)+op+1,...]', inputs: 'one',
    keys: [
      { key: 'out_channels', doc: 'Output channels K.', type: { t: 'int', min: 1 }, required: true },
      kernel,
      { key: 'stride', doc: 'Stride: an integer or [h, w].', type: { t: 'intPair', min: 1 }, default: 1 },
      { key: 'padding', doc: 'Implicit padding removed from each side of the output: an integer or [h, w].', type: { t: 'intPair', min: 0 }, default: 0 },
      { key: 'output_padding', doc: 'Extra rows/columns added to one side of the output: an integer or [h, w].', type: { t: 'intPair', min: 0 }, default: 0 },
      { key: 'dilation', doc: 'Kernel dilation: an integer or [h, w].', type: { t: 'intPair', min: 1 }, default: 1 },
      { key: 'groups', doc: 'Channel groups.', type: { t: 'int', min: 1 }, default: 1 },
      bias,
    ],
  },
  groupnorm: {
    type: 'groupnorm', doc: 'Group normalisation over channel groups and the spatial extent (PyTorch GroupNorm; `groups` = channels is InstanceNorm).', shapes: 'same shape', inputs: 'one',
    keys: [{ key: 'groups', doc: 'Number of channel groups (divides the channels).', type: { t: 'int', min: 1 }, required: true }],
  },
  resize: {
    type: 'resize', doc: 'Resize / up-sample the trailing dimensions (ONNX Resize, PyTorch interpolate).', shapes: '[C, ...] -> [C, ...size]', inputs: 'one',
    keys: [
      { key: 'size', doc: 'Output size of the trailing dimensions, e.g. [H, W].', type: { t: 'intList', min: 1, nonEmpty: true }, required: true },
      { key: 'mode', doc: 'Interpolation: nearest, linear (bilinear on 2-D) or cubic.', type: { t: 'enum', values: ['nearest', 'linear', 'cubic'] }, default: 'nearest' },
    ],
  },
  pad: {
    type: 'pad', doc: 'Pad the trailing dimensions (ONNX Pad, PyTorch F.pad): a copy into a larger tensor.', shapes: '[..., D] -> [..., D + begin + end]', inputs: 'one',
    keys: [
      { key: 'pads', doc: 'Padding [begin..., end...] of the trailing dimensions (batch excluded), e.g. [1, 1, 1, 1] for H and W.', type: { t: 'intList', min: 0, nonEmpty: true }, required: true },
      { key: 'mode', doc: 'Fill: constant, reflect, edge or wrap.', type: { t: 'enum', values: ['constant', 'reflect', 'edge', 'wrap'] }, default: 'constant' },
    ],
  },
  slice: {
    type: 'slice', doc: 'Take [start, end) with a step along one axis (ONNX Slice, Split, Gather of an index): a copy of the part kept.', shapes: 'axis -> ceil((end-start)/step)', inputs: 'one',
    keys: [
      { key: 'axis', doc: 'Axis, batch excluded; negative counts from the end.', type: { t: 'int' }, default: 0 },
      { key: 'start', doc: 'First index (negative counts from the end; clamped).', type: { t: 'int' }, default: 0 },
      { key: 'end', doc: 'One past the last index (negative counts from the end; clamped). Default: the end of the axis.', type: { t: 'int' } },
      { key: 'step', doc: 'Step (not 0; negative walks backwards).', type: { t: 'int' }, default: 1 },
      { key: 'keep_dim', doc: 'Keep the sliced axis; false drops it (an index, `x[:, 0]`; needs a length-1 slice).', type: { t: 'bool' }, default: true },
    ],
  },
  expand: {
    type: 'expand', doc: 'Broadcast to a larger shape (ONNX Expand, torch.expand followed by a copy).', shapes: 'broadcast to shape', inputs: 'one',
    keys: [{ key: 'shape', doc: 'Target shape, batch excluded (broadcast with the input).', type: { t: 'intList', min: 1, nonEmpty: true }, required: true }],
  },
  reduce: {
    type: 'reduce', doc: 'Reduction over axes (ONNX ReduceMean/Sum/Max/Min...).', shapes: 'axes removed (or kept as 1)', inputs: 'one',
    keys: [
      { key: 'axes', doc: 'Axes, batch excluded.', type: { t: 'intList', min: 0, nonEmpty: true }, required: true },
      { key: 'keep_dims', doc: 'Keep the reduced axes as size 1.', type: { t: 'bool' }, default: true },
      { key: 'op', doc: 'The reduction: mean, sum, max, min, prod, l2, ...', type: { t: 'string' }, default: 'mean' },
    ],
  },
  elementwise: {
    type: 'elementwise', doc: 'Any other element-wise operator over one or more broadcast inputs (ONNX Where, Exp, Sqrt, CumSum, Trilu, Pow, Max, ...): one memory-bound pass.', shapes: 'broadcast shape', inputs: 'any',
    keys: [
      { key: 'op', doc: 'The operator, e.g. `Where` (shown in results).', type: { t: 'string' }, default: 'elementwise' },
      { key: 'flops', doc: 'Floating-point operations per output element in the forward pass (the backward pass is charged the same).', type: { t: 'number', min: 0 }, default: 1 },
    ],
  },
  unsupported: {
    type: 'unsupported', doc: 'An operator accelmap does not model (from an ONNX import): zero cost, stated output shape.', shapes: 'stated', inputs: 'many',
    keys: [{ key: 'op_type', doc: 'The original operator type, e.g. `Resize`.', type: { t: 'string' } }],
  },
};
export const LAYER_TYPE_NAMES = Object.keys(LAYER_TYPES) as LayerType[];

/** All keys a layer of `type` accepts (common keys first). */
export function layerKeys(type: LayerType): readonly KeyInfo[] {
  return [...COMMON_LAYER_KEYS, ...LAYER_TYPES[type].keys];
}

// ------------------------------------------------------------------------------------------------- hardware

export const HARDWARE_KEYS: readonly KeyInfo[] = [
  { key: 'kind', doc: 'What this file describes: `hardware` (target accelerators).', type: { t: 'enum', values: SPEC_KINDS }, required: true },
  { key: 'targets', doc: 'The targets this file defines.', type: { t: 'string' }, required: true },
];
export const TARGET_KINDS = KINDS.map((k) => k.kind);
export const TARGET_KEYS: readonly KeyInfo[] = [
  { key: 'name', doc: 'Unique target name, used in `targets:` and `--target`.', type: { t: 'string' }, required: true },
  { key: 'kind', doc: 'Architecture kind; required unless `extends` gives it.', type: { t: 'enum', values: TARGET_KINDS } },
  { key: 'extends', doc: 'A built-in preset or another target whose values this one starts from.', type: { t: 'string' } },
  { key: 'description', doc: 'Free text shown in hover and reports.', type: { t: 'string' } },
];

/**
 * Completion/hover vocabulary for hardware targets: the keys allowed inside `prefix` (a dotted group path, '' for the
 * target itself) of a target of `kind`: groups (with their parameter count) and parameters (with their ParamSpec).
 */
export function targetKeysAt(kind: import('./types').TargetKind, prefix: string): { key: string; group: boolean; param?: import('./params').ParamSpec }[] {
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
