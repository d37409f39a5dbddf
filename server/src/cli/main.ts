// The `accelmap` command line (bundled to dist/cli.js). Exit codes: 0 success, 1 failure (bad spec, import error,
// check found errors), 2 usage error. Every failure is a message, never a stack trace.
import { didYouMean } from '../spec/suggest';
import { CliError, processIO, UsageError, type CliIO } from './io';
import { simulateCommand } from './simulate';
import { checkCommand } from './check';
import { targetsCommand } from './targets';
import { importCommand } from './import';
import { explainCommand } from './explain';
import { timeloopCommand } from './timeloop';
import { mapCommand } from './map';
import { scaleCommand } from './scale';
import { sweepCommand } from './sweep';
import { isMainThread } from 'node:worker_threads';
import { sweepWorkerMain } from '../sweep/worker';
import pkg from '../../../package.json';

const COMMANDS: Record<string, { run: (argv: string[], io: CliIO) => number | Promise<number>; help: string }> = {
  simulate: { run: simulateCommand, help: "simulate a network's training on targets (table, json or csv)" },
  check: { run: checkCommand, help: 'print the diagnostics of spec (and .onnx) files; exit 1 on errors' },
  targets: { run: targetsCommand, help: 'list the built-in hardware presets with key figures and sources' },
  import: { run: importCommand, help: 'convert an ONNX model to a network spec' },
  explain: { run: explainCommand, help: 'where a time or an energy comes from, and which knobs move it most' },
  map: {
    run: mapCommand,
    help: 'the mapping chosen for every layer phase on a spatial target, and what the mapper searched',
  },
  sweep: {
    run: sweepCommand,
    help: 'a design-space sweep: axes over knobs, batch, precision; sharded, resumable, all cores',
  },
  scale: {
    run: scaleCommand,
    help: 'a training step on many devices: parallelism, collectives, memory per device, scaling',
  },
  timeloop: { run: timeloopCommand, help: 'evaluate a Timeloop v0.4 mapping, or search one, with the loop-nest model' },
};

export const VERSION: string = pkg.version;

export function usage(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `accelmap ${VERSION} — how a DNN's training maps onto NTX, CATERPILLAR, GradPIM, NeuroTrainer, radix-4 IMC and GPUs`,
    '',
    'usage: accelmap <command> [options]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(w)}  ${d.help}`),
    '',
    'examples:',
    '  accelmap simulate examples/resnet50.net.yaml --target h100-sxm --target ntx --baseline h100-sxm',
    '  accelmap simulate model.onnx --batch 32 --format json --out result.json',
    '  accelmap check examples/*.yaml',
    '  accelmap import model.onnx --batch 32 -o model.net.yaml',
    '  accelmap scale examples/resnet50.net.yaml --system dgx-h100 --devices 1,2,4,8',
    '  accelmap timeloop arch.yaml prob.yaml map.yaml --ert ERT.yaml --format json',
    '',
    'Run `accelmap <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

export function main(argv: string[], io: CliIO = processIO()): number | Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      io.out(usage());
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
      io.out(`${VERSION}\n`);
      return 0;
    }
    const c = COMMANDS[cmd];
    if (!c) {
      const names = [...Object.keys(COMMANDS), '--help', '--version'];
      const g = didYouMean(cmd, names);
      throw new UsageError(
        `unknown ${cmd.startsWith('-') ? 'option' : 'command'} '${cmd}'${g ? `; did you mean '${g}'?` : ''} (see accelmap --help)`,
      );
    }
    const r = c.run(rest, io);
    return typeof r === 'number' ? r : r.catch((e) => report(e, io));
  } catch (e) {
    return report(e, io);
  }
}

function report(e: unknown, io: CliIO): number {
  {
    if (e instanceof UsageError) {
      io.err(`accelmap: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CliError) {
      io.err(`accelmap: ${e.message}\n`);
      return 1;
    }
    io.err(
      `accelmap: internal error: ${(e as Error)?.message ?? String(e)} (please report it with the command line and files)\n`,
    );
    return 1;
  }
}

// In a sweep's worker thread (the bundle is its own worker script) only the worker runs (sweep/worker.ts starts
// itself on import); the command line runs on the main thread.
void sweepWorkerMain;
if (isMainThread && typeof require !== 'undefined' && require.main === module) {
  // `accelmap … | head`: a reader that stops early closes the pipe; that ends the command quietly, as Unix tools do
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  void Promise.resolve(main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
}
