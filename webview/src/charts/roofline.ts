// SimulationResult target -> chart.js config of a log-log roofline (Williams, Waterman, Patterson, CACM 2009):
//   attainable(I) = min(peak FLOP/s, bandwidth_level · I)        I = FLOP / byte at that level
// One scatter point per layer-phase at (intensity, achieved FLOP/s = flops / timeS); a horizontal compute ceiling
// per precision (peak.flopsByPrecision when the simulator gives it, else peak.flops) and a bandwidth ceiling per
// memory level (slope 1 on log-log, bent at the ridge point I = peak / bandwidth). Pure.
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import { PHASES, type Phase, type TargetResult } from '../../../server/src/sim/types';
import { num, si } from '../format';
import { PHASE_LABEL, chartBase, withAlpha, type Palette } from '../theme';

export interface RooflinePoint {
  x: number;
  y: number;
  layer?: string;
  phase?: Phase;
  timeS?: number;
}

export interface Ceiling {
  label: string;
  kind: 'compute' | 'bandwidth';
  /** FLOP/s for compute, B/s for bandwidth. */
  value: number;
}

/** Layer-phases that can sit on a log-log plot: positive FLOPs, time and intensity. */
export function rooflinePoints(t: TargetResult): RooflinePoint[] {
  const pts: RooflinePoint[] = [];
  for (const l of t.layers) {
    for (const p of l.phases) {
      if (!(p.flops > 0 && p.timeS > 0 && p.intensity > 0 && Number.isFinite(p.intensity))) continue;
      pts.push({ x: p.intensity, y: p.flops / p.timeS, layer: l.name, phase: p.phase, timeS: p.timeS });
    }
  }
  return pts;
}

export function ceilings(t: TargetResult): Ceiling[] {
  const out: Ceiling[] = [];
  const byPrec = (t.peak as { flopsByPrecision?: Record<string, number> }).flopsByPrecision;
  const compute =
    byPrec && Object.keys(byPrec).length ? Object.entries(byPrec) : [['peak', t.peak.flops] as [string, number]];
  for (const [prec, v] of compute)
    if (v > 0 && Number.isFinite(v))
      out.push({ label: `${prec} compute ${si(v, 'FLOP/s')}`, kind: 'compute', value: v });
  const levels = t.peak.levels?.length
    ? t.peak.levels.map((l) => [l.name, l.bandwidthBps] as const)
    : Object.entries(t.peak.bandwidth ?? {});
  for (const [name, bw] of levels)
    if (bw > 0 && Number.isFinite(bw)) out.push({ label: `${name} ${si(bw, 'B/s')}`, kind: 'bandwidth', value: bw });
  return out;
}

/** x range: a decade around the points and the ridge points, on whole powers of ten. */
export function intensityRange(points: readonly RooflinePoint[], cs: readonly Ceiling[]): [number, number] {
  const peak = Math.max(0, ...cs.filter((c) => c.kind === 'compute').map((c) => c.value));
  const xs = [
    ...points.map((p) => p.x),
    ...cs.filter((c) => c.kind === 'bandwidth' && peak > 0).map((c) => peak / c.value),
  ];
  if (!xs.length) return [0.01, 1000];
  return [10 ** Math.floor(Math.log10(Math.min(...xs)) - 0.5), 10 ** Math.ceil(Math.log10(Math.max(...xs)) + 0.5)];
}

export function rooflineConfig(t: TargetResult, pal: Palette): ChartConfiguration<'scatter', RooflinePoint[]> {
  const points = rooflinePoints(t);
  const cs = ceilings(t);
  const [x0, x1] = intensityRange(points, cs);
  const peak = Math.max(0, ...cs.filter((c) => c.kind === 'compute').map((c) => c.value));
  const scatter = PHASES.map((phase) => ({
    type: 'scatter' as const,
    label: PHASE_LABEL[phase],
    data: points.filter((p) => p.phase === phase),
    backgroundColor: withAlpha(pal.phase[phase], 0.8),
    borderColor: pal.phase[phase],
    pointRadius: 3.5,
    pointHoverRadius: 6,
  })).filter((d) => d.data.length > 0);
  const lines = cs.map((c, i) => {
    const color = pal.ceilings[i % pal.ceilings.length];
    // Bandwidth roof: from x0 up to the ridge point (or x1 when the roof never reaches the compute peak).
    const data: RooflinePoint[] =
      c.kind === 'compute'
        ? [
            { x: x0, y: c.value },
            { x: x1, y: c.value },
          ]
        : [
            { x: x0, y: c.value * x0 },
            peak > 0
              ? { x: Math.min(x1, peak / c.value), y: Math.min(peak, c.value * x1) }
              : { x: x1, y: c.value * x1 },
          ];
    return {
      type: 'line' as const,
      label: c.label,
      data,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 1.5,
      borderDash: c.kind === 'bandwidth' ? [6, 4] : [],
      pointRadius: 0,
      showLine: true,
      fill: false,
    };
  });
  return {
    type: 'scatter',
    data: { datasets: [...scatter, ...lines] as ChartConfiguration<'scatter', RooflinePoint[]>['data']['datasets'] },
    options: {
      ...chartBase(pal),
      scales: {
        x: {
          type: 'logarithmic',
          min: x0,
          max: x1,
          title: { display: true, text: 'arithmetic intensity (FLOP/byte, outermost level)', color: pal.foreground },
          ticks: { color: pal.muted, callback: (v) => decadeTick(Number(v)) },
          grid: { color: pal.grid },
        },
        y: {
          type: 'logarithmic',
          // Headroom above the highest ceiling so the compute roof is not drawn on the frame (assumption: 3x).
          max: peak > 0 ? peak * 3 : undefined,
          title: { display: true, text: 'achieved FLOP/s', color: pal.foreground },
          ticks: { color: pal.muted, callback: (v) => si(Number(v), 'FLOP/s', 2) },
          grid: { color: pal.grid },
        },
      },
      plugins: {
        legend: { labels: { color: pal.foreground } },
        title: { display: true, text: `${t.name}: roofline, ${points.length} layer-phases`, color: pal.foreground },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'scatter'>) =>
              rooflineTooltip(item.raw as RooflinePoint, item.dataset.label ?? ''),
          },
        },
      },
    },
  };
}

export function rooflineTooltip(p: RooflinePoint, datasetLabel: string): string {
  if (!p.layer || !p.phase) return datasetLabel;
  return `${p.layer} · ${PHASE_LABEL[p.phase]}: ${si(p.y, 'FLOP/s')} at ${num(p.x)} FLOP/B (${si(p.timeS ?? 0, 's')})`;
}

/** Log-axis tick text: only powers of ten are labelled (1e-2 -> `0.01`, 1000 -> `1000`). */
export function decadeTick(v: number): string {
  if (!(v > 0)) return '';
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-9 ? num(v) : '';
}
