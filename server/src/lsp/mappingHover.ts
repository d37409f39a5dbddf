// Hover on a layer, for each simulated `spatial` target: the mapping of each training phase as a loop nest with the
// tile each level keeps (like Timeloop's map.txt), its utilization and energy per MAC, and the spread of what the
// mapper saw (best / median / worst), so a user sees what a bad mapping would cost. Only mappings the last
// simulation found are shown (from the mapper's cache): a hover never starts a search.
import type { LayerMapping, TargetModel } from '../spec/types';
import { phasePins } from '../sim/nest/pins';
import type { LayerWork } from '../sim/workload';
import { loopNestText } from '../sim/nest/format';
import { phaseProblems, roleName } from '../sim/nest/training';
import { spatialArch } from '../kinds/spatial/model';
import { shownMapping } from './mappingSearch';

const MAX_LINES = 24;

export function mappingSection(lw: LayerWork, targets: TargetModel[], mapping?: LayerMapping): string[] {
  const out: string[] = [];
  for (const t of targets) {
    if (t.kind !== 'spatial') continue;
    const a = spatialArch(t);
    for (const ph of lw.phases) {
      if (ph.phase === 'update' || ph.kind !== 'mvm') continue;
      const pins = phasePins(mapping, ph.phase);
      for (const p of phaseProblems(lw, ph.phase)) {
        const shown = shownMapping(p, t, a, pins);
        if (!shown) continue;
        const { m, status } = shown;
        const r = m.result,
          rw = p.dataSpaces.find((d) => d.readWrite)!;
        const nest = loopNestText(p, a, m.mapping, r);
        const e = m.searched.spread?.[0];
        out.push(
          '',
          `**Mapping on ${t.name}, ${ph.phase}**${status === 'pinned' ? ' (pinned in the spec)' : status === 'provisional' ? ' (provisional)' : ''} (writes ${roleName(rw.name, ph.phase, true)}): ${(r.utilization * 100).toFixed(0)}% of ${a.compute.instances} MACs, ${(r.energyPJ / r.computes).toFixed(2)} pJ/MAC` +
            (e
              ? ` — mapper: ${m.searched.evaluated} evaluated, ${e.metric} worst/best ${(e.worst / e.best).toPrecision(3)}x, median/best ${(e.median / e.best).toPrecision(3)}x`
              : ''),
        );
        out.push(
          '```',
          ...nest.slice(0, MAX_LINES),
          ...(nest.length > MAX_LINES ? [`… ${nest.length - MAX_LINES} more lines (accelmap map)`] : []),
          '```',
        );
      }
    }
  }
  return out;
}
