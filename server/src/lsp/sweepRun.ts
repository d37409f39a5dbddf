// Run Sweep in the editor (accelmap/runSweep): the sweep spec of an open document (kind: sweep) run on worker threads
// (the CLI bundle is their script), with progress and cancel, reduced to what the dashboard's Sweep view draws: a
// sample of the points plus the Pareto front of every pair of objectives (so the front of whichever pair the user
// picks is exact), and each axis's effect. accelmap/sweepDesign writes one design point as a hardware spec. The
// spec, network and targets are read as `accelmap sweep` reads them (cli/load.ts: one implementation).
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { SweepObjective, SweepPoint, SweepReport } from '../sim/types';
import type { NetworkModel, TargetModel } from '../spec/types';
import { OBJECTIVES, readSweep, SpecInputError, type SweepSpec } from '../sweep/spec';
import { pareto, pointAt, pointCount, runSweep, runSweepParallel, type Row } from '../sweep/run';
import { chooseTargets, loadHardware, loadNetwork } from '../cli/load';
import { resolveTargets } from '../spec/index';
import { kindSpec } from '../kinds/params';
import { specValue } from './presetSource';

/** Larger sweeps belong on the command line (streamed to a file, sharded over machines). */
export const EDITOR_MAX_POINTS = 200_000;
const SAMPLE = 4000;

export interface LoadedSweep {
  spec: SweepSpec;
  net: NetworkModel;
  target: TargetModel;
}

export function loadSweep(path: string, text: string): LoadedSweep | { error: string } {
  const base = dirname(path);
  let spec: SweepSpec;
  try {
    spec = readSweep(
      path,
      text,
      (t, hw) => resolveTargets([t], loadHardware(hw.map((p) => resolve(base, p)))).targets[0]?.kind,
    );
  } catch (e) {
    if (e instanceof SpecInputError)
      return {
        error: `${e.issues.length} problem${e.issues.length > 1 ? 's' : ''} in the sweep spec: ${e.issues
          .slice(0, 3)
          .map((i) => `line ${i.line}:${i.col}: ${i.message}`)
          .join('; ')}`,
      };
    throw e;
  }
  const netPath = resolve(base, spec.network);
  if (!existsSync(netPath))
    return { error: `The sweep's network ${spec.network} does not exist (looked for ${netPath}).` };
  const { network } = loadNetwork(netPath);
  const [target] = chooseTargets(
    netPath,
    network,
    spec.hardware.map((p) => resolve(base, p)),
    [spec.target],
  ).targets;
  return { spec, net: network, target };
}

export async function runEditorSweep(
  uri: string,
  l: LoadedSweep,
  o: { cancelled: () => boolean; progress: (d: number, n: number) => void; bundleDir?: string },
): Promise<SweepReport | { error: string }> {
  const { spec, net, target } = l;
  const total = pointCount(spec.axes);
  if (total > EDITOR_MAX_POINTS)
    return {
      error: `${total.toLocaleString('en-US')} design points: the editor runs sweeps of up to ${EDITOR_MAX_POINTS.toLocaleString('en-US')}; run \`accelmap sweep ${uri.split('/').pop()} --out results.csv\` (all cores, resumable, --shard i/n for a cluster).`,
    };
  const workerFile = o.bundleDir ? join(o.bundleDir, 'cli.js') : undefined;
  const parallel = total >= 5000 && (!o.bundleDir || existsSync(workerFile!));
  const r = parallel
    ? await runSweepParallel(spec, net, target, {
        format: 'jsonl',
        keep: true,
        workers: Math.max(1, (await import('node:os')).availableParallelism()),
        cancelled: o.cancelled,
        progress: o.progress,
        ...(workerFile ? { workerFile } : {}),
      })
    : runSweep(spec, net, target, { format: 'jsonl', keep: true, cancelled: o.cancelled, progress: o.progress });
  return report(uri, spec, target, r.rows, {
    total,
    evaluated: r.evaluated,
    feasible: r.feasible,
    seconds: r.seconds,
    cancelled: r.cancelled,
  });
}

const better = (o: SweepObjective) => (o.startsWith('samples') ? -1 : 1);

export function report(
  uri: string,
  spec: SweepSpec,
  target: TargetModel,
  rows: Row[],
  figures: Pick<SweepReport, 'total' | 'evaluated' | 'feasible' | 'seconds' | 'cancelled'>,
): SweepReport {
  const keep = new Set<number>();
  const stride = Math.max(1, Math.ceil(rows.length / SAMPLE));
  for (let k = 0; k < rows.length; k += stride) keep.add(k);
  const index = new Map(rows.map((r, k) => [r.i, k]));
  // area only where the target's kind models it (otherwise every point's area is NaN)
  const objs = OBJECTIVES.filter((o) => o !== 'area' || rows.some((r) => Number.isFinite(r.objectives.area)));
  for (let a = 0; a < objs.length; a++)
    for (let b = a + 1; b < objs.length; b++) for (const p of pareto(rows, objs[a], objs[b])) keep.add(index.get(p.i)!);
  const withArea = objs.includes('area');
  const points: SweepPoint[] = [...keep]
    .sort((x, y) => x - y)
    .map((k) => {
      const { area, ...rest } = rows[k].objectives;
      return { i: rows[k].i, values: rows[k].values, o: withArea ? { ...rest, area } : rest };
    });
  const effects = spec.axes.map((axis, ai) => {
    const best = {} as Record<SweepObjective, number[]>,
      median = {} as Record<SweepObjective, number[]>;
    const at = new Map(axis.values.map((v, k) => [v, k]));
    const groups: Row[][] = axis.values.map(() => []);
    for (const r of rows) groups[at.get(r.values[ai])!]?.push(r);
    for (const o of objs) {
      best[o] = groups.map((g) =>
        g.length
          ? g.reduce((m, r) => (better(o) * r.objectives[o] < better(o) * m ? r.objectives[o] : m), g[0].objectives[o])
          : Number.NaN,
      );
      median[o] = groups.map((g) => {
        const v = g.map((r) => r.objectives[o]).sort((x, y) => x - y);
        return v.length ? v[Math.floor((v.length - 1) / 2)] : Number.NaN;
      });
    }
    return { axis: axis.name, values: axis.values, best, median };
  });
  return {
    uri,
    name: spec.name,
    network: spec.network,
    target: target.name,
    ...figures,
    axes: spec.axes.map((a) => ({
      name: a.name,
      kind: a.kind,
      values: a.values,
      labels: a.values.map((v) => label(a, v, target)),
    })),
    objectives: spec.objectives,
    points,
    effects,
  };
}

/** An axis value with its unit, as a spec would write it. */
function label(a: SweepSpec['axes'][number], v: number | string, target: TargetModel): string {
  const dim = a.spec?.dim ?? kindSpec(target.kind)?.params.find((p) => p.path === a.name)?.dim;
  return String(dim && typeof v === 'number' ? specValue(Number(v.toPrecision(6)), dim) : v);
}

/** One design point of a sweep as a hardware spec (a target extending the swept one) for an untitled document. */
export function designSpec(l: LoadedSweep, index: number): string | { error: string } {
  const { spec, target } = l;
  const total = pointCount(spec.axes);
  if (!Number.isInteger(index) || index < 0 || index >= total)
    return { error: `No design point ${index} (the sweep has ${total}).` };
  const values = pointAt(spec.axes, index);
  const name = `${target.name}-sweep-${index}`;
  const tree: Record<string, unknown> = {};
  const network: string[] = [];
  spec.axes.forEach((a, k) => {
    const v = values[k];
    if (a.kind !== 'param') {
      network.push(`${a.kind === 'batch' ? 'batch_size' : a.kind}: ${v}`);
      return;
    }
    const parts = a.name.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = label(a, v, target);
  });
  const emit = (o: Record<string, unknown>, indent: string): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'string'
        ? [`${indent}${k}: ${v}`]
        : [`${indent}${k}:`, ...emit(v as Record<string, unknown>, indent + '  ')],
    );
  const lines = [
    `# Design point ${index} of the sweep ${spec.name} (network ${spec.network}): ${spec.axes.map((a, k) => `${a.name} = ${values[k]}`).join(', ')}.`,
    ...(network.length ? [`# Its network settings go in the network spec: ${network.join(', ')}.`] : []),
    'kind: hardware',
    'targets:',
    `  - name: ${name}`,
    `    extends: ${target.name}`,
    `    description: design point ${index} of the sweep ${spec.name}`,
    ...emit(tree, '    '),
  ];
  return lines.join('\n') + '\n';
}
