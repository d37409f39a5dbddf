// NeuroTrainer model: data-flow formulas, the per-phase choice, and the reproduction targets of [T1]
// (seed-systems.md §4.5): ~500 GFLOPS/W and "almost similar throughput" across CNN, RNN and MLP training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lower } from '../../../server/src/sim/lower';
import { neurotrainerSim } from '../../../server/src/kinds/neurotrainer/model';
import {
  dataflowCost,
  macUnits,
  memBandwidth,
  neurotrainerConfig,
  peakFlops,
  pickDataflow,
  type MvmOperands,
} from '../../../server/src/kinds/neurotrainer/dataflow';
import type { NetworkModel } from '../../../server/src/spec/types';
import { NetBuilder, preset, resnet18, target } from './gradpim-fixtures';

const FULL = { timeline: true, layers: true };

function lstmNet(batch: number): NetworkModel {
  const b = new NetBuilder(batch, [50, 512]);
  b.lstm('lstm1', 1024);
  b.lstm('lstm2', 1024);
  b.linear('proj', 1000);
  return b.build('lstm', 'fp16');
}
function mlpNet(batch: number): NetworkModel {
  const b = new NetBuilder(batch, [4096]);
  b.linear('fc1', 4096);
  b.relu('r1');
  b.linear('fc2', 4096);
  b.relu('r2');
  b.linear('fc3', 4096);
  b.relu('r3');
  b.linear('fc4', 1000);
  return b.build('mlp', 'fp16');
}

test('peak and bandwidth of the preset: 32 vaults x 4 PEs x 16 MACs x 2 x 1 GHz, 32 x 10 GB/s x 0.9', () => {
  const c = neurotrainerConfig(preset('neurotrainer'));
  assert.equal(macUnits(c), 2048);
  assert.equal(peakFlops(c, 'fp16'), 4096e9);
  assert.equal(peakFlops(c, 'fp32'), 2048e9);
  assert.ok(Math.abs(memBandwidth(c) - 288e9) < 1);
});

test('data-flow traffic: ws re-reads activations per weight tile, os re-reads weights per output tile', () => {
  const o: MvmOperands = {
    phase: 'fwd',
    weightLike: 3000,
    actRead: 500,
    actWrite: 200,
    weightElems: 1500,
    outElems: 100,
    timeSteps: 1,
  };
  // buffer 2000 -> tiles of 1000 B
  assert.deepEqual(dataflowCost('ws', o, 2000, 64), { dataflow: 'ws', tiles: 3, bytes: 3000 + 500 * 3 + 200, util: 1 });
  assert.deepEqual(dataflowCost('os', o, 2000, 64), { dataflow: 'os', tiles: 1, bytes: 500 + 3000 + 200, util: 1 });
  // bwd_weight os: partial weight gradients spill (written and read back) once per extra tile
  const g: MvmOperands = { ...o, phase: 'bwd_weight', weightLike: 100, actRead: 2500, actWrite: 0 };
  assert.equal(dataflowCost('os', g, 2000, 64).bytes, 2500 + 100 * (2 * 3 - 1));
  assert.equal(dataflowCost('ws', g, 2000, 64).bytes, 100 + 2500);
  // a recurrent layer whose weights do not fit streams them once per time step
  const r: MvmOperands = { ...o, timeSteps: 10 };
  assert.equal(dataflowCost('ws', r, 2000, 64).bytes, 3000 * 10 + 500 * 3 + 200);
  // a small output fills only part of the array under os
  assert.equal(dataflowCost('os', { ...o, outElems: 16 }, 2000, 64).util, 0.25);
});

test('auto picks the faster data flow per phase; forcing one changes the traffic', () => {
  const w = lower(mlpNet(64));
  const auto = neurotrainerSim.simulate(w, preset('neurotrainer'), FULL);
  const ws = neurotrainerSim.simulate(
    w,
    target('neurotrainer', 'ws', {
      ...preset('neurotrainer').params,
      'dataflow.fwd': 'ws',
      'dataflow.bwd_data': 'ws',
      'dataflow.bwd_weight': 'ws',
    }),
    FULL,
  );
  const os = neurotrainerSim.simulate(
    w,
    target('neurotrainer', 'os', {
      ...preset('neurotrainer').params,
      'dataflow.fwd': 'os',
      'dataflow.bwd_data': 'os',
      'dataflow.bwd_weight': 'os',
    }),
    FULL,
  );
  assert.ok(auto.totals.timeS <= Math.min(ws.totals.timeS, os.totals.timeS) * (1 + 1e-9));
  assert.notEqual(ws.totals.bytes.dram, os.totals.bytes.dram);
  assert.match(auto.notes[0], /fwd auto: \d+ ws \/ \d+ os/);
  // 4096x4096 fp16 weights (32 MiB) exceed the 4 MiB half-buffer: ws re-reads activations 8 times, os does not.
  const c = neurotrainerConfig(preset('neurotrainer'));
  const p = w.layers[2].phases[0];
  assert.equal(w.layers[2].name, 'fc2');
  const o: MvmOperands = {
    phase: 'fwd',
    weightLike: 4096 * 4096 * 2 + 4096 * 2,
    actRead: 64 * 4096 * 2,
    actWrite: 64 * 4096 * 2,
    weightElems: 4096 * 4097,
    outElems: 64 * 4096,
    timeSteps: 1,
  };
  assert.equal(pickDataflow('auto', o, p.flops, c, peakFlops(c, 'fp16')).dataflow, 'os');
});

test('auto_scope network: one data flow per phase for all layers, never faster than per-layer auto', () => {
  const w = lower(resnet18(32, 'fp16'));
  const base = preset('neurotrainer');
  const perLayer = neurotrainerSim.simulate(w, base, FULL);
  const net = neurotrainerSim.simulate(
    w,
    target('neurotrainer', 'n', { ...base.params, 'dataflow.auto_scope': 'network' }),
    FULL,
  );
  assert.match(net.notes[0], /fwd auto \(network\): (\d+ ws \/ 0 os|0 ws \/ \d+ os)/);
  assert.match(perLayer.notes[0], /fwd auto: [1-9]\d* ws \/ [1-9]\d* os/, 'ResNet-18 at batch 32 mixes both per layer');
  assert.ok(perLayer.totals.timeS <= net.totals.timeS * (1 + 1e-9));
});

test('all four phases run on the vault PEs with a small exposed control overhead', () => {
  const r = neurotrainerSim.simulate(lower(resnet18(8, 'fp16')), preset('neurotrainer'), FULL);
  const phases = new Set(r.layers.flatMap((l) => l.phases.map((p) => `${p.phase}:${p.engine}`)));
  for (const p of ['fwd', 'bwd_data', 'bwd_weight', 'update']) assert.ok(phases.has(`${p}:accelerator`), p);
  assert.ok(r.totals.offloadOverheadS > 0);
  assert.ok(r.totals.offloadOverheadS / r.totals.timeS < 0.02, 'vault state machines: < 2% of the step');
  assert.ok(new Set(r.timeline.map((e) => e.lane)).has('control'));
});

// Reproduction ([T1]): 500 GFLOPS/W (SRC); "almost similar throughput" across DNN types (SRC, unquantified).
// Networks (ours; the paper's were not retrieved): ResNet-18 at batch 32, a 2-layer LSTM (1024 hidden, 50 steps)
// at batch 128, a 4096-wide 4-layer MLP at batch 256, fp16 with fp32 master weights and momentum.
// Checks: GFLOPS/W of each within 500 +-20% and their mean within +-10%; achieved FLOP/s within 1.5x of each other.
// The energy knobs are ASM (energy.flop chosen so a compute-bound CNN lands near 500 GFLOPS/W), so the first check
// tests that the RNN and MLP, with their extra weight and update traffic, stay near the same figure.
test('~500 GFLOPS/W and similar throughput across CNN, LSTM and MLP training', () => {
  const nets = [resnet18(32, 'fp16'), lstmNet(128), mlpNet(256)];
  const rs = nets.map((n) => neurotrainerSim.simulate(lower(n), preset('neurotrainer'), FULL));
  const eff = rs.map((r) => r.totals.flopsPerJoule / 1e9);
  const thr = rs.map((r) => r.totals.flops / r.totals.timeS);
  for (const [i, e] of eff.entries()) assert.ok(e >= 400 && e <= 600, `${nets[i].name}: ${e.toFixed(0)} GFLOPS/W`);
  const mean = eff.reduce((a, b) => a + b, 0) / eff.length;
  assert.ok(Math.abs(mean - 500) <= 50, `mean ${mean.toFixed(0)} GFLOPS/W`);
  assert.ok(
    Math.max(...thr) / Math.min(...thr) <= 1.5,
    `throughput spread ${thr.map((x) => (x / 1e9).toFixed(0)).join(', ')} GFLOP/s`,
  );
});

test('a small batch makes the MLP weight-streaming bound: throughput falls, as the model says it should', () => {
  const small = neurotrainerSim.simulate(lower(mlpNet(8)), preset('neurotrainer'), FULL);
  const big = neurotrainerSim.simulate(lower(mlpNet(256)), preset('neurotrainer'), FULL);
  assert.ok(small.totals.utilization < big.totals.utilization / 2);
});
