// `accelmap sweep <sweep.yaml> [--out results.csv|.jsonl] [--shard i/n] [--workers N] [--pareto A,B]` and
// `accelmap sweep merge <parts...> --out all.csv`: design-space sweeps (sweep/spec.ts, sweep/run.ts). --shard (or
// SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT) runs one slice for a cluster's scheduler; rerunning with the same
// --out resumes; merge joins slices into the file one full run writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { resolveTargets } from '../spec/index';
import { readSweep, SpecInputError, type Objective, OBJECTIVES, type SweepSpec } from '../sweep/spec';
import {
  objectivesFrom,
  pareto,
  parquetBytes,
  pointCount,
  runSweep,
  runSweepParallel,
  type Format,
  type Row,
  type RunResult,
} from '../sweep/run';
import { optionHelp, parseArgs, type Opts, type OptSpec } from './args';
import { CliError, UsageError, writeFileAtomic, type CliIO } from './io';
import { chooseTargets, loadHardware, loadNetwork } from './load';

export const SWEEP_OPTIONS: Record<string, OptSpec> = {
  out: {
    type: 'string',
    short: 'o',
    arg: 'file',
    help: 'results file: .csv or .jsonl (streamed; rerun to resume) or .parquet (written at the end). Without it the Pareto front is printed',
  },
  shard: {
    type: 'string',
    arg: 'i/n',
    help: 'run slice i of n (0-based); default SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set',
  },
  workers: { type: 'int', short: 'j', arg: 'N', help: 'worker threads (default: all cores; 1 = this thread)' },
  pareto: {
    type: 'string',
    arg: 'a,b',
    help: `two objectives for the printed Pareto front (default: the spec's first two; ${OBJECTIVES.join(', ')})`,
  },
  format: {
    type: 'string',
    choices: ['csv', 'jsonl'],
    short: 'f',
    arg: 'fmt',
    help: "results format (default: from --out's extension, else csv)",
  },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const USAGE =
  'accelmap sweep <sweep.yaml> [--out results.{csv,jsonl,parquet}] [--shard i/n] [--workers N]\n       accelmap sweep merge <part.csv ...> --out all.{csv,parquet}';

export function sweepCommand(argv: string[], io: CliIO): number | Promise<number> {
  if (argv[0] === 'merge') return mergeCommand(argv.slice(1), io);
  const { positionals, opts } = parseArgs(argv, SWEEP_OPTIONS, 'sweep');
  if (opts.help) {
    io.out(`usage: ${USAGE}\n\noptions:\n${optionHelp(SWEEP_OPTIONS)}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`sweep needs one sweep spec (got ${positionals.length}); usage: ${USAGE}`);
  const file = resolve(io.cwd, positionals[0]);
  const base = dirname(file);
  const spec = readSpec(positionals[0], file);
  const netPath = resolve(base, spec.network);
  const { network } = loadNetwork(netPath);
  const [target] = chooseTargets(
    netPath,
    network,
    spec.hardware.map((p) => resolve(base, p)),
    [spec.target],
  ).targets;
  const shard = shardOf(opts);
  const out = opts.out ? resolve(io.cwd, opts.out as string) : undefined;
  const format: Format = (opts.format as Format | undefined) ?? (out?.endsWith('.jsonl') ? 'jsonl' : 'csv');
  // parquet cannot be appended to: its rows are kept and the file written when the run ends (no resume; --shard
  // parts as .csv merged into one .parquet with `accelmap sweep merge` is the way for a large sweep)
  const parquet = !!out?.endsWith('.parquet');
  const pair = ((opts.pareto as string | undefined)?.split(',') ?? spec.objectives.slice(0, 2)) as Objective[];
  if (pair.length !== 2 || pair.some((p) => !OBJECTIVES.includes(p)))
    throw new UsageError(`--pareto takes two of ${OBJECTIVES.join(', ')} (got '${opts.pareto}')`);
  const workers = (opts.workers as number | undefined) ?? availableParallelism();
  const progress = io.errIsTTY
    ? (d: number, n: number) => io.err(`\r  sweep: ${d} / ${n} points (${((100 * d) / Math.max(1, n)).toFixed(0)}%)`)
    : undefined;
  let stop = false;
  const onInt = () => {
    stop = true;
  };
  process.once('SIGINT', onInt);
  const finish = (r: RunResult): number => {
    process.removeListener('SIGINT', onInt);
    if (progress) io.err('\n');
    io.out(summaryText(spec, r, shard, opts.out as string | undefined, pair));
    return 0;
  };
  const run = { shard, progress, cancelled: () => stop };
  if (parquet) {
    const write = async (r: RunResult): Promise<number> => {
      writeFileAtomic(out!, await parquetBytes(spec.axes, r.rows, spec.objectives));
      return finish(r);
    };
    if (workers <= 1) return write(runSweep(spec, network, target, { ...run, format: 'jsonl', keep: true }));
    return runSweepParallel(spec, network, target, { ...run, format: 'jsonl', workers, keep: true }).then(write);
  }
  if (workers <= 1 || !out) return finish(runSweep(spec, network, target, { ...run, out, format, keep: !out }));
  return runSweepParallel(spec, network, target, { ...run, out, format, workers }).then(finish);
}

/** The sweep spec; its problems are one file:line:col line each of the error. */
function readSpec(name: string, file: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const base = dirname(file);
  try {
    return readSweep(
      name,
      text,
      (t, hw) => resolveTargets([t], loadHardware(hw.map((p) => resolve(base, p)))).targets[0]?.kind,
    );
  } catch (e) {
    if (e instanceof SpecInputError)
      throw new CliError(
        `${e.issues.length} problem${e.issues.length > 1 ? 's' : ''} in ${name}:\n${e.issues.map((i) => `  ${i.file}:${i.line}:${i.col}: ${i.message}`).join('\n')}`,
      );
    throw e;
  }
}

/** --shard i/n, else Slurm's array task id and count when set, else the whole sweep (0/1). */
function shardOf(opts: Opts): [number, number] {
  const sh =
    (opts.shard as string | undefined) ??
    (process.env.SLURM_ARRAY_TASK_ID !== undefined && process.env.SLURM_ARRAY_TASK_COUNT
      ? `${process.env.SLURM_ARRAY_TASK_ID}/${process.env.SLURM_ARRAY_TASK_COUNT}`
      : undefined);
  if (sh === undefined) return [0, 1];
  const m = /^(\d+)\/(\d+)$/.exec(sh);
  if (!m || Number(m[1]) >= Number(m[2])) throw new UsageError(`--shard must be i/n with 0 <= i < n (got '${sh}')`);
  return [Number(m[1]), Number(m[2])];
}

/** The run in one line (points, shard, resumed, feasible, speed), then the results file or the Pareto front. */
function summaryText(
  spec: SweepSpec,
  r: RunResult,
  shard: [number, number],
  outName: string | undefined,
  pair: Objective[],
): string {
  const total = pointCount(spec.axes);
  const lines = [
    `${spec.name}: ${total} design points${shard[1] > 1 ? `, shard ${shard[0]}/${shard[1]}: ${r.inShard}` : ''}; ${r.evaluated} evaluated${r.skipped ? ` (${r.skipped} already in ${outName}: resumed)` : ''}, ${r.feasible} within the constraints, in ${r.seconds.toFixed(2)} s (${Math.round(r.evaluated / Math.max(1e-9, r.seconds))} points/s)${r.cancelled ? ' — interrupted; rerun to resume' : ''}`,
  ];
  if (outName) lines.push(`results: ${outName}`);
  else {
    const front = pareto(r.rows, pair[0], pair[1]);
    lines.push(
      '',
      `Pareto front (${pair[0]} vs ${pair[1]}), ${front.length} of ${r.rows.length} points:`,
      `  ${['index', ...spec.axes.map((a) => a.name), pair[0], pair[1]].join('  ')}`,
    );
    for (const p of front.slice(0, 40))
      lines.push(
        `  ${[p.i, ...p.values.map((v) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v)), p.objectives[pair[0]].toPrecision(4), p.objectives[pair[1]].toPrecision(4)].join('  ')}`,
      );
  }
  return lines.join('\n') + '\n';
}

function mergeCommand(argv: string[], io: CliIO): number | Promise<number> {
  const { positionals, opts } = parseArgs(argv, { out: SWEEP_OPTIONS.out, help: SWEEP_OPTIONS.help }, 'sweep merge');
  if (opts.help || !positionals.length) {
    io.out(`usage: accelmap sweep merge <part ...> --out all.csv\n`);
    return positionals.length ? 0 : 2;
  }
  if (!opts.out) throw new UsageError('sweep merge needs --out FILE');
  const jsonl = positionals[0].endsWith('.jsonl');
  let head: string | undefined;
  const rows = new Map<number, string>();
  for (const p of positionals) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, p), 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const lines = text.split('\n').filter((l) => l.trim());
    if (!jsonl) {
      const h = lines.shift();
      if (head !== undefined && h !== head)
        throw new CliError(`${p}: its header differs from ${positionals[0]}'s (parts of different sweeps?)`);
      head = h;
    }
    for (const l of lines) {
      const i = jsonl ? (JSON.parse(l) as { index: number }).index : Number(l.split(',')[0]);
      const prev = rows.get(i);
      if (prev !== undefined && prev !== l)
        throw new CliError(`point ${i} differs between parts (${p}): different sweeps or versions?`);
      rows.set(i, l);
    }
  }
  const sorted = [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
  if ((opts.out as string).endsWith('.parquet')) {
    // the parts' rows as one parquet file (axis columns are the header's between `index` and `time_s`)
    const cols = jsonl ? Object.keys(JSON.parse(sorted[0] ?? '{}')) : (head ?? '').split(',');
    const axes = cols.slice(1, cols.indexOf('time_s')).map((name) => ({ name }));
    const parsed: Row[] = sorted.map((l) => {
      const v: Record<string, string | number> = jsonl
        ? JSON.parse(l)
        : Object.fromEntries(
            l.split(',').map((x, k) => [cols[k], x === '' ? Number.NaN : /^[-+\d.eE]+$/.test(x) ? Number(x) : x]),
          );
      const n = (k: string) => Number(v[k]);
      return {
        i: n('index'),
        values: axes.map((a) => v[a.name]),
        objectives: objectivesFrom((c) => (c in v ? n(c) : Number.NaN)),
      };
    });
    return parquetBytes(axes, parsed, cols.includes('area_m2') ? ['area'] : []).then((bytes) => {
      writeFileAtomic(resolve(io.cwd, opts.out as string), bytes);
      io.out(`merged ${positionals.length} parts: ${sorted.length} points -> ${opts.out}\n`);
      return 0;
    });
  }
  const text = (head ? head + '\n' : '') + sorted.join('\n') + (sorted.length ? '\n' : '');
  writeFileAtomic(resolve(io.cwd, opts.out as string), text);
  io.out(`merged ${positionals.length} parts: ${sorted.length} points -> ${opts.out}\n`);
  return 0;
}

/** Sorts a results file by index (a parallel run writes chunks as they finish). */
export function sortResults(path: string): void {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const jsonl = path.endsWith('.jsonl');
  const head = jsonl ? undefined : lines.shift();
  const key = (l: string) => (jsonl ? (JSON.parse(l) as { index: number }).index : Number(l.split(',')[0]));
  lines.sort((a, b) => key(a) - key(b));
  writeFileSync(path, (head ? head + '\n' : '') + lines.join('\n') + '\n');
}
