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
  /** Events drawn as this one bar (each narrower than a pixel at this zoom); absent = 1. */
  merged?: number;
}

/** Fixed order for the lanes the simulators emit; others keep their first-appearance order after them. */
// Control first (who issues work), then data movement, then the engines that compute.
const LANE_RANK = (lane: string): number =>
  lane === 'host'
    ? 0
    : lane === 'offload' || lane === 'control' || lane === 'config'
      ? 1
      : lane === 'dma'
        ? 2
        : lane.startsWith('engine')
          ? 3
          : lane === 'in-memory'
            ? 4
            : lane === 'digital'
              ? 5
              : 6;

export function timelineLanes(events: readonly TimelineEvent[]): string[] {
  const first = new Map<string, number>();
  events.forEach((e, i) => {
    if (!first.has(e.lane)) first.set(e.lane, i);
  });
  return [...first.keys()].sort(
    (a, b) =>
      LANE_RANK(a) - LANE_RANK(b) || a.localeCompare(b, 'en', { numeric: true }) || first.get(a)! - first.get(b)!,
  );
}

const valid = (e: TimelineEvent): boolean =>
  Number.isFinite(e.startS) &&
  Number.isFinite(e.endS) &&
  e.endS >= e.startS &&
  (PHASES as readonly string[]).includes(e.phase);

/** The part of the step the timeline shows, in seconds (null: all of it). */
export interface TimeWindow {
  from: number;
  to: number;
}

/** Valid events of a target sorted by start (built once per target: the zoom redraws from it). */
const sorted = new WeakMap<TargetResult, TimelineEvent[]>();
function sortedEvents(t: TargetResult): TimelineEvent[] {
  let ev = sorted.get(t);
  if (!ev) {
    ev = t.timeline.filter(valid).sort((a, b) => a.startS - b.startS);
    sorted.set(t, ev);
  }
  return ev;
}

export const timelineSpan = (t: TargetResult): number => sortedEvents(t).reduce((m, e) => Math.max(m, e.endS), 0);

/**
 * The bars of a window, one dataset per phase. Consecutive events of a lane that fit in one pixel are drawn as one
 * bar of their dominant phase (its tooltip says how many), so a 10,000-layer step draws at most a few bars per pixel
 * and lane at any zoom instead of ~100,000 (chart.js draws every bar it is given).
 */
export function timelineData(t: TargetResult, pal: Palette, win: TimeWindow | null, widthPx: number) {
  const events = sortedEvents(t);
  const span = timelineSpan(t);
  const u = timeUnit(span);
  const from = win?.from ?? 0,
    to = win?.to ?? span;
  const px = Math.max(to - from, 1e-15) / Math.max(100, widthPx);
  // per lane, a bucket of the consecutive events that fit in one pixel; when it closes it becomes one bar of the
  // phase that took most of its time (a pixel of the backward pass shows whichever of bwd_data / bwd_weight dominates)
  interface Bucket {
    p: TimelinePoint;
    start: number;
    end: number;
    byPhase: Partial<Record<Phase, number>>;
  }
  const open = new Map<string, Bucket>();
  const byPhase = new Map<Phase, TimelinePoint[]>(PHASES.map((p) => [p, []]));
  const close = (b: Bucket) => {
    if ((b.p.merged ?? 1) > 1) {
      let best: Phase = b.p.phase,
        most = -1;
      for (const ph of PHASES) {
        const v = b.byPhase[ph] ?? 0;
        if (v > most) {
          most = v;
          best = ph;
        }
      }
      b.p.phase = best;
    }
    b.p.x = [b.start * u.scale, b.end * u.scale];
    byPhase.get(b.p.phase)!.push(b.p);
  };
  let shown = 0;
  for (const e of events) {
    if (e.endS < from || e.startS > to) continue;
    shown++;
    const d = e.endS - e.startS;
    const cur = open.get(e.lane);
    if (cur && e.endS - cur.start <= px && e.startS - cur.end < px) {
      cur.end = Math.max(cur.end, e.endS);
      cur.p.durationS += d;
      cur.p.merged = (cur.p.merged ?? 1) + 1;
      cur.byPhase[e.phase] = (cur.byPhase[e.phase] ?? 0) + d;
      continue;
    }
    if (cur) close(cur);
    open.set(e.lane, {
      p: { x: [0, 0], y: e.lane, layer: e.layer, phase: e.phase, kind: e.kind, durationS: d },
      start: e.startS,
      end: e.endS,
      byPhase: { [e.phase]: d },
    });
  }
  for (const b of open.values()) close(b);
  const datasets = PHASES.map((phase) => ({
    label: PHASE_LABEL[phase],
    data: byPhase.get(phase)!,
    backgroundColor: withAlpha(pal.phase[phase], 0.85),
    borderColor: pal.phase[phase],
    borderWidth: 0,
    // Bars of different phases share the lane's full height instead of being placed side by side.
    grouped: false,
    barPercentage: 0.9,
    categoryPercentage: 0.9,
    minBarLength: 1,
  })).filter((d) => d.data.length > 0);
  return { datasets, u, span, from, to, shown, bars: datasets.reduce((n, d) => n + d.data.length, 0) };
}

export function timelineConfig(
  t: TargetResult,
  pal: Palette,
  win: TimeWindow | null = null,
  widthPx = 1200,
): ChartConfiguration<'bar', TimelinePoint[], string> {
  const lanes = timelineLanes(t.timeline.filter(valid));
  const { datasets, u, span, from, to } = timelineData(t, pal, win, widthPx);
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
          min: from * u.scale,
          ...(win ? { max: to * u.scale } : {}),
          title: {
            display: true,
            text: `time (${u.label})${win ? ' — wheel to zoom, drag to pan, double-click to reset' : ' — wheel to zoom'}`,
            color: pal.foreground,
          },
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
  if (p.merged && p.merged > 1)
    return `${p.merged} events from ${p.layer} on, mostly ${PHASE_LABEL[p.phase]} (${si(p.durationS, 's')} in all; zoom in to see each)`;
  return `${p.layer} · ${PHASE_LABEL[p.phase]} · ${p.kind} · ${si(p.durationS, 's')}`;
}
