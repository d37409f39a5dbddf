// Renders the whole dashboard from its state: header, tabs, target selector, and the active view.
import type { SweepObjective, TargetResult } from '../../../server/src/sim/types';
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
    layers: t?.layers.length ?? 0,
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
      const n = sweepView(body, s, pal, { pickPair: ev.pickSweepPair, openDesign: ev.openDesign });
      info.sweepPoints = n.points;
      info.sweepFront = n.front;
      return info;
    }
    if (!s.error)
      root.append(
        h('p', { class: 'empty' }, 'Waiting for a simulation… Save a network spec or run “accelmap: Run Simulation”.'),
      );
    return info;
  }

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
      title: 'Save a self-contained HTML report: summary, charts, per-layer tables, assumptions and sources',
    },
    'Export report…',
  );
  reportBtn.addEventListener('click', () => ev.exportReport());
  root.append(
    h(
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
    ),
  );

  const tabs = h('nav', { class: 'tabs', role: 'tablist' });
  for (const v of Object.keys(TAB_LABEL) as View[]) {
    const b = h(
      'button',
      { type: 'button', role: 'tab', 'aria-selected': String(v === s.view), 'data-view': v },
      TAB_LABEL[v],
    );
    b.addEventListener('click', () => ev.setView(v));
    tabs.append(b);
  }
  if (!ALL_TARGETS.includes(s.view) && r.targets.length) {
    const sel = h('select', { 'aria-label': 'target', 'data-testid': 'target' });
    for (const x of r.targets) sel.append(h('option', { value: x.name, selected: x.name === t?.name }, x.name));
    sel.addEventListener('change', () => ev.setTarget(sel.value));
    tabs.append(h('label', { class: 'target' }, 'target ', sel));
  }
  root.append(tabs);

  const body = h('div', { class: `view view-${s.view}`, role: 'tabpanel' });
  root.append(body);
  if (s.view === 'summary') {
    body.append(summaryTable(r));
    if (r.targets.length) {
      const canvas = h('canvas', {
        'data-testid': 'phase-split',
        role: 'img',
        'aria-label': 'share of each training phase per target',
      });
      const box = h('div', { class: 'chart' }, canvas);
      body.append(box);
      box.style.height = `${Math.max(160, 90 + 30 * r.targets.length)}px`;
      mountChart(canvas, phaseSplitConfig(r, pal));
    }
  } else if (s.view === 'energy') {
    const canvas = h('canvas', {
      'data-testid': 'energy-split',
      role: 'img',
      'aria-label': 'share of each energy component per target',
    });
    const box = h('div', { class: 'chart' }, canvas);
    body.append(box);
    box.style.height = `${Math.max(160, 90 + 30 * r.targets.length)}px`;
    mountChart(canvas, energySplitConfig(r, pal));
    body.append(bytesTable(r));
  } else if (s.view === 'compare') {
    body.append(compareTable(r, ev.revealLayer));
  } else if (s.view === 'sweep') {
    const n = sweepView(body, s, pal, { pickPair: ev.pickSweepPair, openDesign: ev.openDesign });
    info.sweepPoints = n.points;
    info.sweepFront = n.front;
  } else if (!t) {
    body.append(h('p', { class: 'empty' }, 'No target was simulated.'));
  } else if (s.view === 'timeline') {
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
  } else if (s.view === 'scaling') {
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
  } else if (s.view === 'explain') {
    info.explainRows = explainView(body, s, t, pal, {
      pickLayer: ev.pickExplainLayer,
      requestExplain: ev.requestExplain,
    });
  } else if (s.view === 'mapping') {
    info.mappingPhases = mappingView(body, s, t, pal, {
      pickLayer: ev.pickMappingLayer,
      requestMapping: ev.requestMapping,
    });
  } else if (s.view === 'roofline') {
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
  } else {
    body.append(layerTable(t, { sort: s.sort, onSort: ev.sortLayers, onReveal: ev.revealLayer }));
  }
  const canvas = body.querySelector('canvas');
  if (canvas && s.view !== 'mapping' && s.view !== 'explain' && s.view !== 'sweep') {
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
    save.addEventListener('click', () => ev.exportChart(s.view, (canvas as HTMLCanvasElement).toDataURL('image/png')));
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
      if (url) ev.exportChart(s.view, url);
    });
    body.prepend(h('div', { class: 'chart-tools' }, save, ' ', svg));
  }
  return info;
}
