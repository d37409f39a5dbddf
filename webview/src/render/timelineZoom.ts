// Zoom and pan of the timeline: the wheel zooms around the cursor, a drag pans, a double-click (or Reset) shows the
// whole step again; buttons do the same from the keyboard. Each change rebuilds only the bars of the window
// (charts/timeline.ts merges sub-pixel ones) and redraws without animation; the time each redraw took is kept for
// the browser test's frame-time check (accelmapDebug.timelineFrames).
import type { Chart } from 'chart.js';
import type { TargetResult } from '../../../server/src/sim/types';
import { timelineData, timelineSpan, type TimeWindow } from '../charts/timeline';
import type { Palette } from '../theme';
import { h } from './dom';

/** The window of each target's timeline while the dashboard lives (not persisted). */
const windows = new WeakMap<TargetResult, TimeWindow>();
export const timelineWindow = (t: TargetResult): TimeWindow | null => windows.get(t) ?? null;

const frames: number[] = [];
/** Milliseconds each zoom / pan redraw took (rebuild of the bars + chart.js update and draw). */
export const timelineFrames = (): number[] => [...frames];

export function attachTimelineZoom(
  canvas: HTMLCanvasElement,
  chart: Chart,
  t: TargetResult,
  pal: Palette,
): HTMLElement {
  const span = timelineSpan(t);
  const minWidth = span * 1e-6;
  const apply = (w: TimeWindow | null) => {
    const t0 = performance.now();
    if (w) {
      const width = Math.max(minWidth, Math.min(span, w.to - w.from));
      const from = Math.min(Math.max(0, w.from), span - width);
      w = { from, to: from + width };
      if (width >= span) w = null;
    }
    if (w) windows.set(t, w);
    else windows.delete(t);
    const d = timelineData(t, pal, w, chart.chartArea?.width ?? canvas.clientWidth);
    chart.data.datasets = d.datasets as never;
    const x = chart.options.scales!.x!;
    x.min = d.from * d.u.scale;
    x.max = w ? d.to * d.u.scale : undefined;
    chart.update('none');
    canvas.dataset.window = w ? `${w.from},${w.to}` : '';
    canvas.dataset.bars = String(d.bars);
    frames.push(performance.now() - t0);
    if (frames.length > 500) frames.shift();
  };
  const current = (): TimeWindow => windows.get(t) ?? { from: 0, to: span };
  const timeAt = (offsetX: number): number => {
    const a = chart.chartArea,
      w = current();
    if (!a) return (w.from + w.to) / 2;
    return w.from + ((offsetX - a.left) / Math.max(1, a.width)) * (w.to - w.from);
  };
  const zoom = (factor: number, at: number) => {
    const w = current();
    apply({ from: at - (at - w.from) * factor, to: at + (w.to - at) * factor });
  };
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      zoom(e.deltaY < 0 ? 1 / 1.5 : 1.5, timeAt(e.offsetX));
    },
    { passive: false },
  );
  let drag: { x: number; w: TimeWindow } | null = null;
  canvas.addEventListener('pointerdown', (e) => {
    if (windows.has(t)) {
      drag = { x: e.offsetX, w: current() };
      canvas.setPointerCapture(e.pointerId);
    }
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const a = chart.chartArea;
    const dt = ((drag.x - e.offsetX) / Math.max(1, a?.width ?? canvas.clientWidth)) * (drag.w.to - drag.w.from);
    apply({ from: drag.w.from + dt, to: drag.w.to + dt });
  });
  const end = () => {
    drag = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('dblclick', () => apply(null));
  const btn = (label: string, title: string, f: () => void, id: string) => {
    const b = h('button', { type: 'button', class: 'zoom', title, 'data-testid': id }, label);
    b.addEventListener('click', f);
    return b;
  };
  const mid = () => {
    const w = current();
    return (w.from + w.to) / 2;
  };
  if (windows.has(t)) apply(windows.get(t)!);
  return h(
    'div',
    { class: 'chart-tools zoom-tools' },
    btn('Zoom in', 'Zoom in around the middle', () => zoom(1 / 2, mid()), 'timeline-zoom-in'),
    btn('Zoom out', 'Zoom out around the middle', () => zoom(2, mid()), 'timeline-zoom-out'),
    btn('Reset', 'Show the whole step', () => apply(null), 'timeline-reset'),
  );
}
