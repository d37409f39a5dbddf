// SweepReport -> chart.js configs: the Pareto view (every point of the sample on two objectives, the dominated ones
// faded, the front drawn as a line and its points in full colour; log axes when an objective spans more than a
// decade) and each axis's effect (the best of an objective over the points with each value of the axis). Pure.
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { SweepObjective, SweepPoint, SweepReport } from '../../../server/src/sim/types';
import { si } from '../format';
import { chartBase, withAlpha, type Palette } from '../theme';

export const OBJECTIVE_LABEL: Record<SweepObjective, string> = {
  time: 'time per step',
  energy: 'energy per step',
  edp: 'energy x delay',
  samples_per_s: 'samples/s',
  samples_per_j: 'samples/J',
  area: 'silicon area',
};
const UNIT: Record<SweepObjective, string> = {
  time: 's',
  energy: 'J',
  edp: 'J·s',
  samples_per_s: '/s',
  samples_per_j: '/J',
  area: 'mm²',
};
/** An objective's value with its unit (area, in m² in the result, shown in mm²). */
export const fmtObjective = (o: SweepObjective, v: number): string =>
  o === 'area' ? `${Number((v * 1e6).toPrecision(3))} mm²` : si(v, UNIT[o]);
/** A point's value of an objective (NaN when it has none: area on a kind without an area model). */
export const val = (p: SweepPoint, o: SweepObjective): number => p.o[o] ?? Number.NaN;
/** The objectives the points have values for (area only where the target's kind models it). */
export const availableObjectives = (r: SweepReport, all: readonly SweepObjective[]): SweepObjective[] =>
  all.filter((o) => o !== 'area' || r.points.some((p) => Number.isFinite(val(p, o))));
/** samples/s and samples/J are maximised, the others minimised. */
export const maximised = (o: SweepObjective): boolean => o.startsWith('samples');

/** The points of `pts` no other point beats on both objectives (ties kept once). */
export function paretoFront(pts: SweepPoint[], a: SweepObjective, b: SweepObjective): SweepPoint[] {
  const sa = maximised(a) ? -1 : 1,
    sb = maximised(b) ? -1 : 1;
  const s = pts
    .filter((p) => Number.isFinite(val(p, a)) && Number.isFinite(val(p, b)))
    .sort((x, y) => sa * (val(x, a) - val(y, a)) || sb * (val(x, b) - val(y, b)));
  const out: SweepPoint[] = [];
  let best = Infinity;
  for (const p of s) {
    const v = sb * val(p, b);
    if (v < best) {
      out.push(p);
      best = v;
    }
  }
  return out;
}

export interface ParetoDatum {
  x: number;
  y: number;
  i: number;
}

const spansDecades = (v: number[]) => {
  const pos = v.filter((x) => x > 0);
  return pos.length > 1 && Math.max(...pos) / Math.min(...pos) > 10;
};

export function paretoConfig(
  r: SweepReport,
  a: SweepObjective,
  b: SweepObjective,
  front: SweepPoint[],
  pal: Palette,
): ChartConfiguration<'scatter', ParetoDatum[]> {
  const onFront = new Set(front.map((p) => p.i));
  const datum = (p: SweepPoint): ParetoDatum => ({ x: val(p, a), y: val(p, b), i: p.i });
  const rest = r.points
    .filter((p) => !onFront.has(p.i) && Number.isFinite(val(p, a)) && Number.isFinite(val(p, b)))
    .map(datum);
  const f = front.map(datum);
  const axis = (o: SweepObjective, vals: number[]) => ({
    type: spansDecades(vals) ? ('logarithmic' as const) : ('linear' as const),
    title: {
      display: true,
      text: `${OBJECTIVE_LABEL[o]} (${maximised(o) ? 'higher' : 'lower'} is better)`,
      color: pal.foreground,
    },
    ticks: { color: pal.muted, callback: (v: number | string) => fmtObjective(o, Number(v)) },
    grid: { color: pal.grid },
  });
  const values = (o: SweepObjective) => r.points.map((p) => val(p, o));
  const label = (d: ParetoDatum) => {
    const p = r.points.find((x) => x.i === d.i);
    return p
      ? [
          `point ${p.i}: ${r.axes.map((ax, k) => `${ax.name} = ${ax.labels?.[ax.values.indexOf(p.values[k])] ?? p.values[k]}`).join(', ')}`,
          `${OBJECTIVE_LABEL[a]} ${fmtObjective(a, d.x)}, ${OBJECTIVE_LABEL[b]} ${fmtObjective(b, d.y)}`,
          'click: open as a hardware spec',
        ]
      : [];
  };
  return {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: `Pareto front (${f.length})`,
          data: f,
          showLine: true,
          borderColor: pal.phase.fwd,
          backgroundColor: pal.phase.fwd,
          pointRadius: 4,
          pointHoverRadius: 6,
          order: 0,
        },
        {
          label: `dominated (${rest.length})`,
          data: rest,
          backgroundColor: withAlpha(pal.muted, 0.25),
          borderWidth: 0,
          pointRadius: 2,
          pointHoverRadius: 4,
          order: 1,
        },
      ],
    },
    options: {
      ...chartBase(pal),
      scales: { x: axis(a, values(a)), y: axis(b, values(b)) },
      plugins: {
        legend: { labels: { color: pal.foreground } },
        title: {
          display: true,
          text: `${r.name}: ${OBJECTIVE_LABEL[a]} vs ${OBJECTIVE_LABEL[b]} (${r.points.length} of ${r.feasible} feasible points shown)`,
          color: pal.foreground,
        },
        tooltip: { callbacks: { label: (item: TooltipItem<'scatter'>) => label(item.raw as ParetoDatum) } },
      },
    },
  };
}

export function effectConfig(
  e: SweepReport['effects'][number],
  o: SweepObjective,
  pal: Palette,
  labels?: string[],
): ChartConfiguration<'line', number[], string> {
  return {
    type: 'line',
    data: {
      labels: labels ?? e.values.map(String),
      datasets: [
        {
          label: `best ${OBJECTIVE_LABEL[o]}`,
          data: e.best[o],
          borderColor: pal.phase.fwd,
          backgroundColor: pal.phase.fwd,
          pointRadius: 3,
        },
        {
          label: `median ${OBJECTIVE_LABEL[o]}`,
          data: e.median[o],
          borderColor: pal.muted,
          backgroundColor: pal.muted,
          borderDash: [4, 3],
          pointRadius: 2,
        },
      ],
    },
    options: {
      ...chartBase(pal),
      scales: {
        x: {
          type: 'category',
          title: { display: true, text: e.axis, color: pal.foreground },
          ticks: { color: pal.muted },
          grid: { color: pal.grid },
        },
        y: {
          type: 'linear',
          ticks: { color: pal.muted, callback: (v) => fmtObjective(o, Number(v)) },
          grid: { color: pal.grid },
        },
      },
      plugins: {
        legend: { labels: { color: pal.foreground } },
        title: { display: true, text: `effect of ${e.axis}`, color: pal.foreground },
      },
    },
  };
}
