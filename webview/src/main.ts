// Webview bootstrap: acquire the VS Code API, restore state, render, validate every host message, tell the host
// `ready` (it queues messages until then), report `rendered`, and re-theme when VS Code switches themes.
import './style.css';
import type { HostMessage, WebviewMessage } from './protocol';
import { isSimulationResult, parseHostMessage, parseState, type DashboardState } from './protocol';
import { decodeWireInBrowser } from './wire';
import { chartSummary } from './render/charts';
import { renderApp } from './render/app';
import { timelineFrames } from './render/timelineZoom';
import { paletteFrom } from './theme';

interface VsCodeApi {
  postMessage(msg: WebviewMessage): void;
  getState(): unknown;
  setState(s: DashboardState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('main'));
let state = parseState(vscode.getState());
const restored = state.result !== null;
/** The scaling curve asked for and not yet answered (one request per document and target). */
let pendingScaling: string | null = null;
/** The mapping asked for and not yet answered (document and layer). */
let pendingMapping: string | null = null;
/** The explanation asked for and not yet answered (document, target and layer). */
let pendingExplain: string | null = null;
/** Counts the results received: a wire result still being decoded is dropped when a newer one came. */
let wireSeq = 0;

const palette = () => {
  const cs = getComputedStyle(document.documentElement);
  return paletteFrom((n) => cs.getPropertyValue(n));
};

function render(): void {
  try {
    const info = renderApp(root, state, palette(), {
      setView: (v) => update({ view: v }),
      setTarget: (name) => update({ target: name }),
      sortLayers: (key) =>
        update({ sort: { key, dir: state.sort.key === key && state.sort.dir === 'desc' ? 'asc' : 'desc' } }),
      revealLayer: (layer) => state.uri && vscode.postMessage({ type: 'revealLayer', uri: state.uri, layer }),
      exportTrace: () => state.uri && vscode.postMessage({ type: 'exportTrace', uri: state.uri }),
      exportReport: () => state.uri && vscode.postMessage({ type: 'exportReport', uri: state.uri }),
      exportChart: (name, dataUrl) => vscode.postMessage({ type: 'exportChart', name, dataUrl }),
      pickMappingLayer: (layer) => update({ mappingLayer: layer }),
      pickExplainLayer: (layer) => update({ explainLayer: layer }),
      pickSweepPair: (pair) => update({ sweepPair: pair }),
      openDesign: (index) => {
        if (state.sweep) vscode.postMessage({ type: 'openDesign', uri: state.sweep.uri, index });
      },
      requestExplain: (layer) => {
        const target =
          state.result?.targets.find((x) => x.name === state.target)?.name ?? state.result?.targets[0]?.name;
        const key = `${state.uri}|${target}|${layer}`;
        if (state.uri && target && pendingExplain !== key) {
          pendingExplain = key;
          vscode.postMessage({ type: 'requestExplain', uri: state.uri, target, layer });
        }
      },
      requestMapping: (layer) => {
        if (state.uri && pendingMapping !== `${state.uri}|${layer}`) {
          pendingMapping = `${state.uri}|${layer}`;
          vscode.postMessage({ type: 'requestMapping', uri: state.uri, layer });
        }
      },
      requestScaling: (target) => {
        if (state.uri && pendingScaling !== `${state.uri}|${target}`) {
          pendingScaling = `${state.uri}|${target}`;
          vscode.postMessage({ type: 'requestScaling', uri: state.uri, target });
        }
      },
    });
    vscode.postMessage({ type: 'rendered', info });
  } catch (e) {
    root.textContent = `The dashboard could not draw this result: ${String(e)}`;
    vscode.postMessage({ type: 'log', level: 'error', message: `render failed: ${String((e as Error)?.stack ?? e)}` });
  }
}

function update(patch: Partial<DashboardState>): void {
  state = { ...state, ...patch };
  persist();
  render();
}

/**
 * Saves the state for a reload or a VS Code restart. A large result (ResNet-50 on six targets is ~5 MB of JSON) is
 * left out (assumption: 2 MB is a reasonable bound for webview state); the host then re-simulates `uri` on restore.
 */
const resultSize = new WeakMap<object, number>();
function persist(): void {
  const MAX_STATE_CHARS = 2_000_000;
  try {
    const r = state.result;
    // Estimated from its size (a layer phase is ~350 characters of JSON, its ~2 timeline events ~110 each; serialising
    // the result to measure took ~100 ms for ResNet-50 and ~1.5 s for a 10,000-layer network, and reading its layers
    // would build them: a decoded wire result builds them only when a view needs them).
    if (r && !resultSize.has(r))
      resultSize.set(r, 1000 + r.targets.length * (500 + r.network.layerCount * (80 + 4 * 350 + 8 * 110)));
    const size = r ? resultSize.get(r)! : 0;
    vscode.setState(size > MAX_STATE_CHARS ? { ...state, result: null } : state);
  } catch (e) {
    vscode.postMessage({ type: 'log', level: 'warn', message: `could not save the dashboard state: ${String(e)}` });
  }
}

function onHost(m: HostMessage): void {
  switch (m.type) {
    case 'resultWire': {
      const seq = ++wireSeq;
      decodeWireInBrowser(m.wire)
        .then((result) => {
          if (seq !== wireSeq) return; // a newer message came meanwhile
          if (!isSimulationResult(result, false)) throw new Error('the decoded result is malformed');
          onHost({ type: 'result', uri: m.uri, version: m.version, elapsedMs: m.elapsedMs, result });
        })
        .catch((e) =>
          vscode.postMessage({
            type: 'log',
            level: 'error',
            message: `could not decode the result of ${m.uri}: ${String(e)}`,
          }),
        );
      break;
    }
    case 'result': {
      const keep = m.result.targets.some((t) => t.name === state.target);
      // a new result may come from changed parameters: its scaling curve is asked for again
      update({
        uri: m.uri,
        result: m.result,
        error: null,
        elapsedMs: m.elapsedMs,
        target: keep ? state.target : (m.result.targets[0]?.name ?? null),
        scaling: null,
        mapping: null,
        explain: null,
      });
      pendingScaling = null;
      pendingMapping = null;
      pendingExplain = null;
      break;
    }
    case 'error':
      update({ error: m.message, uri: m.uri, result: state.uri === m.uri ? state.result : null });
      break;
    case 'show':
      if (m.view !== state.view) update({ view: m.view });
      break;
    case 'sweep':
      update({ sweep: m.report, sweepPair: null, view: 'sweep' });
      break;
    case 'explain':
      pendingExplain = null;
      update({
        explain: {
          uri: m.uri,
          target: m.target,
          layer: m.layer,
          ...(m.report ? { report: m.report } : {}),
          ...(m.error ? { error: m.error } : {}),
        },
      });
      break;
    case 'mapping':
      pendingMapping = null;
      update({
        mapping: {
          uri: m.uri,
          layer: m.layer,
          ...(m.report ? { report: m.report } : {}),
          ...(m.error ? { error: m.error } : {}),
        },
      });
      break;
    case 'scaling':
      pendingScaling = null;
      update({ scaling: { uri: m.uri, target: m.target, points: m.points, ...(m.error ? { error: m.error } : {}) } });
      break;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseHostMessage(e.data);
  if (!m) {
    vscode.postMessage({
      type: 'log',
      level: 'warn',
      message: `ignored a malformed message: ${JSON.stringify(e.data)?.slice(0, 200)}`,
    });
    return;
  }
  if (m.type === 'result' || m.type === 'error') wireSeq++; // a result still being decoded is older than this
  onHost(m);
});

// VS Code swaps vscode-light / vscode-dark / vscode-high-contrast on <body> and rewrites the --vscode-* variables.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// Debug/test hook: what the charts on screen hold.
(window as unknown as { accelmapDebug: unknown }).accelmapDebug = {
  charts: chartSummary,
  state: () => state,
  decode: decodeWireInBrowser,
  timelineFrames,
};

render();
vscode.postMessage({ type: 'ready', restored });
