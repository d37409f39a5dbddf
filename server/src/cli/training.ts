// Options shared by `import`, `simulate` and `check`: how to read an ONNX graph (--dim, --input, --batch-axis)
// and how the network is trained (--precision, --optimizer and its fields), so that an .onnx file can be simulated
// as it was trained. For .onnx files they are written into the imported spec; for spec files --optimizer and its
// fields replace the spec's optimizer.
import type { ImportOptions } from '../onnx/index';
import type { NetworkModel, Optimizer, OptimizerKind } from '../spec/types';
import { OPTIMIZERS, OPTIMIZER_USES, PRECISIONS } from '../spec/vocab';
import type { Opts, OptSpec } from './args';
import { UsageError } from './io';

export const ONNX_OPTIONS: Record<string, OptSpec> = {
  dim: {
    type: 'string',
    multiple: true,
    arg: 'NAME=N',
    help: 'value of a symbolic dimension of an .onnx input (e.g. --dim seq=128)',
  },
  input: {
    type: 'string',
    arg: 'name',
    help: 'the .onnx graph input that is the data input (default: told from how inputs are used)',
  },
  'batch-axis': {
    type: 'string',
    arg: 'axis',
    help: 'axis of the .onnx data input that holds the batch (e.g. 1 for seq-first [T, N] token ids)',
  },
};

/** Training options; `precision` is listed separately by `simulate`, which already has it. */
export const TRAINING_OPTIONS: Record<string, OptSpec> = {
  optimizer: { type: 'string', choices: OPTIMIZERS, arg: 'type', help: `optimizer (${OPTIMIZERS.join(', ')})` },
  lr: { type: 'string', arg: 'x', help: 'learning rate of --optimizer' },
  momentum: { type: 'string', arg: 'x', help: 'momentum (momentum optimizer)' },
  'weight-decay': { type: 'string', arg: 'x', help: 'weight decay' },
  beta1: { type: 'string', arg: 'x', help: 'Adam/AdamW beta1' },
  beta2: { type: 'string', arg: 'x', help: 'Adam/AdamW beta2' },
  eps: { type: 'string', arg: 'x', help: 'Adam/AdamW epsilon' },
};
export const PRECISION_OPTION: Record<string, OptSpec> = {
  precision: {
    type: 'string',
    choices: PRECISIONS,
    arg: 'p',
    help: `precision the network trains in (${PRECISIONS.join(', ')}); bf16/fp16 mean mixed precision with fp32 master weights`,
  },
};

const FIELDS: [string, string, keyof Optimizer][] = [
  ['lr', 'lr', 'lr'],
  ['momentum', 'momentum', 'momentum'],
  ['weight-decay', 'weight_decay', 'weightDecay'],
  ['beta1', 'beta1', 'beta1'],
  ['beta2', 'beta2', 'beta2'],
  ['eps', 'eps', 'eps'],
];

function num(opts: Opts, k: string): number | undefined {
  const raw = opts[k];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new UsageError(`--${k} must be a non-negative number (got '${raw}')`);
  return v;
}

/** The optimizer the options ask for (spec keys and values), or undefined when none is given. */
export function optimizerOption(opts: Opts): Record<string, string | number> | undefined {
  const type = opts.optimizer as OptimizerKind | undefined;
  const given = FIELDS.filter(([k]) => opts[k] !== undefined);
  if (!type) {
    if (given.length) throw new UsageError(`--${given[0][0]} needs --optimizer (one of ${OPTIMIZERS.join(', ')})`);
    return undefined;
  }
  const out: Record<string, string | number> = { type };
  for (const [k, key] of given) {
    if (!OPTIMIZER_USES[type].includes(key))
      throw new UsageError(
        `--${k} has no effect with --optimizer ${type} (it takes ${OPTIMIZER_USES[type]
          .filter((u) => u !== 'type')
          .map((u) => '--' + u.replace('_', '-'))
          .join(', ')})`,
      );
    out[key] = num(opts, k)!;
  }
  return out;
}

/** Replaces a loaded network's optimizer with the options' one (spec files; .onnx files get it at import). */
export function applyOptimizer(net: NetworkModel, opts: Opts): NetworkModel {
  const o = optimizerOption(opts);
  if (!o) return net;
  const opt: Optimizer = { ...net.optimizer, type: o.type as OptimizerKind };
  for (const [, key, field] of FIELDS)
    if (o[key] !== undefined) (opt as unknown as Record<string, number>)[field] = o[key] as number;
  return { ...net, optimizer: opt };
}

/** The import options of an .onnx file from the command line. */
export function importOptions(opts: Opts): ImportOptions {
  const dims: Record<string, number> = {};
  for (const d of (opts.dim as string[] | undefined) ?? []) {
    const m = /^([^=\s]+)=([0-9]+)$/.exec(d);
    if (!m || Number(m[2]) < 1)
      throw new UsageError(`--dim takes NAME=N with N a positive integer (got '${d}'), e.g. --dim seq=128`);
    dims[m[1]] = Number(m[2]);
  }
  let batchAxis: number | undefined;
  if (opts['batch-axis'] !== undefined) {
    const raw = String(opts['batch-axis']);
    if (!/^[0-9]+$/.test(raw)) throw new UsageError(`--batch-axis must be a non-negative integer (got '${raw}')`);
    batchAxis = Number(raw);
  }
  return {
    batch: opts.batch as number | undefined,
    dims: Object.keys(dims).length ? dims : undefined,
    input: opts.input as string | undefined,
    batchAxis,
    precision: opts.precision as string | undefined,
    optimizer: optimizerOption(opts),
  };
}
