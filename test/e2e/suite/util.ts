// Helpers of the e2e suite (runs inside the VS Code extension host).
import * as vscode from 'vscode';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `f` until it returns a value other than undefined/false, or fails after `ms` with `what`. */
export async function waitFor<T>(
  what: string,
  f: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 20000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

export function diagCode(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c ?? '');
}

export function workspaceFile(name: string): vscode.Uri {
  const ws = vscode.workspace.workspaceFolders?.[0];
  if (!ws) throw new Error('the e2e suite needs a workspace folder (test/e2e/workspace copied to a temp dir)');
  return vscode.Uri.joinPath(ws.uri, name);
}

/**
 * Asks the harness (test/e2e/run.mjs) for a screenshot of the workbench, optionally checking that the visible text
 * contains `expect`. Resolves with what the harness saw: 'ok', 'missing' (text not found) or 'none' (no harness,
 * e.g. under @vscode/test-electron).
 */
export async function screenshot(name: string, expect?: string): Promise<'ok' | 'missing' | 'none'> {
  const dir = process.env.ACCELMAP_E2E_SHOTS;
  if (!dir) return 'none';
  const done = join(dir, `${name}.done`);
  console.log(`ACCELMAP_SHOT ${JSON.stringify({ name, expect: expect ?? null })}`);
  try {
    await waitFor(`screenshot ${name}`, () => existsSync(done), 15000);
  } catch {
    return 'none';
  }
  return readFileSync(done, 'utf8').trim() === 'missing' ? 'missing' : 'ok';
}

/** Runs `f` up to `times` times while it fails with VS Code's `Canceled` error. */
export async function retry<T>(what: string, f: () => Thenable<T>, times = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (i >= times || !/Canceled/.test(String(e))) throw e;
      console.log(`E2E retry ${what} (${String(e)})`);
      await sleep(500 * i);
    }
  }
}
