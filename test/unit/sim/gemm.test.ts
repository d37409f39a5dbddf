import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lower } from '../../../server/src/sim/lower';
import { gemmShape, blockedTraffic } from '../../../server/src/sim/gemm';
import { phaseOf } from '../../../server/src/sim/workload';
import { net, mlp } from './fixtures';

test('GEMM view preserves MACs for conv (im2col), linear and grouped conv in every MVM phase', () => {
  const n = net(
    [16, 14, 14],
    [
      { type: 'conv2d', name: 'c', attrs: { outChannels: 32, kernel: [3, 3], padding: [1, 1] } },
      { type: 'conv2d', name: 'dw', attrs: { outChannels: 32, kernel: [3, 3], padding: [1, 1], groups: 32 } },
      { type: 'flatten' },
      { type: 'linear', name: 'fc', attrs: { outFeatures: 10 } },
    ],
    { batch: 4 },
  );
  const w = lower(n);
  for (const l of w.layers)
    for (const p of l.phases) {
      if (p.kind !== 'mvm' || p.macs === 0) continue;
      const s = gemmShape(l, p);
      assert.equal(s.groups * s.M * s.N * s.K, p.macs, `${l.name} ${p.phase}`);
    }
  const fc = w.layers[3];
  assert.deepEqual(gemmShape(fc, phaseOf(fc, 'fwd')!), { M: 10, N: 4, K: 32 * 14 * 14, groups: 1 });
  assert.deepEqual(gemmShape(fc, phaseOf(fc, 'bwd_weight')!), { M: 10, N: 32 * 14 * 14, K: 4, groups: 1 });
});

test('blocked traffic: inputs = MACs (1/Tm + 1/Tn), tiles capped by the matrix', () => {
  const t = blockedTraffic({ M: 128, N: 128, K: 64, groups: 1 }, 32);
  assert.equal(t.inWords, 128 * 128 * 64 * (2 / 32));
  assert.equal(t.outWords, 128 * 128);
  const gemv = blockedTraffic({ M: 1000, N: 1, K: 500, groups: 1 }, 64);
  assert.equal(gemv.Tn, 1);
  assert.equal(gemv.inWords, 1000 * 500 * (1 / 64 + 1));
});

test('lstm and matmul flops follow the formula table', () => {
  const n = net(
    [10, 20],
    [
      { type: 'lstm', name: 'l', attrs: { hiddenSize: 30 } },
      { type: 'linear', name: 'q', attrs: { outFeatures: 30 } },
      { type: 'matmul', name: 'mm', inputs: ['q', 'l'], attrs: { transposeB: true }, outShape: [10, 10] },
    ],
    { batch: 2 },
  );
  const w = lower(n);
  const l = w.layers[0];
  const macs = 2 * 10 * 4 * 30 * (20 + 30);
  assert.equal(phaseOf(l, 'fwd')!.macs, macs);
  assert.equal(phaseOf(l, 'fwd')!.flops, 2 * macs + 10 * 2 * 10 * 30);
  const mm = w.layers[2];
  assert.equal(phaseOf(mm, 'fwd')!.macs, 2 * 10 * 10 * 30);
  assert.equal(phaseOf(mm, 'bwd_data')!.flops, 4 * 2 * 10 * 10 * 30);
  assert.equal(phaseOf(mm, 'bwd_weight'), undefined);
  assert.equal(lower(mlp([4, 4])).layers[0].phases.length, 3);
});
