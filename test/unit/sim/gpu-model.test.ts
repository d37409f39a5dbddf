// Unit tests of the GPU kernel physics (server/src/kinds/gpu/kernels.ts): each efficiency effect moves the
// time the way the formula says, and the h100-sxm preset reproduces the measured ceilings it was built from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGpuParams } from '../../../server/src/kinds/gpu/read';
import {
  batchNorm,
  convPhase,
  eltwise,
  gemm,
  optimizerStep,
  poolForward,
  rnnPhase,
  scatter,
  tileCandidates,
  type ConvDims,
  type KernelGroup,
} from '../../../server/src/kinds/gpu/kernels';
import { isolatedTime, TwoLane } from '../../../server/src/kinds/gpu/schedule';
import { resolveTargets } from '../../../server/src/spec/index';
import { KINDS } from '../../../server/src/kinds/params';
import { HARNESS_S, h100, measured } from './gpu-fixtures';

const t = h100();
const g = readGpuParams(t);
const conv = (o: Partial<ConvDims>): ConvDims => {
  const d = { N: 32, C: 256, K: 256, H: 56, W: 56, R: 3, S: 3, Hstride: 1, Wstride: 1, G: 1, P: 0, Q: 0, ...o };
  const pad = Math.floor(d.R / 2);
  d.P = o.P ?? Math.floor((d.H + 2 * pad - d.R) / d.Hstride) + 1;
  d.Q = o.Q ?? Math.floor((d.W + 2 * pad - d.S) / d.Wstride) + 1;
  return d;
};
const total = (ks: { gpuS: number }[]) => ks.reduce((a, k) => a + k.gpuS, 0);

test('h100-sxm preset: peaks and copy bandwidth are the measured ones (measured.json)', () => {
  const pk = measured().peaks;
  const near = (a: number, b: number) => Math.abs(a / b - 1) < 0.005;
  assert.ok(near(g.peak.fp32, pk.fp32_strict_tflops * 1e12), `fp32 ${g.peak.fp32}`);
  assert.ok(near(g.peak.tf32, pk.tf32_tflops * 1e12), `tf32 ${g.peak.tf32}`);
  assert.ok(near(g.peak.bf16, pk.bf16_tflops * 1e12), `bf16 ${g.peak.bf16}`);
  assert.ok(near(g.peak.fp16, g.peak.bf16), 'fp16 = bf16 (ASM)');
  assert.ok(near(g.hbmBw, pk.copy_rw_TBps * 1e12), `hbm ${g.hbmBw}`);
  assert.equal(g.sms, measured().sm_count);
});

// The measured peak is itself an 8192^3 GEMM rate; the model adds wave quantization (4096 tiles on 132 SMs = 31.03
// waves) and the unhidden share of L2 traffic on top, so it lands a few percent under it.
test('the 8192^3 peak matmul reproduces the measured peak within 10% (fp32 and bf16)', () => {
  for (const [p, peak] of [
    ['fp32', 51.6e12],
    ['bf16', 770e12],
  ] as const) {
    const k = gemm(g, { M: 8192, N: 8192, K: 8192 }, p, { splitK: true });
    const rate = (2 * 8192 ** 3) / k.gpuS;
    assert.ok(Math.abs(rate / peak - 1) < 0.1, `${p}: ${(rate / 1e12).toFixed(1)} TFLOP/s`);
  }
});

test('a 1 GiB device copy runs at the measured copy bandwidth within 5%', () => {
  const bytes = 2 * 2 ** 30;
  const k = eltwise(g, 'copy', bytes, 0);
  assert.ok(Math.abs(bytes / k.gpuS / 2.96e12 - 1) < 0.05, `${(bytes / k.gpuS / 1e12).toFixed(2)} TB/s`);
});

test('tile candidates: powers of two from min_tile up to the largest tile, none larger in area', () => {
  const c = tileCandidates([128, 256], 16);
  assert.ok(c.some(([m, n]) => m === 128 && n === 256) && c.some(([m, n]) => m === 256 && n === 128));
  assert.ok(c.every(([m, n]) => m >= 16 && n >= 16 && m * n <= 128 * 256));
  assert.ok(!c.some(([m, n]) => m === 256 && n === 256));
});

// With the library's choice of tile restricted to 128x128, the quantization effects show undiluted.
const one = { ...g, minTile: 128, simtMinTile: 128, tensorTile: [128, 128] as [number, number] };

test('tile quantization: one row past a tile multiple adds a row of tiles (here a second wave)', () => {
  const a = gemm(one, { M: 128, N: 128 * 132, K: 4096 }, 'bf16', { splitK: false });
  const b = gemm(one, { M: 129, N: 128 * 132, K: 4096 }, 'bf16', { splitK: false });
  assert.ok(b.computeS / a.computeS > 1.9, `ratio ${(b.computeS / a.computeS).toFixed(2)}`);
});

test('k-step quantization: a reduction one past the k-tile (64 bf16 elements) costs two k-steps', () => {
  const a = gemm(one, { M: 128 * 132, N: 128, K: 64 }, 'bf16', { splitK: false });
  const b = gemm(one, { M: 128 * 132, N: 128, K: 65 }, 'bf16', { splitK: false });
  assert.ok(Math.abs(b.computeS / a.computeS - 2) < 0.01);
});

test('tile fill: a CUDA-core tile pays compute.tile_fill_ksteps k-steps beyond its reduction; tensor-core tiles do not', () => {
  const shape = { M: 128 * 132, N: 128, K: 64 }; // one wave of 128x128 tiles, 4 k-steps of 16
  const fp = gemm(one, shape, 'fp32', { splitK: false });
  const none = gemm({ ...one, tileFill: 0 }, shape, 'fp32', { splitK: false });
  const want = (4 + g.tileFill) / 4;
  assert.ok(Math.abs(fp.computeS / none.computeS - want) < 1e-9, `${fp.computeS / none.computeS} vs ${want}`);
  const bf = gemm(one, shape, 'bf16', { splitK: false });
  assert.equal(bf.computeS, gemm({ ...one, tileFill: 0 }, shape, 'bf16', { splitK: false }).computeS);
});

test('tile fill matches the measured cost of a short reduction: ResNet-50 1x1 C256->K64 backward-data (K = 64) is slower than C64->K256 (K = 256) at equal FLOPs', () => {
  const rows = measured().layers.filter(
    (r) => r.kind === 'conv' && r.precision === 'fp32' && r.R === 1 && r.H === 56 && r.stride[0] === 1,
  );
  const row = (c: number, k: number) => {
    const r = rows.find((x) => x.kind === 'conv' && x.C === c && x.K === k);
    assert.ok(r && r.kind === 'conv');
    return r;
  };
  const short = row(256, 64),
    long = row(64, 256);
  const measuredRatio = short.bwd_data_ms / long.bwd_data_ms; // 257 us / 171 us
  const t = (r: typeof short, gg: typeof g) =>
    total(convPhase(gg, conv({ N: r.N, C: r.C, K: r.K, H: r.H, W: r.W, R: 1, S: 1 }), 'bwd_data', 'fp32'));
  const modelRatio = t(short, g) / t(long, g);
  const noFill = { ...g, tileFill: 0 };
  assert.ok(measuredRatio > 1.3, `measured ${measuredRatio}`);
  assert.ok(modelRatio > 1.15, `with the fill the short reduction is slower: ${modelRatio.toFixed(2)}`);
  assert.ok(Math.abs(t(short, noFill) / t(long, noFill) - 1) < 0.05, 'without it the two cost the same');
});

test('CUDA-core kernels tile at least simt_min_tile (32): a warp with register-blocked thread tiles', () => {
  const k = gemm(g, { M: 16, N: 16, K: 4096 }, 'fp32', { splitK: false });
  assert.match(k.label, /^gemm 32x32/);
  assert.equal(k.execFlops, 2 * 32 * 32 * 4096);
  assert.match(gemm(g, { M: 16, N: 16, K: 4096 }, 'bf16', { splitK: false }).label, /^gemm 16x16/);
});

test('wave quantization: 133 full tiles take about twice as long as 132 on 132 SMs', () => {
  const a = gemm(one, { M: 128 * 132, N: 128, K: 8192 }, 'bf16', { splitK: false });
  const b = gemm(one, { M: 128 * 133, N: 128, K: 8192 }, 'bf16', { splitK: false });
  assert.ok(
    b.computeS / a.computeS > 1.9 && b.computeS / a.computeS < 2.1,
    `ratio ${(b.computeS / a.computeS).toFixed(2)}`,
  );
});

test('split-K: a long reduction with few output tiles is split and gets faster', () => {
  const s = gemm(one, { M: 512, N: 512, K: 65536 }, 'bf16', { splitK: true });
  const n = gemm(one, { M: 512, N: 512, K: 65536 }, 'bf16', { splitK: false });
  assert.match(s.label, /split-k 8/);
  assert.ok(s.gpuS < n.gpuS / 3, `split ${s.gpuS} vs not ${n.gpuS}`);
  const lib = gemm(g, { M: 512, N: 512, K: 65536 }, 'fp32', { splitK: false });
  assert.ok(
    lib.gpuS < gemm(one, { M: 512, N: 512, K: 65536 }, 'fp32', { splitK: false }).gpuS,
    'without split-K the library falls back to smaller tiles',
  );
});

test('small layers are launch-bound: an isolated tiny GEMM costs about one launch', () => {
  const k = gemm(g, { M: 16, N: 16, K: 16 }, 'bf16', { splitK: true });
  const tIso = isolatedTime([k], g.launch);
  assert.ok(tIso >= g.launch && tIso < g.launch + 5e-6, `${tIso}`);
  const s = new TwoLane(g.launch);
  for (let i = 0; i < 100; i++) s.run(k);
  assert.ok(Math.abs(s.frontier / (100 * g.launch) - 1) < 0.05, '100 tiny kernels take 100 launches');
});

test('two-lane schedule: big kernels hide the launches of the next ones', () => {
  const big = gemm(g, { M: 8192, N: 8192, K: 8192 }, 'bf16', { splitK: false });
  const s = new TwoLane(g.launch);
  for (let i = 0; i < 10; i++) s.run(big);
  assert.ok(Math.abs(s.frontier - (g.launch + 10 * big.gpuS)) < 1e-9);
});

test('channels not a multiple of 8 fall back to the CUDA-core path: bf16 = fp32 time for an RGB first layer', () => {
  const d = conv({ N: 128, C: 3, K: 64, H: 224, W: 224, R: 11, S: 11, Hstride: 4, Wstride: 4, P: 55, Q: 55 });
  const b = total(convPhase(g, d, 'fwd', 'bf16')),
    f = total(convPhase(g, d, 'fwd', 'fp32'));
  assert.ok(b / f > 0.7 && b / f < 1.1, `bf16 ${b} vs fp32 ${f}`);
  const aligned =
    total(convPhase(g, conv({ C: 64, K: 64 }), 'fwd', 'bf16')) /
    total(convPhase(g, conv({ C: 64, K: 64 }), 'fwd', 'fp32'));
  assert.ok(aligned < 0.5, `aligned channels are tensor-core fast: ${aligned}`);
});

test('layout transforms only around strided tensor-core convolutions', () => {
  assert.ok(convPhase(g, conv({ Hstride: 2, Wstride: 2 }), 'fwd', 'bf16').some((k) => k.label.startsWith('layout')));
  assert.ok(!convPhase(g, conv({}), 'fwd', 'bf16').some((k) => k.label.startsWith('layout')));
  assert.ok(!convPhase(g, conv({ Hstride: 2, Wstride: 2 }), 'fwd', 'fp32').some((k) => k.label.startsWith('layout')));
});

test('fast fp32 convolutions: Winograd for 3x3 stride 1 when it wins, never on tensor cores or strided', () => {
  const wgrad = convPhase(g, conv({ C: 512, K: 512, H: 28, W: 28 }), 'bwd_weight', 'fp32');
  assert.match(wgrad.at(-1)!.label, /winograd/);
  assert.ok(
    !convPhase(g, conv({ C: 512, K: 512, H: 28, W: 28 }), 'bwd_weight', 'bf16').some((k) =>
      /winograd|fft/.test(k.label),
    ),
  );
  assert.ok(
    !convPhase(g, conv({ Hstride: 2, Wstride: 2 }), 'bwd_weight', 'fp32').some((k) => /winograd|fft/.test(k.label)),
  );
  const fft = convPhase(g, conv({ N: 128, C: 64, K: 192, H: 27, W: 27, R: 5, S: 5 }), 'fwd', 'fp32');
  assert.match(
    fft.at(-1)!.label,
    /fft/,
    'a 5x5 stride-1 conv uses FFT (measured.json: 181 TFLOP/s-equivalent in fp32)',
  );
});

test('depthwise convolutions run at per-phase element rates, the same in fp32 and bf16 (depthwise.json)', () => {
  const d = conv({ N: 64, C: 144, K: 144, H: 56, W: 56, G: 144 });
  const taps = 64 * 144 * 56 * 56 * 9,
    inputs = 64 * 144 * 56 * 56;
  const [f] = convPhase(g, d, 'fwd', 'bf16');
  assert.match(f.label, /depthwise/);
  assert.ok(f.computeS >= (taps / g.eff.depthwiseRate.fwd) * 0.999 && f.computeS > f.memoryS, `${f.computeS}`);
  const [b16] = convPhase(g, d, 'bwd_data', 'bf16'),
    [b32] = convPhase(g, d, 'bwd_data', 'fp32');
  assert.ok(Math.abs(b16.computeS / (inputs / g.eff.depthwiseRate.bwd_data) - 1) < 1e-9);
  assert.equal(b16.computeS, b32.computeS);
  assert.ok(b16.gpuS > 2 * f.gpuS, 'backward-data is several times slower than forward (measured 3x for 3x3)');
  const [w] = convPhase(g, d, 'bwd_weight', 'bf16');
  assert.ok(
    Math.abs(w.computeS / (taps / g.eff.depthwiseRate.bwd_weight + 144 * 9 * g.eff.depthwiseReduceS) - 1) < 1e-9,
  );
});

test('batch norm: time follows N*H*W per channel (eltwise.json: C = 32, 64, 96 at 112x112 take the same time)', () => {
  const a = batchNorm(g, 'bwd', 32 * 32 * 112 * 112, 32, 5 * 4 * 32 * 32 * 112 * 112, 0, false);
  const b = batchNorm(g, 'bwd', 32 * 96 * 112 * 112, 96, 5 * 4 * 32 * 96 * 112 * 112, 0, false);
  assert.ok(Math.abs(a.gpuS / b.gpuS - 1) < 0.05);
  assert.ok(Math.abs(a.gpuS / 0.77e-3 - 1) < 0.3, `${a.gpuS * 1e3} ms vs 0.77 ms measured`);
});

test('max-pool backward is bound by the scatter element rate, the same in fp32 and bf16 (eltwise.json)', () => {
  const E = 32 * 64 * 224 * 224;
  const f = scatter(g, 'mp', 2 * E * 4 + (E / 4) * 12, E, E),
    b = scatter(g, 'mp', 2 * E * 2 + (E / 4) * 10, E, E);
  assert.ok(Math.abs(f.gpuS / b.gpuS - 1) < 0.05);
  assert.ok(Math.abs(f.gpuS / 1.5e-3 - 1) < 0.25, `${f.gpuS * 1e3} ms vs 1.50 ms measured`);
});

test('optimizer step: SGD-momentum times of eltwise.json within 30% (bandwidth-bound large models, per-tensor-bound small ones)', () => {
  const d = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'data', 'gpu-h100', 'eltwise.json'), 'utf8')) as {
    optimizer: { net: string; params: number; tensors: number; sgd_momentum_ms: number; adam_ms: number }[];
  };
  for (const o of d.optimizer) {
    const s = isolatedTime([optimizerStep(g, 'momentum', o.params, o.tensors, false, 4, 5 * o.params)], g.launch);
    const a = isolatedTime([optimizerStep(g, 'adam', o.params, o.tensors, false, 4, 12 * o.params)], g.launch);
    assert.ok(
      Math.abs(s / (o.sgd_momentum_ms * 1e-3) - 1) < 0.3,
      `${o.net} sgd ${(s * 1e3).toFixed(2)} vs ${o.sgd_momentum_ms.toFixed(2)} ms`,
    );
    assert.ok(
      Math.abs(a / (o.adam_ms * 1e-3) - 1) < 0.3,
      `${o.net} adam ${(a * 1e3).toFixed(2)} vs ${o.adam_ms.toFixed(2)} ms`,
    );
  }
});

test('LSTM: per-step kernels, and a small-batch step costs at least one launch per kernel', () => {
  const d = { N: 32, T: 100, X: 512, H: 512, G: 4, L: 1, D: 1 };
  const f = rnnPhase(g, d, 'fwd', 'bf16');
  const kernels = f.reduce((a, k) => a + k.kernels, 0);
  assert.equal(kernels, 1 + 2 * d.T);
  assert.ok(isolatedTime(f, g.launch) >= kernels * g.launch * 0.99);
});

test('precision fallback: V100 has no bf16, P100 no tensor cores; int4/radix4 run as int8/fp8', () => {
  const v = readGpuParams(resolveTargets(['v100-sxm2'], []).targets[0]);
  assert.equal(v.runAs.bf16, 'fp32');
  assert.equal(v.peak.bf16, v.peak.fp32);
  assert.equal(v.tensor.fp16, true);
  const p = readGpuParams(resolveTargets(['p100-sxm2'], []).targets[0]);
  assert.equal(p.tensor.fp16, false);
  assert.equal(g.runAs.int4, 'int8');
  assert.equal(g.runAs.radix4, 'fp8');
});

test('every gpu preset resolves without diagnostics, and a bf16 GEMM at full load stays under its TDP', () => {
  const presets = KINDS.find((k) => k.kind === 'gpu')!.presets.map((p) => p.name);
  assert.deepEqual(presets, ['h100-sxm', 'a100-sxm', 'v100-sxm2', 'p100-sxm2', 'titan-xp']);
  for (const name of presets) {
    const r = resolveTargets([name], []);
    assert.equal(r.diagnostics.length, 0, `${name}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    const q = readGpuParams(r.targets[0]);
    for (const p of ['fp32', 'bf16'] as const) {
      const k = gemm(q, { M: 8192, N: 8192, K: 8192 }, p, { splitK: false });
      const watts =
        (k.flops * q.energy.flop[p] + k.hbm * q.energy.hbm + k.l2 * q.energy.l2) / k.gpuS + q.energy.staticW;
      assert.ok(
        watts < q.energy.tdp && watts > 0.3 * q.energy.tdp,
        `${name} ${p}: ${watts.toFixed(0)} W vs TDP ${q.energy.tdp}`,
      );
    }
  }
});

interface EltRow {
  op: string;
  shape: [number, number, number, number];
  elements: number;
  precision: 'fp32' | 'bf16';
  ms: number;
}

test('memory-bound layers: >= 85% of the large (>= 20 M elements) eltwise.json rows within 1.5x', () => {
  // Bytes as PyTorch's kernels move them: ReLU/copy read + write; ReLU backward reads dy and y, writes dx; add reads
  // two, writes one; batch norm reads x twice (statistics, normalise) forward, x and dy twice backward; max-pool keeps
  // int64 indices. Batch norm here has parameters in the tensor precision (the eltwise.json setup).
  const d = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'data', 'gpu-h100', 'eltwise.json'), 'utf8')) as {
    ops: EltRow[];
  };
  let n = 0,
    ok = 0;
  const misses: string[] = [];
  for (const r of d.ops) {
    if (r.elements < 20e6) continue;
    const b = r.precision === 'fp32' ? 4 : 2,
      E = r.elements,
      C = r.shape[1],
      low = r.precision !== 'fp32';
    let k: KernelGroup;
    switch (r.op) {
      case 'relu_fwd':
      case 'copy':
        k = eltwise(g, r.op, 2 * E * b, E);
        break;
      case 'relu_bwd':
      case 'add_fwd':
        k = eltwise(g, r.op, 3 * E * b, E);
        break;
      case 'bn_fwd':
        k = batchNorm(g, 'fwd', E, C, 3 * E * b, 8 * E, low);
        break;
      case 'bn_bwd':
        k = batchNorm(g, 'bwd', E, C, 5 * E * b, 16 * E, low);
        break;
      case 'maxpool3s2_fwd':
        k = poolForward(g, r.op, E * b + (E / 4) * (b + 8), (9 * E) / 4, (9 * E) / 4);
        break;
      case 'maxpool3s2_bwd':
        k = scatter(g, r.op, 2 * E * b + (E / 4) * (b + 8), E, E);
        break;
      default:
        continue;
    }
    const ratio = (HARNESS_S + isolatedTime([k], g.launch)) / (r.ms * 1e-3);
    n++;
    if (ratio <= 1.5 && ratio >= 1 / 1.5) ok++;
    else misses.push(`${r.precision} ${r.op} ${r.shape.join('x')} ${ratio.toFixed(2)}`);
  }
  console.log(`  eltwise.json large rows: ${ok}/${n} within 1.5x; misses: ${misses.join(', ')}`);
  assert.ok(n >= 60 && ok / n >= 0.85, `${ok}/${n}`);
});

test('pooling forward is bound by window reads, the same in fp32 and bf16 (eltwise.json: 0.46 / 0.44 ms)', () => {
  const E = 32 * 64 * 224 * 224;
  const f = poolForward(g, 'mp', E * 4 + (E / 4) * 12, (9 * E) / 4, (9 * E) / 4),
    b = poolForward(g, 'mp', E * 2 + (E / 4) * 10, (9 * E) / 4, (9 * E) / 4);
  assert.ok(Math.abs(f.gpuS / b.gpuS - 1) < 0.05);
  assert.ok(Math.abs(f.gpuS / 0.45e-3 - 1) < 0.25, `${f.gpuS * 1e3} ms`);
});
