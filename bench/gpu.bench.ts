// GPU model figures against the H100 measurements (/work/shared/data/gpu-h100/measured.json), the same ones
// test/unit/sim/gpu-accuracy.test.ts asserts: share of conv/linear/LSTM phase rows within 1.5x per precision and
// phase, median model/measured ratio, whole-iteration errors of AlexNet / VGG-16 / ResNet-50 (fp32, bf16), and how
// long the GPU model takes on ResNet-50 (median of 20 simulate() calls, one target, full detail); plus the
// depthwise/pointwise grid of data/gpu-h100/depthwise.json and MobileNet-V2's iterations (gpu-depthwise.test.ts).
import type { BenchRow } from './run';
import { readGpuParams } from '../server/src/sim/targets/gpu-params';
import { simulate } from '../server/src/sim/index';
import { depthwiseRatios, h100, median, mobilenetRuns, networkRuns, ratios, summarize, summarizeFamilies } from '../test/unit/sim/gpu-fixtures';
import { networkOf } from '../test/unit/examples/load';

export const name = 'gpu model vs H100 measurements';

export async function run(): Promise<BenchRow[]> {
  const t = h100();
  const rows: BenchRow[] = [];
  const rs = ratios(readGpuParams(t));
  for (const s of summarize(rs)) {
    const acceptance = s.phase === 'all';
    rows.push({ metric: `${s.precision} ${s.phase}: rows within 1.5x (${s.rows} rows)`, value: s.within15 * 100, unit: '%', ...(acceptance ? { goal: '>= 80%', ok: s.within15 >= 0.8 } : {}) });
    rows.push({ metric: `${s.precision} ${s.phase}: median model/measured`, value: s.medianRatio, unit: 'x' });
  }
  for (const r of networkRuns(t)) {
    rows.push({ metric: `${r.net} ${r.precision} iteration error (model ${r.modelMs.toFixed(2)} ms, measured ${r.measuredMs.toFixed(2)} ms)`, value: r.error * 100, unit: '%', goal: '|error| <= 25%', ok: Math.abs(r.error) <= 0.25 });
  }
  // data/gpu-h100/depthwise.json: depthwise (dw) and 1x1 pointwise (pw) conv phases; MobileNet-V2 iterations (a check)
  for (const s of summarizeFamilies(depthwiseRatios(readGpuParams(t)))) {
    rows.push({ metric: `depthwise.json ${s.precision} ${s.phase}: rows within 1.5x (${s.rows} rows)`, value: s.within15 * 100, unit: '%' });
    rows.push({ metric: `depthwise.json ${s.precision} ${s.phase}: median model/measured`, value: s.medianRatio, unit: 'x' });
  }
  for (const r of mobilenetRuns(t)) {
    rows.push({ metric: `${r.net} b64 ${r.precision} iteration error (model ${r.modelMs.toFixed(2)} ms, measured ${r.measuredMs.toFixed(2)} ms)`, value: r.error * 100, unit: '%', goal: '|error| <= 25%', ok: Math.abs(r.error) <= 0.25 });
  }
  const net = networkOf('resnet50.net.yaml');
  simulate(net, [t]);
  const ms = median(Array.from({ length: 20 }, () => { const a = performance.now(); simulate(net, [t]); return performance.now() - a; }));
  rows.push({ metric: 'simulate(resnet50, [h100-sxm]) full detail', value: ms, unit: 'ms', goal: '< 50 ms', ok: ms < 50 });
  return rows;
}
