// A mapping worker thread (see pool.ts): maps the loop nest of each job it is sent and answers with the cache
// entries the search added. Bundled as dist/mapworker.js.
import { parentPort } from 'node:worker_threads';
import { drainCacheAdditions, mapPinned, spatialArch, trackCacheAdditions } from '../../kinds/spatial/model';
import type { DoneMessage, JobMessage } from './pool';

if (parentPort) {
  const port = parentPort;
  trackCacheAdditions();
  port.on('message', ({ job }: JobMessage) => {
    let error: string | undefined;
    try {
      mapPinned(job.p, job.t, spatialArch(job.t), job.pins);
    } catch (e) {
      error = (e as Error)?.message ?? String(e);
    }
    port.postMessage({ entries: drainCacheAdditions(), ...(error ? { error } : {}) } satisfies DoneMessage);
  });
}
