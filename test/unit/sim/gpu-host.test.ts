// The GPU model's host side and the kernel choices added for generalization (issue 8): framework work per operator
// and per autograd node, autocast casts as operators, PyTorch's batch-norm backend choice, the GEMM + col2im
// backward-data algorithm and Winograd as separate transform kernels. Each test fails when its rule is removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/spec/index';
import type { TargetModel } from '../../../server/src/spec/types';
import { lower } from '../../../server/src/sim/lower';
import { simulate } from '../../../server/src/sim/index';
import { phaseKernels } from '../../../server/src/kinds/gpu/model';
import { convPhase } from '../../../server/src/kinds/gpu/kernels';
import { readGpuParams } from '../../../server/src/kinds/gpu/read';
import { h100, measured, rowTimeS } from './gpu-fixtures';

const h = h100();
const withParams = (t: TargetModel, p: Record<string, number>): TargetModel => ({
  ...t,
  params: { ...t.params, ...p },
});

// Tiny tensors: every kernel is far shorter than its launch, so the step is host-bound and its time is host time.
const TINY = (precision: string) => `kind: network
name: tiny
batch_size: 1
precision: ${precision}
input_shape: [8, 4, 4]
layers:
  - {name: conv, type: conv2d, out_channels: 8, kernel_size: 3, padding: 1, bias: false}
  - {name: flat, type: flatten}
  - {name: fc, type: linear, out_features: 4, bias: false}
`;

function stepS(precision: string, p: Record<string, number>): number {
  const net = analyze('file:///tiny.net.yaml', TINY(precision)).network!;
  const quiet = { 'control.simt_kernel_fixed': 0, 'control.layout_kernel_fixed': 0, 'control.kernel_gap': 0 };
  return simulate(net, [withParams(h, { ...quiet, ...p })]).targets[0].totals.timeS;
}

test("framework work: one operator per layer forward (a view included), one autograd node per layer backward (a conv's two gradients are one node)", () => {
  // fp32: 3 forward operators (conv, flatten, fc) + 3 backward nodes (conv: weight gradient only — its input needs
  // none; flatten; fc: input and weight gradients in one node) = 6 framework overheads.
  const base = { 'control.framework_overhead': 0 };
  const d = stepS('fp32', { 'control.framework_overhead': 100e-6 }) - stepS('fp32', base);
  assert.ok(Math.abs(d - 6 * 100e-6) < 1e-9, `framework time ${(d * 1e6).toFixed(1)} us, expected 600 us`);
});

test('autocast casts are operators of their own: each costs a framework overhead besides its launch', () => {
  const net = analyze('file:///tiny.net.yaml', TINY('bf16')).network!;
  const w = lower(net);
  const g = readGpuParams(h);
  let casts = 0;
  for (const l of w.layers)
    for (const pw of l.phases) casts += phaseKernels(g, w, l, pw).filter((k) => /cast/.test(k.label)).length;
  // conv: input cast (fp32 network input -> bf16), weight cast, weight-grad cast; fc: weight cast, weight-grad cast.
  assert.equal(casts, 5);
  const d =
    stepS('bf16', { 'control.framework_overhead': 100e-6 }) - stepS('bf16', { 'control.framework_overhead': 0 });
  assert.ok(
    Math.abs(d - (6 + casts) * 100e-6) < 1e-9,
    `framework time ${(d * 1e6).toFixed(1)} us, expected ${(6 + casts) * 100} us`,
  );
});

test("batch norm in bf16 takes PyTorch's native kernel (cuDNN excludes bfloat16), in fp16 autocast cuDNN's: same bytes, 1/norm_low_precision the time", () => {
  const NET = (p: string) =>
    `kind: network\nname: bn\nbatch_size: 32\nprecision: ${p}\ninput_shape: [64, 56, 56]\nlayers:\n  - {name: conv, type: conv2d, out_channels: 64, kernel_size: 1, bias: false}\n  - {name: bn, type: batchnorm}\n`;
  const g = readGpuParams(h);
  const time = (p: string) => {
    const w = lower(analyze('file:///bn.net.yaml', NET(p)).network!);
    const bn = w.layers[1];
    return phaseKernels(
      g,
      w,
      bn,
      bn.phases.find((x) => x.phase === 'fwd')!,
    )
      .filter((k) => k.label.startsWith('batchnorm'))
      .reduce((a, k) => a + k.gpuS, 0);
  };
  const ratio = time('bf16') / time('fp16');
  assert.ok(Math.abs(ratio - 1 / g.eff.normLowPrecision) < 1e-6, `bf16 / fp16 batch-norm time ${ratio.toFixed(3)}`);
});

// Its GEMM reduces over only Kg = 64 channels (4 k-steps), so it pays the CUDA-core tile fill
// (compute.tile_fill_ksteps) on every tile: ~2x of measured since the fill was added (1.57x before; cuDNN's fused
// atomic-add variant, ALGO_0, is not modelled). Still a known miss, listed in the notes; the bound guards against the
// ~6x of the implicit dgrad.
test("an RGB first layer's backward-data runs as GEMM + col2im: AlexNet conv1 (C 3, 11x11/4) within 2.1x of its measured time (implicit dgrad padding 3 channels to a tile was ~6x slow)", () => {
  const g = readGpuParams(h);
  for (const p of ['fp32', 'bf16']) {
    const r = measured().layers.find((x) => x.kind === 'conv' && x.C === 3 && x.R === 11 && x.precision === p);
    assert.ok(r && r.kind === 'conv');
    const ratio = rowTimeS(g, r, 'bwd_data') / (r.bwd_data_ms * 1e-3);
    assert.ok(ratio < 2.1 && ratio > 1 / 2.1, `${p}: model / measured ${ratio.toFixed(2)}`);
    const d = {
      N: r.N,
      C: r.C,
      K: r.K,
      H: r.H,
      W: r.W,
      P: r.out[2],
      Q: r.out[3],
      R: r.R,
      S: r.S,
      Hstride: 4,
      Wstride: 4,
      G: 1,
    };
    assert.match(convPhase(g, d, 'bwd_data', p as 'fp32').at(-1)!.label, /col2im/);
  }
});

test('Winograd runs as three transform kernels and a batched GEMM whose times add; the transforms stream at fast_conv_transform', () => {
  const d = { N: 32, C: 256, K: 256, H: 28, W: 28, P: 28, Q: 28, R: 3, S: 3, Hstride: 1, Wstride: 1, G: 1 };
  const g = readGpuParams(h);
  const [k] = convPhase(g, d, 'bwd_data', 'fp32');
  assert.match(k.label, /^winograd F\(4,3\) \(3 transforms \+ /);
  assert.equal(k.kernels, 4);
  const slow = readGpuParams(withParams(h, { 'efficiency.fast_conv_transform': g.eff.fastConvTransform / 2 }));
  const [k2] = convPhase(slow, d, 'bwd_data', 'fp32');
  // Halving the transforms' bandwidth adds exactly their time once more: transforms = x + dy + w + their transforms.
  const tiles = 32 * 7 * 7,
    alpha = 36;
  const bytes = 4 * (2 * 32 * 256 * 28 * 28 + 256 * 256 * 9) + 4 * alpha * (tiles * 256 * 2 + 256 * 256);
  const transformS = bytes / (g.hbmBw * g.eff.eltwise * g.eff.fastConvTransform);
  assert.ok(Math.abs(k2.gpuS - k.gpuS - transformS) < 1e-12, `${k2.gpuS - k.gpuS} vs ${transformS}`);
});
