// Messages between the dashboard's host (client/src/dashboard.ts) and the webview (main.ts). Both sides validate
// what they receive: a webview message is untrusted input, and a stale webview may talk an older protocol.
import type {
  ExplainReport,
  MappingReport,
  SimulationResult,
  SweepObjective,
  SweepReport,
} from '../../server/src/sim/types';
import type { ScalingPoint } from '../../server/src/kinds/system/scaling';
import type { WireResult } from '../../server/src/lsp/wireDecode';

export interface Scaling {
  uri: string;
  target: string;
  points: ScalingPoint[];
  error?: string;
}

export type View =
  'summary' | 'timeline' | 'roofline' | 'layers' | 'explain' | 'mapping' | 'energy' | 'compare' | 'scaling' | 'sweep';
export const VIEWS: readonly View[] = [
  'summary',
  'timeline',
  'roofline',
  'layers',
  'explain',
  'mapping',
  'energy',
  'compare',
  'scaling',
  'sweep',
];
export const SWEEP_OBJECTIVES: readonly SweepObjective[] = [
  'time',
  'energy',
  'edp',
  'samples_per_s',
  'samples_per_j',
  'area',
];

/** How one layer is mapped on every target (accelmap/mapping), or why it could not be shown. */
export interface MappingAnswer {
  uri: string;
  layer: string;
  report?: MappingReport;
  error?: string;
}

/** Where a target's time goes for a layer ('' = the whole step) and what moves it (accelmap/explain), or why not. */
export interface ExplainAnswer {
  uri: string;
  target: string;
  layer: string;
  report?: ExplainReport;
  error?: string;
}

/** host -> webview */
export type HostMessage =
  | { type: 'result'; uri: string; version: number | null; elapsedMs: number; result: SimulationResult }
  /** The result in the server's wire form (columns), decoded by the webview (wire.ts). */
  | { type: 'resultWire'; uri: string; version: number | null; elapsedMs: number; wire: WireResult }
  | { type: 'error'; uri: string; message: string }
  | { type: 'show'; view: View }
  | ({ type: 'scaling' } & Scaling)
  | ({ type: 'mapping' } & MappingAnswer)
  | ({ type: 'explain' } & ExplainAnswer)
  /** A sweep run from the editor (accelmap/runSweep), for the Sweep view. */
  | { type: 'sweep'; report: SweepReport };

/** What the webview reports after drawing (the e2e and browser tests assert on it). */
export interface RenderedInfo {
  view: View;
  target: string | null;
  targets: number;
  /** Layers of the network. */
  layers: number;
  timelineLanes: number;
  rooflinePoints: number;
  /** Phases the Mapping view shows (0 while its data is fetched). */
  mappingPhases: number;
  /** Knobs the Explain view ranks (0 while its data is fetched). */
  explainRows: number;
  /** Points the Sweep view draws and how many of them are on the Pareto front (0 without a sweep). */
  sweepPoints?: number;
  sweepFront?: number;
}

/** webview -> host */
export type WebviewMessage =
  | { type: 'ready'; restored: boolean }
  | { type: 'rendered'; info: RenderedInfo }
  | { type: 'revealLayer'; uri: string; layer: string }
  | { type: 'exportTrace'; uri: string }
  | { type: 'exportReport'; uri: string }
  | { type: 'requestScaling'; uri: string; target: string }
  /** The Mapping view of a layer (answered with a `mapping` message). */
  | { type: 'requestMapping'; uri: string; layer: string }
  /** Open a design point of the shown sweep as a hardware spec (an untitled document). */
  | { type: 'openDesign'; uri: string; index: number }
  /** The Explain view of a target and layer ('' = the whole step; answered with an `explain` message). */
  | { type: 'requestExplain'; uri: string; target: string; layer: string }
  /** A chart as a PNG or SVG data URL (`name`: the view it shows). */
  | { type: 'exportChart'; name: string; dataUrl: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** Persisted with `vscode.setState` (and handed to the WebviewPanelSerializer when VS Code restarts). */
export interface DashboardState {
  uri: string | null;
  result: SimulationResult | null;
  error: string | null;
  elapsedMs: number | null;
  view: View;
  target: string | null;
  sort: { key: string; dir: 'asc' | 'desc' };
  /** The last scaling curve the host sent (for the Scaling view of a system target). */
  scaling: Scaling | null;
  /** The layer the Mapping view shows (null: the slowest mapped layer of the target) and its last answer. */
  mappingLayer: string | null;
  mapping: MappingAnswer | null;
  /** The layer the Explain view shows ('' = the whole step) and its last answer. */
  explainLayer: string;
  explain: ExplainAnswer | null;
  /** The last sweep run from the editor, and the two objectives its Pareto view plots (x, y). */
  sweep: SweepReport | null;
  sweepPair: [SweepObjective, SweepObjective] | null;
}

export const initialState = (): DashboardState => ({
  uri: null,
  result: null,
  error: null,
  elapsedMs: null,
  view: 'summary',
  target: null,
  sort: { key: 'timeS', dir: 'desc' },
  scaling: null,
  mappingLayer: null,
  mapping: null,
  explainLayer: '',
  explain: null,
  sweep: null,
  sweepPair: null,
});

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isView = (x: unknown): x is View => isStr(x) && (VIEWS as readonly string[]).includes(x);

/** Shallow structural check of a SimulationResult: enough that the renderers can index it without throwing. */
/**
 * A SimulationResult's shape. `deep: false` for one this webview decoded itself (its per-layer rows and timeline are
 * built from the columns only when a view reads them: checking them here would build them all, ~0.4 s for a
 * 10,000-layer result on six targets).
 */
export function isSimulationResult(x: unknown, deep = true): x is SimulationResult {
  if (!isObj(x) || !isNum(x.schemaVersion) || !isObj(x.network) || !Array.isArray(x.targets)) return false;
  return x.targets.every(
    (t) =>
      isObj(t) &&
      isStr(t.name) &&
      isObj(t.totals) &&
      isObj(t.peak) &&
      (!deep ||
        (Array.isArray(t.layers) &&
          Array.isArray(t.timeline) &&
          t.layers.every((l) => isObj(l) && isStr(l.name) && Array.isArray(l.phases)))),
  );
}

export function parseHostMessage(x: unknown): HostMessage | null {
  if (!isObj(x)) return null;
  switch (x.type) {
    case 'result':
      return isStr(x.uri) &&
        isSimulationResult(x.result) &&
        (x.version === null || isNum(x.version)) &&
        isNum(x.elapsedMs)
        ? { type: 'result', uri: x.uri, version: x.version as number | null, elapsedMs: x.elapsedMs, result: x.result }
        : null;
    case 'resultWire':
      return isStr(x.uri) &&
        isObj(x.wire) &&
        isNum(x.wire.wire) &&
        isObj(x.wire.network) &&
        Array.isArray(x.wire.targets) &&
        isObj(x.wire.layers) &&
        (x.version === null || isNum(x.version)) &&
        isNum(x.elapsedMs)
        ? {
            type: 'resultWire',
            uri: x.uri,
            version: x.version as number | null,
            elapsedMs: x.elapsedMs,
            wire: x.wire as unknown as WireResult,
          }
        : null;
    case 'error':
      return isStr(x.uri) && isStr(x.message) ? { type: 'error', uri: x.uri, message: x.message } : null;
    case 'show':
      return isView(x.view) ? { type: 'show', view: x.view } : null;
    case 'scaling':
      return isStr(x.uri) &&
        isStr(x.target) &&
        Array.isArray(x.points) &&
        x.points.every(
          (p) => isObj(p) && isNum(p.devices) && isNum(p.speedup) && isNum(p.efficiency) && isNum(p.timeS),
        ) &&
        (x.error === undefined || isStr(x.error))
        ? {
            type: 'scaling',
            uri: x.uri,
            target: x.target,
            points: x.points as ScalingPoint[],
            ...(isStr(x.error) ? { error: x.error } : {}),
          }
        : null;
    case 'mapping':
      return isStr(x.uri) &&
        isStr(x.layer) &&
        (x.error === undefined || isStr(x.error)) &&
        (x.report === undefined || isMappingReport(x.report))
        ? {
            type: 'mapping',
            uri: x.uri,
            layer: x.layer,
            ...(x.report ? { report: x.report as MappingReport } : {}),
            ...(isStr(x.error) ? { error: x.error } : {}),
          }
        : null;
    case 'sweep':
      return isSweepReport(x.report) ? { type: 'sweep', report: x.report } : null;
    case 'explain':
      return isStr(x.uri) &&
        isStr(x.target) &&
        isStr(x.layer) &&
        (x.error === undefined || isStr(x.error)) &&
        (x.report === undefined || isExplainReport(x.report))
        ? {
            type: 'explain',
            uri: x.uri,
            target: x.target,
            layer: x.layer,
            ...(x.report ? { report: x.report as ExplainReport } : {}),
            ...(isStr(x.error) ? { error: x.error } : {}),
          }
        : null;
    default:
      return null;
  }
}

/** Enough structure that the Sweep view can index a report without throwing. */
/** The image format of a chart's data URL ('png' or 'svg'), undefined for anything else. */
export function chartFormat(dataUrl: string): 'png' | 'svg' | undefined {
  return dataUrl.startsWith('data:image/png;base64,')
    ? 'png'
    : dataUrl.startsWith('data:image/svg+xml;base64,')
      ? 'svg'
      : undefined;
}

export function isSweepReport(x: unknown): x is SweepReport {
  return (
    isObj(x) &&
    isStr(x.uri) &&
    isStr(x.name) &&
    isNum(x.total) &&
    Array.isArray(x.axes) &&
    Array.isArray(x.objectives) &&
    x.objectives.every((o) => (SWEEP_OBJECTIVES as readonly unknown[]).includes(o)) &&
    Array.isArray(x.points) &&
    x.points.every((p) => isObj(p) && isNum(p.i) && Array.isArray(p.values) && isObj(p.o)) &&
    Array.isArray(x.effects)
  );
}

/** Enough structure that the Explain view can index a report without throwing. */
export function isExplainReport(x: unknown): x is ExplainReport {
  return (
    isObj(x) &&
    isStr(x.target) &&
    isNum(x.timeS) &&
    isNum(x.energyJ) &&
    Array.isArray(x.phases) &&
    x.phases.every(
      (p) => isObj(p) && isStr(p.phase) && isNum(p.timeS) && Array.isArray(p.formulas) && p.formulas.every(isStr),
    ) &&
    Array.isArray(x.sensitivities) &&
    x.sensitivities.every(
      (v) => isObj(v) && isStr(v.path) && isNum(v.value) && isNum(v.time) && isNum(v.energy) && isStr(v.source),
    )
  );
}

/** Enough structure that the Mapping view can index a report without throwing. */
export function isMappingReport(x: unknown): x is MappingReport {
  return (
    isObj(x) &&
    isStr(x.layer) &&
    isStr(x.op) &&
    Array.isArray(x.targets) &&
    x.targets.every(
      (t) =>
        isObj(t) &&
        isStr(t.target) &&
        isStr(t.kind) &&
        Array.isArray(t.phases) &&
        t.phases.every(
          (p) =>
            isObj(p) &&
            isStr(p.phase) &&
            isStr(p.summary) &&
            isStr(p.status) &&
            isNum(p.utilization) &&
            Array.isArray(p.levels) &&
            p.levels.every((l) => isObj(l) && isStr(l.name) && isNum(l.occupancyWords) && Array.isArray(l.tensors)),
        ),
    )
  );
}

export function parseWebviewMessage(x: unknown): WebviewMessage | null {
  if (!isObj(x)) return null;
  switch (x.type) {
    case 'ready':
      return { type: 'ready', restored: x.restored === true };
    case 'rendered': {
      const i = x.info;
      if (!isObj(i) || !isView(i.view) || !(i.target === null || isStr(i.target))) return null;
      if (![i.targets, i.layers, i.timelineLanes, i.rooflinePoints, i.mappingPhases, i.explainRows].every(isNum))
        return null;
      return { type: 'rendered', info: i as unknown as RenderedInfo };
    }
    case 'revealLayer':
      return isStr(x.uri) && isStr(x.layer) ? { type: 'revealLayer', uri: x.uri, layer: x.layer } : null;
    case 'exportTrace':
      return isStr(x.uri) ? { type: 'exportTrace', uri: x.uri } : null;
    case 'exportReport':
      return isStr(x.uri) ? { type: 'exportReport', uri: x.uri } : null;
    case 'requestScaling':
      return isStr(x.uri) && isStr(x.target) ? { type: 'requestScaling', uri: x.uri, target: x.target } : null;
    case 'requestMapping':
      return isStr(x.uri) && isStr(x.layer) ? { type: 'requestMapping', uri: x.uri, layer: x.layer } : null;
    case 'openDesign':
      return isStr(x.uri) && isNum(x.index) && Number.isInteger(x.index) && x.index >= 0
        ? { type: 'openDesign', uri: x.uri, index: x.index }
        : null;
    case 'requestExplain':
      return isStr(x.uri) && isStr(x.target) && isStr(x.layer)
        ? { type: 'requestExplain', uri: x.uri, target: x.target, layer: x.layer }
        : null;
    case 'exportChart':
      // a PNG or SVG data URL of a chart, bounded (a full-HD chart is well under 2 MB)
      return isStr(x.name) &&
        /^[\w-]{1,40}$/.test(x.name) &&
        isStr(x.dataUrl) &&
        chartFormat(x.dataUrl) !== undefined &&
        x.dataUrl.length < 8_000_000
        ? { type: 'exportChart', name: x.name, dataUrl: x.dataUrl }
        : null;
    case 'log':
      return ['info', 'warn', 'error'].includes(x.level as string) && isStr(x.message)
        ? { type: 'log', level: x.level as 'info' | 'warn' | 'error', message: x.message.slice(0, 2000) }
        : null;
    default:
      return null;
  }
}

/** A state read back from storage; anything malformed is replaced by defaults rather than trusted. */
export function parseState(x: unknown): DashboardState {
  const s = initialState();
  if (!isObj(x)) return s;
  if (isStr(x.uri)) s.uri = x.uri;
  if (isSimulationResult(x.result)) s.result = x.result;
  if (isStr(x.error)) s.error = x.error;
  if (isNum(x.elapsedMs)) s.elapsedMs = x.elapsedMs;
  if (isView(x.view)) s.view = x.view;
  if (isStr(x.target)) s.target = x.target;
  if (isStr(x.mappingLayer)) s.mappingLayer = x.mappingLayer;
  if (isStr(x.explainLayer)) s.explainLayer = x.explainLayer;
  if (isObj(x.sort) && isStr(x.sort.key) && (x.sort.dir === 'asc' || x.sort.dir === 'desc'))
    s.sort = { key: x.sort.key, dir: x.sort.dir };
  return s;
}
