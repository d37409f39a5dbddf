// Lowers a NetworkModel to its training phases (the formula table is at the top of workload.ts): each layer's
// module (layers/<type>.ts) gives its phases' FLOPs, MACs and tensors; here they become PhaseWork records (packed
// numbers and a tensor log), and the update phase is added for layers with parameters.
import type { LayerModel, NetworkModel, Precision, Shape } from '../spec/types';
import type { Phase } from './types';
import { finding, type FindingDraft } from './findings';
import { LAYERS } from '../layers/index';
import type { LowerCtx } from '../layers/def';
import {
  PRECISION_BYTES,
  type ElementBytes,
  type LayerClass,
  type LayerWork,
  type PhaseWork,
  type TensorAccess,
  type TensorRole,
  type WorkKind,
  type Workload,
} from './workload';

export interface LowerOptions {
  batch?: number;
  precision?: Precision;
}

function prod(s: Shape, from = 0, to = s.length): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= s[i];
  return p;
}

/** Optimizer flops per parameter and number of state tensors (ASM, seed-systems.md §0). */
export function optimizerCost(o: NetworkModel['optimizer']): { flopsPerParam: number; states: number } {
  switch (o.type) {
    case 'sgd':
      return { flopsPerParam: o.weightDecay > 0 ? 4 : 2, states: 0 };
    case 'momentum':
      return { flopsPerParam: 5, states: 1 };
    case 'adam':
      return { flopsPerParam: 12, states: 2 };
    case 'adamw':
      return { flopsPerParam: 13, states: 2 };
    default:
      return { flopsPerParam: 2, states: 0 };
  }
}

const ROLES: readonly TensorRole[] = [
  'input',
  'output',
  'weight',
  'weight_grad',
  'input_grad',
  'output_grad',
  'saved_activation',
  'optimizer_state',
  'master_weight',
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
  at(i: number): number {
    return this.chunks[i >>> TensorLog.SHIFT][i & ((1 << TensorLog.SHIFT) - 1)];
  }
}

// The numbers of every lowered phase of a workload, 10 per phase in Float64Array chunks. As fields of ~35,000
// phase objects they were ~350,000 boxed doubles for the garbage collector to copy on a 10,000-layer network.
const F_FLOPS = 0,
  F_MACS = 1,
  F_MIN = 2,
  F_WEIGHT = 3,
  F_AREAD = 4,
  F_AWRITE = 5,
  F_ACT = 6,
  F_GRAD = 7,
  F_WROLE = 8,
  F_WGRAD = 9,
  NUMS = 10;
const PSHIFT = 9,
  PMASK = (1 << PSHIFT) - 1;
class PhaseNums {
  private readonly chunks: Float64Array[] = [];
  length = 0;
  add(): { chunk: Float64Array; at: number; index: number } {
    const i = this.length++,
      c = i >>> PSHIFT;
    if (c === this.chunks.length) this.chunks.push(new Float64Array(NUMS << PSHIFT));
    return { chunk: this.chunks[c], at: (i & PMASK) * NUMS, index: i };
  }
}

/** A lowered phase (see PhaseWork): its numbers live in the workload's PhaseNums, `tensors` in its tensor log. */
class LoweredPhase implements PhaseWork {
  constructor(
    readonly phase: Phase,
    readonly kind: WorkKind,
    private readonly c: Float64Array,
    private readonly at: number,
    private readonly log: TensorLog,
    private readonly from: number,
    private readonly to: number,
  ) {}
  get flops(): number {
    return this.c[this.at + F_FLOPS];
  }
  get macs(): number {
    return this.c[this.at + F_MACS];
  }
  get minBytes(): number {
    return this.c[this.at + F_MIN];
  }
  get weightBytes(): number {
    return this.c[this.at + F_WEIGHT];
  }
  get actReadBytes(): number {
    return this.c[this.at + F_AREAD];
  }
  get actWriteBytes(): number {
    return this.c[this.at + F_AWRITE];
  }
  get activationBytes(): number {
    return this.c[this.at + F_ACT];
  }
  get gradientBytes(): number {
    return this.c[this.at + F_GRAD];
  }
  get weightRoleBytes(): number {
    return this.c[this.at + F_WROLE];
  }
  get weightGradBytes(): number {
    return this.c[this.at + F_WGRAD];
  }
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
      phase: this.phase,
      flops: this.flops,
      macs: this.macs,
      kind: this.kind,
      tensors: this.tensors,
      minBytes: this.minBytes,
      weightBytes: this.weightBytes,
      actReadBytes: this.actReadBytes,
      actWriteBytes: this.actWriteBytes,
      activationBytes: this.activationBytes,
      gradientBytes: this.gradientBytes,
      weightRoleBytes: this.weightRoleBytes,
      weightGradBytes: this.weightGradBytes,
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
    this.minBytes =
      this.weightBytes =
      this.actRead =
      this.actWrite =
      this.act =
      this.grad =
      this.weight =
      this.weightGrad =
        0;
    return this;
  }
  add(role: TensorRole, bytes: number, rw: 'r' | 'w'): this {
    if (bytes > 0) {
      this.entries.push(ROLE_CODE[role] * 2 + (rw === 'w' ? 1 : 0), bytes);
      this.minBytes += bytes;
      if (role === 'weight' || role === 'weight_grad' || role === 'optimizer_state' || role === 'master_weight')
        this.weightBytes += bytes;
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
    const log = sc.log,
      from = log.length;
    for (let i = 0; i < this.entries.length; i++) log.push(this.entries[i]);
    const { chunk: c, at } = sc.nums.add();
    c[at + F_FLOPS] = flops;
    c[at + F_MACS] = macs;
    c[at + F_MIN] = this.minBytes;
    c[at + F_WEIGHT] = this.weightBytes;
    c[at + F_AREAD] = this.actRead;
    c[at + F_AWRITE] = this.actWrite;
    c[at + F_ACT] = this.act;
    c[at + F_GRAD] = this.grad;
    c[at + F_WROLE] = this.weight;
    c[at + F_WGRAD] = this.weightGrad;
    return new LoweredPhase(phase, kind, c, at, log, from, log.length);
  }
}

/** Per-lowering scratch: the tensor log and four reusable accumulators. */
interface LowerScratch {
  log: TensorLog;
  nums: PhaseNums;
  fwd: PhaseAcc;
  bd: PhaseAcc;
  bw: PhaseAcc;
  up: PhaseAcc;
}

/** Lower once; the result is shared by every target. Never throws on a valid NetworkModel. */
export function lower(net: NetworkModel, opts: LowerOptions = {}): Workload {
  const batch = Math.max(1, Math.floor(opts.batch ?? net.batch ?? 1));
  const precision: Precision = opts.precision ?? net.precision ?? 'fp32';
  const gradPrecision: Precision = opts.precision ?? net.gradientPrecision ?? precision;
  const bA = PRECISION_BYTES[precision] ?? 4;
  const mixed = bA < 4 && net.masterWeights === 'fp32';
  const master = mixed ? 4 : bA;
  const bytes: ElementBytes = {
    act: bA,
    weight: bA,
    grad: PRECISION_BYTES[gradPrecision] ?? bA,
    master,
    optState: master,
  };
  const opt = optimizerCost(
    net.optimizer ?? { type: 'sgd', lr: 0, momentum: 0, weightDecay: 0, beta1: 0, beta2: 0, eps: 0 },
  );
  const notes: FindingDraft[] = [];

  const n = net.layers.length;
  // needsGrad[i]: the output of layer i depends on trainable parameters, so its gradient must be computed.
  const needsGrad = new Uint8Array(n);
  const layers: LayerWork[] = new Array(n);
  let totalFlops = 0,
    totalMacs = 0,
    totalParams = 0,
    saved = 0,
    unsupported = 0;
  const scratch: LowerScratch = {
    log: new TensorLog(),
    nums: new PhaseNums(),
    fwd: new PhaseAcc(),
    bd: new PhaseAcc(),
    bw: new PhaseAcc(),
    up: new PhaseAcc(),
  };

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
    for (const p of lw.phases) {
      totalFlops += p.flops;
      totalMacs += p.macs;
    }
  }
  if (unsupported)
    notes.push(
      finding('workload.unsupported-layers', 'warning', `${unsupported} unsupported layer(s) counted as zero cost.`, {
        layers: unsupported,
      }),
    );
  notes.push(
    finding(
      'workload.loss-gradient',
      'info',
      'Loss gradient assumed given (softmax-cross-entropy backward not modelled).',
    ),
  );
  return {
    network: net,
    batch,
    precision,
    gradPrecision,
    mixed,
    bytes,
    optimizer: { type: net.optimizer?.type ?? 'sgd', ...opt },
    layers,
    totalFlops,
    totalMacs,
    totalParams,
    footprint: {
      weights: totalParams * bytes.weight,
      gradients: totalParams * bytes.grad,
      saved,
      optimizer: totalParams * (opt.states * bytes.optState + (mixed ? master : 0)),
    },
    notes,
  };
}

function lowerLayer(
  L: LayerModel,
  N: number,
  b: ElementBytes,
  inGrad: boolean,
  opt: { flopsPerParam: number; states: number },
  mixed: boolean,
  sc: LowerScratch,
): LayerWork {
  const def = LAYERS[L.type];
  const cls: LayerClass = def?.cls ?? 'unsupported';
  const out = L.outShape ?? [];
  const E = N * prod(out);
  let Ein = 0;
  for (const s of L.inShapes ?? []) Ein += N * prod(s);
  const W = L.params;
  const fwd = sc.fwd.reset(),
    bd = sc.bd.reset(),
    bw = sc.bw.reset();
  // The layer's module fills the three phases' tensors and figures (layers/<type>.ts).
  const c: LowerCtx = {
    L,
    N,
    E,
    Ein,
    W,
    out,
    b,
    a: b.act,
    g: b.grad,
    fwd,
    bd,
    bw,
    dims: undefined,
    fF: 0,
    fM: 0,
    dF: 0,
    dM: 0,
    wF: 0,
    wM: 0,
    fKind: 'eltwise',
    saved: 0,
  };
  def?.lower(c);
  const phases: PhaseWork[] = [];
  phases.push(fwd.done('fwd', c.fF, c.fM, c.fKind, sc));
  if (inGrad && cls !== 'embedding' && cls !== 'unsupported') phases.push(bd.done('bwd_data', c.dF, c.dM, c.fKind, sc));
  if (W > 0 && cls !== 'unsupported') {
    phases.push(
      bw.done('bwd_weight', c.wF, c.wM, cls === 'conv' || cls === 'matmul' || cls === 'rnn' ? 'mvm' : 'eltwise', sc),
    );
    const up = sc.up.reset();
    up.add('weight_grad', W * b.grad, 'r');
    if (mixed) {
      up.add('master_weight', W * b.master, 'r')
        .add('master_weight', W * b.master, 'w')
        .add('weight', W * b.weight, 'w');
    } else {
      up.add('weight', W * b.weight, 'r').add('weight', W * b.weight, 'w');
    }
    for (let s = 0; s < opt.states; s++)
      up.add('optimizer_state', W * b.optState, 'r').add('optimizer_state', W * b.optState, 'w');
    phases.push(up.done('update', opt.flopsPerParam * W, 0, 'update', sc));
  }
  return {
    index: L.index,
    name: L.name,
    op: L.type,
    cls,
    dims: c.dims ?? { E },
    params: W,
    savedBytes: c.saved,
    phases,
  };
}
