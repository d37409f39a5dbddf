// Run Sweep through the real server: a sweep spec of the workspace run with $/progress, the dashboard's data (a
// sample plus every Pareto front, each axis's effect), a large sweep on worker threads (the CLI bundle), cancel, and
// one design point written as a hardware spec that checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancellationTokenSource, WorkDoneProgress } from 'vscode-languageserver-protocol';
import { TestClient, fileUri, ROOT } from './client';
import { workspace } from './fixtures';
import { analyze } from '../../server/src/spec';
import { loadSweep } from '../../server/src/lsp/sweepRun';
import { pareto, runSweep } from '../../server/src/sweep/run';

const SMALL = `kind: sweep
name: ntx-alexnet
network: ./alexnet.net.yaml
target: ntx
axes:
  compute.clusters: [16, 32, 64]
  memory.dram_bandwidth: {log: [80 GB/s, 320 GB/s], points: 3}
  optimizer: [sgd, adam]
constraints:
  - "compute.clusters <= 32 || memory.dram_bandwidth >= 160e9"
objectives: [samples_per_s, samples_per_j]
`;
const LARGE = `kind: sweep
name: big
network: ./alexnet.net.yaml
target: ntx
axes:
  compute.clusters: {range: [8, 400], step: 8}
  memory.dram_bandwidth: {log: [40 GB/s, 640 GB/s], points: 120}
objectives: [time, energy]
`;

let c: TestClient;
let ws: string;
before(async () => {
  ws = workspace({ 'small.sweep.yaml': SMALL, 'big.sweep.yaml': LARGE });
  for (const f of ['alexnet.net.yaml', 'all-presets.hw.yaml']) copyFileSync(join(ROOT, 'examples', f), join(ws, f));
  c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
});
after(async () => {
  await c.stop();
});

test('Run Sweep: progress, every feasible point or a front point sent, fronts exact, axis effects, a design as a hardware spec', async () => {
  const uri = fileUri(join(ws, 'small.sweep.yaml'));
  c.open(uri, SMALL);
  const seen: any[] = [];
  c.conn.onProgress(WorkDoneProgress.type, 'sw-1', (v) => {
    seen.push(v);
  });
  const r = await c.request<any>('accelmap/runSweep', { uri, workDoneToken: 'sw-1' });
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.total, 18);
  assert.equal(r.evaluated, 18);
  assert.equal(r.feasible, 16); // 16 and 32 clusters at every bandwidth (12), 64 clusters at 160 and 320 GB/s (4)
  assert.equal(r.points.length, r.feasible, 'a small sweep sends every feasible point');
  assert.deepEqual(r.objectives, ['samples_per_s', 'samples_per_j']);
  assert.deepEqual(
    r.axes.map((a: any) => [a.name, a.values.length]),
    [
      ['compute.clusters', 3],
      ['memory.dram_bandwidth', 3],
      ['optimizer', 2],
    ],
  );
  assert.equal(seen[0].kind, 'begin');
  assert.equal(seen.at(-1).kind, 'end');
  // effects: the best samples/s with 64 clusters beats the best with 16
  const e = r.effects.find((x: any) => x.axis === 'compute.clusters');
  assert.ok(e.best.samples_per_s[2] > e.best.samples_per_s[0]);
  assert.equal(e.median.time.length, 3);
  // a design point as a hardware spec: it extends ntx with the point's knobs, and checks without errors
  const pt = r.points.at(-1);
  const d = await c.request<any>('accelmap/sweepDesign', { uri, index: pt.i });
  assert.equal(d.error, undefined, d.error);
  assert.match(d.text, new RegExp(`- name: ntx-sweep-${pt.i}\\n    extends: ntx\\n`));
  assert.match(d.text, /compute:\n {6}clusters: \d+\n/);
  assert.match(d.text, /memory:\n {6}dram_bandwidth: [\d.]+ [GM]B\/s\n/);
  assert.match(d.text, /# Its network settings go in the network spec: optimizer: (sgd|adam)/);
  const doc = analyze('file:///x/design.hw.yaml', d.text);
  assert.deepEqual(
    doc.diagnostics.filter((x) => x.severity === 'error').map((x) => x.message),
    [],
  );
  assert.equal(doc.hardware!.targets[0].params['compute.clusters'], pt.values[0]);
  assert.match(
    (await c.request<any>('accelmap/sweepDesign', { uri, index: 99 })).error,
    /No design point 99 \(the sweep has 18\)/,
  );
});

test('a large sweep runs on worker threads and can be cancelled; a bad sweep spec is an error with its line', async () => {
  const uri = fileUri(join(ws, 'big.sweep.yaml'));
  c.open(uri, LARGE);
  const r = await c.request<any>('accelmap/runSweep', { uri });
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.total, 50 * 120);
  assert.equal(r.evaluated, 6000);
  assert.ok(r.points.length < 6000 && r.points.length >= 1000, `${r.points.length} points sent`);
  // every Pareto front of the full run (computed here, in one thread) is among the points sent
  const l = loadSweep(join(ws, 'big.sweep.yaml'), LARGE);
  assert.ok(!('error' in l));
  if ('error' in l) return;
  const full = runSweep(l.spec, l.net, l.target, { format: 'jsonl', keep: true });
  const sent = new Set(r.points.map((p: any) => p.i));
  for (const [a, b] of [
    ['time', 'energy'],
    ['samples_per_s', 'samples_per_j'],
    ['edp', 'time'],
  ] as const) {
    const front = pareto(full.rows, a, b);
    assert.ok(front.length >= 1);
    for (const p of front) assert.ok(sent.has(p.i), `front point ${p.i} of ${a}/${b} not sent`);
  }
  // the worker threads' numbers are this thread's
  const p0 = r.points[0],
    row = full.rows.find((x) => x.i === p0.i)!;
  // (an ntx target has no area model: the points carry no area)
  const { area: noArea, ...objectives } = row.objectives;
  assert.ok(Number.isNaN(noArea));
  assert.deepEqual(p0.o, objectives);
  // cancel: a request cancelled right away stops early
  const cts = new CancellationTokenSource();
  const pending = c.conn.sendRequest<any>('accelmap/runSweep', { uri }, cts.token);
  cts.cancel();
  const cancelled = await pending;
  assert.equal(cancelled.cancelled, true, JSON.stringify(cancelled).slice(0, 200));
  assert.ok(cancelled.evaluated < 6000, `${cancelled.evaluated} evaluated after the cancel`);
  const bad = fileUri(join(ws, 'bad.sweep.yaml'));
  c.open(bad, 'kind: sweep\nnetwork: ./alexnet.net.yaml\ntarget: ntx9\naxes: {batch: [1]}\n');
  assert.match(
    (await c.request<any>('accelmap/runSweep', { uri: bad })).error,
    /problem.* in the sweep spec: line 3:\d+: target `ntx9` is neither a preset nor a target of the hardware files/,
  );
});
