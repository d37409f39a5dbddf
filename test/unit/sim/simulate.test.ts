import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/sim/index';
import {
  trainingOrder,
  orderSteps,
  TimelineBuilder,
  PhaseTable,
  rooflinePoints,
  attainable,
  rooflineCeilings,
} from '../../../server/src/sim/target';
import { lower } from '../../../server/src/sim/lower';
import { PHASES, RESULT_SCHEMA_VERSION, type Phase } from '../../../server/src/sim/types';
import type { Workload } from '../../../server/src/sim/workload';
import { resolveTargets } from '../../../server/src/spec/index';
import { mlp, target } from './fixtures';
import { deepChain } from './nets';
import { KINDS } from '../../../server/src/kinds/params';

test('simulate: schema, network summary, baseline ratios, determinism', () => {
  const n = mlp([256, 128, 10], { batch: 4 });
  const t1 = target('gpu', undefined, {}, 'a');
  const t2 = target('ntx', undefined, {}, 'b');
  const r = simulate(n, [t1, t2], { baseline: 'a' });
  assert.equal(r.schemaVersion, RESULT_SCHEMA_VERSION);
  assert.equal(r.network.layerCount, 3);
  assert.equal(r.network.flops, lower(n).totalFlops);
  assert.equal(r.baseline, 'a');
  assert.equal(r.targets[0].vsBaseline, undefined);
  const v = r.targets[1].vsBaseline!;
  assert.equal(v.speedup, r.targets[0].totals.timeS / r.targets[1].totals.timeS);
  assert.equal(v.energyRatio, r.targets[1].totals.energyJ / r.targets[0].totals.energyJ);
  assert.equal(v.efficiencyRatio, r.targets[1].totals.flopsPerJoule / r.targets[0].totals.flopsPerJoule);
  assert.deepEqual(simulate(n, [t1, t2], { baseline: 'a' }), r);
  // totals are the sum of the phases
  for (const t of r.targets) {
    const sum = t.layers.flatMap((l) => l.phases).reduce((s, p) => s + p.flops, 0);
    assert.equal(t.totals.flops, sum);
    assert.ok(t.totals.timeS > 0);
  }
});

test('training order: fwd ascending, backward descending, updates last (or inline)', () => {
  const w = lower(mlp([8, 8, 8]));
  const s = orderSteps(trainingOrder(w)).map((x) => `${w.layers[x.layer].name}:${x.work.phase}`);
  assert.deepEqual(s, [
    'fc1:fwd',
    'relu1:fwd',
    'fc2:fwd',
    'fc2:bwd_data',
    'fc2:bwd_weight',
    'relu1:bwd_data',
    'fc1:bwd_weight',
    'fc1:update',
    'fc2:update',
  ]);
  const inl = orderSteps(trainingOrder(w, true)).map((x) => `${w.layers[x.layer].name}:${x.work.phase}`);
  assert.deepEqual(inl.slice(3, 6), ['fc2:bwd_data', 'fc2:bwd_weight', 'fc2:update']);
});

test('phase rows: bound, time, utilization, energy; timeline shows config, overlap and stall', () => {
  const rows = new PhaseTable();
  const row = rows.add(0, {
    phase: 'fwd',
    engine: 'accelerator',
    flops: 100,
    bytes: { dram: 50 },
    outer: 'dram',
    computeS: 1,
    memoryS: 3,
    overheadS: 0.5,
    peakFlops: 100,
    energy: { compute: 1, dram: 2 },
  });
  const p = rows.result(row);
  assert.equal(p.timeS, 3.5);
  assert.equal(p.bound, 'memory');
  assert.equal(p.intensity, 2);
  assert.equal(p.energyJ, 3);
  assert.deepEqual(p.energy, { compute: 1, sram: 0, dram: 2, link: 0, control: 0, static: 0 });
  assert.deepEqual(p.bytes, { dram: 50 });
  assert.ok(Math.abs(p.utilization - 100 / 350) < 1e-12);
  const tb = new TimelineBuilder(true, 20_000, (i) => `l${i}`);
  tb.place(0, 'fwd', p, { compute: 'engine:x', dma: 'dma', config: 'offload' });
  assert.deepEqual(
    tb.events.map((e) => [e.lane, e.layer, e.kind, e.startS, e.endS]),
    [
      ['offload', 'l0', 'config', 0, 0.5],
      ['engine:x', 'l0', 'compute', 0.5, 1.5],
      ['dma', 'l0', 'dma', 0.5, 3.5],
      ['engine:x', 'l0', 'stall', 1.5, 3.5],
    ],
  );
  assert.equal(tb.cursor, 3.5);
  const c = { peakFlops: 10, levels: [{ name: 'dram', bandwidthBps: 2 }] };
  assert.equal(attainable(c, 1), 2);
  assert.equal(attainable(c, 100), 10);
});

test('phase rows as columns: the numbers of layerResults, in its order, for rows recorded out of order', () => {
  const rows = new PhaseTable();
  const base = { engine: 'accelerator' as const, outer: 'dram', overheadS: 0, peakFlops: 1e9, energy: { sram: 1 } };
  // layer 1 before layer 0, backward before forward, and a fifth level (past the ones kept in the row)
  const add = (layer: number, phase: Phase, k: number, extra: Record<string, number> = {}) =>
    rows.add(layer, {
      ...base,
      phase,
      flops: k * 100,
      bytes: { dram: k, ...extra },
      computeS: k,
      memoryS: k / 2,
      ...(k === 3 ? { mapping: `tile ${k}` } : {}),
    });
  add(1, 'bwd_data', 1);
  add(1, 'fwd', 2, { sram: 4, rf: 5, l2: 6, hbm: 7 });
  add(0, 'update', 3);
  add(0, 'fwd', 4, { sram: 1 });
  add(1, 'bwd_weight', 5);
  const w = { layers: [0, 1].map((i) => ({ name: `l${i}`, op: 'linear', dims: { i } })) } as unknown as Workload;
  const objects = rows.layerResults(w);
  const c = rows.columns(w);
  assert.deepEqual([...c.count], [2, 3]);
  const flat = objects.flatMap((l) => l.phases);
  assert.deepEqual(
    [...c.phase].map((k) => PHASES[k]),
    flat.map((p) => p.phase),
  );
  assert.deepEqual(
    [...c.phase].map((k) => PHASES[k]),
    ['fwd', 'update', 'fwd', 'bwd_data', 'bwd_weight'],
  );
  for (const [j, p] of flat.entries()) {
    for (const k of Object.keys(c.num) as (keyof typeof c.num)[]) assert.equal(c.num[k][j], p[k], `${k} ${j}`);
    for (const k of Object.keys(c.energy) as (keyof typeof c.energy)[]) assert.equal(c.energy[k][j], p.energy[k]);
    const bytes = Object.fromEntries(
      Object.entries(c.bytes)
        .map(([lv, a]) => [lv, a[j]])
        .filter(([, v]) => v === v),
    );
    assert.deepEqual(bytes, p.bytes, `bytes of row ${j}`);
    assert.equal(c.bounds[c.bound[j]], p.bound);
    assert.equal(c.engines[c.engine[j]], p.engine);
    assert.equal(c.mapping.get(j), p.mapping);
  }
  assert.equal(c.mapping.get(1), 'tile 3');
  assert.deepEqual(Object.keys(c.bytes).sort(), ['dram', 'hbm', 'l2', 'rf', 'sram']);
});

test('phase rows: a mapping given as a function is built when first read, once, and read like a text', () => {
  const rows = new PhaseTable();
  let calls = 0;
  const text = () => {
    calls++;
    return 'output tile 32x32';
  };
  const base = { engine: 'accelerator' as const, outer: 'dram', overheadS: 0, peakFlops: 1e9, energy: {} };
  rows.add(0, { ...base, phase: 'fwd', flops: 1, bytes: { dram: 1 }, computeS: 1, memoryS: 1, mapping: text });
  rows.add(0, {
    ...base,
    phase: 'bwd_data',
    flops: 1,
    bytes: { dram: 1 },
    computeS: 1,
    memoryS: 1,
    mapping: () => undefined,
  });
  assert.equal(calls, 0, 'not built while recording');
  const w = { layers: [{ name: 'l0', op: 'linear', dims: {} }] } as unknown as Workload;
  const [l] = rows.layerResults(w);
  assert.equal(l.phases[0].mapping, 'output tile 32x32');
  assert.equal('mapping' in l.phases[1], false, 'a function that gives no text leaves no mapping');
  assert.equal(rows.columns(w).mapping.get(0), 'output tile 32x32');
  assert.equal(calls, 1, 'built once, then kept');
});

test('phase rows: a level first seen late is absent (not 0) in earlier rows; growth keeps every row; totals sum the rows', () => {
  const rows = new PhaseTable();
  const base = {
    engine: 'host' as const,
    outer: 'dram',
    memoryS: 0,
    overheadS: 0,
    peakFlops: 1e9,
    energy: { compute: 1 },
  };
  const n = 1300; // more than two chunks of rows
  for (let i = 0; i < n; i++) rows.add(i, { ...base, phase: 'fwd', flops: i, bytes: { dram: 10 * i }, computeS: i });
  rows.add(n, {
    ...base,
    phase: 'update',
    engine: 'in-memory',
    flops: 7,
    bytes: { dram: 0, bank: 64, sram: 8 },
    outer: 'bank',
    computeS: 1,
  });
  assert.equal(rows.n, n + 1);
  assert.deepEqual(rows.result(3).bytes, { dram: 30 });
  assert.deepEqual(rows.result(1000).bytes, { dram: 10000 });
  assert.equal(rows.layer(1000), 1000);
  assert.equal(rows.result(1000).timeS, 1000);
  assert.deepEqual(rows.result(n).bytes, { dram: 0, bank: 64, sram: 8 });
  assert.equal(rows.result(n).engine, 'in-memory');
  assert.equal(rows.result(n).phase, 'update');
  assert.equal(rows.result(n).intensity, 7 / 64);
  assert.equal(rows.bytes(n, 'bank'), 64);
  assert.equal(rows.bytes(1, 'bank'), 0);
  const sum = ((n - 1) * n) / 2;
  const t = rows.totals(1e9, 2);
  assert.deepEqual(t.bytes, { dram: 10 * sum, bank: 64, sram: 8 });
  assert.equal(t.flops, sum + 7);
  assert.equal(t.timeS, sum + 1);
  assert.equal(t.energyJ, n + 1);
  rows.setStatic(n, 0.5);
  rows.addStatic(n, 0.25);
  assert.equal(rows.result(n).energy.static, 0.75);
  assert.equal(rows.result(n).energyJ, 1.75);
  assert.equal(rows.totals(1e9, 2, 100).timeS, 100);
  // more levels than a row holds inline go to side columns
  const wide = rows.add(n + 1, {
    ...base,
    phase: 'fwd',
    flops: 1,
    bytes: { dram: 1, l3: 2, l4: 3, bank: 4, sram: 5 },
    computeS: 1,
  });
  assert.deepEqual(rows.result(wide).bytes, { dram: 1, bank: 4, sram: 5, l3: 2, l4: 3 });
  assert.deepEqual(rows.result(1000).bytes, { dram: 10000 });
  assert.equal(rows.totals(1e9, 2).bytes.l4, 3);
});

test('target results: layers and timeline are built on first read, kept, serialised and assignable', () => {
  const r = simulate(mlp([64, 32, 10], { batch: 2 }), [target('ntx')]).targets[0];
  const d = Object.getOwnPropertyDescriptor(r, 'layers')!;
  assert.equal(typeof d.get, 'function', 'not built before it is read');
  assert.deepEqual(Object.keys(r), ['name', 'kind', 'peak', 'totals', 'layers', 'timeline', 'findings', 'notes']);
  const layers = r.layers;
  assert.equal(r.layers, layers, 'built once');
  assert.equal(layers.length, 3);
  const json = JSON.parse(JSON.stringify(r));
  assert.deepEqual(json.layers, layers);
  assert.equal(json.timeline.length, r.timeline.length);
  assert.ok(r.timeline.length > 0);
  r.timeline = [];
  assert.deepEqual(r.timeline, []);
  assert.deepEqual({ ...r }.layers, layers);
});

test('roofline points: one per layer-phase with work', () => {
  const r = simulate(mlp([64, 32, 10], { batch: 2 }), [target('gpu')]);
  const pts = rooflinePoints(r.targets[0]);
  const withWork = r.targets[0].layers.flatMap((l) => l.phases).filter((p) => p.flops > 0 && p.intensity > 0).length;
  assert.ok(withWork > 0);
  assert.equal(pts.length, withWork);
  assert.ok(rooflineCeilings(r.targets[0]).peakFlops > 0);
});

test('roofline fallback: T = max(flops/peak, compulsory bytes/bw), documented in notes', async () => {
  const { rooflineFallback } = await import('../../../server/src/sim/roofline');
  const t = target('ntx', 'ntx', { 'memory.dram_bandwidth': 100e9 });
  const w = lower(mlp([128, 64], { batch: 2 }));
  const r = rooflineFallback('ntx').simulate(w, t, { timeline: true, layers: true });
  assert.ok(r.notes[0].includes('generic roofline'));
  // ntx's largest flopRate parameter: none -> 1 TFLOP/s (ASM); bandwidth from memory.dram_bandwidth
  assert.equal(r.peak.flops, 1e12);
  const fwd = w.layers[0].phases[0];
  const p = r.layers[0].phases[0];
  assert.equal(p.timeS, Math.max(fwd.flops / 1e12, fwd.minBytes / 100e9));
  assert.equal(
    r.totals.bytes.dram,
    w.layers.flatMap((l) => l.phases).reduce((s, x) => s + x.minBytes, 0),
  );
});

test('detail "totals" gives the same totals without timeline or layers', () => {
  const n = mlp([256, 128, 10], { batch: 4 });
  const ts = [target('ntx', 'ntx'), target('caterpillar', 'caterpillar-small', { 'control.mode': 'cp' })];
  const full = simulate(n, ts),
    lite = simulate(n, ts, { detail: 'totals' });
  for (let i = 0; i < ts.length; i++) {
    assert.deepEqual(lite.targets[i].totals, full.targets[i].totals);
    assert.equal(lite.targets[i].timeline.length, 0);
    assert.equal(lite.targets[i].layers.length, 0);
    assert.ok(full.targets[i].timeline.length > 0);
  }
});

test('totals.phaseS is the time of each phase summed over the layers, in full and totals-only runs, every kind', () => {
  const n = mlp([256, 128, 10], { batch: 4 });
  const ts = resolveTargets(
    KINDS.map((k) => k.presets[0].name),
    [],
  ).targets;
  const full = simulate(n, ts),
    lite = simulate(n, ts, { detail: 'totals' });
  for (let i = 0; i < ts.length; i++) {
    const t = full.targets[i];
    for (const ph of PHASES) {
      const sum = t.layers.flatMap((l) => l.phases).reduce((s, p) => s + (p.phase === ph ? p.timeS : 0), 0);
      assert.ok(Math.abs(t.totals.phaseS[ph] - sum) <= 1e-12 * Math.max(1, sum), `${t.name} ${ph}`);
      assert.ok(Math.abs(lite.targets[i].totals.phaseS[ph] - sum) <= 1e-12 * Math.max(1, sum), `${t.name} ${ph} lite`);
    }
    assert.ok(t.totals.phaseS.fwd > 0 && t.totals.phaseS.bwd_weight > 0, t.name);
  }
});

test('timeline: past maxEvents, events of a lane and phase merge into one run (bounded)', () => {
  const tb = new TimelineBuilder(true, 4, (i) => (i < 100 ? `l${i}` : i === 100 ? 'b' : 'c'));
  for (let i = 0; i < 10; i++) tb.add('engine:x', i, 'fwd', 'compute', i, i + 1);
  // four events, then the first one past the cap opens the run of its lane and phase, which the rest extend
  assert.equal(tb.events.length, 5);
  assert.deepEqual(tb.events[3], { lane: 'engine:x', layer: 'l3', phase: 'fwd', kind: 'compute', startS: 3, endS: 4 });
  assert.deepEqual(tb.events[4], {
    lane: 'engine:x',
    layer: 'l4 …',
    phase: 'fwd',
    kind: 'compute',
    startS: 4,
    endS: 10,
  });
  // alternating compute and stall, and a gap, still merge: the run becomes 'mixed'
  tb.add('engine:x', 10, 'fwd', 'stall', 10, 10.5);
  tb.add('engine:x', 11, 'fwd', 'compute', 12, 13);
  assert.equal(tb.events.length, 5);
  assert.deepEqual(tb.events[4], { lane: 'engine:x', layer: 'l4 …', phase: 'fwd', kind: 'mixed', startS: 4, endS: 13 });
  tb.add('engine:x', 100, 'bwd_data', 'compute', 13, 14); // another phase: a new run
  tb.add('engine:x', 101, 'bwd_data', 'compute', 14, 15);
  assert.equal(tb.events.length, 6);
});

test('timeline: a 10,000-layer network gives a bounded timeline on every kind', () => {
  const net = deepChain(10_000);
  const r = simulate(
    net,
    KINDS.map((k) => target(k.kind, k.presets[0].name)),
  );
  for (const t of r.targets) {
    assert.ok(t.timeline.length <= 20_000 + 64, `${t.name}: ${t.timeline.length} events`);
    const end = Math.max(...t.timeline.map((e) => e.endS));
    assert.ok(
      Math.abs(end - t.totals.timeS) <= 1e-9 * t.totals.timeS + 1e-12 || end <= t.totals.timeS * (1 + 1e-9),
      `${t.name}: timeline ends at ${end}, iteration ${t.totals.timeS}`,
    );
  }
});
