// The accelmap commands. All of them can be invoked before the server is up: those that need it await ctx.client().
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import {
  RunSweepRequest,
  SearchMappingsRequest,
  SimulateRequest,
  type RunSweepResponse,
  type SearchMappingsParams,
  type SearchMappingsResponse,
  type SimulateParams,
  type SimulateResponse,
} from '../../server/src/lsp/protocol';
import type { View } from '../../webview/src/protocol';
import { readConfig } from './config';
import type { Ctx } from './ctx';
import type { Dashboard } from './dashboard';
import { importOnnx } from './importOnnx';

const isSpecCandidate = (d: vscode.TextDocument): boolean => ['yaml', 'json', 'jsonc'].includes(d.languageId);

/** The document a command acts on: its URI argument (code lens, explorer), else the active editor's. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') {
    try {
      return vscode.Uri.parse(arg, true);
    } catch {
      return undefined;
    }
  }
  const ed = vscode.window.activeTextEditor;
  return ed && isSpecCandidate(ed.document) ? ed.document.uri : undefined;
}

export async function simulate(ctx: Ctx, dashboard: Dashboard, arg?: unknown): Promise<SimulateResponse | undefined> {
  const uri = targetUri(arg);
  if (!uri) {
    void vscode.window.showWarningMessage('accelmap: open a network spec (e.g. resnet50.net.yaml) to simulate it.');
    return undefined;
  }
  const cfg = readConfig((k) => vscode.workspace.getConfiguration('accelmap', uri).get(k));
  // the answer carries the wire form (the run's notification carries the same): the result crosses once
  const params: SimulateParams = { uri: uri.toString(), form: 'wire' };
  if (cfg.baseline) params.baseline = cfg.baseline;
  const client = await ctx.client();
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'accelmap: simulating' },
    () => client.sendRequest<SimulateResponse>(SimulateRequest, params),
  );
  const kept = ctx.acceptResult(r);
  if (kept.error && !kept.wire && !kept.result) void vscode.window.showErrorMessage(`accelmap: ${kept.error}`);
  dashboard.show('summary', true);
  return kept;
}

/**
 * A long server request as a cancellable progress notification: the server's $/progress on `token` moves the bar,
 * the notification's Cancel cancels the request.
 */
async function withServerProgress<R>(
  client: LanguageClient,
  title: string,
  token: string,
  method: string,
  params: object,
): Promise<R> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, cancel) => {
      let last = 0;
      const sub = client.onProgress(WorkDoneProgress.type, token, (v) => {
        if (v.kind === 'end') return;
        const pc = v.percentage ?? last;
        progress.report({ message: v.message, increment: pc - last });
        last = pc;
      });
      try {
        return await client.sendRequest<R>(method, params, cancel);
      } finally {
        sub.dispose();
      }
    },
  );
}

let searchSeq = 0;

/**
 * Search Mappings…: every loop nest of the network's spatial targets (picked when there are several) with the full
 * mapper budget, on the server's worker threads, as a cancellable notification with the server's $/progress. The
 * server republishes the simulation when it ends, so hints, hovers and the dashboard show the searched mappings.
 */
export async function searchMappings(
  ctx: Ctx,
  arg?: unknown,
  opts: { targets?: string[] } = {},
): Promise<SearchMappingsResponse | undefined> {
  const uri = targetUri(arg);
  if (!uri) {
    void vscode.window.showWarningMessage(
      'accelmap: open a network spec with a spatial target (e.g. targets: [eyeriss-like]) to search its mappings.',
    );
    return undefined;
  }
  const client = await ctx.client();
  let targets = opts.targets;
  const spatial =
    ctx.results
      .get(uri.toString())
      ?.result?.targets.filter((t) => t.kind === 'spatial')
      .map((t) => t.name) ?? [];
  if (!targets && spatial.length > 1) {
    const picked = await vscode.window.showQuickPick(
      spatial.map((label) => ({ label, picked: true })),
      { canPickMany: true, title: 'Search the mappings of', placeHolder: 'spatial targets' },
    );
    if (!picked?.length) return undefined;
    targets = picked.map((p) => p.label);
  }
  const token = `accelmap-search-${++searchSeq}`;
  const params: SearchMappingsParams = { uri: uri.toString(), workDoneToken: token, ...(targets ? { targets } : {}) };
  const r = await withServerProgress<SearchMappingsResponse>(
    client,
    'accelmap: searching mappings',
    token,
    SearchMappingsRequest,
    params,
  );
  if (r.error) void vscode.window.showErrorMessage(`accelmap: ${r.error}`);
  else if (r.cancelled)
    void vscode.window.showInformationMessage(
      `accelmap: mapping search cancelled after ${r.mapped} of ${r.searched} loop nests (those stay cached).`,
    );
  else
    vscode.window.setStatusBarMessage(
      `accelmap: ${r.searched ? `${r.mapped} loop nest(s) mapped in ${r.seconds.toFixed(1)} s on ${r.workers} thread(s)` : `all ${r.nests} loop nest(s) were already mapped`}`,
      5000,
    );
  return r;
}

let sweepSeq = 0;

/**
 * Run Sweep: the sweep spec open in the editor (or given) on the server's worker threads, as a cancellable
 * notification with its progress; the result opens in the dashboard's Sweep view (Pareto front, axis effects, a
 * click opens a design as a hardware spec).
 */
export async function runSweep(ctx: Ctx, dashboard: Dashboard, arg?: unknown): Promise<RunSweepResponse | undefined> {
  const uri = targetUri(arg);
  if (!uri) {
    void vscode.window.showWarningMessage('accelmap: open a sweep spec (kind: sweep) to run it.');
    return undefined;
  }
  const client = await ctx.client();
  const token = `accelmap-sweep-${++sweepSeq}`;
  const r = await withServerProgress<RunSweepResponse>(client, 'accelmap: sweeping', token, RunSweepRequest, {
    uri: uri.toString(),
    workDoneToken: token,
  });
  if ('error' in r) {
    void vscode.window.showErrorMessage(`accelmap: ${r.error}`);
    return r;
  }
  dashboard.showSweep(r);
  return r;
}

/** Opens the dashboard on a view; when nothing was simulated yet and a spec is open, simulates it first. */
async function showView(ctx: Ctx, dashboard: Dashboard, view: View, arg?: unknown): Promise<void> {
  dashboard.show(view);
  const uri = targetUri(arg);
  if (uri && !ctx.results.has(uri.toString())) await simulate(ctx, dashboard, uri);
  else if (uri) dashboard.update(ctx.results.get(uri.toString())!);
  dashboard.show(view);
}

export function registerCommands(ctx: Ctx, dashboard: Dashboard): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  return [
    reg('accelmap.simulate', (arg?: unknown) => simulate(ctx, dashboard, arg)),
    reg('accelmap.showDashboard', (arg?: unknown) => showView(ctx, dashboard, 'summary', arg)),
    reg('accelmap.showTimeline', (arg?: unknown) => showView(ctx, dashboard, 'timeline', arg)),
    reg('accelmap.showRoofline', (arg?: unknown) => showView(ctx, dashboard, 'roofline', arg)),
    reg('accelmap.showScaling', (arg?: unknown) => showView(ctx, dashboard, 'scaling', arg)),
    reg('accelmap.showMapping', (arg?: unknown) => showView(ctx, dashboard, 'mapping', arg)),
    reg('accelmap.showExplain', (arg?: unknown) => showView(ctx, dashboard, 'explain', arg)),
    reg('accelmap.runSweep', (arg?: unknown) => runSweep(ctx, dashboard, arg)),
    reg('accelmap.openSweepDesign', (uri?: unknown, index?: unknown) =>
      typeof uri === 'string' && typeof index === 'number' ? dashboard.openDesign(uri, index) : undefined,
    ),
    reg('accelmap.searchMappings', (arg?: unknown, opts?: { targets?: string[] }) =>
      searchMappings(ctx, arg, opts ?? {}),
    ),
    reg('accelmap.exportReport', async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri) {
        void vscode.window.showWarningMessage('accelmap: open a network spec to export its report.');
        return undefined;
      }
      if (!ctx.results.has(uri.toString())) await simulate(ctx, dashboard, uri);
      return dashboard.exportReport(uri.toString());
    }),
    reg(
      'accelmap.importOnnx',
      (arg?: unknown, opts?: { batch?: number; overwrite?: boolean; dims?: Record<string, number> }) =>
        importOnnx(ctx, arg instanceof vscode.Uri ? arg : undefined, opts ?? {}),
    ),
    reg('accelmap.restartServer', () => ctx.restart()),
    reg('accelmap.showLogs', () => ctx.log.show(true)),
    reg('accelmap.toggleInlayHints', async () => {
      const conf = vscode.workspace.getConfiguration('accelmap');
      const next = !readConfig((k) => conf.get(k)).inlayHintsEnabled;
      const where = vscode.workspace.workspaceFolders?.length
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
      await conf.update('inlayHints.enabled', next, where);
      vscode.window.setStatusBarMessage(`accelmap inlay hints ${next ? 'on' : 'off'}`, 3000);
      return next;
    }),
    // The code lens "Hints: <target> ▾": which simulated target the inlay hints show (a resource setting).
    reg('accelmap.pickHintTarget', async (arg?: unknown, names?: unknown, choice?: unknown) => {
      const uri = targetUri(arg);
      const fromResult = uri ? ctx.results.get(uri.toString())?.result?.targets.map((t) => t.name) : undefined;
      const list = Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : (fromResult ?? []);
      if (!list.length) {
        void vscode.window.showInformationMessage(
          'accelmap: simulate the network first; the hints can then show any of its targets.',
        );
        return undefined;
      }
      const pick =
        typeof choice === 'string'
          ? choice
          : await vscode.window.showQuickPick(list, {
              title: 'Inlay hints show the figures of',
              placeHolder: 'target',
            });
      if (!pick || !list.includes(pick)) return undefined;
      const conf = vscode.workspace.getConfiguration('accelmap', uri);
      const where = vscode.workspace.workspaceFolders?.length
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : vscode.ConfigurationTarget.Global;
      await conf.update(
        'inlayHints.target',
        pick,
        uri && vscode.workspace.getWorkspaceFolder(uri) ? where : vscode.ConfigurationTarget.Global,
      );
      return pick;
    }),
  ];
}
