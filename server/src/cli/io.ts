// The CLI's outside world, injectable so tests run commands in-process with captured output.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal (progress lines are shown only then). */
  errIsTTY: boolean;
  cwd: string;
}

export const processIO = (): CliIO => ({
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  errIsTTY: !!process.stderr.isTTY,
  cwd: process.cwd(),
});

/** A usage error (exit 2). */
export class UsageError extends Error {}
/** A failure reported to the user (exit 1); the message is complete and printed as is. */
export class CliError extends Error {}

/** Writes a file atomically: a temp file in the same folder, then rename (readers never see half a file). */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, typeof text === 'string' ? { encoding: 'utf8', flag: 'wx' } : { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CliError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A command's output: to `out` (relative to the working folder, atomically; "wrote FILE" on stderr), else stdout. */
export function deliver(io: CliIO, out: unknown, text: string, what = ''): void {
  if (out) {
    writeFileAtomic(resolve(io.cwd, out as string), text);
    io.err(`wrote ${out}${what}\n`);
  } else io.out(text);
}
