// Radix-4 IMC model: array tiling and energy formulas, the phase mapping, and the reproduction targets of [I1]
// (seed-systems.md §5.5): training-MVM energy saving > 400x with all three MVMs in memory, ~3x with two of three.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lower } from '../../../server/src/sim/lower';
import { imcBytes, imcSim, trainingMvmEnergy } from '../../../server/src/kinds/imc/model';
import {
  amdahlSaving,
  digitalMvm,
  imcConfig,
  imcMacEnergy,
  imcMvm,
  mvmShape,
  slices,
} from '../../../server/src/kinds/imc/engine';
import type { NetworkModel } from '../../../server/src/spec/types';
import { NetBuilder, preset, resnet18 } from './gradpim-fixtures';

const FULL = { timeline: true, layers: true };

/** A CIFAR-10 VGG-style network (128-512 channels: 3x3x128 = 1152 = the array rows). */
function vggCifar(batch: number): NetworkModel {
  const b = new NetBuilder(batch, [3, 32, 32]);
  const cfg: (number | 'M')[] = [128, 128, 'M', 256, 256, 'M', 512, 512, 'M'];
  cfg.forEach((c, i) => {
    if (c === 'M') b.maxpool(`pool${i}`, 2, 2, 0);
    else {
      b.conv(`conv${i}`, c, 3, 1, 1);
      b.bn(`bn${i}`);
      b.relu(`relu${i}`);
    }
  });
  b.flatten('flatten');
  b.linear('fc1', 1024);
  b.relu('relu_fc');
  b.linear('fc2', 10);
  return b.build('vgg-cifar', 'fp16');
}

test('array formulas: 4b x 4b MAC = 16 x (adc/R + drv/C + cell); tiles, cycles and write time', () => {
  const c = imcConfig(preset('imc-radix4'));
  assert.equal(slices(c), 4);
  const perBitOp = 100e-15 / 1152 + 5e-15 / 256 + 0.05e-15;
  assert.ok(Math.abs(imcMacEnergy(c) - 16 * perBitOp) < 1e-20);
  assert.ok(Math.abs(perBitOp - 0.17e-15) < 0.03e-15, 'near the 0.17 fJ per 1-b op of the 28 nm macro (DER)');
  // A fully used 1152 x 64 (x 4 bit) tile: energy per MAC equals imcMacEnergy.
  const full = imcMvm(c, { vectors: 10, red: 1152, out: 64, groups: 1, stationary: 1152 * 64 });
  assert.equal(full.tiles, 1);
  assert.equal(full.arrayCycles, 10 * 4);
  assert.ok(Math.abs(full.arrayJ / (10 * 1152 * 64) - imcMacEnergy(c)) < 1e-21);
  assert.ok(Math.abs(full.writeS - (1152 * 64 * 4) / (16 * 256 * 200e6)) < 1e-15);
  // A 27-row first layer pays the ADCs for few rows: much more per MAC.
  const thin = imcMvm(c, { vectors: 10, red: 27, out: 64, groups: 1, stationary: 27 * 64 });
  assert.ok(thin.arrayJ / (10 * 27 * 64) > 10 * imcMacEnergy(c));
  // multi-level inputs: 5-b levels carry a 4-bit input in one slice
  const ml = imcConfig({
    ...preset('imc-radix4'),
    params: { ...preset('imc-radix4').params, 'compute.input_mode': 'multi_level' },
  });
  assert.equal(slices(ml), 1);
  assert.ok(imcMvm(ml, { vectors: 10, red: 1152, out: 64, groups: 1, stationary: 1 }).computeS < full.computeS);
});

test('energy.model per_mac: MACs x energy.imc_mac, independent of array fill', () => {
  const base = preset('imc-radix4');
  const c = imcConfig({ ...base, params: { ...base.params, 'energy.model': 'per_mac', 'energy.imc_mac': 3e-15 } });
  assert.equal(imcMacEnergy(c), 3e-15);
  const thin = imcMvm(c, { vectors: 10, red: 27, out: 64, groups: 1, stationary: 27 * 64 });
  assert.ok(Math.abs(thin.arrayJ - 10 * 27 * 64 * 3e-15) < 1e-24);
});

test('GEMM view of the three training MVMs of a conv: equal MACs, W / W^T / dy stationary', () => {
  const dims = { N: 2, C: 64, K: 128, H: 8, W: 8, P: 8, Q: 8, R: 3, S: 3, G: 1 };
  const macs = 2 * 128 * 64 * 9 * 64;
  const f = mvmShape('conv', dims, 'fwd', macs),
    d = mvmShape('conv', dims, 'bwd_data', macs),
    g = mvmShape('conv', dims, 'bwd_weight', macs);
  assert.deepEqual([f.red, f.out, f.vectors], [576, 128, 128]);
  assert.deepEqual([d.red, d.out, d.vectors], [1152, 64, 128]);
  assert.deepEqual([g.red, g.out, g.vectors], [128, 128, 576]); // dy (N*P*Q x K) stored, im2col columns of x applied
  for (const s of [f, d, g]) assert.equal(s.vectors * s.groups * s.red * s.out, macs);
});

test('GEMM view of linear and batched matmul: a batched product keeps one stationary operand per batch entry', () => {
  const lin = mvmShape('matmul', { M: 32, N: 10, K: 512 }, 'fwd', 32 * 10 * 512);
  assert.deepEqual([lin.red, lin.out, lin.groups, lin.vectors, lin.stationary], [512, 10, 1, 32, 5120]);
  const wg = mvmShape('matmul', { M: 32, N: 10, K: 512 }, 'bwd_weight', 32 * 10 * 512);
  assert.deepEqual([wg.red, wg.out, wg.vectors], [32, 10, 512]);
  const att = mvmShape('matmul', { B: 96, M: 128, N: 128, K: 64 }, 'fwd', 96 * 128 * 128 * 64);
  assert.deepEqual([att.groups, att.vectors, att.stationary], [96, 128, 96 * 64 * 128]);
});

test('depthwise convs pack block-diagonally: 64 groups of 9 rows x 4 columns share one 1152 x 256 array', () => {
  const c = imcConfig(preset('imc-radix4'));
  const dw = imcMvm(c, { vectors: 100, red: 9, out: 1, groups: 128, stationary: 128 * 9 });
  assert.equal(dw.arrayCycles, 100 * 4 * 2);
  const one = imcMvm(c, { vectors: 100, red: 9, out: 1, groups: 1, stationary: 9 });
  assert.ok(Math.abs(dw.arrayJ - 128 * one.arrayJ) < 1e-18, 'energy counts the used cells only');
});

test('Amdahl relation: 3 / (k/S + 3-k)', () => {
  assert.equal(amdahlSaving(400, 3), 400);
  assert.ok(Math.abs(amdahlSaving(400, 2) - 2.985) < 0.001);
  assert.equal(amdahlSaving(400, 0), 1);
});

test('engines: MVMs in-memory (or digital per mapping), element-wise and update digital; lanes and overhead', () => {
  const w = lower(vggCifar(8));
  const r = imcSim.simulate(w, preset('imc-radix4'), FULL);
  const conv = r.layers.find((l) => l.name === 'conv1')!;
  for (const p of conv.phases) assert.equal(p.engine, p.phase === 'update' ? 'digital' : 'in-memory', p.phase);
  assert.equal(r.layers.find((l) => l.name === 'relu1')!.phases[0].engine, 'digital');
  const two = imcSim.simulate(w, preset('imc-radix4-2level'), FULL);
  const conv2 = two.layers.find((l) => l.name === 'conv1')!;
  assert.equal(conv2.phases.find((p) => p.phase === 'bwd_weight')!.engine, 'digital');
  assert.equal(conv2.phases.find((p) => p.phase === 'fwd')!.engine, 'in-memory');
  const lanes = new Set(r.timeline.map((e) => e.lane));
  for (const l of ['in-memory', 'digital', 'dma', 'config']) assert.ok(lanes.has(l), l);
  // operand writes are exposed overhead: bwd_weight writes the output gradient every minibatch
  const wg = conv.phases.find((p) => p.phase === 'bwd_weight')!;
  assert.ok(wg.overheadS > 0 && wg.energy.control > 0);
  assert.ok(two.totals.timeS > r.totals.timeS, 'the digital weight-gradient MVM is slower');
});

test('bytes are rescaled to INT4 / radix-4 / FP16-accumulation formats whatever the network precision', () => {
  const w = lower(vggCifar(4));
  const c = imcConfig(preset('imc-radix4'));
  const fwd = w.layers[0].phases[0];
  // fp16 network: input 3x32x32x4, weight 128*27, output 128x32x32x4 -> at 0.5 B each
  assert.equal(imcBytes(w, c, fwd), (4 * 3 * 32 * 32 + 128 * 27 + 4 * 128 * 32 * 32) * 0.5);
});

// Reproduction ([I1]). Compared quantity: energy of the MVM engines over fwd + bwd_data + bwd_weight of one
// training step — IMC array energy (ADCs, drivers, cells) + operand writes, against the digital engine's
// MAC energy + stationary-operand fetch (energy.digital_mac + digital.weight_bytes_per_mac * energy.sram, the
// digital-baseline knobs). Activation I/O, element-wise layers and the update are the same on both and excluded.
// Network: CIFAR-10 VGG-style (the paper's networks were not retrieved), batch 64. All energies are ASM anchored
// to the 0.17 fJ per 1-b op of [I4]; the > 400x is therefore a consistency check of those knobs, while the ~3x of
// two-level adaptability follows from the structure (Amdahl) and holds for any large S.
test('training-MVM energy saving vs the digital engine: > 400x with all three MVMs in memory', () => {
  const w = lower(vggCifar(64));
  const e = trainingMvmEnergy(w, imcConfig(preset('imc-radix4')));
  assert.equal(e.onImc, 3);
  const S = e.digital / e.mapped;
  assert.ok(S > 400, `saving ${S.toFixed(0)}x`);
  assert.ok(S < 600, `saving ${S.toFixed(0)}x stays near the paper's figure`);
  const r = imcSim.simulate(w, preset('imc-radix4'), FULL);
  assert.match(r.notes[0], /3 of 3 MVMs in memory .* \d+x saving/);
});

test('two-level adaptability (bwd_weight digital): ~3x, as Amdahl predicts from the all-IMC saving', () => {
  const w = lower(vggCifar(64));
  const all = trainingMvmEnergy(w, imcConfig(preset('imc-radix4')));
  const two = trainingMvmEnergy(w, imcConfig(preset('imc-radix4-2level')));
  assert.equal(two.onImc, 2);
  const s2 = two.digital / two.mapped;
  assert.ok(s2 >= 2.85 && s2 <= 3.05, `saving ${s2.toFixed(3)}x`);
  // MAC counts of the three MVMs are equal except the first layer (no bwd_data): within 2% of the Amdahl value
  const amdahl = amdahlSaving(all.digital / all.mapped, 2);
  assert.ok(Math.abs(s2 / amdahl - 1) < 0.02, `${s2} vs Amdahl ${amdahl}`);
  // the digital-baseline knob moves S but hardly the two-level figure
  const cheap = imcConfig(preset('imc-radix4'));
  cheap.eDigitalMac = 0.2e-12;
  const sCheap = trainingMvmEnergy(w, cheap);
  assert.ok(sCheap.digital / sCheap.mapped < 400);
  assert.equal(digitalMvm(cheap, 1e6).energyJ, 1e6 * (0.2e-12 + 0.5 * 1.2e-12));
});

test('ImageNet ResNet-18 (thin first layer, 64-channel stages) lands below the CIFAR figure', () => {
  const e = trainingMvmEnergy(lower(resnet18(8, 'fp16')), imcConfig(preset('imc-radix4')));
  const S = e.digital / e.mapped;
  assert.ok(S > 300 && S < 430, `saving ${S.toFixed(0)}x`);
});
