// `accelmap import <model.onnx> [-o network.net.yaml] [--batch N] [--name NAME] [--dim NAME=N] [--input NAME]
//  [--precision P] [--optimizer T ...]`: the spec to stdout or a file.
import { resolve } from 'node:path';
import { importOnnxFileSync, ImportError } from '../onnx/index';
import { parseArgs, optionHelp, type OptSpec } from './args';
import { CliError, deliver, UsageError, type CliIO } from './io';
import { importOptions, ONNX_OPTIONS, PRECISION_OPTION, TRAINING_OPTIONS } from './training';

export const IMPORT_OPTIONS: Record<string, OptSpec> = {
  out: { type: 'string', short: 'o', arg: 'file', help: 'write the network spec here (default: stdout)' },
  batch: {
    type: 'int',
    short: 'b',
    arg: 'N',
    help: "batch size (replaces the model's batch; required when it is dynamic)",
  },
  name: { type: 'string', short: 'n', arg: 'name', help: 'network name (default: the model file name)' },
  ...ONNX_OPTIONS,
  ...PRECISION_OPTION,
  ...TRAINING_OPTIONS,
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export function importCommand(argv: string[], io: CliIO): number {
  const { positionals, opts } = parseArgs(argv, IMPORT_OPTIONS, 'import');
  if (opts.help) {
    io.out(`usage: accelmap import <model.onnx> [options]\n\noptions:\n${optionHelp(IMPORT_OPTIONS)}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `import needs exactly one .onnx file (got ${positionals.length}); usage: accelmap import <model.onnx> [-o out.net.yaml]`,
    );
  let r;
  try {
    r = importOnnxFileSync(resolve(io.cwd, positionals[0]), {
      ...importOptions(opts),
      name: opts.name as string | undefined,
    });
  } catch (e) {
    if (e instanceof ImportError) throw new CliError(e.message);
    throw e;
  }
  for (const w of r.warnings) io.err(`warning: ${w}\n`);
  deliver(io, opts.out, r.yaml, `: ${r.layerCount} layers, batch ${r.graph.batch}`);
  return 0;
}
