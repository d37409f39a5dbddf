// Fits the GPU model's calibration knobs ONCE on all conv/linear rows of ../shared/data/gpu-h100/measured.json
// (fp32 strict and bf16, phases fwd / bwd_data / bwd_weight) and prints them, for copying into
// server/src/kinds/gpu/params.ts (defaults of the 'gpu' kind, tagged ASM) and test/unit/sim/gpu-fixtures.ts
// (HARNESS_S).
//   npx tsx scripts/fit-gpu.ts            fit, print the knobs and the accuracy summary
//   npx tsx scripts/fit-gpu.ts --check    only print the summary for the current preset values
//   npx tsx scripts/fit-gpu.ts --cv       leave-one-network-out: refit both stages without one network's rows and
//                                         iterations (alexnet, vgg16, resnet50, extra) and score that network
// The method (stage 1: Huber loss in log space with a weak prior per knob, Nelder-Mead; stage 2: framework
// overhead and kernel gap on the whole iterations) is in test/unit/sim/gpu-fit.ts, shared with npm run bench.
import type { TargetModel } from '../server/src/spec/types';
import { readGpuParams } from '../server/src/kinds/gpu/read';
import {
  depthwiseData,
  HARNESS_S,
  h100,
  measured,
  networkRuns,
  ratios,
  summarize,
} from '../test/unit/sim/gpu-fixtures';
import {
  crossValidate,
  currentKnobs,
  fitRows,
  fitStage1,
  fitStage2,
  KNOBS,
  loss,
  withKnobs,
} from '../test/unit/sim/gpu-fit';

function report(t: TargetModel, harness: number): void {
  for (const s of summarize(ratios(readGpuParams(t), harness))) {
    console.log(
      `  ${s.precision} ${s.phase.padEnd(10)} rows ${String(s.rows).padStart(3)}  within 1.5x ${(s.within15 * 100).toFixed(0).padStart(3)}%  median ratio ${s.medianRatio.toFixed(2)}`,
    );
  }
}
function networks(t: TargetModel): void {
  for (const r of networkRuns(t))
    console.log(
      `  ${r.net.padEnd(9)} ${r.precision}  model ${r.modelMs.toFixed(2).padStart(6)} ms  measured ${r.measuredMs.toFixed(2).padStart(6)} ms  error ${(r.error * 100).toFixed(1).padStart(6)}%`,
    );
}

const base = h100();
if (process.argv.includes('--cv')) {
  for (const f of crossValidate(base)) {
    for (const p of ['fp32', 'bf16']) {
      const rs = f.ratios.filter((x) => x.precision === p);
      const share = rs.filter((x) => x.ratio <= 1.5 && x.ratio >= 1 / 1.5).length / rs.length;
      console.log(
        `  held out ${f.held.padEnd(9)} ${p}: ${rs.length} row-phases, within 1.5x ${(share * 100).toFixed(0)}%`,
      );
    }
    for (const r of f.runs)
      console.log(
        `    ${r.net} ${r.precision} iteration: model ${r.modelMs.toFixed(2)} ms, measured ${r.measuredMs.toFixed(2)} ms, error ${(r.error * 100).toFixed(1)}%`,
      );
  }
} else if (process.argv.includes('--check')) {
  console.log(`loss ${loss(base, currentKnobs(base), fitRows()).toFixed(3)}`);
  report(base, HARNESS_S);
  networks(base);
} else {
  const { vals, loss: fx } = fitStage1(base, fitRows(), currentKnobs(base));
  console.log(`loss ${fx.toFixed(3)}`);
  KNOBS.forEach((k, i) => console.log(`  ${k.path.padEnd(36)} ${vals[i].toPrecision(3)}`));
  const { t, harness } = withKnobs(base, vals);
  report(t, harness);
  const t2 = fitStage2(t, [...measured().networks, ...depthwiseData().networks]);
  console.log(
    `  control.framework_overhead           ${Number(t2.params['control.framework_overhead']).toPrecision(3)}`,
  );
  console.log(`  control.kernel_gap                   ${Number(t2.params['control.kernel_gap']).toPrecision(3)}`);
  networks(t2);
}
