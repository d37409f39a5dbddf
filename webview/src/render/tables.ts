// DOM of the summary table (per target) and the per-layer table (sortable by clicking a header).
import type { SimulationResult, TargetResult } from '../../../server/src/sim/types';
import { num, pct, si, times } from '../format';
import { layerRows, sortLayerRows, summaryRows } from '../tables';
import { PHASE_LABEL } from '../theme';
import { compareLayers } from '../compare';
import { h, table } from './dom';

export function summaryTable(r: SimulationResult): HTMLElement {
  const rows = summaryRows(r);
  const head = [
    'target',
    'kind',
    'step time',
    'samples/s',
    'energy/step',
    'FLOP/s/W',
    'utilization',
    'offload share',
    'vs baseline',
  ];
  const summary = table(
    { class: 'summary', 'data-testid': 'summary' },
    head,
    rows.map((x) =>
      h(
        'tr',
        { 'data-target': x.name, class: x.isBaseline ? 'baseline' : undefined },
        h('th', { scope: 'row', 'data-col': 'name' }, x.name),
        h('td', { 'data-col': 'kind' }, x.kind),
        h('td', { 'data-col': 'time', class: 'num' }, si(x.timeS, 's')),
        h('td', { 'data-col': 'samplesPerS', class: 'num' }, num(x.samplesPerS)),
        h('td', { 'data-col': 'energy', class: 'num' }, si(x.energyJ, 'J')),
        h('td', { 'data-col': 'flopsPerW', class: 'num' }, si(x.flopsPerW, 'FLOP/s/W')),
        h('td', { 'data-col': 'utilization', class: 'num' }, pct(x.utilization)),
        h('td', { 'data-col': 'offload', class: 'num' }, pct(x.offloadShare)),
        h(
          'td',
          {
            'data-col': 'vsBaseline',
            class: 'num',
            title: x.baselineName
              ? `vs ${x.baselineName}${x.energyRatio !== null ? `; energy ratio ${times(x.energyRatio)}` : ''}`
              : undefined,
          },
          x.isBaseline ? 'baseline' : vsBaseline(x.speedup),
        ),
      ),
    ),
  );
  // Notes (assumptions and limits of each model) folded per target so the table stays in view.
  const notes = rows
    .filter((x) => x.notes.length)
    .map((x) =>
      h(
        'details',
        { class: 'notes' },
        h('summary', {}, `${x.name}: ${x.notes.length} note${x.notes.length > 1 ? 's' : ''} and assumptions`),
        h('ul', {}, ...x.notes.map((n) => h('li', {}, n))),
      ),
    );
  return h(
    'section',
    { class: 'summary-section' },
    h('div', { class: 'scroll' }, summary),
    notes.length ? h('div', { 'data-testid': 'notes' }, ...notes) : null,
  );
}

export interface LayerTableOpts {
  sort: { key: string; dir: 'asc' | 'desc' };
  onSort(key: string): void;
  onReveal(layer: string): void;
}

export function layerTable(t: TargetResult, o: LayerTableOpts): HTMLElement {
  const rows = sortLayerRows(layerRows(t), o.sort.key, o.sort.dir);
  const cols: [string, string][] = [
    ['name', 'layer'],
    ['op', 'op'],
    ['timeS', 'time'],
    ['share', 'share'],
    ['fwd', PHASE_LABEL.fwd],
    ['bwd_data', PHASE_LABEL.bwd_data],
    ['bwd_weight', PHASE_LABEL.bwd_weight],
    ['update', PHASE_LABEL.update],
    ['energyJ', 'energy'],
    ['flops', 'FLOP'],
  ];
  const arrow = (k: string): string => (o.sort.key === k ? (o.sort.dir === 'asc' ? ' ▲' : ' ▼') : '');
  const header = h(
    'tr',
    {},
    ...cols.map(([k, label]) => {
      const b = h('button', { type: 'button', class: 'sort', 'data-sort': k }, label + arrow(k));
      b.addEventListener('click', () => o.onSort(k));
      return h(
        'th',
        {
          scope: 'col',
          'aria-sort': o.sort.key === k ? (o.sort.dir === 'asc' ? 'ascending' : 'descending') : undefined,
        },
        b,
      );
    }),
    h('th', { scope: 'col' }, 'bound'),
  );
  const body = rows.map((r) => {
    const link = h('button', { type: 'button', class: 'link', title: 'Show this layer in the spec' }, r.name);
    link.addEventListener('click', () => o.onReveal(r.name));
    return h(
      'tr',
      { 'data-layer': r.name },
      h('th', { scope: 'row' }, link),
      h('td', {}, r.op),
      h('td', { class: 'num', 'data-col': 'time' }, si(r.timeS, 's')),
      h('td', { class: 'num' }, pct(r.share)),
      h('td', { class: 'num' }, si(r.phaseS.fwd, 's')),
      h('td', { class: 'num' }, si(r.phaseS.bwd_data, 's')),
      h('td', { class: 'num' }, si(r.phaseS.bwd_weight, 's')),
      h('td', { class: 'num' }, si(r.phaseS.update, 's')),
      h('td', { class: 'num' }, si(r.energyJ, 'J')),
      h('td', { class: 'num' }, si(r.flops, 'FLOP')),
      h('td', {}, r.bound),
    );
  });
  return h('table', { class: 'layers', 'data-testid': 'layers' }, h('thead', {}, header), h('tbody', {}, ...body));
}

/** Speedup over the baseline as words: 2 -> `2× faster`, 0.1 -> `10× slower`. */
export function vsBaseline(speedup: number | null): string {
  if (speedup === null || !Number.isFinite(speedup) || speedup <= 0) return '–';
  return speedup >= 1 ? `${times(speedup)} faster` : `${times(1 / speedup)} slower`;
}

/** Bytes moved per memory level per target (one row per target, one column per level any target has). */
export function bytesTable(r: SimulationResult): HTMLElement {
  const levels = [...new Set(r.targets.flatMap((t) => Object.keys(t.totals.bytes)))];
  return h(
    'table',
    { class: 'bytes', 'data-testid': 'bytes' },
    h('caption', {}, 'bytes moved per memory level, one training step'),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'target'), ...levels.map((l) => h('th', { scope: 'col' }, l))),
    ),
    h(
      'tbody',
      {},
      ...r.targets.map((t) =>
        h(
          'tr',
          { 'data-target': t.name },
          h('th', { scope: 'row' }, t.name),
          ...levels.map((l) =>
            h(
              'td',
              { class: 'num', 'data-col': l },
              t.totals.bytes[l] !== undefined ? si(t.totals.bytes[l], 'B') : '–',
            ),
          ),
        ),
      ),
    ),
  );
}

/** Which target wins each layer (time of all phases) and by how much; click a layer to reveal it in the spec. */
export function compareTable(r: SimulationResult, onReveal: (layer: string) => void): HTMLElement {
  const c = compareLayers(r);
  if (c.targets.length < 2)
    return h(
      'p',
      { class: 'empty', 'data-testid': 'compare-empty' },
      'Simulate on two or more targets to compare them layer by layer.',
    );
  const wins = h(
    'p',
    { class: 'meta', 'data-testid': 'wins' },
    'fastest on: ',
    c.targets.map((t, i) => `${t} ${c.wins[i]} layer${c.wins[i] === 1 ? '' : 's'}`).join(' · '),
  );
  const table = h(
    'table',
    { class: 'compare', 'data-testid': 'compare' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'layer'),
        h('th', { scope: 'col' }, 'op'),
        ...c.targets.map((t) => h('th', { scope: 'col' }, t)),
        h('th', { scope: 'col' }, 'fastest'),
        h('th', { scope: 'col' }, 'by'),
      ),
    ),
    h(
      'tbody',
      {},
      ...c.rows.map((row) => {
        const link = h('button', { type: 'button', class: 'link', title: 'show this layer in the spec' }, row.layer);
        link.addEventListener('click', () => onReveal(row.layer));
        return h(
          'tr',
          { 'data-layer': row.layer },
          h('th', { scope: 'row' }, link),
          h('td', {}, row.op),
          ...row.times.map((v, i) =>
            h('td', { class: `num${i === row.winner ? ' winner' : ''}` }, v === null ? '–' : si(v, 's')),
          ),
          h('td', { 'data-col': 'winner' }, row.winner >= 0 ? c.targets[row.winner] : '–'),
          h(
            'td',
            { class: 'num', 'data-col': 'margin' },
            row.winner >= 0 && row.times.filter((x) => x !== null && x > 0).length > 1 ? times(row.margin) : '–',
          ),
        );
      }),
    ),
  );
  return h('div', {}, wins, table);
}

/** The scaling points: devices, batch, strategy, step, speed-up, efficiency, the step split, memory per device. */
export function scalingTable(points: import('../../../server/src/kinds/system/scaling').ScalingPoint[]): HTMLElement {
  const head = [
    'devices',
    'batch',
    'dp × tp × pp',
    'step',
    'samples/s',
    'speed-up',
    'efficiency',
    'MFU',
    'exposed comm.',
    'bubble',
    'memory/device',
  ];
  return table(
    { class: 'scaling', 'data-testid': 'scaling-table' },
    head,
    points.map((p) =>
      h(
        'tr',
        {
          'data-devices': String(p.devices),
          class: p.fits ? undefined : 'nofit',
          title: p.fits ? undefined : 'does not fit in the device memory',
        },
        h('th', { scope: 'row' }, String(p.devices)),
        h('td', { class: 'num' }, String(p.batch)),
        h('td', {}, `${p.strategy.dp} × ${p.strategy.tp} × ${p.strategy.pp}`),
        h('td', { class: 'num' }, si(p.timeS, 's')),
        h('td', { class: 'num' }, num(p.samplesPerS)),
        h('td', { class: 'num', 'data-col': 'speedup' }, times(p.speedup)),
        h('td', { class: 'num', 'data-col': 'efficiency' }, pct(p.efficiency)),
        h('td', { class: 'num' }, pct(p.mfu)),
        h('td', { class: 'num' }, pct(p.exposedCommS / p.timeS)),
        h('td', { class: 'num' }, pct(p.bubbleS / p.timeS)),
        h('td', { class: 'num' }, `${si(p.memoryB, 'B')}${p.fits ? '' : ' (does not fit)'}`),
      ),
    ),
  );
}
