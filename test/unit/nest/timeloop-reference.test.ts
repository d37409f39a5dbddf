// The loop-nest model against Timeloop itself: the tutorial's cases (test/fixtures/timeloop, copied from the shared
// reference data) evaluated from their own input files, every count compared with Timeloop's stats.txt exactly —
// per level and data space: utilized capacity, partition size, utilized instances, scalar reads / fills / updates
// per instance; cycles and computes — and the energy per compute of every level and in total within 1% (given the
// case's ERT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTimeloop } from '../../../server/src/timeloop/read';
import { analyzeMapping } from '../../../server/src/sim/nest/analyze';
import { searchMappings } from '../../../server/src/sim/nest/mapper';
import { TIMELOOP_CASES } from '../../shared-data';

import { readStats } from './timeloop-stats';

const read = (dir: string, files: string[]) =>
  readTimeloop(files.map((f) => ({ path: join(dir, f), text: readFileSync(join(TIMELOOP_CASES, dir, f), 'utf8') })));

const CASES: { name: string; dir: string; files: string[]; ref: string }[] = [
  {
    name: '00 one level',
    dir: '00-model-conv1d-1level',
    files: [
      'arch/1level.arch.yaml',
      'prob/conv1d.prob.yaml',
      'map/conv1d-1level.map.yaml',
      'ref-output/timeloop-model.ERT.yaml',
    ],
    ref: 'ref-output/timeloop-model.stats.txt',
  },
  {
    name: '01 two levels, output stationary',
    dir: '01-model-conv1d-2level',
    files: [
      'arch/2level.arch.yaml',
      'prob/conv1d.prob.yaml',
      'map/conv1d-2level-os.map.yaml',
      'ref-output/os/timeloop-model.ERT.yaml',
    ],
    ref: 'ref-output/os/timeloop-model.stats.txt',
  },
  {
    name: '01 two levels, weight stationary',
    dir: '01-model-conv1d-2level',
    files: [
      'arch/2level.arch.yaml',
      'prob/conv1d.prob.yaml',
      'map/conv1d-2level-ws.map.yaml',
      'ref-output/ws/timeloop-model.ERT.yaml',
    ],
    ref: 'ref-output/ws/timeloop-model.stats.txt',
  },
  {
    name: "05 three levels, the mapper's mapping (bypass everything below DRAM)",
    dir: '05-mapper-conv1d+oc-3level',
    files: [
      'arch/3level.arch.yaml',
      'prob/conv1d+oc.prob.yaml',
      'ref-output/null/timeloop-mapper.map.yaml',
      'ref-output/null/timeloop-mapper.ERT.yaml',
    ],
    ref: 'ref-output/null/timeloop-mapper.stats.txt',
  },
];

for (const c of CASES) {
  test(`Timeloop reference ${c.name}: counts and cycles exact, energy within 1%`, () => {
    const inp = read(c.dir, c.files);
    const ref = readStats(readFileSync(join(TIMELOOP_CASES, c.dir, c.ref), 'utf8'));
    const r = analyzeMapping(inp.problem!, inp.arch!, inp.mapping!);
    assert.equal(r.legal, true, r.issues.map((i) => i.message).join('; '));
    assert.equal(r.cycles, ref.cycles);
    assert.equal(r.computes, ref.computes);
    let compared = 0;
    for (const [lname, tensors] of Object.entries(ref.levels)) {
      const l = r.levels.find((x) => x.name === lname)!;
      assert.ok(l, `level ${lname}`);
      for (const [tname, t] of Object.entries(tensors)) {
        const got = l.tensors.find((x) => x.name === tname);
        assert.ok(got, `${lname} keeps ${tname} in Timeloop's run`);
        assert.deepEqual(
          {
            capacity: got.tile,
            partition: got.partition,
            instances: got.instances,
            reads: got.reads,
            fills: got.fills,
            updates: got.updates,
          },
          t,
          `${lname} ${tname}`,
        );
        compared++;
      }
      // a level Timeloop lists without data spaces keeps none here either
      if (!Object.keys(tensors).length) assert.equal(l.tensors.length, 0);
    }
    assert.ok(compared >= 3);
    for (const [name, fj] of Object.entries(ref.fJ)) {
      const ours =
        name === 'Total'
          ? r.energyPJ
          : name === inp.arch!.compute.name
            ? r.computeEnergyPJ
            : r.levels.find((x) => x.name === name)!.energyPJ;
      const perCompute = (ours / r.computes) * 1e3;
      assert.ok(
        Math.abs(perCompute / fj - 1) < 0.01 || Math.abs(perCompute - fj) < 0.01,
        `${name}: ${perCompute.toFixed(2)} fJ/compute vs Timeloop ${fj}`,
      );
    }
  });
}

test("the ERT sets the energies: doubling every entry doubles every level's and the compute's energy", () => {
  const dir = '01-model-conv1d-2level';
  const files = ['arch/2level.arch.yaml', 'prob/conv1d.prob.yaml', 'map/conv1d-2level-os.map.yaml'];
  const ert = readFileSync(join(TIMELOOP_CASES, dir, 'ref-output/os/timeloop-model.ERT.yaml'), 'utf8');
  const doubled = ert.replace(/energy: ([0-9.]+)/g, (_, v) => `energy: ${Number(v) * 2}`);
  const mk = (text: string) =>
    readTimeloop([
      ...files.map((f) => ({ path: f, text: readFileSync(join(TIMELOOP_CASES, dir, f), 'utf8') })),
      { path: 'ERT.yaml', text },
    ]);
  const a = mk(ert),
    b = mk(doubled);
  const ra = analyzeMapping(a.problem!, a.arch!, a.mapping!),
    rb = analyzeMapping(b.problem!, b.arch!, b.mapping!);
  assert.ok(Math.abs(rb.energyPJ / ra.energyPJ - 2) < 1e-9);
  assert.ok(Math.abs(rb.computeEnergyPJ / ra.computeEnergyPJ - 2) < 1e-9);
  assert.equal(a.warnings.length, 0, a.warnings.map((w) => w.message).join('; '));
});

test("mapper on the tutorial's mapper case: at least as good as Timeloop's mapping on its [delay, energy] metric, deterministic", () => {
  const dir = '05-mapper-conv1d+oc-3level';
  const inp = read(dir, [
    'arch/3level.arch.yaml',
    'prob/conv1d+oc.prob.yaml',
    'mapper/exhaustive.mapper.yaml',
    'constraints/null.constraints.yaml',
    'ref-output/null/timeloop-mapper.ERT.yaml',
  ]);
  assert.deepEqual(inp.mapper!.metrics, ['delay', 'energy']);
  const ref = readStats(readFileSync(join(TIMELOOP_CASES, dir, 'ref-output/null/timeloop-mapper.stats.txt'), 'utf8'));
  const refEnergyPJ = (ref.fJ.Total * ref.computes) / 1e3;
  const s = searchMappings(inp.problem!, inp.arch!, { metrics: inp.mapper!.metrics, evaluations: 5000 });
  assert.ok(s.best);
  assert.ok(s.best.result.cycles <= ref.cycles);
  assert.ok(s.best.result.energyPJ <= refEnergyPJ, `${s.best.result.energyPJ} pJ vs Timeloop ${refEnergyPJ}`);
  // the spread: the worst legal mapping costs several times the best, and the median lies between
  const e = s.spread!.find((x) => x.metric === 'energy')!;
  assert.ok(e.best <= e.median && e.median <= e.worst && e.worst / e.best > 3);
  assert.ok(s.legal > 0 && s.legal <= s.evaluated && s.evaluated <= 5000);
  const again = searchMappings(inp.problem!, inp.arch!, { metrics: inp.mapper!.metrics, evaluations: 5000 });
  assert.deepEqual(again.best!.mapping, s.best.mapping);
  assert.equal(again.best!.result.energyPJ, s.best.result.energyPJ);
});

test("Timeloop's random-pruned mapper: victory condition, timeout and search size end the search; the mapper file's options are read with their meanings", () => {
  const dir = '05-mapper-conv1d+oc-3level';
  const files = ['arch/3level.arch.yaml', 'prob/conv1d+oc.prob.yaml', 'ref-output/null/timeloop-mapper.ERT.yaml'];
  const inp = read(dir, files);
  const base = { metrics: ['edp' as const], strategy: 'random' as const, evaluations: 1e6 };
  // victory 50: the search ends 50 legal mappings after the last improvement
  const v = searchMappings(inp.problem!, inp.arch!, { ...base, victory: 50, seed: 3 });
  assert.ok(v.best && v.legal >= 50 && v.evaluated < 1e6, `${v.legal} legal of ${v.evaluated}`);
  const v2 = searchMappings(inp.problem!, inp.arch!, { ...base, victory: 50, seed: 3 });
  assert.equal(v2.evaluated, v.evaluated, 'deterministic for a seed');
  assert.deepEqual(v2.best!.mapping, v.best.mapping);
  // a larger victory condition searches more and never ends worse
  const v500 = searchMappings(inp.problem!, inp.arch!, { ...base, victory: 500, seed: 3 });
  assert.ok(v500.evaluated > v.evaluated);
  assert.ok(v500.best!.score[0] <= v.best.score[0]);
  // search_size: exactly that many legal mappings
  const n = searchMappings(inp.problem!, inp.arch!, { ...base, validLimit: 123, seed: 1 });
  assert.equal(n.legal, 123);
  // the mapper file: algorithm and the termination rules as Timeloop names them
  const m = readTimeloop([
    ...files.map((f) => ({ path: join(dir, f), text: readFileSync(join(TIMELOOP_CASES, dir, f), 'utf8') })),
    {
      path: 'rp.mapper.yaml',
      text: 'mapper:\n  algorithm: random_pruned\n  optimization_metrics: [edp]\n  victory_condition: 500\n  timeout: 1000\n  num_threads: 2\n',
    },
  ]);
  assert.deepEqual(m.mapper, {
    metrics: ['edp'],
    algorithm: 'random-pruned',
    victoryCondition: 500,
    timeout: 1000,
    searchSize: undefined,
    threads: 2,
  });
  assert.throws(
    () => readTimeloop([{ path: 'bad.mapper.yaml', text: 'mapper:\n  algorithm: simulated_annealing\n' }]),
    (e: any) =>
      /mapper algorithm 'simulated_annealing' is not supported \(linear-pruned, random-pruned, hybrid\)/.test(
        e.issues.map((i: any) => i.message).join('; '),
      ) && e.issues[0].line === 2,
  );
});
