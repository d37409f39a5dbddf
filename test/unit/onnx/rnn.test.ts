// Recurrent layers as exported from PyTorch: nn.LSTM(batch_first=True) (Transpose in, final state used) and a
// seq-first bidirectional GRU whose sequence output is reshaped to [T, N, 2H]. The batch axis is followed through
// the layout changes; the spec core must accept the imported spec and agree on MACs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnxBuffer } from '../../../server/src/onnx/index';
import { analyze } from '../../../server/src/spec/index';
import { DT, model, zeros, type GraphSpec, type TensorSpec } from './onnx-writer';

const w = (name: string, dims: number[]): TensorSpec => ({ name, dims, raw: zeros(dims) });
const i64 = (name: string, v: number[]): TensorSpec => ({ name, dims: [v.length], dataType: DT.INT64, int64: v });

test('LSTM (batch_first, last hidden state -> linear): lstm with return_sequences false, no transpose layers', () => {
  const B = 4,
    T = 12,
    F = 16,
    H = 32,
    C = 5;
  const g: GraphSpec = {
    nodes: [
      {
        op: 'Transpose',
        name: '/lstm/Transpose',
        inputs: ['x'],
        outputs: ['xt'],
        attrs: { perm: { ints: [1, 0, 2] } },
      },
      {
        op: 'LSTM',
        name: '/lstm/LSTM',
        inputs: ['xt', 'W', 'R', 'Bb'],
        outputs: ['y', 'h', 'c'],
        attrs: { hidden_size: { i: H } },
      },
      { op: 'Squeeze', name: '/Squeeze', inputs: ['h', 'ax0'], outputs: ['h1'] },
      {
        op: 'Gemm',
        name: '/fc/Gemm',
        inputs: ['h1', 'fc.weight', 'fc.bias'],
        outputs: ['out'],
        attrs: { transB: { i: 1 } },
      },
    ],
    initializers: [
      w('W', [1, 4 * H, F]),
      w('R', [1, 4 * H, H]),
      w('Bb', [1, 8 * H]),
      i64('ax0', [0]),
      w('fc.weight', [C, H]),
      w('fc.bias', [C]),
    ],
    inputs: [{ name: 'x', dims: ['batch', T, F] }],
    outputs: [{ name: 'out', dims: ['batch', C] }],
  };
  const r = importOnnxBuffer(model(g), 'lstm.onnx', { batch: B });
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.graph.layers.map((l) => `${l.name}:${l.type}:${JSON.stringify(l.specShape)}`),
    ['lstm:lstm:[32]', 'fc:linear:[5]'],
  );
  assert.deepEqual(r.graph.layers[0].keys, [
    ['hidden_size', H],
    ['return_sequences', false],
  ]);
  assert.match(r.yaml, /^input_shape: \[12, 16\]$/m);
  const doc = analyze('file:///lstm.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  const lstm = doc.network!.layers[0];
  assert.equal(lstm.macs, T * B * 4 * H * (F + H));
});

test('bidirectional GRU on a seq-first input: batch on axis 1, sequence output folded back to [T, 2H]', () => {
  const B = 3,
    T = 7,
    F = 10,
    H = 8,
    C = 6;
  const g: GraphSpec = {
    nodes: [
      {
        op: 'GRU',
        name: '/gru/GRU',
        inputs: ['x', 'W', 'R', 'Bb'],
        outputs: ['y', 'h'],
        attrs: { hidden_size: { i: H }, direction: { s: 'bidirectional' } },
      },
      {
        op: 'Transpose',
        name: '/gru/Transpose',
        inputs: ['y'],
        outputs: ['yt'],
        attrs: { perm: { ints: [0, 2, 1, 3] } },
      },
      { op: 'Reshape', name: '/gru/Reshape', inputs: ['yt', 'shape'], outputs: ['y2'] },
      { op: 'MatMul', name: '/head/MatMul', inputs: ['y2', 'head.w'], outputs: ['o'] },
    ],
    initializers: [
      w('W', [2, 3 * H, F]),
      w('R', [2, 3 * H, H]),
      w('Bb', [2, 6 * H]),
      i64('shape', [0, 0, -1]),
      w('head.w', [2 * H, C]),
    ],
    inputs: [{ name: 'x', dims: [T, B, F] }],
    outputs: [{ name: 'o', dims: [T, B, C] }],
  };
  const r = importOnnxBuffer(model(g), 'gru.onnx');
  assert.deepEqual(r.warnings, []);
  assert.equal(r.graph.batch, B);
  assert.equal(r.graph.inputBatchAxis, 1);
  assert.deepEqual(
    r.graph.layers.map((l) => `${l.name}:${l.type}:${JSON.stringify(l.specShape)}`),
    ['gru:gru:[7,16]', 'head:linear:[7,6]'],
  );
  assert.deepEqual(r.graph.layers[0].keys, [
    ['hidden_size', H],
    ['bidirectional', true],
  ]);
  assert.match(r.yaml, /^batch_size: 3$/m);
  assert.match(r.yaml, /^input_shape: \[7, 10\]$/m);
  const doc = analyze('file:///gru.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  assert.equal(doc.network!.layers[0].macs, 2 * T * B * 3 * H * (F + H));
  assert.equal(doc.network!.layers[1].macs, T * B * 2 * H * C);
  // --batch replaces the batch on its own axis.
  const r2 = importOnnxBuffer(model(g), 'gru.onnx', { batch: 32 });
  assert.deepEqual(r2.graph.inputShape, [T, 32, F]);
});
