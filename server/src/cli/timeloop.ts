// `accelmap timeloop <arch.yaml> <problem.yaml> [<mapping.yaml>] [--constraints F] [--mapper F] [--ert F]
// [--metric M] [--budget N|Ns] [--format table|json]`: Timeloop v0.4 input evaluated by accelmap's loop-nest model
// (sim/nest). With a mapping it evaluates it; without one it runs the mapper. Input problems are reported as
// file:line:column messages (exit 1).
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { emitSpecs } from '../timeloop/emit';
import { analyzeMapping, type NestResult } from '../sim/nest/analyze';
import { loopNestText, nestJson, statsText } from '../sim/nest/format';
import { better, searchMappings, type MapConstraint, type Metric, type SearchResult } from '../sim/nest/mapper';
import { readTimeloop, type Constraint, type TimeloopInput } from '../timeloop/read';
import type { Mapping, Problem, SpatialArch } from '../sim/nest/types';
import { TimeloopInputError } from '../timeloop/yaml';
import { budgetArg, optionHelp, parseArgs, type Opts, type OptSpec } from './args';
import { CliError, UsageError, writeFileAtomic, type CliIO, deliver } from './io';

const METRICS = ['delay', 'energy', 'edp', 'last_level_accesses'] as const;
export const TIMELOOP_OPTIONS: Record<string, OptSpec> = {
  mapping: { type: 'string', short: 'm', arg: 'file', help: 'a mapping to evaluate (otherwise the mapper searches)' },
  constraints: { type: 'string', short: 'c', arg: 'file', help: 'mapspace constraints for the mapper' },
  mapper: {
    type: 'string',
    arg: 'file',
    help: 'mapper options (optimization_metric; algorithm random-pruned with victory_condition, timeout, search_size, num_threads as Timeloop reads them)',
  },
  ert: {
    type: 'string',
    short: 'e',
    arg: 'file',
    help: "Accelergy's energy reference table (ERT.yaml) giving the energy per action",
  },
  metric: {
    type: 'string',
    multiple: true,
    choices: METRICS,
    arg: 'metric',
    help: "what the mapper minimises; repeat for a lexicographic order (default: the mapper file's, else edp)",
  },
  budget: {
    type: 'string',
    short: 'B',
    arg: 'N | Ns',
    help: 'mapper budget: evaluations (20000) or seconds (e.g. 10s)',
  },
  seed: {
    type: 'int',
    arg: 'N',
    help: "seed of the mapper's sampling (default 1; the same input and seed give the same mapping)",
  },
  format: { type: 'string', choices: ['table', 'json'], short: 'f', arg: 'fmt', help: 'table (default) or json' },
  out: { type: 'string', short: 'o', arg: 'file', help: 'write the output to a file' },
  'emit-spec': {
    type: 'string',
    arg: 'dir',
    help: 'also write the equivalent accelmap hardware and network specs (with the mapping) into dir',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const USAGE =
  'accelmap timeloop <arch.yaml> <problem.yaml> [<mapping.yaml>] [--constraints F] [--mapper F] [--ert F] [--format table|json] [--emit-spec DIR]';

/** What the mapper reports beside the mapping it found (the `search` object of --format json). */
type SearchSummary = Pick<SearchResult, 'evaluated' | 'legal' | 'seconds' | 'spaceSize' | 'exhaustive' | 'spread'> & {
  metrics: Metric[];
  algorithm: 'random-pruned' | 'accelmap';
  threads?: number;
};

export function timeloopCommand(argv: string[], io: CliIO): number {
  const { positionals, opts } = parseArgs(argv, TIMELOOP_OPTIONS, 'timeloop');
  if (opts.help) {
    io.out(`usage: ${USAGE}\n\noptions:\n${optionHelp(TIMELOOP_OPTIONS)}\n`);
    return 0;
  }
  const input = readInput(positionals, opts, io);
  const { arch, problem } = input;
  let mapping = input.mapping,
    search: SearchSummary | undefined;
  if (!mapping) ({ mapping, search } = runMapper(input, opts, io));
  const r = analyzeMapping(problem, arch, mapping);
  if (opts['emit-spec']) emitSpecFiles(opts['emit-spec'] as string, input, mapping, io);
  const text =
    opts.format === 'json'
      ? JSON.stringify({ ...nestJson(problem, arch, mapping, r), ...(search ? { search } : {}) }, null, 2) + '\n'
      : tableText(input, mapping, r, search);
  deliver(io, opts.out, text);
  return r.legal ? 0 : 1;
}

type Input = TimeloopInput & { arch: SpatialArch; problem: Problem };

/** Reads and parses the given files; every input problem is one file:line:col line of the error. */
function readInput(positionals: string[], opts: Opts, io: CliIO): Input {
  const paths = [
    ...positionals,
    ...(['mapping', 'constraints', 'mapper', 'ert'] as const)
      .map((k) => opts[k] as string | undefined)
      .filter((x): x is string => !!x),
  ];
  if (!paths.length) throw new UsageError(`timeloop needs the architecture and problem files; usage: ${USAGE}`);
  const files = paths.map((p) => {
    const abs = resolve(io.cwd, p);
    try {
      return { path: p, text: readFileSync(abs, 'utf8') };
    } catch (e) {
      throw new CliError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  });
  let input;
  try {
    input = readTimeloop(files);
  } catch (e) {
    if (e instanceof TimeloopInputError)
      throw new CliError(
        `${e.issues.length} problem${e.issues.length > 1 ? 's' : ''} in the Timeloop input:\n${e.issues.map((i) => `  ${i.file}:${i.line}:${i.col}: ${i.message}`).join('\n')}`,
      );
    throw e;
  }
  for (const w of input.warnings)
    io.err(`accelmap: warning: ${w.file ? `${w.file}:${w.line}:${w.col}: ` : ''}${w.message}\n`);
  if (!input.arch) throw new CliError('no architecture in the given files (a file with an `architecture:` key)');
  if (!input.problem) throw new CliError('no problem in the given files (a file with a `problem:` key)');
  if (!input.ert)
    io.err(
      "accelmap: warning: no ERT given: energies are accelmap's defaults per class (the Timeloop tutorial's 40 nm Accelergy tables); pass --ert for the real ones\n",
    );
  return input as Input;
}

/** --budget: a number of evaluations (20000) or of seconds (10s); `evaluations` when not given. */
function budgetOf(b: string | undefined, evaluations: number): { evaluations: number; seconds?: number } {
  if (b === undefined) return { evaluations };
  const v = budgetArg(b);
  if (!v) throw new UsageError(`--budget must be a number of evaluations (20000) or of seconds (10s), got '${b}'`);
  return 'seconds' in v ? { evaluations: Number.MAX_SAFE_INTEGER, seconds: v.seconds } : { evaluations: v.count };
}

/**
 * The mapper on the input: accelmap's search, or Timeloop's random-pruned (and hybrid, sampled the same way) with its
 * termination rules and defaults (victory_condition 500, timeout 1000), one seeded search per thread, the best kept.
 */
function runMapper(input: Input, opts: Opts, io: CliIO): { mapping: Mapping; search: SearchSummary } {
  const { arch, problem } = input;
  const metrics = ((opts.metric as string[] | undefined) ?? input.mapper?.metrics ?? ['edp']) as Metric[];
  const mo = input.mapper;
  const random = mo?.algorithm === 'random-pruned' || mo?.algorithm === 'hybrid';
  if (mo?.algorithm === 'hybrid')
    io.err(
      'accelmap: warning: mapper algorithm hybrid is run as random-pruned (permutations sampled, not enumerated)\n',
    );
  // (a random search whose rules are all off stops at a million evaluations, not never)
  const budget = budgetOf(opts.budget as string | undefined, random ? 1_000_000 : mo?.searchSize || 20000);
  const progress = io.errIsTTY
    ? (n: number, total: number) => io.err(`\r  mapper: ${n} of ${total} mappings`)
    : undefined;
  const base = { metrics, ...budget, constraints: input.constraints.map(toMapConstraint), progress };
  const seed0 = (opts.seed as number | undefined) ?? 1;
  const threads = random ? Math.max(1, Math.round(mo?.threads ?? 1)) : 1;
  const strategy = random
    ? {
        strategy: 'random' as const,
        victory: mo?.victoryCondition ?? 500,
        invalidLimit: mo?.timeout ?? 1000,
        validLimit: mo?.searchSize ?? 0,
      }
    : {};
  let res = searchMappings(problem, arch, { ...base, ...strategy, seed: seed0 });
  for (let i = 1; i < threads; i++) {
    const r2 = searchMappings(problem, arch, { ...base, ...strategy, seed: seed0 + i });
    const won = r2.best && (!res.best || better(r2.best.score, res.best.score));
    res = {
      ...(won ? r2 : res),
      evaluated: res.evaluated + r2.evaluated,
      legal: res.legal + r2.legal,
      seconds: res.seconds + r2.seconds,
    };
  }
  if (progress) io.err('\n');
  if (!res.best)
    throw new CliError(
      `the mapper found no legal mapping in ${res.evaluated} evaluated (mapspace ${res.spaceSize}); check the constraints and the capacities`,
    );
  const search: SearchSummary = {
    evaluated: res.evaluated,
    legal: res.legal,
    seconds: res.seconds,
    spaceSize: res.spaceSize,
    exhaustive: res.exhaustive,
    metrics,
    spread: res.spread,
    algorithm: random ? 'random-pruned' : 'accelmap',
    ...(threads > 1 ? { threads } : {}),
  };
  return { mapping: res.best.mapping, search };
}

/** --emit-spec DIR: the equivalent accelmap hardware and network specs, with the mapping pinned. */
function emitSpecFiles(rel: string, input: Input, mapping: Mapping, io: CliIO): void {
  const dir = resolve(io.cwd, rel);
  let e;
  try {
    e = emitSpecs(input.arch, input.problem, mapping);
  } catch (err) {
    throw new CliError(`--emit-spec: ${(err as Error).message}`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, `${e.targetName}.hw.yaml`), e.hardware);
  writeFileAtomic(join(dir, `${e.networkName}.net.yaml`), e.network);
  for (const w of e.warnings) io.err(`accelmap: warning: --emit-spec: ${w}\n`);
  io.err(`wrote ${join(rel, `${e.targetName}.hw.yaml`)} and ${join(rel, `${e.networkName}.net.yaml`)}\n`);
}

/** The table format: the loop nest, the statistics per level, legality, and the search figures. */
function tableText(input: Input, mapping: Mapping, r: NestResult, search: SearchSummary | undefined): string {
  const { arch, problem } = input;
  const lines = [
    `${problem.name} on ${arch.name}${search ? ' — best mapping found' : ''}`,
    '',
    ...loopNestText(problem, arch, mapping, r),
    '',
    ...statsText(arch, r),
  ];
  if (!r.legal) lines.push('', 'the mapping is not legal:', ...r.issues.map((i) => `  ${i.message}`));
  if (search) {
    const s = search;
    lines.push(
      '',
      `search: ${s.evaluated} mappings evaluated (${s.legal} legal) of a mapspace of ${s.spaceSize}${s.exhaustive ? ', all of it' : ''} in ${s.seconds.toFixed(2)} s`,
    );
    for (const sp of s.spread ?? [])
      lines.push(
        `  ${sp.metric}: best ${sp.best.toPrecision(6)}, median ${sp.median.toPrecision(6)}, worst ${sp.worst.toPrecision(6)} (worst/best ${(sp.worst / sp.best).toFixed(2)}x)`,
      );
  }
  return lines.join('\n') + '\n';
}

const toMapConstraint = (c: Constraint): MapConstraint => ({
  level: c.target,
  type: c.type,
  factors: c.factors,
  permutation: c.permutation,
  keep: c.keep,
  bypass: c.bypass,
});
