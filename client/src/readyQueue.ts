// Messages for a webview that has not said `ready` yet: kept in order, only the newest of each kind, and a fresh
// webview gets the last result first. Pure (no `vscode`), so the dashboard's delivery rules are unit-tested.
import type { HostMessage } from '../../webview/src/protocol';

/** 'result' and 'error' replace each other (both are "what the dashboard shows"); 'show' replaces 'show'. */
const slot = (m: HostMessage): 'content' | 'show' => (m.type === 'show' ? 'show' : 'content');

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
    this.queue = this.queue.filter((q) => slot(q) !== slot(m));
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
