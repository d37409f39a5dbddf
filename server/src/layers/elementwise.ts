// elementwise: any other element-wise operator over one or more broadcast inputs, as one memory-bound pass; the
// backward reads the saved inputs and costs the forward's flops per element (ASM).
import type { LayerDef } from './def';
import { broadcastAll } from './common';

/** The ONNX element-wise operators without a layer type of their own, with their forward flops per element (ASM). */
export const EWISE_FLOPS: Record<string, number> = {
  Where: 1,
  Trilu: 1,
  CumSum: 1,
  Exp: 4,
  Log: 4,
  Sqrt: 2,
  Reciprocal: 1,
  Neg: 1,
  Abs: 1,
  Pow: 4,
  Sin: 8,
  Cos: 8,
  Softplus: 8,
  Softsign: 3,
  Elu: 4,
  Selu: 5,
  Celu: 4,
  Mish: 12,
  ThresholdedRelu: 2,
  PRelu: 2,
  Not: 1,
  Sign: 1,
  Floor: 1,
  Ceil: 1,
  Round: 1,
  IsNaN: 1,
  IsInf: 1,
  Max: 1,
  Min: 1,
  Mod: 2,
  Equal: 1,
  Less: 1,
  Greater: 1,
  LessOrEqual: 1,
  GreaterOrEqual: 1,
  And: 1,
  Or: 1,
  Xor: 1,
  BitShift: 1,
  Mean: 1,
  LpNormalization: 4,
  LRN: 8,
  Shrink: 2,
  Sinh: 8,
  Cosh: 8,
  Tan: 8,
  Asin: 8,
  Acos: 8,
  Atan: 8,
  Asinh: 8,
  Acosh: 8,
  Atanh: 8,
};

export const elementwise: LayerDef = {
  type: 'elementwise',
  doc: 'Any other element-wise operator over one or more broadcast inputs (ONNX Where, Exp, Sqrt, CumSum, Trilu, Pow, Max, ...): one memory-bound pass.',
  shapes: 'broadcast shape',
  inputs: 'any',
  keys: [
    { key: 'op', doc: 'The operator, e.g. `Where` (shown in results).', type: { t: 'string' }, default: 'elementwise' },
    {
      key: 'flops',
      doc: 'Floating-point operations per output element in the forward pass (the backward pass is charged the same).',
      type: { t: 'number', min: 0 },
      default: 1,
    },
  ],
  infer: broadcastAll,
  cls: 'eltwise',
  lower(c) {
    const { E, Ein, a, g } = c;
    const f = c.L.attrs.flops ?? 1;
    c.dims = { E };
    c.fF = f * E;
    c.dF = f * E;
    c.fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
    c.bd
      .add('output_grad', E * g, 'r')
      .add('saved_activation', Ein * a, 'r')
      .add('input_grad', Ein * g, 'w');
    c.saved = Ein * a;
  },
  onnx: Object.keys(EWISE_FLOPS),
};
