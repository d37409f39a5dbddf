// Renders the whole dashboard from its state: header, tabs, target selector, and the active view.
import type { SimulationResult, SweepObjective, TargetResult } from '../../../server/src/sim/types';
import { phaseSplitConfig } from '../charts/phaseSplit';
import { rooflineConfig, rooflinePoints } from '../charts/roofline';
import { timelineConfig, timelineLanes } from '../charts/timeline';
import { si } from '../format';
import type { DashboardState, RenderedInfo, View } from '../protocol';
import type { Palette } from '../theme';
import { chartSvgDataUrl, destroyCharts, mountChart } from './charts';
import { h } from './dom';
import { bytesTable, compareTable, layerTable, scalingTable, summaryTable } from './tables';
import { energySplitConfig } from '../charts/energySplit';
import { scalingConfig } from '../charts/scaling';
import { mappingView } from './mapping';
import { attachTimelineZoom, timelineWindow } from './timelineZoom';
import { explainView } from './explain';
import { sweepView } from './sweep';

export interface AppEvents {
  setView(v: View): void;
  setTarget(name: string): void;
  sortLayers(key: string): void;
  revealLayer(layer: string): void;
  exportTrace(): void;
  exportReport(): void;
  exportChart(name: string, dataUrl: string): void;
  requestScaling(target: string): void;
  pickMappingLayer(layer: string): void;
  requestMapping(layer: string): void;
  pickExplainLayer(layer: string): void;
  requestExplain(layer: string): void;
  pickSweepPair(pair: [SweepObjective, SweepObjective]): void;
  openDesign(index: number): void;
}

const TAB_LABEL: Record<View, string> = {
  summary: 'Summary',
  timeline: 'Timeline',
  roofline: 'Roofline',
  layers: 'Layers',
  explain: 'Explain',
  mapping: 'Mapping',
  energy: 'Energy',
  compare: 'Compare',
  scaling: 'Scaling',
  sweep: 'Sweep',
};
const ALL_TARGETS: View[] = ['summary', 'energy', 'compare', 'sweep'];

/** The target the per-target views show: the chosen one if it still exists, else the first. */
export function currentTarget(s: DashboardState): TargetResult | null {
  const ts = s.result?.targets ?? [];
  return ts.find((t) => t.name === s.target) ?? ts[0] ?? null;
}

export function renderApp(root: HTMLElement, s: DashboardState, pal: Palette, ev: AppEvents): RenderedInfo {
  destroyCharts();
  root.replaceChildren();
  const t = currentTarget(s);
  const info: RenderedInfo = {
    view: s.view,
    target: t?.name ?? null,
    targets: s.result?.targets.length ?? 0,
    // the network's count, not the target's rows: those of a decoded result are built when a view first reads them
    layers: t ? (s.result?.network.layerCount ?? 0) : 0,
    timelineLanes: 0,
    rooflinePoints: 0,
    mappingPhases: 0,
    explainRows: 0,
  };
  if (s.error)
    root.append(
      h(
        'div',
        { class: 'error', role: 'alert', 'data-testid': 'error' },
        s.result ? `The last simulation failed (showing the previous result): ${s.error}` : s.error,
      ),
    );
  const r = s.result;
  if (!r) {
    if (s.view === 'sweep' && s.sweep) {
      // a sweep can be shown before any network was simulated
      const body = h('div', { class: 'view view-sweep', role: 'tabpanel' });
      root.append(body);
      renderSweep(body, s, pal, ev, info);
      return info;
    }
    if (!s.error)
      root.append(
        h('p', { class: 'empty' }, 'Waiting for a simulation… Save a network spec or run “accelmap: Run Simulation”.'),
      );
    return info;
  }
  root.append(header(r, s, ev), tabs(r, s, t, ev));
  const body = h('div', { class: `view view-${s.view}`, role: 'tabpanel' });
  root.append(body);
  const whole = VIEWS_OF_ALL[s.view as keyof typeof VIEWS_OF_ALL];
  if (whole) whole(body, r, s, pal, ev, info);
  else if (!t) body.append(h('p', { class: 'empty' }, 'No target was simulated.'));
  else (VIEWS_OF_ONE[s.view as keyof typeof VIEWS_OF_ONE] ?? renderLayers)(body, t, s, pal, ev, info);
  if (s.view !== 'mapping' && s.view !== 'explain' && s.view !== 'sweep') chartTools(body, s.view, ev);
  return info;
}

/** The network, its figures and the export buttons. */
function header(r: SimulationResult, s: DashboardState, ev: AppEvents): HTMLElement {
  const file = s.uri ? decodeURIComponent(s.uri.split('/').pop() ?? s.uri) : '';
  const exportBtn = h(
    'button',
    {
      type: 'button',
      class: 'export',
      'data-testid': 'export-trace',
      title: 'Save the timeline as a Chrome/Perfetto trace (open it in ui.perfetto.dev or chrome://tracing)',
    },
    'Export trace…',
  );
  exportBtn.addEventListener('click', () => ev.exportTrace());
  const reportBtn = h(
    'button',
    {
      type: 'button',
      class: 'export',
      'data-testid': 'export-report',
      title:
        'Save a self-contained HTML report (summary, charts, per-layer tables, assumptions and sources), or CSV rows',
    },
    'Export report…',
  );
  reportBtn.addEventListener('click', () => ev.exportReport());
  return h(
    'header',
    {},
    h('h1', { 'data-testid': 'network' }, r.network.name),
    h(
      'p',
      { class: 'meta' },
      `batch ${r.network.batch} · ${r.network.precision} · ${r.network.layerCount} layers · ${si(r.network.flops, 'FLOP')} per step`,
      file ? ` · ${file}` : '',
      s.elapsedMs !== null ? ` · simulated in ${si(s.elapsedMs / 1000, 's')}` : '',
    ),
    h('span', { class: 'exports' }, reportBtn, exportBtn),
  );
}

/** The view tabs, and the target picker for the views of one target. */
function tabs(r: SimulationResult, s: DashboardState, t: TargetResult | null, ev: AppEvents): HTMLElement {
  const nav = h('nav', { class: 'tabs', role: 'tablist' });
  for (const v of Object.keys(TAB_LABEL) as View[]) {
    const b = h(
      'button',
      { type: 'button', role: 'tab', 'aria-selected': String(v === s.view), 'data-view': v },
      TAB_LABEL[v],
    );
    b.addEventListener('click', () => ev.setView(v));
    nav.append(b);
  }
  if (!ALL_TARGETS.includes(s.view) && r.targets.length) {
    const sel = h('select', { 'aria-label': 'target', 'data-testid': 'target' });
    for (const x of r.targets) sel.append(h('option', { value: x.name, selected: x.name === t?.name }, x.name));
    sel.addEventListener('change', () => ev.setTarget(sel.value));
    nav.append(h('label', { class: 'target' }, 'target ', sel));
  }
  return nav;
}

type WholeView = (
  body: HTMLElement,
  r: SimulationResult,
  s: DashboardState,
  pal: Palette,
  ev: AppEvents,
  info: RenderedInfo,
) => void;
type TargetView = (
  body: HTMLElement,
  t: TargetResult,
  s: DashboardState,
  pal: Palette,
  ev: AppEvents,
  info: RenderedInfo,
) => void;

/** A horizontal bar chart with one bar per target. */
function perTargetChart(body: HTMLElement, r: SimulationResult, testid: string, label: string): HTMLCanvasElement {
  const canvas = h('canvas', { 'data-testid': testid, role: 'img', 'aria-label': label });
  const box = h('div', { class: 'chart' }, canvas);
  body.append(box);
  box.style.height = `${Math.max(160, 90 + 30 * r.targets.length)}px`;
  return canvas as HTMLCanvasElement;
}

function renderSweep(body: HTMLElement, s: DashboardState, pal: Palette, ev: AppEvents, info: RenderedInfo): void {
  const n = sweepView(body, s, pal, { pickPair: ev.pickSweepPair, openDesign: ev.openDesign });
  info.sweepPoints = n.points;
  info.sweepFront = n.front;
}

/** The views of every target at once. */
const VIEWS_OF_ALL: Partial<Record<View, WholeView>> = {
  summary(body, r, _s, pal) {
    body.append(summaryTable(r));
    if (r.targets.length)
      mountChart(
        perTargetChart(body, r, 'phase-split', 'share of each training phase per target'),
        phaseSplitConfig(r, pal),
      );
  },
  energy(body, r, _s, pal) {
    mountChart(
      perTargetChart(body, r, 'energy-split', 'share of each energy component per target'),
      energySplitConfig(r, pal),
    );
    body.append(bytesTable(r));
  },
  compare(body, r, _s, _pal, ev) {
    body.append(compareTable(r, ev.revealLayer));
  },
  sweep(body, _r, s, pal, ev, info) {
    renderSweep(body, s, pal, ev, info);
  },
};

/** The views of the chosen target (the layer table for any other). */
const VIEWS_OF_ONE: Partial<Record<View, TargetView>> = {
  timeline(body, t, _s, pal, _ev, info) {
    const lanes = timelineLanes(t.timeline);
    info.timelineLanes = lanes.length;
    const canvas = h('canvas', {
      'data-testid': 'timeline',
      'data-lanes': lanes.join(','),
      role: 'img',
      'aria-label': `timeline of ${t.name}`,
    });
    // Height grows with the lane count so bars stay readable (assumption: 28 px a lane + axes).
    body.append(h('div', { class: 'chart', 'data-height': lanes.length }, canvas));
    (canvas.parentElement as HTMLElement).style.height = `${Math.max(220, 90 + 28 * lanes.length)}px`;
    const chart = mountChart(canvas, timelineConfig(t, pal, timelineWindow(t), canvas.clientWidth || 1200));
    body.prepend(attachTimelineZoom(canvas as HTMLCanvasElement, chart, t, pal));
  },
  scaling(body, t, s, pal, ev) {
    if (t.kind !== 'system')
      body.append(
        h(
          'p',
          { class: 'empty', 'data-testid': 'scaling-empty' },
          `${t.name} is one device. The scaling view is for system targets (kind: system, e.g. extends: dgx-h100 or a100-cluster): how the step speeds up with the device count.`,
        ),
      );
    else if (s.scaling && s.scaling.target === t.name && s.scaling.uri === s.uri) {
      if (s.scaling.error && !s.scaling.points.length)
        body.append(h('div', { class: 'error', role: 'alert' }, s.scaling.error));
      else {
        const canvas = h('canvas', {
          'data-testid': 'scaling',
          'data-points': s.scaling.points.length,
          role: 'img',
          'aria-label': `scaling of ${t.name}`,
        });
        body.append(h('div', { class: 'chart tall' }, canvas));
        mountChart(canvas, scalingConfig(s.scaling.points, pal));
        body.append(scalingTable(s.scaling.points));
      }
    } else {
      body.append(
        h('p', { class: 'empty', 'data-testid': 'scaling-pending' }, `Computing the scaling curve of ${t.name}…`),
      );
      ev.requestScaling(t.name);
    }
  },
  explain(body, t, s, pal, ev, info) {
    info.explainRows = explainView(body, s, t, pal, {
      pickLayer: ev.pickExplainLayer,
      requestExplain: ev.requestExplain,
    });
  },
  mapping(body, t, s, pal, ev, info) {
    info.mappingPhases = mappingView(body, s, t, pal, {
      pickLayer: ev.pickMappingLayer,
      requestMapping: ev.requestMapping,
    });
  },
  roofline(body, t, _s, pal, _ev, info) {
    const n = rooflinePoints(t).length;
    info.rooflinePoints = n;
    const canvas = h('canvas', {
      'data-testid': 'roofline',
      'data-points': n,
      role: 'img',
      'aria-label': `roofline of ${t.name}`,
    });
    body.append(h('div', { class: 'chart tall' }, canvas));
    mountChart(canvas, rooflineConfig(t, pal));
  },
};

const renderLayers: TargetView = (body, t, s, _pal, ev) => {
  body.append(layerTable(t, { sort: s.sort, onSort: ev.sortLayers, onReveal: ev.revealLayer }));
};

/** Save the view's chart as PNG or SVG (views with one chart). */
function chartTools(body: HTMLElement, view: View, ev: AppEvents): void {
  const canvas = body.querySelector('canvas');
  if (!canvas) return;
  const save = h(
    'button',
    {
      type: 'button',
      class: 'export chart-export',
      'data-testid': 'export-chart',
      title: 'Save this chart as a PNG image',
    },
    'Save chart as PNG…',
  );
  save.addEventListener('click', () => ev.exportChart(view, (canvas as HTMLCanvasElement).toDataURL('image/png')));
  const svg = h(
    'button',
    {
      type: 'button',
      class: 'export chart-export',
      'data-testid': 'export-chart-svg',
      title: 'Save this chart as an SVG vector image (for papers and slides)',
    },
    'SVG…',
  );
  svg.addEventListener('click', () => {
    const url = chartSvgDataUrl(canvas as HTMLCanvasElement);
    if (url) ev.exportChart(view, url);
  });
  body.prepend(h('div', { class: 'chart-tools' }, save, ' ', svg));
}
