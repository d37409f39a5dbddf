// Runs the CLI's main() in-process with captured stdout/stderr.
import { main } from '../../../server/src/cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export function runCli(argv: string[], cwd = process.cwd(), tty = false): CliRun {
  let out = '';
  let err = '';
  const code = main(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    errIsTTY: tty,
    cwd,
  });
  if (typeof code !== 'number') throw new Error('an asynchronous command: use runCliAsync');
  return { code, out, err };
}

/** runCli for commands that may finish asynchronously (accelmap sweep with worker threads). */
export async function runCliAsync(argv: string[], cwd = process.cwd(), tty = false): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    errIsTTY: tty,
    cwd,
  });
  return { code, out, err };
}
