// Pieces several layer modules share: shape arithmetic, key definitions, and the lowering of the common families
// (layers with weights, activations, copies, norms, pools). Formulas of the lowering: sim/workload.ts's header.
import type { KeyInfo } from '../spec/keys';
import type { Shape } from '../spec/types';
import type { InferCtx, Inferred, LayerDef, LowerCtx } from './def';

export const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

export function prod(s: readonly number[], from = 0, to = s.length): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= s[i];
  return p;
}

/** NumPy broadcasting of two shapes; null when they do not broadcast. */
export function broadcast(a: readonly number[], b: readonly number[]): Shape | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out[i] = Math.max(x, y);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------ keys

export const kernelKey: KeyInfo = {
  key: 'kernel_size',
  attr: 'kernel',
  doc: 'Window size: an integer or [h, w].',
  type: { t: 'intPair', min: 1 },
  required: true,
};
export const biasKey: KeyInfo = {
  key: 'bias',
  doc: 'Whether the layer adds a learned bias.',
  type: { t: 'bool' },
  default: true,
};
export const poolKeys: readonly KeyInfo[] = [
  kernelKey,
  { key: 'stride', doc: 'Stride (default: the kernel size).', type: { t: 'intPair', min: 1 } },
  {
    key: 'padding',
    doc: 'Padding on each side (at most half the kernel).',
    type: { t: 'intPair', min: 0 },
    default: 0,
  },
  { key: 'ceil_mode', doc: 'Round the output size up instead of down.', type: { t: 'bool' }, default: false },
];
export const rnnKeys: readonly KeyInfo[] = [
  { key: 'hidden_size', doc: 'Hidden state size H.', type: { t: 'int', min: 1 }, required: true },
  { key: 'num_layers', doc: 'Stacked recurrent layers.', type: { t: 'int', min: 1 }, default: 1 },
  {
    key: 'bidirectional',
    doc: 'Run a second direction backwards over time (output 2H).',
    type: { t: 'bool' },
    default: false,
  },
  biasKey,
  {
    key: 'return_sequences',
    doc: 'Output every time step ([T, H·dirs]) or only the last ([H·dirs]).',
    type: { t: 'bool' },
    default: true,
  },
];

// --------------------------------------------------------------------------------------------------- shapes

/** The output has the input's shape; no parameters, no MACs. */
export const sameShape = (c: InferCtx): Inferred => ({ shape: c.x.slice(), params: 0, macs: 0 });

/** The broadcast shape of every input; an error naming the first input that does not broadcast. */
export function broadcastAll(c: InferCtx): Inferred | null {
  let acc: Shape = c.ins[0];
  for (let k = 1; k < c.ins.length; k++) {
    const b = broadcast(acc, c.ins[k]);
    if (!b) {
      c.error(
        'AM4001',
        `${c.type}: input \`${c.names[k]}\` has shape ${fmt(c.ins[k])} but \`${c.names[0]}\` has ${fmt(c.ins[0])}; they must be equal or broadcastable.`,
      );
      return null;
    }
    acc = b;
  }
  return { shape: acc, params: 0, macs: 0 };
}

// ------------------------------------------------------------------------------------------------- lowering

/**
 * A layer with weights (conv, linear): fwd y = W x (+ bias), bwd_data dx = W^T dy, bwd_weight dW = dy x^T (+ bias
 * gradient), the input kept from fwd for bwd_weight.
 */
export function lowerWeighted(c: LowerCtx, macs: number, bias: number): void {
  const { Ein, E, W, a, g, b } = c;
  c.fM = macs;
  c.fF = 2 * macs + bias;
  c.fKind = 'mvm';
  c.dM = macs;
  c.dF = 2 * macs;
  c.wM = macs;
  c.wF = 2 * macs + bias;
  c.fwd
    .add('input', Ein * a, 'r')
    .add('weight', W * b.weight, 'r')
    .add('output', E * a, 'w');
  c.bd
    .add('output_grad', E * g, 'r')
    .add('weight', W * b.weight, 'r')
    .add('input_grad', Ein * g, 'w');
  c.bw
    .add('output_grad', E * g, 'r')
    .add('saved_activation', Ein * a, 'r')
    .add('weight_grad', W * g, 'w');
  c.saved = Ein * a;
}

/**
 * An activation: `flops` per element forward and backward (ASM, sim/workload.ts); `masked`: the backward reads a
 * 1-byte mask kept from the forward (ASM) instead of the saved output.
 */
export function lowerActivation(c: LowerCtx, flops: readonly [number, number], masked: boolean): void {
  const { E, Ein, a, g } = c;
  c.dims = { E };
  c.fF = flops[0] * E;
  c.dF = flops[1] * E;
  const keep = masked ? E : E * a;
  c.fwd
    .add('input', Ein * a, 'r')
    .add('output', E * a, 'w')
    .add('saved_activation', masked ? keep : 0, 'w');
  c.bd
    .add('output_grad', E * g, 'r')
    .add('saved_activation', keep, 'r')
    .add('input_grad', Ein * g, 'w');
  c.saved = keep;
}

/** A copy (concat, pad): read the inputs, write the output; backward the gradient's way back. */
export function lowerCopy(c: LowerCtx): void {
  c.dims = { E: c.E };
  c.fwd.add('input', c.Ein * c.a, 'r').add('output', c.E * c.a, 'w');
  c.bd.add('output_grad', c.E * c.g, 'r').add('input_grad', c.Ein * c.g, 'w');
}

/** An element-wise activation type: same shape, one input, lowered by lowerActivation. */
export function activation(
  type: string,
  doc: string,
  flops: readonly [number, number],
  masked: boolean,
  onnx: readonly string[],
  keys: readonly KeyInfo[] = [],
): LayerDef {
  return {
    type,
    doc,
    shapes: 'same shape',
    inputs: 'one',
    keys,
    infer: sameShape,
    cls: 'eltwise',
    lower: (c) => lowerActivation(c, flops, masked),
    onnx,
  };
}

/**
 * A normalisation with a per-channel (or per-feature) affine scale and shift: statistics kept for the backward pass
 * in fp32 — per channel, or per (sample, group) for group norm.
 */
export function lowerNorm(c: LowerCtx, channels: number, statsPerSample: number): void {
  const { E, Ein, W, a, g, b, N } = c;
  c.dims = { E, C: channels };
  c.fF = 8 * E;
  c.dF = 12 * E;
  c.wF = 4 * E;
  const stats = 2 * (statsPerSample ? N * statsPerSample : channels) * 4;
  c.fwd
    .add('input', Ein * a, 'r')
    .add('weight', W * b.weight, 'r')
    .add('output', E * a, 'w')
    .add('saved_activation', stats, 'w');
  c.bd
    .add('output_grad', E * g, 'r')
    .add('saved_activation', Ein * a + stats, 'r')
    .add('weight', W * b.weight, 'r')
    .add('input_grad', Ein * g, 'w');
  c.bw
    .add('output_grad', E * g, 'r')
    .add('saved_activation', Ein * a, 'r')
    .add('weight_grad', W * g, 'w');
  c.saved = Ein * a + stats;
}

/** Pooling: window reads forward (all of the input when global); max-pooling keeps a 1-byte arg-max per output. */
export function lowerPool(c: LowerCtx, isMax: boolean, global: boolean): void {
  const { E, Ein, a, g } = c;
  const [R, S] = c.L.attrs.kernel ?? [1, 1];
  c.dims = { E, Ein, R, S };
  c.fF = global ? Ein + (isMax ? 0 : E) : isMax ? R * S * E : (R * S + 1) * E;
  c.dF = Ein;
  c.fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
  if (isMax) {
    c.fwd.add('saved_activation', E, 'w');
    c.saved = E;
  }
  c.bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
  if (isMax) c.bd.add('saved_activation', E, 'r');
}

/** A [C,H,W] -> [C,1,1] global pool. */
export function globalPool(type: string, doc: string, isMax: boolean, onnx: readonly string[]): LayerDef {
  return {
    type,
    doc,
    shapes: '[C,H,W] -> [C,1,1]',
    inputs: 'one',
    keys: [],
    infer: (c) => (c.rank('a [C,H,W]', c.x.length === 3) ? { shape: [c.x[0], 1, 1], params: 0, macs: 0 } : null),
    cls: 'pool',
    lower: (c) => lowerPool(c, isMax, true),
    onnx,
  };
}
