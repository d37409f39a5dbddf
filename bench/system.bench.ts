// Scale-out (issue 12's goals): a 175B-parameter GPT on 1,024 A100s with tp 8, pp 8, dp 16 and 64 micro-batches
// simulated (< 1 s), the strategy search for one device count (< 10 s), Megatron-LM's published per-GPU throughputs
// against the model (goal 15% for most rows), and the ring all-reduce bus bandwidth of an 8-GPU node.
import type { BenchRow } from './run';
import { resolveTargets } from '../server/src/spec/index';
import { readSystem } from '../server/src/kinds/system/model';
import { simulateStep, type Strategy } from '../server/src/kinds/system/parallel';
import { searchStrategy } from '../server/src/kinds/system/search';
import { busBandwidth, collective } from '../server/src/kinds/system/collectives';
import { gpt } from '../test/unit/system/gpt';
import { MEGATRON, megatronRow } from '../test/unit/system/megatron';

export const name = 'scale-out';

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { sys } = readSystem(resolveTargets(['a100-cluster'], []).targets[0]);
  const s: Strategy = {
    dp: 16,
    tp: 8,
    pp: 8,
    microBatches: 64,
    schedule: '1f1b',
    zero: 1,
    recompute: true,
    overlap: true,
    bucketB: 25e6,
  };
  const t0 = performance.now();
  const net = gpt({ layers: 96, hidden: 12288, heads: 96, seq: 2048, vocab: 51200, batch: 1024 });
  const tBuild = performance.now() - t0;
  const t1 = performance.now();
  const r = simulateStep(net, { ...sys!, devices: 1024 }, s);
  const tSim = (performance.now() - t1) / 1000;
  rows.push({
    metric: 'GPT-3 175B on 1,024 A100s (tp 8, pp 8, dp 16, 64 micro-batches): simulate one step',
    value: tSim,
    unit: 's',
    goal: '< 1 s',
    ok: tSim < 1,
    note: `network spec built and checked in ${(tBuild / 1000).toFixed(2)} s; ${r.ok ? `step ${r.timeS.toFixed(2)} s, ${(r.flopsPerDevice / 1e12).toFixed(0)} TFLOP/s per GPU, ${(r.memory.totalB / 1e9).toFixed(0)} GB per GPU` : r.error}`,
  });
  const small = gpt({ layers: 24, hidden: 2304, heads: 24, seq: 2048, vocab: 51200, batch: 512 });
  const t2 = performance.now();
  const o = searchStrategy(small, sys!, 64);
  const tSearch = (performance.now() - t2) / 1000;
  rows.push({
    metric: 'strategy search, GPT 1.7B on 64 A100s',
    value: tSearch,
    unit: 's',
    goal: '< 10 s',
    ok: tSearch < 10,
    note: `${o.evaluated} strategies, ${o.fitting} fit; best ${o.best ? `dp ${o.best.strategy.dp} x tp ${o.best.strategy.tp} x pp ${o.best.strategy.pp}, ${o.best.strategy.microBatches} micro-batches${o.best.strategy.zero ? `, ZeRO-${o.best.strategy.zero}` : ''}${o.best.strategy.recompute ? ', recompute' : ''}: ${(o.best.timeS * 1e3).toFixed(0)} ms` : 'none'}`,
  });
  let within = 0;
  for (const row of MEGATRON) {
    const g = megatronRow(row);
    const err = g.tflops / row.tflops - 1;
    if (Math.abs(err) <= 0.15) within++;
    rows.push({
      metric: `Megatron-LM ${row.P}B on ${row.n} A100s (tp ${row.tp}, pp ${row.pp}): TFLOP/s per GPU error (model ${g.tflops.toFixed(0)}, paper ${row.tflops})`,
      value: err * 100,
      unit: '%',
    });
  }
  rows.push({
    metric: 'Megatron-LM rows within 15%',
    value: within,
    unit: `of ${MEGATRON.length}`,
    goal: 'most rows',
    ok: within > MEGATRON.length / 2,
  });
  for (const p of ['a100-cluster', 'dgx-h100']) {
    const f = readSystem(resolveTargets([p], []).targets[0]).sys!.fabric;
    const S = 4 * 1024 ** 3;
    rows.push({
      metric: `${p}: 8-GPU all-reduce bus bandwidth, 4 GiB`,
      value: busBandwidth(S, 8, collective('all_reduce', S, 8, 1, f).timeS) / 1e9,
      unit: 'GB/s',
      note: p === 'dgx-h100' ? 'NCCL ~365 GB/s without NVLS (REC)' : 'NCCL ~235 GB/s (REC)',
    });
  }
  return rows;
}
