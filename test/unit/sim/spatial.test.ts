// The 'spatial' target kind: training phases as loop nests (same iteration space, the read-write tensor moved),
// mapped by the mapper on the presets, and the result a network simulation reports (time = cycles / clock, bytes
// per level, energy split), plus `accelmap map`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveTargets } from '../../../server/src/spec/index';
import { lower, simulate } from '../../../server/src/sim/index';
import { phaseProblems, roleName } from '../../../server/src/sim/nest/training';
import { mapProblem, mapWorkload, spatialArch } from '../../../server/src/kinds/spatial/model';
import { analyzeMapping } from '../../../server/src/sim/nest/analyze';
import { networkOf } from '../examples/load';
import { runCliAsync } from '../cli/run-cli';
import { searchMappings } from '../../../server/src/sim/nest/mapper';
import { mlp, target as kindTarget } from './fixtures';

const target = (name: string, params: Record<string, number | string> = {}) => {
  const [t] = resolveTargets([name], []).targets;
  return { ...t, params: { ...t.params, ...params } };
};
const resnet18 = networkOf('resnet18.net.yaml');

test("every conv/linear phase of ResNet-18 is a loop nest with the workload's MACs; the read-write tensor moves with the phase", () => {
  const w = lower({ ...resnet18, batch: 4 });
  let nests = 0;
  for (const l of w.layers) {
    for (const ph of l.phases) {
      if (ph.phase === 'update' || ph.kind !== 'mvm') continue;
      const ps = phaseProblems(l, ph.phase);
      assert.equal(ps.length, 1, `${l.name} ${ph.phase}`);
      const p = ps[0];
      assert.equal(
        p.dims.reduce((x, d) => x * p.bounds[d], 1),
        ph.macs,
        `${l.name} ${ph.phase} MACs`,
      );
      const rw = p.dataSpaces.filter((d) => d.readWrite).map((d) => d.name);
      assert.deepEqual(rw, [{ fwd: 'Outputs', bwd_data: 'Inputs', bwd_weight: 'Weights' }[ph.phase]]);
      nests++;
    }
  }
  assert.ok(nests > 40);
  // strides carry into the input coordinates: conv1 is 7x7 stride 2
  const conv1 = w.layers.find((l) => l.name === 'conv1')!;
  const inp = phaseProblems(conv1, 'bwd_data')[0].dataSpaces.find((d) => d.name === 'Inputs')!;
  assert.deepEqual(inp.projection[2], [
    { dim: 'P', coef: 2 },
    { dim: 'R', coef: 1 },
  ]);
  assert.equal(roleName('Inputs', 'bwd_data', true), 'InputGrads');
  assert.equal(roleName('Outputs', 'bwd_weight', false), 'OutputGrads');
  assert.equal(roleName('Weights', 'bwd_weight', true), 'WeightGrads');
});

test('a batched matmul of two activations has two backward-data products (dA and dB), no backward-weight', () => {
  const bert = networkOf('bert-base.net.yaml');
  const w = lower({ ...bert, batch: 2 });
  const mm = w.layers.find((l) => l.cls === 'matmul' && l.params === 0)!;
  assert.ok(mm, 'an attention matmul');
  const bd = phaseProblems(mm, 'bwd_data');
  assert.equal(bd.length, 2);
  assert.deepEqual(
    bd.map((p) => p.dataSpaces.find((d) => d.readWrite)!.name),
    ['Inputs', 'Weights'],
  );
  assert.equal(phaseProblems(mm, 'bwd_weight').length, 0);
  const macs = mm.phases.find((p) => p.phase === 'bwd_data')!.macs;
  assert.equal(
    bd.reduce((x, p) => x + p.dims.reduce((y, d) => y * p.bounds[d], 1), 0),
    macs,
  );
});

test('presets build their hierarchy: Eyeriss 168 PEs, 108 KiB buffer without weights; TPU 128x128 weight-stationary cells', () => {
  const e = spatialArch(target('eyeriss-like'));
  assert.deepEqual(
    e.levels.map((l) => l.name),
    ['dram', 'global_buffer', 'pe_buffer'],
  );
  assert.equal(e.compute.instances, 168);
  assert.equal(e.levels[1].sizeWords, (108 * 1024) / 2);
  assert.deepEqual(e.levels[1].mayKeep, ['Inputs', 'Outputs']);
  const t = spatialArch(target('tpu-like'));
  assert.equal(t.compute.instances, 128 * 128);
  assert.deepEqual(t.levels[2].mayKeep, ['Weights']);
  // a level of capacity 0 is absent
  const noGb = spatialArch(target('eyeriss-like', { 'global_buffer.capacity': 0 }));
  assert.deepEqual(
    noGb.levels.map((l) => l.name),
    ['dram', 'pe_buffer'],
  );
});

test('ResNet-18 on the spatial presets: time = cycles / clock, utilization at most 1, the keep rules hold, repeated runs are identical', () => {
  const net = { ...resnet18, batch: 2 };
  for (const name of ['eyeriss-like', 'tpu-like', 'os-teaching']) {
    const t = target(name, { 'mapper.budget': 300 });
    const r = simulate(net, [t]).targets[0];
    const clock = t.params.clock as number;
    assert.ok(r.totals.timeS > 0 && r.totals.energyJ > 0);
    assert.ok(r.totals.utilization > 0 && r.totals.utilization <= 1, `${name} ${r.totals.utilization}`);
    const maps = mapWorkload(lower(net), t);
    const conv = r.layers.find((l) => l.name === 'layer1.0.conv1')!.phases.find((p) => p.phase === 'fwd')!;
    const m = maps.find((x) => x.layer.name === 'layer1.0.conv1' && x.phase === 'fwd')!.maps[0];
    assert.ok(m.cached, 'the simulation searched it, the second asks the cache');
    assert.ok(Math.abs(conv.timeS - m.result.cycles / clock) < 1e-15);
    assert.ok(conv.utilization <= 1 + 1e-9);
    assert.ok(conv.energy.compute > 0 && conv.energy.sram > 0 && conv.energy.dram > 0);
    assert.ok(conv.bytes.dram > 0);
    const arch = spatialArch(t);
    for (const x of maps)
      for (const pm of x.maps) {
        assert.ok(
          pm.result.legal,
          `${name} ${x.layer.name} ${x.phase}: ${pm.result.issues.map((i) => i.message).join('; ')}`,
        );
        pm.mapping.forEach((lm, l) => {
          for (const k of lm.keep)
            assert.ok(
              !arch.levels[l].mayKeep || arch.levels[l].mayKeep!.includes(k),
              `${arch.levels[l].name} keeps ${k}`,
            );
        });
      }
    const again = simulate(net, [t]).targets[0];
    assert.equal(JSON.stringify(again.totals), JSON.stringify(r.totals));
    assert.deepEqual(again.notes, r.notes);
  }
});

test("more mapper budget (same seed, the same first samples) finds a mapping at least as good; the mapping's analysis is reproducible", () => {
  const w = lower({ ...resnet18, batch: 4 });
  const l = w.layers.find((x) => x.name === 'layer2.0.conv2')!;
  const p = phaseProblems(l, 'bwd_weight')[0];
  const small = mapProblem(p, target('eyeriss-like', { 'mapper.budget': 200 }));
  const big = mapProblem(p, target('eyeriss-like', { 'mapper.budget': 4000 }));
  const edp = (r: typeof small.result) => r.cycles * r.energyPJ;
  assert.ok(edp(big.result) <= edp(small.result));
  const re = analyzeMapping(p, spatialArch(target('eyeriss-like')), big.mapping);
  assert.equal(re.cycles, big.result.cycles);
  assert.equal(re.energyPJ, big.result.energyPJ);
  // the spread says what a bad mapping costs
  const e = big.searched.spread![0];
  assert.ok(e.worst / e.best > 10);
});

test('accelmap map: the loop nest per layer phase and the search figures; a non-spatial target is refused', async () => {
  const file = join(__dirname, '..', '..', '..', 'examples', 'resnet18.net.yaml');
  const r = await runCliAsync([
    'map',
    file,
    '-t',
    'eyeriss-like',
    '--layer',
    'layer3.0.conv1',
    '--budget',
    '300',
    '--batch',
    '2',
    '-f',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(
    j.phases.map((p: { phase: string }) => p.phase),
    ['fwd', 'bwd_data', 'bwd_weight'],
  );
  for (const p of j.phases) {
    assert.ok(p.cycles > 0 && p.utilization > 0 && p.utilization <= 1);
    assert.equal(p.levels[0].name, 'dram');
    assert.ok(p.mapping.some((d: { type: string }) => d.type === 'temporal'));
    assert.ok(p.search.evaluated <= 300 && p.search.legal > 0);
  }
  assert.equal(j.phases[1].tensors.find((t: { readWrite: boolean }) => t.readWrite).role, 'InputGrads');
  const txt = await runCliAsync([
    'map',
    file,
    '-t',
    'eyeriss-like',
    '--layer',
    'layer3.0.conv1',
    '--budget',
    '300',
    '--batch',
    '2',
  ]);
  assert.match(txt.out, /== layer3\.0\.conv1 bwd_weight: .*writes WeightGrads/);
  assert.match(txt.out, /search: \d+ evaluated, \d+ legal/);
  const bad = await runCliAsync(['map', file, '-t', 'h100-sxm']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /h100-sxm is a gpu target: mappings are searched for spatial targets/);
  const badBudget = await runCliAsync(['map', file, '-t', 'eyeriss-like', '--budget', 'lots']);
  assert.equal(badBudget.code, 2);
  assert.match(
    badBudget.err,
    /--budget must be a number of mappings per loop nest \(5000\) or a time per loop nest \(10s\), got 'lots'/,
  );
});

test('accelmap map on worker threads: every distinct nest searched once, the same mapping as one thread; --budget 0.05s is a time limit per nest', async () => {
  const file = join(__dirname, '..', '..', '..', 'examples', 'mlp-small.net.yaml');
  const r = await runCliAsync(['map', file, '-t', 'eyeriss-like', '--budget', '137', '--jobs', '2', '-f', 'json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.workers, 2);
  assert.ok(j.searched >= 2, `searched ${j.searched}`);
  assert.equal(j.phases.filter((p: { cached: boolean }) => !p.cached).length, j.searched);
  // a worker's answer is the one this thread finds for the same nest, budget and seed
  const [t] = resolveTargets(['eyeriss-like'], []).targets;
  const w = lower(networkOf('mlp-small.net.yaml'));
  const first = j.phases[0];
  const layer = w.layers.find((l) => l.name === first.layer)!;
  const p = phaseProblems(layer, first.phase).find((x) => x.name === first.problem)!;
  const here = searchMappings(p, spatialArch(t), { metrics: ['edp'], evaluations: 137, seed: 1 });
  assert.equal(first.cycles, here.best!.result.cycles);
  assert.equal(first.energyJ, here.best!.result.energyPJ * 1e-12);
  assert.equal(first.search.evaluated, here.evaluated);
  // a time budget: each nest searched for about that long, however many mappings that is
  const timed = await runCliAsync([
    'map',
    file,
    '-t',
    'eyeriss-like',
    '--budget',
    '0.05s',
    '--jobs',
    '1',
    '-f',
    'json',
  ]);
  assert.equal(timed.code, 0, timed.err);
  for (const ph of JSON.parse(timed.out).phases.filter((x: { cached: boolean }) => !x.cached)) {
    assert.ok(ph.search.seconds >= 0.045, `${ph.layer} ${ph.phase}: ${ph.search.seconds} s`);
    assert.ok(ph.search.seconds < 0.5, `${ph.layer} ${ph.phase}: ${ph.search.seconds} s`);
  }
});

test('spatial area: MACs, PE buffers and PE remainder scale with the PE count, the global buffer with its capacity; kinds without an area model have none', () => {
  const area = (o: Record<string, number>) =>
    simulate(mlp([64, 64]), [kindTarget('spatial', 'os-teaching', o)]).targets[0].area!;
  const a = area({}),
    b = area({ 'pe.mesh_x': 2 * Number(kindTarget('spatial', 'os-teaching').params['pe.mesh_x']) });
  const part = (x: typeof a, n: string) => x.parts.find((p) => p.name === n)!.m2;
  for (const n of ['MACs', 'PE buffers', 'PE registers, control and network'])
    assert.ok(Math.abs(part(b, n) / part(a, n) - 2) < 1e-9, n);
  assert.equal(part(b, 'global buffer'), part(a, 'global buffer'));
  const g = area({
    'global_buffer.capacity': 2 * Number(kindTarget('spatial', 'os-teaching').params['global_buffer.capacity']),
  });
  assert.ok(Math.abs(part(g, 'global buffer') / part(a, 'global buffer') - 2) < 1e-9);
  assert.equal(simulate(mlp([64, 64]), [kindTarget('ntx')]).targets[0].area, undefined);
});
