// The 'gpu' target: one training iteration as PyTorch eager runs it on a GPU (cuDNN/cuBLAS kernels, NCHW, autocast
// for mixed precision, multi-tensor optimizer), costed kernel by kernel (kernels.ts) and placed on a host lane
// (launches) and a device lane (kernels) by the two-lane schedule (schedule.ts). Parameters: params.ts.
//
// Per layer and phase, the kernels launched (ASM: what PyTorch 2.x eager does):
//   conv     fwd: [layout] + conv (+ bias add: cuDNN takes no bias, PyTorch adds it in a separate pass);
//            bwd_data: [layout] + dgrad; bwd_weight: [layout] + wgrad (+ bias reduction over dy)
//   linear   cuBLAS GEMMs with split-K: fwd (M,N,K), bwd_data (M,K,N), bwd_weight (N,K,M) (+ bias reduction)
//   matmul   fwd one batched GEMM; bwd_data two (dA, dB)
//   lstm/gru per-step kernels (kernels.ts rnnPhase)
//   batchnorm fwd one kernel (x read twice: statistics, then normalise); backward one kernel returning dx, dgamma,
//            dbeta (x and dy read twice) — bwd_weight is fused into bwd_data when the layer has both; bf16
//            activations take PyTorch's native kernel, not cuDNN's (efficiency.norm_low_precision)
//   pools, activations, add, concat, dropout, softmax, transpose, embedding: one memory-bound kernel each, bytes =
//            the workload's compulsory bytes, corrected to what PyTorch moves (ReLU family: no mask, backward
//            re-reads the output; max-pool: int64 indices; max-pool backward zero-fills its input gradient and runs
//            at the scatter rate; pooling forward at the window-read rate)
//   flatten/reshape: views, no kernel
//   mixed precision (master_weights fp32): autocast casts each conv/linear/rnn weight fp32->low in fwd and the
//            weight gradient low->fp32 in bwd_weight (one kernel each)
//   update   the multi-tensor optimizer step (OPTIMIZER_FOREACH) over the layer's parameter tensors
//   loss     control.iteration_overhead of host time after the last forward phase (loss, autograd start)
// Host: launches (control.launch_overhead per kernel) and framework work (control.framework_overhead): one operator
// per layer forward (views included), one autograd node per layer backward, and one of each per autocast cast.
// Result per phase: engine 'accelerator'; bytes { hbm, l2 }; overheadS = exposed host time (launches the device
// could not hide); utilization against the peak of the network's precision; energy = executed flops (padded tiles,
// Winograd/FFT's reduced count) x e_flop(precision) + SM activity power x kernel time (energy.gemm_power, as control
// energy,
// capped so a phase draws at most energy.tdp) + hbm x e_hbm + l2 x e_l2 + static power x phase time.
import type { LayerAttrs, Precision, TargetModel } from '../../spec/types';
import type { Dims, Phase, TargetResult } from '../../sim/types';
import type { LayerWork, PhaseWork, Workload } from '../../sim/workload';
import { Recorder, trainingOrder, type SimContext, type TargetSimulator } from '../../sim/target';
import {
  batchNorm,
  bytesOf,
  convPhase,
  eltwise,
  gemm,
  optimizerStep,
  poolForward,
  rnnPhase,
  scatter,
  type ConvDims,
  type KernelGroup,
  type RnnDims,
  zero,
} from './kernels';
import { readGpuParams, type GemmPhase, type GpuParams } from './read';
import { TwoLane } from './schedule';
import { exceedsDevice, finding, stateParts, type FindingDraft } from '../../sim/findings';

/** Parameter tensors of a layer (weights, biases, norm scale/shift) — what the foreach optimizer iterates over. */
function paramTensors(w: Workload, l: LayerWork): number {
  const attrs = w.network.layers[l.index]?.attrs ?? {};
  switch (l.cls) {
    case 'conv':
    case 'matmul':
      return 1 + (attrs.bias ? 1 : 0);
    case 'norm':
      return 2;
    case 'rnn':
      return Math.max(1, (l.dims.L ?? 1) * (l.dims.D ?? 1) * (attrs.bias === false ? 2 : 4));
    default:
      return 1;
  }
}

const dim = (d: Dims, k: string): number => (Number.isFinite(d[k]) && d[k] > 0 ? d[k] : 1);
const convDimsCache = new WeakMap<Dims, ConvDims>();
/** Conv dims of a layer (computed once per layer: every phase of every GPU target asks). */
const convDims = (d: Dims): ConvDims => {
  let c = convDimsCache.get(d);
  if (!c) {
    c = convDimsOf(d);
    convDimsCache.set(d, c);
  }
  return c;
};
const convDimsOf = (d: Dims): ConvDims => ({
  N: dim(d, 'N'),
  C: dim(d, 'C'),
  K: dim(d, 'K'),
  H: dim(d, 'H'),
  W: dim(d, 'W'),
  P: dim(d, 'P'),
  Q: dim(d, 'Q'),
  R: dim(d, 'R'),
  S: dim(d, 'S'),
  Hstride: dim(d, 'Hstride'),
  Wstride: dim(d, 'Wstride'),
  G: dim(d, 'G'),
});
const rnnDims = (d: Dims): RnnDims => ({
  N: dim(d, 'N'),
  T: dim(d, 'T'),
  X: dim(d, 'X'),
  H: dim(d, 'H'),
  G: dim(d, 'G'),
  L: dim(d, 'L'),
  D: dim(d, 'D'),
});

/** Activations the workload gives a 1-byte mask that PyTorch does not keep (it re-reads the output/input). */
const MASKLESS = new Set(['relu', 'relu6', 'leaky_relu', 'hardswish']);

function hasPhase(l: LayerWork, p: PhaseWork['phase']): boolean {
  return l.phases.some((x) => x.phase === p);
}

/** A phase whose activation and gradient bytes are scaled (autocast element sizes); weights are unchanged. */
function scaledPhase(pw: PhaseWork, k: number): PhaseWork {
  const w = pw.weightBytes;
  return {
    phase: pw.phase,
    kind: pw.kind,
    flops: pw.flops,
    macs: pw.macs,
    minBytes: w + (pw.minBytes - w) * k,
    weightBytes: w,
    actReadBytes: pw.actReadBytes * k,
    actWriteBytes: pw.actWriteBytes * k,
    activationBytes: pw.activationBytes * k,
    gradientBytes: pw.gradientBytes * k,
    weightRoleBytes: pw.weightRoleBytes,
    weightGradBytes: pw.weightGradBytes,
    get tensors() {
      return pw.tensors;
    },
  } as PhaseWork;
}

/**
 * convPhase results of one run, by conv shape and phase: networks repeat shapes (ResNet stages, transformer
 * blocks, generated chains), and each evaluation searches GEMM tiles (and Winograd/FFT). Keyed by a numeric hash
 * of the dims, checked field by field on a hit. The kernel groups are shared, so callers must not change them.
 */
class ConvMemo {
  private readonly byHash = new Map<number, { d: ConvDims; phase: GemmPhase; k: KernelGroup[] }[]>();
  get(g: GpuParams, d: ConvDims, phase: GemmPhase, prec: Precision): KernelGroup[] {
    const mix = (h: number, v: number) => (Math.imul(h, 31) + (v | 0)) | 0;
    let h = phase === 'fwd' ? 1 : phase === 'bwd_data' ? 2 : 3;
    h = mix(mix(mix(mix(mix(mix(h, d.N), d.C), d.K), d.H), d.W), d.P);
    h = mix(mix(mix(mix(mix(mix(h, d.Q), d.R), d.S), d.Hstride), d.Wstride), d.G);
    let list = this.byHash.get(h);
    if (list) for (const e of list) if (e.phase === phase && sameConv(e.d, d)) return e.k;
    const k = convPhase(g, d, phase, prec);
    if (!list) this.byHash.set(h, (list = []));
    list.push({ d, phase, k });
    return k;
  }
}
const sameConv = (a: ConvDims, b: ConvDims): boolean =>
  a === b ||
  (a.N === b.N &&
    a.C === b.C &&
    a.K === b.K &&
    a.H === b.H &&
    a.W === b.W &&
    a.P === b.P &&
    a.Q === b.Q &&
    a.R === b.R &&
    a.S === b.S &&
    a.Hstride === b.Hstride &&
    a.Wstride === b.Wstride &&
    a.G === b.G);

/**
 * Autocast (torch.autocast, mixed precision): the element size of each layer's output as PyTorch runs it. Matrix
 * products and convolutions produce the low precision; the ops autocast runs in fp32 (layer/group norm, softmax,
 * sums, exp/log/pow, cumsum — the CUDA "fp32 list") produce fp32; everything else takes the widest of its inputs
 * (type promotion: a bf16 residual added to an fp32 LayerNorm output is fp32). Embedding tables are fp32
 * parameters, so lookups are fp32; the network's float input is fp32.
 */
const FP32_LIST = new Set(['layernorm', 'groupnorm', 'softmax']);
const FP32_EWISE = new Set(['Exp', 'Log', 'Pow', 'Softplus', 'CumSum', 'Reciprocal', 'Sum']);
const LOW_OUT = new Set(['conv', 'matmul', 'rnn']);
const autocastCache = new WeakMap<Workload, Float64Array>();
function isFp32Op(w: Workload, l: LayerWork): boolean {
  if (FP32_LIST.has(l.op)) return true;
  const a = w.network.layers[l.index]?.attrs;
  return (
    (l.op === 'elementwise' && FP32_EWISE.has(a?.op ?? '')) ||
    (l.op === 'reduce' && (a?.op === 'sum' || a?.op === 'prod'))
  );
}
export function autocastBytes(w: Workload): Float64Array {
  let out = autocastCache.get(w);
  if (out) return out;
  const low = bytesOf(w.precision);
  out = new Float64Array(w.layers.length);
  for (let i = 0; i < w.layers.length; i++) {
    const l = w.layers[i];
    const ins = w.network.layers[i]?.inputs ?? [];
    let widest = 0;
    for (const j of ins) widest = Math.max(widest, j < 0 ? 4 : out[j]);
    if (LOW_OUT.has(l.cls)) out[i] = low;
    else if (isFp32Op(w, l) || l.cls === 'embedding') out[i] = 4;
    else out[i] = widest || 4;
  }
  autocastCache.set(w, out);
  return out;
}

/**
 * A cast autocast inserts is an operator of its own (aten::_to_copy): the framework dispatches it and records an
 * autograd node in the forward pass, and runs that node (ToCopyBackward) in the backward pass — host work like
 * any layer's, besides its kernel launch.
 */
function castOp(g: GpuParams, k: KernelGroup): KernelGroup {
  return g.frameworkOverhead > 0 ? { ...k, hostExtraS: (k.hostExtraS ?? 0) + g.frameworkOverhead } : k;
}

/** Autocast's casts around a layer and the scale of its own memory traffic (1 when not mixed precision). */
function autocastAround(
  g: GpuParams,
  w: Workload,
  l: LayerWork,
  phase: GemmPhase,
): { casts: KernelGroup[]; scale: number } {
  if (!w.mixed || !g.autocast) return { casts: [], scale: 1 };
  const low = bytesOf(w.precision);
  const dt = autocastBytes(w);
  const L = w.network.layers[l.index];
  const ins = L?.inputs ?? [];
  const casts: KernelGroup[] = [];
  const want = LOW_OUT.has(l.cls) ? low : isFp32Op(w, l) ? 4 : 0;
  let inBytes = 0,
    n = 0;
  ins.forEach((j, k) => {
    const have = j < 0 ? 4 : dt[j];
    const E = w.batch * (L.inShapes[k] ?? []).reduce((a, b) => a * b, 1);
    inBytes += have;
    n++;
    if (l.cls === 'embedding') return; // token ids index the table: nothing to cast
    if (want && have !== want && (phase === 'fwd' || phase === 'bwd_data')) {
      casts.push(castOp(g, eltwise(g, `autocast cast ${phase === 'fwd' ? 'in' : 'grad'}`, E * (have + want), 0)));
    }
  });
  if (LOW_OUT.has(l.cls)) return { casts, scale: 1 };
  const own = want || (n ? inBytes / n : 4);
  return { casts, scale: (own + dt[l.index]) / 2 / low };
}

/** What a layer class's kernels are built from: the layer phase (scaled to autocast's element size) and its dims. */
interface KernelCtx {
  g: GpuParams;
  w: Workload;
  l: LayerWork;
  pw: PhaseWork;
  phase: GemmPhase;
  prec: Precision;
  /** Bytes per element of the network's precision. */
  b: number;
  d: Dims;
  attrs: LayerAttrs;
  memo: ConvMemo;
}

/** The kernel groups of one layer phase. */
export function phaseKernels(
  g: GpuParams,
  w: Workload,
  l: LayerWork,
  pw: PhaseWork,
  memo = new ConvMemo(),
): KernelGroup[] {
  if (pw.phase === 'update') return [updateKernels(g, w, l, pw)];
  const phase = pw.phase as GemmPhase;
  const out: KernelGroup[] = [];
  const ac = autocastAround(g, w, l, phase);
  out.push(...ac.casts);
  // Memory-bound kernels move their tensors at the element size autocast gives them.
  if (ac.scale !== 1) pw = scaledPhase(pw, ac.scale);
  const castable = l.params > 0 && (l.cls === 'conv' || l.cls === 'matmul' || l.cls === 'rnn');
  if (w.mixed && g.autocast && castable && phase === 'fwd')
    out.push(castOp(g, eltwise(g, 'autocast weight cast', l.params * (w.bytes.master + w.bytes.weight), 0)));
  const prec = w.precision;
  const attrs = w.network.layers[l.index]?.attrs ?? {};
  const kernels = CLASS_KERNELS[l.cls];
  if (kernels) out.push(...kernels({ g, w, l, pw, phase, prec, b: bytesOf(prec), d: l.dims, attrs, memo }));
  if (w.mixed && g.autocast && castable && phase === 'bwd_weight')
    out.push(castOp(g, eltwise(g, 'weight-grad cast', l.params * (w.bytes.grad + w.bytes.master), 0)));
  return out.filter((k) => k.kernels > 0 || k.gpuS > 0 || (k.hostExtraS ?? 0) > 0);
}

/** The optimizer step over the layer's parameter tensors (fp32 master weights under mixed precision). */
function updateKernels(g: GpuParams, w: Workload, l: LayerWork, pw: PhaseWork): KernelGroup {
  const paramBytes = w.mixed ? w.bytes.master : w.bytes.weight;
  const decay = (w.network.optimizer?.weightDecay ?? 0) > 0;
  return optimizerStep(g, w.optimizer.type, l.params, paramTensors(w, l), decay, paramBytes, pw.flops);
}

/** cuDNN's convolution kernels; PyTorch adds the bias in a separate in-place kernel (cuDNN takes none). */
function convKernels({ g, d, phase, prec, b, attrs, memo }: KernelCtx): KernelGroup[] {
  const out = [...memo.get(g, convDims(d), phase, prec)];
  const y = d.N * d.K * d.P * d.Q;
  if (phase === 'fwd' && attrs.bias) out.push(eltwise(g, 'bias add', 2 * y * b, y));
  if (phase === 'bwd_weight' && attrs.bias) out.push(eltwise(g, 'bias grad', y * b, y));
  return out;
}

/** Linear layers as cuBLAS GEMMs with split-K; batched matmuls as one bmm forward and two backward (dA, dB). */
function matmulKernels({ g, l, d, phase, prec, b, attrs }: KernelCtx): KernelGroup[] {
  if (l.op === 'linear') {
    const { M, N, K } = d;
    if (phase === 'fwd') return [gemm(g, { M, N, K }, prec, { splitK: true, label: 'linear fwd' })];
    if (phase === 'bwd_data') return [gemm(g, { M, N: K, K: N }, prec, { splitK: true, label: 'linear dgrad' })];
    const wgrad = gemm(g, { M: N, N: K, K: M }, prec, { splitK: true, label: 'linear wgrad' });
    return attrs.bias ? [wgrad, eltwise(g, 'bias grad', M * N * b, M * N)] : [wgrad];
  }
  const { B, M, N, K } = d;
  if (phase === 'fwd') return [gemm(g, { M, N, K, batch: B }, prec, { splitK: false, label: 'bmm' })];
  if (phase !== 'bwd_data') return [];
  return [
    gemm(g, { M, N: K, K: N, batch: B }, prec, { splitK: false, label: 'bmm dA' }),
    gemm(g, { M: K, N, K: M, batch: B }, prec, { splitK: false, label: 'bmm dB' }),
  ];
}

/**
 * Normalization: one memory-bound kernel, except batch norm (x read twice forward; backward fused with the weight
 * gradient when the layer has both). PyTorch takes cuDNN's batch norm only when neither input nor scale/shift is
 * bfloat16 (and fp16 input only with fp32 parameters); otherwise its own kernel, at norm_low_precision x the rate. So
 * bf16 — autocast's bf16 conv outputs included — always runs the native kernel.
 */
function normKernels({ g, w, l, pw, d, phase, b }: KernelCtx): KernelGroup[] {
  if (l.op !== 'batchnorm') return [eltwise(g, `${l.op} ${phase}`, pw.minBytes, pw.flops)];
  const E = d.E,
    C = d.C ?? 1,
    x = E * b;
  const native = w.precision === 'bf16' || (b < 4 && !w.mixed);
  if (phase === 'fwd') return [batchNorm(g, 'fwd', E, C, pw.minBytes + x, pw.flops, native)];
  if (phase === 'bwd_data') return [batchNorm(g, 'bwd', E, C, pw.minBytes + 2 * x, pw.flops + 4 * E, native)];
  return hasPhase(l, 'bwd_data') ? [] : [batchNorm(g, 'bwd', E, C, pw.minBytes + x, pw.flops, native)];
}

/**
 * Pooling: the forward at the window-read rate (int64 arg-max indices for max-pool instead of 1 B); max-pool's
 * backward zero-fills the input gradient and scatters into it.
 */
function poolKernels({ g, l, pw, d, phase, b }: KernelCtx): KernelGroup[] {
  if (phase === 'bwd_data' && (l.op === 'maxpool' || l.op === 'global_maxpool')) {
    const bytes = pw.minBytes + (d.Ein ?? 0) * b + 7 * d.E;
    return [scatter(g, 'maxpool bwd (zero fill + scatter)', bytes, pw.flops, d.Ein ?? 0)];
  }
  if (phase !== 'fwd') return [eltwise(g, `${l.op} ${phase}`, pw.minBytes, pw.flops)];
  const global = l.op.startsWith('global') || l.op === 'adaptive_avgpool';
  const reads = global ? (d.Ein ?? 0) : d.E * (d.R ?? 1) * (d.S ?? 1);
  const indices = l.op === 'maxpool' ? 7 * d.E : 0;
  return [poolForward(g, `${l.op} fwd`, pw.minBytes + indices, pw.flops, reads)];
}

/** The kernels per layer class (views and unknown classes launch none). */
const CLASS_KERNELS: Partial<Record<LayerWork['cls'], (c: KernelCtx) => KernelGroup[]>> = {
  conv: convKernels,
  matmul: matmulKernels,
  rnn: ({ g, d, phase, prec }) => rnnPhase(g, rnnDims(d), phase, prec),
  norm: normKernels,
  pool: poolKernels,
  embedding: ({ g, pw, d, phase }) => [
    phase === 'bwd_weight'
      ? scatter(g, 'embedding bwd (scatter-add)', pw.minBytes, pw.flops, d.E)
      : eltwise(g, `embedding ${phase}`, pw.minBytes, pw.flops),
  ],
  // PyTorch's ReLU-family kernels keep no 1-byte mask (the workload's convention): forward writes only the output,
  // backward reads the output (or input) at full precision instead.
  eltwise: ({ g, l, pw, d, phase, b }) => {
    let bytes = pw.minBytes;
    if (MASKLESS.has(l.op)) bytes += phase === 'fwd' ? -d.E : d.E * (b - 1);
    return [eltwise(g, `${l.op} ${phase}`, Math.max(0, bytes), pw.flops)];
  },
  reshape: ({ g, l, pw, phase }) => (pw.minBytes > 0 ? [eltwise(g, `${l.op} ${phase}`, pw.minBytes, pw.flops)] : []),
};

/** The kernels of a phase in one line (host-only groups left out), e.g. "conv fwd 128x128 (tensor cores); bias add". */
function kernelText(groups: KernelGroup[]): string | undefined {
  const ks = groups.filter((k) => k.kernels > 0).map((k) => (k.kernels > 1 ? `${k.label} x${k.kernels}` : k.label));
  return ks.length ? ks.join('; ') : undefined;
}

/** Host-only work (no kernel): the framework's per-module dispatch, the loss and autograd start. */
const hostOnly = (label: string, hostExtraS: number): KernelGroup => ({ ...zero(label), hostExtraS });

/** What the whole run counts for its findings. */
interface RunCounts {
  overTdp: number;
  layoutKernels: number;
  fastConvs: number;
}

/** Sums over a phase's kernel groups, once they are placed on the host and device lanes. */
interface PhaseSums {
  gpuS: number;
  computeS: number;
  memoryS: number;
  hbm: number;
  l2: number;
  /** Arithmetic executed (Winograd/FFT's reduced count, padded tiles). */
  exec: number;
}

/** Places a phase's kernel groups on the two lanes (and the timeline) and sums them. */
function schedulePhase(
  sched: TwoLane,
  rec: Recorder,
  li: number,
  phase: Phase,
  groups: KernelGroup[],
  counts: RunCounts,
): PhaseSums {
  const tl = rec.tl;
  const sums: PhaseSums = { gpuS: 0, computeS: 0, memoryS: 0, hbm: 0, l2: 0, exec: 0 };
  for (const k of groups) {
    const pl = sched.run(k);
    sums.gpuS += k.gpuS;
    sums.computeS += k.computeS;
    sums.memoryS += k.memoryS;
    sums.hbm += k.hbm;
    sums.l2 += k.l2;
    sums.exec += k.execFlops ?? k.flops;
    const layout = k.label.startsWith('layout');
    if (layout) counts.layoutKernels += k.kernels;
    if (k.label.startsWith('winograd') || k.label.startsWith('fft')) counts.fastConvs++;
    if (tl.enabled) {
      tl.add('host', li, phase, 'launch', pl.hostStart, pl.hostEnd);
      const lane = phase === 'update' ? 'update' : layout ? 'layout' : 'compute';
      tl.add('engine:sm', li, phase, lane, pl.devStart, pl.devEnd);
    }
  }
  return sums;
}

/**
 * A phase's energy: arithmetic, HBM and L2 traffic, static power over its time, and SM activity while kernels run as
 * control energy, up to the board limit (a power-capped GPU lowers its clocks, not the work).
 */
function phaseEnergy(g: GpuParams, prec: Precision, s: PhaseSums, timeS: number) {
  const energy = {
    compute: s.exec * g.energy.flop[prec],
    dram: s.hbm * g.energy.hbm,
    sram: s.l2 * g.energy.l2,
    static: g.energy.staticW * timeS,
    control: 0,
  };
  energy.control = Math.min(
    g.energy.activeW[prec] * s.gpuS,
    Math.max(0, g.energy.tdp * timeS - energy.compute - energy.dram - energy.sram - energy.static),
  );
  return energy;
}

/** The run's findings: precision substitution, layout and fast-conv kernels, memory, power, the calibration. */
function gpuFindings(w: Workload, t: TargetModel, g: GpuParams, counts: RunCounts): FindingDraft[] {
  const prec = w.precision,
    run = g.runAs[prec];
  const notes: FindingDraft[] = [];
  if (run !== prec)
    notes.push(
      finding(
        'precision.substituted',
        'info',
        `${t.name} has no ${prec} rate: ${prec} tensors are computed on the ${run} path (${g.tensor[prec] ? 'tensor cores' : 'CUDA cores'}).`,
      ),
    );
  if (counts.layoutKernels > 0)
    notes.push(
      finding(
        'gpu.layout-kernels',
        'info',
        `${counts.layoutKernels} NCHW<->NHWC layout kernels around tensor-core convolutions (strided or channels not a multiple of ${g.channelAlign}).`,
        { kernels: counts.layoutKernels, channelAlign: g.channelAlign },
      ),
    );
  if (counts.fastConvs > 0)
    notes.push(
      finding(
        'gpu.fast-conv',
        'info',
        `${counts.fastConvs} fp32 convolution phase(s) use Winograd/FFT (fewer multiplications than the FLOPs reported).`,
        { phases: counts.fastConvs },
      ),
    );
  const fp = w.footprint.weights + w.footprint.gradients + w.footprint.saved + w.footprint.optimizer;
  if (fp > g.hbmSize) notes.push(exceedsDevice('the device memory', g.hbmSize, stateParts(w)));
  if (counts.overTdp > 0)
    notes.push(
      finding(
        'power.over-limit',
        'warning',
        `${counts.overTdp} phase(s) draw more than the ${g.energy.tdp} W board limit in this model: the real GPU would throttle (check the energy constants).`,
        { phases: counts.overTdp, limitW: g.energy.tdp },
      ),
    );
  notes.push(
    finding(
      'gpu.calibration',
      'info',
      'Time = PyTorch eager with cuDNN/cuBLAS (NCHW, cudnn.benchmark, autocast for mixed precision); exposed host launch time is the phase overhead.',
    ),
  );
  return notes;
}

export const gpuSim: TargetSimulator = {
  kind: 'gpu',
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult {
    const g = readGpuParams(t);
    const peak = g.peak[w.precision];
    const sched = new TwoLane(g.launch, g.kernelGap);
    const rec = new Recorder(w, ctx);
    const order = trainingOrder(w);
    let lastFwd = -1;
    for (let i = 0; i < order.length; i++) if (order.work[i].phase === 'fwd') lastFwd = i;
    const counts: RunCounts = { overTdp: 0, layoutKernels: 0, fastConvs: 0 };
    // Host-only work before each module's kernels (read, never changed: one object for the whole run).
    const convMemo = new ConvMemo();
    const bwdNode = new Uint8Array(w.layers.length);
    const framework = hostOnly('framework (module call, autograd)', g.frameworkOverhead);

    for (let i = 0; i < order.length; i++) {
      const li = order.layer[i],
        sw = order.work[i];
      const l = w.layers[li];
      const groups = phaseKernels(g, w, l, sw, convMemo);
      // Host work of the framework: one Python op per layer in the forward pass (views included: they dispatch, record
      // autograd and return a tensor without a kernel), one autograd node per layer in the backward pass (a conv's
      // input and weight gradients are one ConvolutionBackward node).
      if (
        g.frameworkOverhead > 0 &&
        l.op !== 'input' &&
        (sw.phase === 'fwd' || ((sw.phase === 'bwd_data' || sw.phase === 'bwd_weight') && !bwdNode[li]))
      ) {
        groups.unshift(framework);
        if (sw.phase !== 'fwd') bwdNode[li] = 1;
      }
      if (i === lastFwd && g.iterationOverhead > 0) groups.push(hostOnly('loss + autograd start', g.iterationOverhead));
      const f0 = sched.frontier;
      const sums = schedulePhase(sched, rec, li, sw.phase, groups, counts);
      const timeS = sched.frontier - f0;
      const row = rec.add(li, {
        phase: sw.phase,
        engine: 'accelerator',
        flops: sw.flops,
        bytes: { hbm: sums.hbm, l2: sums.l2 },
        outer: 'hbm',
        computeS: sums.computeS,
        memoryS: sums.memoryS,
        overheadS: Math.max(0, timeS - sums.gpuS),
        peakFlops: peak,
        timeS,
        energy: phaseEnergy(g, w.precision, sums, timeS),
        // the kernels the phase launches (tile, split-k, Winograd, layout kernels): the GPU's mapping
        mapping: ctx.layers ? () => kernelText(groups) : undefined,
      });
      if (timeS > 0 && rec.rows.energyJ(row) / timeS > g.energy.tdp * 1.001) counts.overTdp++;
    }

    return rec.result(
      {
        name: t.name,
        kind: t.kind,
        peak: {
          flops: peak,
          bandwidth: { hbm: g.hbmBw, l2: g.l2Bw },
          levels: [
            { name: 'hbm', bandwidthBps: g.hbmBw, sizeB: g.hbmSize },
            { name: 'l2', bandwidthBps: g.l2Bw, sizeB: g.l2Size },
          ],
        },
      },
      rec.rows.totals(peak, w.batch, sched.frontier),
      gpuFindings(w, t, g, counts),
      t.notes,
    );
  },
};
