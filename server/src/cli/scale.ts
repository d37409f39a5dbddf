// `accelmap scale <network> --system S --devices 1,8,64,512 [--parallel dp=64,tp=8,pp=4] [--micro-batches 8]
// [--zero 1] [--recompute] [--search] [--format table|json]`: the training step on each device count with a given
// strategy (the system's own, or --parallel), speed-up and efficiency against the smallest count, and with --search
// the best strategy found per count (tp x pp x dp x micro-batches x ZeRO x recomputation that fits in memory).
// Weak scaling keeps the batch per device (--weak), strong scaling the network's batch.
import { resolve } from 'node:path';
import { readSystem, stepSentence } from '../kinds/system/model';
import { simulateStep, newStepCache, type StepResult, type Strategy } from '../kinds/system/parallel';
import { searchStrategy } from '../kinds/system/search';
import { optionHelp, parseArgs, type Opts, type OptSpec } from './args';
import { CliError, UsageError, type CliIO, deliver } from './io';
import { chooseTargets, loadNetwork } from './load';
import type { NetworkModel } from '../spec/types';
import { applyOptimizer, importOptions, ONNX_OPTIONS, TRAINING_OPTIONS } from './training';

export const SCALE_OPTIONS: Record<string, OptSpec> = {
  system: {
    type: 'string',
    short: 's',
    arg: 'name',
    help: 'a system (dgx-h100, h100-cluster, a100-cluster, ntx-mesh, neurotrainer-mesh, or one of a --hw file)',
  },
  devices: { type: 'string', short: 'd', arg: 'n,n,...', help: "device counts (default: the system's)" },
  parallel: {
    type: 'string',
    short: 'p',
    arg: 'dp=..,tp=..,pp=..',
    help: 'the strategy (dp 0 or absent = the rest of the devices)',
  },
  'micro-batches': { type: 'int', short: 'm', arg: 'N', help: 'micro-batches per step per replica' },
  zero: { type: 'string', choices: ['0', '1', '2', '3'], arg: 'stage', help: 'ZeRO stage' },
  recompute: { type: 'boolean', help: 'activation recomputation' },
  search: { type: 'boolean', help: 'search the best strategy per device count' },
  weak: {
    type: 'boolean',
    help: 'weak scaling: keep the batch per device of the smallest count (default: strong scaling)',
  },
  hw: { type: 'string', multiple: true, arg: 'file', help: 'hardware spec whose targets to use' },
  batch: { type: 'int', short: 'b', arg: 'N', help: 'batch size (overrides the spec)' },
  ...TRAINING_OPTIONS,
  ...ONNX_OPTIONS,
  format: { type: 'string', choices: ['table', 'json'], short: 'f', arg: 'fmt', help: 'table (default) or json' },
  out: { type: 'string', short: 'o', arg: 'file', help: 'write the output to a file' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const USAGE =
  'accelmap scale <network> --system NAME [--devices 1,8,64] [--parallel dp=..,tp=..,pp=..] [--micro-batches N] [--zero S] [--recompute] [--search] [--weak]';

type System = NonNullable<ReturnType<typeof readSystem>['sys']>;

/** One device count: its batch and step, or why it has none, and the search's figures with --search. */
interface Point {
  devices: number;
  batch: number;
  r?: StepResult;
  error?: string;
  searched?: { evaluated: number; fitting: number; seconds: number };
}

/** Speed-up and efficiency against the first device count that has a step. */
interface Baseline {
  speedup(r: StepResult): number | null;
  efficiency(r: StepResult, devices: number): number;
}

export function scaleCommand(argv: string[], io: CliIO): number {
  const { positionals, opts } = parseArgs(argv, SCALE_OPTIONS, 'scale');
  if (opts.help) {
    io.out(`usage: ${USAGE}\n\noptions:\n${optionHelp(SCALE_OPTIONS)}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`scale needs exactly one network file (got ${positionals.length}); usage: ${USAGE}`);
  if (!opts.system) throw new UsageError(`scale needs --system NAME; usage: ${USAGE}`);
  const path = resolve(io.cwd, positionals[0]);
  const loaded = loadNetwork(path, opts.batch as number | undefined, importOptions(opts));
  const net0 = { ...applyOptimizer(loaded.network, opts), ...(opts.batch ? { batch: opts.batch as number } : {}) };
  const hw = ((opts.hw as string[] | undefined) ?? []).map((p) => resolve(io.cwd, p));
  const [t] = chooseTargets(path, net0, hw, [opts.system as string]).targets;
  if (t.kind !== 'system')
    throw new CliError(
      `${t.name} is a ${t.kind} target, not a system (presets: dgx-h100, h100-cluster, a100-cluster, ntx-mesh, neurotrainer-mesh)`,
    );
  const { sys, strategy, error } = readSystem(t);
  if (!sys) throw new CliError(`${t.name}: ${error}`);
  const counts = deviceCounts(opts, sys.devices);
  const s = strategyOf(opts, strategy);
  const perDevice = net0.batch / counts[0];
  const rows: Point[] = counts.map((n) => {
    const batch = opts.weak ? Math.max(1, Math.round(perDevice * n)) : net0.batch;
    return scalePoint({ ...net0, batch }, sys, s, n, counts.length, !!opts.search);
  });
  const base = baselineOf(rows);
  const head = { network: net0.name, system: t.name, device: sys.device.name, scaling: opts.weak ? 'weak' : 'strong' };
  const text =
    opts.format === 'json'
      ? JSON.stringify({ ...head, points: rows.map((x) => pointJson(x, base)) }, null, 2) + '\n'
      : scaleTable(
          `${net0.name} on ${t.name} (${sys.device.name}), ${head.scaling} scaling`,
          rows,
          base,
          !!opts.search,
        );
  deliver(io, opts.out, text);
  return rows.some((x) => x.r) ? 0 : 1;
}

function deviceCounts(opts: Opts, systemDevices: number): number[] {
  const counts = opts.devices
    ? String(opts.devices)
        .split(',')
        .map((x) => Number(x.trim()))
    : [systemDevices];
  if (counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new UsageError(`--devices must be positive integers separated by commas (got '${opts.devices}')`);
  return counts;
}

/** The system's strategy with --parallel, --micro-batches, --zero and --recompute applied. */
function strategyOf(opts: Opts, strategy: Strategy): Strategy {
  const s: Strategy = { ...strategy };
  if (opts.parallel) {
    for (const part of String(opts.parallel).split(',')) {
      const m = /^(dp|tp|pp)=(\d+)$/.exec(part.trim());
      if (!m) throw new UsageError(`--parallel takes dp=N,tp=N,pp=N (got '${part}')`);
      s[m[1] as 'dp' | 'tp' | 'pp'] = Number(m[2]);
    }
  }
  if (opts['micro-batches']) s.microBatches = opts['micro-batches'] as number;
  if (opts.zero !== undefined) s.zero = Number(opts.zero) as Strategy['zero'];
  if (opts.recompute) s.recompute = true;
  return s;
}

/** The step on `n` devices: the best strategy found (--search), else the given one (dp = the rest of the devices). */
function scalePoint(net: NetworkModel, sys: System, s: Strategy, n: number, nCounts: number, search: boolean): Point {
  if (search) {
    const o = searchStrategy(net, sys, n);
    const error = o.best ? undefined : `no strategy fits in memory (${o.evaluated} tried)`;
    return { devices: n, batch: net.batch, r: o.best, error, searched: o };
  }
  const dp = s.dp > 0 && nCounts === 1 ? s.dp : 0;
  const r = simulateStep(net, { ...sys, devices: n }, { ...s, dp }, newStepCache());
  return r.ok ? { devices: n, batch: net.batch, r } : { devices: n, batch: net.batch, error: r.error };
}

function baselineOf(rows: Point[]): Baseline {
  const first = rows.find((x) => x.r);
  const base = first?.r,
    baseN = first?.devices ?? 1;
  return {
    speedup: (r) => (base ? r.samplesPerS / base.samplesPerS : null),
    efficiency: (r, n) => (base ? r.samplesPerS / base.samplesPerS / (n / baseN) : NaN),
  };
}

function pointJson(x: Point, base: Baseline): object {
  if (!x.r) return { devices: x.devices, batch: x.batch, error: x.error };
  const r = x.r;
  return {
    devices: x.devices,
    batch: x.batch,
    strategy: r.strategy,
    microBatch: r.microBatch,
    timeS: r.timeS,
    computeS: r.computeS,
    exposedCommS: r.exposedCommS,
    bubbleS: r.bubbleS,
    optimizerS: r.optimizerS,
    samplesPerS: r.samplesPerS,
    speedup: base.speedup(r),
    efficiency: base.efficiency(r, x.devices),
    flopsPerDevice: r.flopsPerDevice,
    mfu: r.mfu,
    memory: r.memory,
    fits: r.fits,
    energyJ: r.energyJ,
    linkEnergyJ: r.linkEnergyJ,
    comms: r.comms,
    stages: r.stages,
    ...(x.searched ? { search: x.searched } : {}),
  };
}

/** The table format: one line per device count, then the last step's sentence and its collectives. */
function scaleTable(title: string, rows: Point[], base: Baseline, search: boolean): string {
  const lines = [
    `${title}${search ? ', best strategy per count' : ''}`,
    '',
    `${'devices'.padStart(7)}  ${'batch'.padStart(6)}  ${'dp x tp x pp, m'.padEnd(20)}  ${'step'.padStart(10)}  ${'samples/s'.padStart(10)}  ${'speed-up'.padStart(8)}  ${'eff.'.padStart(6)}  ${'MFU'.padStart(6)}  ${'comm'.padStart(6)}  ${'bubble'.padStart(6)}  ${'mem/dev'.padStart(8)}`,
  ];
  for (const x of rows) lines.push(pointLine(x, base));
  const last = [...rows].reverse().find((x) => x.r)?.r;
  if (last)
    lines.push(
      '',
      stepSentence(last),
      ...last.comms.map(
        (c) =>
          `  ${c.what}: ${(c.timeS * 1e3).toPrecision(3)} ms (${(c.exposedS * 1e3).toPrecision(3)} exposed), ${c.algorithm}`,
      ),
    );
  return lines.join('\n') + '\n';
}

function pointLine(x: Point, base: Baseline): string {
  if (!x.r) return `${String(x.devices).padStart(7)}  ${String(x.batch).padStart(6)}  ${x.error}`;
  const r = x.r,
    st = r.strategy;
  const pct = (v: number) => `${((v / r.timeS) * 100).toFixed(0)}%`.padStart(6);
  const speedup = base.speedup(r);
  return `${String(x.devices).padStart(7)}  ${String(x.batch).padStart(6)}  ${`${st.dp} x ${st.tp} x ${st.pp}, ${st.microBatches}${st.zero ? ` z${st.zero}` : ''}${st.recompute ? ' rc' : ''}`.padEnd(20)}  ${`${(r.timeS * 1e3).toPrecision(4)} ms`.padStart(10)}  ${r.samplesPerS.toPrecision(4).padStart(10)}  ${(speedup !== null ? speedup.toFixed(2) : '—').padStart(8)}  ${`${(base.efficiency(r, x.devices) * 100).toFixed(0)}%`.padStart(6)}  ${`${(r.mfu * 100).toFixed(1)}%`.padStart(6)}  ${pct(r.exposedCommS)}  ${pct(r.bubbleS)}  ${`${(r.memory.totalB / 1e9).toFixed(1)} GB`.padStart(8)}${r.fits ? '' : '  does not fit'}`;
}
