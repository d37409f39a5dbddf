// GPU model figures against the H100 measurements (data/gpu-h100/measured.json, a copy of the shared reference data),
// the same ones
// test/unit/sim/gpu-accuracy.test.ts asserts: share of conv/linear/LSTM phase rows within 1.5x per precision and
// phase, median model/measured ratio, whole-iteration errors of AlexNet / VGG-16 / ResNet-50 (fp32, bf16), and how
// long the GPU model takes on ResNet-50 (median of 20 simulate() calls, one target, full detail); plus the
// depthwise/pointwise grid of data/gpu-h100/depthwise.json and MobileNet-V2's iterations (gpu-depthwise.test.ts).
import type { BenchRow } from './run';
import { readGpuParams } from '../server/src/kinds/gpu/read';
import { simulate } from '../server/src/sim/index';
import {
  depthwiseRatios,
  h100,
  median,
  mobilenetRuns,
  networkRuns,
  ratios,
  summarize,
  summarizeFamilies,
} from '../test/unit/sim/gpu-fixtures';
import { networkOf } from '../test/unit/examples/load';
import { crossValidate } from '../test/unit/sim/gpu-fit';
import { importOnnxFileSync } from '../server/src/onnx/index';
import { analyze } from '../server/src/spec/index';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_TRANSFORMERS } from '../test/shared-data';

export const name = 'gpu model vs H100 measurements';

export async function run(): Promise<BenchRow[]> {
  const t = h100();
  const rows: BenchRow[] = [];
  const rs = ratios(readGpuParams(t));
  for (const s of summarize(rs)) {
    const acceptance = s.phase === 'all';
    rows.push({
      metric: `in-sample ${s.precision} ${s.phase}: rows within 1.5x (${s.rows} rows)`,
      value: s.within15 * 100,
      unit: '%',
      ...(acceptance ? { goal: '>= 80%', ok: s.within15 >= 0.8 } : {}),
    });
    rows.push({ metric: `${s.precision} ${s.phase}: median model/measured`, value: s.medianRatio, unit: 'x' });
  }
  for (const r of networkRuns(t)) {
    rows.push({
      metric: `in-sample ${r.net} ${r.precision} iteration error (model ${r.modelMs.toFixed(2)} ms, measured ${r.measuredMs.toFixed(2)} ms)`,
      value: r.error * 100,
      unit: '%',
      goal: '|error| <= 10%',
      ok: Math.abs(r.error) <= 0.1,
    });
  }
  // data/gpu-h100/depthwise.json: depthwise (dw) and 1x1 pointwise (pw) conv phases; MobileNet-V2 iterations (a check)
  for (const s of summarizeFamilies(depthwiseRatios(readGpuParams(t)))) {
    rows.push({
      metric: `depthwise.json ${s.precision} ${s.phase}: rows within 1.5x (${s.rows} rows)`,
      value: s.within15 * 100,
      unit: '%',
    });
    rows.push({
      metric: `depthwise.json ${s.precision} ${s.phase}: median model/measured`,
      value: s.medianRatio,
      unit: 'x',
    });
  }
  for (const r of mobilenetRuns(t)) {
    rows.push({
      metric: `in-sample ${r.net} b64 ${r.precision} iteration error (model ${r.modelMs.toFixed(2)} ms, measured ${r.measuredMs.toFixed(2)} ms)`,
      value: r.error * 100,
      unit: '%',
      goal: '|error| <= 10%',
      ok: Math.abs(r.error) <= 0.1,
    });
  }
  // Leave-one-network-out cross-validation: both fitting stages redone without one network's rows and iterations,
  // then that network scored — the honest estimate of accuracy on a network the model was not fitted to.
  const folds = crossValidate(t);
  const cvRows = folds.flatMap((f) => f.ratios);
  for (const p of ['fp32', 'bf16']) {
    for (const ph of ['fwd', 'bwd_data', 'bwd_weight', 'all']) {
      const sel = cvRows.filter((r) => r.precision === p && (ph === 'all' || r.phase === ph));
      const within = sel.filter((r) => r.ratio <= 1.5 && r.ratio >= 1 / 1.5).length / sel.length;
      rows.push({
        metric: `cross-validated ${p} ${ph}: conv/linear rows within 1.5x (${sel.length} rows)`,
        value: within * 100,
        unit: '%',
        ...(ph === 'all' ? { goal: '>= 85%', ok: within >= 0.85 } : {}),
      });
    }
  }
  for (const f of folds.filter((x) => x.ratios.length))
    rows.push({
      metric: `cross-validated: held-out ${f.held} rows within 1.5x`,
      value: (f.ratios.filter((r) => r.ratio <= 1.5 && r.ratio >= 1 / 1.5).length / f.ratios.length) * 100,
      unit: '%',
    });
  const cvRuns = folds.flatMap((f) => f.runs);
  for (const r of cvRuns)
    rows.push({
      metric: `cross-validated ${r.net} ${r.precision} iteration error (model ${r.modelMs.toFixed(2)} ms, measured ${r.measuredMs.toFixed(2)} ms)`,
      value: r.error * 100,
      unit: '%',
    });
  const abs = cvRuns.map((r) => Math.abs(r.error));
  const mean = abs.reduce((a, b) => a + b, 0) / abs.length,
    worst = Math.max(...abs);
  rows.push({
    metric: 'cross-validated iterations: mean |error|',
    value: mean * 100,
    unit: '%',
    goal: '<= 10%',
    ok: mean <= 0.1,
  });
  rows.push({
    metric: 'cross-validated iterations: worst |error|',
    value: worst * 100,
    unit: '%',
    goal: '<= 15%',
    ok: worst <= 0.15,
  });
  // Transformers: BERT-base (batch 32, sequence 128, AdamW) from the corpus' plain-PyTorch BERT against
  // data/gpu-h100/transformers.json (Hugging Face BertModel, measured; never fitted). The training-mode export, as
  // the measured model ran: its 37 dropouts (embeddings, attention probabilities, two per layer) are kernels too.
  const unseen = [...abs];
  const tj = JSON.parse(readFileSync(SHARED_TRANSFORMERS, 'utf8')) as {
    networks: { net: string; batch: number; precision: 'fp32' | 'bf16'; iter_ms: number; seq: number }[];
  };
  for (const m of tj.networks) {
    const imp = importOnnxFileSync(join(__dirname, '..', 'test', 'corpus', 'onnx', 'bert_base.op17-train.onnx'), {
      batch: m.batch,
      precision: m.precision,
      optimizer: { type: 'adamw', lr: 1e-4, weight_decay: 0.01 },
    });
    const bert = analyze('file:///bert.net.yaml', imp.yaml).network!;
    const ms = simulate(bert, [t]).targets[0].totals.timeS * 1e3;
    rows.push({
      metric: `bert_base b${m.batch} s${m.seq} ${m.precision} iteration error (model ${ms.toFixed(2)} ms, measured ${m.iter_ms.toFixed(2)} ms)`,
      value: (ms / m.iter_ms - 1) * 100,
      unit: '%',
      goal: '|error| <= 15%',
      ok: Math.abs(ms / m.iter_ms - 1) <= 0.15,
    });
    unseen.push(Math.abs(ms / m.iter_ms - 1));
  }
  // Every iteration the model was not fitted to: the cross-validated CNN folds and BERT (never fitted).
  const uMean = unseen.reduce((a, b) => a + b, 0) / unseen.length,
    uWorst = Math.max(...unseen);
  rows.push({
    metric: `unseen iterations (CV folds + BERT, ${unseen.length}): mean |error|`,
    value: uMean * 100,
    unit: '%',
    goal: '<= 10%',
    ok: uMean <= 0.1,
  });
  rows.push({
    metric: `unseen iterations (CV folds + BERT, ${unseen.length}): worst |error|`,
    value: uWorst * 100,
    unit: '%',
    goal: '<= 15%',
    ok: uWorst <= 0.15,
  });
  const net = networkOf('resnet50.net.yaml');
  simulate(net, [t]);
  const ms = median(
    Array.from({ length: 20 }, () => {
      const a = performance.now();
      simulate(net, [t]);
      return performance.now() - a;
    }),
  );
  rows.push({
    metric: 'simulate(resnet50, [h100-sxm]) full detail',
    value: ms,
    unit: 'ms',
    goal: '< 50 ms',
    ok: ms < 50,
  });
  return rows;
}
