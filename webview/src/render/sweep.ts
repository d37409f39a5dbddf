// The Sweep view: the last sweep run from the editor (accelmap: Run Sweep). Two objectives picked by the user, the
// Pareto front among the design points (the server sends every point of every pair's front, so the front is exact),
// dominated points faded; a click on a point opens it as a hardware spec. Below, one chart per axis with the best and
// the median of the y objective for each of its values, and the front as a table.
import type { SweepObjective, SweepReport } from '../../../server/src/sim/types';
import {
  availableObjectives,
  effectConfig,
  val,
  fmtObjective,
  OBJECTIVE_LABEL,
  paretoConfig,
  paretoFront,
  type ParetoDatum,
} from '../charts/pareto';
import { SWEEP_OBJECTIVES, type DashboardState } from '../protocol';
import type { Palette } from '../theme';
import { mountChart } from './charts';
import { h, table } from './dom';

type Pair = [SweepObjective, SweepObjective];

export function sweepView(
  body: HTMLElement,
  s: DashboardState,
  pal: Palette,
  ev: { pickPair(pair: Pair): void; openDesign(index: number): void },
): { points: number; front: number } {
  const r = s.sweep;
  if (!r) {
    body.append(
      h(
        'p',
        { class: 'empty', 'data-testid': 'sweep-empty' },
        'No sweep yet: open a sweep spec (kind: sweep) and run “accelmap: Run Sweep”.',
      ),
    );
    return { points: 0, front: 0 };
  }
  const pair: Pair = s.sweepPair ?? [
    r.objectives[0] ?? 'time',
    r.objectives[1] ?? (r.objectives[0] === 'energy' ? 'time' : 'energy'),
  ];
  body.append(
    h(
      'p',
      { class: 'meta', 'data-testid': 'sweep-meta' },
      `${r.name}: ${r.total.toLocaleString('en-US')} design points of ${r.target} on ${r.network}, ${r.evaluated.toLocaleString('en-US')} evaluated, ${r.feasible.toLocaleString('en-US')} within the constraints, in ${r.seconds.toFixed(1)} s${r.cancelled ? ' (cancelled: what was evaluated)' : ''}`,
    ),
  );
  const select = (which: 0 | 1) => objectiveSelect(r, pair, which, ev.pickPair);
  body.append(h('p', { class: 'controls' }, h('label', {}, 'x ', select(0)), ' ', h('label', {}, 'y ', select(1))));
  const front = paretoFront(r.points, pair[0], pair[1]);
  const canvas = h('canvas', { 'data-testid': 'sweep-pareto', role: 'img', 'aria-label': `Pareto front of ${r.name}` });
  const box = h('div', { class: 'chart tall' }, canvas);
  body.append(box);
  const chart = mountChart(canvas, paretoConfig(r, pair[0], pair[1], front, pal));
  canvas.addEventListener('click', (e) => {
    const hit = chart.getElementsAtEventForMode(e, 'nearest', { intersect: true }, false)[0];
    if (!hit) return;
    const d = chart.data.datasets[hit.datasetIndex].data[hit.index] as unknown as ParetoDatum;
    ev.openDesign(d.i);
  });
  body.append(frontTable(r, pair, front, ev.openDesign));
  body.append(axisEffects(r, pair, pal));
  return { points: r.points.length, front: front.length };
}

/** The x (0) or y (1) objective's picker: the objectives this sweep has values for. */
function objectiveSelect(r: SweepReport, pair: Pair, which: 0 | 1, pick: (pair: Pair) => void): HTMLSelectElement {
  const sel = h('select', {
    'aria-label': which ? 'y objective' : 'x objective',
    'data-testid': which ? 'sweep-y' : 'sweep-x',
  });
  for (const o of availableObjectives(r, SWEEP_OBJECTIVES))
    sel.append(h('option', { value: o, selected: o === pair[which] }, OBJECTIVE_LABEL[o]));
  sel.addEventListener('change', () => {
    const p: Pair = [pair[0], pair[1]];
    p[which] = sel.value as SweepObjective;
    pick(p);
  });
  return sel;
}

/** The front's first 200 points: axis values (with their labels), the two objectives, a button to open the design. */
function frontTable(r: SweepReport, pair: Pair, front: ReturnType<typeof paretoFront>, open: (i: number) => void) {
  const lab = (k: number, v: number | string) => r.axes[k]?.labels?.[r.axes[k].values.indexOf(v)] ?? String(v);
  return table(
    { class: 'sweep-front', 'data-testid': 'sweep-front' },
    ['point', ...r.axes.map((a) => a.name), OBJECTIVE_LABEL[pair[0]], OBJECTIVE_LABEL[pair[1]], ''],
    front.slice(0, 200).map((p) => {
      const button = h(
        'button',
        {
          type: 'button',
          class: 'link',
          'data-testid': 'open-design',
          title: 'Open this design as a hardware spec (an untitled document you can save)',
        },
        'open as spec',
      );
      button.addEventListener('click', () => open(p.i));
      return h(
        'tr',
        { 'data-index': p.i },
        h('td', { class: 'num' }, String(p.i)),
        ...p.values.map((v, k) => h('td', { class: 'num' }, lab(k, v))),
        h('td', { class: 'num' }, fmtObjective(pair[0], val(p, pair[0]))),
        h('td', { class: 'num' }, fmtObjective(pair[1], val(p, pair[1]))),
        h('td', {}, button),
      );
    }),
  );
}

/** One chart per axis with two values or more: the best and the median of the y objective for each value. */
function axisEffects(r: SweepReport, pair: Pair, pal: Palette): HTMLElement {
  const effects = h('div', { class: 'effects' });
  for (const e of r.effects) {
    if (e.values.length < 2) continue;
    const c = h('canvas', {
      'data-testid': 'sweep-effect',
      'data-axis': e.axis,
      role: 'img',
      'aria-label': `effect of ${e.axis}`,
    });
    const b = h('div', { class: 'chart' }, c);
    b.style.height = '220px';
    effects.append(b);
    mountChart(c, effectConfig(e, pair[1], pal, r.axes.find((a) => a.name === e.axis)?.labels));
  }
  return effects;
}
