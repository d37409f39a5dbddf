// A small LSP client for the protocol tests: spawns the BUNDLED server (dist/server.js, built by `npm run build`)
// over stdio and speaks JSON-RPC (vscode-jsonrpc) with the LSP types of vscode-languageserver-protocol. Waits are on
// conditions (a notification
// that matches), never on sleeps; every wait has a generous ceiling so a broken server fails the test instead of
// hanging it.
import { decodeResult, isWireResult } from '../../server/src/lsp/resultWire';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import {
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  ConfigurationRequest,
  RegistrationRequest,
  InlayHintRefreshRequest,
  CodeLensRefreshRequest,
  WorkDoneProgressCreateRequest,
  type PublishDiagnosticsParams,
  type InitializeResult,
  type Position,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { SERVER_EXEC_ARGV } from '../../client/src/serverProcess';

export const ROOT = join(__dirname, '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.js');

export interface Note {
  method: string;
  params: any;
}

export interface StartOptions {
  /** Settings returned for workspace/configuration section `accelmap`. */
  settings?: Record<string, unknown>;
  /** Workspace folder (absolute path). */
  workspace?: string;
  /** Advertise inlay-hint / code-lens refresh support. */
  refresh?: boolean;
  /** How to talk to the server: stdio (default) or Node IPC, as VS Code's client does. */
  transport?: 'stdio' | 'ipc';
}

export class TestClient {
  readonly notes: Note[] = [];
  readonly serverRequests: { method: string; params: any }[] = [];
  private waiters: { pred: (n: Note) => boolean; resolve: (n: Note) => void }[] = [];
  private versions = new Map<string, number>();
  stderr = '';
  exited: number | null | undefined;
  initializeResult!: InitializeResult;

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    public settings: Record<string, unknown>,
  ) {}

  static async start(opts: StartOptions = {}): Promise<TestClient> {
    if (!existsSync(SERVER))
      throw new Error(`${SERVER} is missing: run \`npm run build\` first (npm run test:lsp does).`);
    const ipc = opts.transport === 'ipc';
    const proc = ipc
      ? spawn(process.execPath, [...SERVER_EXEC_ARGV, SERVER, '--node-ipc'], {
          cwd: ROOT,
          stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
        })
      : spawn(process.execPath, [...SERVER_EXEC_ARGV, SERVER, '--stdio'], {
          cwd: ROOT,
          stdio: ['pipe', 'pipe', 'pipe'],
        });
    const conn = ipc
      ? createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc))
      : createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const c = new TestClient(proc, conn, opts.settings ?? {});
    proc.stderr!.on('data', (d) => {
      c.stderr += String(d);
    });
    proc.on('exit', (code) => {
      c.exited = code;
    });
    // Results arrive in their columnar wire form; decoded here as the extension's client does (client/src/ctx.ts),
    // with the raw size kept for the tests and the bench.
    conn.onNotification((method: string, params: any) => {
      if (method === 'accelmap/simulationResult' && isWireResult(params?.wire)) {
        const { wire, ...rest } = params;
        params = { ...rest, result: decodeResult(wire), wireBytes: JSON.stringify(wire).length };
      }
      c.push({ method, params });
    });
    conn.onRequest(ConfigurationRequest.type, (p) =>
      p.items.map((it) => (it.section === 'accelmap' ? c.settings : null)),
    );
    conn.onRequest(RegistrationRequest.type, () => undefined);
    conn.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    conn.onRequest(InlayHintRefreshRequest.type, () => {
      c.serverRequests.push({ method: InlayHintRefreshRequest.method, params: null });
    });
    conn.onRequest(CodeLensRefreshRequest.type, () => {
      c.serverRequests.push({ method: CodeLensRefreshRequest.method, params: null });
    });
    conn.listen();
    const ws = opts.workspace;
    c.initializeResult = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: ws ? pathToFileURL(ws).toString() : null,
      workspaceFolders: ws ? [{ uri: pathToFileURL(ws).toString(), name: 'ws' }] : null,
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
          inlayHint: { refreshSupport: opts.refresh ?? true },
          codeLens: { refreshSupport: opts.refresh ?? true },
        },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
    });
    await conn.sendNotification(InitializedNotification.type, {});
    // The server says `ready` once settings are read and the workspace is scanned.
    await c.waitFor((n) => n.method === 'accelmap/status' && n.params.state === 'ready', 20_000, 'status ready');
    return c;
  }

  private push(n: Note): void {
    this.notes.push(n);
    for (const w of [...this.waiters]) {
      if (w.pred(n)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(n);
      }
    }
  }

  /** Resolves with the first notification (already received after `since`, or coming) that matches. */
  waitFor(pred: (n: Note) => boolean, timeoutMs = 15_000, what = 'notification', since = 0): Promise<Note> {
    const have = this.notes.slice(since).find(pred);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (n: Note) => {
          clearTimeout(t);
          resolve(n);
        },
      };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** The next publishDiagnostics for `uri` (optionally of exactly `version`) after mark `since`. */
  async diagnostics(uri: string, version?: number, since = 0): Promise<PublishDiagnosticsParams> {
    const n = await this.waitFor(
      (x) =>
        x.method === PublishDiagnosticsNotification.method &&
        x.params.uri === uri &&
        (version === undefined || x.params.version === version),
      15_000,
      `diagnostics of ${uri} v${version}`,
      since,
    );
    return n.params;
  }

  mark(): number {
    return this.notes.length;
  }

  open(uri: string, text: string, languageId = uri.endsWith('.json') ? 'json' : 'yaml'): number {
    this.versions.set(uri, 1);
    void this.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return 1;
  }

  /** Full-text replacement (still sent as a content change without range). */
  replace(uri: string, text: string): number {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: v },
      contentChanges: [{ text }],
    });
    return v;
  }

  /** Incremental edit. */
  edit(uri: string, range: Range, text: string): number {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: v },
      contentChanges: [{ range, text }],
    });
    return v;
  }

  save(uri: string): void {
    void this.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }
  close(uri: string): void {
    void this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      if (this.exited === undefined) {
        await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 3000))]);
        await this.conn.sendNotification(ExitNotification.type);
      }
    } catch {
      /* already gone */
    }
    await new Promise<void>((r) => {
      if (this.exited !== undefined) return r();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        r();
      }, 3000);
      this.proc.on('exit', () => {
        clearTimeout(t);
        r();
      });
    });
    this.conn.dispose();
  }
}

export function fileUri(path: string): string {
  return pathToFileURL(path).toString();
}

/** Position of the first occurrence of `needle` in `text` (offset into the match by `delta`). */
export function posOf(text: string, needle: string, delta = 0): Position {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

export function example(name: string): string {
  return readFileSync(join(ROOT, 'examples', name), 'utf8');
}

/** Apply LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const off = (p: Position) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
