// The save path never waits for a mapping search: a spatial target whose loop nests are not in the mapper's cache
// is simulated first with a quick search (PROVISIONAL_BUDGET mappings per nest, marked as such in its notes), and
// the full search runs in the background one nest per event-loop turn, so requests keep being answered; when it has
// filled the cache the document is simulated again (every nest cached: fast) and the result republished.
import type { LevelPin, NetworkModel, TargetModel } from '../spec/types';
import { lower } from '../sim/lower';
import { phaseProblems } from '../sim/nest/training';
import type { Problem } from '../sim/nest/types';
import { cachedMapping, layerPins, mapPinned, spatialArch } from '../sim/targets/spatial';
import { num } from '../sim/target';

export const PROVISIONAL_BUDGET = 60;

export interface SearchPlan {
  /** The targets to simulate now (spatial targets with uncached nests get the quick budget). */
  targets: TargetModel[];
  /** Names of the targets simulated with provisional mappings. */
  provisional: string[];
  /** The nests the full search still has to map. */
  work: { p: Problem; t: TargetModel; pins?: LevelPin[] }[];
}

export function planSearch(net: NetworkModel, targets: TargetModel[]): SearchPlan {
  const spatial = targets.filter((t) => t.kind === 'spatial' && num(t, 'mapper.budget') > PROVISIONAL_BUDGET);
  if (!spatial.length) return { targets, provisional: [], work: [] };
  const w = lower(net);
  const work: SearchPlan['work'] = [];
  const provisional: string[] = [];
  for (const t of spatial) {
    const a = spatialArch(t);
    const seen = new Set<string>();
    let missing = 0;
    for (const l of w.layers) for (const ph of l.phases) {
      if (ph.phase === 'update' || ph.kind !== 'mvm') continue;
      const pins = layerPins(w, l, ph.phase);
      for (const p of phaseProblems(l, ph.phase)) {
        const key = JSON.stringify([p.dims.map((d) => p.bounds[d]), p.dataSpaces.map((d) => d.readWrite), pins?.map(({ range: _r, ...x }) => x)]);
        if (seen.has(key)) continue;
        seen.add(key);
        if (!cachedMapping(p, t, a, pins) && !cachedMapping(p, t, a)) { work.push({ p, t, pins }); missing++; }
      }
    }
    if (missing) provisional.push(t.name);
  }
  const quick = new Set(provisional);
  return { targets: targets.map((t) => (quick.has(t.name) ? { ...t, params: { ...t.params, 'mapper.budget': PROVISIONAL_BUDGET } } : t)), provisional, work };
}

/** Maps the nests one per event-loop turn; `done` runs after the last unless `cancelled()` turns true first. */
export function searchInBackground(work: SearchPlan['work'], cancelled: () => boolean, done: () => void): void {
  let i = 0;
  const step = () => {
    if (cancelled()) return;
    if (i >= work.length) { done(); return; }
    const { p, t, pins } = work[i++];
    mapPinned(p, t, spatialArch(t), pins);
    setImmediate(step);
  };
  setImmediate(step);
}
