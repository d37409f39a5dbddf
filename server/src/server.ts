// The accelmap language server: entry point and wiring. Handlers live in server/src/lsp/ (one file per feature)
// and only translate between LSP and the spec core / simulator. Transport comes from the command line:
// `--stdio` or `--node-ipc` (vscode-languageserver's createConnection reads process.argv).
import { encodeResultAsync, type WireResult } from './lsp/resultWire';
import { readFileSync } from 'node:fs';
import { chromeTrace } from './cli/trace';
import { htmlReport } from './cli/html';
import { csvReport } from './cli/format';
import { scalingCurve } from './kinds/system/scaling';
import { planSearch, searchInBackground, searchWorkers } from './lsp/mappingSearch';
import { mapInWorkers } from './sim/nest/pool';
import { mappingReport } from './lsp/mappingView';
import { hasErrors } from './lsp/diagnostics';
import { readSystem } from './kinds/system/model';
import pkg from '../../package.json';
import {
  createConnection,
  ProposedFeatures,
  TextDocumentSyncKind,
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InlayHintRefreshRequest,
  CodeLensRefreshRequest,
  WorkDoneProgress,
  type CancellationToken,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
  type WorkDoneProgressEnd,
} from 'vscode-languageserver/node';
import { performance } from 'node:perf_hooks';
import {
  SimulateRequest,
  SimulationResultNotification,
  StatusNotification,
  PresetSourceRequest,
  ImportOnnxRequest,
  TraceRequest,
  ReportRequest,
  type ReportParams,
  type ReportResponse,
  ScaleRequest,
  type ScaleParams,
  type ScaleResponse,
  ListTargetsRequest,
  SearchMappingsRequest,
  type SearchMappingsParams,
  type SearchMappingsResponse,
  MappingRequest,
  type MappingParams,
  type MappingResponse,
  ExplainRequest,
  type ExplainParams,
  type ExplainResponse,
  RunSweepRequest,
  type RunSweepParams,
  type RunSweepResponse,
  SweepDesignRequest,
  type SweepDesignParams,
  type SweepDesignResponse,
  type SimulateParams,
  type SimulateResponse,
  type StatusParams,
  type PresetSourceParams,
  type PresetSourceResponse,
  type ImportOnnxParams,
  type ImportOnnxResponse,
  type ListTargetsResponse,
  type TraceParams,
  type TraceResponse,
} from './lsp/protocol';
import { runSafe, runSafeVoid, setSafeLogger, formatError } from './lsp/runSafe';
import { ServerState } from './lsp/state';
import { parseSettings } from './lsp/settings';
import { classify } from './lsp/specFilter';
import { Validator } from './lsp/validation';
import { uriToPath } from './lsp/hardwareIndex';
import { runSimulation, lastResult } from './lsp/simulation';
import { explainReport } from './lsp/explainView';
import { designSpec, loadSweep, runEditorSweep } from './lsp/sweepRun';
import { documentSymbols } from './lsp/symbols';
import { codeActions } from './lsp/codeActions';
import { pinCodeActions } from './lsp/pinMapping';
import { inlayHints } from './lsp/inlayHints';
import { codeLenses } from './lsp/codeLens';
import { listTargets } from './lsp/listTargets';
import { renderPreset } from './lsp/presetSource';
import { importOnnx } from './lsp/importOnnx';
import { hover } from './lsp/hover';
import { completion } from './lsp/completion';
import { definition } from './lsp/definition';

const connection = createConnection(ProposedFeatures.all);

// Console output must not go to stdout (it carries the protocol under --stdio): route it to the client's log.
const log = (m: string) => connection.console.log(m);
console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
console.info = (...a: unknown[]) => connection.console.info(a.map(String).join(' '));
console.warn = (...a: unknown[]) => connection.console.warn(a.map(String).join(' '));
console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));
setSafeLogger((m) => connection.console.error(m));
process.on('uncaughtException', (err) => connection.console.error(formatError('accelmap: uncaught exception', err)));
process.on('unhandledRejection', (err) => connection.console.error(formatError('accelmap: unhandled rejection', err)));

const state = new ServerState(log);
const { documents } = state;
let lastRunMs: number | undefined;
let shuttingDown = false;

function status(s: StatusParams['state'], message: string): void {
  if (shuttingDown) return;
  const p: StatusParams = { state: s, message, documents: state.specDocumentCount() };
  if (lastRunMs !== undefined) p.lastRunMs = lastRunMs;
  void connection.sendNotification(StatusNotification, p);
}

// ------------------------------------------------------------------------------------------------ simulation

function refreshEditors(): void {
  if (state.caps.inlayHintRefresh) connection.sendRequest(InlayHintRefreshRequest.type).catch(() => undefined);
  if (state.caps.codeLensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
}

/** Version and hardware generation of each network's last run. */
const simulatedAt = new Map<string, { version: number | null; gen: number }>();

/** Per document, the generation of its latest background mapping search (a newer run cancels the older). */
const searchGen = new Map<string, number>();

/** The wire form of each run's result, encoded once for its notification and for a request that asked for it. */
const wireOfRun = new WeakMap<SimulateResponse, Promise<WireResult | undefined>>();

function simulateAndNotify(params: SimulateParams, wireNow = false): SimulateResponse {
  status('busy', `simulating ${params.uri.split('/').pop()}`);
  let r: SimulateResponse;
  let failed = false;
  const gen = (searchGen.get(params.uri) ?? 0) + 1;
  searchGen.set(params.uri, gen);
  try {
    r = runSimulation(state, params, (plan) => {
      const version = documents.get(params.uri)?.version;
      log(`accelmap: ${plan.work.length} loop nest(s) of ${plan.provisional.join(', ')} to map in the background`);
      searchInBackground(
        plan.work,
        () => searchGen.get(params.uri) !== gen || documents.get(params.uri)?.version !== version,
        () => {
          if (documents.get(params.uri)?.version === version) simulateAndNotify(params);
        },
        (e) => log(formatError('accelmap: background mapping search failed', e)),
      );
    });
  } catch (err) {
    log(formatError(`accelmap: simulation of ${params.uri} failed`, err));
    failed = true;
    r = {
      uri: params.uri,
      version: documents.get(params.uri)?.version ?? null,
      error: `Simulation failed: ${err instanceof Error ? err.message : String(err)}`,
      elapsedMs: 0,
    };
  }
  lastRunMs = Math.round(r.elapsedMs * 10) / 10;
  // Hints and lenses first: they are read from the stored result, and the editor asks for them as soon as the
  // refresh reaches it. The result then travels to the dashboard in its columnar wire form, encoded a target at a
  // time so the hint request is answered in between (and the refresh is written before the encoding starts); the
  // request's answer (below) keeps the plain result for callers.
  if (r.result) {
    simulatedAt.set(params.uri, { version: r.version, gen: state.hardwareGeneration });
    refreshEditors();
  }
  wireOfRun.set(r, notifyResult(r, wireNow));
  // Republish so fit warnings of this run (or their absence) show for the simulated version.
  if (r.result && r.version !== null && documents.get(params.uri)?.version === r.version)
    validator.validateNow(params.uri);
  if (r.result) status('ready', `simulated ${r.result.targets.length} target(s) in ${lastRunMs} ms`);
  else status(failed ? 'error' : 'ready', r.error ?? 'ready');
  return r;
}

/** Why there is no current result to answer from: never simulated, or edited since the last run. */
function noResult(uri: string): string {
  return state.simulations.get(uri)?.result
    ? 'The document changed since the last run: save it (or run "accelmap: Run Simulation") to see this for the current version.'
    : 'Nothing simulated yet for this document: save it or run "accelmap: Run Simulation" first.';
}

/** Per document, the latest result notification started (an older one still encoding is then not sent). */
const notifySeq = new Map<string, number>();

/** `now`: encode at once (a request waits for the wire), else after the hints the run refreshed were asked for. */
function notifyResult(r: SimulateResponse, now = false): Promise<WireResult | undefined> {
  const seq = (notifySeq.get(r.uri) ?? 0) + 1;
  notifySeq.set(r.uri, seq);
  const { result, ...head } = r;
  if (!result) {
    void connection.sendNotification(SimulationResultNotification, head);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) =>
    (now ? (f: () => void) => f() : afterHints)(() =>
      encodeResultAsync(result).then(
        (wire) => {
          if (notifySeq.get(r.uri) === seq && !shuttingDown)
            void connection.sendNotification(SimulationResultNotification, { ...head, wire });
          resolve(wire);
        },
        (e) => {
          log(formatError(`accelmap: encoding the result of ${r.uri} failed`, e));
          resolve(undefined);
        },
      ),
    ),
  );
}

// After a run refreshes the hints, the editor asks for them at once: the result's encoding for the dashboard
// (~20 ms for ResNet-50 on six targets) waits for that request to be answered, or HINTS_WAIT_MS at most.
const HINTS_WAIT_MS = 100;
let afterHintsQueue: (() => void)[] = [];
let afterHintsTimer: ReturnType<typeof setTimeout> | undefined;
function afterHints(fn: () => void): void {
  if (!state.caps.inlayHintRefresh || !state.settings.inlayHintsEnabled) {
    fn();
    return;
  }
  afterHintsQueue.push(fn);
  afterHintsTimer ??= setTimeout(flushAfterHints, HINTS_WAIT_MS);
}
function flushAfterHints(): void {
  if (afterHintsTimer) clearTimeout(afterHintsTimer);
  afterHintsTimer = undefined;
  const q = afterHintsQueue;
  afterHintsQueue = [];
  for (const f of q) f();
}

/** Simulate a network automatically (on save / on type) only when it has no errors. */
function autoSimulate(uri: string): void {
  if (!state.network(uri)) return;
  if (state.diagnostics(uri).some((d) => d.severity === 'error')) return;
  simulateAndNotify({ uri });
}

const validator = new Validator(
  state,
  (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
  (uri, version) => {
    if (state.settings.simulateRun !== 'onType') return;
    // Not again for a version (and hardware state) already simulated: republishing after a run comes through here.
    const last = simulatedAt.get(uri);
    if (last && last.version === version && last.gen === state.hardwareGeneration) return;
    autoSimulate(uri);
  },
);

/** A hardware document changed (edited, saved, or on disk): resolutions and diagnostics of networks may change. */
function hardwareChanged(changedUri: string, resimulate: boolean, delayMs = 0): void {
  state.hardwareGeneration++;
  const changedPath = uriToPath(changedUri);
  for (const td of documents.all()) {
    if (td.uri === changedUri || state.specGuess(td.uri) !== 'network') continue;
    validator.schedule(td.uri, delayMs);
    if (!resimulate || state.settings.simulateRun === 'manual') continue;
    const t = state.targets(td.uri);
    const uses =
      !!t &&
      (t.hardwareDocs.some((d) => d.uri === changedUri) || (!!changedPath && t.hardwarePaths.includes(changedPath)));
    if (uses) runSafeVoid('re-simulate', () => autoSimulate(td.uri));
  }
}

// ------------------------------------------------------------------------------------------------ lifecycle

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const c = params.capabilities;
  state.caps = {
    relatedInformation: !!c.textDocument?.publishDiagnostics?.relatedInformation,
    configuration: !!c.workspace?.configuration,
    configurationDynamic: !!c.workspace?.didChangeConfiguration?.dynamicRegistration,
    inlayHintRefresh: !!c.workspace?.inlayHint?.refreshSupport,
    codeLensRefresh: !!c.workspace?.codeLens?.refreshSupport,
    watchedFilesDynamic: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    workspaceFolders: !!c.workspace?.workspaceFolders,
  };
  const init = params.initializationOptions as { settings?: unknown } | undefined;
  if (init?.settings) state.settings = parseSettings(init.settings);
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  state.workspaceFolders = folders.map(uriToPath).filter((p): p is string => !!p);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '[', ',', '-'], resolveProvider: false },
      documentSymbolProvider: true,
      definitionProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      inlayHintProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'accelmap', version: '0.1.0' },
  };
});

async function fetchSettings(): Promise<void> {
  if (!state.caps.configuration) return;
  try {
    const raw = await connection.workspace.getConfiguration({ section: 'accelmap' });
    state.settings = parseSettings(raw);
  } catch (err) {
    log(formatError('accelmap: reading settings failed (using defaults)', err));
  }
}

async function scanWorkspace(): Promise<void> {
  const t0 = performance.now();
  const n = await state.hardware.scan(state.workspaceFolders, state.settings.hardwareGlobs);
  state.hardwareGeneration++;
  log(`accelmap: ${n} hardware spec file(s) in the workspace (${Math.round(performance.now() - t0)} ms)`);
}

connection.onInitialized(() => {
  status('starting', 'reading settings and the workspace');
  runSafeVoid('initialized', async () => {
    if (state.caps.configurationDynamic) {
      connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'accelmap' })
        .catch(() => undefined);
    }
    // The client watches *.net/*.hw files; hardware specs recognised by `kind:` can have any YAML/JSON name.
    if (state.caps.watchedFilesDynamic) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,json}' }] })
        .catch(() => undefined);
    }
    if (state.caps.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) =>
        runSafeVoid('workspace folders', async () => {
          const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
          state.workspaceFolders = state.workspaceFolders.filter((p) => !removed.has(p));
          for (const p of removed) if (p) state.hardware.dropUnder(p);
          state.workspaceFolders.push(...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p));
          await scanWorkspace();
          validator.revalidateAll();
        }),
      );
    }
    await fetchSettings();
    await scanWorkspace();
    validator.revalidateAll();
    status('ready', 'ready');
  });
});

connection.onDidChangeConfiguration((change) =>
  runSafeVoid('configuration', async () => {
    const pushed = (change.settings as { accelmap?: unknown } | undefined)?.accelmap;
    const globsBefore = state.settings.hardwareGlobs.join('\n');
    if (state.caps.configuration) await fetchSettings();
    else if (pushed) state.settings = parseSettings(pushed);
    state.resetDerived();
    // Other hardware file patterns: the workspace index must be rebuilt with them.
    if (state.settings.hardwareGlobs.join('\n') !== globsBefore) await scanWorkspace();
    validator.revalidateAll();
    refreshEditors();
  }),
);

connection.onDidChangeWatchedFiles((p) =>
  runSafeVoid('watched files', () => {
    let changed = false;
    for (const ch of p.changes) {
      const path = uriToPath(ch.uri);
      if (path && state.hardware.onDiskChange(path, ch.type === FileChangeType.Deleted, state.settings.hardwareGlobs))
        changed = true;
    }
    // Target names in open networks may have become (un)known.
    if (changed) hardwareChanged('', false);
  }),
);

connection.onShutdown(() => {
  shuttingDown = true;
  validator.dispose();
});

// ------------------------------------------------------------------------------------------------ documents

// TextDocuments fires onDidChangeContent right after onDidOpen for the same version; an opened document is
// analysed at once, so that first change event is skipped.
const justOpened = new Set<string>();

documents.onDidOpen((e) =>
  runSafeVoid('open', () => {
    state.forget(e.document.uri);
    justOpened.add(e.document.uri);
    if (!state.isSpec(e.document.uri)) return;
    validator.schedule(e.document.uri, 0);
    if (state.specGuess(e.document.uri) === 'hardware') hardwareChanged(e.document.uri, false);
    status('ready', 'ready');
  }),
);

documents.onDidChangeContent((e) =>
  runSafeVoid('change', () => {
    if (justOpened.delete(e.document.uri)) return;
    // No longer a spec (e.g. its `kind:` was removed): clear what was published for it, tagged with this version.
    if (!state.isSpec(e.document.uri)) {
      validator.validateNow(e.document.uri);
      return;
    }
    validator.schedule(e.document.uri);
    // Typing in a hardware file can make target names in open networks (un)known: re-check them after the debounce.
    if (state.specGuess(e.document.uri) === 'hardware')
      hardwareChanged(e.document.uri, false, state.settings.validateDelayMs);
  }),
);

documents.onDidSave((e) =>
  runSafeVoid('save', () => {
    const uri = e.document.uri;
    const guess = state.specGuess(uri);
    if (!guess) return;
    // Make sure the saved version's diagnostics are out before simulating it.
    validator.validateNow(uri);
    if (guess === 'hardware' || state.analysis(uri)?.kind === 'hardware') {
      const path = uriToPath(uri);
      if (path) state.hardware.refresh(path);
      hardwareChanged(uri, true);
    } else if (state.settings.simulateRun !== 'manual') {
      autoSimulate(uri);
    }
  }),
);

documents.onDidClose((e) =>
  runSafeVoid('close', () => {
    const uri = e.document.uri;
    // TextDocuments has already dropped the document here: classify it from the event's copy.
    const wasHardware =
      classify(uri, e.document.getText(), state.settings, e.document.languageId) === 'hardware' ||
      state.cache.peek(uri)?.kind === 'hardware';
    validator.closed(uri);
    state.forget(uri);
    state.simulations.delete(uri);
    simulatedAt.delete(uri);
    if (wasHardware) hardwareChanged(uri, false);
    status('ready', 'ready');
  }),
);

// ------------------------------------------------------------------------------------------------ features

connection.onHover((p, token) => runSafe('hover', () => hover(state, p.textDocument.uri, p.position), null, token));
connection.onCompletion((p, token) =>
  runSafe('completion', () => completion(state, p.textDocument.uri, p.position), [], token),
);
connection.onDocumentSymbol((p, token) =>
  runSafe('symbols', () => documentSymbols(state.analysis(p.textDocument.uri)), [], token),
);
connection.onDefinition((p, token) =>
  runSafe('definition', () => definition(state, p.textDocument.uri, p.position), null, token),
);
connection.onCodeAction((p, token) =>
  runSafe(
    'code actions',
    () =>
      state.isSpec(p.textDocument.uri)
        ? [...codeActions(p, () => state.diagnostics(p.textDocument.uri)), ...pinCodeActions(state, p)]
        : [],
    [],
    token,
  ),
);
connection.languages.inlayHint.on((p, token) =>
  runSafe(
    'inlay hints',
    () => {
      if (afterHintsQueue.length) setImmediate(flushAfterHints); // once this answer is written
      if (!state.settings.inlayHintsEnabled) return [];
      const td = documents.get(p.textDocument.uri);
      const lineEnd = (line: number) =>
        td
          ? td.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '')
              .length
          : 0;
      return inlayHints(
        state.network(p.textDocument.uri)?.net,
        lastResult(state, p.textDocument.uri)?.result,
        p.range,
        lineEnd,
        state.settings.inlayHintsTarget,
      );
    },
    [],
    token,
  ),
);
connection.onCodeLens((p, token) =>
  runSafe(
    'code lens',
    () =>
      codeLenses(
        p.textDocument.uri,
        state.network(p.textDocument.uri)?.net,
        lastResult(state, p.textDocument.uri),
        state.settings.inlayHintsTarget,
      ),
    [],
    token,
  ),
);

connection.onRequest(SimulateRequest, (p: SimulateParams, token) =>
  runSafe<SimulateResponse>(
    'simulate',
    () => {
      if (!p || typeof p.uri !== 'string')
        return { uri: '', version: null, error: 'accelmap/simulate needs a `uri`.', elapsedMs: 0 };
      // Publish the current version's diagnostics first if they are still waiting for the debounce.
      if (validator.pending(p.uri)) validator.validateNow(p.uri);
      const r = simulateAndNotify(p, p.form === 'wire');
      if (p.form !== 'wire' || !r.result) return r;
      // the same wire the run's notification carries (encoded once); the objects only if it could not be encoded
      const { result, ...head } = r;
      return wireOfRun.get(r)!.then((wire) => (wire ? { ...head, wire } : { ...head, result }));
    },
    { uri: p?.uri ?? '', version: null, error: 'Simulation failed (see the accelmap log).', elapsedMs: 0 },
    token,
  ),
);

connection.onRequest(PresetSourceRequest, (p: PresetSourceParams, token) =>
  runSafe<PresetSourceResponse>(
    'presetSource',
    () =>
      renderPreset(String(p?.name ?? '')) ?? {
        name: String(p?.name ?? ''),
        text: `# accelmap: no built-in preset named \`${String(p?.name ?? '')}\`.\n`,
      },
    { name: String(p?.name ?? ''), text: '# accelmap: the preset could not be rendered (see the log).\n' },
    token,
  ),
);

connection.onRequest(ListTargetsRequest, (_p: unknown, token) =>
  runSafe<ListTargetsResponse>('listTargets', () => listTargets(state), { targets: [] }, token),
);

connection.onRequest(TraceRequest, (p: TraceParams) =>
  runSafe<TraceResponse>(
    'trace',
    () => {
      const r = p && typeof p.uri === 'string' ? lastResult(state, p.uri) : undefined;
      if (!r?.result)
        return {
          uri: p?.uri ?? '',
          version: null,
          error: 'Nothing simulated yet for this document: save it or run "accelmap: Run Simulation" first.',
        };
      return { uri: p.uri, version: r.version, trace: chromeTrace(r.result, state.network(p.uri)?.net) };
    },
    { uri: p?.uri ?? '', version: null, error: 'The trace could not be built (see the accelmap log).' },
  ),
);

connection.onRequest(ScaleRequest, (p: ScaleParams) =>
  runSafe<ScaleResponse>(
    'scale',
    () => {
      const uri = typeof p?.uri === 'string' ? p.uri : '',
        target = typeof p?.target === 'string' ? p.target : '';
      const net = state.network(uri)?.net;
      if (!net) return { uri, target, points: [], error: 'Not a network spec without errors: fix the spec first.' };
      const t = state.targets(uri)?.targets.find((x) => x.name === target);
      if (!t || t.kind !== 'system')
        return {
          uri,
          target,
          points: [],
          error: `\`${target}\` is not a system target of this network (a kind: system target, e.g. extends: dgx-h100).`,
        };
      const { sys, strategy, error } = readSystem(t);
      if (!sys) return { uri, target, points: [], error: error ?? 'unknown device' };
      const c = scalingCurve(net, sys, strategy);
      return { uri, target, points: c.points, ...(c.error ? { error: c.error } : {}) };
    },
    {
      uri: p?.uri ?? '',
      target: p?.target ?? '',
      points: [],
      error: 'The scaling curve could not be computed (see the accelmap log).',
    },
  ),
);

// Search Mappings: every nest of the network's spatial targets with the full budget, on worker threads, with
// $/progress on the client's token; the background search of the document stops (this one covers it).
/** Sends $/progress on a client's work-done token (nothing when the request came without one). */
const progressOn =
  (token: string | number | undefined) =>
  (v: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd): void => {
    if (token !== undefined) void connection.sendProgress(WorkDoneProgress.type, token, v);
  };

connection.onRequest(SearchMappingsRequest, async (p: SearchMappingsParams, token: CancellationToken) => {
  const uri = typeof p?.uri === 'string' ? p.uri : '';
  const empty: SearchMappingsResponse = {
    uri,
    targets: [],
    nests: 0,
    searched: 0,
    mapped: 0,
    workers: 0,
    seconds: 0,
    cancelled: false,
  };
  try {
    const net = state.network(uri)?.net;
    if (!net || hasErrors(state.diagnostics(uri)))
      return { ...empty, error: 'Not a network spec without errors: fix the spec first.' };
    const want = Array.isArray(p.targets) ? new Set(p.targets.filter((x) => typeof x === 'string')) : undefined;
    const spatial = (state.targets(uri)?.targets ?? []).filter(
      (t) => t.kind === 'spatial' && (!want || want.has(t.name)),
    );
    if (!spatial.length)
      return { ...empty, error: 'This network has no spatial target to map (add one to targets:, e.g. eyeriss-like).' };
    searchGen.set(uri, (searchGen.get(uri) ?? 0) + 1); // stops the background search of this document
    const plan = planSearch(net, spatial);
    const send = progressOn(p.workDoneToken);
    const total = plan.work.length;
    send({
      kind: 'begin',
      title: 'accelmap: searching mappings',
      cancellable: true,
      message: `${total} loop nest(s) of ${spatial.map((t) => t.name).join(', ')}`,
      percentage: 0,
    });
    status('busy', `mapping ${total} loop nest(s)`);
    const workers = total >= 2 ? searchWorkers() : 1;
    const r = await mapInWorkers(plan.work, {
      workers,
      cancelled: () => token.isCancellationRequested,
      progress: (d, n) =>
        send({ kind: 'report', message: `${d} of ${n} loop nests`, percentage: Math.round((100 * d) / n) }),
    });
    send({
      kind: 'end',
      message: r.cancelled ? `cancelled after ${r.done} of ${total}` : `${r.done} loop nest(s) mapped`,
    });
    log(
      `accelmap: Search Mappings on ${spatial.map((t) => t.name).join(', ')}: ${r.done}/${total} nest(s) (${plan.nests} distinct) on ${r.workers} thread(s) in ${r.seconds.toFixed(2)} s${r.cancelled ? ', cancelled' : ''}`,
    );
    // the figures of the full search (what was mapped so far when cancelled)
    if (r.done > 0 || total === 0) simulateAndNotify({ uri });
    else status('ready', 'mapping search cancelled');
    return {
      uri,
      targets: spatial.map((t) => t.name),
      nests: plan.nests,
      searched: total,
      mapped: r.done,
      workers: r.workers,
      seconds: r.seconds,
      cancelled: r.cancelled,
    };
  } catch (e) {
    log(formatError('accelmap: Search Mappings failed', e));
    return { ...empty, error: `The search failed: ${(e as Error)?.message ?? String(e)} (see the accelmap log).` };
  }
});

/** The text of a sweep document: the editor's copy, else the file. */
function sweepText(uri: string): { path: string; text: string } | { error: string } {
  const path = uriToPath(uri);
  if (!path) return { error: 'A sweep spec must be a file (save it first).' };
  const td = documents.get(uri);
  if (td) return { path, text: td.getText() };
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (e) {
    return { error: `cannot read ${path}: ${(e as Error).message}` };
  }
}

connection.onRequest(
  RunSweepRequest,
  async (p: RunSweepParams, token: CancellationToken): Promise<RunSweepResponse> => {
    const uri = typeof p?.uri === 'string' ? p.uri : '';
    try {
      const src = sweepText(uri);
      if ('error' in src) return { uri, error: src.error };
      const l = loadSweep(src.path, src.text);
      if ('error' in l) return { uri, error: l.error };
      const send = progressOn(p.workDoneToken);
      send({ kind: 'begin', title: `accelmap: sweep ${l.spec.name}`, cancellable: true, percentage: 0 });
      status('busy', `sweeping ${l.spec.name}`);
      let last = -1;
      const r = await runEditorSweep(uri, l, {
        cancelled: () => token.isCancellationRequested,
        progress: (d, n) => {
          const pc = Math.floor((100 * d) / Math.max(1, n));
          if (pc !== last) {
            last = pc;
            send({
              kind: 'report',
              message: `${d.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} design points`,
              percentage: pc,
            });
          }
        },
        ...(__filename.endsWith('.js') ? { bundleDir: __dirname } : {}),
      });
      send({
        kind: 'end',
        message:
          'error' in r
            ? r.error
            : `${r.feasible} feasible of ${r.evaluated} points${r.cancelled ? ' (cancelled)' : ''}`,
      });
      status('ready', 'error' in r ? r.error : `swept ${r.evaluated} points in ${r.seconds.toFixed(1)} s`);
      if (!('error' in r))
        log(
          `accelmap: sweep ${l.spec.name}: ${r.evaluated} of ${r.total} points, ${r.feasible} feasible, in ${r.seconds.toFixed(2)} s${r.cancelled ? ' (cancelled)' : ''}`,
        );
      return 'error' in r ? { uri, error: r.error } : r;
    } catch (e) {
      log(formatError('accelmap: the sweep failed', e));
      return { uri, error: `The sweep failed: ${(e as Error)?.message ?? String(e)} (see the accelmap log).` };
    }
  },
);

connection.onRequest(SweepDesignRequest, (p: SweepDesignParams) =>
  runSafe<SweepDesignResponse>(
    'sweep design',
    () => {
      const uri = typeof p?.uri === 'string' ? p.uri : '',
        index = Number(p?.index);
      const src = sweepText(uri);
      if ('error' in src) return { uri, index, error: src.error };
      const l = loadSweep(src.path, src.text);
      if ('error' in l) return { uri, index, error: l.error };
      const text = designSpec(l, index);
      return typeof text === 'string' ? { uri, index, text } : { uri, index, error: text.error };
    },
    { uri: p?.uri ?? '', index: Number(p?.index), error: 'The design could not be written (see the accelmap log).' },
  ),
);

connection.onRequest(MappingRequest, (p: MappingParams) =>
  runSafe<MappingResponse>(
    'mapping',
    () => {
      const uri = typeof p?.uri === 'string' ? p.uri : '',
        layer = typeof p?.layer === 'string' ? p.layer : '';
      const r = lastResult(state, uri);
      const net = state.network(uri)?.net;
      if (!r?.result || !net) return { uri, layer, error: noResult(uri) };
      const names = new Set(r.result.targets.map((t) => t.name));
      const rep = mappingReport(
        uri,
        net,
        r.result,
        (state.targets(uri)?.targets ?? []).filter((t) => names.has(t.name)),
        layer,
      );
      return 'error' in rep ? { uri, layer, error: rep.error } : rep;
    },
    { uri: p?.uri ?? '', layer: p?.layer ?? '', error: 'The mapping could not be built (see the accelmap log).' },
  ),
);

connection.onRequest(ExplainRequest, (p: ExplainParams) =>
  runSafe<ExplainResponse>(
    'explain',
    () => {
      const uri = typeof p?.uri === 'string' ? p.uri : '';
      const r = lastResult(state, uri);
      const net = state.network(uri)?.net;
      if (!r?.result || !net) return { uri, error: noResult(uri) };
      if (p.phase && !p.layer) return { uri, error: '`phase` needs a `layer`.' };
      const rep = explainReport(
        net,
        r.result,
        state.targets(uri)?.targets ?? [],
        typeof p.target === 'string' ? p.target : undefined,
        {
          ...(typeof p.layer === 'string' ? { layer: p.layer } : {}),
          ...(typeof p.phase === 'string' ? { phase: p.phase } : {}),
        },
      );
      return 'error' in rep ? { uri, error: rep.error } : rep;
    },
    { uri: p?.uri ?? '', error: 'The explanation could not be built (see the accelmap log).' },
  ),
);

connection.onRequest(ReportRequest, (p: ReportParams) =>
  runSafe<ReportResponse>(
    'report',
    () => {
      const r = p && typeof p.uri === 'string' ? lastResult(state, p.uri) : undefined;
      if (!r?.result)
        return {
          uri: p?.uri ?? '',
          version: null,
          error: 'Nothing simulated yet for this document: save it or run "accelmap: Run Simulation" first.',
        };
      const names = new Set(r.result.targets.map((t) => t.name));
      const targets = (state.targets(p.uri)?.targets ?? []).filter((t) => names.has(t.name));
      if (p.format === 'csv') return { uri: p.uri, version: r.version, csv: csvReport(r.result) };
      return {
        uri: p.uri,
        version: r.version,
        html: htmlReport(r.result, state.network(p.uri)?.net, targets, (pkg as { version: string }).version),
      };
    },
    { uri: p?.uri ?? '', version: null, error: 'The report could not be built (see the accelmap log).' },
  ),
);

connection.onRequest(ImportOnnxRequest, (p: ImportOnnxParams) =>
  runSafe<ImportOnnxResponse>('importOnnx', () => importOnnx(p), {
    written: false,
    outPath: p?.outPath ?? '',
    reason: 'error',
    error: 'Import failed (see the accelmap log).',
    warnings: [],
    layerCount: 0,
  }),
);

documents.listen(connection);
connection.listen();
