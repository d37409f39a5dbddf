// Helpers shared by the GPU tests, bench/gpu.bench.ts and scripts/fit-gpu.ts: the measured H100 rows of
// data/gpu-h100/measured.json (a copy of the shared reference data) turned into the GPU model's kernel groups, and the
// figures reported on them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkModel, Precision, TargetModel } from '../../../server/src/spec/types';
import { simulate } from '../../../server/src/sim/index';
import { networkOf } from '../examples/load';
import { resolveTargets } from '../../../server/src/spec/index';
import { convPhase, gemm, rnnPhase, type KernelGroup } from '../../../server/src/kinds/gpu/kernels';
import type { GemmPhase, GpuParams } from '../../../server/src/kinds/gpu/read';
import { isolatedTime } from '../../../server/src/kinds/gpu/schedule';
import { SHARED_MEASURED } from '../../shared-data';

export const MEASURED_PATH = SHARED_MEASURED;

/**
 * Overhead of the single-op benchmark harness itself (CUDA event records and the Python call around one op), on
 * top of the kernel launch the model already counts. ASM, fitted with the model knobs by scripts/fit-gpu.ts; it
 * applies only when the model is compared with one-op-at-a-time measurements, never inside an iteration.
 */
export const HARNESS_S = 12.4e-6;

export interface ConvRow {
  kind: 'conv';
  N: number;
  C: number;
  H: number;
  W: number;
  K: number;
  R: number;
  S: number;
  stride: [number, number];
  pad: [number, number];
  groups: number;
  out: [number, number, number, number];
  precision: 'fp32' | 'bf16';
  nets: string[];
  macs: number;
  fwd_ms: number;
  bwd_data_ms: number;
  bwd_weight_ms: number;
}
export interface FcRow {
  kind: 'fc';
  M: number;
  IN: number;
  OUT: number;
  precision: 'fp32' | 'bf16';
  nets: string[];
  macs: number;
  fwd_ms: number;
  bwd_data_ms: number;
  bwd_weight_ms: number;
}
export interface LstmRow {
  kind: 'lstm';
  B: number;
  T: number;
  I: number;
  H: number;
  L: number;
  precision: 'fp32' | 'bf16';
  macs: number;
  fwd_ms: number;
  fwd_bwd_ms: number;
}
export type Row = ConvRow | FcRow | LstmRow;
export interface NetRow {
  net: string;
  batch: number;
  input: number;
  precision: 'fp32' | 'bf16';
  iter_ms: number;
  images_per_s: number;
  params: number;
}
export interface Measured {
  device: string;
  sm_count: number;
  peaks: Record<string, number>;
  layers: Row[];
  networks: NetRow[];
}

let cache: Measured | undefined;
export function measured(): Measured {
  cache ??= JSON.parse(readFileSync(MEASURED_PATH, 'utf8')) as Measured;
  return cache;
}

/** The h100-sxm preset resolved through the spec core (units parsed as a user's spec would be). */
export function h100(): TargetModel {
  const r = resolveTargets(['h100-sxm'], []);
  if (!r.targets.length)
    throw new Error(`h100-sxm preset did not resolve: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.targets[0];
}

/** Kernel groups of one measured conv/fc row and phase (fc rows are cuBLAS matmuls: split-K allowed). */
export function rowGroups(g: GpuParams, r: ConvRow | FcRow, phase: GemmPhase): KernelGroup[] {
  const p: Precision = r.precision;
  if (r.kind === 'fc') {
    if (phase === 'fwd') return [gemm(g, { M: r.M, N: r.OUT, K: r.IN }, p, { splitK: true })];
    if (phase === 'bwd_data') return [gemm(g, { M: r.M, N: r.IN, K: r.OUT }, p, { splitK: true })];
    return [gemm(g, { M: r.OUT, N: r.IN, K: r.M }, p, { splitK: true })];
  }
  const d = {
    N: r.N,
    C: r.C,
    K: r.K,
    H: r.H,
    W: r.W,
    P: r.out[2],
    Q: r.out[3],
    R: r.R,
    S: r.S,
    Hstride: r.stride[0],
    Wstride: r.stride[1],
    G: r.groups,
  };
  return convPhase(g, d, phase, p);
}

/** Modelled time of a measured row as the benchmark saw it (harness + launch + kernels), seconds. */
export function rowTimeS(g: GpuParams, r: ConvRow | FcRow, phase: GemmPhase, harness = HARNESS_S): number {
  return harness + isolatedTime(rowGroups(g, r, phase), g.launch, g.kernelGap);
}

/** LSTM rows: [fwd, fwd+bwd] modelled times (the fwd+bwd run launches the forward and both backward phases). */
export function lstmTimesS(g: GpuParams, r: LstmRow, harness = HARNESS_S): [number, number] {
  const d = { N: r.B, T: r.T, X: r.I, H: r.H, G: 4, L: r.L, D: 1 };
  const f = rnnPhase(g, d, 'fwd', r.precision);
  const b = [...rnnPhase(g, d, 'bwd_data', r.precision), ...rnnPhase(g, d, 'bwd_weight', r.precision)];
  return [
    harness + isolatedTime(f, g.launch, g.kernelGap),
    harness + isolatedTime([...f, ...b], g.launch, g.kernelGap),
  ];
}

export interface RatioRow {
  precision: string;
  phase: string;
  ratio: number;
  label: string;
}

/** model / measured for every conv/fc row and phase, and the LSTM rows (phases 'fwd' and 'fwd_bwd'). */
export function ratios(g: GpuParams, harness = HARNESS_S): RatioRow[] {
  const out: RatioRow[] = [];
  for (const r of measured().layers) {
    if (r.kind === 'lstm') {
      const [f, fb] = lstmTimesS(g, r, harness);
      const label = `lstm B${r.B} T${r.T} I${r.I} H${r.H} L${r.L}`;
      out.push({ precision: r.precision, phase: 'fwd', ratio: f / (r.fwd_ms * 1e-3), label });
      out.push({ precision: r.precision, phase: 'fwd_bwd', ratio: fb / (r.fwd_bwd_ms * 1e-3), label });
      continue;
    }
    const label =
      r.kind === 'fc'
        ? `fc ${r.M}x${r.IN}->${r.OUT}`
        : `conv N${r.N} C${r.C} ${r.H}x${r.W} K${r.K} ${r.R}x${r.S}/${r.stride[0]} g${r.groups}`;
    for (const ph of ['fwd', 'bwd_data', 'bwd_weight'] as const) {
      out.push({
        precision: r.precision,
        phase: ph,
        ratio: rowTimeS(g, r, ph, harness) / (r[`${ph}_ms`] * 1e-3),
        label,
      });
    }
  }
  return out;
}

export interface Summary {
  precision: string;
  phase: string;
  rows: number;
  within15: number;
  medianRatio: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Share of rows within a factor 1.5 and median ratio, per precision and phase ('all' = every phase). */
export function summarize(rs: RatioRow[]): Summary[] {
  const out: Summary[] = [];
  for (const p of ['fp32', 'bf16']) {
    for (const ph of ['fwd', 'bwd_data', 'bwd_weight', 'all']) {
      const sel = rs.filter((r) => r.precision === p && (ph === 'all' || r.phase === ph));
      if (!sel.length) continue;
      const within = sel.filter((r) => r.ratio <= 1.5 && r.ratio >= 1 / 1.5).length / sel.length;
      out.push({
        precision: p,
        phase: ph,
        rows: sel.length,
        within15: within,
        medianRatio: median(sel.map((r) => r.ratio)),
      });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------ whole iterations

export interface NetRun {
  net: string;
  precision: string;
  modelMs: number;
  measuredMs: number;
  error: number;
  exposedHostMs: number;
}

/**
 * The three measured networks (AlexNet b128, VGG-16 b32, ResNet-50 b32; forward, loss, backward, SGD-momentum step)
 * built from examples/<net>.net.yaml through the spec core (their layers are checked against layer-tables.json by
 * test/unit/examples/), set to the measured precision — bf16 = autocast: bf16 compute, fp32 master weights — and
 * simulated on `t`. error = model / measured - 1.
 */
export function networkRuns(t: TargetModel): NetRun[] {
  return runMeasuredIterations(t, measured().networks);
}

/** Simulate measured whole iterations (examples/<net>.net.yaml at the measured batch and precision) on `t`. */
export function networkRunsOf(t: TargetModel, rows: NetRow[]): NetRun[] {
  return runMeasuredIterations(t, rows);
}
function runMeasuredIterations(
  t: TargetModel,
  rows: { net: string; batch: number; precision: 'fp32' | 'bf16'; iter_ms: number }[],
): NetRun[] {
  return rows.map((n) => {
    const base = networkOf(`${n.net}.net.yaml`);
    const net: NetworkModel = {
      ...base,
      batch: n.batch,
      precision: n.precision,
      gradientPrecision: n.precision,
      masterWeights: n.precision === 'fp32' ? null : 'fp32',
      optimizer: { ...base.optimizer, type: 'momentum', weightDecay: 0 },
    };
    const r = simulate(net, [t]).targets[0];
    const modelMs = r.totals.timeS * 1e3;
    return {
      net: n.net,
      precision: n.precision,
      modelMs,
      measuredMs: n.iter_ms,
      error: modelMs / n.iter_ms - 1,
      exposedHostMs: r.totals.offloadOverheadS * 1e3,
    };
  });
}

// ------------------------------------------------------------------------------------------ depthwise grid

/**
 * data/gpu-h100/depthwise.json: depthwise (groups = channels) and 1x1 pointwise conv phases, MobileNet-V2 iterations.
 */
export const DEPTHWISE_PATH = join(__dirname, '..', '..', '..', 'data', 'gpu-h100', 'depthwise.json');
export interface DepthwiseData {
  device: string;
  layers: Omit<ConvRow, 'nets'>[];
  networks: NetRow[];
}
let dwCache: DepthwiseData | undefined;
export function depthwiseData(): DepthwiseData {
  dwCache ??= JSON.parse(readFileSync(DEPTHWISE_PATH, 'utf8')) as DepthwiseData;
  return dwCache;
}

/** model / measured for every row and phase of depthwise.json; phase is prefixed by the family ('dw' or 'pw'). */
export function depthwiseRatios(g: GpuParams): RatioRow[] {
  const out: RatioRow[] = [];
  for (const r of depthwiseData().layers) {
    const fam = r.groups > 1 ? 'dw' : 'pw';
    const label = `${fam} N${r.N} C${r.C} ${r.H}x${r.W} ${r.R}x${r.S}/${r.stride[0]}`;
    for (const ph of ['fwd', 'bwd_data', 'bwd_weight'] as const) {
      out.push({
        precision: r.precision,
        phase: `${fam} ${ph}`,
        ratio: rowTimeS(g, { ...r, nets: [] }, ph) / (r[`${ph}_ms`] * 1e-3),
        label,
      });
    }
  }
  return out;
}

/** Share within 1.5x and median ratio per precision and (family, phase) of depthwiseRatios(). */
export function summarizeFamilies(rs: RatioRow[]): Summary[] {
  const out: Summary[] = [];
  for (const key of [...new Set(rs.map((r) => `${r.precision}|${r.phase}`))]) {
    const [precision, phase] = key.split('|');
    const sel = rs.filter((r) => r.precision === precision && r.phase === phase);
    out.push({
      precision,
      phase,
      rows: sel.length,
      within15: sel.filter((r) => r.ratio <= 1.5 && r.ratio >= 1 / 1.5).length / sel.length,
      medianRatio: median(sel.map((r) => r.ratio)),
    });
  }
  return out;
}

/**
 * MobileNet-V2 (examples/mobilenet_v2.net.yaml, batch 64) simulated like networkRuns() against depthwise.json's
 * iterations (a check, never fitted).
 */
export function mobilenetRuns(t: TargetModel): NetRun[] {
  return runMeasuredIterations(t, depthwiseData().networks);
}
