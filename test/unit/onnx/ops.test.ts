// One graph exercising the remaining operator mappings: a two-branch block merged by Concat, Clip variants,
// LeakyRelu/HardSwish/HardSigmoid/Tanh, pools with ceil_mode and dilation-free windows, Softmax over channels,
// Dropout ratio, Flatten, BatchNormalization in training mode (extra outputs). The spec core must accept the result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnxBuffer } from '../../../server/src/onnx/index';
import { analyze } from '../../../server/src/spec/index';
import { model, zeros, type GraphSpec, type TensorSpec } from './onnx-writer';

const w = (name: string, dims: number[]): TensorSpec => ({ name, dims, raw: zeros(dims) });
const f = (name: string, v: number): TensorSpec => ({ name, dims: [], floats: [v] });

test('operator zoo: mappings, keys, wiring, and a spec without errors', () => {
  const g: GraphSpec = {
    nodes: [
      {
        op: 'Conv',
        name: '/stem/Conv',
        inputs: ['x', 'w0'],
        outputs: ['s'],
        attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } },
      },
      {
        op: 'BatchNormalization',
        name: '/bn/BatchNormalization',
        inputs: ['s', 'g', 'b', 'm', 'v'],
        outputs: ['bn', 'rm', 'rv'],
        attrs: { training_mode: { i: 1 } },
      },
      { op: 'Clip', name: '/act/Clip', inputs: ['bn', 'zero', 'six'], outputs: ['a'] },
      { op: 'Conv', name: '/b1/Conv', inputs: ['a', 'w1'], outputs: ['b1'], attrs: { kernel_shape: { ints: [1, 1] } } },
      { op: 'LeakyRelu', name: '/b1/LeakyRelu', inputs: ['b1'], outputs: ['b1a'], attrs: { alpha: { f: 0.2 } } },
      {
        op: 'Conv',
        name: '/b2/Conv',
        inputs: ['a', 'w2'],
        outputs: ['b2'],
        attrs: { kernel_shape: { ints: [3, 1] }, pads: { ints: [1, 0, 1, 0] }, dilations: { ints: [1, 1] } },
      },
      { op: 'HardSwish', name: '/b2/HardSwish', inputs: ['b2'], outputs: ['b2a'] },
      { op: 'Concat', name: '/cat/Concat', inputs: ['b1a', 'b2a'], outputs: ['c'], attrs: { axis: { i: 1 } } },
      { op: 'Clip', name: '/relu/Clip', inputs: ['c', 'zero', ''], outputs: ['cr'] },
      {
        op: 'MaxPool',
        name: '/pool/MaxPool',
        inputs: ['cr'],
        outputs: ['p'],
        attrs: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, ceil_mode: { i: 1 } },
      },
      {
        op: 'AveragePool',
        name: '/avg/AveragePool',
        inputs: ['p'],
        outputs: ['ap'],
        attrs: { kernel_shape: { ints: [2, 2] } },
      },
      { op: 'HardSigmoid', name: '/gate/HardSigmoid', inputs: ['ap'], outputs: ['hs'] },
      { op: 'Mul', name: '/gate/Mul', inputs: ['ap', 'hs'], outputs: ['gm'] },
      { op: 'Softmax', name: '/sm/Softmax', inputs: ['gm'], outputs: ['sm'], attrs: { axis: { i: 1 } } },
      { op: 'GlobalMaxPool', name: '/gmp/GlobalMaxPool', inputs: ['sm'], outputs: ['gp'] },
      { op: 'Flatten', name: '/Flatten', inputs: ['gp'], outputs: ['fl'], attrs: { axis: { i: 1 } } },
      { op: 'Dropout', name: '/drop/Dropout', inputs: ['fl', 'ratio'], outputs: ['d', 'mask'] },
      { op: 'Tanh', name: '/t/Tanh', inputs: ['d'], outputs: ['y'] },
    ],
    initializers: [
      w('w0', [8, 3, 3, 3]),
      w('g', [8]),
      w('b', [8]),
      w('m', [8]),
      w('v', [8]),
      f('zero', 0),
      f('six', 6),
      w('w1', [4, 8, 1, 1]),
      w('w2', [6, 8, 3, 1]),
      f('ratio', 0.25),
    ],
    inputs: [{ name: 'x', dims: [2, 3, 17, 17] }],
    outputs: [{ name: 'y', dims: [2, 10] }],
  };
  const r = importOnnxBuffer(model(g), 'zoo.onnx');
  assert.deepEqual(r.warnings, []);
  const lines = r.yaml.split('\n').filter((l) => l.startsWith('  - '));
  assert.deepEqual(lines, [
    '  - {name: stem, type: conv2d, out_channels: 8, kernel_size: 3, padding: 1, bias: false, output_shape: [8, 17, 17], origin: /stem/Conv}',
    '  - {name: bn, type: batchnorm, origin: /bn/BatchNormalization}',
    '  - {name: act, type: relu6, origin: /act/Clip}',
    '  - {name: b1, type: conv2d, out_channels: 4, kernel_size: 1, bias: false, output_shape: [4, 17, 17], origin: /b1/Conv}',
    '  - {name: b1_2, type: leaky_relu, negative_slope: 0.2, origin: /b1/LeakyRelu}',
    '  - {name: b2, type: conv2d, out_channels: 6, kernel_size: [3, 1], padding: [1, 0], bias: false, inputs: [act], output_shape: [6, 17, 17], origin: /b2/Conv}',
    '  - {name: b2_2, type: hardswish, origin: /b2/HardSwish}',
    '  - {name: cat, type: concat, axis: 0, inputs: [b1_2, b2_2], output_shape: [10, 17, 17], origin: /cat/Concat}',
    '  - {name: relu, type: relu, origin: /relu/Clip}',
    '  - {name: pool, type: maxpool, kernel_size: 3, stride: 2, ceil_mode: true, output_shape: [10, 8, 8], origin: /pool/MaxPool}',
    // ONNX AveragePool strides default to 1 (the spec's to the kernel), so `stride: 1` is written.
    '  - {name: avg, type: avgpool, kernel_size: 2, stride: 1, output_shape: [10, 7, 7], origin: /avg/AveragePool}',
    // x * HardSigmoid(x) is hard-swish.
    '  - {name: gate, type: hardswish, origin: /gate/HardSigmoid}',
    '  - {name: sm, type: softmax, axis: 0, origin: /sm/Softmax}',
    '  - {name: gmp, type: global_maxpool, output_shape: [10, 1, 1], origin: /gmp/GlobalMaxPool}',
    '  - {name: flatten1, type: flatten, output_shape: [10], origin: /Flatten}',
    '  - {name: drop, type: dropout, p: 0.25, origin: /drop/Dropout}',
    '  - {name: t, type: tanh, origin: /t/Tanh}',
  ]);
  const doc = analyze('file:///zoo.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1}: ${d.message}`),
    [],
  );
  assert.deepEqual(doc.network!.layers.map((l) => l.outShape).at(-1), [10]);
});
