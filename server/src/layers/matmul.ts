// matmul: the product of two activations, batched over broadcast leading dimensions (torch.matmul; attention).
//   A[..., M, K] x B[..., K, N] -> [..., M, N]; MACs = N prod(lead) M K N; no parameters
//   bwd_data computes both input gradients (dA and dB): twice the forward's MACs.
import type { LayerDef } from './def';
import { broadcast, fmt, prod } from './common';

export const matmul: LayerDef = {
  type: 'matmul',
  doc: 'Matrix product of two activations, batched over leading dimensions (torch.matmul).',
  shapes: 'A[..., M, K] x B[..., K, N] -> [..., M, N]',
  inputs: 'two',
  keys: [
    {
      key: 'transpose_a',
      doc: 'Use A transposed (its last two dimensions swapped).',
      type: { t: 'bool' },
      default: false,
    },
    {
      key: 'transpose_b',
      doc: 'Use B transposed (its last two dimensions swapped).',
      type: { t: 'bool' },
      default: false,
    },
  ],
  infer(c) {
    const a = c.attrs;
    const [A, B] = c.ins;
    if (A.length < 2 || B.length < 2) {
      const bad = A.length < 2 ? 0 : 1;
      c.error(
        'AM4008',
        `matmul needs inputs of rank >= 2 ([..., M, K] and [..., K, N], batch excluded); \`${c.names[bad]}\` gives ${fmt(c.ins[bad])}. Reshape it first.`,
      );
      return null;
    }
    const [M, K] = a.transposeA ? [A[A.length - 1], A[A.length - 2]] : [A[A.length - 2], A[A.length - 1]];
    const [K2, Nn] = a.transposeB ? [B[B.length - 1], B[B.length - 2]] : [B[B.length - 2], B[B.length - 1]];
    if (K !== K2) {
      c.error(
        'AM4001',
        `matmul: inner dimensions differ: \`${c.names[0]}\` has shape ${fmt(A)} (K = ${K}${a.transposeA ? ', transposed' : ''}) but \`${c.names[1]}\` has ${fmt(B)} (K = ${K2}${a.transposeB ? ', transposed' : ''}). Check the inputs or set transpose_a/transpose_b.`,
      );
      return null;
    }
    const lead = broadcast(A.slice(0, -2), B.slice(0, -2));
    if (!lead) {
      c.error(
        'AM4001',
        `matmul: leading dimensions do not broadcast: \`${c.names[0]}\` has shape ${fmt(A)} but \`${c.names[1]}\` has ${fmt(B)}.`,
      );
      return null;
    }
    return { shape: [...lead, M, Nn], params: 0, macs: c.N * prod(lead) * M * K * Nn };
  },
  cls: 'matmul',
  lower(c) {
    const { L, N, out, E, Ein, a, g } = c;
    const A = L.inShapes[0] ?? [1, 1],
      Bs = L.inShapes[1] ?? [1, 1];
    const M = L.attrs.transposeA ? A[A.length - 1] : (A[A.length - 2] ?? 1);
    const Kd = L.attrs.transposeA ? (A[A.length - 2] ?? 1) : A[A.length - 1];
    const Nd = L.attrs.transposeB ? (Bs[Bs.length - 2] ?? 1) : Bs[Bs.length - 1];
    const Bb = N * prod(out, 0, Math.max(0, out.length - 2));
    c.dims = { B: Bb, M, N: Nd, K: Kd };
    const mm = Bb * M * Nd * Kd;
    c.fM = mm;
    c.fF = 2 * mm;
    c.fKind = 'mvm';
    c.dM = 2 * mm;
    c.dF = 4 * mm;
    c.fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
    c.bd
      .add('output_grad', E * g, 'r')
      .add('saved_activation', Ein * a, 'r')
      .add('input_grad', Ein * g, 'w');
    c.saved = Ein * a;
  },
  onnx: ['MatMul', 'Einsum', 'Attention', 'MultiHeadAttention'],
};
