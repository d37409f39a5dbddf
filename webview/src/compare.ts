// Per-layer comparison across targets: for every layer, its time (all phases) on each target, the fastest target
// and by how much it beats the runner-up; and per target how many layers it wins. Pure.
import type { SimulationResult } from '../../server/src/sim/types';

export interface CompareRow {
  layer: string;
  op: string;
  times: (number | null)[];
  winner: number;
  margin: number;
}
export interface Comparison {
  targets: string[];
  rows: CompareRow[];
  wins: number[];
}

export function compareLayers(r: SimulationResult): Comparison {
  const targets = r.targets.map((t) => t.name);
  const maps = r.targets.map(
    (t) =>
      new Map(
        t.layers.map((l) => [l.name, l.phases.reduce((s, p) => s + (Number.isFinite(p.timeS) ? p.timeS : 0), 0)]),
      ),
  );
  const names = r.targets.find((t) => t.layers.length)?.layers ?? [];
  const wins = targets.map(() => 0);
  const rows = names.map((l) => {
    const times = maps.map((m) => (m.has(l.name) ? m.get(l.name)! : null));
    const ranked = times
      .map((v, i) => ({ v, i }))
      .filter((x): x is { v: number; i: number } => x.v !== null && x.v > 0)
      .sort((a, b) => a.v - b.v);
    const winner = ranked[0]?.i ?? -1;
    if (winner >= 0) wins[winner]++;
    return { layer: l.name, op: l.op, times, winner, margin: ranked.length > 1 ? ranked[1].v / ranked[0].v : 1 };
  });
  return { targets, rows, wins };
}
