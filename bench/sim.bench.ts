// Simulator speed: ResNet-50 on one preset of every kind, a generated 10,000-layer network on all of them, and a
// 100,000-point NTX design-space sweep (clusters x vault bandwidth x TCDM size) spread over all cores with
// worker_threads. This file is also the sweep worker (when loaded off the main thread).
import { isMainThread, parentPort, workerData, Worker } from 'node:worker_threads';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import os from 'node:os';
import type { BenchRow } from './run';
import type { NetworkModel, TargetModel } from '../server/src/spec/types';
import { simulateTarget } from '../server/src/sim/index';
import { lower } from '../server/src/sim/lower';
import { KINDS } from '../server/src/kinds/params';
import { resnet50 } from '../test/unit/sim/nets';
import { target, net as mkNet } from '../test/unit/sim/fixtures';

export const name = 'simulator';

/** ResNet-50 from examples/ through the spec core when it loads, else built directly. */
async function loadResnet(): Promise<{ net: NetworkModel; from: string }> {
  const file = join(__dirname, '..', 'examples', 'resnet50.net.yaml');
  try {
    if (existsSync(file)) {
      const spec = await import('../server/src/spec/index');
      const doc = spec.analyze('file://' + file, readFileSync(file, 'utf8'));
      if (doc.network && !doc.diagnostics.some((d) => d.severity === 'error'))
        return { net: doc.network, from: 'examples/resnet50.net.yaml' };
    }
  } catch {
    /* spec core not ready: fall through */
  }
  return { net: resnet50(), from: 'built in test/unit/sim/nets.ts' };
}

/** One preset of every kind, resolved by the spec core when it loads, else by the test fixture. */
async function presetTargets(): Promise<TargetModel[]> {
  const names = KINDS.map((k) => k.presets[0]?.name).filter((n): n is string => !!n);
  try {
    const spec = await import('../server/src/spec/index');
    const r = spec.resolveTargets(names, []);
    if (r.targets.length === names.length) return r.targets;
  } catch {
    /* fall through */
  }
  return KINDS.map((k) => target(k.kind, k.presets[0]?.name));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall-clock ms per call after `warm` calls. */
function timeIt(fn: () => void, reps: number, warm = 5): number {
  for (let i = 0; i < warm; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}
const load = () => `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;

// ------------------------------------------------------------------------------------------- sweep

const CLUSTERS = [8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 512];
const BW_GBS = Array.from({ length: 50 }, (_, i) => 40 * (i + 1)); // 40 .. 2000 GB/s
const TCDM_KIB = Array.from({ length: 100 }, (_, i) => 8 * (i + 1)); // 8 .. 800 KiB
const POINTS = CLUSTERS.length * BW_GBS.length * TCDM_KIB.length; // 100,000

interface SweepOut {
  best: { timeS: number; point: number };
  done: number;
  sumTime: number;
}

/** Evaluate design points [from, to) of the grid on `net`; totals only. */
function sweepRange(net: NetworkModel, from: number, to: number): SweepOut {
  const w = lower(net, { precision: 'fp32' });
  const base = target('ntx', 'ntx');
  const params = { ...base.params };
  const t: TargetModel = { ...base, params };
  const ctx = { timeline: false, layers: false };
  let best = { timeS: Infinity, point: -1 },
    sumTime = 0;
  for (let i = from; i < to; i++) {
    const c = CLUSTERS[Math.floor(i / (BW_GBS.length * TCDM_KIB.length))];
    const b = BW_GBS[Math.floor(i / TCDM_KIB.length) % BW_GBS.length];
    const m = TCDM_KIB[i % TCDM_KIB.length];
    params['compute.clusters'] = c;
    params['memory.dram_bandwidth'] = b * 1e9;
    params['memory.tcdm_size'] = m * 1024;
    const r = simulateTarget(w, t, ctx);
    sumTime += r.totals.timeS;
    if (r.totals.timeS < best.timeS) best = { timeS: r.totals.timeS, point: i };
  }
  return { best, done: to - from, sumTime };
}

/** The sweep network: AlexNet-sized CNN (5 conv + 3 FC, ReLU, max-pool, dropout), batch 32, built directly. */
function sweepNet(): NetworkModel {
  return mkNet(
    [3, 224, 224],
    [
      {
        type: 'conv2d',
        name: 'c1',
        attrs: { outChannels: 64, kernel: [11, 11], stride: [4, 4], padding: [2, 2], bias: true },
      },
      { type: 'relu' },
      { type: 'maxpool', attrs: { kernel: [3, 3], stride: [2, 2] } },
      { type: 'conv2d', name: 'c2', attrs: { outChannels: 192, kernel: [5, 5], padding: [2, 2], bias: true } },
      { type: 'relu' },
      { type: 'maxpool', attrs: { kernel: [3, 3], stride: [2, 2] } },
      { type: 'conv2d', name: 'c3', attrs: { outChannels: 384, kernel: [3, 3], padding: [1, 1], bias: true } },
      { type: 'relu' },
      { type: 'conv2d', name: 'c4', attrs: { outChannels: 256, kernel: [3, 3], padding: [1, 1], bias: true } },
      { type: 'relu' },
      { type: 'conv2d', name: 'c5', attrs: { outChannels: 256, kernel: [3, 3], padding: [1, 1], bias: true } },
      { type: 'relu' },
      { type: 'maxpool', attrs: { kernel: [3, 3], stride: [2, 2] } },
      { type: 'flatten' },
      { type: 'linear', attrs: { outFeatures: 4096 } },
      { type: 'relu' },
      { type: 'dropout', attrs: { p: 0.5 } },
      { type: 'linear', attrs: { outFeatures: 4096 } },
      { type: 'relu' },
      { type: 'dropout', attrs: { p: 0.5 } },
      { type: 'linear', attrs: { outFeatures: 1000 } },
    ],
    { name: 'alexnet-like', batch: 32, optimizer: 'momentum' },
  );
}

async function parallelSweep(): Promise<{ ms: number; workers: number; out: SweepOut }> {
  const workers = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const per = Math.ceil(POINTS / workers);
  const t0 = performance.now();
  const outs = await Promise.all(
    Array.from(
      { length: workers },
      (_, k) =>
        new Promise<SweepOut>((resolve, reject) => {
          // A JavaScript bootstrap registers tsx in the worker (a .ts entry is not routed through loader hooks in Node
          // 20).
          const boot = `require('tsx/cjs'); require(${JSON.stringify(__filename)});`;
          const wk = new Worker(boot, {
            eval: true,
            workerData: { from: k * per, to: Math.min(POINTS, (k + 1) * per) },
          });
          wk.once('message', (m: SweepOut) => {
            resolve(m);
            void wk.terminate();
          });
          wk.once('error', reject);
        }),
    ),
  );
  const ms = performance.now() - t0;
  const out = outs.reduce((a, b) => ({
    best: a.best.timeS <= b.best.timeS ? a.best : b.best,
    done: a.done + b.done,
    sumTime: a.sumTime + b.sumTime,
  }));
  return { ms, workers, out };
}

interface Timing {
  targets: string[];
  r50Layers: number;
  r50Cold: number;
  r50: Stat;
  r50Totals: Stat;
  r50All: Stat;
  deepCold: number;
  deepFull: Stat;
  deepTotals: Stat;
  deepAll: Stat;
  seedTargets: string[];
  r50Seed: Stat;
  deepSeed: Stat;
  perTarget: { name: string; kind: string; r50: number; deep: number }[];
  retainedPerLayerTarget: number;
  materialisedPerLayerTarget: number;
  phases: number;
  maxRssMiB: number;
}
interface Stat {
  median: number;
  p90: number;
  min: number;
  cpu: number;
}

/** bench/sim-timing.ts bundled like dist/ and run in a fresh `node --expose-gc` process (see that file). */
function timedInChild(): Timing | null {
  const file = join(os.tmpdir(), `accelmap-sim-timing-${process.pid}.cjs`);
  try {
    buildSync({
      entryPoints: [join(__dirname, 'sim-timing.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      mainFields: ['module', 'main'],
      outfile: file,
      logLevel: 'silent',
    });
    const r = spawnSync(process.execPath, ['--expose-gc', file, join(__dirname, '..')], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    return JSON.parse(line) as Timing;
  } catch {
    return null;
  } finally {
    rmSync(file, { force: true });
  }
}

if (!isMainThread && parentPort && workerData) {
  const wd = workerData as { from: number; to: number };
  parentPort.postMessage(sweepRange(sweepNet(), wd.from, wd.to));
}

// ------------------------------------------------------------------------------------------- run

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { net, from } = await loadResnet();
  const targets = await presetTargets();

  const tm = timedInChild();
  if (tm) {
    const note = (x: Stat, n: string) =>
      `${n}; p90 ${x.p90.toFixed(x.p90 < 10 ? 2 : 0)}, fastest ${x.min.toFixed(x.min < 10 ? 2 : 0)} ms; ${load()}`;
    rows.push({
      metric: `ResNet-50 (${tm.r50Layers} layers) on the ${tm.seedTargets.length} seed and GPU presets, full result`,
      value: tm.r50Seed.median,
      unit: 'ms',
      goal: '< 5 ms',
      ok: tm.r50Seed.median < 5,
      note: note(tm.r50Seed, `median of 200 after 100 warm-up calls; bundled; ${tm.seedTargets.join(', ')}`),
    });
    rows.push({
      metric: `ResNet-50 on all ${tm.targets.length} presets, full result`,
      value: tm.r50.median,
      unit: 'ms',
      note: note(
        tm.r50,
        `median of 200 after 100 warm-up calls (a long-running server); bundled; ${from}; ${tm.targets.join(', ')}`,
      ),
    });
    rows.push({
      metric: '  same, process CPU time',
      value: tm.r50.cpu,
      unit: 'ms',
      note: 'median; includes GC helper threads',
    });
    rows.push({
      metric: '  same, first call in a fresh process',
      value: tm.r50Cold,
      unit: 'ms',
      note: "cold JIT (the CLI's case)",
    });
    rows.push({
      metric: '  same, and every per-layer result and timeline event read',
      value: tm.r50All.median,
      unit: 'ms',
      note: 'layers and timeline are built on first read (what --format json and the dashboard do)',
    });
    rows.push({
      metric: 'ResNet-50 on all presets, totals only',
      value: tm.r50Totals.median,
      unit: 'ms',
      note: 'no timeline, no per-layer results',
    });
    rows.push({
      metric: `10,000-layer generated network on the ${tm.seedTargets.length} seed and GPU presets`,
      value: tm.deepSeed.median,
      unit: 'ms',
      goal: '< 200 ms',
      ok: tm.deepSeed.median < 200,
      note: note(
        tm.deepSeed,
        'conv/bn/relu chain (test/unit/sim/nets.ts deepChain); median of 25 after 3 warm-up calls',
      ),
    });
    rows.push({
      metric: `10,000-layer generated network on all ${tm.targets.length} presets`,
      value: tm.deepFull.median,
      unit: 'ms',
      note: note(tm.deepFull, 'median of 25 after 3 warm-up calls; bundled'),
    });
    rows.push({
      metric: '  same, process CPU time',
      value: tm.deepFull.cpu,
      unit: 'ms',
      note: 'median; includes GC helper threads',
    });
    rows.push({
      metric: '  same, first call in a fresh process',
      value: tm.deepCold,
      unit: 'ms',
      note: 'cold JIT, heap still growing',
    });
    rows.push({
      metric: '  same, and every per-layer result and timeline event read',
      value: tm.deepAll.median,
      unit: 'ms',
      note: `${tm.phases.toLocaleString('en')} phase results and timeline events as objects`,
    });
    rows.push({
      metric: '10,000-layer network on all presets, totals only',
      value: tm.deepTotals.median,
      unit: 'ms',
      note: `fastest ${tm.deepTotals.min.toFixed(0)} ms`,
    });
    rows.push({
      metric: 'memory a full result holds, per layer and target',
      value: tm.retainedPerLayerTarget,
      unit: 'B',
      note: `heap + typed arrays after GC, 10,000 layers x ${tm.targets.length} targets (phase rows, timeline, lowered workload)`,
    });
    rows.push({
      metric: '  same after every per-layer result was read',
      value: tm.materialisedPerLayerTarget,
      unit: 'B',
      note: 'the objects are then kept on the result',
    });
    for (const p of tm.perTarget)
      rows.push({
        metric: `  ${p.name} (${p.kind}) alone: ResNet-50 / 10,000 layers`,
        value: p.r50,
        unit: 'ms',
        note: `10,000 layers: ${p.deep.toFixed(0)} ms (medians)`,
      });
    rows.push({ metric: 'peak RSS of the timing process', value: tm.maxRssMiB, unit: 'MiB' });
  } else {
    rows.push({
      metric: 'simulator timing child',
      value: NaN,
      unit: '',
      note: 'the child process failed (bench/sim-timing.ts)',
    });
  }

  const w0 = lower(net);
  for (const t of targets)
    rows.push({
      metric: `  ResNet-50 on ${t.name} (${t.kind}), lowered once`,
      value: timeIt(() => simulateTarget(w0, t), 100, 50),
      unit: 'ms',
      note: 'through tsx, in the bench process',
    });

  const sw = await parallelSweep();
  rows.push({
    metric: `NTX sweep, ${POINTS.toLocaleString('en')} design points (AlexNet-like)`,
    value: sw.ms / 1000,
    unit: 's',
    goal: '< 10 s',
    ok: sw.ms < 10_000,
    note: `${sw.workers} worker threads; ${load()}; ${sw.out.done} points; best ${(sw.out.best.timeS * 1e3).toFixed(2)} ms/iteration at point ${sw.out.best.point}`,
  });
  rows.push({ metric: 'NTX sweep throughput', value: POINTS / (sw.ms / 1000), unit: 'points/s' });

  const mem = process.memoryUsage();
  rows.push({
    metric: 'peak RSS (resourceUsage maxRSS, main thread process)',
    value: process.resourceUsage().maxRSS / 1024,
    unit: 'MiB',
  });
  rows.push({ metric: 'heap used at end', value: mem.heapUsed / 2 ** 20, unit: 'MiB' });
  return rows;
}
