// Lowers a NetworkModel to its training phases (the formula table is at the top of workload.ts).
import type { LayerModel, NetworkModel, Precision, Shape } from '../spec/types';
import type { Dims, Phase } from './types';
import { finding, type FindingDraft } from './findings';
import {
  PRECISION_BYTES, type ElementBytes, type LayerClass, type LayerWork, type PhaseWork, type TensorAccess,
  type TensorRole, type WorkKind, type Workload,
} from './workload';

export interface LowerOptions { batch?: number; precision?: Precision }

const CLASS: Record<string, LayerClass> = {
  conv2d: 'conv', linear: 'matmul', matmul: 'matmul', lstm: 'rnn', gru: 'rnn', rnn: 'rnn', input: 'reshape',
  maxpool: 'pool', avgpool: 'pool', global_avgpool: 'pool', global_maxpool: 'pool', adaptive_avgpool: 'pool',
  batchnorm: 'norm', layernorm: 'norm',
  relu: 'eltwise', relu6: 'eltwise', leaky_relu: 'eltwise', gelu: 'eltwise', sigmoid: 'eltwise', tanh: 'eltwise',
  silu: 'eltwise', hardswish: 'eltwise', add: 'eltwise', mul: 'eltwise', concat: 'eltwise', softmax: 'eltwise',
  dropout: 'eltwise', embedding: 'embedding', flatten: 'reshape', reshape: 'reshape', transpose: 'reshape',
  conv_transpose2d: 'conv', groupnorm: 'norm', resize: 'eltwise', pad: 'eltwise', slice: 'eltwise', expand: 'eltwise',
  reduce: 'eltwise', elementwise: 'eltwise', unsupported: 'unsupported',
};

/** Activation flops per element, fwd and bwd (ASM, see workload.ts). */
const ACT_FLOPS: Record<string, [number, number]> = {
  relu: [1, 1], relu6: [2, 2], leaky_relu: [2, 2], hardswish: [4, 4], sigmoid: [4, 3], tanh: [5, 3], silu: [5, 6],
  gelu: [8, 12], softmax: [5, 4], dropout: [2, 1],
};
/** Activations whose backward reads a 1-byte mask (ASM) instead of the saved output. */
const MASKED = new Set(['relu', 'relu6', 'leaky_relu', 'dropout', 'hardswish']);

function prod(s: Shape, from = 0, to = s.length): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= s[i];
  return p;
}

/** Optimizer flops per parameter and number of state tensors (ASM, seed-systems.md §0). */
export function optimizerCost(o: NetworkModel['optimizer']): { flopsPerParam: number; states: number } {
  switch (o.type) {
    case 'sgd': return { flopsPerParam: o.weightDecay > 0 ? 4 : 2, states: 0 };
    case 'momentum': return { flopsPerParam: 5, states: 1 };
    case 'adam': return { flopsPerParam: 12, states: 2 };
    case 'adamw': return { flopsPerParam: 13, states: 2 };
    default: return { flopsPerParam: 2, states: 0 };
  }
}

const ROLES: readonly TensorRole[] = [
  'input', 'output', 'weight', 'weight_grad', 'input_grad', 'output_grad', 'saved_activation', 'optimizer_state', 'master_weight',
];
const ROLE_CODE = Object.fromEntries(ROLES.map((r, i) => [r, i])) as Record<TensorRole, number>;

/**
 * The tensor accesses of a whole workload in one flat list of (role * 2 + written, bytes) pairs; each phase owns a
 * range and builds its TensorAccess objects only when asked. A 10,000-layer network has ~140,000 accesses: as
 * objects they were most of the lowering's time (allocation, then copying by the garbage collector).
 */
class TensorLog {
  private static readonly SHIFT = 12;
  private readonly chunks: Float64Array[] = [];
  length = 0;
  push(v: number): void {
    const c = this.length >>> TensorLog.SHIFT;
    if (c === this.chunks.length) this.chunks.push(new Float64Array(1 << TensorLog.SHIFT));
    this.chunks[c][this.length++ & ((1 << TensorLog.SHIFT) - 1)] = v;
  }
  at(i: number): number { return this.chunks[i >>> TensorLog.SHIFT][i & ((1 << TensorLog.SHIFT) - 1)]; }
}

// The numbers of every lowered phase of a workload, 10 per phase in Float64Array chunks. As fields of ~35,000
// phase objects they were ~350,000 boxed doubles for the garbage collector to copy on a 10,000-layer network.
const F_FLOPS = 0, F_MACS = 1, F_MIN = 2, F_WEIGHT = 3, F_AREAD = 4, F_AWRITE = 5, F_ACT = 6, F_GRAD = 7, F_WROLE = 8, F_WGRAD = 9, NUMS = 10;
const PSHIFT = 9, PMASK = (1 << PSHIFT) - 1;
class PhaseNums {
  private readonly chunks: Float64Array[] = [];
  length = 0;
  add(): { chunk: Float64Array; at: number; index: number } {
    const i = this.length++, c = i >>> PSHIFT;
    if (c === this.chunks.length) this.chunks.push(new Float64Array(NUMS << PSHIFT));
    return { chunk: this.chunks[c], at: (i & PMASK) * NUMS, index: i };
  }
}

/** A lowered phase (see PhaseWork): its numbers live in the workload's PhaseNums, `tensors` in its tensor log. */
class LoweredPhase implements PhaseWork {
  constructor(
    readonly phase: Phase, readonly kind: WorkKind, private readonly c: Float64Array, private readonly at: number,
    private readonly log: TensorLog, private readonly from: number, private readonly to: number,
  ) {}
  get flops(): number { return this.c[this.at + F_FLOPS]; }
  get macs(): number { return this.c[this.at + F_MACS]; }
  get minBytes(): number { return this.c[this.at + F_MIN]; }
  get weightBytes(): number { return this.c[this.at + F_WEIGHT]; }
  get actReadBytes(): number { return this.c[this.at + F_AREAD]; }
  get actWriteBytes(): number { return this.c[this.at + F_AWRITE]; }
  get activationBytes(): number { return this.c[this.at + F_ACT]; }
  get gradientBytes(): number { return this.c[this.at + F_GRAD]; }
  get weightRoleBytes(): number { return this.c[this.at + F_WROLE]; }
  get weightGradBytes(): number { return this.c[this.at + F_WGRAD]; }
  get tensors(): TensorAccess[] {
    const out: TensorAccess[] = [];
    for (let i = this.from; i < this.to; i += 2) {
      const c = this.log.at(i);
      out.push({ role: ROLES[c >> 1], bytes: this.log.at(i + 1), rw: c & 1 ? 'w' : 'r' });
    }
    return out;
  }
  toJSON(): PhaseWork {
    return {
      phase: this.phase, flops: this.flops, macs: this.macs, kind: this.kind, tensors: this.tensors, minBytes: this.minBytes,
      weightBytes: this.weightBytes, actReadBytes: this.actReadBytes, actWriteBytes: this.actWriteBytes, activationBytes: this.activationBytes,
      gradientBytes: this.gradientBytes, weightRoleBytes: this.weightRoleBytes, weightGradBytes: this.weightGradBytes,
    };
  }
}

/** Accumulates one phase's tensor accesses (reused layer after layer: reset() before each). */
class PhaseAcc {
  private entries: number[] = [];
  minBytes = 0;
  weightBytes = 0;
  actRead = 0;
  actWrite = 0;
  act = 0;
  grad = 0;
  weight = 0;
  weightGrad = 0;
  reset(): this {
    this.entries.length = 0;
    this.minBytes = this.weightBytes = this.actRead = this.actWrite = this.act = this.grad = this.weight = this.weightGrad = 0;
    return this;
  }
  add(role: TensorRole, bytes: number, rw: 'r' | 'w'): this {
    if (bytes > 0) {
      this.entries.push(ROLE_CODE[role] * 2 + (rw === 'w' ? 1 : 0), bytes);
      this.minBytes += bytes;
      if (role === 'weight' || role === 'weight_grad' || role === 'optimizer_state' || role === 'master_weight') this.weightBytes += bytes;
      else if (rw === 'r') this.actRead += bytes;
      else this.actWrite += bytes;
      if (role === 'input' || role === 'output' || role === 'saved_activation') this.act += bytes;
      else if (role === 'input_grad' || role === 'output_grad') this.grad += bytes;
      else if (role === 'weight') this.weight += bytes;
      else if (role === 'weight_grad') this.weightGrad += bytes;
    }
    return this;
  }
  done(phase: Phase, flops: number, macs: number, kind: WorkKind, sc: LowerScratch): PhaseWork {
    const log = sc.log, from = log.length;
    for (let i = 0; i < this.entries.length; i++) log.push(this.entries[i]);
    const { chunk: c, at } = sc.nums.add();
    c[at + F_FLOPS] = flops; c[at + F_MACS] = macs; c[at + F_MIN] = this.minBytes; c[at + F_WEIGHT] = this.weightBytes;
    c[at + F_AREAD] = this.actRead; c[at + F_AWRITE] = this.actWrite; c[at + F_ACT] = this.act; c[at + F_GRAD] = this.grad;
    c[at + F_WROLE] = this.weight; c[at + F_WGRAD] = this.weightGrad;
    return new LoweredPhase(phase, kind, c, at, log, from, log.length);
  }
}

/** Per-lowering scratch: the tensor log and four reusable accumulators. */
interface LowerScratch { log: TensorLog; nums: PhaseNums; fwd: PhaseAcc; bd: PhaseAcc; bw: PhaseAcc; up: PhaseAcc }

/** Lower once; the result is shared by every target. Never throws on a valid NetworkModel. */
export function lower(net: NetworkModel, opts: LowerOptions = {}): Workload {
  const batch = Math.max(1, Math.floor(opts.batch ?? net.batch ?? 1));
  const precision: Precision = opts.precision ?? net.precision ?? 'fp32';
  const gradPrecision: Precision = opts.precision ?? net.gradientPrecision ?? precision;
  const bA = PRECISION_BYTES[precision] ?? 4;
  const mixed = bA < 4 && net.masterWeights === 'fp32';
  const master = mixed ? 4 : bA;
  const bytes: ElementBytes = { act: bA, weight: bA, grad: PRECISION_BYTES[gradPrecision] ?? bA, master, optState: master };
  const opt = optimizerCost(net.optimizer ?? { type: 'sgd', lr: 0, momentum: 0, weightDecay: 0, beta1: 0, beta2: 0, eps: 0 });
  const notes: FindingDraft[] = [];

  const n = net.layers.length;
  // needsGrad[i]: the output of layer i depends on trainable parameters, so its gradient must be computed.
  const needsGrad = new Uint8Array(n);
  const layers: LayerWork[] = new Array(n);
  let totalFlops = 0, totalMacs = 0, totalParams = 0, saved = 0, unsupported = 0;
  const scratch: LowerScratch = { log: new TensorLog(), nums: new PhaseNums(), fwd: new PhaseAcc(), bd: new PhaseAcc(), bw: new PhaseAcc(), up: new PhaseAcc() };

  for (let i = 0; i < n; i++) {
    const L = net.layers[i];
    let inGrad = false;
    for (const j of L.inputs) if (j >= 0 && j < i && needsGrad[j]) inGrad = true;
    needsGrad[i] = L.params > 0 || inGrad ? 1 : 0;
    const lw = lowerLayer(L, batch, bytes, inGrad, opt, mixed, scratch);
    if (lw.cls === 'unsupported') unsupported++;
    layers[i] = lw;
    totalParams += L.params;
    saved += lw.savedBytes;
    for (const p of lw.phases) { totalFlops += p.flops; totalMacs += p.macs; }
  }
  if (unsupported) notes.push(finding('workload.unsupported-layers', 'warning', `${unsupported} unsupported layer(s) counted as zero cost.`, { layers: unsupported }));
  notes.push(finding('workload.loss-gradient', 'info', 'Loss gradient assumed given (softmax-cross-entropy backward not modelled).'));
  return {
    network: net, batch, precision, gradPrecision, mixed, bytes,
    optimizer: { type: net.optimizer?.type ?? 'sgd', ...opt },
    layers, totalFlops, totalMacs, totalParams,
    footprint: { weights: totalParams * bytes.weight, gradients: totalParams * bytes.grad, saved, optimizer: totalParams * (opt.states * bytes.optState + (mixed ? master : 0)) },
    notes,
  };
}

function lowerLayer(L: LayerModel, N: number, b: ElementBytes, inGrad: boolean, opt: { flopsPerParam: number; states: number }, mixed: boolean, sc: LowerScratch): LayerWork {
  const cls: LayerClass = CLASS[L.type] ?? 'unsupported';
  const out = L.outShape ?? [];
  const E = N * prod(out);
  let Ein = 0;
  for (const s of L.inShapes ?? []) Ein += N * prod(s);
  const W = L.params;
  const phases: PhaseWork[] = [];
  let dims: Dims | undefined; // { E } unless the layer class sets its own
  let saved = 0;
  const a = b.act, g = b.grad;

  const fwd = sc.fwd.reset(), bd = sc.bd.reset(), bw = sc.bw.reset();
  let fF = 0, fM = 0, dF = 0, dM = 0, wF = 0, wM = 0;
  let fKind: WorkKind = 'eltwise';

  switch (cls) {
    case 'conv':
    case 'matmul': {
      let macs: number, bias: number;
      if (L.type === 'conv_transpose2d') {
        // ASM: a transposed convolution is lowered as the convolution whose backward-data pass it is (input and
        // output swapped, same kernel, stride and groups): the MACs are N*C*H*W*(K/G)*R*S either way, and every
        // target maps it with its conv model.
        const x = L.inShapes[0] ?? [], k = L.attrs.kernel, st = L.attrs.stride;
        const C = x[0] ?? 1, H = x[1] ?? 1, Wd = x[2] ?? 1, K = out[0] ?? 1, P = out[1] ?? 1, Q = out[2] ?? 1;
        const R = k ? k[0] : 1, S = k ? k[1] : 1, hs = st ? st[0] : 1, ws = st ? st[1] : 1;
        const G = L.attrs.groups ?? 1;
        dims = { N, C: K, K: C, H: P, W: Q, P: H, Q: Wd, R, S, Hstride: hs, Wstride: ws, G };
        macs = N * C * (K / G) * R * S * H * Wd;
        bias = L.attrs.bias ? E : 0;
      } else if (cls === 'conv') {
        const x = L.inShapes[0] ?? [], k = L.attrs.kernel, st = L.attrs.stride;
        const C = x[0] ?? 1, H = x[1] ?? 1, Wd = x[2] ?? 1, K = out[0] ?? 1, P = out[1] ?? 1, Q = out[2] ?? 1;
        const R = k ? k[0] : 1, S = k ? k[1] : 1, hs = st ? st[0] : 1, ws = st ? st[1] : 1;
        const G = L.attrs.groups ?? 1;
        dims = { N, C, K, H, W: Wd, P, Q, R, S, Hstride: hs, Wstride: ws, G };
        macs = N * K * (C / G) * R * S * P * Q;
        bias = L.attrs.bias ? E : 0;
      } else if (L.type === 'linear') {
        const inS = L.inShapes[0] ?? [1];
        const Kd = inS[inS.length - 1] ?? 1;
        const Nd = L.attrs.outFeatures ?? out[out.length - 1] ?? 1;
        const M = N * prod(inS, 0, inS.length - 1);
        dims = { M, N: Nd, K: Kd };
        macs = M * Nd * Kd;
        bias = L.attrs.bias ? M * Nd : 0;
      } else {
        // matmul of two activations: no weights; bwd_data computes both input gradients
        const A = L.inShapes[0] ?? [1, 1], Bs = L.inShapes[1] ?? [1, 1];
        const M = L.attrs.transposeA ? A[A.length - 1] : A[A.length - 2] ?? 1;
        const Kd = L.attrs.transposeA ? A[A.length - 2] ?? 1 : A[A.length - 1];
        const Nd = L.attrs.transposeB ? Bs[Bs.length - 2] ?? 1 : Bs[Bs.length - 1];
        const Bb = N * prod(out, 0, Math.max(0, out.length - 2));
        dims = { B: Bb, M, N: Nd, K: Kd };
        const mm = Bb * M * Nd * Kd;
        fM = mm; fF = 2 * mm; fKind = 'mvm';
        dM = 2 * mm; dF = 4 * mm;
        fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
        bd.add('output_grad', E * g, 'r').add('saved_activation', Ein * a, 'r').add('input_grad', Ein * g, 'w');
        saved = Ein * a;
        break;
      }
      // A layer with weights (conv, linear): fwd y = W x (+ bias), bwd_data dx = W^T dy, bwd_weight dW = dy x^T
      // (+ bias gradient), the input kept from fwd for bwd_weight.
      fM = macs; fF = 2 * macs + bias; fKind = 'mvm';
      dM = macs; dF = 2 * macs;
      wM = macs; wF = 2 * macs + bias;
      fwd.add('input', Ein * a, 'r').add('weight', W * b.weight, 'r').add('output', E * a, 'w');
      bd.add('output_grad', E * g, 'r').add('weight', W * b.weight, 'r').add('input_grad', Ein * g, 'w');
      bw.add('output_grad', E * g, 'r').add('saved_activation', Ein * a, 'r').add('weight_grad', W * g, 'w');
      saved = Ein * a;
      break;
    }
    case 'rnn': {
      const inS = L.inShapes[0] ?? [1, 1];
      const T = inS.length >= 2 ? inS[0] : 1;
      const X = inS[inS.length - 1] ?? 1;
      const H = L.attrs.hiddenSize ?? 1;
      const layersN = L.attrs.numLayers ?? 1;
      const dirs = L.attrs.bidirectional ? 2 : 1;
      const gates = L.type === 'gru' ? 3 : L.type === 'rnn' ? 1 : 4;
      let macs = 0;
      for (let l = 0; l < layersN; l++) macs += N * T * dirs * gates * H * ((l === 0 ? X : H * dirs) + H);
      const cell = 10 * N * T * H * dirs * layersN;
      dims = { N, T, X, H, G: gates, L: layersN, D: dirs };
      fM = macs; fF = 2 * macs + cell; fKind = 'mvm';
      dM = macs; dF = 2 * macs + cell;
      wM = macs; wF = 2 * macs;
      // Gates are kept for BPTT: gates*H per step per direction per layer (seed-systems.md §0).
      const gatesB = N * T * dirs * layersN * gates * H * a;
      fwd.add('input', Ein * a, 'r').add('weight', W * b.weight, 'r').add('output', E * a, 'w').add('saved_activation', gatesB, 'w');
      bd.add('output_grad', E * g, 'r').add('weight', W * b.weight, 'r').add('saved_activation', gatesB, 'r').add('input_grad', Ein * g, 'w');
      bw.add('output_grad', E * g, 'r').add('saved_activation', Ein * a + gatesB, 'r').add('weight_grad', W * g, 'w');
      saved = Ein * a + gatesB;
      break;
    }
    case 'norm': {
      const ch = L.type === 'batchnorm' || L.type === 'groupnorm' ? (out[0] ?? 1) : (out[out.length - 1] ?? 1);
      dims = { E, C: ch };
      fF = 8 * E; dF = 12 * E; wF = 4 * E;
      // Mean and inverse deviation kept for the backward pass (fp32): per channel, or per (sample, group).
      const stats = 2 * (L.type === 'groupnorm' ? N * (L.attrs.numGroups ?? 1) : ch) * 4;
      fwd.add('input', Ein * a, 'r').add('weight', W * b.weight, 'r').add('output', E * a, 'w').add('saved_activation', stats, 'w');
      bd.add('output_grad', E * g, 'r').add('saved_activation', Ein * a + stats, 'r').add('weight', W * b.weight, 'r').add('input_grad', Ein * g, 'w');
      bw.add('output_grad', E * g, 'r').add('saved_activation', Ein * a, 'r').add('weight_grad', W * g, 'w');
      saved = Ein * a + stats;
      break;
    }
    case 'pool': {
      const [R, S] = L.attrs.kernel ?? [1, 1];
      const isMax = L.type === 'maxpool' || L.type === 'global_maxpool';
      const global = L.type.startsWith('global') || L.type === 'adaptive_avgpool';
      dims = { E, Ein, R, S };
      fF = global ? Ein + (isMax ? 0 : E) : (isMax ? R * S * E : (R * S + 1) * E);
      dF = Ein;
      fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
      if (isMax) { fwd.add('saved_activation', E, 'w'); saved = E; }
      bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
      if (isMax) bd.add('saved_activation', E, 'r');
      break;
    }
    case 'eltwise': {
      const nIn = Math.max(1, L.inputs.length);
      dims = { E };
      if (L.type === 'add' || L.type === 'mul') {
        fF = (nIn - 1) * E;
        dF = L.type === 'mul' ? nIn * (nIn - 1) * E : 0;
        fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
        bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
        if (L.type === 'mul') { bd.add('saved_activation', Ein * a, 'r'); saved = Ein * a; }
      } else if (L.type === 'concat' || L.type === 'pad') {
        fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
        bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
      } else if (L.type === 'slice') {
        // Reads only the part kept; the input gradient is the output gradient scattered into zeros.
        fwd.add('input', E * a, 'r').add('output', E * a, 'w');
        bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
      } else if (L.type === 'expand' || L.type === 'reduce' || L.type === 'resize') {
        // expand: a broadcast copy, its gradient a sum over the broadcast axes; reduce: the other way round;
        // resize: interpolation weights per output element (ASM: nearest 0, linear 8, cubic 32 flops), its gradient
        // the same weights scattered back.
        const rf = L.type === 'resize' ? ({ nearest: 0, linear: 8, cubic: 32 } as Record<string, number>)[L.attrs.mode ?? 'nearest'] ?? 0 : 1;
        const big = Math.max(E, Ein);
        fF = L.type === 'expand' ? 0 : rf * big; dF = L.type === 'resize' ? rf * big : big;
        fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
        bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
      } else if (L.type === 'elementwise') {
        // ASM: the backward pass reads the saved inputs and costs the forward's flops per element.
        const f = L.attrs.flops ?? 1;
        fF = f * E; dF = f * E;
        fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
        bd.add('output_grad', E * g, 'r').add('saved_activation', Ein * a, 'r').add('input_grad', Ein * g, 'w');
        saved = Ein * a;
      } else {
        const [ff, bf] = ACT_FLOPS[L.type] ?? [1, 1];
        fF = ff * E; dF = bf * E;
        const keep = MASKED.has(L.type) ? E : E * a;
        fwd.add('input', Ein * a, 'r').add('output', E * a, 'w').add('saved_activation', MASKED.has(L.type) ? keep : 0, 'w');
        bd.add('output_grad', E * g, 'r').add('saved_activation', keep, 'r').add('input_grad', Ein * g, 'w');
        saved = keep;
      }
      break;
    }
    case 'embedding': {
      const D = L.attrs.embeddingDim ?? (out[out.length - 1] ?? 1);
      dims = { E, D, V: L.attrs.numEmbeddings ?? 0 };
      // Gather: read the token ids (4 B each, ASM int32) and the N*T*D rows, write the output.
      fwd.add('input', Ein * 4, 'r').add('weight', E * b.weight, 'r').add('output', E * a, 'w');
      wF = E; // scatter-add of the output gradient into the table rows
      bw.add('output_grad', E * g, 'r').add('saved_activation', Ein * 4, 'r').add('weight_grad', E * g, 'w');
      saved = Ein * 4;
      break;
    }
    case 'reshape': {
      dims = { E };
      if (L.type === 'transpose') {
        fwd.add('input', Ein * a, 'r').add('output', E * a, 'w');
        bd.add('output_grad', E * g, 'r').add('input_grad', Ein * g, 'w');
      }
      break;
    }
    default:
      break;
  }

  phases.push(fwd.done('fwd', fF, fM, fKind, sc));
  if (inGrad && cls !== 'embedding' && cls !== 'unsupported') phases.push(bd.done('bwd_data', dF, dM, fKind, sc));
  if (W > 0 && cls !== 'unsupported') {
    phases.push(bw.done('bwd_weight', wF, wM, cls === 'conv' || cls === 'matmul' || cls === 'rnn' ? 'mvm' : 'eltwise', sc));
    const up = sc.up.reset();
    up.add('weight_grad', W * g, 'r');
    if (mixed) {
      up.add('master_weight', W * b.master, 'r').add('master_weight', W * b.master, 'w').add('weight', W * b.weight, 'w');
    } else {
      up.add('weight', W * b.weight, 'r').add('weight', W * b.weight, 'w');
    }
    for (let s = 0; s < opt.states; s++) up.add('optimizer_state', W * b.optState, 'r').add('optimizer_state', W * b.optState, 'w');
    phases.push(up.done('update', opt.flopsPerParam * W, 0, 'update', sc));
  }
  return { index: L.index, name: L.name, op: L.type, cls, dims: dims ?? { E }, params: W, savedBytes: saved, phases };
}
