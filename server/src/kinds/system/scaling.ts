// A system's scaling curve: the step on 1, 2, 4, ... devices up to the system's count (every count a multiple of its
// tp x pp), weak scaling (the batch per data-parallel replica of the full system kept), with the system's strategy
// and dp = the rest. Speed-up and parallel efficiency against the smallest count. Shared by the language server's
// accelmap/scale request (the dashboard's Scaling view).
import type { NetworkModel } from '../../spec/types';
import { newStepCache, simulateStep, type SystemModel, type Strategy } from './parallel';

export interface ScalingPoint {
  devices: number;
  batch: number;
  timeS: number;
  samplesPerS: number;
  speedup: number;
  efficiency: number;
  mfu: number;
  computeS: number;
  exposedCommS: number;
  bubbleS: number;
  memoryB: number;
  capacityB: number;
  fits: boolean;
  strategy: { dp: number; tp: number; pp: number; microBatches: number; zero: number; recompute: boolean };
}

export function scalingCurve(
  net: NetworkModel,
  sys: SystemModel,
  s: Strategy,
): { points: ScalingPoint[]; error?: string } {
  const unit = s.tp * s.pp;
  if (sys.devices % unit)
    return { points: [], error: `${sys.devices} devices are not a multiple of tp ${s.tp} x pp ${s.pp}` };
  const fullDp = sys.devices / unit;
  const perReplica = Math.max(1, Math.floor(net.batch / fullDp));
  const counts: number[] = [];
  for (let dp = 1; dp < fullDp; dp *= 2) counts.push(dp * unit);
  counts.push(sys.devices);
  const cache = newStepCache();
  const points: ScalingPoint[] = [];
  for (const n of counts) {
    const dp = n / unit;
    const batch = perReplica * dp;
    const r = simulateStep({ ...net, batch }, { ...sys, devices: n }, { ...s, dp }, cache);
    if (!r.ok) return { points, error: r.error };
    points.push({
      devices: n,
      batch,
      timeS: r.timeS,
      samplesPerS: r.samplesPerS,
      speedup: 0,
      efficiency: 0,
      mfu: r.mfu,
      computeS: r.computeS,
      exposedCommS: r.exposedCommS,
      bubbleS: r.bubbleS,
      memoryB: r.memory.totalB,
      capacityB: r.memory.capacityB,
      fits: r.fits,
      strategy: {
        dp: r.strategy.dp,
        tp: r.strategy.tp,
        pp: r.strategy.pp,
        microBatches: r.strategy.microBatches,
        zero: r.strategy.zero,
        recompute: r.strategy.recompute,
      },
    });
  }
  const base = points[0];
  for (const p of points) {
    p.speedup = p.samplesPerS / base.samplesPerS;
    p.efficiency = p.speedup / (p.devices / base.devices);
  }
  return { points };
}
