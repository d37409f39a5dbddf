// GradPIM, NeuroTrainer and radix-4 IMC through the public path: spec text -> analyze() -> resolveTargets() ->
// simulate(). Checks that the presets resolve with their units, the knobs written in a hardware file reach the
// models, and the result contract (engines, vsBaseline, notes) comes out of simulate().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, presetTarget, resolveTargets } from '../../../server/src/spec/index';
import { simulate } from '../../../server/src/sim/index';
import { hasSimulator } from '../../../server/src/kinds/models';

const NET = `kind: network
name: small-cnn
batch_size: 16
precision: fp16
master_weights: fp32
optimizer: {type: momentum, lr: 0.1, momentum: 0.9, weight_decay: 1e-4}
input_shape: [3, 32, 32]
layers:
  - {name: conv1, type: conv2d, out_channels: 128, kernel_size: 3, padding: 1, bias: false}
  - {name: bn1, type: batchnorm}
  - {name: relu1, type: relu}
  - {name: conv2, type: conv2d, out_channels: 128, kernel_size: 3, padding: 1, bias: false}
  - {name: bn2, type: batchnorm}
  - {name: relu2, type: relu}
  - {name: pool, type: global_avgpool}
  - {name: flat, type: flatten}
  - {name: fc, type: linear, out_features: 10}
`;

const HW = `kind: hardware
targets:
  - name: npu-no-pim
    extends: gradpim
    pim:
      enabled: false
  - name: nt-ws
    extends: neurotrainer
    dataflow:
      fwd: ws
      bwd_data: ws
      bwd_weight: ws
  - name: imc-digital
    extends: imc-radix4
    mapping:
      fwd: digital
      bwd_data: digital
      bwd_weight: digital
`;

function network() {
  const doc = analyze('file:///t/small.net.yaml', NET);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return doc.network!;
}

test('the three kinds have dedicated simulators and their presets resolve', () => {
  for (const k of ['gradpim', 'neurotrainer', 'imc'] as const) assert.ok(hasSimulator(k), k);
  for (const n of ['gradpim', 'gradpim-baseline', 'neurotrainer', 'imc-radix4', 'imc-radix4-2level'])
    assert.ok(presetTarget(n), n);
  assert.equal(presetTarget('gradpim-baseline')!.params['pim.enabled'], false);
  assert.equal(presetTarget('gradpim')!.params['memory.transfer_rate'], 2.4e9);
  assert.equal(presetTarget('neurotrainer')!.params['compute.buffer_per_vault'], 256 * 1024);
  assert.ok(Math.abs((presetTarget('imc-radix4')!.params['energy.write'] as number) - 80e-15) < 1e-20);
});

test('simulate(): GradPIM vs the no-PIM NPU from a hardware file; vsBaseline from the model and from the baseline option', () => {
  const hw = analyze('file:///t/x.hw.yaml', HW);
  assert.deepEqual(
    hw.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const { targets, diagnostics } = resolveTargets(['gradpim', 'npu-no-pim'], [hw]);
  assert.deepEqual(diagnostics, []);
  const res = simulate(network(), targets);
  const [pim, nopim] = res.targets;
  assert.equal(pim.kind, 'gradpim');
  assert.ok(pim.vsBaseline && pim.vsBaseline.speedup > 1, 'model-provided comparison with the same NPU without PIM');
  assert.equal(nopim.vsBaseline, undefined);
  const upd = (r: typeof pim) => r.layers.find((l) => l.name === 'conv2')!.phases.find((p) => p.phase === 'update')!;
  assert.equal(upd(pim).engine, 'in-memory');
  assert.equal(upd(nopim).engine, 'host');
  assert.ok(Math.abs(pim.vsBaseline!.speedup - nopim.totals.timeS / pim.totals.timeS) < 1e-9);
  // an explicit baseline replaces the model's comparison
  const res2 = simulate(network(), targets, { baseline: 'npu-no-pim' });
  assert.equal(res2.targets[0].vsBaseline!.baseline, 'npu-no-pim');
});

test('simulate(): NeuroTrainer data-flow knobs and IMC mapping knobs reach the models', () => {
  const hw = analyze('file:///t/x.hw.yaml', HW);
  const { targets } = resolveTargets(['neurotrainer', 'nt-ws', 'imc-radix4', 'imc-digital'], [hw]);
  const [nt, ntWs, imc, dig] = simulate(network(), targets).targets;
  assert.match(ntWs.notes[0], /fwd ws: \d+ ws \/ 0 os/);
  assert.ok(nt.totals.timeS <= ntWs.totals.timeS * (1 + 1e-9));
  const fwd = (r: typeof imc) => r.layers.find((l) => l.name === 'conv2')!.phases.find((p) => p.phase === 'fwd')!;
  assert.equal(fwd(imc).engine, 'in-memory');
  assert.equal(fwd(dig).engine, 'digital');
  assert.ok(dig.totals.energyJ > imc.totals.energyJ);
  for (const r of [nt, imc]) {
    assert.ok(r.totals.timeS > 0 && Number.isFinite(r.totals.timeS));
    assert.ok(r.totals.energyJ > 0 && Number.isFinite(r.totals.energyJ));
    assert.ok(r.timeline.length > 0);
  }
});

test('degenerate inputs do not crash: zero-parameter network, fp32 network, empty batch override', () => {
  const doc = analyze('file:///t/n.net.yaml', 'kind: network\nname: n\ninput_shape: [8]\nlayers:\n  - {type: relu}\n');
  const net = doc.network!;
  const targets = ['gradpim', 'gradpim-baseline', 'neurotrainer', 'imc-radix4', 'imc-radix4-2level'].map((n) =>
    presetTarget(n)!,
  );
  const res = simulate(net, targets, { batch: 1 });
  for (const r of res.targets) {
    assert.ok(!r.notes.some((n) => n.startsWith('internal error')), r.notes.join(' | '));
    assert.ok(Number.isFinite(r.totals.timeS));
  }
  const fp32 = simulate({ ...network(), precision: 'fp32', masterWeights: null, gradientPrecision: 'fp32' }, targets);
  for (const r of fp32.targets)
    assert.ok(!r.notes.some((n) => n.startsWith('internal error')) && r.totals.timeS > 0, r.name);
});

test('every example network on the five presets: finite, non-negative, consistent phase results', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = join(__dirname, '..', '..', '..', 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.net.yaml'));
  assert.ok(files.length >= 5);
  const targets = ['gradpim', 'gradpim-baseline', 'neurotrainer', 'imc-radix4', 'imc-radix4-2level'].map((n) =>
    presetTarget(n)!,
  );
  for (const f of files) {
    const doc = analyze(`file:///examples/${f}`, readFileSync(join(dir, f), 'utf8'));
    if (!doc.network) continue;
    const res = simulate(doc.network, targets, { batch: 2 });
    for (const r of res.targets) {
      const where = `${f} on ${r.name}`;
      assert.ok(!r.notes.some((n) => n.startsWith('internal error')), `${where}: ${r.notes[0]}`);
      assert.ok(Number.isFinite(r.totals.timeS) && r.totals.timeS > 0, where);
      assert.ok(Number.isFinite(r.totals.energyJ) && r.totals.energyJ > 0, where);
      for (const l of r.layers)
        for (const p of l.phases) {
          assert.ok(
            p.timeS >= Math.max(p.computeS, p.memoryS) - 1e-15,
            `${where} ${l.name} ${p.phase}: time below its parts`,
          );
          const e = p.energy;
          assert.ok(
            Math.abs(e.compute + e.sram + e.dram + e.link + e.control + e.static - p.energyJ) <=
              1e-9 * Math.max(1e-12, p.energyJ),
            `${where} ${l.name}`,
          );
          for (const v of [p.timeS, p.energyJ, p.flops, ...Object.values(p.bytes)])
            assert.ok(Number.isFinite(v) && v >= 0, `${where} ${l.name} ${p.phase}`);
        }
    }
  }
});

test('out-of-range knobs (reported by the spec checker) are clamped so a run stays finite', () => {
  const bad = (name: string, params: Record<string, number>) => {
    const t = presetTarget(name)!;
    Object.assign(t.params, params);
    return t;
  };
  const res = simulate(network(), [
    bad('gradpim', { 'memory.channels': 0, 'memory.tccd_l': 0, 'compute.pe_rows': 0 }),
    bad('neurotrainer', { 'compute.vaults': 0, 'memory.vault_bandwidth': 0 }),
    bad('imc-radix4', { 'compute.arrays': 0, 'compute.clock': 0, 'memory.dram_bandwidth': -1 }),
  ]);
  for (const r of res.targets) {
    assert.ok(Number.isFinite(r.totals.timeS) && r.totals.timeS > 0, r.name);
    assert.ok(Number.isFinite(r.totals.energyJ), r.name);
  }
});

test('examples/resnet18.net.yaml (spec core shapes) gives the same GradPIM traffic figures as the test fixture', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { resnet18 } = await import('./gradpim-fixtures');
  const doc = analyze(
    'file:///examples/resnet18.net.yaml',
    readFileSync(join(__dirname, '..', '..', '..', 'examples', 'resnet18.net.yaml'), 'utf8'),
  );
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const base = [presetTarget('gradpim-baseline')!];
  const share = (net: NonNullable<typeof doc.network>) => {
    const r = simulate(net, base).targets[0];
    let upd = 0,
      tot = 0;
    for (const l of r.layers)
      for (const p of l.phases) {
        tot += p.bytes.dram ?? 0;
        if (p.phase === 'update') upd += p.bytes.dram ?? 0;
      }
    return upd / tot;
  };
  const fromSpec = share(doc.network!);
  const fromFixture = share(resnet18(32, 'fp16'));
  assert.ok(Math.abs(fromSpec - fromFixture) < 0.005, `${fromSpec} vs ${fromFixture}`);
  assert.ok(Math.abs(fromSpec - 0.459) <= 0.05, `update share ${fromSpec}`);
});
