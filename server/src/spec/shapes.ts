// Shape inference through the layer graph, with parameter and MAC counts that follow PyTorch's definitions
// (checked against /work/shared/models/onnx/layer-tables.json in test/unit/spec/). Shapes exclude the batch.
//
// Formulas (PyTorch documentation of Conv2d, MaxPool2d, AvgPool2d, Linear, LSTM, GRU, Embedding, norms):
//   conv2d   P = floor((H + 2*pad_h - dil_h*(R-1) - 1) / stride_h) + 1   (Q likewise)
//            params = K*(C/groups)*R*S + K (bias);  MACs = N*K*P*Q*(C/groups)*R*S
//   pools    P = floor_or_ceil((H + 2*pad - (k-1) - 1) / stride) + 1; with ceil_mode the last window must start
//            inside the input or left padding: if (P-1)*stride >= H + pad then P -= 1
//   linear   [..., F] -> [..., O]; params = F*O + O (bias); MACs = N*prod(leading dims)*F*O
//   matmul   A[..., M, K] x B[..., K, N] -> [..., M, N], leading dims broadcast; MACs = N*prod(lead)*M*K*N
//   lstm     per layer and direction: params 4H(X+H) + 8H (b_ih and b_hh); MACs T*N*4H(X+H);
//            X = F for layer 0, H*dirs above it.  gru: the same with 3H and 6H.
//   batchnorm params 2*C (gamma, beta);  layernorm 2*F (last dim);  embedding num_embeddings*D (a lookup: 0 MACs)
import type { AstNode, AstScalar } from './ast';
import type { Diags } from './diag';
import type { LayerAttrs, LayerModel, LayerRanges, LayerType, Shape } from './types';
import { LAYER_TYPES } from './vocab';
import { didYouMean } from './suggest';

export interface LayerSource {
  index: number;
  node: AstNode;
  name: string;
  nameNode: AstScalar | undefined;
  type: LayerType | undefined;
  attrs: LayerAttrs;
  inputs: { name: string; node: AstScalar }[] | undefined;
  outputShape: { shape: number[] | undefined; node: AstNode } | undefined;
  ranges: LayerRanges;
  /** A value the shape depends on was unusable (already reported): the output shape is unknown. */
  bad?: boolean;
  /** `padding: same` (output spatial size = input size). */
  samePadding?: boolean;
}

interface Inferred {
  shape: Shape;
  params: number;
  macs: number;
}

export const fmt = (s: Shape): string => `[${s.join(',')}]`;
const prod = (s: readonly number[], from = 0, to = s.length): number => {
  let p = 1;
  for (let i = from; i < to; i++) p *= s[i];
  return p;
};

export function inferShapes(sources: LayerSource[], input: Shape | null, batch: number, d: Diags): LayerModel[] {
  // First index of each name, to tell "later layer" from "unknown" and to find duplicates.
  const firstIndex = new Map<string, number>();
  for (const s of sources) {
    if (s.name === 'input' && s.nameNode) {
      d.error('AM4005', s.nameNode, '`input` names the network input in `inputs:` lists; give this layer another name.', [d.replaceFix('Rename to `input_layer`', s.nameNode, 'input_layer')]);
    }
    const prev = firstIndex.get(s.name);
    if (prev === undefined) firstIndex.set(s.name, s.index);
    else {
      const at: AstNode = s.nameNode ?? s.node;
      const fresh = uniqueName(s.name, firstIndex);
      d.error('AM4005', s.nameNode ? at : [s.node.start, Math.min(s.node.end, s.node.start + 1)],
        `Layer name \`${s.name}\` is already used by layer ${prev}; names must be unique. Rename this one.`,
        s.nameNode ? [d.replaceFix(`Rename to \`${fresh}\``, at, fresh)] : undefined);
    }
  }
  const shapes: (Shape | null)[] = new Array(sources.length);
  const out: LayerModel[] = new Array(sources.length);
  for (const s of sources) {
    const i = s.index;
    const inputs: number[] = [];
    let inShapes: (Shape | null)[] = [];
    let resolved = true;
    if (s.inputs === undefined && s.type === 'input') {
      // a further network input: no producer
    } else if (s.inputs === undefined) {
      inputs.push(i - 1);
      inShapes.push(i === 0 ? input : shapes[i - 1]);
    } else {
      for (const ref of s.inputs) {
        const j = ref.name === 'input' && !firstIndex.has('input') ? -1 : firstIndex.get(ref.name);
        if (j === undefined) {
          resolved = false;
          const guess = d.maySuggest() ? didYouMean(ref.name, earlierNames(sources, i)) : undefined;
          d.error('AM4003', ref.node, `\`inputs\`: no earlier layer is named \`${ref.name}\`${guess ? `; did you mean \`${guess}\`?` : '. Name an earlier layer or `input` (the network input).'}`,
            guess ? [d.replaceFix(`Change to \`${guess}\``, ref.node, guess)] : undefined);
        } else if (j >= i) {
          resolved = false;
          d.error('AM4004', ref.node, j === i
            ? `Layer \`${s.name}\` names itself in \`inputs\`; inputs may only name earlier layers (or \`input\`).`
            : `\`${ref.name}\` is layer ${j}, after this layer (${i}); inputs may only name earlier layers. Move this layer below it.`);
        } else {
          inputs.push(j);
          inShapes.push(j < 0 ? input : shapes[j]);
        }
      }
    }
    let inferred: Inferred | null = null;
    const type = s.type;
    if (type && resolved && !s.bad && arityOk(s, type, inputs, d) && inShapes.every((x) => x !== null)) {
      inferred = inferOne(s, type, inShapes as Shape[], inputs.map((j) => (j < 0 ? 'input' : sources[j].name)), batch, d);
    }
    // `output_shape`: checked against the inferred shape; used as the shape when inference could not run.
    const stated = s.outputShape?.shape;
    if (stated && inferred && !sameShape(stated, inferred.shape)) {
      d.error('AM4006', s.outputShape!.node, `\`output_shape\` ${fmt(stated)} disagrees with the inferred shape ${fmt(inferred.shape)}; correct one of them.`,
        [d.replaceFix(`Change to ${fmt(inferred.shape)}`, s.outputShape!.node, `[${inferred.shape.join(', ')}]`)]);
    }
    // Sizes past 2^53 cannot be counted exactly (and overflow to Infinity further on): refuse them.
    if (inferred && !(Number.isSafeInteger(inferred.macs) && Number.isSafeInteger(inferred.params) && Number.isSafeInteger(batch * prod(inferred.shape)))) {
      d.error('AM2005', at(s), `\`${s.name}\` is too large to count exactly (output ${fmt(inferred.shape)}, ${inferred.macs.toExponential(2)} MACs for the batch); use realistic sizes.`);
      inferred = null;
    }
    const shape = inferred?.shape ?? stated ?? null;
    shapes[i] = shape;
    if (inShapes.length === 0) inShapes = [];
    out[i] = {
      index: i,
      name: s.name,
      type: type ?? 'unsupported',
      attrs: s.attrs,
      inputs,
      inShapes: inShapes.map((x) => x ?? []),
      outShape: shape ?? [],
      params: inferred?.params ?? 0,
      macs: inferred?.macs ?? 0,
      ranges: s.ranges,
    };
  }
  return out;
}

function uniqueName(name: string, taken: Map<string, number>): string {
  for (let k = 2; ; k++) if (!taken.has(`${name}_${k}`)) return `${name}_${k}`;
}

function earlierNames(sources: LayerSource[], i: number): string[] {
  const out = ['input'];
  for (let j = 0; j < i; j++) out.push(sources[j].name);
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Where shape problems of a layer are shown: its `inputs:` when given, else its `type`. */
function at(s: LayerSource): import('./types').Range {
  return s.ranges.keys.inputs ?? s.ranges.type;
}
function keyAt(s: LayerSource, key: string): import('./types').Range {
  return s.ranges.keys[key] ?? s.ranges.type;
}

function arityOk(s: LayerSource, type: LayerType, inputs: number[], d: Diags): boolean {
  const arity = LAYER_TYPES[type].inputs;
  const n = inputs.length;
  if (arity === 'one' && n !== 1) {
    d.error('AM4009', at(s), `A \`${type}\` layer takes one input; \`inputs\` names ${n}. Merge them first with an \`add\` or \`concat\` layer.`);
    return false;
  }
  if (arity === 'two' && n !== 2) {
    d.error('AM4009', at(s), `A \`${type}\` layer takes exactly two \`inputs\` (A and B); it has ${n}. Write e.g. \`inputs: [q, k]\`.`);
    return false;
  }
  if (arity === 'none' && n !== 0) {
    d.error('AM4009', at(s), `An \`input\` layer is a network input: it takes no \`inputs\` (it names ${n}). Remove \`inputs\`.`);
    return false;
  }
  if (arity === 'any' && n < 1) {
    d.error('AM4009', at(s), `A \`${type}\` layer needs at least one input.`);
    return false;
  }
  if (arity === 'many' && type !== 'unsupported' && n < 2) {
    d.error('AM4009', at(s), `A \`${type}\` layer needs two or more \`inputs\`; it has ${n}. Write e.g. \`inputs: [conv3, shortcut]\`.`);
    return false;
  }
  return true;
}

/** Elements kept by a slice [start, end) with step along an axis of size `dim` (ONNX Slice clamping rules). */
export function sliceLength(dim: number, start: number, end: number | undefined, step: number): number {
  if (step === 0) return 0;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let b = start < 0 ? start + dim : start;
  let e = end === undefined ? (step > 0 ? dim : -1) : end < 0 ? end + dim : end;
  if (step > 0) { b = clamp(b, 0, dim); e = clamp(e, 0, dim); } else { b = clamp(b, -1, dim - 1); if (end !== undefined) e = clamp(e, -1, dim - 1); }
  return Math.max(0, Math.ceil((e - b) / step));
}

function broadcast(a: Shape, b: Shape): Shape | null {
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

function inferOne(s: LayerSource, type: LayerType, ins: Shape[], names: string[], N: number, d: Diags): Inferred | null {
  const a = s.attrs;
  const x = ins[0];
  const rank = (want: number | string, ok: boolean): boolean => {
    if (!ok) {
      d.error('AM4008', at(s), `\`${type}\` expects ${want} input (batch excluded), but \`${names[0]}\` gives ${fmt(x)}. Insert a reshape or flatten layer, or fix \`inputs\`.`);
    }
    return ok;
  };
  // The message and its range are built only when the check fails (a layer's ranges are made on demand).
  const positive = (shape: Shape, why: () => string, key: string): boolean => {
    if (shape.some((v) => !(v >= 1))) {
      d.error('AM4007', keyAt(s, key), `\`${type}\` output would be ${fmt(shape)}: ${why()}`);
      return false;
    }
    return true;
  };
  switch (type) {
    case 'conv2d': {
      if (!rank('a [C,H,W]', x.length === 3)) return null;
      const [C, H, W] = x;
      const K = a.outChannels!;
      const [R, S] = a.kernel!;
      const g = a.groups ?? 1;
      const [sh, sw] = a.stride!;
      const [ph, pw] = a.padding!;
      const [dh, dw] = a.dilation!;
      if (C % g !== 0 || K % g !== 0) {
        const which = C % g !== 0 ? `in_channels ${C} (from \`${names[0]}\`)` : `out_channels ${K}`;
        d.error('AM4002', keyAt(s, 'groups'), `conv2d: ${which} is not divisible by groups = ${g}. Use a groups value that divides both ${C} and ${K}.`);
        return null;
      }
      const P = s.samePadding ? H : Math.floor((H + 2 * ph - dh * (R - 1) - 1) / sh) + 1;
      const Q = s.samePadding ? W : Math.floor((W + 2 * pw - dw * (S - 1) - 1) / sw) + 1;
      const shape = [K, P, Q];
      if (!positive(shape, () => `the kernel ${R}x${S} (dilation ${dh}x${dw}) is larger than the padded input ${H + 2 * ph}x${W + 2 * pw}. Reduce kernel_size/dilation or add padding.`, 'kernel_size')) return null;
      const cg = C / g;
      return { shape, params: K * cg * R * S + (a.bias ? K : 0), macs: N * K * P * Q * cg * R * S };
    }
    case 'maxpool':
    case 'avgpool': {
      if (!rank('a [C,H,W]', x.length === 3)) return null;
      const [C, H, W] = x;
      const [kh, kw] = a.kernel!;
      const [sh, sw] = a.stride!;
      const [ph, pw] = a.padding!;
      if (2 * ph > kh || 2 * pw > kw) {
        d.error('AM2005', keyAt(s, 'padding'), `${type}: padding ${ph}x${pw} must be at most half the kernel ${kh}x${kw} (PyTorch's rule). Reduce the padding.`);
        return null;
      }
      const size = (len: number, k: number, st: number, p: number): number => {
        const span = len + 2 * p - (k - 1) - 1;
        if (!a.ceilMode) return Math.floor(span / st) + 1;
        let o = Math.ceil(span / st) + 1;
        if ((o - 1) * st >= len + p) o--;
        return o;
      };
      const shape = [C, size(H, kh, sh, ph), size(W, kw, sw, pw)];
      if (!positive(shape, () => `the window ${kh}x${kw} is larger than the padded input ${H + 2 * ph}x${W + 2 * pw}. Reduce kernel_size or add padding.`, 'kernel_size')) return null;
      return { shape, params: 0, macs: 0 };
    }
    case 'global_avgpool':
    case 'global_maxpool':
      if (!rank('a [C,H,W]', x.length === 3)) return null;
      return { shape: [x[0], 1, 1], params: 0, macs: 0 };
    case 'adaptive_avgpool':
      if (!rank('a [C,H,W]', x.length === 3)) return null;
      return { shape: [x[0], a.outputSize![0], a.outputSize![1]], params: 0, macs: 0 };
    case 'linear': {
      if (!rank('a [..., F]', x.length >= 1)) return null;
      const F = x[x.length - 1];
      const O = a.outFeatures!;
      const shape = [...x.slice(0, -1), O];
      return { shape, params: F * O + (a.bias ? O : 0), macs: N * prod(x, 0, x.length - 1) * F * O };
    }
    case 'matmul': {
      const [A, B] = ins;
      if (A.length < 2 || B.length < 2) {
        const bad = A.length < 2 ? 0 : 1;
        d.error('AM4008', at(s), `matmul needs inputs of rank >= 2 ([..., M, K] and [..., K, N], batch excluded); \`${names[bad]}\` gives ${fmt(ins[bad])}. Reshape it first.`);
        return null;
      }
      const [M, K] = a.transposeA ? [A[A.length - 1], A[A.length - 2]] : [A[A.length - 2], A[A.length - 1]];
      const [K2, Nn] = a.transposeB ? [B[B.length - 1], B[B.length - 2]] : [B[B.length - 2], B[B.length - 1]];
      if (K !== K2) {
        d.error('AM4001', at(s), `matmul: inner dimensions differ: \`${names[0]}\` has shape ${fmt(A)} (K = ${K}${a.transposeA ? ', transposed' : ''}) but \`${names[1]}\` has ${fmt(B)} (K = ${K2}${a.transposeB ? ', transposed' : ''}). Check the inputs or set transpose_a/transpose_b.`);
        return null;
      }
      const lead = broadcast(A.slice(0, -2), B.slice(0, -2));
      if (!lead) {
        d.error('AM4001', at(s), `matmul: leading dimensions do not broadcast: \`${names[0]}\` has shape ${fmt(A)} but \`${names[1]}\` has ${fmt(B)}.`);
        return null;
      }
      return { shape: [...lead, M, Nn], params: 0, macs: N * prod(lead) * M * K * Nn };
    }
    case 'input':
      return { shape: a.shape!.slice(), params: 0, macs: 0 };
    case 'lstm':
    case 'gru':
    case 'rnn': {
      if (!rank('a [T, F] sequence', x.length === 2)) return null;
      const [T, F] = x;
      const H = a.hiddenSize!;
      const L = a.numLayers ?? 1;
      const dirs = a.bidirectional ? 2 : 1;
      const gates = type === 'lstm' ? 4 : type === 'gru' ? 3 : 1;
      let params = 0;
      let macs = 0;
      for (let l = 0; l < L; l++) {
        const X = l === 0 ? F : H * dirs;
        params += dirs * (gates * H * (X + H) + (a.bias ? 2 * gates * H : 0));
        macs += dirs * T * N * gates * H * (X + H);
      }
      return { shape: a.returnSequences === false ? [H * dirs] : [T, H * dirs], params, macs };
    }
    case 'batchnorm':
      if (!rank('a [C, ...]', x.length >= 1)) return null;
      return { shape: x.slice(), params: 2 * x[0], macs: 0 };
    case 'layernorm':
      if (!rank('a [..., F]', x.length >= 1)) return null;
      return { shape: x.slice(), params: 2 * x[x.length - 1], macs: 0 };
    case 'relu': case 'relu6': case 'leaky_relu': case 'gelu': case 'sigmoid': case 'tanh': case 'silu': case 'hardswish': case 'dropout':
      return { shape: x.slice(), params: 0, macs: 0 };
    case 'add':
    case 'mul': {
      let acc: Shape = ins[0];
      for (let k = 1; k < ins.length; k++) {
        const b = broadcast(acc, ins[k]);
        if (!b) {
          d.error('AM4001', at(s), `${type}: input \`${names[k]}\` has shape ${fmt(ins[k])} but \`${names[0]}\` has ${fmt(ins[0])}; they must be equal or broadcastable.`);
          return null;
        }
        acc = b;
      }
      return { shape: acc, params: 0, macs: 0 };
    }
    case 'concat': {
      const r = x.length;
      const ax = a.axis! < 0 ? a.axis! + r : a.axis!;
      if (ax < 0 || ax >= r) {
        d.error('AM4011', keyAt(s, 'axis'), `concat: axis ${a.axis} is out of range for inputs of rank ${r} (batch excluded); use 0..${r - 1}.`);
        return null;
      }
      const shape = x.slice();
      for (let k = 1; k < ins.length; k++) {
        const y = ins[k];
        if (y.length !== r || y.some((v, j) => j !== ax && v !== x[j])) {
          d.error('AM4001', at(s), `concat: input \`${names[k]}\` has shape ${fmt(y)} but \`${names[0]}\` has ${fmt(x)}; all dimensions but axis ${ax} must match.`);
          return null;
        }
        shape[ax] += y[ax];
      }
      return { shape, params: 0, macs: 0 };
    }
    case 'embedding':
      return { shape: [...x, a.embeddingDim!], params: a.numEmbeddings! * a.embeddingDim!, macs: 0 };
    case 'softmax': {
      const r = x.length;
      if (a.axis! < -r || a.axis! >= r) {
        d.error('AM4011', keyAt(s, 'axis'), `softmax: axis ${a.axis} is out of range for an input of rank ${r} (batch excluded); use ${-r}..${r - 1}.`);
        return null;
      }
      return { shape: x.slice(), params: 0, macs: 0 };
    }
    case 'flatten':
      return { shape: [prod(x)], params: 0, macs: 0 };
    case 'reshape': {
      const want = a.shape!;
      const total = prod(x);
      const known = want.reduce((p, v) => (v === -1 ? p : p * v), 1);
      const free = want.indexOf(-1);
      if (free >= 0 ? total % known !== 0 : known !== total) {
        d.error('AM4010', keyAt(s, 'shape'), `reshape: the input ${fmt(x)} has ${total} elements but \`shape\` ${fmt(want)} ${free >= 0 ? `cannot be filled (${total} is not a multiple of ${known})` : `has ${known}`}. Fix \`shape\`.`);
        return null;
      }
      return { shape: want.map((v) => (v === -1 ? total / known : v)), params: 0, macs: 0 };
    }
    case 'transpose': {
      const p = a.perm!;
      const r = x.length;
      const seen = new Set(p);
      if (p.length !== r || seen.size !== r || p.some((v) => v >= r)) {
        d.error('AM4011', keyAt(s, 'perm'), `transpose: \`perm\` ${fmt(p)} is not a permutation of 0..${r - 1} for the input ${fmt(x)} (batch excluded).`);
        return null;
      }
      return { shape: p.map((v) => x[v]), params: 0, macs: 0 };
    }
    case 'conv_transpose2d': {
      if (!rank('a [C,H,W]', x.length === 3)) return null;
      const [C, H, W] = x;
      const K = a.outChannels!;
      const [R, S] = a.kernel!;
      const g = a.groups ?? 1;
      const [sh, sw] = a.stride!;
      const [ph, pw] = a.padding!;
      const [oh, ow] = a.outputPadding ?? [0, 0];
      const [dh, dw] = a.dilation!;
      if (C % g !== 0 || K % g !== 0) {
        const which = C % g !== 0 ? `in_channels ${C} (from \`${names[0]}\`)` : `out_channels ${K}`;
        d.error('AM4002', keyAt(s, 'groups'), `conv_transpose2d: ${which} is not divisible by groups = ${g}. Use a groups value that divides both ${C} and ${K}.`);
        return null;
      }
      const shape = [K, (H - 1) * sh - 2 * ph + dh * (R - 1) + oh + 1, (W - 1) * sw - 2 * pw + dw * (S - 1) + ow + 1];
      if (!positive(shape, () => `the padding ${ph}x${pw} removes more than the output ${(H - 1) * sh + dh * (R - 1) + 1}x${(W - 1) * sw + dw * (S - 1) + 1} has. Reduce the padding.`, 'padding')) return null;
      // Every input element meets (K/g)*R*S weights.
      return { shape, params: C * (K / g) * R * S + (a.bias ? K : 0), macs: N * C * H * W * (K / g) * R * S };
    }
    case 'groupnorm': {
      if (!rank('a [C, ...]', x.length >= 1)) return null;
      const G = a.numGroups!;
      if (x[0] % G !== 0) {
        d.error('AM4002', keyAt(s, 'groups'), `groupnorm: the ${x[0]} channels of \`${names[0]}\` are not divisible by groups = ${G}. Use a groups value that divides ${x[0]}.`);
        return null;
      }
      return { shape: x.slice(), params: 2 * x[0], macs: 0 };
    }
    case 'resize': {
      const sz = a.size!;
      if (sz.length > x.length - 1) {
        d.error('AM4008', keyAt(s, 'size'), `resize: \`size\` ${fmt(sz)} gives ${sz.length} trailing dimensions, but \`${names[0]}\` ${fmt(x)} has only ${x.length - 1} after its channels. Give one size per spatial dimension.`);
        return null;
      }
      return { shape: [...x.slice(0, x.length - sz.length), ...sz], params: 0, macs: 0 };
    }
    case 'pad': {
      const p = a.pads!;
      const k = p.length / 2;
      if (!Number.isInteger(k) || k > x.length) {
        d.error('AM4011', keyAt(s, 'pads'), `pad: \`pads\` ${fmt(p)} must list [begin..., end...] for at most the ${x.length} dimensions of \`${names[0]}\` ${fmt(x)} (an even count).`);
        return null;
      }
      const off = x.length - k;
      return { shape: x.map((v, i) => (i < off ? v : v + p[i - off] + p[i - off + k])), params: 0, macs: 0 };
    }
    case 'slice': {
      const r = x.length;
      const ax = a.axis! < 0 ? a.axis! + r : a.axis!;
      if (ax < 0 || ax >= r) {
        d.error('AM4011', keyAt(s, 'axis'), `slice: axis ${a.axis} is out of range for an input of rank ${r} (batch excluded); use ${-r}..${r - 1}.`);
        return null;
      }
      const len = sliceLength(x[ax], a.start ?? 0, a.end, a.step ?? 1);
      if (a.step === 0) {
        d.error('AM4011', keyAt(s, 'step'), 'slice: `step` cannot be 0.');
        return null;
      }
      if (len < 1) {
        d.error('AM4007', keyAt(s, 'start'), `slice: [${a.start}, ${a.end ?? 'end'}) with step ${a.step} keeps nothing of axis ${ax} (size ${x[ax]}). Fix \`start\`/\`end\`.`);
        return null;
      }
      if (a.keepDim === false && len !== 1) {
        d.error('AM4011', keyAt(s, 'keep_dim'), `slice: \`keep_dim: false\` needs a slice of length 1; this one keeps ${len}.`);
        return null;
      }
      const shape = x.slice();
      shape[ax] = len;
      if (a.keepDim === false) shape.splice(ax, 1);
      return { shape: shape.length ? shape : [1], params: 0, macs: 0 };
    }
    case 'expand': {
      const b = broadcast(x, a.shape!);
      if (!b) {
        d.error('AM4001', keyAt(s, 'shape'), `expand: \`${names[0]}\` ${fmt(x)} does not broadcast to \`shape\` ${fmt(a.shape!)}.`);
        return null;
      }
      return { shape: b, params: 0, macs: 0 };
    }
    case 'reduce': {
      const r = x.length;
      const axes = a.axes!;
      if (axes.some((v) => v >= r)) {
        d.error('AM4011', keyAt(s, 'axes'), `reduce: \`axes\` ${fmt(axes)} are out of range for an input of rank ${r} (batch excluded); use 0..${r - 1}.`);
        return null;
      }
      const shape: number[] = [];
      x.forEach((v, i) => { if (!axes.includes(i)) shape.push(v); else if (a.keepDims !== false) shape.push(1); });
      return { shape: shape.length ? shape : [1], params: 0, macs: 0 };
    }
    case 'elementwise': {
      let acc: Shape = ins[0];
      for (let k = 1; k < ins.length; k++) {
        const b = broadcast(acc, ins[k]);
        if (!b) {
          d.error('AM4001', at(s), `elementwise: input \`${names[k]}\` has shape ${fmt(ins[k])} but \`${names[0]}\` has ${fmt(ins[0])}; they must be equal or broadcastable.`);
          return null;
        }
        acc = b;
      }
      return { shape: acc, params: 0, macs: 0 };
    }
    case 'unsupported': {
      const stated = s.outputShape?.shape;
      d.warn('AM4012', s.ranges.type, `\`${a.opType ?? 'unknown'}\` is not modelled: it costs nothing in the simulation. Replace it with supported layers for accurate figures.`);
      if (!s.outputShape) d.error('AM2007', s.ranges.type, 'An `unsupported` layer needs `output_shape` (its output shape, batch excluded).');
      return stated ? { shape: stated, params: 0, macs: 0 } : null;
    }
  }
  return null;
}
