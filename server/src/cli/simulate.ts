// `accelmap simulate <network> [--hw FILE]... [--target NAME]... [--batch N] [--precision P] [--baseline NAME]
//  [--format table|json|csv|trace] [--out FILE]`
import { resolve } from 'node:path';
import { simulate } from '../sim/index';
import { PRECISIONS } from '../spec/vocab';
import type { Precision } from '../spec/types';
import type { SimulationResult } from '../sim/types';
import { optionHelp, parseArgs, type OptSpec } from './args';
import { deliver, UsageError, type CliIO } from './io';
import { chooseTargets, loadNetwork } from './load';
import { csvReport, textReport } from './format';
import { htmlReport } from './html';
import pkg from '../../../package.json';
const VERSION: string = pkg.version;
import { formatDiagnostic } from './diagnostics';
import { chromeTrace } from './trace';
import type { NetworkModel, TargetModel } from '../spec/types';
import { applyOptimizer, importOptions, ONNX_OPTIONS, TRAINING_OPTIONS } from './training';

export const SIMULATE_OPTIONS: Record<string, OptSpec> = {
  hw: { type: 'string', multiple: true, arg: 'file', help: 'hardware spec whose targets to use' },
  target: {
    type: 'string',
    multiple: true,
    short: 't',
    arg: 'name',
    help: 'target (preset or target of a --hw / network hardware file)',
  },
  batch: {
    type: 'int',
    short: 'b',
    arg: 'N',
    help: 'batch size (overrides the spec; required for an .onnx with a dynamic batch)',
  },
  precision: { type: 'string', choices: PRECISIONS, arg: 'p', help: `precision (${PRECISIONS.join(', ')})` },
  ...TRAINING_OPTIONS,
  ...ONNX_OPTIONS,
  baseline: { type: 'string', arg: 'name', help: 'target the others are compared with' },
  format: {
    type: 'string',
    choices: ['table', 'json', 'csv', 'trace', 'html'],
    short: 'f',
    arg: 'fmt',
    help: 'output format: table (default), json (SimulationResult), csv (one row per target, layer, phase), trace (Chrome/Perfetto trace JSON: open it in ui.perfetto.dev or chrome://tracing), html (a self-contained report: summary, charts, per-layer tables, assumptions and sources)',
  },
  out: { type: 'string', short: 'o', arg: 'file', help: 'write the output to a file (only after success, atomically)' },
  'no-layers': { type: 'boolean', help: 'table format: only the per-target summary' },
  quiet: { type: 'boolean', short: 'q', help: "do not print the spec's (or import's) warnings on stderr" },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export const SIMULATE_USAGE = 'accelmap simulate <network.{yaml,yml,json,onnx}> [options]';

/** Runs the simulation of one network file; throws CliError/UsageError on bad input. */
export function runSimulation(
  networkPath: string,
  o: {
    hw?: string[];
    target?: string[];
    batch?: number;
    precision?: string;
    baseline?: string;
    opts?: Record<string, string | number | boolean | string[] | undefined>;
  },
  warn?: (line: string) => void,
  seen?: { network?: NetworkModel; targets?: TargetModel[] },
): SimulationResult {
  const cli = o.opts ?? {};
  const onnx = importOptions({ ...cli, batch: o.batch, precision: o.precision });
  const loaded0 = loadNetwork(networkPath, o.batch, onnx);
  const { loaded } = loaded0;
  // A spec file's optimizer is replaced by --optimizer; an .onnx file got it (and --precision) at import.
  const network = applyOptimizer(loaded0.network, cli);
  if (seen) seen.network = network;
  for (const d of loaded.diagnostics) if (d.severity === 'warning') warn?.(formatDiagnostic(d));
  const { targets } = chooseTargets(networkPath, network, o.hw ?? [], o.target ?? [], o.baseline);
  if (seen) seen.targets = targets;
  return simulate(network, targets, {
    baseline: o.baseline,
    batch: o.batch,
    precision: o.precision as Precision | undefined,
  });
}

export function simulateCommand(argv: string[], io: CliIO): number {
  const { positionals, opts } = parseArgs(argv, SIMULATE_OPTIONS, 'simulate');
  if (opts.help) {
    io.out(`usage: ${SIMULATE_USAGE}\n\n${optionsText()}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `simulate needs exactly one network file (got ${positionals.length}); usage: ${SIMULATE_USAGE}`,
    );
  const path = resolve(io.cwd, positionals[0]);
  const hw = ((opts.hw as string[] | undefined) ?? []).map((p) => resolve(io.cwd, p));
  const progress = io.errIsTTY;
  if (progress) io.err(`simulating ${positionals[0]}…`);
  let result: SimulationResult;
  const warnings: string[] = [];
  const seen: { network?: NetworkModel; targets?: TargetModel[] } = {};
  try {
    result = runSimulation(
      path,
      {
        hw,
        target: opts.target as string[] | undefined,
        batch: opts.batch as number | undefined,
        precision: opts.precision as string | undefined,
        baseline: opts.baseline as string | undefined,
        opts,
      },
      (l) => warnings.push(l),
      seen,
    );
  } finally {
    if (progress) io.err('\r\x1b[K');
  }
  if (!opts.quiet) for (const w of warnings) io.err(w + '\n');
  const fmt = (opts.format as string | undefined) ?? 'table';
  const text =
    fmt === 'json'
      ? JSON.stringify(result, null, 2) + '\n'
      : fmt === 'csv'
        ? csvReport(result)
        : fmt === 'trace'
          ? JSON.stringify(chromeTrace(result, seen.network)) + '\n'
          : fmt === 'html'
            ? htmlReport(result, seen.network, seen.targets ?? [], VERSION)
            : textReport(result, { layers: !opts['no-layers'] });
  deliver(io, opts.out, text, ` (${result.targets.length} target${result.targets.length === 1 ? '' : 's'})`);
  return 0;
}

const optionsText = () =>
  `options:\n${optionHelp(SIMULATE_OPTIONS)}\n\nTargets: --target names; else every target of the --hw files; else the network's \`targets:\`; else one preset of every kind.`;
