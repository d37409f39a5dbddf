// Debounced analysis per document. Each change restarts the document's timer (setting accelmap.validate.delayMs);
// when it fires the current version is analysed and its diagnostics published, tagged with that version. A
// diagnostic set is only sent if the document still has the version it was computed for, so rapid edits never
// show diagnostics of an older text.
import type { Diagnostic } from 'vscode-languageserver/node';
import type { ServerState } from './state';
import { toLspDiagnostic } from './diagnostics';
import { runSafeVoid } from './runSafe';

export type Publish = (uri: string, version: number | undefined, diagnostics: Diagnostic[]) => void;

export class Validator {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents we have published a non-empty set for (so we can clear them when they stop being specs). */
  private readonly published = new Set<string>();

  constructor(
    private readonly state: ServerState,
    private readonly publish: Publish,
    /** Called after a document's diagnostics went out (e.g. to simulate on type). */
    private readonly after: (uri: string, version: number) => void = () => undefined,
  ) {}

  schedule(uri: string, delayMs = this.state.settings.validateDelayMs): void {
    this.cancel(uri);
    const t = setTimeout(() => {
      this.timers.delete(uri);
      runSafeVoid(`validate ${uri}`, () => this.validateNow(uri));
    }, delayMs);
    this.timers.set(uri, t);
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) {
      clearTimeout(t);
      this.timers.delete(uri);
    }
  }

  pending(uri: string): boolean {
    return this.timers.has(uri);
  }

  validateNow(uri: string): void {
    this.cancel(uri);
    const td = this.state.documents.get(uri);
    if (!td) return;
    const version = td.version;
    if (!this.state.isSpec(uri)) {
      if (this.published.delete(uri)) this.publish(uri, version, []);
      return;
    }
    const diags = this.state.diagnostics(uri).map((d) => toLspDiagnostic(d, this.state.caps.relatedInformation));
    // Version guard: analysis is synchronous today, but keep the check so an async step can never publish stale sets.
    if (this.state.documents.get(uri)?.version !== version) return;
    this.publish(uri, version, diags);
    this.published.add(uri);
    this.after(uri, version);
  }

  /** The document closed: stop its timer and clear what we published. */
  closed(uri: string): void {
    this.cancel(uri);
    if (this.published.delete(uri)) this.publish(uri, undefined, []);
  }

  /** Re-analyse every open spec document soon (settings or hardware changed). */
  revalidateAll(delayMs = 0): void {
    for (const td of this.state.documents.all()) this.schedule(td.uri, delayMs);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
