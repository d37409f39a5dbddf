import { gpt } from './test/unit/system/gpt';
import { resolveTargets } from './server/src/spec/index';
import { readSystem, stepSentence } from './server/src/sim/targets/system';
import { simulateStep } from './server/src/sim/system/parallel';
const [t] = resolveTargets(['a100-cluster'], []).targets;
const rows = [
  [1.7, 24, 2304, 24, 1, 1, 32, 512, 137], [3.6, 32, 3072, 30, 2, 1, 64, 512, 138], [7.5, 32, 4096, 36, 4, 1, 128, 512, 142],
  [18.4, 48, 6144, 40, 8, 1, 256, 1024, 135], [39.1, 64, 8192, 48, 8, 2, 512, 1536, 138], [76.1, 80, 10240, 60, 8, 4, 1024, 1792, 140],
  [145.6, 96, 12288, 80, 8, 8, 1536, 2304, 148], [310.1, 128, 16384, 96, 8, 16, 1920, 2160, 155], [529.6, 128, 20480, 105, 8, 35, 2520, 2520, 163], [1008, 160, 25600, 128, 8, 64, 3072, 3072, 163],
];
for (const [P, a, h, l, tp, pp, n, B, ref] of rows) {
  const t0 = performance.now();
  const net = gpt({ layers: l, hidden: h, heads: a, seq: 2048, vocab: 51200, batch: B });
  const { sys } = readSystem({ ...t, params: { ...t.params, devices: n } });
  const dp = n / (tp * pp);
  const m = B / dp; // micro-batch 1
  const r = simulateStep(net, sys!, { dp, tp, pp, microBatches: m, schedule: '1f1b', zero: 0, recompute: true, overlap: true, bucketB: 25e6 });
  if (!r.ok) { console.log(P, r.error); continue; }
  const s = 2048, V = 51200;
  const F = 96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h));
  const perGpu = F / (r.timeS * n) / 1e12;
  console.log(`${P}B: ${perGpu.toFixed(0)} TF/s vs ${ref} (${((perGpu / ref - 1) * 100).toFixed(0)}%) mem ${(r.memory.totalB/1e9).toFixed(0)} GB fits ${r.fits} ${(performance.now()-t0).toFixed(0)} ms`);
  console.log('   ', stepSentence(r));
}
