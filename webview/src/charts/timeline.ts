// SimulationResult target -> chart.js config of the timeline (Gantt): one row per lane, a floating bar per event
// [startS, endS], coloured by training phase, with layer / phase / kind / duration in the tooltip. Pure.
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import { PHASES, type Phase, type TargetResult, type TimelineEvent } from '../../../server/src/sim/types';
import { si, timeUnit } from '../format';
import { PHASE_LABEL, chartBase, withAlpha, type Palette } from '../theme';

export interface TimelinePoint {
  /** [start, end] in the axis unit. */
  x: [number, number];
  y: string;
  layer: string;
  phase: Phase;
  kind: string;
  durationS: number;
}

/** Fixed order for the lanes the simulators emit; others keep their first-appearance order after them. */
// Control first (who issues work), then data movement, then the engines that compute.
const LANE_RANK = (lane: string): number =>
  lane === 'host' ? 0
  : lane === 'offload' || lane === 'control' || lane === 'config' ? 1
  : lane === 'dma' ? 2
  : lane.startsWith('engine') ? 3
  : lane === 'in-memory' ? 4
  : lane === 'digital' ? 5
  : 6;

export function timelineLanes(events: readonly TimelineEvent[]): string[] {
  const first = new Map<string, number>();
  events.forEach((e, i) => {
    if (!first.has(e.lane)) first.set(e.lane, i);
  });
  return [...first.keys()].sort(
    (a, b) => LANE_RANK(a) - LANE_RANK(b) || a.localeCompare(b, 'en', { numeric: true }) || first.get(a)! - first.get(b)!,
  );
}

const valid = (e: TimelineEvent): boolean =>
  Number.isFinite(e.startS) && Number.isFinite(e.endS) && e.endS >= e.startS && (PHASES as readonly string[]).includes(e.phase);

export function timelineConfig(t: TargetResult, pal: Palette): ChartConfiguration<'bar', TimelinePoint[], string> {
  const events = t.timeline.filter(valid);
  const span = events.reduce((m, e) => Math.max(m, e.endS), 0);
  const u = timeUnit(span);
  const lanes = timelineLanes(events);
  const datasets = PHASES.map((phase) => ({
    label: PHASE_LABEL[phase],
    data: events
      .filter((e) => e.phase === phase)
      .map((e) => ({ x: [e.startS * u.scale, e.endS * u.scale] as [number, number], y: e.lane, layer: e.layer, phase, kind: e.kind, durationS: e.endS - e.startS })),
    backgroundColor: withAlpha(pal.phase[phase], 0.85),
    borderColor: pal.phase[phase],
    borderWidth: 0,
    // Bars of different phases share the lane's full height instead of being placed side by side.
    grouped: false,
    barPercentage: 0.9,
    categoryPercentage: 0.9,
    minBarLength: 1,
  })).filter((d) => d.data.length > 0);
  return {
    type: 'bar',
    data: { labels: lanes, datasets },
    options: {
      indexAxis: 'y',
      ...chartBase(pal),
      // Each lane is a known category: lets chart.js skip re-deriving indices (thousands of bars for ResNet-50).
      normalized: true,
      scales: {
        x: {
          type: 'linear',
          min: 0,
          title: { display: true, text: `time (${u.label})`, color: pal.foreground },
          ticks: { color: pal.muted },
          grid: { color: pal.grid },
        },
        y: { type: 'category', ticks: { color: pal.foreground }, grid: { color: pal.grid } },
      },
      plugins: {
        legend: { labels: { color: pal.foreground } },
        title: { display: true, text: `${t.name}: one training step, ${si(span, 's')}`, color: pal.foreground },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'bar'>[]) => (items[0] ? (items[0].raw as TimelinePoint).y : ''),
            label: (item: TooltipItem<'bar'>) => timelineTooltip(item.raw as TimelinePoint),
          },
        },
      },
    },
  };
}

export function timelineTooltip(p: TimelinePoint): string {
  return `${p.layer} · ${PHASE_LABEL[p.phase]} · ${p.kind} · ${si(p.durationS, 's')}`;
}
