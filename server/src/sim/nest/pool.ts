// The mapper on every core: loop nests handed out one at a time to worker threads (a nest's search is the unit, so
// the answer is the same as on one thread: each search is deterministic for its input), the mappings they find put
// into this thread's cache. Progress after each nest; cancel terminates the workers (the nests mapped so far stay
// cached). The worker script is dist/mapworker.js next to the bundle, or nest/poolWorker.ts under tsx.
import type { LevelPin, TargetModel } from '../../spec/types';
import type { Problem } from './types';
import { primeCache, type CacheEntry } from '../../kinds/spatial/model';

export interface MapJob {
  p: Problem;
  t: TargetModel;
  pins?: LevelPin[];
}
export interface PoolOptions {
  workers: number;
  cancelled?: () => boolean;
  progress?: (done: number, total: number) => void;
}
export interface PoolResult {
  done: number;
  total: number;
  workers: number;
  seconds: number;
  cancelled: boolean;
}

export interface JobMessage {
  job: MapJob;
}
export interface DoneMessage {
  entries: [string, CacheEntry][];
  error?: string;
}

/** Maps every job (in `workers` threads; 0 or 1 = here, between event-loop turns). */
export async function mapInWorkers(jobs: MapJob[], o: PoolOptions): Promise<PoolResult> {
  const t0 = performance.now();
  const total = jobs.length;
  const n = Math.max(0, Math.min(o.workers, total));
  if (n <= 1) return mapHere(jobs, o, t0);
  const { Worker } = await import('node:worker_threads');
  const { join } = await import('node:path');
  const { existsSync } = await import('node:fs');
  const dev = __filename.endsWith('.ts');
  const file = dev ? join(__dirname, 'poolWorker.ts') : join(__dirname, 'mapworker.js');
  if (!dev && !existsSync(file)) return mapHere(jobs, o, t0); // a bundle shipped without the worker: one thread
  let next = 0,
    done = 0,
    cancelled = false;
  let failure: string | undefined;
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((res) => {
          const w = dev
            ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true })
            : new Worker(file);
          const feed = () => {
            if (!cancelled && o.cancelled?.()) cancelled = true;
            if (cancelled || next >= total || failure) {
              void w.terminate();
              return;
            }
            w.postMessage({ job: jobs[next++] } satisfies JobMessage);
          };
          w.on('message', (m: DoneMessage) => {
            if (m.error) failure = m.error;
            primeCache(m.entries);
            done++;
            o.progress?.(done, total);
            feed();
          });
          w.on('error', (e) => {
            failure = e.message;
            res();
          });
          w.on('exit', () => res());
          feed();
        }),
    ),
  );
  if (failure) throw new Error(`mapping worker: ${failure}`);
  return { done, total, workers: n, seconds: (performance.now() - t0) / 1000, cancelled };
}

async function mapHere(jobs: MapJob[], o: PoolOptions, t0: number): Promise<PoolResult> {
  const { mapPinned, spatialArch } = await import('../../kinds/spatial/model');
  let done = 0,
    cancelled = false;
  for (const j of jobs) {
    if (o.cancelled?.()) {
      cancelled = true;
      break;
    }
    mapPinned(j.p, j.t, spatialArch(j.t), j.pins);
    o.progress?.(++done, jobs.length);
    await new Promise((r) => setImmediate(r));
  }
  return { done, total: jobs.length, workers: 1, seconds: (performance.now() - t0) / 1000, cancelled };
}
