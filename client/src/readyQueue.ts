// Messages for a webview that has not said `ready` yet: kept in order, only the newest of each kind, and a fresh
// webview gets the last result first. Pure (no `vscode`), so the dashboard's delivery rules are unit-tested.
import type { HostMessage } from '../../webview/src/protocol';

/**
 * 'result', 'resultWire' and 'error' replace each other (all are "what the dashboard shows"); 'show' replaces
 * 'show'; answers to the webview's requests (scaling, mapping, explain) are queued as they come.
 */
const slot = (m: HostMessage): 'content' | 'show' | 'answer' =>
  m.type === 'show'
    ? 'show'
    : m.type === 'result' || m.type === 'resultWire' || m.type === 'error'
      ? 'content'
      : 'answer';

export class ReadyQueue {
  private queue: HostMessage[] = [];
  private last: HostMessage | undefined;
  private isReady = false;

  get ready(): boolean {
    return this.isReady;
  }

  /** The latest content message (re-sent to a reloaded webview). */
  get lastContent(): HostMessage | undefined {
    return this.last;
  }

  /** Returns the messages to post now (none while the webview is not ready). */
  push(m: HostMessage): HostMessage[] {
    if (slot(m) === 'content') this.last = m;
    if (this.isReady) return [m];
    if (slot(m) !== 'answer') this.queue = this.queue.filter((q) => slot(q) !== slot(m));
    this.queue.push(m);
    return [];
  }

  /** The webview said `ready`: everything to post, the last content first when nothing newer is queued. */
  markReady(): HostMessage[] {
    this.isReady = true;
    const out = this.queue;
    this.queue = [];
    if (this.last && !out.some((q) => slot(q) === 'content')) out.unshift(this.last);
    return out;
  }

  /** A new webview document (panel created, restored, or reloaded): wait for its `ready` again. */
  reset(): void {
    this.isReady = false;
    this.queue = [];
  }
}
