// linear: fully connected on the last dimension (PyTorch Linear).
//   [..., F] -> [..., O]; params = F O + O (bias); MACs = N prod(leading dims) F O
// Lowered as a layer with weights; dims M (rows = N x leading dims), N (outputs), K (inputs): a GEMM.
import type { LayerDef } from './def';
import { biasKey, lowerWeighted, prod } from './common';

export const linear: LayerDef = {
  type: 'linear',
  doc: 'Fully connected layer on the last dimension (PyTorch Linear).',
  shapes: '[..., F] -> [..., out_features]',
  inputs: 'one',
  keys: [{ key: 'out_features', doc: 'Output features.', type: { t: 'int', min: 1 }, required: true }, biasKey],
  infer(c) {
    const x = c.x;
    if (!c.rank('a [..., F]', x.length >= 1)) return null;
    const F = x[x.length - 1];
    const O = c.attrs.outFeatures!;
    return {
      shape: [...x.slice(0, -1), O],
      params: F * O + (c.attrs.bias ? O : 0),
      macs: c.N * prod(x, 0, x.length - 1) * F * O,
    };
  },
  cls: 'matmul',
  lower(c) {
    const { L, N, out } = c;
    const inS = L.inShapes[0] ?? [1];
    const Kd = inS[inS.length - 1] ?? 1;
    const Nd = L.attrs.outFeatures ?? out[out.length - 1] ?? 1;
    const M = N * prod(inS, 0, inS.length - 1);
    c.dims = { M, N: Nd, K: Kd };
    lowerWeighted(c, M * Nd * Kd, L.attrs.bias ? M * Nd : 0);
  },
  // Gemm and MatMul with a constant operand; x @ W written as Einsum; the projections of fused attention
  onnx: ['Gemm', 'MatMul', 'Einsum', 'Attention', 'MultiHeadAttention'],
};
