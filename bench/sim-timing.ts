// The simulator's timed figures, run in a fresh `node --expose-gc` process on an esbuild bundle of this file (as
// dist/server.js and dist/cli.js run the simulator), so other benches' heaps and tsx do not disturb them.
// Prints one JSON line. Used by sim.bench.ts; not a bench module itself (no `.bench.ts`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../server/src/sim/index';
import type { SimulationResult } from '../server/src/sim/types';
import { analyze, resolveTargets } from '../server/src/spec/index';
import { KINDS } from '../server/src/kinds/params';
import { deepChain } from '../test/unit/sim/nets';

interface Stat {
  median: number;
  p90: number;
  min: number;
  cpu: number;
}

function stat(fn: () => void, reps: number, warm: number): Stat {
  for (let i = 0; i < warm; i++) fn();
  const t: number[] = [],
    c: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage(),
      t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
    const u = process.cpuUsage(c0);
    c.push((u.user + u.system) / 1000);
  }
  t.sort((a, b) => a - b);
  c.sort((a, b) => a - b);
  return { median: t[t.length >> 1], p90: t[Math.floor(t.length * 0.9)], min: t[0], cpu: c[c.length >> 1] };
}

/** Read every lazily built part of a result (what `--format json` or the dashboard does). */
function touchAll(r: SimulationResult): number {
  let n = 0;
  for (const t of r.targets) {
    n += t.timeline.length;
    for (const l of t.layers) n += l.phases.length;
  }
  return n;
}

function once(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

/** Kinds timed apart from the goals (see main). */
const LATER_KINDS: string[] = ['spatial', 'system'];

function main(): void {
  const root = process.argv[2];
  const doc = analyze(
    'file://' + join(root, 'examples', 'resnet50.net.yaml'),
    readFileSync(join(root, 'examples', 'resnet50.net.yaml'), 'utf8'),
  );
  const net = doc.network!;
  const targets = resolveTargets(
    KINDS.map((k) => k.presets[0].name),
    [],
  ).targets;
  const deep = deepChain(10_000);

  const r50Cold = once(() => simulate(net, targets));
  const r50 = stat(() => simulate(net, targets), 200, 100);
  const r50Totals = stat(() => simulate(net, targets, { detail: 'totals' }), 100, 20);
  const r50All = stat(() => touchAll(simulate(net, targets)), 100, 20);

  const deepCold = once(() => simulate(deep, targets));
  const deepFull = stat(() => simulate(deep, targets), 25, 3);
  const deepTotals = stat(() => simulate(deep, targets, { detail: 'totals' }), 10, 2);
  const deepAll = stat(() => touchAll(simulate(deep, targets)), 5, 1);

  // The goals were set for the five seed kinds and the GPU; the loop-nest (spatial) and multi-device (system) kinds
  // joined later and cost more by construction (a mapping search per layer; a device run per strategy): timed apart.
  const seed = targets.filter((t) => !LATER_KINDS.includes(t.kind));
  const r50Seed = stat(() => simulate(net, seed), 200, 100);
  const deepSeed = stat(() => simulate(deep, seed), 25, 3);
  const perTarget = targets.map((t) => ({
    name: t.name,
    kind: t.kind,
    r50: stat(() => simulate(net, [t]), 50, 20).median,
    deep: stat(() => simulate(deep, [t]), 5, 1).median,
  }));

  // Memory a result holds: heap + external (typed arrays) after a collection, with the result alive.
  gc();
  gc();
  const m0 = used();
  const kept = simulate(deep, targets);
  gc();
  gc();
  const m1 = used();
  const phases = touchAll(kept);
  gc();
  gc();
  const m2 = used();
  const pairs = deep.layers.length * targets.length;

  process.stdout.write(
    JSON.stringify({
      targets: targets.map((t) => t.name),
      seedTargets: seed.map((t) => t.name),
      r50Seed,
      deepSeed,
      perTarget,
      r50Layers: net.layers.length,
      r50Cold,
      r50,
      r50Totals,
      r50All,
      deepCold,
      deepFull,
      deepTotals,
      deepAll,
      retainedPerLayerTarget: (m1 - m0) / pairs,
      materialisedPerLayerTarget: (m2 - m0) / pairs,
      phases,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

main();
