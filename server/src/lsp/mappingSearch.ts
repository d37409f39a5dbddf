// The save path never waits for a mapping search: a spatial target whose loop nests are not in the mapper's cache
// is simulated first with a quick search (PROVISIONAL_BUDGET mappings per nest, marked as such in its notes), and
// the full search runs in the background on worker threads (sim/nest/pool.ts), so requests keep being answered; when it
// has
// filled the cache the document is simulated again (every nest cached: fast) and the result republished.
import type { LevelPin, NetworkModel, TargetModel } from '../spec/types';
import { lower } from '../sim/lower';
import type { Problem } from '../sim/nest/types';
import { cachedMapping, workloadNests, type PhaseMapping } from '../kinds/spatial/model';
import type { SpatialArch } from '../sim/nest/types';
import { num } from '../sim/target';
import { mapInWorkers } from '../sim/nest/pool';
import { availableParallelism } from 'node:os';

export const PROVISIONAL_BUDGET = 60;

export interface SearchPlan {
  /** The targets to simulate now (spatial targets with uncached nests get the quick budget). */
  targets: TargetModel[];
  /** Names of the targets simulated with provisional mappings. */
  provisional: string[];
  /** The nests the full search still has to map. */
  work: { p: Problem; t: TargetModel; pins?: LevelPin[] }[];
  /** Distinct loop nests of the spatial targets (cached ones included). */
  nests: number;
}

export function planSearch(net: NetworkModel, targets: TargetModel[]): SearchPlan {
  const spatial = targets.filter((t) => t.kind === 'spatial' && num(t, 'mapper.budget') > PROVISIONAL_BUDGET);
  if (!spatial.length) return { targets, provisional: [], work: [], nests: 0 };
  const w = lower(net);
  const work: SearchPlan['work'] = [];
  const provisional: string[] = [];
  let nests = 0;
  for (const t of spatial) {
    const n = workloadNests(w, t);
    nests += n.nests;
    work.push(...n.missing);
    if (n.missing.length) provisional.push(t.name);
  }
  const quick = new Set(provisional);
  return {
    targets: targets.map((t) =>
      quick.has(t.name) ? { ...t, params: { ...t.params, 'mapper.budget': PROVISIONAL_BUDGET } } : t,
    ),
    provisional,
    work,
    nests,
  };
}

/** Worker threads for a search: one per core (the server's own thread mostly waits). */
export const searchWorkers = (): number => Math.max(1, availableParallelism());

/** Maps the nests on worker threads; `done` runs after the last unless `cancelled()` turns true first. */
export function searchInBackground(
  work: SearchPlan['work'],
  cancelled: () => boolean,
  done: () => void,
  onError: (e: unknown) => void = () => {},
): void {
  // a few nests are mapped here (starting threads would cost more than they save)
  mapInWorkers(work, { workers: work.length >= 4 ? searchWorkers() : 1, cancelled }).then((r) => {
    if (!r.cancelled && !cancelled()) done();
  }, onError);
}

/**
 * The mapping the last simulation used for a nest, from the cache (never searches): the pinned one when the spec's
 * pins were met, else the full search's, else (while the background search runs) the quick search's.
 */
export function shownMapping(
  p: Problem,
  t: TargetModel,
  a: SpatialArch,
  pins: LevelPin[] | undefined,
): { m: PhaseMapping; status: 'pinned' | 'searched' | 'provisional' } | undefined {
  const quick = { ...t, params: { ...t.params, 'mapper.budget': PROVISIONAL_BUDGET } };
  const pinned = pins ? (cachedMapping(p, t, a, pins) ?? cachedMapping(p, quick, a, pins)) : undefined;
  if (pinned?.result.legal) return { m: pinned, status: 'pinned' };
  const full = cachedMapping(p, t, a);
  if (full) return { m: full, status: 'searched' };
  const q = cachedMapping(p, quick, a);
  return q ? { m: q, status: 'provisional' } : undefined;
}
