// Training steps on many devices: tensor-parallel sharding (Megatron's column/row pattern), pipeline stages, the
// data-parallel sync, memory per device with the fix that fits, the strategy search, NTX's mesh-scaling claim,
// Megatron-LM's published throughputs, and `accelmap scale`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveTargets } from '../../../server/src/spec/index';
import { lower, simulate } from '../../../server/src/sim/index';
import {
  newStepCache,
  partition,
  shardWorkload,
  simulateStep,
  type Strategy,
} from '../../../server/src/kinds/system/parallel';
import { searchStrategy } from '../../../server/src/kinds/system/search';
import { readSystem } from '../../../server/src/kinds/system/model';
import { networkOf } from '../examples/load';
import { runCli } from '../cli/run-cli';
import { gpt } from './gpt';
import { MEGATRON, megatronRow } from './megatron';

const system = (name: string, params: Record<string, number | string | boolean> = {}) => {
  const [t] = resolveTargets([name], []).targets;
  const tt = { ...t, params: { ...t.params, ...params } };
  return { t: tt, ...readSystem(tt) };
};
const S = (o: Partial<Strategy>): Strategy => ({
  dp: 0,
  tp: 1,
  pp: 1,
  microBatches: 1,
  schedule: '1f1b',
  zero: 0,
  recompute: false,
  overlap: true,
  bucketB: 25e6,
  ...o,
});
const small = () => gpt({ layers: 4, hidden: 1024, heads: 16, seq: 512, vocab: 32000, batch: 32 });

test('tensor parallelism splits linear and attention work tp-ways, keeps norms whole, and needs 2 + 2 all-reduces per block', () => {
  const w = lower({ ...small(), batch: 2 });
  const { w: s, comms } = shardWorkload(w, 4);
  const flops = (x: typeof w, pred: (op: string, name: string) => boolean) =>
    x.layers.filter((l) => pred(l.op, l.name)).reduce((a, l) => a + l.phases.reduce((b, p) => b + p.flops, 0), 0);
  const lin = (op: string) => op === 'linear';
  assert.ok(Math.abs(flops(s, lin) / flops(w, lin) - 0.25) < 1e-9);
  const attn = (op: string, n: string) => op === 'matmul' || op === 'softmax' || n.endsWith('.pdrop');
  assert.ok(Math.abs(flops(s, attn) / flops(w, attn) - 0.25) < 1e-9);
  const norms = (op: string) => op === 'layernorm';
  assert.equal(flops(s, norms), flops(w, norms));
  // per block: the row-parallel proj and fc2 all-reduce their outputs forward; the column-parallel q, k, v (one
  // input: counted once each here) and fc1 all-reduce their input gradients backward; the LM head is column-parallel
  const fwd = comms.filter((c) => c.phase === 'fwd').map((c) => s.layers[c.layer].name);
  assert.deepEqual(fwd, ['h0.proj', 'h0.fc2', 'h1.proj', 'h1.fc2', 'h2.proj', 'h2.fc2', 'h3.proj', 'h3.fc2']);
  assert.ok(comms.filter((c) => c.phase === 'bwd_data').some((c) => s.layers[c.layer].name === 'lm_head'));
  assert.equal(s.totalParams < w.totalParams / 2, true);
});

test('pipeline stages: contiguous, every stage non-empty, the slowest no slower than needed', () => {
  const cuts = partition([1, 1, 1, 1, 1, 1, 1, 1], 4);
  assert.deepEqual(cuts, [2, 4, 6, 8]);
  const c2 = partition([5, 1, 1, 1, 1, 1], 2);
  assert.deepEqual(c2, [1, 6]);
  assert.equal(partition([1, 2, 3], 5).length, 3);
});

test('one device of a system = the device itself; data parallelism adds an all-reduce that the backward pass hides', () => {
  const { sys } = system('dgx-h100');
  const net = networkOf('resnet50.net.yaml');
  const one = simulateStep({ ...net, batch: 32 }, { ...sys!, devices: 1 }, S({}));
  assert.ok(one.ok);
  const alone = simulate({ ...net, batch: 32 }, [sys!.device]).targets[0].totals.timeS;
  assert.ok(Math.abs(one.timeS / alone - 1) < 1e-9, `${one.timeS} vs ${alone}`);
  const eight = simulateStep({ ...net, batch: 256 }, { ...sys!, devices: 8 }, S({}));
  assert.ok(eight.ok);
  const ar = eight.comms.find((c) => c.kind === 'all_reduce')!;
  assert.ok(ar.timeS > 0 && ar.exposedS < ar.timeS, `${ar.exposedS} of ${ar.timeS}`);
  assert.ok(eight.timeS >= one.timeS && eight.timeS < one.timeS * 1.05);
  // without overlap the whole all-reduce is exposed
  const noOverlap = simulateStep({ ...net, batch: 256 }, { ...sys!, devices: 8 }, S({ overlap: false }));
  assert.ok(noOverlap.ok && Math.abs(noOverlap.timeS - eight.timeS - (ar.timeS - ar.exposedS)) < 1e-9);
});

test('NTX mesh: data-parallel training keeps more than 95% parallel and energy efficiency on a 4 x 4 mesh of cubes ([N1] claim)', () => {
  const { sys } = system('ntx-mesh');
  const net = networkOf('resnet50.net.yaml');
  const one = simulateStep({ ...net, batch: 32 }, { ...sys!, devices: 1 }, S({}));
  const mesh = simulateStep({ ...net, batch: 32 * 16 }, { ...sys!, devices: 16 }, S({}));
  assert.ok(one.ok && mesh.ok);
  const eff = mesh.samplesPerS / one.samplesPerS / 16;
  assert.ok(eff > 0.95 && eff <= 1 + 1e-9, `efficiency ${eff}`);
  // and energy efficiency (the claim is "parallel and energy efficiency"): energy per sample, links included
  const eEff = one.energyJ / 32 / (mesh.energyJ / (32 * 16));
  assert.ok(mesh.linkEnergyJ > 0 && eEff > 0.95 && eEff < 1, `energy efficiency ${eEff}`);
  assert.match(mesh.comms[0].algorithm, /2-D mesh2d \(4 x 4\)/);
});

test('neurotrainer-mesh: NeuroTrainer modules on HMC-style links scale data-parallel; their 8 GB stacks are checked', () => {
  const { sys, t } = system('neurotrainer-mesh');
  assert.equal(sys!.device.kind, 'neurotrainer');
  const net = networkOf('resnet50.net.yaml');
  const one = simulateStep({ ...net, batch: 32 }, { ...sys!, devices: 1 }, S({}));
  const mesh = simulateStep({ ...net, batch: 32 * 16 }, sys!, S({}));
  assert.ok(one.ok && mesh.ok && mesh.fits);
  assert.equal(mesh.memory.capacityB, 8 * 1024 ** 3);
  assert.ok(mesh.samplesPerS / one.samplesPerS / 16 > 0.95);
  const r = simulate({ ...net, batch: 512 }, [t]).targets[0];
  assert.match(r.findings.find((f) => f.code === 'system.step')!.message, /GB per device \(of 9 GB\)/);
});

test('a configuration that does not fit says by how much and the smallest change that fits', () => {
  const { t } = system('a100-cluster', { devices: 8, 'parallel.tp': 1 });
  const net = gpt({ layers: 24, hidden: 4096, heads: 32, seq: 2048, vocab: 51200, batch: 8 });
  const r = simulate(net, [t]).targets[0];
  const f = r.findings.find((x) => x.code === 'memory.exceeds-device');
  assert.ok(f, r.findings.map((x) => x.code).join());
  assert.match(
    f.message,
    /Per device the training state needs [\d.]+ GB .* and a100-sxm has 80\.0 GB: [\d.]+ GB too much; parallel\.(zero|recompute|pp|tp): \S+ would fit/,
  );
  assert.ok(f.numbers.needB > f.numbers.haveB);
  const step = r.findings.find((x) => x.code === 'system.step')!;
  assert.match(step.message, /8 devices as dp 8 x tp 1 x pp 1/);
});

test('the strategy search returns the fastest fitting strategy; it is no slower than a hand-picked one', () => {
  const { sys } = system('a100-cluster');
  const net = gpt({ layers: 8, hidden: 2048, heads: 16, seq: 1024, vocab: 32000, batch: 64 });
  const o = searchStrategy(net, sys!, 16);
  assert.ok(o.best && o.best.fits && o.fitting > 0 && o.evaluated >= o.fitting);
  const st = o.best.strategy;
  assert.equal(st.dp * st.tp * st.pp, 16);
  const hand = simulateStep(net, { ...sys!, devices: 16 }, S({ tp: 8, pp: 2, microBatches: 8 }), newStepCache());
  assert.ok(hand.ok);
  assert.ok(o.best.timeS <= hand.timeS + 1e-12);
});

test('Megatron-LM GPT scaling table (1.7B on 32 A100s to 1T on 3072): per-GPU throughput within 15% on every row, every row fits in 80 GB', () => {
  const got = MEGATRON.map((row) => ({ row, ...megatronRow(row) }));
  for (const g of got) {
    assert.ok(
      Math.abs(g.tflops / g.row.tflops - 1) < 0.15,
      `${g.row.P}B: ${g.tflops.toFixed(0)} vs ${g.row.tflops} TFLOP/s per GPU`,
    );
    assert.ok(g.fits, `${g.row.P}B fits in 80 GB`);
  }
  // the largest models reach the highest throughput per GPU (larger GEMMs), as in the paper
  assert.ok(got[got.length - 1].tflops > got[3].tflops);
});

test('accelmap scale: a scaling table, speed-up and efficiency per count; --search picks a strategy per count; json has the step split', () => {
  const file = join(__dirname, '..', '..', '..', 'examples', 'resnet50.net.yaml');
  const r = runCli(['scale', file, '--system', 'dgx-h100', '--devices', '1,2,8', '--weak', '-b', '16', '-f', 'json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(
    j.points.map((p: { devices: number }) => p.devices),
    [1, 2, 8],
  );
  assert.deepEqual(
    j.points.map((p: { batch: number }) => p.batch),
    [16, 32, 128],
  );
  assert.equal(j.points[0].speedup, 1);
  for (const p of j.points) {
    assert.ok(p.efficiency > 0.9 && p.efficiency <= 1 + 1e-9);
    assert.ok(Math.abs(p.computeS + p.exposedCommS + p.bubbleS + p.optimizerS - p.timeS) / p.timeS < 0.05);
    assert.ok(p.memory.totalB > 0 && p.fits);
  }
  const t = runCli(['scale', file, '--system', 'dgx-h100', '--devices', '8', '--search', '-b', '64']);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /best strategy per count/);
  assert.match(t.out, /^\s+8\s+64\s+\d+ x \d+ x \d+, \d+/m);
  const bad = runCli(['scale', file, '--system', 'h100-sxm']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /h100-sxm is a gpu target, not a system/);
  const badP = runCli(['scale', file, '--system', 'dgx-h100', '--parallel', 'dp=2,xx=3']);
  assert.equal(badP.code, 2);
});

test('`parallel:` in the network spec sets the split on a system target (and is checked like any key)', async () => {
  const { analyze } = await import('../../../server/src/spec/index');
  const base = `kind: network
name: p
batch_size: 64
input_shape: [1024]
targets: [a100-cluster]
layers:
  - {name: fc1, type: linear, out_features: 4096}
  - {name: act, type: gelu}
  - {name: fc2, type: linear, out_features: 1024}
`;
  const doc = analyze(
    'file:///p.net.yaml',
    base.replace('layers:', 'parallel: {tp: 8, micro_batches: 4, zero: 1}\nlayers:'),
  );
  assert.deepEqual(
    doc.diagnostics.filter((x) => x.severity === 'error'),
    [],
  );
  assert.deepEqual(doc.network!.parallel, { tp: 8, microBatches: 4, zero: 1 });
  const { t } = system('a100-cluster', { devices: 16 });
  const r = simulate(doc.network!, [t]).targets[0];
  assert.match(
    r.findings.find((f) => f.code === 'system.step')!.message,
    /16 devices as dp 2 x tp 8 x pp 1, 4 micro-batches of 8, ZeRO-1/,
  );
  const bad = analyze('file:///p.net.yaml', base.replace('layers:', 'parallel: {tp: 0, zeroo: 1}\nlayers:'));
  const msgs = bad.diagnostics.map((x) => x.message).join('\n');
  assert.match(msgs, /parallel\.tp/);
  assert.match(msgs, /Unknown key `zeroo` in `parallel`; did you mean `zero`\?/);
});

test("a system's device may be a target of the hardware files (any kind); an unknown device or a system as device is AM5006 on the value", async () => {
  const { analyze } = await import('../../../server/src/spec/index');
  const hw = `kind: hardware
targets:
  - name: h100-40g
    extends: h100-sxm
    memory: {hbm_size: 40 GB}
  - name: pod
    kind: system
    device: h100-40g
    devices: 8
`;
  const doc = analyze('file:///pod.hw.yaml', hw);
  assert.deepEqual(
    doc.diagnostics.filter((x) => x.severity === 'error'),
    [],
  );
  const pod = doc.hardware!.targets.find((t) => t.name === 'pod')!;
  assert.equal(pod.device?.name, 'h100-40g');
  const { sys, error } = readSystem(pod);
  assert.equal(error, undefined);
  assert.equal(sys!.device.params['memory.hbm_size'], 40e9);
  // the same system resolved by name from the hardware document, as the CLI's --hw and the editor do
  const [byName] = resolveTargets(['pod'], [doc]).targets;
  assert.equal(readSystem(byName).sys!.device.params['memory.hbm_size'], 40e9);
  // the smaller memory is what the fit check uses: a 7B GPT fits an 80 GB device with ZeRO-3 but not a 40 GB one here
  const net = gpt({ layers: 32, hidden: 4096, heads: 32, seq: 2048, vocab: 51200, batch: 8 });
  const fit = (t: typeof pod) => simulateStep(net, readSystem(t).sys!, S({ zero: 1 }), newStepCache());
  const big = fit(resolveTargets(['dgx-h100'], []).targets[0]),
    small40 = fit(pod);
  assert.ok(big.ok && small40.ok);
  assert.equal(small40.memory.capacityB, 40e9);
  assert.equal(big.memory.capacityB, 80e9);

  const typo = analyze('file:///t.hw.yaml', hw.replace('device: h100-40g', 'device: h100-40'));
  const d = typo.diagnostics.find((x) => x.code === 'AM5006')!;
  assert.match(d.message, /`device: h100-40` names no target or preset; did you mean `h100-40g`\?/);
  assert.deepEqual([d.range.start.line, d.range.start.character], [7, 12]);
  assert.equal(d.fixes?.[0].edits[0].newText, 'h100-40g');
  const nested = analyze('file:///n.hw.yaml', hw.replace('device: h100-40g', 'device: dgx-h100'));
  assert.match(nested.diagnostics.find((x) => x.code === 'AM5006')!.message, /is itself a system/);
});

test("a system's timeline: per micro-batch forward and backward then its tp / pp transfers, the bubble, the dp sync ending where its exposed part ends, the optimizer last", () => {
  const { t } = system('dgx-h100', { 'parallel.tp': 2, 'parallel.pp': 2, 'parallel.micro_batches': 4 });
  const net = gpt({ layers: 4, hidden: 1024, heads: 16, seq: 512, vocab: 32000, batch: 32 });
  const r = simulate(net, [t]).targets[0];
  const lanes = [...new Set(r.timeline.map((e) => e.lane))];
  // (stage-to-stage transfers are charged to the sending stages: the slowest stage here is not the last, so its
  // sends show on the pp lane)
  assert.deepEqual(lanes, [
    'engine:compute',
    'comm:tensor-parallel',
    'comm:pipeline',
    'bubble',
    'comm:data-parallel',
    'engine:optimizer',
  ]);
  const on = (lane: string) => r.timeline.filter((e) => e.lane === lane);
  assert.equal(on('engine:compute').length, 8);
  assert.deepEqual(
    on('engine:compute').map((e) => e.phase),
    ['fwd', 'bwd_data', 'fwd', 'bwd_data', 'fwd', 'bwd_data', 'fwd', 'bwd_data'],
  );
  assert.equal(on('comm:tensor-parallel').length, 4);
  // lanes never overlap themselves, everything lies within the step, the optimizer ends it
  for (const lane of lanes) {
    const ev = on(lane);
    for (let i = 1; i < ev.length; i++) assert.ok(ev[i].startS >= ev[i - 1].endS - 1e-12, `${lane} overlaps itself`);
  }
  assert.ok(r.timeline.every((e) => e.startS >= 0 && e.endS <= r.totals.timeS + 1e-12 && e.endS >= e.startS));
  assert.ok(Math.abs(on('engine:optimizer')[0].endS - r.totals.timeS) < 1e-12);
  // the bubble starts where the last slot ends and takes (pp - 1) slots
  const bubble = on('bubble')[0],
    slots = on('engine:compute');
  assert.ok(bubble.startS >= slots[slots.length - 1].endS - 1e-12);
  // with a pipeline the sync is not overlapped: it starts after the bubble; without one it is drawn from inside the
  // last backward (the overlapped part) to where its exposed part ends
  const dp = on('comm:data-parallel')[0];
  assert.ok(Math.abs(dp.startS - bubble.endS) < 1e-12 && dp.kind === 'comm');
  const { t: t1 } = system('dgx-h100');
  const r1 = simulate(networkOf('resnet50.net.yaml'), [t1]).targets[0];
  const s1 = r1.timeline.find((e) => e.lane === 'comm:data-parallel')!,
    last = r1.timeline.filter((e) => e.lane === 'engine:compute').at(-1)!;
  assert.equal(s1.kind, 'comm (overlapped with backward)');
  assert.ok(s1.startS < last.endS && s1.endS > last.endS, `${s1.startS} ${s1.endS} vs backward end ${last.endS}`);
});
