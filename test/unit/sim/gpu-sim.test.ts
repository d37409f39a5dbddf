// The 'gpu' target through the simulator's public API (simulate): registration, result shape and invariants,
// timeline lanes, mixed precision, LSTM launch-bound behaviour, presets against each other, robustness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/sim/index';
import { hasSimulator } from '../../../server/src/kinds/models';
import type { NetworkModel, TargetModel } from '../../../server/src/spec/types';
import { analyze, resolveTargets } from '../../../server/src/spec/index';
import { networkOf } from '../examples/load';
import { net, mlp } from './fixtures';

const preset = (name: string): TargetModel => resolveTargets([name], []).targets[0];
const H100 = preset('h100-sxm');
const resnet = networkOf('resnet50.net.yaml');
const asPrecision = (n: NetworkModel, p: 'fp32' | 'bf16'): NetworkModel => ({
  ...n,
  precision: p,
  gradientPrecision: p,
  masterWeights: p === 'fp32' ? null : 'fp32',
});

test('the gpu kind has a dedicated simulator (not the roofline fallback)', () => {
  assert.equal(hasSimulator('gpu'), true);
  const r = simulate(mlp([784, 256, 10], { batch: 64 }), [H100]).targets[0];
  assert.ok(!r.notes.some((n) => n.includes('generic roofline')), 'no fallback note');
});

test('ResNet-50 on h100-sxm: phase results carry hbm/l2 bytes, engine accelerator, sane utilization and energy', () => {
  const r = simulate(resnet, [H100]).targets[0];
  assert.equal(r.kind, 'gpu');
  const b = simulate(asPrecision(resnet, 'bf16'), [H100]).targets[0];
  for (const l of b.layers)
    for (const p of l.phases) assert.ok(p.utilization <= 1, `bf16 ${l.name} ${p.phase} utilization ${p.utilization}`);
  assert.equal(r.peak.flops, 51.6e12);
  assert.deepEqual(
    r.peak.levels.map((l) => l.name),
    ['hbm', 'l2'],
  );
  let sum = 0,
    e = 0;
  for (const l of r.layers)
    for (const p of l.phases) {
      assert.equal(p.engine, 'accelerator');
      assert.ok(p.timeS >= 0 && Number.isFinite(p.timeS), `${l.name} ${p.phase} time`);
      assert.ok(p.overheadS >= 0 && p.overheadS <= p.timeS + 1e-12, `${l.name} ${p.phase} overhead`);
      // fp32 Winograd/FFT phases do fewer multiplications than the direct FLOPs reported, so they may exceed 1
      // (measured.json: fp32 3x3 weight gradients at up to 128 TFLOP/s-equivalent on a 51.6 TFLOP/s part).
      assert.ok(p.utilization >= 0 && p.utilization <= 3, `${l.name} ${p.phase} utilization ${p.utilization}`);
      assert.ok('hbm' in p.bytes && 'l2' in p.bytes);
      const eb = p.energy;
      assert.ok(
        Math.abs(eb.compute + eb.sram + eb.dram + eb.link + eb.control + eb.static - p.energyJ) <
          1e-9 * Math.max(1, p.energyJ),
      );
      sum += p.timeS;
      e += p.energyJ;
    }
  assert.ok(Math.abs(sum - r.totals.timeS) < 1e-9, 'phase times add up to the iteration time');
  assert.ok(Math.abs(e - r.totals.energyJ) < 1e-9);
  const watts = r.totals.energyJ / r.totals.timeS;
  assert.ok(watts > 100 && watts < 700, `average power ${watts.toFixed(0)} W within static..TDP`);
  const conv = r.layers.find((l) => l.name === 'layer3.0.conv2')!;
  assert.ok(conv.phases.every((p) => p.flops > 0 && p.bytes.l2 >= p.bytes.hbm * 0.5));
});

test('timeline: host launches on lane "host", kernels on lane "engine:sm", kernels never start before their launch', () => {
  const r = simulate(resnet, [H100]).targets[0];
  const lanes = new Set(r.timeline.map((e) => e.lane));
  assert.deepEqual([...lanes].sort(), ['engine:sm', 'host']);
  const eng = r.timeline.filter((e) => e.lane === 'engine:sm');
  for (let i = 1; i < eng.length; i++)
    assert.ok(eng[i].startS >= eng[i - 1].endS - 1e-12, 'one kernel at a time, in order');
  assert.ok(Math.abs(Math.max(...r.timeline.map((e) => e.endS)) - r.totals.timeS) < 1e-9);
  const noTl = simulate(resnet, [H100], { detail: 'totals' }).targets[0];
  assert.equal(noTl.timeline.length, 0);
  assert.equal(noTl.totals.timeS, r.totals.timeS, 'totals do not depend on the detail level');
});

test('deterministic: the same input gives the same result', () => {
  assert.deepEqual(simulate(resnet, [H100]), simulate(resnet, [H100]));
});

test('mixed precision: bf16 autocast is faster than fp32 on ResNet-50 and adds cast traffic; the bf16 peak is used', () => {
  const f = simulate(asPrecision(resnet, 'fp32'), [H100]).targets[0];
  const b = simulate(asPrecision(resnet, 'bf16'), [H100]).targets[0];
  assert.ok(b.totals.timeS < f.totals.timeS * 0.8, `bf16 ${b.totals.timeS} vs fp32 ${f.totals.timeS}`);
  assert.equal(b.peak.flops, 770e12);
  // A 1x1 conv (plain implicit GEMM in both precisions): bf16 moves half the fp32 tensor bytes plus the autocast
  // weight cast (4 B read + 2 B written per weight).
  const c1 = (r: typeof f) => r.layers.find((l) => l.name === 'layer1.0.conv1')!.phases.find((p) => p.phase === 'fwd')!;
  assert.ok(
    Math.abs(c1(b).bytes.hbm - c1(f).bytes.hbm / 2 - 64 * 64 * 6) < 1,
    `${c1(b).bytes.hbm} vs ${c1(f).bytes.hbm}`,
  );
  assert.ok(
    b.totals.offloadOverheadS > f.totals.offloadOverheadS,
    'bf16 ResNet-50 is host-bound: more exposed launch time',
  );
});

test('an LSTM at small batch is launch-bound (bf16): exposed host time is a large share of its phases', () => {
  const n = net(
    [50, 256],
    [
      { type: 'lstm', name: 'lstm', attrs: { hiddenSize: 256 } },
      { type: 'linear', name: 'fc', attrs: { outFeatures: 10 } },
    ],
    { batch: 8, precision: 'bf16' },
  );
  const r = simulate(n, [H100]).targets[0];
  const fwd = r.layers[0].phases.find((p) => p.phase === 'fwd')!;
  assert.ok(fwd.timeS >= 2 * 50 * 11.4e-6 * 0.95, `${fwd.timeS}: at least 2 launches per step`);
  assert.ok(fwd.overheadS > 0.5 * fwd.timeS, `overhead ${fwd.overheadS} of ${fwd.timeS}`);
  assert.equal(fwd.bound, 'overhead');
});

test('presets order as their datasheets: H100 < A100 < V100 < P100 in time for VGG-16 fp32', () => {
  const vgg = networkOf('vgg16.net.yaml');
  const times = ['h100-sxm', 'a100-sxm', 'v100-sxm2', 'p100-sxm2'].map(
    (p) => simulate(vgg, [preset(p)]).targets[0].totals.timeS,
  );
  for (let i = 1; i < times.length; i++)
    assert.ok(times[i] > times[i - 1], `${times.map((t) => (t * 1e3).toFixed(1)).join(' < ')}`);
});

test('a precision the GPU lacks runs on its fallback path, with a note', () => {
  const r = simulate(asPrecision(resnet, 'bf16'), [preset('v100-sxm2')]).targets[0];
  assert.equal(r.peak.flops, 15.7e12);
  assert.ok(
    r.notes.some((n) => n.includes('no bf16 rate')),
    r.notes.join('\n'),
  );
});

test('bad parameter values (zero bandwidth, zero efficiency) never crash and keep results finite', () => {
  const t: TargetModel = {
    ...H100,
    name: 'broken',
    params: {
      ...H100.params,
      'memory.hbm_bandwidth': 0,
      'efficiency.conv_tensor_fwd': 0,
      'compute.peak_bf16': 0,
      'compute.sm_count': 0,
    },
  };
  const r = simulate(asPrecision(resnet, 'bf16'), [t]).targets[0];
  assert.ok(!r.notes.some((n) => n.startsWith('internal error')), r.notes.join('\n'));
  assert.ok(Number.isFinite(r.totals.timeS) && r.totals.timeS > 0);
});

test('a footprint larger than device memory is flagged', () => {
  const big = { ...resnet, batch: 4096 };
  const r = simulate(big, [preset('titan-xp')]).targets[0];
  assert.ok(
    r.notes.some((n) => n.includes('exceeds')),
    r.notes.join('\n'),
  );
});

test('every example network x every gpu preset x every precision: finite, positive times, no internal error', () => {
  const files = ['alexnet', 'vgg16', 'resnet50', 'mobilenet_v2', 'bert-base', 'lstm-lm', 'mlp-small', 'mlp-large'];
  const presets = ['h100-sxm', 'a100-sxm', 'v100-sxm2', 'p100-sxm2', 'titan-xp'].map(preset);
  for (const f of files) {
    const n = networkOf(`${f}.net.yaml`);
    for (const p of ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'int4', 'radix4'] as const) {
      const r = simulate(
        { ...n, precision: p, gradientPrecision: p, masterWeights: p === 'fp32' || p === 'tf32' ? null : 'fp32' },
        presets,
        { detail: 'totals' },
      );
      for (const t of r.targets) {
        assert.ok(!t.notes.some((x) => x.startsWith('internal error')), `${f} ${p} ${t.name}: ${t.notes.join('; ')}`);
        assert.ok(Number.isFinite(t.totals.timeS) && t.totals.timeS > 0, `${f} ${p} ${t.name}: time ${t.totals.timeS}`);
        assert.ok(Number.isFinite(t.totals.energyJ) && t.totals.energyJ > 0, `${f} ${p} ${t.name}: energy`);
      }
    }
  }
});

test('tensor-core precisions are faster than fp32 on a GEMM-heavy network (BERT-base on H100); bf16 needs the least device time', () => {
  const n = networkOf('bert-base.net.yaml');
  const run = (p: 'fp32' | 'tf32' | 'bf16') =>
    simulate({ ...n, precision: p, gradientPrecision: p, masterWeights: p === 'bf16' ? 'fp32' : null }, [H100], {
      detail: 'totals',
    }).targets[0].totals;
  const f = run('fp32'),
    t = run('tf32'),
    b = run('bf16');
  assert.ok(t.timeS < f.timeS && b.timeS < f.timeS, `fp32 ${f.timeS} tf32 ${t.timeS} bf16 ${b.timeS}`);
  // Eager BERT at batch 32 is host-bound in tf32 and bf16 (autocast adds cast kernels): compare device-busy time.
  assert.ok(b.timeS - b.offloadOverheadS < t.timeS - t.offloadOverheadS, 'bf16 device time < tf32 device time');
});

test('energy charges executed arithmetic: a Winograd phase costs less compute energy than its nominal FLOPs would', () => {
  const r = simulate(resnet, [H100]).targets[0];
  const ph = r.layers.find((l) => l.name === 'layer3.1.conv2')!.phases.find((p) => p.phase === 'bwd_weight')!;
  assert.ok(ph.utilization > 0.5, 'a fast (Winograd) phase');
  assert.ok(ph.energy.compute < ph.flops * 5e-12 * 0.9, `${ph.energy.compute} J vs nominal ${ph.flops * 5e-12} J`);
  const avgW = r.totals.energyJ / r.totals.timeS;
  assert.ok(avgW < 700, `${avgW} W`);
});

test('SM activity power: a large GEMM draws the board limit; a training step sits between idle and TDP; no phase exceeds TDP', () => {
  const gemmNet = analyze(
    'file:///gemm.net.yaml',
    'kind: network\nname: gemm\nbatch_size: 8192\nprecision: bf16\ninput_shape: [8192]\nlayers:\n  - {name: fc, type: linear, out_features: 8192}\n',
  ).network!;
  const g = simulate(gemmNet, [H100]).targets[0];
  const fwd = g.layers[0].phases.find((p) => p.phase === 'fwd')!;
  const e = fwd.energy,
    wFwd = (e.compute + e.sram + e.dram + e.control + e.static) / fwd.timeS;
  assert.ok(e.control > 0 && wFwd > 600 && wFwd <= 700 * 1.001, `${wFwd} W under an 8192^3 bf16 GEMM`);
  const r = simulate(resnet, [H100]).targets[0];
  const avgW = r.totals.energyJ / r.totals.timeS;
  assert.ok(avgW > 250 && avgW < 700, `${avgW} W over a ResNet-50 step`);
  assert.equal(
    r.findings.some((f) => f.code === 'power.over-limit'),
    false,
  );
});
