// GPU kernel physics: pure functions from (problem dims, phase, precision, GpuParams) to the device time, FLOPs
// and bytes of the kernels a framework (PyTorch eager + cuDNN/cuBLAS) launches for it. No workload types here, so
// the same functions are checked directly against measured single-layer times (test/unit/sim/gpu-accuracy.test.ts).
//
// GEMM (all conv/linear phases are GEMMs; implicit GEMM for convs):
//   tiles      = ceil(M/tm) * ceil(N/tn) * batch                  (tile quantization: padded rows/cols are computed)
//   split-K s  = min(floor(SMs/tiles), floor(K/split_k_min))  when allowed and tiles < SMs, else 1
//   waves      = ceil(tiles * s / SMs)                             (wave quantization)
//   K_pad      = ceil(ceil(K/s) / tk) * tk                         (k-step quantization)
//   compute    = waves * 2*tm*tn*(K_pad + fill*tk) / (peak * eff_gemm * eff_kernel / SMs)   (fill: the k-steps of
//                pipeline prologue and output epilogue every CUDA-core tile pays, compute.tile_fill_ksteps; 0 on
//                tensor cores, whose multi-stage asynchronous pipelines overlap them with the next tile)
//   HBM bytes  = compulsory (A, B, C once; operand panels assumed to stay in L2) + fp32 split-K partials (w + r)
//   L2 bytes   = b * batch * (M*K*ceil(N/tn) + K*N*ceil(M/tm) + M*N)   (each tile re-reads its A and B panels)
//   memory     = max(HBM / (BW_hbm * eff_mem), L2 / BW_l2)
//   time       = max(compute, memory) + overlap_loss * min(compute, memory) / waves   (one wave's pipeline fill and
//                drain is not hidden), minimised over the library's tiles (power-of-two tiles from min_tile, or
//                simt_min_tile on CUDA cores, up to the largest tile of the path: the library's heuristic, assumed to
//                find the best one)
//                + a fixed per-kernel time on the CUDA-core (fp32) path.
// Convolutions (NCHW, as PyTorch calls cuDNN), Timeloop dims N C K H W P Q R S, groups G, Cg = C/G, Kg = K/G:
//   fwd        M = N*P*Q,  N = Kg,      K = Cg*R*S
//   bwd_data   M = N*H*W,  N = Cg,      K = ceil(Kg*R*S / (stride_h*stride_w))  (same MACs as fwd for stride 1)
//   bwd_weight M = Kg,     N = Cg*R*S,  K = N*P*Q                            (split-K allowed: long reduction)
//   tensor cores need Cg to be a multiple of the channel alignment; otherwise (e.g. RGB input) the conv runs on
//     CUDA cores at the fp32 rate. On tensor cores, R*S > 1 and Cg < tap_ktiles x tk: eff x Cg / (tap_ktiles x tk)
//     (per-tap im2col gather not amortised). Strided tensor-core convs add NCHW<->NHWC layout kernels moving
//     layout_transform x 2 x (in + out) bytes; unstrided 1x1 tensor-core convs add layout_kernel_fixed per transform
//     kernel (2 fwd, 3 bwd_data, 4 bwd_weight).
//   CUDA-core path + stride 1 + R*S > 1 + G = 1: the faster of implicit GEMM and Winograd F(m,3) (3x3) / FFT (others),
//     each run as transform kernels and batched GEMMs (see fastConv) at eff_fast(phase).
//   depthwise-like (G > 1 and Cg < channel alignment): CUDA-core kernel at a per-phase element rate, the same for
//     every precision, or memory-bound at eff_depthwise (see depthwise()).
import type { Precision } from '../../spec/types';
import { PRECISION_BYTES } from '../../sim/workload';
import type { GemmPhase, GpuParams } from './read';

/** Cost of one group of identical, back-to-back kernels (n launches). */
export interface KernelGroup {
  label: string;
  /** Kernel launches in the group. */
  kernels: number;
  /** Useful FLOPs (padding excluded). */
  flops: number;
  /** Arithmetic actually executed, for energy: padded tiles included, Winograd/FFT's reduced count (default flops). */
  execFlops?: number;
  computeS: number;
  memoryS: number;
  /** Device busy time of the whole group. */
  gpuS: number;
  /** Bytes at device memory and between L2 and the SMs. */
  hbm: number;
  l2: number;
  /** Host time beyond kernels x launch overhead (e.g. per-tensor optimizer bookkeeping). */
  hostExtraS?: number;
}

export interface GemmShape {
  M: number;
  N: number;
  K: number;
  batch?: number;
}
export interface GemmOptions {
  splitK: boolean;
  /** Kernel efficiency relative to a plain GEMM (implicit-GEMM conv penalties). */
  eff?: number;
  /** Compulsory device-memory bytes (default: A, B and C once). */
  minBytes?: number;
  /** Useful FLOPs (default 2*M*N*K*batch). */
  flops?: number;
  label?: string;
  /** Run on the CUDA-core path at the fp32 rate even if the precision has tensor cores (unaligned channels). */
  simt?: boolean;
  /** Fraction of efficiency.memory the kernel streams device memory at (default 1). */
  memEff?: number;
}

export const bytesOf = (p: Precision): number => PRECISION_BYTES[p] ?? 4;

const tileCache = new Map<string, [number, number][]>();
/** Power-of-two CTA tiles the library may pick: edges in [min_tile, max edge], area <= the largest tile's area. */
export function tileCandidates(max: [number, number], minTile: number): [number, number][] {
  const key = `${max[0]}x${max[1]}/${minTile}`;
  let c = tileCache.get(key);
  if (c) return c;
  c = [];
  const edge = Math.max(max[0], max[1]),
    area = max[0] * max[1];
  for (let m = Math.max(1, minTile); m <= edge; m *= 2)
    for (let n = Math.max(1, minTile); n <= edge; n *= 2) if (m * n <= area) c.push([m, n]);
  if (!c.length) c.push([max[0], max[1]]);
  tileCache.set(key, c);
  return c;
}

const cdiv = (a: number, b: number): number => Math.ceil(a / b);
/** A group that launches nothing and costs nothing (host-only groups add their host time to it). */
export const zero = (label: string): KernelGroup => ({
  label,
  kernels: 0,
  flops: 0,
  computeS: 0,
  memoryS: 0,
  gpuS: 0,
  hbm: 0,
  l2: 0,
});

/** One GEMM kernel (see the header for the formulas). */
export function gemm(g: GpuParams, s: GemmShape, prec: Precision, o: GemmOptions): KernelGroup {
  const label = o.label ?? 'gemm';
  const M = Math.max(0, s.M),
    N = Math.max(0, s.N),
    K = Math.max(0, s.K),
    B = Math.max(1, s.batch ?? 1);
  if (M * N * K === 0) return zero(label);
  const b = bytesOf(prec);
  const tensor = g.tensor[prec] && !o.simt;
  const tk = tensor ? Math.max(1, Math.round(g.tensorTileKBytes / b)) : g.simtTileK;
  // reduction elements each tile spends outside its main loop (CUDA-core tiles only; see the header)
  const fillK = tensor ? 0 : g.tileFill * tk;
  const rate = o.simt ? Math.min(g.peak.fp32, g.peak[prec]) : g.peak[prec];
  const perSm = (rate * g.eff.gemm * (o.eff ?? 1)) / g.sms;
  const minBytes = o.minBytes ?? (M * K + K * N + M * N) * b * B;
  const flops = o.flops ?? 2 * M * N * K * B;
  // The best tile is kept in locals; its KernelGroup (and label) is built once, after the search.
  let bestT = Infinity,
    bM = 0,
    bN = 0,
    bSplit = 1,
    bExec = 0,
    bComp = 0,
    bMem = 0,
    bHbm = 0,
    bL2 = 0;
  const cands = tileCandidates(tensor ? g.tensorTile : g.simtTile, tensor ? g.minTile : g.simtMinTile);
  for (let i = 0; i < cands.length; i++) {
    const tm = cands[i][0],
      tn = cands[i][1];
    const tiles = cdiv(M, tm) * cdiv(N, tn) * B;
    let split = 1;
    if (o.splitK && tiles < g.sms)
      split = Math.max(1, Math.min(Math.floor(g.sms / tiles), Math.floor(K / g.eff.splitKMin)));
    const waves = cdiv(tiles * split, g.sms);
    const kPad = cdiv(cdiv(K, split), tk) * tk;
    const computeS = (waves * 2 * tm * tn * (kPad + fillK)) / perSm;
    const partials = split > 1 ? M * N * 4 * split * 2 * B : 0;
    const hbm = minBytes + partials;
    const l2 = b * B * (M * K * cdiv(N, tn) + K * N * cdiv(M, tm) + M * N) + partials;
    const memoryS = Math.max(hbm / (g.hbmBw * g.eff.memory * (o.memEff ?? 1)), l2 / g.l2Bw);
    const t = Math.max(computeS, memoryS) + (g.eff.overlapLoss * Math.min(computeS, memoryS)) / waves;
    if (t < bestT) {
      bestT = t;
      bM = tm;
      bN = tn;
      bSplit = split;
      bExec = tiles * split * 2 * tm * tn * kPad;
      bComp = computeS;
      bMem = memoryS;
      bHbm = hbm;
      bL2 = l2;
    }
  }
  return {
    label: `${label} ${bM}x${bN}${bSplit > 1 ? ` split-k ${bSplit}` : ''}`,
    kernels: 1,
    flops,
    execFlops: bExec,
    computeS: bComp,
    memoryS: bMem,
    gpuS: tensor ? bestT : bestT + g.simtFixed,
    hbm: bHbm,
    l2: bL2,
  };
}

/**
 * NCHW<->NHWC transform kernels cuDNN adds around an unstrided 1x1 tensor-core conv, per phase (ASM, see convPhase).
 */
const LAYOUT_KERNELS_1X1: Record<GemmPhase, number> = { fwd: 2, bwd_data: 3, bwd_weight: 4 };

/** Timeloop-style conv dims (see workload.ts): N C K H W P Q R S Hstride Wstride G. */
export interface ConvDims {
  N: number;
  C: number;
  K: number;
  H: number;
  W: number;
  P: number;
  Q: number;
  R: number;
  S: number;
  Hstride: number;
  Wstride: number;
  G: number;
}

/** The kernels of one conv training phase (layout transforms, then the convolution). */
export function convPhase(g: GpuParams, d: ConvDims, phase: GemmPhase, prec: Precision): KernelGroup[] {
  const b = bytesOf(prec);
  const G = Math.max(1, d.G),
    Cg = Math.max(1, d.C / G),
    Kg = Math.max(1, d.K / G);
  const tensor = g.tensor[prec];
  const x = d.N * d.C * d.H * d.W * b,
    y = d.N * d.K * d.P * d.Q * b,
    w = d.K * Cg * d.R * d.S * b;
  const minBytes = x + y + w;
  const flops = 2 * d.N * d.K * Cg * d.R * d.S * d.P * d.Q;
  const strided = d.Hstride > 1 || d.Wstride > 1;

  if (G > 1 && Cg < g.channelAlign) return [depthwise(g, d, phase, flops, minBytes)];

  // Tensor cores need the channels of a group aligned; cuDNN has no tensor-core kernel for unaligned NCHW input
  // (e.g. the RGB first layer) and runs a CUDA-core kernel at the fp32 rate (measured.json: C = 3 layers take the
  // same time in bf16 as in fp32).
  const simt = !tensor || Cg % g.channelAlign !== 0;
  // Tensor-core implicit GEMM gathers one im2col slice per filter tap; with fewer channels than tap_ktiles k-steps
  // per tap the per-tap gather and halo bookkeeping is not amortised: efficiency x Cg / (tap_ktiles x tk)
  // (1x1 convs exempt: no gather).
  const tkEl = Math.max(1, Math.round(g.tensorTileKBytes / b));
  const tap = !simt && d.R * d.S > 1 ? Math.min(1, Cg / (g.tapKTiles * tkEl)) : 1;
  const eff = (simt ? g.eff.convSimt : g.eff.convTensor)[phase] * tap;
  const o: GemmOptions = {
    splitK: phase === 'bwd_weight',
    eff,
    minBytes,
    flops,
    label: `conv ${phase}`,
    simt: simt && tensor,
    memEff: simt && phase === 'bwd_weight' ? g.eff.simtWgradMemory : 1,
  };
  let main: KernelGroup;
  if (phase === 'fwd') main = gemm(g, { M: d.N * d.P * d.Q, N: Kg, K: Cg * d.R * d.S, batch: G }, prec, o);
  else if (phase === 'bwd_data')
    main = gemm(
      g,
      { M: d.N * d.H * d.W, N: Cg, K: Math.max(1, cdiv(Kg * d.R * d.S, d.Hstride * d.Wstride)), batch: G },
      prec,
      o,
    );
  else main = gemm(g, { M: Kg, N: Cg * d.R * d.S, K: d.N * d.P * d.Q, batch: G }, prec, o);
  // The other backward-data algorithm (cuDNN's BWD_DATA_ALGO_0/1 family): one GEMM dy x W into a column buffer
  // (M = N P Q, N = Cg R S, K = Kg), then col2im adds the columns into dx. It wins when Cg is small (the implicit
  // dgrad above pads N = Cg up to a tile: an RGB first layer).
  if (phase === 'bwd_data' && d.R * d.S > 1) {
    const alt = col2imDgrad(g, d, prec, o);
    if (alt.gpuS < main.gpuS) main = alt;
  }

  if (simt && g.fastConv && !strided && d.R * d.S > 1 && G === 1) {
    const fast = fastConv(g, d, phase, flops);
    if (fast.gpuS < main.gpuS) main = fast;
  }
  // Unstrided 1x1 tensor-core convs on NCHW tensors: cuDNN transposes the operands to NHWC and the result back with
  // small library-launched kernels (fwd: x, y; bwd_data: dy, w, dx; bwd_weight: x, dy, dw and the split-K reduce),
  // each costing a fixed device time (grid start and drain) that dominates small layers
  // (ASM, data/gpu-h100/depthwise.json: bf16 1x1 convs take >= 45/56/67 us fwd/bwd_data/bwd_weight while fp32 ones
  // match the GEMM model).
  if (!simt && d.R * d.S === 1 && !strided && g.layoutFixed > 0) {
    const n = LAYOUT_KERNELS_1X1[phase];
    main = { ...main, label: `${main.label} + ${n} layout kernels`, gpuS: main.gpuS + n * g.layoutFixed };
  }
  const out: KernelGroup[] = [];
  if (!simt && strided && g.eff.layout > 0) {
    const bytes = g.eff.layout * 2 * (x + y);
    const t = bytes / (g.hbmBw * g.eff.eltwise);
    out.push({
      label: 'layout NCHW<->NHWC',
      kernels: 2,
      flops: 0,
      computeS: 0,
      memoryS: t,
      gpuS: t,
      hbm: bytes,
      l2: 0,
    });
  }
  out.push(main);
  return out;
}

/**
 * Backward-data as GEMM + col2im: cols = dy (N P Q x Kg) x W (Kg x Cg R S), written once (b bytes per element), then
 * a col2im kernel zero-fills dx and adds every column element into it (reads cols, writes dx twice): memory-bound.
 */
function col2imDgrad(g: GpuParams, d: ConvDims, prec: Precision, o: GemmOptions): KernelGroup {
  const b = bytesOf(prec);
  const G = Math.max(1, d.G),
    Cg = Math.max(1, d.C / G),
    Kg = Math.max(1, d.K / G);
  const cols = d.N * d.P * d.Q * Cg * d.R * d.S * G;
  const dy = d.N * d.K * d.P * d.Q,
    w = d.K * Cg * d.R * d.S,
    dx = d.N * d.C * d.H * d.W;
  const k = gemm(g, { M: d.N * d.P * d.Q, N: Cg * d.R * d.S, K: Kg, batch: G }, prec, {
    ...o,
    minBytes: (dy + w + cols) * b,
  });
  const bytes = (cols + 2 * dx) * b;
  const t = bytes / (g.hbmBw * g.eff.eltwise);
  return {
    ...k,
    label: `${k.label} + col2im`,
    kernels: 2,
    memoryS: k.memoryS + t,
    gpuS: k.gpuS + t,
    hbm: k.hbm + bytes,
    l2: k.l2 + bytes,
  };
}

/**
 * Winograd F(m x m, 3x3) for 3x3 kernels, FFT otherwise (CUDA-core path, stride 1), as the non-fused algorithms run
 * them: transform kernels, a batched GEMM in the transformed domain, an inverse transform — separate kernels, so
 * their times add:
 *   Winograd: alpha = (m+2)^2 points, T = N ceil(P/m) ceil(Q/m) tiles; transformed tensors (fp32)
 *             X~ = alpha T C, Y~ = alpha T K, W~ = alpha K C elements; GEMMs fwd (T, K, C), bwd_data (T, C, K),
 *             bwd_weight (K, C, T) — multiplications = direct x (m+2)^2 / (9 m^2) x tile padding;
 *   FFT:      alpha = Hp Wp / 2 (half spectrum), tiles = N, complex elements (8 B) and complex MACs (4 real MACs,
 *             folded into the reduction): fwd (N, K, 4C), bwd_data (N, C, 4K), bwd_weight (K, C, 4N);
 *   transforms: memory-bound kernels streaming each operand in and its transform out (or back), at
 *             efficiency.fast_conv_transform of the streaming bandwidth:
 *             fwd      x -> X~, w -> W~, Y~ -> y;   bwd_data dy -> Y~, w -> W~, X~ -> dx;
 *             bwd_weight x -> X~, dy -> Y~, W~ -> dw;
 *   GEMM:     gemm() at eff_fast(phase) (tile and wave quantization of the small batched GEMMs included), reading
 *             its two transformed operands and writing the third.
 */
function fastConv(g: GpuParams, d: ConvDims, phase: GemmPhase, flops: number): KernelGroup {
  let alpha: number, rows: number, reduce: number, elB: number, label: string;
  if (d.R === 3 && d.S === 3) {
    const m = g.winogradTile;
    alpha = (m + 2) ** 2;
    rows = d.N * cdiv(d.P, m) * cdiv(d.Q, m);
    reduce = 1;
    elB = 4;
    label = `winograd F(${m},3)`;
  } else {
    const Hp = 2 ** Math.ceil(Math.log2(d.H + d.R - 1)),
      Wp = 2 ** Math.ceil(Math.log2(d.W + d.S - 1));
    alpha = (Hp * Wp) / 2;
    rows = d.N;
    reduce = 4;
    elB = 8;
    label = `fft ${Hp}x${Wp}`;
  }
  const x = d.N * d.C * d.H * d.W * 4,
    y = d.N * d.K * d.P * d.Q * 4,
    w = d.K * d.C * d.R * d.S * 4;
  const xt = alpha * rows * d.C * elB,
    yt = alpha * rows * d.K * elB,
    wt = alpha * d.K * d.C * elB;
  const shape: GemmShape =
    phase === 'fwd'
      ? { M: rows, N: d.K, K: d.C * reduce, batch: alpha }
      : phase === 'bwd_data'
        ? { M: rows, N: d.C, K: d.K * reduce, batch: alpha }
        : { M: d.K, N: d.C, K: rows * reduce, batch: alpha };
  const k = gemm(g, shape, 'fp32', {
    splitK: phase === 'bwd_weight',
    eff: g.eff.fastConv[phase],
    minBytes: xt + yt + wt,
    flops,
    label,
    simt: true,
  });
  const transformB = x + y + w + xt + yt + wt;
  const transformS = transformB / (g.hbmBw * g.eff.eltwise * g.eff.fastConvTransform);
  return {
    ...k,
    label: `${label} (3 transforms + ${k.label})`,
    kernels: 4,
    memoryS: k.memoryS + transformS,
    gpuS: k.gpuS + transformS,
    hbm: k.hbm + transformB,
    l2: k.l2 + transformB,
  };
}

/**
 * Depthwise / narrow grouped conv: CUDA-core kernels (no tensor-core mapping) whose time is an element rate, not
 * bandwidth: data/gpu-h100/depthwise.json shows the same rates for fp32 and bf16 (the kernels compute in fp32 and
 * are latency-bound), so per phase (ASM, rates read off that grid):
 *   fwd        taps  = N*K*P*Q*R*S (one FMA per output element and filter tap)   at depthwise_fwd_rate
 *   bwd_data   elems = N*C*H*W     (one gathered sum per input-gradient element) at depthwise_bwd_data_rate
 *   bwd_weight taps  = N*K*P*Q*R*S (a reduction over N*P*Q per (channel, tap))  at depthwise_bwd_weight_rate,
 *              + K*R*S x depthwise_bwd_weight_reduce (each (channel, tap) reduction ends in a block-level tree
 *              reduction and write; dominates small spatial sizes with many channels, e.g. C 960 at 7x7)
 *   memory     = compulsory bytes / (BW_hbm x eff_depthwise)
 *   time       = max(rate time, memory) + overlap_loss x min(...)
 */
function depthwise(g: GpuParams, d: ConvDims, phase: GemmPhase, flops: number, minBytes: number): KernelGroup {
  const taps = d.N * d.K * d.P * d.Q * d.R * d.S;
  const work = phase === 'bwd_data' ? d.N * d.C * d.H * d.W : taps;
  const finish = phase === 'bwd_weight' ? d.K * d.R * d.S * g.eff.depthwiseReduceS : 0;
  const computeS = Math.max(flops / (g.peak.fp32 * g.eff.gemm), work / g.eff.depthwiseRate[phase] + finish);
  const memoryS = minBytes / (g.hbmBw * g.eff.depthwise);
  const gpuS = Math.max(computeS, memoryS) + g.eff.overlapLoss * Math.min(computeS, memoryS);
  return { label: `depthwise ${phase}`, kernels: 1, flops, computeS, memoryS, gpuS, hbm: minBytes, l2: minBytes };
}

/** An element-wise (or pooling, cast, copy) kernel group over `bytes` of compulsory traffic. */
export function eltwise(g: GpuParams, label: string, bytes: number, flops: number, kernels = 1): KernelGroup {
  if (bytes <= 0 && flops <= 0) return zero(label);
  const computeS = flops / g.peak.fp32;
  const memoryS = bytes / (g.hbmBw * g.eff.eltwise);
  return { label, kernels, flops, computeS, memoryS, gpuS: Math.max(computeS, memoryS), hbm: bytes, l2: bytes };
}

/** A pooling forward kernel: max(bytes / BW, window elements read / pool_window_rate). */
export function poolForward(
  g: GpuParams,
  label: string,
  bytes: number,
  flops: number,
  windowReads: number,
): KernelGroup {
  const k = eltwise(g, label, bytes, flops);
  const rateS = windowReads / g.eff.poolWindowRate;
  if (rateS > k.gpuS) {
    k.computeS = Math.max(k.computeS, rateS);
    k.gpuS = rateS;
  }
  return k;
}

/** A scatter kernel (zero fill + indexed accumulate) writing `elements` outputs: max(bytes / BW, elements / rate). */
export function scatter(g: GpuParams, label: string, bytes: number, flops: number, elements: number): KernelGroup {
  const k = eltwise(g, label, bytes, flops);
  const rateS = elements / g.eff.scatterRate;
  if (rateS > k.gpuS) {
    k.computeS = Math.max(k.computeS, rateS);
    k.gpuS = rateS;
  }
  return k;
}

/**
 * Batch norm, one phase: two kernels (statistics, then normalise; backward: reduce dgamma/dbeta, then dx), a
 * per-channel reduction whose time grows with N*H*W (see header). `nativeLowPrecision`: the framework's own kernel
 * for 16-bit tensors with 16-bit scale/shift (no fp32 master), which streams at norm_low_precision x the rate (ASM:
 * eltwise.json's bf16 batch norm with bf16 parameters takes ~1.3-2x the fp32 time); autocast keeps the parameters
 * in fp32, which cuDNN's batch norm takes at the fp32 rate.
 */
export function batchNorm(
  g: GpuParams,
  phase: 'fwd' | 'bwd',
  elements: number,
  channels: number,
  bytes: number,
  flops: number,
  nativeLowPrecision: boolean,
): KernelGroup {
  const perChannel = elements / Math.max(1, channels);
  const rate =
    (phase === 'fwd' ? g.eff.normRate : g.eff.normRate / 2.5) * (nativeLowPrecision ? g.eff.normLowPrecision : 1);
  const k = eltwise(g, `batchnorm ${phase}`, bytes, flops, 2);
  const reduceS = perChannel / rate;
  if (reduceS > k.gpuS) {
    k.memoryS = Math.max(k.memoryS, reduceS);
    k.gpuS = reduceS;
  }
  return k;
}

/** LSTM/GRU dims as lowered: batch N, steps T, input X, hidden H, gates G (4 or 3), layers L, directions D. */
export interface RnnDims {
  N: number;
  T: number;
  X: number;
  H: number;
  G: number;
  L: number;
  D: number;
}

/**
 * cuDNN-style recurrent layer, one phase. Per layer and direction:
 *   fwd        one input GEMM over all steps (M = N*T, N = G*H, K = X_l) + per step a recurrent GEMM (N, G*H, H) and
 *              a pointwise gate kernel;
 *   bwd_data   per step a pointwise kernel and a GEMM (N, H, G*H), then one input-gradient GEMM (N*T, X_l, G*H);
 *   bwd_weight two GEMMs over all steps (G*H x X_l and G*H x H, reduction N*T, split-K).
 * Per-step kernels are tiny: at small batch the step rate is set by the launch overhead (the scheduler overlaps
 * host issue and device work, so each step costs about max(launch, device time) per kernel).
 */
export function rnnPhase(g: GpuParams, d: RnnDims, phase: GemmPhase, prec: Precision): KernelGroup[] {
  const b = bytesOf(prec);
  const out: KernelGroup[] = [];
  const GH = d.G * d.H;
  for (let l = 0; l < d.L; l++) {
    const Xl = l === 0 ? d.X : d.H * d.D;
    for (let dir = 0; dir < d.D; dir++) {
      if (phase === 'fwd') {
        out.push(gemm(g, { M: d.N * d.T, N: GH, K: Xl }, prec, { splitK: false, label: 'rnn input gemm' }));
        out.push(times(gemm(g, { M: d.N, N: GH, K: d.H }, prec, { splitK: true, label: 'rnn step gemm' }), d.T));
        out.push(eltwise(g, 'rnn gates', d.T * d.N * (GH * 2 + d.H * 3) * b, d.T * d.N * d.H * 10, d.T));
      } else if (phase === 'bwd_data') {
        out.push(eltwise(g, 'rnn gate grads', d.T * d.N * (GH * 2 + d.H * 4) * b, d.T * d.N * d.H * 10, d.T));
        out.push(times(gemm(g, { M: d.N, N: d.H, K: GH }, prec, { splitK: true, label: 'rnn step dgrad' }), d.T));
        out.push(gemm(g, { M: d.N * d.T, N: Xl, K: GH }, prec, { splitK: false, label: 'rnn input dgrad' }));
      } else {
        out.push(gemm(g, { M: GH, N: Xl, K: d.N * d.T }, prec, { splitK: true, label: 'rnn wgrad input' }));
        out.push(gemm(g, { M: GH, N: d.H, K: d.N * d.T }, prec, { splitK: true, label: 'rnn wgrad recurrent' }));
      }
    }
  }
  return out;
}

/** n back-to-back copies of a kernel. */
export function times(k: KernelGroup, n: number): KernelGroup {
  return {
    ...k,
    kernels: k.kernels * n,
    flops: k.flops * n,
    execFlops: (k.execFlops ?? k.flops) * n,
    computeS: k.computeS * n,
    memoryS: k.memoryS * n,
    gpuS: k.gpuS * n,
    hbm: k.hbm * n,
    l2: k.l2 * n,
  };
}

/**
 * Multi-tensor (foreach) optimizer step over one layer's parameters, as PyTorch runs it by default. Bytes per fp32
 * parameter, counted from the foreach ops of torch.optim (ASM, checked against eltwise.json's optimizer rows):
 *   sgd 12 (p += -lr g) [+12 weight decay]; momentum 32 (buf *= m; buf += g; p += -lr buf) [+12 wd];
 *   adam 72 (lerp, mul, addcmul, sqrt, div, add eps, addcdiv); adamw 80 (+ decoupled p *= 1 - lr wd).
 * Host time: per_tensor_overhead x tensors x foreach ops.
 */
export const OPTIMIZER_FOREACH: Record<string, { bytes: number; ops: number }> = {
  sgd: { bytes: 12, ops: 1 },
  momentum: { bytes: 32, ops: 3 },
  adam: { bytes: 72, ops: 7 },
  adamw: { bytes: 80, ops: 8 },
};

export function optimizerStep(
  g: GpuParams,
  type: string,
  params: number,
  tensors: number,
  weightDecay: boolean,
  paramBytes: number,
  flops: number,
): KernelGroup {
  const f = OPTIMIZER_FOREACH[type] ?? OPTIMIZER_FOREACH.sgd;
  const wd = weightDecay && (type === 'sgd' || type === 'momentum' || type === 'adam') ? 1 : 0;
  const bytes = params * (f.bytes + 12 * wd) * (paramBytes / 4);
  const k = eltwise(g, `${type} step`, bytes, flops, 0);
  k.hostExtraS = g.perTensor * tensors * (f.ops + wd);
  return k;
}
