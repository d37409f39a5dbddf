// Runs the CLI's main() in-process with captured stdout/stderr.
import { main } from '../../../server/src/cli/main';

export interface CliRun { code: number; out: string; err: string }

export function runCli(argv: string[], cwd = process.cwd(), tty = false): CliRun {
  let out = '';
  let err = '';
  const code = main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, errIsTTY: tty, cwd });
  return { code, out, err };
}
