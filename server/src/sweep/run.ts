// Running a sweep: design point i is the mixed-radix number of its axis values (the last axis fastest); a shard k/n
// takes the points with i mod n = k, so any set of shards is a partition of the full sweep and their union, sorted by
// index, is the full run. Points are simulated with totals only (no timeline, no per-layer results), the lowering
// shared between points that differ only in hardware knobs; worker threads split a shard in contiguous chunks.
// Results stream to the output file (CSV with a header, or JSON lines), one row per feasible point; a rerun with the
// same output resumes: indices already in the file are skipped.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { NetworkModel, Precision, TargetModel } from '../spec/types';
import { lower } from '../sim/lower';
import { simulateTarget } from '../sim/index';
import type { Workload } from '../sim/workload';
import { compile } from './expr';
import type { Axis, Objective, SweepSpec } from './spec';

export type Value = number | string;
export interface Row {
  i: number;
  values: Value[];
  objectives: Record<Objective, number>;
}

/**
 * The objective columns of a results file, in order: the five every sweep has, then `area_m2` when the spec asks for
 * the area (kept out otherwise, so results of sweeps without it are unchanged).
 */
const COLUMNS: { o: Objective; col: string }[] = [
  { o: 'time', col: 'time_s' },
  { o: 'energy', col: 'energy_j' },
  { o: 'edp', col: 'edp_js' },
  { o: 'samples_per_s', col: 'samples_per_s' },
  { o: 'samples_per_j', col: 'samples_per_j' },
  { o: 'area', col: 'area_m2' },
];
export const objectiveColumns = (objectives: readonly Objective[]): { o: Objective; col: string }[] =>
  COLUMNS.filter((c) => c.o !== 'area' || objectives.includes('area'));
/** The objectives of a results row read back from its columns (area NaN when the file has none). */
export function objectivesFrom(get: (col: string) => number): Record<Objective, number> {
  const o = {} as Record<Objective, number>;
  for (const c of COLUMNS) {
    const v = get(c.col);
    o[c.o] = typeof v === 'number' ? v : Number.NaN;
  }
  return o;
}

export const pointCount = (axes: Axis[]) => axes.reduce((x, a) => x * a.values.length, 1);

export function pointAt(axes: Axis[], i: number): Value[] {
  const out = new Array<Value>(axes.length);
  for (let k = axes.length - 1; k >= 0; k--) {
    const n = axes[k].values.length;
    out[k] = axes[k].values[i % n];
    i = Math.floor(i / n);
  }
  return out;
}

export interface Evaluator {
  evaluate(i: number): Row | null;
}

/** Builds the evaluator of a sweep (constraints compiled from their text, so it can be rebuilt in a worker). */
export function evaluator(
  spec: Pick<SweepSpec, 'axes' | 'objectives'> & { constraints: { text: string }[] },
  net: NetworkModel,
  target: TargetModel,
): Evaluator {
  const names = spec.axes.map((a) => a.name);
  const cons = spec.constraints.map((c) => compile(c.text, names));
  const lowered = new Map<string, Workload>();
  const ctx = { timeline: false, layers: false };
  return {
    evaluate(i: number): Row | null {
      const values = pointAt(spec.axes, i);
      const env: Record<string, number> = {};
      values.forEach((v, k) => {
        env[names[k]] = typeof v === 'number' ? v : Number.NaN;
      });
      for (const c of cons) if (!c(env)) return null;
      let n = net,
        params: TargetModel['params'] | undefined;
      spec.axes.forEach((a, k) => {
        const v = values[k];
        if (a.kind === 'batch') n = { ...n, batch: v as number };
        else if (a.kind === 'precision') n = { ...n, precision: v as Precision, gradientPrecision: v as Precision };
        else if (a.kind === 'optimizer')
          n = { ...n, optimizer: { ...n.optimizer, type: v as NetworkModel['optimizer']['type'] } };
        else {
          params ??= { ...target.params };
          params[a.name] = a.spec?.dim === 'bool' ? v === 'true' : v;
        }
      });
      const key = `${n.batch}|${n.precision}|${n.optimizer.type}`;
      let w = lowered.get(key);
      if (!w) {
        w = lower(n);
        lowered.set(key, w);
      }
      const r = simulateTarget(w, params ? { ...target, params } : target, ctx);
      const t = r.totals;
      return {
        i,
        values,
        objectives: {
          time: t.timeS,
          energy: t.energyJ,
          edp: t.timeS * t.energyJ,
          samples_per_s: t.samplesPerS,
          samples_per_j: n.batch / t.energyJ,
          area: r.area?.m2 ?? Number.NaN,
        },
      };
    },
  };
}

export type Format = 'csv' | 'jsonl';
export const header = (spec: Pick<SweepSpec, 'axes' | 'objectives'>) => [
  'index',
  ...spec.axes.map((a) => a.name),
  ...objectiveColumns(spec.objectives).map((c) => c.col),
];
const num = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(12))) : '');
export function formatRow(spec: Pick<SweepSpec, 'axes' | 'objectives'>, r: Row, f: Format): string {
  const o = r.objectives,
    cols = objectiveColumns(spec.objectives);
  if (f === 'csv')
    return [r.i, ...r.values.map((v) => (typeof v === 'number' ? num(v) : v)), ...cols.map((c) => num(o[c.o]))].join(
      ',',
    );
  const obj: Record<string, unknown> = { index: r.i };
  spec.axes.forEach((a, k) => {
    obj[a.name] = r.values[k];
  });
  for (const c of cols) obj[c.col] = o[c.o];
  return JSON.stringify(obj);
}

/** A new output gets its header; a resumed one loses the half line an interrupt may have left at its end. */
function prepareOutput(path: string, f: Format, spec: SweepSpec): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (!text.trim()) {
    writeFileSync(path, f === 'csv' ? header(spec).join(',') + '\n' : '');
    return;
  }
  if (!text.endsWith('\n')) writeFileSync(path, text.slice(0, text.lastIndexOf('\n') + 1));
}

/** Indices already written to an output file (for resuming). */
export function doneIndices(path: string, f: Format): Set<number> {
  const done = new Set<number>();
  if (!existsSync(path)) return done;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    if (f === 'jsonl') {
      try {
        const j = JSON.parse(line) as { index?: number };
        if (typeof j.index === 'number') done.add(j.index);
      } catch {
        /* a line cut by the interrupt: redone */
      }
    } else {
      const c = line.split(',')[0];
      if (/^\d+$/.test(c) && line.split(',').length >= 6) done.add(Number(c));
    }
  }
  return done;
}

export interface RunOptions {
  shard?: [number, number];
  out?: string;
  format: Format;
  /** Called with (done, total) now and then. */
  progress?: (done: number, total: number) => void;
  cancelled?: () => boolean;
  /** Collect the rows in memory too (the editor's Pareto view; tests). */
  keep?: boolean;
  /**
   * The worker script (default: worker.ts in development, this bundle when bundled; the language server passes the CLI
   * bundle).
   */
  workerFile?: string;
}

export interface RunResult {
  total: number;
  inShard: number;
  skipped: number;
  evaluated: number;
  feasible: number;
  seconds: number;
  rows: Row[];
  cancelled: boolean;
}

/** The shard's point indices, in order. */
export function shardIndices(total: number, shard: [number, number] = [0, 1]): number[] {
  const [k, n] = shard;
  const out: number[] = [];
  for (let i = k; i < total; i += n) out.push(i);
  return out;
}

/** Runs a shard in this thread (see runSweepParallel for worker threads). */
export function runSweep(spec: SweepSpec, net: NetworkModel, target: TargetModel, o: RunOptions): RunResult {
  const t0 = performance.now();
  const total = pointCount(spec.axes);
  const idx = shardIndices(total, o.shard);
  const done = o.out ? doneIndices(o.out, o.format) : new Set<number>();
  if (o.out) prepareOutput(o.out, o.format, spec);
  const ev = evaluator(spec, net, target);
  const rows: Row[] = [];
  let buf: string[] = [],
    evaluated = 0,
    feasible = 0,
    skipped = 0,
    cancelled = false;
  const flush = () => {
    if (o.out && buf.length) appendFileSync(o.out, buf.join('\n') + '\n');
    buf = [];
  };
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    if (done.has(i)) {
      skipped++;
      continue;
    }
    const r = ev.evaluate(i);
    evaluated++;
    if (r) {
      feasible++;
      if (o.keep) rows.push(r);
      if (o.out) buf.push(formatRow(spec, r, o.format));
    }
    if (buf.length >= 2000) flush();
    if ((k & 1023) === 0) {
      o.progress?.(k, idx.length);
      if (o.cancelled?.()) {
        cancelled = true;
        break;
      }
    }
  }
  flush();
  o.progress?.(idx.length, idx.length);
  return {
    total,
    inShard: idx.length,
    skipped,
    evaluated,
    feasible,
    seconds: (performance.now() - t0) / 1000,
    rows,
    cancelled,
  };
}

/**
 * Non-dominated rows for two objectives to minimise (samples_per_* are maximised; area, time, energy, edp minimised).
 */
export function pareto(rows: Row[], a: Objective, b: Objective): Row[] {
  const sign = (o: Objective) => (o.startsWith('samples') ? -1 : 1);
  const s = [...rows].sort(
    (x, y) =>
      sign(a) * x.objectives[a] - sign(a) * y.objectives[a] || sign(b) * x.objectives[b] - sign(b) * y.objectives[b],
  );
  const out: Row[] = [];
  let best = Infinity;
  for (const r of s) {
    const v = sign(b) * r.objectives[b];
    if (v < best) {
      out.push(r);
      best = v;
    }
  }
  return out;
}

/**
 * Runs a shard on `workers` threads (contiguous chunks of the shard's remaining indices); rows are appended to the
 * output as they arrive. Resolves when every worker has finished (or on cancel, after terminating them).
 */
export async function runSweepParallel(
  spec: SweepSpec,
  net: NetworkModel,
  target: TargetModel,
  o: RunOptions & { workers: number },
): Promise<RunResult> {
  const { Worker } = await import('node:worker_threads');
  const { join } = await import('node:path');
  const t0 = performance.now();
  const total = pointCount(spec.axes);
  const idx = shardIndices(total, o.shard);
  const done = o.out ? doneIndices(o.out, o.format) : new Set<number>();
  if (o.out) prepareOutput(o.out, o.format, spec);
  const todo = idx.filter((i) => !done.has(i));
  const n = Math.max(1, Math.min(o.workers, Math.ceil(todo.length / 1000)));
  const per = Math.ceil(todo.length / n);
  const file = o.workerFile ?? (__filename.endsWith('.ts') ? join(__dirname, 'worker.ts') : __filename);
  const rows: Row[] = [];
  const format: Format = o.keep ? 'jsonl' : o.format;
  const cleanSpec = { ...spec, constraints: spec.constraints.map((c) => ({ text: c.text })) };
  let evaluated = 0,
    feasible = 0,
    cancelled = false;
  await Promise.all(
    Array.from(
      { length: n },
      (_, k) =>
        new Promise<void>((res, rej) => {
          const data = {
            accelmapSweep: true,
            spec: cleanSpec,
            net,
            target,
            indices: todo.slice(k * per, (k + 1) * per),
            format,
          };
          // in development (sources run through tsx) the worker registers tsx's CommonJS hook before loading worker.ts
          const w = file.endsWith('.ts')
            ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: data })
            : new Worker(file, { workerData: data });
          w.on('message', (m: { lines: string[]; evaluated: number; feasible: number; done?: boolean }) => {
            if (o.out && m.lines.length) appendFileSync(o.out, m.lines.join('\n') + '\n');
            if (o.keep) for (const l of m.lines) rows.push(rowOf(spec, JSON.parse(l) as Record<string, Value>));
            evaluated += m.evaluated;
            feasible += m.feasible;
            o.progress?.(evaluated + done.size, idx.length);
            if (!cancelled && o.cancelled?.()) {
              cancelled = true;
              void w.terminate();
            }
          });
          w.on('error', rej);
          w.on('exit', () => res());
        }),
    ),
  );
  if (o.keep) rows.sort((a, b) => a.i - b.i);
  return {
    total,
    inShard: idx.length,
    skipped: idx.length - todo.length,
    evaluated,
    feasible,
    seconds: (performance.now() - t0) / 1000,
    rows,
    cancelled,
  };
}

/** A row back from its JSON-lines form. */
function rowOf(spec: SweepSpec, j: Record<string, Value>): Row {
  return {
    i: j.index as number,
    values: spec.axes.map((a) => j[a.name]),
    objectives: objectivesFrom((c) => j[c] as number),
  };
}

/**
 * The rows as an Apache Parquet file (hyparquet-writer): one column per axis (DOUBLE, or STRING for precision /
 * optimizer axes) and per objective, the index first — what pandas / polars / DuckDB open directly. Parquet is
 * written whole (it cannot be appended to), so a parquet output is written when the run ends.
 */
export async function parquetBytes(
  axes: readonly { name: string }[],
  rows: Row[],
  objectives: readonly Objective[] = [],
): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const sorted = [...rows].sort((a, b) => a.i - b.i);
  const col = (name: string, data: (number | string)[], type: 'DOUBLE' | 'STRING' | 'INT64') => ({
    name,
    data: type === 'INT64' ? data.map((x) => BigInt(x as number)) : data,
    type,
  });
  const columnData = [
    col(
      'index',
      sorted.map((r) => r.i),
      'INT64',
    ),
    ...axes.map((a, k) =>
      col(
        a.name,
        sorted.map((r) => r.values[k]),
        sorted.some((r) => typeof r.values[k] === 'string') ? 'STRING' : 'DOUBLE',
      ),
    ),
    ...objectiveColumns(objectives).map((c) =>
      col(
        c.col,
        sorted.map((r) => r.objectives[c.o]),
        'DOUBLE',
      ),
    ),
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData: columnData as never }));
}
