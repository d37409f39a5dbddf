// Webview panel host of the dashboard: one panel, restored across restarts by a WebviewPanelSerializer, messages
// queued until the webview says `ready`, and the last result re-sent whenever the webview (re)loads.
import type {
  ExplainResponse,
  MappingResponse,
  ReportResponse,
  ScaleResponse,
  SweepDesignResponse,
  TraceResponse,
} from '../../server/src/lsp/protocol';
import type { SweepReport } from '../../server/src/sim/types';
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { SimulationResultParams } from '../../server/src/lsp/protocol';
import {
  parseState,
  chartFormat,
  parseWebviewMessage,
  type HostMessage,
  type RenderedInfo,
  type View,
} from '../../webview/src/protocol';
import { dashboardHtml, makeNonce } from './dashboardHtml';
import { layerNameOffset } from './paths';
import { ReadyQueue } from './readyQueue';
import { specBaseName } from '../../server/src/spec/files';

export const DASHBOARD_VIEW_TYPE = 'accelmap.dashboard';

/** The server requests behind the panel's buttons and on-demand views. */
export interface DashboardRequests {
  /** The trace of a document's last run (accelmap/trace). */
  trace(uri: string): Promise<TraceResponse>;
  /** The report of a document's last run (accelmap/report): HTML, or CSV rows. */
  report(uri: string, format?: 'html' | 'csv'): Promise<ReportResponse>;
  /** A system target's scaling curve (accelmap/scale). */
  scale(uri: string, target: string): Promise<ScaleResponse>;
  /** How a layer is mapped on every target of the last run (accelmap/mapping). */
  mapping(uri: string, layer: string): Promise<MappingResponse>;
  /** Where a target's time goes for a layer ('' = the step) and what moves it (accelmap/explain). */
  explain(uri: string, target: string, layer: string): Promise<ExplainResponse>;
  /** A design point of a sweep as a hardware spec (accelmap/sweepDesign). */
  sweepDesign(uri: string, index: number): Promise<SweepDesignResponse>;
}
const NO_SERVER: DashboardRequests = {
  trace: async (uri) => ({ uri, version: null, error: 'no language server' }),
  report: async (uri) => ({ uri, version: null, error: 'no language server' }),
  scale: async (uri, target) => ({ uri, target, points: [], error: 'no language server' }),
  mapping: async (uri, layer) => ({ uri, layer, error: 'no language server' }),
  explain: async (uri) => ({ uri, error: 'no language server' }),
  sweepDesign: async (uri, index) => ({ uri, index, error: 'no language server' }),
};

export class Dashboard implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly outbox = new ReadyQueue();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onRenderedEmitter = new vscode.EventEmitter<RenderedInfo>();
  private readonly onReadyEmitter = new vscode.EventEmitter<boolean>();
  /** Fired after the webview drew (tests and the e2e suite wait on it). */
  readonly onRendered = this.onRenderedEmitter.event;
  readonly onReady = this.onReadyEmitter.event;

  /**
   * @param resimulate asked for the spec of a restored panel whose state had no result (too large to persist).
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly resimulate: (uri: string) => void = () => undefined,
    /** What the panel asks the language server for (answered with a safe error before it runs). */
    private readonly server: DashboardRequests = NO_SERVER,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => {
          // The webview restores its own state (getState); the host only re-wires it.
          const s = parseState(state);
          this.log.info(`restoring the dashboard${s.uri ? ` for ${s.uri}` : ''}`);
          this.attach(panel);
          if (s.uri && !s.result && !this.outbox.lastContent) this.resimulate(s.uri);
        },
      }),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens (or reveals) the panel and switches it to `view`. */
  show(view: View = 'summary', preserveFocus = false): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        DASHBOARD_VIEW_TYPE,
        'accelmap dashboard',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
        {
          enableScripts: true,
          retainContextWhenHidden: false,
          localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
        },
      );
      this.attach(panel);
    } else {
      this.panel.reveal(undefined, preserveFocus);
    }
    this.post({ type: 'show', view });
  }

  /** Sends a simulation response to the webview (kept, and re-sent when the webview reloads). */
  update(p: SimulationResultParams): void {
    const msg: HostMessage = p.wire
      ? { type: 'resultWire', uri: p.uri, version: p.version, elapsedMs: p.elapsedMs, wire: p.wire }
      : p.result
        ? { type: 'result', uri: p.uri, version: p.version, elapsedMs: p.elapsedMs, result: p.result }
        : { type: 'error', uri: p.uri, message: p.error ?? 'the simulation produced no result' };
    this.post(msg);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.outbox.reset();
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'images', 'icon.png');
    panel.webview.html = dashboardHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      nonce: makeNonce((n) => randomBytes(n)),
    });
    const subs: vscode.Disposable[] = [];
    subs.push(
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      // Hidden, the webview's document is discarded (retainContextWhenHidden: false) and reloads when shown again:
      // messages posted meanwhile would be lost (a `show` of another view, e.g.), so they wait for its `ready`.
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.outbox.reset();
      }),
      panel.onDidDispose(() => {
        subs.forEach((d) => d.dispose());
        if (this.panel === panel) {
          this.panel = undefined;
          this.outbox.reset();
        }
      }),
    );
  }

  private post(msg: HostMessage): void {
    const now = this.outbox.push(msg);
    for (const m of now) void this.panel?.webview.postMessage(m);
  }

  private receive(raw: unknown): void {
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.log.warn(`dashboard: ignored a malformed message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (m.type) {
      case 'ready': {
        // Also sent after the webview reloads (e.g. moved to another editor group): it gets the last result again.
        for (const q of this.outbox.markReady()) void this.panel?.webview.postMessage(q);
        this.onReadyEmitter.fire(m.restored);
        break;
      }
      case 'rendered':
        this.onRenderedEmitter.fire(m.info);
        break;
      case 'revealLayer':
        void revealLayer(m.uri, m.layer);
        break;
      case 'exportTrace':
        void this.exportTrace(m.uri);
        break;
      case 'exportReport':
        void this.exportReport(m.uri);
        break;
      case 'requestScaling':
        void this.server.scale(m.uri, m.target).then(
          (r) =>
            this.panel?.webview.postMessage({
              type: 'scaling',
              uri: r.uri,
              target: r.target,
              points: r.points,
              ...(r.error ? { error: r.error } : {}),
            }),
          (e) =>
            this.panel?.webview.postMessage({
              type: 'scaling',
              uri: m.uri,
              target: m.target,
              points: [],
              error: String(e),
            }),
        );
        break;
      case 'requestMapping':
        void this.server.mapping(m.uri, m.layer).then(
          (r) =>
            this.panel?.webview.postMessage(
              'error' in r
                ? { type: 'mapping', uri: r.uri, layer: r.layer, error: r.error }
                : { type: 'mapping', uri: r.uri, layer: r.layer, report: r },
            ),
          (e) => this.panel?.webview.postMessage({ type: 'mapping', uri: m.uri, layer: m.layer, error: String(e) }),
        );
        break;
      case 'openDesign':
        void this.openDesign(m.uri, m.index);
        break;
      case 'requestExplain':
        void this.server.explain(m.uri, m.target, m.layer).then(
          (r) =>
            this.panel?.webview.postMessage(
              'error' in r
                ? { type: 'explain', uri: m.uri, target: m.target, layer: m.layer, error: r.error }
                : { type: 'explain', uri: m.uri, target: m.target, layer: m.layer, report: r },
            ),
          (e) =>
            this.panel?.webview.postMessage({
              type: 'explain',
              uri: m.uri,
              target: m.target,
              layer: m.layer,
              error: String(e),
            }),
        );
        break;
      case 'exportChart':
        void this.exportChart(m.name, m.dataUrl);
        break;
      case 'log':
        this.log[m.level](`dashboard: ${m.message}`);
        break;
    }
  }

  /** Shows a sweep run from the editor in the Sweep view. */
  showSweep(report: SweepReport): void {
    this.show('sweep');
    this.post({ type: 'sweep', report });
  }

  /** A design point of the shown sweep as an untitled hardware spec (the user saves it where they like). */
  async openDesign(uri: string, index: number): Promise<vscode.TextDocument | undefined> {
    const r = await this.server.sweepDesign(uri, index);
    if ('error' in r) {
      void vscode.window.showErrorMessage(`accelmap: ${r.error}`);
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: r.text });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    return doc;
  }

  /** Saves the trace of the shown result where the user says (the default is next to the spec). */
  async exportTrace(uri: string, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const r = await this.server.trace(uri);
    if (!r.trace) {
      void vscode.window.showErrorMessage(`accelmap: ${r.error ?? 'no trace'}`);
      return undefined;
    }
    const spec = vscode.Uri.parse(uri);
    const base = specBaseName(spec.path) || 'accelmap';
    const out =
      target ??
      (await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(spec, '..', `${base}.trace.json`),
        filters: { 'Chrome/Perfetto trace': ['json'] },
        saveLabel: 'Export trace',
      }));
    if (!out) return undefined;
    await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(JSON.stringify(r.trace)));
    this.log.info(`dashboard: wrote the trace of ${uri} to ${out.toString()}`);
    void vscode.window.showInformationMessage(
      `Trace written to ${vscode.workspace.asRelativePath(out)}: open it in ui.perfetto.dev or chrome://tracing.`,
    );
    return out;
  }

  /**
   * Saves the report of a document's last run where the user says (the default is next to the spec): the
   * self-contained HTML report, or with a `.csv` name one row per (target, layer, phase).
   */
  async exportReport(uri: string, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const spec = vscode.Uri.parse(uri);
    const base = specBaseName(spec.path) || 'accelmap';
    const out =
      target ??
      (await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(spec, '..', `${base}.report.html`),
        filters: { 'HTML report': ['html'], 'CSV, one row per target, layer and phase': ['csv'] },
        saveLabel: 'Export report',
      }));
    if (!out) return undefined;
    const format = out.path.toLowerCase().endsWith('.csv') ? 'csv' : 'html';
    const r = await this.server.report(uri, format);
    const text = format === 'csv' ? r.csv : r.html;
    if (text === undefined) {
      void vscode.window.showErrorMessage(`accelmap: ${r.error ?? 'no report'}`);
      return undefined;
    }
    await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(text));
    this.log.info(`dashboard: wrote the ${format} report of ${uri} to ${out.toString()}`);
    void vscode.window.showInformationMessage(
      format === 'csv'
        ? `Results written to ${vscode.workspace.asRelativePath(out)} (one row per target, layer and phase; SI units).`
        : `Report written to ${vscode.workspace.asRelativePath(out)} (self-contained: open it in any browser, or print it).`,
    );
    return out;
  }

  /** Saves a chart the webview rendered (a PNG or SVG data URL, validated by parseWebviewMessage). */
  async exportChart(name: string, dataUrl: string, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const fmt = chartFormat(dataUrl);
    if (!fmt) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const filters: Record<string, string[]> = fmt === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] };
    const out =
      target ??
      (await vscode.window.showSaveDialog({
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `accelmap-${name}.${fmt}`) } : {}),
        filters,
        saveLabel: 'Save chart',
      }));
    if (!out) return undefined;
    const bytes = Uint8Array.from(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    await vscode.workspace.fs.writeFile(out, bytes);
    this.log.info(`dashboard: wrote the ${name} chart (${fmt}) to ${out.toString()}`);
    return out;
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.onRenderedEmitter.dispose();
    this.onReadyEmitter.dispose();
  }
}

/** Opens the spec and puts the cursor on `name: <layer>` (a plain text search: good enough for YAML and JSON). */
async function revealLayer(uri: string, layer: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const at = layerNameOffset(doc.getText(), layer);
  const pos = doc.positionAt(Math.max(0, at));
  await vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.One,
    selection: new vscode.Range(pos, pos),
  });
}
