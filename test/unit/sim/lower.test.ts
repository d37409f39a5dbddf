import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lower } from '../../../server/src/sim/lower';
import { phaseOf } from '../../../server/src/sim/workload';
import { net, mlp } from './fixtures';

test('conv layer: 2*MACs per MVM phase, Timeloop dims, no bwd_data on the first layer', () => {
  const n = net(
    [3, 32, 32],
    [
      { type: 'conv2d', name: 'c1', attrs: { outChannels: 16, kernel: [3, 3], padding: [1, 1] } },
      { type: 'relu', name: 'r1' },
      { type: 'conv2d', name: 'c2', attrs: { outChannels: 8, kernel: [3, 3], padding: [1, 1] } },
    ],
    { batch: 4 },
  );
  const w = lower(n);
  const c1 = w.layers[0];
  assert.deepEqual(c1.dims, {
    N: 4,
    C: 3,
    K: 16,
    H: 32,
    W: 32,
    P: 32,
    Q: 32,
    R: 3,
    S: 3,
    Hstride: 1,
    Wstride: 1,
    G: 1,
  });
  const macs = 4 * 16 * 3 * 9 * 32 * 32;
  assert.equal(phaseOf(c1, 'fwd')!.flops, 2 * macs);
  assert.equal(phaseOf(c1, 'bwd_data'), undefined);
  assert.equal(phaseOf(c1, 'bwd_weight')!.flops, 2 * macs);
  assert.equal(phaseOf(c1, 'update')!.flops, 2 * c1.params);
  // relu after c1 needs bwd_data (memory-bound work), c2 too
  assert.ok(phaseOf(w.layers[1], 'bwd_data'));
  assert.equal(phaseOf(w.layers[1], 'bwd_data')!.flops, 4 * 16 * 32 * 32);
  assert.equal(phaseOf(w.layers[1], 'bwd_weight'), undefined);
  assert.equal(phaseOf(w.layers[2], 'bwd_data')!.macs, 4 * 8 * 16 * 9 * 32 * 32);
  // fwd bytes of c1: input + weights + output at fp32
  assert.equal(phaseOf(c1, 'fwd')!.minBytes, 4 * (4 * 3 * 32 * 32 + c1.params + 4 * 16 * 32 * 32));
});

test('a parameter-free layer straight after the input has no bwd_data, and neither does what follows it', () => {
  const n = net(
    [3, 8, 8],
    [{ type: 'relu' }, { type: 'conv2d', attrs: { outChannels: 4, kernel: [1, 1] } }, { type: 'relu' }],
  );
  const w = lower(n);
  assert.deepEqual(
    w.layers.map((l) => l.phases.map((p) => p.phase).join(',')),
    ['fwd', 'fwd,bwd_weight,update', 'fwd,bwd_data'],
  );
});

test('optimizer update bytes: adam with fp32 masters under bf16', () => {
  const w = lower(mlp([10, 20], { precision: 'bf16', optimizer: 'adam' }));
  const up = phaseOf(w.layers[0], 'update')!;
  const P = 10 * 20 + 20;
  assert.equal(w.mixed, true);
  assert.equal(up.flops, 12 * P);
  // g (2) + master r/w (4+4) + bf16 copy (2) + 2 states r/w (4*4)
  assert.equal(up.minBytes, P * (2 + 8 + 2 + 16));
  const sgd = phaseOf(lower(mlp([10, 20])).layers[0], 'update')!;
  assert.equal(sgd.minBytes, P * (4 + 8));
});

test('batch override scales flops linearly; totals add up', () => {
  const n = mlp([100, 50, 10], { batch: 8 });
  const a = lower(n),
    b = lower(n, { batch: 16 });
  const mvm = (w: typeof a) =>
    w.layers
      .flatMap((l) => l.phases)
      .filter((p) => p.kind === 'mvm')
      .reduce((s, p) => s + p.flops, 0);
  assert.equal(mvm(b), 2 * mvm(a));
  assert.equal(
    a.totalFlops,
    a.layers.flatMap((l) => l.phases).reduce((s, p) => s + p.flops, 0),
  );
  // 3 MVM phases with identical MAC counts except the first layer's missing bwd_data
  assert.equal(a.totalMacs, 8 * (3 * 50 * 10 + 2 * 100 * 50));
});

test('reshape is free, transpose moves bytes, embedding has no bwd_data', () => {
  const n = net(
    [16],
    [
      { type: 'embedding', attrs: { numEmbeddings: 1000, embeddingDim: 32 } },
      { type: 'transpose', attrs: { perm: [1, 0] }, outShape: [32, 16] },
      { type: 'flatten' },
    ],
    { batch: 2 },
  );
  const w = lower(n);
  assert.deepEqual(
    w.layers[0].phases.map((p) => p.phase),
    ['fwd', 'bwd_weight', 'update'],
  );
  assert.equal(phaseOf(w.layers[1], 'fwd')!.minBytes, 2 * 2 * 512 * 4);
  assert.equal(phaseOf(w.layers[2], 'fwd')!.minBytes, 0);
  assert.equal(phaseOf(w.layers[2], 'bwd_data')!.minBytes, 0);
});

test('each phase lists the tensors it reads and writes; the per-role sums agree with them', () => {
  const n = net(
    [3, 8, 8],
    [
      { type: 'conv2d', name: 'c1', attrs: { outChannels: 4, kernel: [3, 3], padding: [1, 1] } },
      { type: 'relu', name: 'r1' },
      { type: 'conv2d', name: 'c2', attrs: { outChannels: 2, kernel: [1, 1] } },
    ],
    { batch: 2, optimizer: 'adam', precision: 'bf16', masterWeights: 'fp32' },
  );
  const w = lower(n);
  const c2 = w.layers[2],
    P = c2.params,
    E = 2 * 2 * 8 * 8,
    Ein = 2 * 4 * 8 * 8;
  assert.deepEqual(phaseOf(c2, 'fwd')!.tensors, [
    { role: 'input', bytes: Ein * 2, rw: 'r' },
    { role: 'weight', bytes: P * 2, rw: 'r' },
    { role: 'output', bytes: E * 2, rw: 'w' },
  ]);
  assert.deepEqual(
    phaseOf(c2, 'bwd_weight')!.tensors.map((t) => `${t.role}:${t.rw}`),
    ['output_grad:r', 'saved_activation:r', 'weight_grad:w'],
  );
  // adam under bf16 with fp32 masters: grad, master r/w, the bf16 working copy, two states r/w
  assert.deepEqual(
    phaseOf(c2, 'update')!.tensors.map((t) => `${t.role}:${t.rw}:${t.bytes / P}`),
    [
      'weight_grad:r:2',
      'master_weight:r:4',
      'master_weight:w:4',
      'weight:w:2',
      'optimizer_state:r:4',
      'optimizer_state:w:4',
      'optimizer_state:r:4',
      'optimizer_state:w:4',
    ],
  );
  const weightLike = new Set(['weight', 'weight_grad', 'optimizer_state', 'master_weight']);
  for (const l of w.layers)
    for (const p of l.phases) {
      const sum = (f: (t: { role: string; rw: string }) => boolean) =>
        p.tensors.filter(f).reduce((s, t) => s + t.bytes, 0);
      assert.equal(
        p.minBytes,
        sum(() => true),
        `${l.name} ${p.phase}`,
      );
      assert.equal(
        p.weightBytes,
        sum((t) => weightLike.has(t.role)),
      );
      assert.equal(
        p.actReadBytes,
        sum((t) => !weightLike.has(t.role) && t.rw === 'r'),
      );
      assert.equal(
        p.actWriteBytes,
        sum((t) => !weightLike.has(t.role) && t.rw === 'w'),
      );
      assert.equal(
        p.activationBytes,
        sum((t) => ['input', 'output', 'saved_activation'].includes(t.role)),
      );
      assert.equal(
        p.gradientBytes,
        sum((t) => ['input_grad', 'output_grad'].includes(t.role)),
      );
      assert.equal(
        p.weightRoleBytes,
        sum((t) => t.role === 'weight'),
      );
      assert.equal(
        p.weightGradBytes,
        sum((t) => t.role === 'weight_grad'),
      );
    }
});
