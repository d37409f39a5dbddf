// Spatial partitioning, multicast and spatial reduction in the loop-nest model, and every bad-input message of the
// Timeloop reader, on small cases whose counts are worked out by hand in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTimeloop } from '../../../server/src/timeloop/read';
import { TimeloopInputError } from '../../../server/src/timeloop/yaml';
import { analyzeMapping } from '../../../server/src/sim/nest/analyze';
import { searchMappings } from '../../../server/src/sim/nest/mapper';
import { runCli } from '../cli/run-cli';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const ARCH = `architecture:
  version: 0.4
  nodes:
  - !Container
    name: System
    attributes: { global_cycle_seconds: 1e-9 }
  - !Component
    name: DRAM
    class: DRAM
    attributes: { width: 64, datawidth: 8 }
  - !Component
    name: GB
    class: SRAM
    attributes: { depth: 1024, width: 8, datawidth: 8 }
  - !Container
    name: PE
    spatial: { meshX: 4 }
  - !Component
    name: RF
    class: regfile
    attributes: { depth: 8, width: 8, datawidth: 8 }
  - !Component
    name: MACC
    class: intmac
    attributes: { width: 8 }
`;
const PROB = `problem:
  version: 0.4
  shape:
    name: Conv1D_OC
    dimensions: [ K, R, P ]
    data_spaces:
    - name: Weights
      projection: [ [[K]], [[R]] ]
    - name: Inputs
      projection: [ [[R], [P]] ]
    - name: Outputs
      projection: [ [[K]], [[P]] ]
      read_write: True
  instance: { K: 4, R: 3, P: 8 }
`;
const run = (mapping: string, arch = ARCH, prob = PROB) => {
  const inp = readTimeloop([
    { path: 'arch.yaml', text: arch },
    { path: 'prob.yaml', text: prob },
    { path: 'map.yaml', text: mapping },
  ]);
  return { inp, r: analyzeMapping(inp.problem!, inp.arch!, inp.mapping!) };
};
const stat = (r: ReturnType<typeof analyzeMapping>, level: string, t: string) => {
  const s = r.levels.find((l) => l.name === level)!.tensors.find((x) => x.name === t)!;
  return {
    tile: s.tile,
    partition: s.partition,
    instances: s.instances,
    reads: s.reads,
    fills: s.fills,
    updates: s.updates,
  };
};

test('K spread over 4 PEs: inputs multicast (read once for all PEs), weights and outputs partitioned', () => {
  const { inp, r } = run(`mapping:
  - { target: GB, type: temporal, factors: P=8, permutation: P }
  - { target: GB, type: spatial, factors: K=4, permutation: K, split: 1 }
  - { target: RF, type: temporal, factors: R=3, permutation: R }
`);
  assert.equal(inp.arch!.levels.find((l) => l.name === 'RF')!.instances, 4);
  assert.equal(r.legal, true, r.issues.map((i) => i.message).join('; '));
  assert.equal(r.cycles, 24); // 8 x 3 temporal steps
  assert.equal(r.computeInstances, 4);
  assert.equal(r.utilization, 1);
  // RF, per PE: weights k*3..k*3+2 stay (3 fills), read by each of its 24 MACs
  assert.deepEqual(stat(r, 'RF', 'Weights'), { tile: 3, partition: 3, instances: 4, reads: 24, fills: 3, updates: 0 });
  // inputs: a 3-wide window sliding by 1 over P: 3 + 7 fills
  assert.deepEqual(stat(r, 'RF', 'Inputs'), { tile: 3, partition: 10, instances: 4, reads: 24, fills: 10, updates: 0 });
  // outputs: one partial sum per p, 3 updates each, the first without a read
  assert.deepEqual(stat(r, 'RF', 'Outputs'), { tile: 1, partition: 8, instances: 4, reads: 16, fills: 0, updates: 24 });
  // GB: K is not an index of Inputs: each input window is read once and multicast to the 4 PEs
  assert.deepEqual(stat(r, 'GB', 'Inputs'), {
    tile: 10,
    partition: 10,
    instances: 1,
    reads: 10,
    fills: 10,
    updates: 0,
  });
  assert.deepEqual(stat(r, 'GB', 'Weights'), {
    tile: 12,
    partition: 12,
    instances: 1,
    reads: 12,
    fills: 12,
    updates: 0,
  });
  assert.deepEqual(stat(r, 'GB', 'Outputs'), {
    tile: 32,
    partition: 32,
    instances: 1,
    reads: 0,
    fills: 0,
    updates: 32,
  });
  assert.deepEqual(stat(r, 'DRAM', 'Outputs'), {
    tile: 32,
    partition: 32,
    instances: 1,
    reads: 0,
    fills: 0,
    updates: 32,
  });
  assert.equal(stat(r, 'DRAM', 'Inputs').reads, 10);
});

test('R spread over 3 PEs: partial sums reduced spatially (one update per output), a tile moves with both K and P', () => {
  const { r } = run(`mapping:
  - { target: GB, type: temporal, factors: K=4 P=8, permutation: PK }
  - { target: GB, type: spatial, factors: R=3, permutation: R, split: 1 }
  - { target: RF, type: temporal, factors: K=1 R=1 P=1, permutation: KRP }
`);
  assert.equal(r.legal, true);
  assert.equal(r.cycles, 32);
  assert.equal(r.computeInstances, 3);
  assert.ok(Math.abs(r.utilization - 0.75) < 1e-12); // 3 of 4 PEs
  // each PE: one output per step, 32 distinct, each written once
  assert.deepEqual(stat(r, 'RF', 'Outputs'), { tile: 1, partition: 32, instances: 3, reads: 0, fills: 0, updates: 32 });
  // the 3 PEs' partial sums of one output are reduced on the way up: 32 updates at GB, not 96
  assert.deepEqual(stat(r, 'GB', 'Outputs'), {
    tile: 32,
    partition: 32,
    instances: 1,
    reads: 0,
    fills: 0,
    updates: 32,
  });
  // weights: a new one per K step only (P does not index Weights): 1 + 3 fills per PE; GB serves 3 PEs apart
  assert.deepEqual(stat(r, 'RF', 'Weights'), { tile: 1, partition: 4, instances: 3, reads: 32, fills: 4, updates: 0 });
  assert.equal(stat(r, 'GB', 'Weights').reads, 12);
  // inputs: R indexes Inputs, so the PEs' (overlapping) windows are served separately (the model's ASM)
  assert.equal(stat(r, 'RF', 'Inputs').fills, 32);
  assert.equal(stat(r, 'GB', 'Inputs').reads, 96);
});

test('bandwidth throttling: a read bandwidth below the demand stretches the cycles', () => {
  const arch = ARCH.replace(
    'attributes: { depth: 1024, width: 8, datawidth: 8 }',
    'attributes: { depth: 1024, width: 8, datawidth: 8, read_bandwidth: 1 }',
  );
  const { r } = run(
    `mapping:
  - { target: GB, type: temporal, factors: K=4 P=8, permutation: PK }
  - { target: GB, type: spatial, factors: R=3, permutation: R, split: 1 }
  - { target: RF, type: temporal, factors: K=1 R=1 P=1, permutation: KRP }
`,
    arch,
  );
  // GB reads: weights 12 + inputs 96 + outputs 0 = 108 words at 1 word/cycle > 32 compute cycles
  assert.equal(r.cycles, 108);
  const gb = r.levels.find((l) => l.name === 'GB')!;
  assert.ok(Math.abs(gb.throttling - 32 / 108) < 1e-12);
});

test('illegal mappings say what is wrong: factors, capacity (both sizes), fan-out, keep where the level may not hold it', () => {
  const bad = (m: string, arch = ARCH) => run(m, arch).r.issues.map((i) => i.message);
  assert.match(
    bad(`mapping:
  - { target: RF, type: temporal, factors: K=4 R=3 P=4, permutation: KRP }
`).join('\n'),
    /factors of P multiply to 4, not to its bound 8/,
  );
  assert.match(
    bad(`mapping:
  - { target: RF, type: temporal, factors: K=4 R=3 P=8, permutation: KRP }
`).join('\n'),
    /tiles kept at RF need 54 words; it holds 8/,
  );
  assert.match(
    bad(`mapping:
  - { target: GB, type: spatial, factors: K=4 P=2, permutation: KP, split: 2 }
  - { target: RF, type: temporal, factors: R=3 P=4, permutation: RP }
`).join('\n'),
    /spatial factors at GB use 8 instances below it; it has 4/,
  );
  const keepOnly = ARCH.replace(
    'class: regfile\n',
    'class: regfile\n    constraints: { dataspace: { keep_only: [ Weights ] } }\n',
  );
  assert.match(
    bad(
      `mapping:
  - { target: GB, type: temporal, factors: K=4 P=8, permutation: PK }
  - { target: RF, type: temporal, factors: R=3, permutation: R }
`,
      keepOnly,
    ).join('\n'),
    /RF may not hold Inputs \(it holds Weights\)/,
  );
});

test('bad Timeloop files: each problem at its file, line and column, naming the key', () => {
  const errs = (files: { path: string; text: string }[]) => {
    try {
      readTimeloop(files);
      return [];
    } catch (e) {
      assert.ok(e instanceof TimeloopInputError);
      return e.issues;
    }
  };
  const par = errs([
    {
      path: 'a.yaml',
      text: ARCH.replace(
        '  - !Component\n    name: RF\n    class: regfile\n    attributes: { depth: 8, width: 8, datawidth: 8 }\n',
        '  - !Parallel\n    name: spads\n    nodes:\n    - !Container\n      name: inner\n',
      ),
    },
  ]);
  assert.equal(par.length, 2, par.map((x) => x.message).join('; '));
  assert.match(par[0].message, /!Parallel spads: inner must be a storage !Component/);
  assert.equal(par[0].file, 'a.yaml');
  assert.equal(par[0].line, 22); // `      name: inner`
  assert.match(par[1].message, /!Parallel spads has no storage component/);
  const unknownKey = errs([
    { path: 'p.yaml', text: PROB.replace('  instance:', '  densities: { Weights: 0.5 }\n  instance:') },
  ]);
  assert.match(unknownKey[0].message, /problem: 'densities' is not supported/);
  assert.equal(unknownKey[0].line, 14);
  const target = errs([
    { path: 'a.yaml', text: ARCH },
    { path: 'p.yaml', text: PROB },
    { path: 'm.yaml', text: 'mapping:\n  - { target: L2, type: temporal, factors: K=4 }\n' },
  ]);
  assert.match(target[0].message, /mapping target 'L2' is not a storage level of the architecture \(DRAM, GB, RF\)/);
  assert.equal(target[0].file, 'm.yaml');
  assert.equal(target[0].line, 2);
  const dim = errs([
    { path: 'a.yaml', text: ARCH },
    { path: 'p.yaml', text: PROB },
    { path: 'm.yaml', text: 'mapping:\n  - { target: RF, type: temporal, factors: K=4 Q=2, permutation: KQ }\n' },
  ]);
  assert.match(dim.map((d) => d.message).join('\n'), /factor Q at RF: not a dimension of Conv1D_OC \(K, R, P\)/);
  const yamlErr = errs([{ path: 'x.yaml', text: 'architecture:\n  nodes: [\n' }]);
  assert.match(yamlErr[0].message, /^YAML: /);
  const v3 = errs([{ path: 'a.yaml', text: 'architecture:\n  version: 0.3\n  subtree: []\n' }]);
  assert.match(v3.map((d) => d.message).join('\n'), /v0\.3 `subtree` form is not supported/);
});

test('mapper on the spatial case: finds a legal mapping using the PE array, never worse than a hand-written one', () => {
  const inp = readTimeloop([
    { path: 'arch.yaml', text: ARCH },
    { path: 'prob.yaml', text: PROB },
  ]);
  const hand = run(`mapping:
  - { target: GB, type: temporal, factors: P=8, permutation: P }
  - { target: GB, type: spatial, factors: K=4, permutation: K, split: 1 }
  - { target: RF, type: temporal, factors: R=3, permutation: R }
`).r;
  const s = searchMappings(inp.problem!, inp.arch!, { metrics: ['edp'], evaluations: 20000 });
  assert.ok(s.best && s.best.result.legal);
  assert.ok(s.best.result.cycles * s.best.result.energyPJ <= hand.cycles * hand.energyPJ * (1 + 1e-9));
  assert.ok(s.best.result.computeInstances > 1);
  // constraints are respected: fixing K=1 spatially at GB forbids spreading K
  const c = searchMappings(inp.problem!, inp.arch!, {
    metrics: ['edp'],
    evaluations: 3000,
    constraints: [
      { level: 'GB', type: 'spatial', factors: { K: 1 } },
      { level: 'RF', type: 'datatype', bypass: ['Outputs'] },
    ],
  });
  assert.equal(c.best!.mapping[1].spatial.K ?? 1, 1);
  assert.ok(!c.best!.mapping[2].keep.includes('Outputs'));
});

test('accelmap timeloop: json has the counts per level and data space, the mapping and the search figures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-tl-'));
  writeFileSync(join(dir, 'arch.yaml'), ARCH);
  writeFileSync(join(dir, 'prob.yaml'), PROB);
  writeFileSync(
    join(dir, 'map.yaml'),
    `mapping:
  - { target: GB, type: temporal, factors: P=8, permutation: P }
  - { target: GB, type: spatial, factors: K=4, permutation: K, split: 1 }
  - { target: RF, type: temporal, factors: R=3, permutation: R }
`,
  );
  const ev = runCli(['timeloop', 'arch.yaml', 'prob.yaml', 'map.yaml', '--format', 'json'], dir);
  assert.equal(ev.code, 0, ev.err);
  const j = JSON.parse(ev.out);
  assert.equal(j.cycles, 24);
  assert.equal(j.computes, 96);
  assert.ok(j.energyJ > 0 && j.utilization === 1);
  assert.deepEqual(
    j.levels.map((l: { name: string }) => l.name),
    ['DRAM', 'GB', 'RF'],
  );
  assert.deepEqual(
    j.levels[1].tensors.find((t: { name: string }) => t.name === 'Inputs'),
    {
      name: 'Inputs',
      tile: 10,
      partition: 10,
      instances: 1,
      reads: 10,
      fills: 10,
      updates: 0,
      energyPJ: j.levels[1].tensors.find((t: { name: string }) => t.name === 'Inputs').energyPJ,
    },
  );
  assert.ok(
    j.mapping.some(
      (m: { target: string; type: string; factors: string }) =>
        m.target === 'GB' && m.type === 'spatial' && m.factors === 'K=4 R=1 P=1',
    ),
  );
  assert.match(ev.err, /no ERT given/);
  const sr = runCli(
    ['timeloop', 'arch.yaml', 'prob.yaml', '--metric', 'energy', '--budget', '2000', '--format', 'json'],
    dir,
  );
  assert.equal(sr.code, 0, sr.err);
  const s = JSON.parse(sr.out);
  assert.ok(s.search.evaluated > 0 && s.search.evaluated <= 2000 && s.search.legal > 0 && s.search.seconds >= 0);
  assert.ok(s.energyPJ <= j.energyPJ);
  const table = runCli(['timeloop', 'arch.yaml', 'prob.yaml', 'map.yaml'], dir);
  assert.match(table.out, /\| par-for K in \[0:4\)/);
  assert.match(table.out, /cycles 24 \(compute 24\)/);
  const bad = runCli(['timeloop', 'arch.yaml'], dir);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /no problem in the given files/);
  const badBudget = runCli(['timeloop', 'arch.yaml', 'prob.yaml', '--budget', 'lots'], dir);
  assert.equal(badBudget.code, 2);
  // a Timeloop random-pruned mapper file: its termination rules, one search per thread, the best kept
  writeFileSync(
    join(dir, 'rp.yaml'),
    'mapper:\n  algorithm: random-pruned\n  optimization_metric: [energy]\n  victory_condition: 40\n  timeout: 1000\n  num_threads: 3\n',
  );
  const rp = runCli(['timeloop', 'arch.yaml', 'prob.yaml', '--mapper', 'rp.yaml', '--format', 'json'], dir);
  assert.equal(rp.code, 0, rp.err);
  const r = JSON.parse(rp.out);
  assert.equal(r.search.algorithm, 'random-pruned');
  assert.equal(r.search.threads, 3);
  assert.ok(r.search.legal >= 3 * 40, `legal ${r.search.legal}`);
  assert.ok(r.energyPJ >= s.energyPJ * 0.999, 'the random search finds no better mapping than the full one here');
});

test('!Parallel siblings (Eyeriss-style scratchpads, one per data space) hold what one shared level would: same counts per data space, loops only at the last sibling', () => {
  const rf = '  - !Component\n    name: RF\n    class: regfile\n    attributes: { depth: 8, width: 8, datawidth: 8 }\n';
  const shared = ARCH.replace(
    rf,
    '  - !Component\n    name: RF\n    class: regfile\n    attributes: { depth: 16, width: 8, datawidth: 8 }\n',
  );
  const parallel = ARCH.replace(
    rf,
    `  - !Parallel
    name: spads
    nodes:
    - !Component
      name: W_spad
      class: regfile
      attributes: { depth: 8, width: 8, datawidth: 8 }
      constraints: { dataspace: { keep_only: [ Weights ] } }
    - !Component
      name: IO_spad
      class: regfile
      attributes: { depth: 8, width: 8, datawidth: 8 }
      constraints: { dataspace: { keep: [ Inputs, Outputs ], bypass: [ Weights ] } }
`,
  );
  const a = run(
    `mapping:
  - { target: GB, type: temporal, factors: P=8, permutation: P }
  - { target: GB, type: spatial, factors: K=4, permutation: K, split: 1 }
  - { target: RF, type: temporal, factors: R=3, permutation: R }
`,
    shared,
  );
  const b = run(
    `mapping:
  - { target: GB, type: temporal, factors: P=8, permutation: P }
  - { target: GB, type: spatial, factors: K=4, permutation: K, split: 1 }
  - { target: W_spad, type: bypass, keep: [ Weights ], bypass: [ Inputs, Outputs ] }
  - { target: IO_spad, type: temporal, factors: R=3, permutation: R }
  - { target: IO_spad, type: bypass, keep: [ Inputs, Outputs ], bypass: [ Weights ] }
`,
    parallel,
  );
  assert.deepEqual(
    b.inp.arch!.levels.map((l) => [l.name, l.parallelOf, l.instances]),
    [
      ['DRAM', undefined, 1],
      ['GB', undefined, 1],
      ['W_spad', 'IO_spad', 4],
      ['IO_spad', undefined, 4],
    ],
  );
  assert.equal(b.r.legal, true, b.r.issues.map((i) => i.message).join('; '));
  assert.equal(b.r.cycles, a.r.cycles);
  assert.deepEqual(stat(b.r, 'W_spad', 'Weights'), stat(a.r, 'RF', 'Weights'));
  assert.deepEqual(stat(b.r, 'IO_spad', 'Inputs'), stat(a.r, 'RF', 'Inputs'));
  assert.deepEqual(stat(b.r, 'IO_spad', 'Outputs'), stat(a.r, 'RF', 'Outputs'));
  assert.deepEqual(stat(b.r, 'GB', 'Inputs'), stat(a.r, 'GB', 'Inputs'));
  // loops at a sibling before the last are refused, naming where they belong
  const c = run(
    `mapping:
  - { target: GB, type: temporal, factors: P=8, permutation: P }
  - { target: GB, type: spatial, factors: K=4, permutation: K, split: 1 }
  - { target: W_spad, type: temporal, factors: R=3, permutation: R }
`,
    parallel,
  );
  assert.equal(c.r.legal, false);
  assert.match(
    c.r.issues.map((i) => i.message).join('; '),
    /W_spad sits beside IO_spad \(a !Parallel group\): its loops \(R=3\) belong at IO_spad/,
  );
  // the mapper keeps to the group's rules: no loop at W_spad, Weights kept only there, Inputs and Outputs kept at
  // IO_spad
  const s = searchMappings(b.inp.problem!, b.inp.arch!, { metrics: ['energy'], evaluations: 5000 });
  const m = s.best!.mapping;
  assert.deepEqual(
    Object.values(m[2].temporal).filter((f) => f > 1),
    [],
  );
  assert.deepEqual(m[2].keep, ['Weights']);
  assert.deepEqual([...m[3].keep].sort(), ['Inputs', 'Outputs']);
  assert.ok(s.best!.result.energyPJ <= b.r.energyPJ);
});

test('mapper: a space within the budget is enumerated whole, each mapping once, and no sample beats its best', () => {
  const inp = readTimeloop([
    { path: 'arch.yaml', text: ARCH },
    { path: 'prob.yaml', text: PROB },
  ]);
  const all = searchMappings(inp.problem!, inp.arch!, { metrics: ['edp'], evaluations: 1e6 });
  assert.equal(all.exhaustive, true);
  assert.equal(all.evaluated, all.spaceSize);
  assert.ok(all.legal > 0 && all.legal <= all.evaluated);
  const sampled = searchMappings(inp.problem!, inp.arch!, { metrics: ['edp'], strategy: 'random', evaluations: 3000 });
  assert.equal(sampled.exhaustive, false);
  assert.ok(all.best!.score[0] <= sampled.best!.score[0]);
  assert.ok(all.spread![0].best <= all.spread![0].median && all.spread![0].median <= all.spread![0].worst);
});
