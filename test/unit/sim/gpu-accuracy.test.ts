// Acceptance of the GPU model against measurements on an H100 SXM (data/gpu-h100/measured.json):
// - per-layer phase times (fwd, bwd_data, bwd_weight; LSTM rows fwd and fwd+bwd) of the h100-sxm preset within a
//   factor 1.5 of the measurement for >= 80% of the rows of EACH precision (fp32 strict, bf16);
// - whole training iterations (AlexNet b128, VGG-16 b32, ResNet-50 b32; fp32 and bf16 autocast) within 10%.
// The figures are printed (and kept by bench/gpu.bench.ts). The knobs were fitted once by scripts/fit-gpu.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGpuParams } from '../../../server/src/kinds/gpu/read';
import { h100, measured, median, networkRuns, ratios, summarize } from './gpu-fixtures';

const g = readGpuParams(h100());
const rs = ratios(g);
const within = (r: { ratio: number }) => r.ratio <= 1.5 && r.ratio >= 1 / 1.5;

test('every measured row is modelled (288 conv/linear row-phases + 8 LSTM row-phases)', () => {
  const rows = measured().layers;
  const expected = rows.reduce((a, r) => a + (r.kind === 'lstm' ? 2 : 3), 0);
  assert.equal(rs.length, expected);
  assert.ok(
    rs.every((r) => Number.isFinite(r.ratio) && r.ratio > 0),
    'finite positive ratios',
  );
});

for (const p of ['fp32', 'bf16']) {
  test(`${p}: >= 80% of the phase times within 1.5x of the H100 measurement`, () => {
    const sel = rs.filter((r) => r.precision === p);
    const share = sel.filter(within).length / sel.length;
    for (const s of summarize(rs).filter((x) => x.precision === p)) {
      console.log(
        `  ${p} ${s.phase.padEnd(10)} ${String(s.rows).padStart(3)} rows  within 1.5x ${(s.within15 * 100).toFixed(0)}%  median model/measured ${s.medianRatio.toFixed(2)}`,
      );
    }
    const lstm = sel.filter((r) => r.label.startsWith('lstm'));
    console.log(`  ${p} lstm: ${lstm.map((r) => `${r.phase} ${r.ratio.toFixed(2)}`).join(', ')}`);
    console.log(`  ${p} all (incl. LSTM): ${sel.length} rows, within 1.5x ${(share * 100).toFixed(1)}%`);
    assert.ok(share >= 0.8, `${p}: only ${(share * 100).toFixed(1)}% within 1.5x`);
  });

  test(`${p}: no phase is biased (median ratio per phase within 0.8..1.25) and every phase keeps >= 75% within 1.5x`, () => {
    for (const s of summarize(rs).filter((x) => x.precision === p)) {
      assert.ok(
        s.medianRatio > 0.8 && s.medianRatio < 1.25,
        `${p} ${s.phase}: median ratio ${s.medianRatio.toFixed(2)}`,
      );
      assert.ok(s.within15 >= 0.75, `${p} ${s.phase}: ${(s.within15 * 100).toFixed(0)}% within 1.5x`);
    }
  });
}

test('LSTM rows (per-step kernels, launch-bound) within 1.6x', () => {
  const l = rs.filter((r) => r.label.startsWith('lstm'));
  assert.equal(l.length, 8);
  for (const r of l)
    assert.ok(r.ratio > 1 / 1.6 && r.ratio < 1.6, `${r.precision} ${r.phase} ${r.label}: ${r.ratio.toFixed(2)}`);
});

test('whole training iterations within 10% (AlexNet, VGG-16, ResNet-50; fp32 and bf16)', () => {
  const runs = networkRuns(h100());
  assert.equal(runs.length, 6);
  for (const r of runs) {
    console.log(
      `  ${r.net.padEnd(9)} ${r.precision}  model ${r.modelMs.toFixed(2).padStart(6)} ms  measured ${r.measuredMs.toFixed(2).padStart(6)} ms  error ${(r.error * 100).toFixed(1).padStart(6)}%  exposed host ${r.exposedHostMs.toFixed(2)} ms`,
    );
  }
  for (const r of runs) assert.ok(Math.abs(r.error) <= 0.1, `${r.net} ${r.precision}: ${(r.error * 100).toFixed(1)}%`);
  const errs = runs.map((r) => Math.abs(r.error));
  console.log(`  median |error| ${(median(errs) * 100).toFixed(1)}%`);
});

test('the measured speed-ups of bf16 over fp32 are reproduced within 25%', () => {
  const runs = networkRuns(h100());
  for (const net of ['alexnet', 'vgg16', 'resnet50']) {
    const f = runs.find((r) => r.net === net && r.precision === 'fp32')!,
      b = runs.find((r) => r.net === net && r.precision === 'bf16')!;
    const model = f.modelMs / b.modelMs,
      meas = f.measuredMs / b.measuredMs;
    assert.ok(
      Math.abs(model / meas - 1) <= 0.25,
      `${net}: model speed-up ${model.toFixed(2)} vs measured ${meas.toFixed(2)}`,
    );
  }
});

test('BERT-base training iterations (never fitted: data/gpu-h100/transformers.json) within 15%, from the training-mode export with its dropouts', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { importOnnxFileSync } = await import('../../../server/src/onnx/index');
  const { analyze } = await import('../../../server/src/spec/index');
  const { simulate } = await import('../../../server/src/sim/index');
  const { SHARED_TRANSFORMERS } = await import('../../shared-data');
  const tj = JSON.parse(readFileSync(SHARED_TRANSFORMERS, 'utf8')) as {
    networks: { batch: number; precision: 'fp32' | 'bf16'; iter_ms: number }[];
  };
  assert.equal(tj.networks.length, 2);
  for (const m of tj.networks) {
    const imp = importOnnxFileSync(join(__dirname, '..', '..', 'corpus', 'onnx', 'bert_base.op17-train.onnx'), {
      batch: m.batch,
      precision: m.precision,
      optimizer: { type: 'adamw', lr: 1e-4, weight_decay: 0.01 },
    });
    const net = analyze('file:///bert.net.yaml', imp.yaml).network!;
    assert.equal(net.layers.filter((l) => l.type === 'dropout').length, 37, 'embeddings + 3 per layer');
    const ms = simulate(net, [h100()]).targets[0].totals.timeS * 1e3;
    console.log(
      `  bert_base b${m.batch} ${m.precision}: model ${ms.toFixed(2)} ms, measured ${m.iter_ms.toFixed(2)} ms, error ${((ms / m.iter_ms - 1) * 100).toFixed(1)}%`,
    );
    assert.ok(
      Math.abs(ms / m.iter_ms - 1) <= 0.15,
      `${m.precision}: ${ms.toFixed(2)} ms vs ${m.iter_ms.toFixed(2)} ms`,
    );
  }
});
