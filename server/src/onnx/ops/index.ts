// Operator -> mapping, for the node-by-node loop in map.ts. An operator that is not listed goes to onOther
// (an element-wise layer when it is one, else `unsupported`). Which layer types each operator becomes is listed in
// the layer modules (layers/<type>.ts `onnx`); test/unit/layers/registry.test.ts keeps the two in step.
import type { NodeCtx } from './context';
import {
  onIdentity,
  onAdd,
  onSum,
  onErf,
  onRelu,
  onSigmoid,
  onTanh,
  onGelu,
  onHardSwish,
  onLeakyRelu,
  onClip,
  onSoftmax,
  onDropout,
  onOther,
} from './elementwise';
import { onPad, onConv, onConvTranspose, onMaxPool, onGlobalAveragePool, onGlobalMaxPool, onResize } from './conv';
import { onGemm, onEinsum, onAttention } from './matmul';
import {
  onBatchNormalization,
  onInstanceNormalization,
  onLayerNormalization,
  onSkipLayerNormalization,
  onReduceMean,
} from './norm';
import { onFlatten, onReshape, onTranspose, onConcat, onGather, onSlice, onSplit, onExpand } from './shape';
import { onLSTM } from './rnn';

/** Operators imported as an alias of their input: no layer (ASM-7 for the quantize/dequantize pairs). */
export const ALIASES = ['Identity', 'Cast', 'CastLike', 'QuantizeLinear', 'DequantizeLinear'] as const;

export const OPS: Record<string, (c: NodeCtx) => void> = {
  ...Object.fromEntries(ALIASES.map((op) => [op, onIdentity])),
  Add: onAdd,
  Sub: onAdd,
  Mul: onAdd,
  Div: onAdd,
  Sum: onSum,
  Erf: onErf,
  Relu: onRelu,
  Sigmoid: onSigmoid,
  HardSigmoid: onSigmoid,
  Tanh: onTanh,
  Gelu: onGelu,
  FastGelu: onGelu,
  BiasGelu: onGelu,
  HardSwish: onHardSwish,
  LeakyRelu: onLeakyRelu,
  Clip: onClip,
  Softmax: onSoftmax,
  LogSoftmax: onSoftmax,
  Dropout: onDropout,
  Pad: onPad,
  Conv: onConv,
  ConvTranspose: onConvTranspose,
  MaxPool: onMaxPool,
  AveragePool: onMaxPool,
  GlobalAveragePool: onGlobalAveragePool,
  GlobalMaxPool: onGlobalMaxPool,
  Resize: onResize,
  Upsample: onResize,
  Gemm: onGemm,
  MatMul: onGemm,
  Einsum: onEinsum,
  Attention: onAttention,
  MultiHeadAttention: onAttention,
  BatchNormalization: onBatchNormalization,
  InstanceNormalization: onInstanceNormalization,
  GroupNormalization: onInstanceNormalization,
  LayerNormalization: onLayerNormalization,
  SimplifiedLayerNormalization: onLayerNormalization,
  RMSNormalization: onLayerNormalization,
  SkipLayerNormalization: onSkipLayerNormalization,
  ReduceMean: onReduceMean,
  ReduceMax: onReduceMean,
  ReduceSum: onReduceMean,
  ReduceMin: onReduceMean,
  ReduceProd: onReduceMean,
  ReduceL1: onReduceMean,
  ReduceL2: onReduceMean,
  ReduceSumSquare: onReduceMean,
  ReduceLogSumExp: onReduceMean,
  ArgMax: onReduceMean,
  ArgMin: onReduceMean,
  Flatten: onFlatten,
  Reshape: onReshape,
  Squeeze: onReshape,
  Unsqueeze: onReshape,
  Transpose: onTranspose,
  Concat: onConcat,
  Gather: onGather,
  Slice: onSlice,
  Split: onSplit,
  Expand: onExpand,
  LSTM: onLSTM,
  GRU: onLSTM,
  RNN: onLSTM,
};

export function mapNode(c: NodeCtx): void {
  (OPS[c.n.opType] ?? onOther)(c);
}
