// SimulationResult -> rows of the summary table (one per target) and the per-layer table (one per layer of a
// target). Pure data; render/tables.ts turns them into DOM and format.ts into text.
import { PHASES, type Bound, type Phase, type SimulationResult, type TargetResult } from '../../server/src/sim/types';

export interface SummaryRow {
  name: string;
  kind: string;
  timeS: number;
  samplesPerS: number;
  energyJ: number;
  /** FLOP/s per W = FLOP per J. */
  flopsPerW: number;
  utilization: number;
  /** Exposed offload / control time over the step time. */
  offloadShare: number;
  isBaseline: boolean;
  speedup: number | null;
  energyRatio: number | null;
  /** The target `speedup` is measured against (the run's baseline or the target's own reference). */
  baselineName: string | null;
  notes: string[];
}

export function summaryRows(r: SimulationResult): SummaryRow[] {
  return r.targets.map((t) => ({
    name: t.name,
    kind: t.kind,
    timeS: t.totals.timeS,
    samplesPerS: t.totals.samplesPerS,
    energyJ: t.totals.energyJ,
    flopsPerW: t.totals.flopsPerJoule,
    utilization: t.totals.utilization,
    offloadShare: t.totals.timeS > 0 ? t.totals.offloadOverheadS / t.totals.timeS : 0,
    isBaseline: r.baseline === t.name,
    speedup: t.vsBaseline ? t.vsBaseline.speedup : null,
    energyRatio: t.vsBaseline ? t.vsBaseline.energyRatio : null,
    baselineName: t.vsBaseline ? t.vsBaseline.baseline : null,
    notes: t.notes ?? [],
  }));
}

export interface LayerRow {
  name: string;
  op: string;
  timeS: number;
  phaseS: Record<Phase, number>;
  energyJ: number;
  flops: number;
  /** Share of the target's step time. */
  share: number;
  /** Bound of the layer's longest phase. */
  bound: Bound | '';
}

export function layerRows(t: TargetResult): LayerRow[] {
  const total = t.totals.timeS;
  return t.layers.map((l) => {
    const phaseS = { fwd: 0, bwd_data: 0, bwd_weight: 0, update: 0 } as Record<Phase, number>;
    let energyJ = 0;
    let flops = 0;
    let longest: { t: number; bound: Bound | '' } = { t: -1, bound: '' };
    for (const p of l.phases) {
      if ((PHASES as readonly string[]).includes(p.phase)) phaseS[p.phase] += p.timeS;
      energyJ += p.energyJ;
      flops += p.flops;
      if (p.timeS > longest.t) longest = { t: p.timeS, bound: p.bound };
    }
    const timeS = PHASES.reduce((s, ph) => s + phaseS[ph], 0);
    return {
      name: l.name,
      op: l.op,
      timeS,
      phaseS,
      energyJ,
      flops,
      share: total > 0 ? timeS / total : 0,
      bound: longest.bound,
    };
  });
}

export type LayerSortKey = 'name' | 'op' | 'timeS' | 'energyJ' | 'flops' | 'share' | Phase;
export const LAYER_SORT_KEYS: readonly LayerSortKey[] = ['name', 'op', 'timeS', 'energyJ', 'flops', 'share', ...PHASES];

const sortValue = (r: LayerRow, k: LayerSortKey): number | string =>
  k === 'name' || k === 'op'
    ? r[k]
    : (PHASES as readonly string[]).includes(k)
      ? r.phaseS[k as Phase]
      : r[k as 'timeS'];

/** Stable sort by a column; ties keep network order. Unknown keys sort by time. */
export function sortLayerRows(rows: readonly LayerRow[], key: string, dir: 'asc' | 'desc'): LayerRow[] {
  const k = (LAYER_SORT_KEYS as readonly string[]).includes(key) ? (key as LayerSortKey) : 'timeS';
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const va = sortValue(a.r, k);
      const vb = sortValue(b.r, k);
      const c = typeof va === 'string' ? va.localeCompare(String(vb), 'en', { numeric: true }) : va - (vb as number);
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.r);
}
