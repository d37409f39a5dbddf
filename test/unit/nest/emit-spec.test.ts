// `accelmap timeloop --emit-spec`: a Timeloop architecture, problem and mapping written as accelmap specs. The
// emitted network's forward nest on the emitted target must give what `accelmap timeloop` gives on the Timeloop
// input: the same cycles and the same reads / fills / updates of every tensor at every level, and the same energy.
// Shapes a spatial target cannot hold are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliAsync } from '../cli/run-cli';
import { emitSpecs } from '../../../server/src/timeloop/emit';
import type { Problem, SpatialArch } from '../../../server/src/sim/nest/types';

const CASES = join(__dirname, '..', '..', 'fixtures', 'timeloop');
const files = (c: string, sub: string) => readdirSync(join(CASES, c, sub)).map((f) => join(CASES, c, sub, f));
const counts = (levels: { tensors: { name: string; reads: number; fills: number; updates: number }[] }[]) =>
  levels
    .map((l) =>
      l.tensors
        .map((t) => `${t.name}:${t.reads}:${t.fills}:${t.updates}`)
        .sort()
        .join(' '),
    )
    .filter(Boolean);

for (const [c, args] of [
  ['01-model-conv1d-2level', (x: string) => [...files(x, 'arch'), ...files(x, 'prob'), ...files(x, 'map')]],
  [
    '05-mapper-conv1d+oc-3level',
    (x: string) => [...files(x, 'arch'), ...files(x, 'prob'), '--mapper', ...files(x, 'mapper')],
  ],
] as const) {
  test(`--emit-spec on ${c}: the emitted specs check, and their forward nest reproduces accelmap timeloop's counts and cycles`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emit-'));
    const tl = runCli(['timeloop', ...args(c), '-f', 'json', '--emit-spec', dir]);
    assert.equal(tl.code, 0, tl.err);
    const ref = JSON.parse(tl.out);
    const emitted = readdirSync(dir).sort();
    assert.equal(emitted.length, 2, emitted.join());
    const net = join(
        dir,
        emitted.find((f) => f.endsWith('.net.yaml'))!,
      ),
      hw = join(
        dir,
        emitted.find((f) => f.endsWith('.hw.yaml'))!,
      );
    assert.match(tl.err, /wrote \S+\.hw\.yaml and \S+\.net\.yaml/);
    assert.match(readFileSync(hw, 'utf8'), /block_words: 8/);
    assert.equal(runCli(['check', net, hw]).code, 0);
    const target = /name: (\S+)/.exec(readFileSync(hw, 'utf8'))![1];
    const m = await runCliAsync(['map', net, '-t', target, '-f', 'json']);
    assert.equal(m.code, 0, m.err);
    const fwd = JSON.parse(m.out).phases.find((p: { phase: string }) => p.phase === 'fwd');
    assert.equal(fwd.pinned, true);
    assert.equal(fwd.cycles, ref.cycles);
    assert.deepEqual(counts(fwd.levels), counts(ref.levels));
    assert.ok(Math.abs(fwd.energyJ / ref.energyJ - 1) < 1e-6, `${fwd.energyJ} vs ${ref.energyJ}`);
  });
}

test('--emit-spec refuses what a spatial target cannot hold, with the reason', () => {
  const lv = (name: string, instances = 1) => ({
    name,
    cls: 'SRAM',
    sizeWords: 1024,
    blockSize: 1,
    wordBits: 8,
    instances,
    meshX: instances,
    meshY: 1,
    multipleBuffering: 1,
    energy: { read: 1, write: 1, update: 1, leak: 0 },
  });
  const arch = (levels: ReturnType<typeof lv>[]): SpatialArch => ({
    name: 'A',
    levels,
    compute: { name: 'mac', cls: 'mac', instances: 4, meshX: 4, meshY: 1, energy: 1 },
    cycleSeconds: 1e-9,
  });
  const conv: Problem = {
    name: 'p',
    dims: ['K', 'P'],
    bounds: { K: 4, P: 4 },
    dataSpaces: [
      { name: 'Weights', readWrite: false, projection: [[{ dim: 'K', coef: 1 }]] },
      { name: 'Inputs', readWrite: false, projection: [[{ dim: 'P', coef: 1 }]] },
      { name: 'Outputs', readWrite: true, projection: [[{ dim: 'K', coef: 1 }], [{ dim: 'P', coef: 1 }]] },
    ],
  };
  assert.throws(
    () => emitSpecs(arch([lv('D'), lv('G'), lv('L'), lv('R', 4)]), conv),
    /A has 4 storage levels \(D, G, L, R\); a spatial target has at most three/,
  );
  assert.throws(
    () => emitSpecs(arch([lv('D'), lv('G', 4), lv('R', 4)]), conv),
    /G has 4 instances; the middle level of a spatial target is one shared global buffer/,
  );
  assert.throws(
    () => emitSpecs(arch([lv('D'), { ...lv('R', 4), wordBits: 16 }]), conv),
    /different word widths \(8, 16 bits\)/,
  );
  assert.throws(
    () => emitSpecs(arch([lv('D'), lv('R', 4)]), { ...conv, dims: ['M', 'N'], bounds: { M: 2, N: 2 } }),
    /problem p has dimensions M: only convolution-shaped problems/,
  );
  const ok = emitSpecs(arch([lv('D'), lv('R', 4)]), conv);
  assert.match(ok.hardware, /pe: \{mesh_x: 4, mesh_y: 1, macs: 1/);
  assert.match(ok.hardware, /global_buffer: \{capacity: 0 B\}/);
  assert.match(ok.network, /input_shape: \[1, 4, 1\]/);
});
