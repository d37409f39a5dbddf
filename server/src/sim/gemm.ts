// GEMM view of an MVM phase: output rows M x output columns N, reduction length K, repeated `groups` times, so
// that MACs = groups * M * N * K (equal to the phase's MACs up to rounding). Conv layers are seen through im2col
// (ASM: no sliding-window reuse of inputs beyond what the tiling gives; conservative for input traffic).
//
// | cls    | fwd                         | bwd_data                     | bwd_weight                    |
// |--------|-----------------------------|------------------------------|-------------------------------|
// | conv   | K/G x N*P*Q, red C/G*R*S    | C/G x N*H*W, red K/G*R*S     | K/G x C/G*R*S, red N*P*Q      |
// | linear | N x M, red K                | K x M, red N                 | N x K, red M                  |
// | matmul | M x N, red K (B times)      | as fwd, twice (dA, dB)       | —                             |
// | rnn    | G*H x N*T, red X+H          | as fwd                       | G*H x X+H, red N*T            |
// (linear dims are Timeloop's M = rows of the batch, N = out features, K = in features.)
import type { PhaseWork, LayerWork } from './workload';
import type { Dims, Phase } from './types';

export interface GemmShape {
  M: number;
  N: number;
  K: number;
  groups: number;
}

export function gemmShape(l: LayerWork, p: PhaseWork): GemmShape {
  const d = l.dims;
  let s: GemmShape;
  if (l.cls === 'conv') {
    const G = d.G || 1;
    if (p.phase === 'fwd') s = { M: d.K / G, N: d.N * d.P * d.Q, K: (d.C / G) * d.R * d.S, groups: G };
    else if (p.phase === 'bwd_data') s = { M: d.C / G, N: d.N * d.H * d.W, K: (d.K / G) * d.R * d.S, groups: G };
    else s = { M: d.K / G, N: (d.C / G) * d.R * d.S, K: d.N * d.P * d.Q, groups: G };
  } else if (l.op === 'linear') {
    if (p.phase === 'fwd') s = { M: d.N, N: d.M, K: d.K, groups: 1 };
    else if (p.phase === 'bwd_data') s = { M: d.K, N: d.M, K: d.N, groups: 1 };
    else s = { M: d.N, N: d.K, K: d.M, groups: 1 };
  } else if (l.cls === 'matmul') {
    s = { M: d.M, N: d.N, K: d.K, groups: (d.B || 1) * (p.phase === 'bwd_data' ? 2 : 1) };
  } else if (l.cls === 'rnn') {
    const rows = (d.G || 4) * d.H,
      red = (d.X || 1) + d.H;
    s =
      p.phase === 'bwd_weight'
        ? { M: rows, N: red, K: d.N * (d.T || 1), groups: (d.L || 1) * (d.D || 1) }
        : { M: rows, N: d.N * (d.T || 1), K: red, groups: (d.L || 1) * (d.D || 1) };
  } else {
    s = { M: 1, N: Math.max(1, p.flops), K: 1, groups: 1 };
  }
  s.M = Math.max(1, s.M || 1);
  s.N = Math.max(1, s.N || 1);
  s.K = Math.max(1, s.K || 1);
  return s;
}

/**
 * Operand traffic of an output-stationary blocked GEMM with a T x T output tile held on chip (classic blocking
 * bound): every output tile streams an M-panel and an N-panel through the reduction, so input words =
 * groups*M*N*K*(1/Tm + 1/Tn) with Tm = min(M, T), Tn = min(N, T); outputs are written once (M*N*groups).
 * Returns words (multiply by the element size).
 */
export function blockedTraffic(s: GemmShape, T: number): { inWords: number; outWords: number; Tm: number; Tn: number } {
  const Tm = Math.max(1, Math.min(s.M, T)),
    Tn = Math.max(1, Math.min(s.N, T));
  const macs = s.groups * s.M * s.N * s.K;
  return { inWords: macs * (1 / Tm + 1 / Tn), outWords: s.groups * s.M * s.N, Tm, Tn };
}

export interface MvmShape {
  vectors: number;
  red: number;
  out: number;
  groups: number;
  stationary: number;
}

/**
 * The GEMM view of a layer phase as matrix-vector products (ASM mapping, seed-systems §5.1/§5.3; used by the imc and
 * gradpim models):
 *   fwd        y = W x      : stationary W (red = C/G*R*S or K_in, out = K or N_out)
 *   bwd_data   dx = W^T dy  : stationary W^T (red = K/G*R*S or N_out, out = C/G or K_in)
 *   bwd_weight dW = dy x^T  : stationary = the output gradient dy (red = N*P*Q positions, out = K/G); the im2col
 *                             columns of x are the input vectors (one per weight row element, C/G*R*S of them)
 * The vector count is derived from the phase's MACs so every layer type (conv, linear, matmul, lstm) maps:
 *   vectors = macs / (groups * red * out).
 */
export function mvmShape(cls: string, dims: Dims, phase: Phase, macs: number): MvmShape {
  let red = 1,
    out = 1,
    groups = 1;
  if (cls === 'conv') {
    const G = dims.G || 1,
      C = dims.C || 1,
      K = dims.K || 1,
      RS = (dims.R || 1) * (dims.S || 1);
    const NPQ = (dims.N || 1) * (dims.P || 1) * (dims.Q || 1);
    groups = G;
    if (phase === 'fwd') {
      red = (C / G) * RS;
      out = K / G;
    } else if (phase === 'bwd_data') {
      red = (K / G) * RS;
      out = C / G;
    } else {
      red = NPQ;
      out = K / G;
    }
  } else if (cls === 'rnn') {
    const X = dims.X || 1,
      H = dims.H || 1,
      g = dims.G || 4,
      NT = (dims.N || 1) * (dims.T || 1);
    if (phase === 'fwd') {
      red = X + H;
      out = g * H;
    } else if (phase === 'bwd_data') {
      red = g * H;
      out = X + H;
    } else {
      red = NT;
      out = g * H;
    }
  } else {
    // linear: [M x K] x [K x N]; batched matmul (dims.B): B independent products, each with its own stationary
    // right-hand operand (written per product: attention's K and V are activations).
    groups = dims.B || 1;
    const M = dims.M || 1,
      K = dims.K || 1,
      N = dims.N || 1;
    if (phase === 'fwd') {
      red = K;
      out = N;
    } else if (phase === 'bwd_data') {
      red = N;
      out = K;
    } else {
      red = M;
      out = N;
    }
  }
  red = Math.max(1, red);
  out = Math.max(1, out);
  groups = Math.max(1, groups);
  const vectors = macs / (groups * red * out);
  return { vectors, red, out, groups, stationary: groups * red * out };
}
