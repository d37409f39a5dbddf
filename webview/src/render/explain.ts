// The Explain view: where a target's time goes — for the whole step or a layer (slowest first) — as its terms with
// the arithmetic behind each (FLOPs at the rate achieved against the peak, the bounding level's bytes at its
// bandwidth, how the terms combine), and the knobs that move it most, ranked, each with where its value came from
// (preset and source tag, spec line, or the kind's default). Fetched on demand (accelmap/explain): sensitivities cost
// a re-simulation per knob.
import type { ExplainReport, TargetResult } from '../../../server/src/sim/types';
import { sensitivityConfig } from '../charts/sensitivity';
import { num, pct, si } from '../format';
import type { DashboardState } from '../protocol';
import type { Palette } from '../theme';
import { mountChart } from './charts';
import { h, table } from './dom';
import { slowestFirst } from './order';

/** Knobs drawn in the chart (the table lists every one that matters). */
const CHART_ROWS = 12;

export function explainView(
  body: HTMLElement,
  s: DashboardState,
  t: TargetResult,
  pal: Palette,
  ev: { pickLayer(layer: string): void; requestExplain(layer: string): void },
): number {
  const layers = slowestFirst(t);
  const layer = s.explainLayer && layers.includes(s.explainLayer) ? s.explainLayer : '';
  body.append(scopePicker(layers, layer, ev.pickLayer));
  const r = fetchedReport(body, s, t, layer, ev.requestExplain);
  if (!r) return 0;
  const what = `${layer || 'the step'} on ${t.name}`;
  body.append(
    h(
      'p',
      { class: 'meta', 'data-testid': 'explain-total' },
      `${layer || 'the whole step'} on ${t.name}: ${si(r.timeS, 's')}, ${si(r.energyJ, 'J')}`,
    ),
  );
  if (r.phases.length) body.append(termsTable(r));
  else if (r.totals)
    body.append(
      h(
        'p',
        { class: 'meta' },
        `compute, memory and overhead per layer phase add up to ${si(r.totals.timeS, 's')}; exposed offload/host overhead ${si(r.totals.offloadOverheadS, 's')}; utilization ${pct(r.totals.utilization)}. Pick a layer for its terms.`,
      ),
    );
  const moving = r.sensitivities.filter((x) => x.time !== 0 || x.energy !== 0);
  const still = r.sensitivities.length - moving.length;
  const canvas = h('canvas', { 'data-testid': 'explain-chart', role: 'img', 'aria-label': `what moves ${what}` });
  const box = h('div', { class: 'chart' }, canvas);
  box.style.height = `${Math.max(160, 60 + 26 * Math.min(CHART_ROWS, moving.length))}px`;
  body.append(box);
  mountChart(canvas, sensitivityConfig(moving.slice(0, CHART_ROWS), `what moves ${what}`, pal));
  body.append(sensitivityTable(moving));
  body.append(
    h(
      'p',
      { class: 'meta' },
      `Elasticity d ln(result) / d ln(knob): -1 means 1% more of the knob gives 1% less. ${still ? `${still} more knob${still > 1 ? 's' : ''} of ${t.name} do not change this result.` : ''}`,
    ),
  );
  return moving.length;
}

function scopePicker(layers: string[], layer: string, pick: (layer: string) => void): HTMLElement {
  const sel = h('select', { 'aria-label': 'what to explain', 'data-testid': 'explain-layer' });
  sel.append(h('option', { value: '', selected: layer === '' }, 'the whole training step'));
  for (const n of layers) sel.append(h('option', { value: n, selected: n === layer }, n));
  sel.addEventListener('change', () => pick(sel.value));
  return h('p', { class: 'controls' }, h('label', {}, 'explain ', sel), ' (layers slowest first on this target)');
}

/**
 * The explanation of `layer` ('' = the step) on the target once fetched; else a message (working, the error) is
 * appended and undefined returned (a fetch is asked for when the state holds another scope's answer).
 */
function fetchedReport(
  body: HTMLElement,
  s: DashboardState,
  t: TargetResult,
  layer: string,
  request: (layer: string) => void,
): ExplainReport | undefined {
  const a = s.explain;
  if (!a || a.uri !== s.uri || a.target !== t.name || a.layer !== layer) {
    const text = `Working out what moves ${layer || 'the step'} on ${t.name}…`;
    body.append(h('p', { class: 'empty', 'data-testid': 'explain-pending' }, text));
    request(layer);
    return undefined;
  }
  if (a.error || !a.report) {
    body.append(h('div', { class: 'error', role: 'alert' }, a.error ?? 'No explanation.'));
    return undefined;
  }
  return a.report;
}

/** Each phase's time, bound and the arithmetic of its terms (and its mapping, where the target reports one). */
function termsTable(r: ExplainReport): HTMLElement {
  return table(
    { class: 'explain-terms', 'data-testid': 'explain-terms' },
    ['phase', 'time', 'bound', 'where it comes from'],
    r.phases.map((p) =>
      h(
        'tr',
        { 'data-phase': p.phase },
        h('th', { scope: 'row' }, p.phase),
        h('td', { class: 'num' }, si(p.timeS, 's')),
        h('td', {}, p.bound),
        h(
          'td',
          {},
          h(
            'ul',
            { class: 'formulas' },
            ...p.formulas.map((f) => h('li', {}, f)),
            ...(p.mapping ? [h('li', { class: 'meta' }, `mapping: ${p.mapping}`)] : []),
          ),
        ),
      ),
    ),
  );
}

/** The knobs that move the result, ranked, with their values, elasticities and where each value came from. */
function sensitivityTable(moving: ExplainReport['sensitivities']): HTMLElement {
  return table(
    { class: 'sensitivities', 'data-testid': 'explain-sensitivities' },
    ['#', 'knob', 'value', 'time', 'energy', 'where the value comes from'],
    moving.map((x, i) =>
      h(
        'tr',
        { 'data-path': x.path },
        h('td', { class: 'num' }, String(i + 1)),
        h('th', { scope: 'row' }, x.path),
        h('td', { class: 'num' }, x.valueText ?? num(x.value)),
        h('td', { class: 'num', 'data-col': 'time' }, signed(x.time)),
        h('td', { class: 'num', 'data-col': 'energy' }, signed(x.energy)),
        h('td', { class: 'meta' }, x.source),
      ),
    ),
  );
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
