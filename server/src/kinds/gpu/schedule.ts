// Two-lane schedule of a GPU run: the host issues kernels one after another (launch overhead each, plus any host
// bookkeeping), the device runs them in issue order as soon as they are issued and the previous one is done
// (asynchronous stream, unbounded queue — ASM: PyTorch's queue is ~1000 kernels deep, never the limit here).
//
// For a group of n identical kernels of device time t = gpuS / n issued every L (launch overhead), with a device
// gap G between back-to-back kernels (grid drain + next grid start; hidden when the device waits for the host):
//   hostEnd  = hostStart + n L + hostExtra
//   devStart = max(devFree + G, first issue)    first issue = hostStart + L   (hostEnd when n = 0)
//   devEnd   = max(devStart + n t + (n-1) G, hostStart + n L + t)   (device-bound, or host-bound: the last waits)
// The critical-path frontier F = max(hostT, devT) only grows; a phase's time is its increase of F, so the phases
// of an iteration add up to the iteration time, and a phase's exposed overhead is that increase minus its device time.
import type { KernelGroup } from './kernels';

export interface Placement {
  hostStart: number;
  hostEnd: number;
  devStart: number;
  devEnd: number;
}

export class TwoLane {
  hostT = 0;
  devT = 0;
  /** `gap`: device idle time between back-to-back kernels (drain of one grid, start of the next). */
  constructor(
    readonly launch: number,
    readonly gap = 0,
  ) {}

  get frontier(): number {
    return Math.max(this.hostT, this.devT);
  }

  run(k: KernelGroup): Placement {
    const n = Math.max(0, k.kernels);
    const extra = k.hostExtraS ?? 0;
    const hostStart = this.hostT;
    const issued = hostStart + n * this.launch;
    const hostEnd = issued + extra;
    let devStart = this.devT,
      devEnd = this.devT;
    if (k.gpuS > 0) {
      const firstIssue = n > 0 ? hostStart + this.launch : hostEnd;
      const busy = k.gpuS + Math.max(0, n - 1) * this.gap;
      devStart = Math.max(this.devT + (n > 0 ? this.gap : 0), firstIssue);
      const per = n > 0 ? k.gpuS / n : k.gpuS;
      devEnd = Math.max(devStart + busy, n > 0 ? issued + per : devStart + busy);
    }
    this.hostT = hostEnd;
    this.devT = devEnd;
    return { hostStart, hostEnd, devStart, devEnd };
  }
}

/**
 * Time of kernel groups run alone from an idle GPU (as a single-layer benchmark times them, minus its own overhead).
 */
export function isolatedTime(groups: KernelGroup[], launch: number, gap = 0): number {
  const s = new TwoLane(launch, gap);
  for (const k of groups) s.run(k);
  return s.frontier;
}
