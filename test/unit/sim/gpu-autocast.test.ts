// Mixed precision on the GPU model is what torch.autocast does: matrix products in bf16, layer norm / softmax in
// fp32, other layers at the widest of their inputs, and a cast kernel wherever a layer needs another element size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, resolveTargets } from '../../../server/src/spec/index';
import { lower } from '../../../server/src/sim/lower';
import { autocastBytes, phaseKernels } from '../../../server/src/kinds/gpu/model';
import { readGpuParams } from '../../../server/src/kinds/gpu/read';

const NET = (precision: string) => `kind: network
name: block
batch_size: 8
precision: ${precision}
input_shape: [128]
layers:
  - {name: emb, type: embedding, num_embeddings: 1000, embedding_dim: 256}
  - {name: ln, type: layernorm}
  - {name: q, type: linear, out_features: 256}
  - {name: sm, type: softmax}
  - {name: res, type: add, inputs: [sm, ln]}
  - {name: fc, type: linear, out_features: 256}
  - {name: act, type: gelu}
`;

test('autocast element sizes: embedding and layernorm fp32, linear bf16, softmax fp32, add promoted, gelu after a linear bf16', () => {
  const w = lower(analyze('file:///b.net.yaml', NET('bf16')).network!);
  assert.deepEqual([...autocastBytes(w)], [4, 4, 2, 4, 4, 2, 2]);
});

test('casts are kernels of their own: a linear fed by an fp32 layer norm casts its input in fwd and its gradient in bwd', () => {
  const g = readGpuParams(resolveTargets(['h100-sxm'], []).targets[0]);
  const w = lower(analyze('file:///b.net.yaml', NET('bf16')).network!);
  const q = w.layers[2];
  const fwd = phaseKernels(
    g,
    w,
    q,
    q.phases.find((p) => p.phase === 'fwd')!,
  ).map((k) => k.label);
  assert.deepEqual(
    fwd.filter((l) => l.startsWith('autocast')),
    ['autocast cast in', 'autocast weight cast'],
  );
  const bwd = phaseKernels(
    g,
    w,
    q,
    q.phases.find((p) => p.phase === 'bwd_data')!,
  ).map((k) => k.label);
  assert.ok(bwd.includes('autocast cast grad'));
  // The cast moves 8 x 128 x 256 elements, read fp32 and written bf16.
  const cast = phaseKernels(
    g,
    w,
    q,
    q.phases.find((p) => p.phase === 'fwd')!,
  ).find((k) => k.label === 'autocast cast in')!;
  assert.equal(cast.hbm, 8 * 128 * 256 * (4 + 2));
  // softmax runs in fp32: its input (a bf16 linear output) is cast, and its own traffic is at 4 bytes.
  const sm = w.layers[3];
  const smK = phaseKernels(
    g,
    w,
    sm,
    sm.phases.find((p) => p.phase === 'fwd')!,
  );
  assert.ok(smK.some((k) => k.label === 'autocast cast in'));
  const own = smK.find((k) => k.label.startsWith('softmax'))!;
  assert.equal(own.hbm, sm.phases[0].minBytes * 2);
  // fp32 networks have no casts.
  const w32 = lower(analyze('file:///b.net.yaml', NET('fp32')).network!);
  assert.ok(!phaseKernels(g, w32, w32.layers[2], w32.layers[2].phases[0]).some((k) => k.label.startsWith('autocast')));
});
