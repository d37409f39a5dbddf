// Typed view of a 'gpu' target's parameters (params.ts documents each one and its source),
// plus the precision fallback: a precision the GPU has no rate for runs on the path of the next wider format.
import type { Precision, TargetModel } from '../../spec/types';
import { bool, num } from '../../sim/target';

export type GemmPhase = 'fwd' | 'bwd_data' | 'bwd_weight';

export interface GpuParams {
  sms: number;
  /** Peak FLOP/s by the precision that actually runs (see runAs). */
  peak: Record<Precision, number>;
  /** True when the precision runs on tensor cores. */
  tensor: Record<Precision, boolean>;
  /** The precision whose rate and data path a network precision uses (itself when supported). */
  runAs: Record<Precision, Precision>;
  tensorTile: [number, number];
  simtTile: [number, number];
  minTile: number;
  /** Smallest CTA tile edge of CUDA-core kernels (a warp with a register-blocked thread tile). */
  simtMinTile: number;
  tensorTileKBytes: number;
  simtTileK: number;
  channelAlign: number;
  winogradTile: number;
  tapKTiles: number;
  /** k-steps of pipeline fill and epilogue each CTA tile spends beyond its reduction. */
  tileFill: number;
  fastConv: boolean;
  eff: {
    gemm: number;
    convTensor: Record<GemmPhase, number>;
    convSimt: Record<GemmPhase, number>;
    fastConv: Record<GemmPhase, number>;
    /** Fraction of the streaming bandwidth the Winograd/FFT transform kernels reach. */
    fastConvTransform: number;
    memory: number;
    overlapLoss: number;
    splitKMin: number;
    layout: number;
    eltwise: number;
    scatterRate: number;
    normRate: number;
    normLowPrecision: number;
    depthwise: number;
    /** Depthwise kernel element rates per phase (taps/s fwd and bwd_weight, input elements/s bwd_data). */
    depthwiseRate: Record<GemmPhase, number>;
    /** Device time per (channel, tap) reduction finished by a depthwise weight-gradient kernel. */
    depthwiseReduceS: number;
    /** Fraction of efficiency.memory CUDA-core weight-gradient conv kernels stream at. */
    simtWgradMemory: number;
    poolWindowRate: number;
  };
  hbmBw: number;
  hbmSize: number;
  l2Size: number;
  l2Bw: number;
  launch: number;
  /**
   * Mixed precision runs as torch.autocast (fp32-list ops, casts); false = every op in the network precision, fp32
   * masters only in the optimizer (Megatron / apex O2).
   */
  autocast: boolean;
  simtFixed: number;
  /** Fixed device time of one NCHW<->NHWC transform kernel around a 1x1 tensor-core conv. */
  layoutFixed: number;
  perTensor: number;
  iterationOverhead: number;
  frameworkOverhead: number;
  kernelGap: number;
  /** activeW: SM activity power while kernels run, per run precision (see energy.gemm_power). */
  energy: {
    flop: Record<Precision, number>;
    hbm: number;
    l2: number;
    staticW: number;
    tdp: number;
    activeW: Record<Precision, number>;
  };
}

const PRECS: Precision[] = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'int4', 'radix4'];

/** Where a precision without a rate on this GPU runs instead (ASM: what frameworks do — widen the math). */
const FALLBACK: Record<Precision, Precision[]> = {
  fp32: [],
  tf32: ['fp32'],
  fp16: ['fp32'],
  bf16: ['fp32'],
  fp8: ['fp16', 'bf16', 'fp32'],
  int8: ['fp16', 'fp32'],
  int4: ['int8', 'fp16', 'fp32'],
  radix4: ['fp8', 'fp16', 'fp32'],
};

/** Parameters with a path per precision (int4 and radix4 have none: they always fall back). */
function perPrecision(t: TargetModel, prefix: string): Record<Precision, number> {
  const r = {} as Record<Precision, number>;
  for (const p of PRECS) r[p] = p === 'int4' || p === 'radix4' ? 0 : num(t, `${prefix}${p}`);
  return r;
}

export function readGpuParams(t: TargetModel): GpuParams {
  const rawPeak = perPrecision(t, 'compute.peak_');
  if (!(rawPeak.fp32 > 0)) rawPeak.fp32 = 1e12; // a GPU always computes fp32; guard against a zero peak (ASM)
  const rawTensor: Record<Precision, boolean> = {
    fp32: false,
    tf32: bool(t, 'compute.tensor_tf32'),
    fp16: bool(t, 'compute.tensor_fp16'),
    bf16: bool(t, 'compute.tensor_bf16'),
    fp8: bool(t, 'compute.tensor_fp8'),
    int8: bool(t, 'compute.tensor_int8'),
    int4: false,
    radix4: false,
  };
  const runAs = {} as Record<Precision, Precision>;
  const peak = {} as Record<Precision, number>;
  const tensor = {} as Record<Precision, boolean>;
  for (const p of PRECS) {
    const r = [p, ...FALLBACK[p]].find((q) => rawPeak[q] > 0) ?? 'fp32';
    runAs[p] = r;
    peak[p] = rawPeak[r];
    tensor[p] = rawTensor[r];
  }
  const flopE = perPrecision(t, 'energy.flop_');
  const flop = {} as Record<Precision, number>;
  for (const p of PRECS) flop[p] = flopE[runAs[p]];
  const phases = (kind: string): Record<GemmPhase, number> => ({
    fwd: num(t, `efficiency.conv_${kind}_fwd`),
    bwd_data: num(t, `efficiency.conv_${kind}_bwd_data`),
    bwd_weight: num(t, `efficiency.conv_${kind}_bwd_weight`),
  });
  return {
    sms: Math.max(1, Math.round(num(t, 'compute.sm_count'))),
    peak,
    tensor,
    runAs,
    tensorTile: [num(t, 'compute.tensor_tile_m'), num(t, 'compute.tensor_tile_n')],
    simtTile: [num(t, 'compute.simt_tile_m'), num(t, 'compute.simt_tile_n')],
    minTile: Math.max(1, num(t, 'compute.min_tile')),
    simtMinTile: Math.max(1, num(t, 'compute.simt_min_tile')),
    tensorTileKBytes: Math.max(1, num(t, 'compute.tensor_tile_k_bytes')),
    simtTileK: Math.max(1, num(t, 'compute.simt_tile_k')),
    channelAlign: Math.max(1, num(t, 'compute.tensor_channel_align')),
    winogradTile: Math.max(1, num(t, 'compute.winograd_tile')),
    tapKTiles: Math.max(0, num(t, 'compute.tap_ktiles')),
    tileFill: Math.max(0, num(t, 'compute.tile_fill_ksteps')),
    fastConv: bool(t, 'compute.fast_conv_algorithms'),
    eff: {
      gemm: pos(num(t, 'efficiency.gemm')),
      convTensor: phases('tensor'),
      convSimt: phases('simt'),
      fastConv: {
        fwd: pos(num(t, 'efficiency.fast_conv_fwd')),
        bwd_data: pos(num(t, 'efficiency.fast_conv_bwd_data')),
        bwd_weight: pos(num(t, 'efficiency.fast_conv_bwd_weight')),
      },
      fastConvTransform: pos(num(t, 'efficiency.fast_conv_transform')),
      memory: pos(num(t, 'efficiency.memory')),
      overlapLoss: Math.min(1, Math.max(0, num(t, 'efficiency.overlap_loss'))),
      splitKMin: Math.max(1, num(t, 'efficiency.split_k_min_depth')),
      layout: Math.max(0, num(t, 'efficiency.layout_transform')),
      eltwise: pos(num(t, 'efficiency.eltwise')),
      scatterRate: pos(num(t, 'efficiency.scatter_rate')),
      normRate: pos(num(t, 'efficiency.norm_channel_rate')),
      normLowPrecision: pos(num(t, 'efficiency.norm_low_precision')),
      depthwise: pos(num(t, 'efficiency.depthwise')),
      depthwiseRate: {
        fwd: pos(num(t, 'efficiency.depthwise_fwd_rate')),
        bwd_data: pos(num(t, 'efficiency.depthwise_bwd_data_rate')),
        bwd_weight: pos(num(t, 'efficiency.depthwise_bwd_weight_rate')),
      },
      simtWgradMemory: pos(Math.min(1, num(t, 'efficiency.simt_wgrad_memory'))),
      depthwiseReduceS: Math.max(0, num(t, 'efficiency.depthwise_bwd_weight_reduce')),
      poolWindowRate: pos(num(t, 'efficiency.pool_window_rate')),
    },
    hbmBw: pos(num(t, 'memory.hbm_bandwidth')),
    hbmSize: num(t, 'memory.hbm_size'),
    l2Size: num(t, 'memory.l2_size'),
    l2Bw: pos(num(t, 'memory.l2_bandwidth')),
    launch: Math.max(0, num(t, 'control.launch_overhead')),
    autocast: t.params['framework.autocast'] !== false && t.params['framework.autocast'] !== 'false',
    simtFixed: Math.max(0, num(t, 'control.simt_kernel_fixed')),
    layoutFixed: Math.max(0, num(t, 'control.layout_kernel_fixed')),
    perTensor: Math.max(0, num(t, 'control.per_tensor_overhead')),
    iterationOverhead: Math.max(0, num(t, 'control.iteration_overhead')),
    frameworkOverhead: Math.max(0, num(t, 'control.framework_overhead')),
    kernelGap: Math.max(0, num(t, 'control.kernel_gap')),
    energy: activity(t, flop, peak),
  };
}

/**
 * Energy constants, and the SM activity power that makes a large GEMM at its achieved rate (peak x efficiency.gemm)
 * draw energy.gemm_power: what is left of that power after static power and the GEMM's FLOP energy.
 */
function activity(
  t: TargetModel,
  flop: Record<Precision, number>,
  peak: Record<Precision, number>,
): GpuParams['energy'] {
  const staticW = num(t, 'energy.static_power'),
    tdp = pos(num(t, 'energy.tdp'));
  const gemmW = num(t, 'energy.gemm_power') || tdp;
  const eff = pos(num(t, 'efficiency.gemm'));
  const activeW = {} as Record<Precision, number>;
  for (const p of PRECS) activeW[p] = Math.max(0, gemmW - staticW - flop[p] * peak[p] * eff);
  return { flop, hbm: num(t, 'energy.hbm'), l2: num(t, 'energy.l2'), staticW, tdp, activeW };
}

/** Keep divisors strictly positive (a 0 efficiency would mean infinite time; bounds in the schema say > 0). */
function pos(x: number): number {
  return x > 0 && Number.isFinite(x) ? x : 1e-6;
}
