// Entry point of the accelmap extension: wires the language client, the status item, the dashboard, preset
// documents and commands. No telemetry. `activate` returns a small API used by the extension's own e2e tests.
import * as vscode from 'vscode';
import {
  ExplainRequest,
  MappingRequest,
  SweepDesignRequest,
  ReportRequest,
  ScaleRequest,
  SimulateRequest,
  TraceRequest,
  type ExplainResponse,
  type MappingResponse,
  type SweepDesignResponse,
  type ReportResponse,
  type ScaleResponse,
  type SimulateResponse,
  type SimulationResultParams,
  type TraceResponse,
} from '../../server/src/lsp/protocol';
import type { RenderedInfo } from '../../webview/src/protocol';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { Dashboard } from './dashboard';
import { registerPresetDocs } from './presetDocs';
import { StatusItem } from './status';

export interface AccelmapApi {
  /** Resolves once the language server runs. */
  whenReady(): Promise<void>;
  readonly results: ReadonlyMap<string, SimulationResultParams>;
  onResult: vscode.Event<SimulationResultParams>;
  onDashboardRendered: vscode.Event<RenderedInfo>;
  isDashboardOpen(): boolean;
  /** The dashboard's "Export trace…" without its save dialog: writes the trace of `uri`'s last run to `to`. */
  exportTrace(uri: string, to: vscode.Uri): Promise<vscode.Uri | undefined>;
  /** "Export report…" without its save dialog. */
  exportReport(uri: string, to: vscode.Uri): Promise<vscode.Uri | undefined>;
  /** "Save chart as PNG…" / "SVG…" without its save dialog: what the host does with the webview's data URL. */
  exportChart(name: string, dataUrl: string, to: vscode.Uri): Promise<vscode.Uri | undefined>;
}

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): AccelmapApi {
  const log = vscode.window.createOutputChannel('accelmap', { log: true });
  ctx = new Ctx(context, log);
  const status = new StatusItem();
  const c = ctx;
  const dashboard = new Dashboard(
    context.extensionUri,
    log,
    (uri) => {
      // A restored dashboard without its (large) result: simulate the spec again; the answer updates the panel.
      void c
        .client()
        .then((lc) => lc.sendRequest<SimulateResponse>(SimulateRequest, { uri, form: 'wire' }))
        .then(
          (r) => c.acceptResult(r),
          (e) => log.warn(`re-simulating ${uri} for the restored dashboard: ${String(e)}`),
        );
    },
    {
      trace: async (uri) => (await c.client()).sendRequest<TraceResponse>(TraceRequest, { uri }),
      report: async (uri, format) =>
        (await c.client()).sendRequest<ReportResponse>(ReportRequest, { uri, ...(format ? { format } : {}) }),
      scale: async (uri, target) => (await c.client()).sendRequest<ScaleResponse>(ScaleRequest, { uri, target }),
      mapping: async (uri, layer) => (await c.client()).sendRequest<MappingResponse>(MappingRequest, { uri, layer }),
      sweepDesign: async (uri, index) =>
        (await c.client()).sendRequest<SweepDesignResponse>(SweepDesignRequest, { uri, index }),
      explain: async (uri, target, layer) =>
        (await c.client()).sendRequest<ExplainResponse>(ExplainRequest, { uri, target, ...(layer ? { layer } : {}) }),
    },
  );
  context.subscriptions.push(
    log,
    c,
    status,
    dashboard,
    c.onStatus((p) => status.set(p)),
    // A result for the document the dashboard shows (or any, while it is open) updates it in place.
    c.onResult((p) => dashboard.update(p)),
    registerPresetDocs(c),
    ...registerCommands(c, dashboard),
  );
  log.info(`accelmap ${context.extension.packageJSON.version as string} activating`);
  const started = c.client().then(
    () => undefined,
    (e) => {
      void vscode.window
        .showErrorMessage(`accelmap: the language server did not start (${String(e)}).`, 'Show Logs', 'Restart')
        .then((a) => (a === 'Show Logs' ? log.show() : a === 'Restart' ? c.restart() : undefined));
      throw e;
    },
  );
  started.catch(() => undefined);
  return {
    whenReady: () => started,
    results: c.results,
    onResult: c.onResult,
    onDashboardRendered: dashboard.onRendered,
    isDashboardOpen: () => dashboard.isOpen,
    exportTrace: (uri: string, to: vscode.Uri) => dashboard.exportTrace(uri, to),
    exportReport: (uri: string, to: vscode.Uri) => dashboard.exportReport(uri, to),
    exportChart: (name: string, dataUrl: string, to: vscode.Uri) => dashboard.exportChart(name, dataUrl, to),
  };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
