// The best parallel strategy for a device count: every tp (powers of two up to a node), pp (divisors, at most one
// stage per layer), dp (the rest, dividing the batch), micro-batch counts (powers of two), ZeRO stage and
// recomputation, keeping those that fit in memory and taking the fastest step. One device simulation per
// (micro-batch size, tp) pair, shared by every strategy that uses it.
import type { NetworkModel } from '../../spec/types';
import { newStepCache, simulateStep, type StepResult, type Strategy, type SystemModel } from './parallel';

export interface SearchOutcome {
  best?: StepResult;
  evaluated: number;
  fitting: number;
  seconds: number;
}

const pow2upTo = (n: number) => {
  const out: number[] = [];
  for (let x = 1; x <= n; x *= 2) out.push(x);
  return out;
};
const divisors = (n: number) => {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
};

export function searchStrategy(
  net: NetworkModel,
  sys: SystemModel,
  devices: number,
  opts: { maxPp?: number; maxMicroBatches?: number; zero?: boolean; recompute?: boolean } = {},
): SearchOutcome {
  const t0 = performance.now();
  const s2: SystemModel = { ...sys, devices };
  const cache = newStepCache();
  let best: StepResult | undefined,
    evaluated = 0,
    fitting = 0;
  const layers = net.layers.length;
  for (const tp of pow2upTo(Math.min(sys.fabric.devicesPerNode, devices))) {
    if (devices % tp) continue;
    for (const pp of divisors(devices / tp)) {
      if (pp > Math.min(layers, opts.maxPp ?? 128)) continue;
      const dp = devices / (tp * pp);
      if (net.batch % dp) continue;
      const perReplica = net.batch / dp;
      for (const m of pow2upTo(Math.min(perReplica, opts.maxMicroBatches ?? 256))) {
        if (perReplica % m) continue;
        if (pp > 1 && m < pp) continue; // fewer micro-batches than stages leaves most of the pipeline idle
        for (const zero of (opts.zero === false || dp === 1 ? [0] : [0, 1, 2, 3]) as Strategy['zero'][]) {
          for (const recompute of opts.recompute === false ? [false] : [false, true]) {
            const r = simulateStep(
              net,
              s2,
              { dp, tp, pp, microBatches: m, schedule: '1f1b', zero, recompute, overlap: true, bucketB: 25e6 },
              cache,
            );
            evaluated++;
            if (!r.ok || !r.fits) continue;
            fitting++;
            if (!best || r.timeS < best.timeS) best = r;
          }
        }
      }
    }
  }
  return { best, evaluated, fitting, seconds: (performance.now() - t0) / 1000 };
}
