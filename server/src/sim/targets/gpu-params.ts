// Typed view of a 'gpu' target's parameters (server/src/spec/presets/gpu.ts documents each one and its source),
// plus the precision fallback: a precision the GPU has no rate for runs on the path of the next wider format.
import type { Precision, TargetModel } from '../../spec/types';
import { bool, num } from '../target';

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
  tensorTileKBytes: number;
  simtTileK: number;
  channelAlign: number;
  winogradTile: number;
  tapKTiles: number;
  fastConv: boolean;
  eff: {
    gemm: number;
    convTensor: Record<GemmPhase, number>;
    convSimt: Record<GemmPhase, number>;
    fastConv: Record<GemmPhase, number>;
    fastConvTraffic: number;
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
  /** Mixed precision runs as torch.autocast (fp32-list ops, casts); false = every op in the network precision, fp32 masters only in the optimizer (Megatron / apex O2). */
  autocast: boolean;
  simtFixed: number;
  /** Fixed device time of one NCHW<->NHWC transform kernel around a 1x1 tensor-core conv. */
  layoutFixed: number;
  perTensor: number;
  iterationOverhead: number;
  frameworkOverhead: number;
  kernelGap: number;
  energy: { flop: Record<Precision, number>; hbm: number; l2: number; staticW: number; tdp: number };
}

const PRECS: Precision[] = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'int4', 'radix4'];

/** Where a precision without a rate on this GPU runs instead (ASM: what frameworks do — widen the math). */
const FALLBACK: Record<Precision, Precision[]> = {
  fp32: [], tf32: ['fp32'], fp16: ['fp32'], bf16: ['fp32'],
  fp8: ['fp16', 'bf16', 'fp32'], int8: ['fp16', 'fp32'], int4: ['int8', 'fp16', 'fp32'], radix4: ['fp8', 'fp16', 'fp32'],
};

/** Parameters with a path per precision (int4 and radix4 have none: they always fall back). */
function perPrecision(t: TargetModel, prefix: string, dflt: number): Record<Precision, number> {
  const r = {} as Record<Precision, number>;
  for (const p of PRECS) r[p] = p === 'int4' || p === 'radix4' ? 0 : num(t, `${prefix}${p}`, dflt);
  return r;
}

export function readGpuParams(t: TargetModel): GpuParams {
  const rawPeak = perPrecision(t, 'compute.peak_', 0);
  if (!(rawPeak.fp32 > 0)) rawPeak.fp32 = 1e12; // a GPU always computes fp32; guard against a zero peak (ASM)
  const rawTensor: Record<Precision, boolean> = {
    fp32: false, tf32: bool(t, 'compute.tensor_tf32'), fp16: bool(t, 'compute.tensor_fp16'), bf16: bool(t, 'compute.tensor_bf16'),
    fp8: bool(t, 'compute.tensor_fp8'), int8: bool(t, 'compute.tensor_int8'), int4: false, radix4: false,
  };
  const runAs = {} as Record<Precision, Precision>;
  const peak = {} as Record<Precision, number>;
  const tensor = {} as Record<Precision, boolean>;
  for (const p of PRECS) {
    const r = [p, ...FALLBACK[p]].find((q) => rawPeak[q] > 0) ?? 'fp32';
    runAs[p] = r; peak[p] = rawPeak[r]; tensor[p] = rawTensor[r];
  }
  const flopE = perPrecision(t, 'energy.flop_', 5e-12);
  const flop = {} as Record<Precision, number>;
  for (const p of PRECS) flop[p] = flopE[runAs[p]];
  const phases = (kind: string): Record<GemmPhase, number> => ({
    fwd: num(t, `efficiency.conv_${kind}_fwd`, 0.7), bwd_data: num(t, `efficiency.conv_${kind}_bwd_data`, 0.6), bwd_weight: num(t, `efficiency.conv_${kind}_bwd_weight`, 0.6),
  });
  return {
    sms: Math.max(1, Math.round(num(t, 'compute.sm_count', 132))),
    peak, tensor, runAs,
    tensorTile: [num(t, 'compute.tensor_tile_m', 128), num(t, 'compute.tensor_tile_n', 256)],
    simtTile: [num(t, 'compute.simt_tile_m', 128), num(t, 'compute.simt_tile_n', 128)],
    minTile: Math.max(1, num(t, 'compute.min_tile', 16)),
    tensorTileKBytes: Math.max(1, num(t, 'compute.tensor_tile_k_bytes', 128)),
    simtTileK: Math.max(1, num(t, 'compute.simt_tile_k', 16)),
    channelAlign: Math.max(1, num(t, 'compute.tensor_channel_align', 8)),
    winogradTile: Math.max(1, num(t, 'compute.winograd_tile', 4)),
    tapKTiles: Math.max(0, num(t, 'compute.tap_ktiles', 2.21)),
    fastConv: bool(t, 'compute.fast_conv_algorithms', true),
    eff: {
      gemm: pos(num(t, 'efficiency.gemm', 1)),
      convTensor: phases('tensor'),
      convSimt: phases('simt'),
      fastConv: { fwd: pos(num(t, 'efficiency.fast_conv_fwd', 0.5)), bwd_data: pos(num(t, 'efficiency.fast_conv_bwd_data', 0.5)), bwd_weight: pos(num(t, 'efficiency.fast_conv_bwd_weight', 0.5)) },
      fastConvTraffic: Math.max(1, num(t, 'efficiency.fast_conv_traffic', 8)),
      memory: pos(num(t, 'efficiency.memory', 0.86)),
      overlapLoss: Math.min(1, Math.max(0, num(t, 'efficiency.overlap_loss', 0.3))),
      splitKMin: Math.max(1, num(t, 'efficiency.split_k_min_depth', 256)),
      layout: Math.max(0, num(t, 'efficiency.layout_transform', 1)),
      eltwise: pos(num(t, 'efficiency.eltwise', 1)),
      scatterRate: pos(num(t, 'efficiency.scatter_rate', 65e9)),
      normRate: pos(num(t, 'efficiency.norm_channel_rate', 1.8e9)),
      normLowPrecision: pos(num(t, 'efficiency.norm_low_precision', 0.6)),
      depthwise: pos(num(t, 'efficiency.depthwise', 0.8)),
      depthwiseRate: { fwd: pos(num(t, 'efficiency.depthwise_fwd_rate', 1.3e12)), bwd_data: pos(num(t, 'efficiency.depthwise_bwd_data_rate', 56e9)), bwd_weight: pos(num(t, 'efficiency.depthwise_bwd_weight_rate', 5.5e11)) },
      simtWgradMemory: pos(Math.min(1, num(t, 'efficiency.simt_wgrad_memory', 0.3))),
      depthwiseReduceS: Math.max(0, num(t, 'efficiency.depthwise_bwd_weight_reduce', 4e-9)),
      poolWindowRate: pos(num(t, 'efficiency.pool_window_rate', 5e11)),
    },
    hbmBw: pos(num(t, 'memory.hbm_bandwidth', 2.96e12)),
    hbmSize: num(t, 'memory.hbm_size', 80e9),
    l2Size: num(t, 'memory.l2_size', 50 * 1024 ** 2),
    l2Bw: pos(num(t, 'memory.l2_bandwidth', 12e12)),
    launch: Math.max(0, num(t, 'control.launch_overhead', 11.4e-6)),
    autocast: t.params['framework.autocast'] !== false && t.params['framework.autocast'] !== 'false',
    simtFixed: Math.max(0, num(t, 'control.simt_kernel_fixed', 20e-6)),
    layoutFixed: Math.max(0, num(t, 'control.layout_kernel_fixed', 5e-6)),
    perTensor: Math.max(0, num(t, 'control.per_tensor_overhead', 1.9e-6)),
    iterationOverhead: Math.max(0, num(t, 'control.iteration_overhead', 60e-6)),
    frameworkOverhead: Math.max(0, num(t, 'control.framework_overhead', 38e-6)),
    kernelGap: Math.max(0, num(t, 'control.kernel_gap', 4e-6)),
    energy: {
      flop, hbm: num(t, 'energy.hbm', 31e-12), l2: num(t, 'energy.l2', 8e-12),
      staticW: num(t, 'energy.static_power', 100), tdp: pos(num(t, 'energy.tdp', 700)),
    },
  };
}

/** Keep divisors strictly positive (a 0 efficiency would mean infinite time; bounds in the schema say > 0). */
function pos(x: number): number { return x > 0 && Number.isFinite(x) ? x : 1e-6; }
