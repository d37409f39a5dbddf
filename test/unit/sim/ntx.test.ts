// NTX reproduction checks. Sources: seed-systems.md §1 ([N1] TC 2019 abstract, [N3] DATE 2019, [N4] RTL, [N5]
// NeuroStream).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/sim/index';
import { lower } from '../../../server/src/sim/lower';
import { ntxOffloadStats, ntxParams, ntxPhaseCost, configCycles } from '../../../server/src/kinds/ntx/model';
import { phaseOf } from '../../../server/src/sim/workload';
import { target, mlp, net } from './fixtures';
import { vgg16, resnet50 } from './nets';
import { networkOf } from '../examples/load';

const close = (x: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(x - want) <= tol * Math.abs(want), `${what}: got ${x}, want ${want} ±${tol * 100}%`);

test('cluster peak 20 Gflop/s and 8.4 pJ/flop ([N3] DATE 2019: 8 NTX x 2 flop x 1.25 GHz; 168 mW)', () => {
  const t = target('ntx', 'ntx', { 'compute.clusters': 1 });
  const r = simulate(mlp([256, 256], { batch: 64 }), [t]).targets[0];
  assert.equal(r.peak.flops, 20e9);
  // compute energy per flop: all compute energy / flops
  close(r.totals.energy.compute / r.totals.flops, 8.4e-12, 1e-9, 'pJ/flop');
});

test('a long reduction reaches ~87% of peak ("up to 87%" [N3]); u_loop = L/(L+1) from the init cycle [N4]', () => {
  const t = target('ntx', 'ntx', { 'compute.clusters': 1, 'memory.dram_bandwidth': 1e13 });
  const w = lower(mlp([4096, 4096], { batch: 256 }));
  const fc = w.layers[0],
    p = phaseOf(fc, 'fwd')!;
  const c = ntxPhaseCost(fc, p, ntxParams(t));
  const u = p.flops / (20e9 * (c.computeS + c.overheadS));
  close(u, 0.87, 0.03, 'kernel efficiency');
  assert.ok(c.innerLength >= 16, `inner length ${c.innerLength}`);
});

test('sustained training throughput on one HMC ~1.2 Tflop/s for a large CNN ([N1]; VGG-16, batch 32, FP32)', () => {
  // The preset's cluster count (72) is derived from this figure (see kinds/ntx/params.ts): this is a calibration check.
  const r = simulate(vgg16(), [target('ntx', 'ntx')]).targets[0];
  const tput = r.totals.flops / r.totals.timeS;
  close(tput, 1.2e12, 0.05, 'VGG-16 Tflop/s');
  // ResNet-50 is lower (batchnorm/ReLU phases are memory-bound in FP32): what the model gives, ~1.1 Tflop/s.
  const r50 = simulate(resnet50(), [target('ntx', 'ntx')]).targets[0];
  const t50 = r50.totals.flops / r50.totals.timeS;
  assert.ok(t50 > 0.9e12 && t50 < tput, `ResNet-50 ${t50}`);
  const bnPhases = r50.layers
    .filter((l) => l.op === 'batchnorm')
    .flatMap((l) => l.phases)
    .filter((p) => p.phase !== 'update');
  assert.ok(
    bnPhases.every((p) => p.bound === 'memory'),
    'batchnorm phases are memory-bound',
  );
});

test('offload overhead vs NeuroStream: ~7x fewer configuration cycles per flop ([N1]; metric = core cycles per engine flop)', () => {
  for (const [n, want] of [
    [vgg16(), 6.2],
    [resnet50(), 8.5],
  ] as const) {
    const w = lower(n);
    const a = ntxOffloadStats(w, target('ntx', 'ntx'));
    const b = ntxOffloadStats(w, target('ntx', 'neurostream'));
    const ratio = b.cfgCycles / b.flops / (a.cfgCycles / a.flops);
    // [N1] says 7x; the model gives 6.2x / 8.5x with the neurostream knobs (calibrated, see the preset notes).
    close(ratio, want, 0.1, `${n.name} offload ratio`);
    assert.ok(ratio > 5 && ratio < 10);
  }
  // and NTX hides nearly all of it behind execution (job FIFO depth 1), NeuroStream exposes a large share
  const r = simulate(vgg16(), [target('ntx', 'ntx'), target('ntx', 'neurostream')]);
  assert.ok(r.targets[0].totals.offloadOverheadS / r.targets[0].totals.timeS < 0.01);
  assert.ok(r.targets[1].totals.offloadOverheadS / r.targets[1].totals.timeS > 0.2);
});

test('configuration cost: broadcast writes common words once; a staged job hides configuration', () => {
  const q = ntxParams(target('ntx', 'ntx', { 'compute.clusters': 1 }));
  assert.equal(configCycles(q), (24 + 3 * 7) * 2 + 10);
  assert.equal(configCycles({ ...q, broadcast: false }), 24 * 8 * 2 + 10);
  const w = lower(mlp([1024, 1024], { batch: 32 }));
  const fc = w.layers[0],
    p = phaseOf(fc, 'fwd')!;
  const staged = ntxPhaseCost(fc, p, q),
    blocking = ntxPhaseCost(fc, p, { ...q, queue: 0 });
  assert.equal(blocking.commands, staged.commands);
  assert.ok(blocking.overheadS > 10 * staged.overheadS);
});

test('fewer hardware loops -> more commands (software loops); TCDM size -> vault traffic', () => {
  const n = net([64, 28, 28], [{ type: 'conv2d', attrs: { outChannels: 64, kernel: [3, 3], padding: [1, 1] } }], {
    batch: 8,
  });
  const w = lower(n);
  const c = w.layers[0],
    p = phaseOf(c, 'fwd')!;
  const q = ntxParams(target('ntx', 'ntx'));
  assert.ok(ntxPhaseCost(c, p, { ...q, hwLoops: 3 }).commands > ntxPhaseCost(c, p, q).commands);
  const small = ntxPhaseCost(c, p, { ...q, tcdm: 16384 }),
    big = ntxPhaseCost(c, p, { ...q, tcdm: 1 << 20 });
  assert.ok(small.vaultBytes > big.vaultBytes);
  assert.ok(big.vaultBytes >= p.minBytes);
});

test('non-FP32 networks are computed in FP32 (noted); timeline has offload, dma and engine lanes', () => {
  const r = simulate(mlp([512, 512, 10], { batch: 16, precision: 'bf16' }), [target('ntx', 'ntx')]).targets[0];
  assert.ok(r.notes.some((s) => s.includes('FP32 only')));
  const r32 = simulate(mlp([512, 512, 10], { batch: 16 }), [target('ntx', 'ntx')]).targets[0];
  assert.equal(r.totals.bytes.dram, r32.totals.bytes.dram);
  const lanes = new Set(r.timeline.map((e) => e.lane));
  assert.ok(lanes.has('offload') && lanes.has('dma') && lanes.has('engine:ntx'));
  const end = Math.max(...r.timeline.map((e) => e.endS));
  close(end, r.totals.timeS, 1e-9, 'timeline end = total time');
});

test('energy efficiency against a contemporary GPU: ~2.7x the flops per joule of a P100 on FP32 CNN training ([N1]; GPU model REC)', () => {
  // [N1] reports 2.7x (2.6x in the arXiv v1) "over contemporary GPUs" for full-FP32 training of large CNNs; the GPU
  // model, networks and batches were not retrieved (seed-systems.md §1.6). Conditions here (ASM): Tesla P100 SXM2 (the
  // GPU of the NTX/NeuroStream papers' era), AlexNet, VGG-16 and ResNet-50, batch 32, FP32; the ratio is the geometric
  // mean over the three. Tolerance 25%: the networks and GPU are assumptions and the per-network ratios spread 2-4x.
  const ratios = ['alexnet', 'vgg16', 'resnet50']
    .map((name) => networkOf(`${name}.net.yaml`))
    .map((n) => {
      const [ntx, p100] = simulate({ ...n, batch: 32, precision: 'fp32' }, [
        target('ntx', 'ntx'),
        target('gpu', 'p100-sxm2'),
      ]).targets;
      return ntx.totals.flopsPerJoule / p100.totals.flopsPerJoule;
    });
  const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  close(geo, 2.7, 0.25, `NTX / P100 flops per joule (per network ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  for (const r of ratios) assert.ok(r > 1.2, `NTX is more efficient on every network (${r})`);
});
