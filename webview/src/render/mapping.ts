// The Mapping view: how one layer is mapped on the chosen target, phase by phase. A spatial target shows each phase's
// loop nest (tiles per level), each level's occupancy against its capacity, the access energy per level and tensor
// as a chart, and the spread of what the mapper saw (best / median / worst); a seed target shows its model's own
// choice (NTX tile and commands, NeuroTrainer data flow, CATERPILLAR mode, IMC engine, GradPIM update, GPU kernel).
import type { MappingPhaseView, MappingTargetView, TargetResult } from '../../../server/src/sim/types';
import { mappingAccessConfig } from '../charts/mappingAccess';
import { num, pct, si, times } from '../format';
import type { DashboardState } from '../protocol';
import type { Palette } from '../theme';
import { mountChart } from './charts';
import { h, table } from './dom';
import { slowestFirst } from './order';

/** Layers the view offers: those with a mapping on this target (the phases with a `mapping`), slowest first. */
export const mappedLayers = (t: TargetResult): string[] =>
  slowestFirst(t, (l) => l.phases.some((p) => p.mapping !== undefined));

const STATUS: Record<MappingPhaseView['status'], string> = {
  searched: 'found by the mapper',
  pinned: 'pinned in the spec',
  provisional: 'provisional (the full search is running)',
  fixed: "the target model's own choice",
};

export function mappingView(
  body: HTMLElement,
  s: DashboardState,
  t: TargetResult,
  pal: Palette,
  ev: { pickLayer(layer: string): void; requestMapping(layer: string): void },
): number {
  const layers = mappedLayers(t);
  if (!layers.length) {
    body.append(
      h('p', { class: 'empty', 'data-testid': 'mapping-empty' }, `${t.name} reports no mapping choice for any layer.`),
    );
    return 0;
  }
  const layer = s.mappingLayer && layers.includes(s.mappingLayer) ? s.mappingLayer : layers[0];
  body.append(layerPicker(layers, layer, ev.pickLayer));
  const view = fetchedView(body, s, t, layer, ev.requestMapping);
  if (!view) return 0;
  if (view.kind !== 'spatial') {
    body.append(seedChoices(view));
    body.append(
      h(
        'p',
        { class: 'meta' },
        `${STATUS.fixed}: ${t.kind} maps every layer by its model's rule; its knobs are in the hardware spec.`,
      ),
    );
    return view.phases.length;
  }
  for (const p of view.phases) {
    const { sec, canvas } = spatialPhase(p);
    body.append(sec);
    mountChart(canvas, mappingAccessConfig(p, pal));
  }
  return view.phases.length;
}

function layerPicker(layers: string[], layer: string, pick: (layer: string) => void): HTMLElement {
  const sel = h('select', { 'aria-label': 'layer', 'data-testid': 'mapping-layer' });
  for (const n of layers) sel.append(h('option', { value: n, selected: n === layer }, n));
  sel.addEventListener('change', () => pick(sel.value));
  return h('p', { class: 'controls' }, h('label', {}, 'layer ', sel), ' (slowest first on this target)');
}

/**
 * The target's mapping of `layer` once it has been fetched; else a message (fetching, the error, no mapping) is
 * appended and undefined returned (a fetch is asked for when the state holds another layer's answer).
 */
function fetchedView(
  body: HTMLElement,
  s: DashboardState,
  t: TargetResult,
  layer: string,
  request: (layer: string) => void,
): MappingTargetView | undefined {
  const a = s.mapping;
  if (!a || a.uri !== s.uri || a.layer !== layer) {
    body.append(h('p', { class: 'empty', 'data-testid': 'mapping-pending' }, `Fetching the mapping of ${layer}…`));
    request(layer);
    return undefined;
  }
  if (a.error || !a.report) {
    body.append(h('div', { class: 'error', role: 'alert' }, a.error ?? 'No mapping.'));
    return undefined;
  }
  const view = a.report.targets.find((x) => x.target === t.name);
  if (!view || !view.phases.length) {
    const text = view?.note ?? `${t.name} has no mapping for ${layer}.`;
    body.append(h('p', { class: 'empty', 'data-testid': 'mapping-empty' }, text));
    return undefined;
  }
  return view;
}

/** A seed target's own choice per phase: its summary, utilization, energy and bytes per level. */
function seedChoices(view: MappingTargetView): HTMLElement {
  return table(
    { class: 'mapping-choices', 'data-testid': 'mapping-choices' },
    ['phase', 'mapping', 'utilization', 'energy', 'bytes per level'],
    view.phases.map((p) =>
      h(
        'tr',
        { 'data-phase': p.phase },
        h('th', { scope: 'row' }, p.phase),
        h('td', {}, p.summary),
        h('td', { class: 'num' }, pct(p.utilization)),
        h('td', { class: 'num' }, si(p.energyJ, 'J')),
        h(
          'td',
          {},
          Object.entries(p.bytes ?? {})
            .map(([k, v]) => `${k} ${si(v, 'B')}`)
            .join(' · '),
        ),
      ),
    ),
  );
}

/** One phase of a spatial target: heading, figures, the mapper's spread, occupancy, the chart's canvas, the nest. */
function spatialPhase(p: MappingPhaseView): { sec: HTMLElement; canvas: HTMLCanvasElement } {
  const sec = h('section', {
    class: 'mapping-phase',
    'data-testid': 'mapping-phase',
    'data-phase': p.phase,
    'data-status': p.status,
  });
  const nest = p.nest !== p.phase && !p.nest.endsWith(p.phase) ? ` (${p.nest})` : '';
  sec.append(h('h3', {}, `${p.phase}${nest} — ${STATUS[p.status]}`));
  sec.append(
    h(
      'p',
      { class: 'meta' },
      `${pct(p.utilization)} of the MACs busy · ${p.cycles !== undefined ? `${num(p.cycles)} cycles · ` : ''}${si(p.energyJ, 'J')}${p.computes ? ` (${num((p.energyJ / p.computes) * 1e12)} pJ/MAC)` : ''}`,
    ),
  );
  if (p.search) {
    const sp = p.search.spread[0];
    sec.append(
      h(
        'p',
        { class: 'meta', 'data-testid': 'mapping-spread' },
        `mapper: ${num(p.search.evaluated)} mappings evaluated, ${num(p.search.legal)} legal, ${si(p.search.seconds, 's')}` +
          (sp
            ? ` · ${sp.metric}: median ${times(sp.median / sp.best)} and worst ${times(sp.worst / sp.best)} the best`
            : ''),
      ),
    );
  }
  sec.append(occupancy(p));
  const canvas = h('canvas', {
    'data-testid': 'mapping-chart',
    role: 'img',
    'aria-label': `access energy per level and tensor, ${p.phase}`,
  });
  const box = h('div', { class: 'chart' }, canvas);
  box.style.height = `${Math.max(140, 70 + 34 * p.levels.length)}px`;
  sec.append(box);
  if (p.loopNest) sec.append(h('pre', { class: 'loop-nest', 'data-testid': 'loop-nest' }, p.loopNest.join('\n')));
  return { sec, canvas };
}

/** Each level's occupancy against its capacity, whether its bandwidth keeps up, its energy and tiles per tensor. */
function occupancy(p: MappingPhaseView): HTMLElement {
  return table(
    { class: 'occupancy', 'data-testid': 'mapping-occupancy' },
    ['level', 'holds (words)', 'capacity', 'used', 'bandwidth', 'energy', 'tiles per tensor'],
    p.levels.map((l) =>
      h(
        'tr',
        { 'data-level': l.name },
        h('th', { scope: 'row' }, l.name),
        h('td', { class: 'num' }, num(l.occupancyWords)),
        h('td', { class: 'num' }, l.capacityWords !== undefined ? num(l.capacityWords) : '∞'),
        h('td', { class: 'num' }, l.capacityWords ? pct(l.occupancyWords / l.capacityWords) : '–'),
        h('td', {}, l.throttling < 1 ? `bound (${pct(l.throttling)} of compute speed)` : 'keeps up'),
        h('td', { class: 'num' }, si(l.energyJ, 'J')),
        h(
          'td',
          {},
          l.tensors.map((x) => `${x.role} ${num(x.tileWords)}${x.instances > 1 ? ` x${x.instances}` : ''}`).join(' · '),
        ),
      ),
    ),
  );
}
