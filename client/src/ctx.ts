// Client lifecycle: owns the LanguageClient (server = dist/server.js over IPC), restarts it, and hands it to
// commands once it is running (`ctx.client()` waits for the start, so commands work even while the server boots).
import { decodeResult, isWireResult } from '../../server/src/lsp/resultWire';
import type { SimulationResult } from '../../server/src/sim/types';
import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  PRESET_SCHEME,
  SimulationResultNotification,
  StatusNotification,
  type SimulationResultParams,
  type StatusParams,
} from '../../server/src/lsp/protocol';
import { readConfig } from './config';
import { SERVER_EXEC_ARGV } from './serverProcess';

export class Ctx implements vscode.Disposable {
  private lc: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly onResultEmitter = new vscode.EventEmitter<SimulationResultParams>();
  private readonly onStatusEmitter = new vscode.EventEmitter<StatusParams>();
  /** Simulation results pushed by the server (after save) or answered to `accelmap/simulate`. */
  readonly onResult = this.onResultEmitter.event;
  readonly onStatus = this.onStatusEmitter.event;
  /** The latest response per document URI. */
  readonly results = new Map<string, SimulationResultParams>();

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {}

  /** The running client; starts it when needed and waits for it. */
  client(): Promise<LanguageClient> {
    if (this.lc?.isRunning()) return Promise.resolve(this.lc);
    if (!this.starting) {
      this.starting = this.start().finally(() => {
        this.starting = undefined;
      });
    }
    return this.starting;
  }

  private async start(): Promise<LanguageClient> {
    const module = vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'server.js').fsPath;
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
      debug: {
        module,
        transport: TransportKind.ipc,
        options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'] },
      },
    };
    const cfg = readConfig((k) => vscode.workspace.getConfiguration('accelmap').get(k));
    // Every YAML/JSON document goes to the server: it decides which ones are specs (by name pattern or `kind:`).
    const documentSelector = [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'json' },
      { scheme: 'untitled', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: PRESET_SCHEME, language: 'yaml' },
    ];
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      outputChannel: this.log,
      initializationOptions: { settings: cfg },
      synchronize: {
        configurationSection: 'accelmap',
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{net,hw}.{yaml,yml,json}'),
      },
    };
    const lc = new LanguageClient('accelmap', 'accelmap', serverOptions, clientOptions);
    lc.onNotification(StatusNotification, (p: StatusParams) => this.onStatusEmitter.fire(p));
    lc.onNotification(SimulationResultNotification, (p: SimulationResultParams) => {
      this.acceptResult(p);
    });
    // The client restarts a crashed server a few times by itself; when it gives up, the status item says so.
    lc.onDidChangeState((e) => {
      if (e.newState === State.Stopped && this.lc === lc) {
        this.onStatusEmitter.fire({
          state: 'error',
          message: 'The language server stopped. Run "accelmap: Restart Language Server".',
          documents: 0,
        });
      } else if (e.newState === State.Running && this.lc === lc) {
        this.onStatusEmitter.fire({ state: 'ready', message: 'language server running', documents: 0 });
      }
    });
    this.log.info(`starting language server ${module}`);
    try {
      await lc.start();
    } catch (e) {
      this.log.error(`language server failed to start: ${String(e)}`);
      this.onStatusEmitter.fire({ state: 'error', message: `failed to start: ${String(e)}`, documents: 0 });
      throw e;
    }
    this.lc = lc;
    this.onStatusEmitter.fire({ state: 'ready', message: 'language server running', documents: 0 });
    return lc;
  }

  /** Records a result (from a notification or a request's answer) and tells listeners. */
  acceptResult(received: SimulationResultParams): SimulationResultParams {
    const p = withLazyResult(received);
    // The server both answers accelmap/simulate and notifies the same run: take it once (the notification, which
    // carries the wire form, may come after the answer: it replaces it without telling listeners again).
    const prev = this.results.get(p.uri);
    if (prev && prev.version === p.version && prev.elapsedMs === p.elapsedMs && prev.error === p.error) {
      if (p.wire && !prev.wire) this.results.set(p.uri, p);
      return p;
    }
    this.results.set(p.uri, p);
    if (p.error) this.log.warn(`simulation of ${p.uri} stopped: ${p.error}`);
    else this.log.info(`simulated ${p.uri} in ${p.elapsedMs.toFixed(1)} ms`);
    this.onResultEmitter.fire(p);
    return p;
  }

  async restart(): Promise<void> {
    this.log.info('restarting the language server');
    await this.stop();
    await this.client();
  }

  async stop(): Promise<void> {
    const lc = this.lc;
    this.lc = undefined;
    if (lc) {
      try {
        await lc.stop(5000);
      } catch (e) {
        this.log.warn(`stopping the language server: ${String(e)}`);
      }
    }
  }

  dispose(): void {
    void this.stop();
    this.onResultEmitter.dispose();
    this.onStatusEmitter.dispose();
  }
}

/**
 * A run's notification or answer as the extension keeps it: a wire form stays as it came (the dashboard decodes it
 * itself) and `result` is decoded from it only when something of the extension reads it (a 10,000-layer result
 * takes ~1 s to decode).
 */
function withLazyResult(p: SimulationResultParams): SimulationResultParams {
  const { wire, ...rest } = p;
  if (!isWireResult(wire)) return rest;
  let decoded: SimulationResult | undefined;
  const q: SimulationResultParams = { ...rest, wire };
  Object.defineProperty(q, 'result', {
    enumerable: true,
    configurable: true,
    get: () => (decoded ??= decodeResult(wire)),
  });
  return q;
}
