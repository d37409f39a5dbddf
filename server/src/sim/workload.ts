// The lowered workload: a network's training iteration split into layers x phases, with FLOPs, MACs and the
// compulsory bytes of every tensor each phase touches. Built once per simulate() call (lower.ts) and shared by
// every target simulator. Everything is for ONE training iteration of the whole minibatch (batch N).
//
// Formula table (N = batch, E = output elements of the layer for the whole batch, Ein = input elements,
// b_a / b_w / b_g = bytes per activation / weight / gradient element, |W| = trainable parameters).
// Sources: seed-systems.md §0 for conv/FC/LSTM MACs and optimizer ops; flops/element of element-wise layers
// are ASM (counted as a straightforward kernel would: one flop per add/mul/compare/exp; exp, div, sqrt, erf = 1).
//
// | cls / op              | fwd flops                        | bwd_data flops            | bwd_weight flops        |
// |-----------------------|----------------------------------|---------------------------|-------------------------|
// | conv (Timeloop dims)  | 2*N*K*(C/G)*R*S*P*Q (+E bias)    | = fwd MAC part            | = fwd MAC part (+E bias)|
// | linear  [M x K]x[K x N]| 2*M*N*K (+M*N bias)             | 2*M*N*K                   | 2*M*N*K (+M*N bias)     |
// | matmul  (no params)   | 2*B*M*N*K                        | 4*B*M*N*K (dA and dB)     | —                       |
// | lstm/gru (gates g=4/3)| 2*T*N*g*H*(X+H)*dirs + 10*T*N*H*dirs cell math | = fwd + cell math | 2*T*N*g*H*(X+H)*dirs |
// | batchnorm/layernorm   | 8*E (mean, var, normalise, affine)| 12*E                     | 4*E (dgamma, dbeta)     |
// | relu 1, relu6/leaky 2, hardswish 4, sigmoid 4, tanh 5, silu 5, gelu 8 per E | bwd 1/2/2/4/3/3/6/12 per E | — |
// | maxpool               | R*S*E compares                   | Ein (scatter to argmax)   | —                       |
// | avgpool               | (R*S+1)*E                        | Ein                       | —                       |
// | global pools          | Ein (+E)                         | Ein                       | —                       |
// | add (n inputs)        | (n-1)*E                          | 0 (grad copied/aliased; bytes moved) | —            |
// | mul (n inputs)        | (n-1)*E                          | n*(n-1)*E                 | —                       |
// | concat                | 0 (copy)                         | 0 (split copy)            | —                       |
// | softmax               | 5*E (max, sub, exp, sum, div)    | 4*E                       | —                       |
// | dropout               | 2*E (rng compare, scale)         | 1*E                       | —                       |
// | embedding (gather)    | 0 (N*T*D rows read)              | — (indices have no grad)  | N*T*D (scatter-add)     |
// | flatten/reshape       | 0, no bytes (a view)             | 0                         | —                       |
// | transpose             | 0, E read + E written            | 0, E read + E written     | —                       |
// | unsupported           | 0, 0 bytes (a warning elsewhere) | —                         | —                       |
//
// Phase rules:
// - every layer gets fwd (possibly with zero work);
// - bwd_data only if some input needs a gradient: an input needs one when its producer has parameters or itself
//   depends on a layer that has them (ReLU/pool/norm backward are memory-bound work and count). The network input
//   never needs a gradient. (The brief's rule "skip when all inputs are the network input" is the special case.)
// - bwd_weight and update only for layers with parameters (|W| > 0).
// - The loss gradient is assumed given (ASM: softmax-cross-entropy backward is a few flops per logit, folded away).
//
// Update (per parameter; ASM, standard optimizer math, seed-systems.md §0):
//   sgd 2 flops (w -= lr*g) +2 with weight decay; momentum 5 (v = m*v + g + wd*w; w -= lr*v); adam 12, adamw 13.
//   Bytes: read g (b_g); read+write the master weights (4 B each when master_weights is fp32 and the network trains
//   below fp32, else b_w); read+write each optimizer state (momentum 1 state, adam 2; stored at master precision);
//   mixed precision also writes the low-precision working copy (b_w). Embedding tables are updated densely (every
//   row, ASM: sparse/lazy optimizers not modelled).
//
// Saved activations (kept from fwd for the backward pass; counted in `savedBytes` for footprints and read back in
// bwd as role 'saved_activation'): conv/linear/matmul/lstm keep their inputs (read by bwd_weight / bwd_data),
// relu-family and dropout keep a 1-byte mask per element (ASM), norms keep the input plus 2 fp32 stats per channel,
// maxpool keeps a 1-byte argmax index per output element (ASM), softmax/sigmoid/tanh keep their output.
import type { LayerType, NetworkModel, Precision } from '../spec/types';
import type { Dims, Phase } from './types';

export type LayerClass =
  'conv' | 'matmul' | 'rnn' | 'norm' | 'pool' | 'eltwise' | 'embedding' | 'reshape' | 'unsupported';

/** mvm: matrix-vector/matrix-matrix reductions (MAC arrays); eltwise: per-element work; update: the optimizer step. */
export type WorkKind = 'mvm' | 'eltwise' | 'update';

export type TensorRole =
  | 'input'
  | 'output'
  | 'weight'
  | 'weight_grad'
  | 'input_grad'
  | 'output_grad'
  | 'saved_activation'
  | 'optimizer_state'
  | 'master_weight';

export interface TensorAccess {
  role: TensorRole;
  /** Bytes of the whole tensor as touched once (compulsory). */
  bytes: number;
  rw: 'r' | 'w';
}

export interface PhaseWork {
  phase: Phase;
  flops: number;
  /** Multiply-accumulates (each is 2 of `flops`); 0 for element-wise work. */
  macs: number;
  kind: WorkKind;
  tensors: TensorAccess[];
  /** Compulsory traffic: every tensor touched once (sum of `tensors[].bytes`). */
  minBytes: number;
  /** Bytes of `tensors` that are weights (or weight-shaped: grads, states, masters) — handy for fit checks. */
  weightBytes: number;
  /**
   * The other (activation-shaped) tensors' bytes, read and written. weightBytes + actReadBytes + actWriteBytes =
   * minBytes.
   */
  actReadBytes: number;
  actWriteBytes: number;
  /**
   * Bytes per role class (summed once here so target models need not walk `tensors` per phase): activations
   * (input, output, saved_activation), gradients (input_grad, output_grad), weight, weight_grad. The rest of minBytes
   * is optimizer state and master weights.
   */
  activationBytes: number;
  gradientBytes: number;
  weightRoleBytes: number;
  weightGradBytes: number;
}

export interface LayerWork {
  index: number;
  name: string;
  op: LayerType;
  cls: LayerClass;
  /** Timeloop names: conv N C K H W P Q R S Hstride Wstride G; matmul M N K (+ B). Element-wise: E. */
  dims: Dims;
  params: number;
  /** Bytes kept from fwd for the backward pass. */
  savedBytes: number;
  /** Present phases, in the order fwd, bwd_data, bwd_weight, update (absent phases are left out). */
  phases: PhaseWork[];
}

export interface ElementBytes {
  act: number;
  weight: number;
  grad: number;
  /** Master weight copy (4 for fp32 masters under mixed precision; = weight otherwise). */
  master: number;
  /** Optimizer state element (= master). */
  optState: number;
}

export interface Workload {
  network: NetworkModel;
  batch: number;
  precision: Precision;
  gradPrecision: Precision;
  /** True when a separate fp32 master copy is kept (precision below fp32 with master_weights fp32). */
  mixed: boolean;
  bytes: ElementBytes;
  optimizer: { type: NetworkModel['optimizer']['type']; flopsPerParam: number; states: number };
  layers: LayerWork[];
  totalFlops: number;
  totalMacs: number;
  totalParams: number;
  /** Bytes: resident weights (working copy), saved activations, optimizer state + masters. */
  /**
   * Training state in bytes: weights, their gradients, optimizer state (with fp32 masters), activations saved for
   * backward.
   */
  footprint: { weights: number; gradients: number; saved: number; optimizer: number };
  /** Assumptions made while lowering (e.g. unsupported layers counted as zero cost). */
  /** What lowering found (unsupported layers, the loss assumption), attached to every target's findings. */
  notes: import('./findings').FindingDraft[];
}

/** Bytes per element of each precision. radix4 is the 4-bit FP4 (1-3-0) format. */
export const PRECISION_BYTES: Record<Precision, number> = {
  fp32: 4,
  tf32: 4,
  fp16: 2,
  bf16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
  radix4: 0.5,
};

/** Find a phase of a layer (undefined when the layer has none). */
export function phaseOf(l: LayerWork, p: Phase): PhaseWork | undefined {
  for (const w of l.phases) if (w.phase === p) return w;
  return undefined;
}
