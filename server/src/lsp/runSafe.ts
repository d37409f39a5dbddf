// Every request handler runs through runSafe: an exception or a cancelled request never reaches the client as a
// crash; the client gets a safe default (null, [], ...) or a RequestCancelled error, and the error is logged.
// Idea after vscode json-language-features `utils/runner.ts` (read, not copied).
import { CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

export type Logger = (message: string) => void;

let log: Logger = (m) => process.stderr.write(m + '\n');
export function setSafeLogger(l: Logger): void {
  log = l;
}

export function formatError(message: string, err: unknown): string {
  if (err instanceof Error) return `${message}: ${err.message}\n${err.stack ?? ''}`;
  return `${message}: ${String(err)}`;
}

function cancelled(): ResponseError<void> {
  return new ResponseError<void>(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/**
 * Run `fn` for a request. Returns `fallback` when it throws; answers RequestCancelled when `token` fires before
 * or after the work (so stale results are never sent).
 */
export async function runSafe<T>(
  what: string,
  fn: () => T | Promise<T>,
  fallback: T,
  token?: CancellationToken,
): Promise<T | ResponseError<void>> {
  if (token?.isCancellationRequested) return cancelled();
  try {
    const result = await fn();
    if (token?.isCancellationRequested) return cancelled();
    return result;
  } catch (err) {
    log(formatError(`accelmap: ${what} failed`, err));
    return fallback;
  }
}

/** The same for notifications and timers: never throws. */
export function runSafeVoid(what: string, fn: () => void | Promise<void>): void {
  try {
    const r = fn();
    if (r && typeof (r as Promise<void>).catch === 'function') {
      (r as Promise<void>).catch((err) => log(formatError(`accelmap: ${what} failed`, err)));
    }
  } catch (err) {
    log(formatError(`accelmap: ${what} failed`, err));
  }
}
