// `accelmap sweep`: the spec's axes (lists, ranges, log ranges, units), constraints, objectives and every error at
// its line and column; the union of shards is the full run (merged byte for byte); an interrupted run resumes to the
// same file; worker threads write the same rows; the Pareto front.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli, runCliAsync } from './run-cli';
import { compile } from '../../../server/src/sweep/expr';
import { pointAt, pointCount } from '../../../server/src/sweep/run';
import { sortResults } from '../../../server/src/cli/sweep';

const EX = join(__dirname, '..', '..', '..', 'examples');
function dir(spec: string): string {
  const d = mkdtempSync(join(tmpdir(), 'am-sweep-'));
  copyFileSync(join(EX, 'alexnet.net.yaml'), join(d, 'alexnet.net.yaml'));
  copyFileSync(join(EX, 'all-presets.hw.yaml'), join(d, 'all-presets.hw.yaml'));
  writeFileSync(join(d, 's.sweep.yaml'), spec);
  return d;
}
const SPEC = `kind: sweep
name: ntx-alexnet
network: ./alexnet.net.yaml
target: ntx
axes:
  compute.clusters: [16, 32, 64]
  memory.dram_bandwidth: {log: [80 GB/s, 320 GB/s], points: 3}
  batch: {range: [16, 64], step: 16}
  optimizer: [sgd, adam]
constraints:
  - "compute.clusters * batch <= 2048"
objectives: [samples_per_s, samples_per_j]
`;

test('axes are a mixed-radix number, last axis fastest; constraints compile over axis names', () => {
  const axes = [
    { name: 'a', kind: 'param' as const, values: [1, 2, 3] },
    { name: 'b', kind: 'batch' as const, values: [10, 20] },
  ];
  assert.equal(pointCount(axes), 6);
  assert.deepEqual(
    [0, 1, 2, 5].map((i) => pointAt(axes, i)),
    [
      [1, 10],
      [1, 20],
      [2, 10],
      [3, 20],
    ],
  );
  const f = compile('a * b <= 40 && !(a == 3)', ['a', 'b']);
  assert.equal(f({ a: 2, b: 20 }), 1);
  assert.equal(f({ a: 3, b: 10 }), 0);
  assert.equal(f({ a: 2, b: 30 }), 0);
  assert.throws(() => compile('a * c', ['a', 'b']), /`c` is not an axis \(axes: a, b\)/);
  assert.throws(() => compile('a * (b', ['a', 'b']), /expected `\)`/);
});

test('a sweep prints the Pareto front of its two objectives; the constraint removes points; units are read', () => {
  const d = dir(SPEC);
  const r = runCli(['sweep', 's.sweep.yaml'], d);
  assert.equal(r.code, 0, r.err);
  // 3 x 3 x 4 x 2 = 72 points; clusters 64 with batch 48 or 64 break the constraint: 2 x 3 x 2 = 12 points
  assert.match(r.out, /ntx-alexnet: 72 design points; 72 evaluated, 60 within the constraints/);
  assert.match(r.out, /Pareto front \(samples_per_s vs samples_per_j\), \d+ of 60 points/);
  const front = r.out.split('\n').filter((l) => /^ {2}\d+ {2}/.test(l));
  assert.ok(front.length >= 1);
  // along the front, more samples/s costs samples/J: sorted by the first, the second falls
  const xs = front.map((l) => l.trim().split(/\s+/).slice(-2).map(Number));
  for (let i = 1; i < xs.length; i++) {
    assert.ok(xs[i][0] <= xs[i - 1][0]);
    assert.ok(xs[i][1] > xs[i - 1][1]);
  }
  assert.match(front[0], /\b320000000000\b/); // the log range's points 80, 160, 320 GB/s, in SI
});

test('shards partition the sweep: their merge is byte for byte the full run (csv and jsonl); SLURM variables pick the shard', async () => {
  const d = dir(SPEC);
  for (const ext of ['csv', 'jsonl']) {
    const full = runCli(['sweep', 's.sweep.yaml', '-o', `full.${ext}`, '-j', '1'], d);
    assert.equal(full.code, 0, full.err);
    for (const k of [0, 1, 2])
      assert.equal(
        runCli(['sweep', 's.sweep.yaml', '-o', `part${k}.${ext}`, '--shard', `${k}/3`, '-j', '1'], d).code,
        0,
      );
    const m = runCli(['sweep', 'merge', `part0.${ext}`, `part1.${ext}`, `part2.${ext}`, '-o', `merged.${ext}`], d);
    assert.equal(m.code, 0, m.err);
    assert.equal(readFileSync(join(d, `merged.${ext}`), 'utf8'), readFileSync(join(d, `full.${ext}`), 'utf8'));
  }
  process.env.SLURM_ARRAY_TASK_ID = '1';
  process.env.SLURM_ARRAY_TASK_COUNT = '3';
  try {
    assert.equal(runCli(['sweep', 's.sweep.yaml', '-o', 'slurm1.csv', '-j', '1'], d).code, 0);
  } finally {
    delete process.env.SLURM_ARRAY_TASK_ID;
    delete process.env.SLURM_ARRAY_TASK_COUNT;
  }
  assert.equal(readFileSync(join(d, 'slurm1.csv'), 'utf8'), readFileSync(join(d, 'part1.csv'), 'utf8'));
  // parts of different sweeps do not merge
  writeFileSync(join(d, 'other.csv'), 'index,x\n0,1\n');
  const bad = runCli(['sweep', 'merge', 'part0.csv', 'other.csv', '-o', 'x.csv'], d);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /header differs/);
});

test('an interrupted sweep resumes: the points already written are skipped and the file ends as a full run', () => {
  const d = dir(SPEC);
  assert.equal(runCli(['sweep', 's.sweep.yaml', '-o', 'full.csv', '-j', '1'], d).code, 0);
  const full = readFileSync(join(d, 'full.csv'), 'utf8').split('\n');
  // the interrupt left the header, 20 rows and half a line
  writeFileSync(join(d, 'run.csv'), full.slice(0, 21).join('\n') + '\n' + full[21].slice(0, 10));
  const r = runCli(['sweep', 's.sweep.yaml', '-o', 'run.csv', '-j', '1'], d);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\(20 already in run\.csv: resumed\)/);
  const lines = readFileSync(join(d, 'run.csv'), 'utf8')
    .split('\n')
    .filter((l) => l && l.split(',').length > 5);
  const sorted = [lines[0], ...lines.slice(1).sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0]))];
  assert.deepEqual(
    sorted,
    full.filter((l) => l),
  );
});

test('worker threads write the same rows as one thread', async () => {
  const d = dir(
    SPEC.replace('compute.clusters: [16, 32, 64]', 'compute.clusters: {range: [8, 128], step: 8}').replace(
      'points: 3',
      'points: 20',
    ),
  );
  const one = runCli(['sweep', 's.sweep.yaml', '-o', 'one.csv', '-j', '1'], d);
  assert.equal(one.code, 0, one.err);
  const two = await runCliAsync(['sweep', 's.sweep.yaml', '-o', 'two.csv', '-j', '2'], d);
  assert.equal(two.code, 0, two.err);
  sortResults(join(d, 'two.csv'));
  assert.equal(readFileSync(join(d, 'two.csv'), 'utf8'), readFileSync(join(d, 'one.csv'), 'utf8'));
});

test('bad sweep specs: each problem at its line and column with the fix', () => {
  const d = dir(`kind: sweep
network: ./alexnet.net.yaml
target: ntx
axes:
  compute.clusterz: [16, 32]
  memory.dram_bandwidth: [100, 200 GB/s]
  compute.tcdm_size: [1]
  precision: [fp32, fp33]
constraints:
  - "compute.clusterz > 2"
objectives: [time, area]
`);
  const r = runCli(['sweep', 's.sweep.yaml'], d);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    /s\.sweep\.yaml:5:3: `compute\.clusterz` is not a parameter of a ntx target; did you mean `compute\.clusters`\?/,
  );
  assert.match(r.err, /s\.sweep\.yaml:6:\d+: memory\.dram_bandwidth: `100` needs a unit/);
  assert.match(
    r.err,
    /s\.sweep\.yaml:7:3: `compute\.tcdm_size` is not a parameter of a ntx target; did you mean `memory\.tcdm_size`\?/,
  );
  assert.match(r.err, /s\.sweep\.yaml:8:\d+: precision `fp33` is not one of/);
  assert.match(
    r.err,
    /s\.sweep\.yaml:11:\d+: objective `area`: a ntx target has no area model \(kinds with one: caterpillar, spatial\)/,
  );
  const noTarget = runCli(
    ['sweep', 's.sweep.yaml'],
    dir('kind: sweep\nnetwork: ./alexnet.net.yaml\ntarget: ntx9\naxes: {batch: [1]}\n'),
  );
  assert.match(noTarget.err, /:3:9: target `ntx9` is neither a preset nor a target of the hardware files/);
  const shard = runCli(['sweep', 's.sweep.yaml', '--shard', '3/3'], dir(SPEC));
  assert.equal(shard.code, 2);
  assert.match(shard.err, /--shard must be i\/n with 0 <= i < n/);
});

test('--out results.parquet: the same rows as the CSV, readable by a Parquet reader; CSV shards merge into one parquet file', async () => {
  const d = dir(SPEC);
  const { parquetReadObjects } = await import('hyparquet');
  const read = async (f: string) => parquetReadObjects({ file: new Uint8Array(readFileSync(join(d, f))).buffer });
  const csv = await runCliAsync(['sweep', 's.sweep.yaml', '--out', 'r.csv', '--workers', '1'], d);
  assert.equal(csv.code, 0, csv.err);
  const pq = await runCliAsync(['sweep', 's.sweep.yaml', '--out', 'r.parquet', '--workers', '2'], d);
  assert.equal(pq.code, 0, pq.err);
  const lines = readFileSync(join(d, 'r.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const rows = await read('r.parquet');
  assert.equal(rows.length, lines.length - 1);
  assert.deepEqual(Object.keys(rows[0]), head);
  for (const [k, line] of lines.slice(1).entries()) {
    const cells = line.split(',');
    const r = rows[k] as Record<string, unknown>;
    assert.equal(Number(r.index), Number(cells[0]));
    assert.equal(r.optimizer, cells[head.indexOf('optimizer')]);
    for (const c of ['compute.clusters', 'batch', 'time_s', 'energy_j', 'samples_per_s']) {
      const want = Number(cells[head.indexOf(c)]),
        got = r[c] as number;
      assert.ok(Math.abs(got / want - 1) < 1e-9, `${c} row ${k}: ${got} vs ${want}`);
    }
  }
  // two CSV shards merged into parquet: the same rows
  for (const s of ['0/2', '1/2'])
    assert.equal(
      (await runCliAsync(['sweep', 's.sweep.yaml', '--out', `p${s[0]}.csv`, '--shard', s, '--workers', '1'], d)).code,
      0,
    );
  const m = await runCliAsync(['sweep', 'merge', 'p0.csv', 'p1.csv', '--out', 'all.parquet'], d);
  assert.equal(m.code, 0, m.err);
  const merged = await read('all.parquet');
  assert.deepEqual(
    merged.map((r: any) => Number(r.index)),
    rows.map((r: any) => Number(r.index)),
  );
  assert.deepEqual(
    merged.map((r: any) => r.time_s),
    rows.map((r: any) => Number(Number(r.time_s).toPrecision(12))),
  );
});

test('the area objective on a kind with an area model: an area_m2 column, growing with the array; the time-area front', () => {
  const d = dir(`kind: sweep
name: eyeriss-area
network: ./alexnet.net.yaml
target: os-teaching
axes:
  pe.mesh_x: [4, 8, 16]
  global_buffer.capacity: [64 KiB, 256 KiB]
  batch: [1]
objectives: [time, area]
`);
  const r = runCli(['sweep', 's.sweep.yaml', '-o', 'a.csv', '-j', '1'], d);
  assert.equal(r.code, 0, r.err);
  const [head, ...rows] = readFileSync(join(d, 'a.csv'), 'utf8').trim().split('\n');
  assert.deepEqual(head.split(','), [
    'index',
    'pe.mesh_x',
    'global_buffer.capacity',
    'batch',
    'time_s',
    'energy_j',
    'edp_js',
    'samples_per_s',
    'samples_per_j',
    'area_m2',
  ]);
  assert.equal(rows.length, 6);
  const area = (mx: number, gb: number) =>
    Number(
      rows
        .find((l) => {
          const c = l.split(',');
          return Number(c[1]) === mx && Number(c[2]) === gb * 1024;
        })!
        .split(',')[9],
    );
  assert.ok(area(8, 64) > area(4, 64) && area(16, 64) > area(8, 64), 'more PEs, more area');
  assert.ok(area(4, 256) > area(4, 64), 'a bigger buffer, more area');
  assert.ok(area(4, 64) > 1e-7 && area(16, 256) < 1e-4, 'square millimetres, in m2');
  const front = runCli(['sweep', 's.sweep.yaml'], d);
  assert.match(front.out, /Pareto front \(time vs area\)/);
  // sweeps without the area objective keep their columns
  const plain = dir(SPEC);
  assert.equal(runCli(['sweep', 's.sweep.yaml', '-o', 'p.csv', '-j', '1'], plain).code, 0);
  assert.equal(
    readFileSync(join(plain, 'p.csv'), 'utf8').split('\n')[0],
    'index,compute.clusters,memory.dram_bandwidth,batch,optimizer,time_s,energy_j,edp_js,samples_per_s,samples_per_j',
  );
});
