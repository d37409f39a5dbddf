// Megatron-LM's published per-GPU throughputs and the model's figure for each row (shared by the unit test and the
// bench).
import { resolveTargets } from '../../../server/src/spec/index';
import { simulateStep, type Strategy } from '../../../server/src/kinds/system/parallel';
import { readSystem } from '../../../server/src/kinds/system/model';
import { gpt } from './gpt';

const S = (o: Partial<Strategy>): Strategy => ({
  dp: 0,
  tp: 1,
  pp: 1,
  microBatches: 1,
  schedule: '1f1b',
  zero: 0,
  recompute: false,
  overlap: true,
  bucketB: 25e6,
  ...o,
});
const system = (name: string) => readSystem(resolveTargets([name], []).targets[0]);

// Narayanan et al., SC 2021, Table 1 (REC, recalled, not re-verified): GPT models on A100 80GB (Selene), sequence 2048,
// vocabulary 51,200, micro-batch 1, full recomputation; achieved TFLOP/s per GPU counted as 96 B s l h^2 (1 + s/6h +
// V/16lh) per step. The a100-cluster preset runs its devices with framework.autocast=false (Megatron's own fp16
// kernels, not torch.autocast: no fp32 softmax / layer norm, no per-iteration weight casts).
export const MEGATRON = [
  { P: 1.7, a: 24, h: 2304, l: 24, tp: 1, pp: 1, n: 32, B: 512, tflops: 137 },
  { P: 3.6, a: 32, h: 3072, l: 30, tp: 2, pp: 1, n: 64, B: 512, tflops: 138 },
  { P: 7.5, a: 32, h: 4096, l: 36, tp: 4, pp: 1, n: 128, B: 512, tflops: 142 },
  { P: 18.4, a: 48, h: 6144, l: 40, tp: 8, pp: 1, n: 256, B: 1024, tflops: 135 },
  { P: 39.1, a: 64, h: 8192, l: 48, tp: 8, pp: 2, n: 512, B: 1536, tflops: 138 },
  { P: 76.1, a: 80, h: 10240, l: 60, tp: 8, pp: 4, n: 1024, B: 1792, tflops: 140 },
  { P: 145.6, a: 96, h: 12288, l: 80, tp: 8, pp: 8, n: 1536, B: 2304, tflops: 148 },
  { P: 310.1, a: 128, h: 16384, l: 96, tp: 8, pp: 16, n: 1920, B: 2160, tflops: 155 },
  { P: 529.6, a: 128, h: 20480, l: 105, tp: 8, pp: 35, n: 2520, B: 2520, tflops: 163 },
  { P: 1008, a: 160, h: 25600, l: 128, tp: 8, pp: 64, n: 3072, B: 3072, tflops: 163 },
];
export function megatronRow(row: (typeof MEGATRON)[number]): { tflops: number; fits: boolean; timeS: number } {
  const { sys } = system('a100-cluster');
  const net = gpt({ layers: row.l, hidden: row.h, heads: row.a, seq: 2048, vocab: 51200, batch: row.B });
  const dp = row.n / (row.tp * row.pp);
  const r = simulateStep(
    net,
    { ...sys!, devices: row.n },
    S({ dp, tp: row.tp, pp: row.pp, microBatches: row.B / dp, recompute: true }),
  );
  if (!r.ok) throw new Error(r.error);
  const s = 2048,
    V = 51200;
  const F = 96 * row.B * s * row.l * row.h * row.h * (1 + s / (6 * row.h) + V / (16 * row.l * row.h));
  return { tflops: F / (r.timeS * row.n) / 1e12, fits: r.fits, timeS: r.timeS };
}
