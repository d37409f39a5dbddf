// `accelmap map <network> --target T [--metric edp|energy|delay] [--budget N|Ns] [--layer L] [--jobs N] [--format
// table|json]`:
// the mapping the mapper chose for every conv / matrix layer phase on a `spatial` target — the loop nest with the
// tile each level keeps, the per-level accesses and energy — and what it searched (mappings evaluated, legal, time,
// best / median / worst of the metric). The distinct nests are searched on worker threads (all cores), with a
// progress line on a terminal.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { lower } from '../sim/lower';
import { directives, loopNestText, statsText } from '../sim/nest/format';
import { roleName, type NestPhase } from '../sim/nest/training';
import type { SpatialArch } from '../sim/nest/types';
import type { Workload } from '../sim/workload';
import type { TargetModel } from '../spec/types';
import {
  layerPins,
  mapWorkload,
  nestKey,
  spatialArch,
  workloadNests,
  type PinnedMapping,
} from '../kinds/spatial/model';
import { mapInWorkers } from '../sim/nest/pool';
import { budgetArg, optionHelp, parseArgs, type Opts, type OptSpec } from './args';
import { CliError, UsageError, type CliIO, deliver } from './io';
import { chooseTargets, loadNetwork } from './load';
import { applyOptimizer, importOptions, ONNX_OPTIONS, TRAINING_OPTIONS } from './training';

export const MAP_OPTIONS: Record<string, OptSpec> = {
  target: {
    type: 'string',
    short: 't',
    arg: 'name',
    help: 'a spatial target (eyeriss-like, simba-like, tpu-like, os-teaching, or one of a --hw file)',
  },
  metric: {
    type: 'string',
    choices: ['edp', 'energy', 'delay'],
    arg: 'metric',
    help: "what the mapper minimises (default: the target's mapper.metric)",
  },
  budget: {
    type: 'string',
    short: 'B',
    arg: 'N | Ns',
    help: "per loop nest: mappings evaluated (default: the target's mapper.budget), or a time limit such as 10s",
  },
  jobs: {
    type: 'int',
    short: 'j',
    arg: 'N',
    help: 'worker threads (default: one per core; 1 searches in this thread)',
  },
  layer: { type: 'string', short: 'l', arg: 'name', help: 'only this layer' },
  hw: { type: 'string', multiple: true, arg: 'file', help: 'hardware spec whose targets to use' },
  batch: { type: 'int', short: 'b', arg: 'N', help: 'batch size (overrides the spec)' },
  ...TRAINING_OPTIONS,
  ...ONNX_OPTIONS,
  format: { type: 'string', choices: ['table', 'json'], short: 'f', arg: 'fmt', help: 'table (default) or json' },
  out: { type: 'string', short: 'o', arg: 'file', help: 'write the output to a file' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const USAGE =
  'accelmap map <network> --target NAME [--metric edp|energy|delay] [--budget N|Ns] [--layer NAME] [--jobs N] [--format table|json]';

/** One loop nest of a layer phase as mapped, and whether an earlier row of the same shape had searched it. */
interface Row {
  layer: string;
  phase: NestPhase;
  pm: PinnedMapping & { cached: boolean };
}

export async function mapCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, opts } = parseArgs(argv, MAP_OPTIONS, 'map');
  if (opts.help) {
    io.out(`usage: ${USAGE}\n\noptions:\n${optionHelp(MAP_OPTIONS)}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`map needs exactly one network file (got ${positionals.length}); usage: ${USAGE}`);
  if (!opts.target) throw new UsageError(`map needs --target NAME (a spatial target); usage: ${USAGE}`);
  const path = resolve(io.cwd, positionals[0]);
  const loaded = loadNetwork(path, opts.batch as number | undefined, importOptions(opts));
  const net = { ...applyOptimizer(loaded.network, opts), ...(opts.batch ? { batch: opts.batch as number } : {}) };
  const hw = ((opts.hw as string[] | undefined) ?? []).map((p) => resolve(io.cwd, p));
  const [chosen] = chooseTargets(path, net, hw, [opts.target as string]).targets;
  if (chosen.kind !== 'spatial')
    throw new CliError(
      `${chosen.name} is a ${chosen.kind} target: mappings are searched for spatial targets (presets eyeriss-like, simba-like, tpu-like, os-teaching, or a kind: spatial target)`,
    );
  const target = withMapperOptions(chosen, opts);
  const lowered = lower(net);
  if (opts.layer && !lowered.layers.some((l) => l.name === opts.layer))
    throw new UsageError(`no layer '${opts.layer}' in ${net.name}`);
  const w = opts.layer ? { ...lowered, layers: lowered.layers.filter((l) => l.name === opts.layer) } : lowered;
  const t0 = performance.now();
  const { rows, searched, workers } = await mapAll(w, target, opts, io);
  const seconds = (performance.now() - t0) / 1000;
  const a = spatialArch(target);
  const text =
    opts.format === 'json'
      ? JSON.stringify(
          {
            network: net.name,
            target: target.name,
            seconds,
            nests: rows.length,
            searched,
            workers,
            phases: rows.map((r) => rowJson(r, a)),
          },
          null,
          2,
        ) + '\n'
      : [
          `${net.name} on ${target.name}: ${rows.length} loop nests (${searched} searched now${workers > 1 ? ` on ${workers} threads` : ''}, the rest cached) in ${seconds.toFixed(2)} s`,
          '',
          ...rows.flatMap((r) => rowLines(r, a)),
        ].join('\n');
  deliver(io, opts.out, text);
  return 0;
}

/** The target with --metric and --budget (mappings per nest, or a time per nest such as 10s) as mapper knobs. */
function withMapperOptions(target: TargetModel, opts: Opts): TargetModel {
  const budget: Record<string, number> = {};
  if (opts.budget !== undefined) {
    const v = budgetArg(String(opts.budget));
    if (!v || ('seconds' in v ? v.seconds : v.count) <= 0)
      throw new UsageError(
        `--budget must be a number of mappings per loop nest (5000) or a time per loop nest (10s), got '${opts.budget}'`,
      );
    if ('seconds' in v) {
      budget['mapper.seconds'] = v.seconds;
      budget['mapper.budget'] = 1e8;
    } else budget['mapper.budget'] = Math.round(v.count);
  }
  if (!opts.metric && !opts.budget) return target;
  return {
    ...target,
    params: { ...target.params, ...(opts.metric ? { 'mapper.metric': opts.metric as string } : {}), ...budget },
  };
}

/**
 * Every distinct nest searched once, on worker threads (a progress line on a terminal), then each layer phase's
 * nests read from the cache; a nest counts as searched now at its first row (later rows of its shape reuse it).
 */
async function mapAll(
  w: Workload,
  target: TargetModel,
  opts: Opts,
  io: CliIO,
): Promise<{ rows: Row[]; searched: number; workers: number }> {
  const { missing } = workloadNests(w, target);
  const jobs = Math.max(1, (opts.jobs as number | undefined) ?? availableParallelism());
  const progress =
    io.errIsTTY && missing.length > 1
      ? (done: number, total: number) => io.err(`\r  mapper: ${done} of ${total} loop nests`)
      : undefined;
  const pool = await mapInWorkers(missing, { workers: missing.length >= 2 ? jobs : 1, progress });
  if (progress) io.err('\n');
  const fresh = new Set(missing.map((j) => nestKey(j.p, j.pins)));
  const rows = mapWorkload(w, target).flatMap((m) => {
    const pins = layerPins(w, m.layer, m.phase);
    return m.maps.map((pm) => ({
      layer: m.layer.name,
      phase: m.phase,
      pm: { ...pm, cached: !fresh.delete(nestKey(pm.problem, pins)) },
    }));
  });
  return { rows, searched: missing.length, workers: pool.workers };
}

function rowJson({ layer, phase, pm }: Row, a: SpatialArch): object {
  return {
    layer,
    phase,
    problem: pm.problem.name,
    bounds: pm.problem.bounds,
    cached: pm.cached,
    pinned: pm.pinned,
    ...(pm.pinIssues ? { pinIssues: pm.pinIssues } : {}),
    tensors: pm.problem.dataSpaces.map((d) => ({
      name: d.name,
      role: roleName(d.name, phase, d.readWrite),
      readWrite: d.readWrite,
    })),
    cycles: pm.result.cycles,
    computes: pm.result.computes,
    utilization: pm.result.utilization,
    energyJ: pm.result.energyPJ * 1e-12,
    levels: pm.result.levels.map((l) => ({
      name: l.name,
      occupancy: l.occupancy,
      capacity: l.capacity ?? null,
      energyJ: l.energyPJ * 1e-12,
      tensors: l.tensors.map((x) => ({
        name: x.name,
        tile: x.tile,
        instances: x.instances,
        reads: x.reads,
        fills: x.fills,
        updates: x.updates,
      })),
    })),
    mapping: directives(pm.problem, a, pm.mapping),
    search: pm.searched,
  };
}

/** The table format of one nest: its bounds and output, the loop nest, the per-level statistics, the search. */
function rowLines({ layer, phase, pm }: Row, a: SpatialArch): string[] {
  const rw = pm.problem.dataSpaces.find((d) => d.readWrite)!;
  const part = pm.problem.name.endsWith(' dA') ? ' (dA)' : pm.problem.name.endsWith(' dB') ? ' (dB)' : '';
  const lines = [
    `== ${layer} ${phase}${part}: ${pm.problem.dims.map((d) => `${d}=${pm.problem.bounds[d]}`).join(' ')}; writes ${roleName(rw.name, phase, true)}${pm.pinned ? '; pinned in the spec (the mapper chose the rest)' : ''}`,
  ];
  if (pm.pinIssues)
    lines.push(
      `  warning: the pinned mapping cannot be met: ${pm.pinIssues.join('; ')}; the mapper's own mapping is shown`,
    );
  lines.push(...loopNestText(pm.problem, a, pm.mapping, pm.result).map((l) => `  ${l}`));
  lines.push(...statsText(a, pm.result).map((l) => `  ${l}`));
  const s = pm.searched,
    e = s.spread?.[0];
  lines.push(
    `  search: ${s.evaluated} evaluated, ${s.legal} legal, ${s.seconds.toFixed(2)} s${pm.cached ? ' (cached)' : ''}${e ? `; ${e.metric} best ${e.best.toPrecision(4)}, median ${e.median.toPrecision(4)}, worst ${e.worst.toPrecision(4)} (${(e.worst / e.best).toFixed(1)}x)` : ''}`,
    '',
  );
  return lines;
}
