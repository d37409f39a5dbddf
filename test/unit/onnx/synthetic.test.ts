// Small ONNX models written in the test: initializers (with payloads that must be skipped), external data,
// folding patterns (MatMul+Add -> linear, GELU via Erf, SiLU, shape arithmetic), and every kind of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOnnxFile, importOnnxFileSync, importOnnxBuffer } from '../../../server/src/onnx/index';
import { DT, model, zeros, type GraphSpec } from './onnx-writer';
import { analyze } from '../../../server/src/spec/index';

const dir = mkdtempSync(join(tmpdir(), 'accelmap-onnx-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, b: Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, b);
  return p;
};

/** conv(3->8, 3x3, pad 1) -> relu -> global avg pool -> flatten -> MatMul(8x10) + Add(bias) -> softmax */
function smallCnn(batch: number | string = 4): GraphSpec {
  return {
    nodes: [
      {
        op: 'Conv',
        name: '/stem/conv/Conv',
        inputs: ['x', 'w1', 'b1'],
        outputs: ['c1'],
        attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [1, 1] } },
      },
      { op: 'Relu', name: '/stem/act/Relu', inputs: ['c1'], outputs: ['r1'] },
      { op: 'GlobalAveragePool', name: '/pool/GlobalAveragePool', inputs: ['r1'], outputs: ['p1'] },
      { op: 'Shape', name: '/Shape', inputs: ['p1'], outputs: ['s'] },
      { op: 'Gather', name: '/Gather', inputs: ['s', 'zero'], outputs: ['n'], attrs: { axis: { i: 0 } } },
      { op: 'Unsqueeze', name: '/Unsqueeze', inputs: ['n', 'axes0'], outputs: ['n1'] },
      { op: 'Concat', name: '/Concat', inputs: ['n1', 'minus1'], outputs: ['shape'], attrs: { axis: { i: 0 } } },
      { op: 'Reshape', name: '/Reshape', inputs: ['p1', 'shape'], outputs: ['f1'] },
      { op: 'MatMul', name: '/head/fc/MatMul', inputs: ['f1', 'w2'], outputs: ['m1'] },
      { op: 'Add', name: '/head/fc/Add', inputs: ['m1', 'b2'], outputs: ['a1'] },
      { op: 'Softmax', name: '/Softmax', inputs: ['a1'], outputs: ['y'], attrs: { axis: { i: -1 } } },
    ],
    initializers: [
      { name: 'w1', dims: [8, 3, 3, 3], raw: zeros([8, 3, 3, 3]) },
      { name: 'b1', dims: [8], raw: zeros([8]) },
      { name: 'w2', dims: [8, 10], raw: zeros([8, 10]) },
      { name: 'b2', dims: [10], floats: new Array(10).fill(0) },
      { name: 'zero', dims: [], dataType: DT.INT64, int64: [0] },
      { name: 'axes0', dims: [1], dataType: DT.INT64, int64: [0] },
      { name: 'minus1', dims: [1], dataType: DT.INT64, raw: Buffer.from(new BigInt64Array([-1n]).buffer) },
    ],
    inputs: [{ name: 'x', dims: [batch, 3, 16, 16] }],
    outputs: [{ name: 'y', dims: [batch, 10] }],
  };
}

test('a small CNN with initializers: layers, folded shape arithmetic, MatMul+Add -> linear with bias', async () => {
  const r = await importOnnxFile(write('cnn.onnx', model(smallCnn())), { name: 'tiny' });
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.graph.layers.map((l) => [l.name, l.type]),
    [
      ['stem.conv', 'conv2d'],
      ['stem.act', 'relu'],
      ['pool', 'global_avgpool'],
      ['reshape1', 'reshape'],
      ['head.fc', 'linear'],
      ['softmax1', 'softmax'],
    ],
  );
  assert.equal(r.layerCount, 6);
  const fc = r.graph.layers[4];
  assert.deepEqual(fc.keys, [
    ['out_features', 10],
    ['bias', true],
  ]);
  assert.deepEqual(fc.outShape, [4, 10]);
  assert.deepEqual(r.graph.layers[3].keys, [['shape', [8]]]);
  assert.equal(
    r.yaml,
    [
      '# Imported from cnn.onnx by accelmap (ONNX opset 17, producer accelmap-test).',
      '# Shapes exclude the batch; `origin:` is the ONNX node each layer came from.',
      'kind: network',
      'name: tiny',
      'batch_size: 4',
      'input_shape: [3, 16, 16]',
      'layers:',
      '  - {name: stem.conv, type: conv2d, out_channels: 8, kernel_size: 3, padding: 1, bias: true, output_shape: [8, 16, 16], origin: /stem/conv/Conv}',
      '  - {name: stem.act, type: relu, origin: /stem/act/Relu}',
      '  - {name: pool, type: global_avgpool, output_shape: [8, 1, 1], origin: /pool/GlobalAveragePool}',
      '  - {name: reshape1, type: reshape, shape: [8], output_shape: [8], origin: /Reshape}',
      '  - {name: head.fc, type: linear, out_features: 10, bias: true, output_shape: [10], origin: /head/fc/MatMul}',
      '  - {name: softmax1, type: softmax, origin: /Softmax}',
      '',
    ].join('\n'),
  );
});

test('--batch replaces a fixed batch and fills a symbolic one; a symbolic batch without it is an error', () => {
  const fixed = importOnnxFileSync(write('fixed.onnx', model(smallCnn(4))), { batch: 64 });
  assert.equal(fixed.graph.batch, 64);
  assert.deepEqual(fixed.graph.layers[0].outShape, [64, 8, 16, 16]);
  assert.deepEqual(fixed.graph.layers[4].outShape, [64, 10]);
  const sym = write('sym.onnx', model(smallCnn('batch_size')));
  assert.equal(importOnnxFileSync(sym, { batch: 8 }).graph.layers[4].outShape[0], 8);
  assert.throws(
    () => importOnnxFileSync(sym),
    (e: Error) => {
      assert.match(e.message, /sym\.onnx: graph input 'x' has a dynamic batch dimension 'batch_size'; pass --batch N/);
      return true;
    },
  );
  assert.throws(() => importOnnxFileSync(sym, { batch: 0 }), /batch must be a positive integer/);
});

test('a symbolic non-batch dimension is an error naming the input, the axis, the option and every symbolic name; --dim sets it', () => {
  const g = smallCnn(2);
  g.inputs[0].dims = ['N', 3, 'height', 'width'];
  const file = write('dynh.onnx', model(g));
  assert.throws(
    () => importOnnxFileSync(file, { batch: 2 }),
    (e: Error) =>
      e.message.endsWith(
        "dynh.onnx: graph input 'x' has a symbolic dimension 'height' at axis 2; pass --dim height=N (symbolic dimensions of this graph's inputs: N, height, width; still missing: height, width)",
      ),
  );
  assert.throws(
    () => importOnnxFileSync(file, {}),
    /graph input 'x' has a dynamic batch dimension 'N'; pass --batch N \(the batch size to simulate\) and --dim height=N --dim width=N for its other symbolic dimensions/,
  );
  const r = importOnnxFileSync(file, { dims: { N: 4, height: 16, width: 16 } });
  assert.equal(r.graph.batch, 4);
  assert.deepEqual(r.graph.inputShape, [4, 3, 16, 16]);
});

test('weights in external data: location and length are read, the data file is never opened', () => {
  const g = smallCnn(2);
  g.initializers![0] = {
    name: 'w1',
    dims: [8, 3, 3, 3],
    external: { location: 'weights.bin', offset: 0, length: 864 },
  };
  const r = importOnnxFileSync(write('ext.onnx', model(g)));
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.graph.layers[0].weightShape, [8, 3, 3, 3]);
  assert.equal(r.graph.layers[0].outShape[1], 8);
});

test('large raw_data payloads are skipped, not read: reads stay few for a 16 MB initializer', () => {
  const g = smallCnn(2);
  g.nodes[8] = { op: 'MatMul', name: '/head/fc/MatMul', inputs: ['f1', 'w2'], outputs: ['m1'] };
  // payload larger than the dims say
  g.initializers![2] = { name: 'w2', dims: [8, 10], raw: Buffer.alloc(16 * 1024 * 1024) };
  const r = importOnnxFileSync(write('big.onnx', model(g)));
  assert.ok(r.reads <= 4, `reads: ${r.reads}`);
  assert.equal(r.graph.layers[4].type, 'linear');
});

test('GELU written with Erf folds into one gelu layer; x*sigmoid(x) becomes silu; Sub/Div of activations map to add/mul', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'MatMul', name: '/mlp/fc1/MatMul', inputs: ['x', 'w'], outputs: ['h'] },
      { op: 'Div', name: '/mlp/act/Div', inputs: ['h', 'sqrt2'], outputs: ['d'] },
      { op: 'Erf', name: '/mlp/act/Erf', inputs: ['d'], outputs: ['e'] },
      { op: 'Add', name: '/mlp/act/Add', inputs: ['e', 'one'], outputs: ['e1'] },
      { op: 'Mul', name: '/mlp/act/Mul', inputs: ['h', 'e1'], outputs: ['m'] },
      { op: 'Mul', name: '/mlp/act/Mul_1', inputs: ['m', 'half'], outputs: ['gelu'] },
      { op: 'Sigmoid', name: '/mlp/act2/Sigmoid', inputs: ['gelu'], outputs: ['s'] },
      { op: 'Mul', name: '/mlp/act2/Mul', inputs: ['gelu', 's'], outputs: ['silu'] },
      { op: 'Sub', name: '/Sub', inputs: ['silu', 'gelu'], outputs: ['sub'] },
      {
        op: 'LayerNormalization',
        name: '/ln/LayerNormalization',
        inputs: ['sub', 'g', 'b'],
        outputs: ['y'],
        attrs: { axis: { i: -1 } },
      },
    ],
    initializers: [
      { name: 'w', dims: [16, 32], raw: zeros([16, 32]) },
      { name: 'sqrt2', dims: [], floats: [1.4142135] },
      { name: 'one', dims: [], floats: [1] },
      { name: 'half', dims: [], floats: [0.5] },
      { name: 'g', dims: [32], raw: zeros([32]) },
      { name: 'b', dims: [32], raw: zeros([32]) },
    ],
    inputs: [{ name: 'x', dims: [2, 5, 16] }],
    outputs: [{ name: 'y', dims: [2, 5, 32] }],
  };
  const r = importOnnxBuffer(model(g), 'mlp.onnx');
  assert.deepEqual(
    r.graph.layers.map((l) => `${l.name}:${l.type}:${l.inputs.join('+')}`),
    [
      'mlp.fc1:linear:input',
      'mlp.act:gelu:mlp.fc1',
      'mlp.act2:silu:mlp.act',
      'add1:add:mlp.act2+mlp.act',
      'ln:layernorm:add1',
    ],
  );
  assert.deepEqual(r.graph.layers[0].outShape, [2, 5, 32]);
  assert.deepEqual(r.graph.layers[0].keys, [
    ['out_features', 32],
    ['bias', false],
  ]);
});

test('parameters given as graph inputs (export_params=False) are weights, not network inputs', () => {
  const g = smallCnn(2);
  const inits = g.initializers!;
  g.initializers = inits.filter((t) => !['w1', 'b1', 'w2'].includes(t.name));
  g.inputs.push({ name: 'w1', dims: [8, 3, 3, 3] }, { name: 'b1', dims: [8] }, { name: 'fc.weight', dims: [8, 10] });
  g.nodes[8] = { op: 'MatMul', name: '/head/fc/MatMul', inputs: ['f1', 'fc.weight'], outputs: ['m1'] };
  const r = importOnnxBuffer(model(g), 'params.onnx');
  assert.deepEqual(r.graph.inputShape, [2, 3, 16, 16]);
  assert.equal(r.graph.layers[4].type, 'linear');
  assert.deepEqual(r.warnings, []);
});

test('an unknown operator becomes an unsupported layer with op_type and output_shape, and a warning naming the node', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'Relu', name: '/a/Relu', inputs: ['x'], outputs: ['r'] },
      { op: 'FancyOp', name: '/fancy/FancyOp', domain: 'com.example', inputs: ['r'], outputs: ['f'] },
      { op: 'Resize', name: '/up/Resize', inputs: ['f', '', 'scales'], outputs: ['u'] },
    ],
    initializers: [{ name: 'scales', dims: [4], floats: [1, 1, 2, 2] }],
    inputs: [{ name: 'x', dims: [1, 4, 8, 8] }],
    outputs: [{ name: 'u', dims: [1, 4, 16, 16] }],
  };
  const r = importOnnxBuffer(model(g), 'odd.onnx');
  assert.deepEqual(
    r.graph.layers.map((l) => l.type),
    ['relu', 'unsupported', 'resize'],
  );
  assert.match(
    r.yaml,
    /\{name: fancy, type: unsupported, op_type: FancyOp, output_shape: \[4, 8, 8\], origin: \/fancy\/FancyOp\}/,
  );
  // Resize after an unknown op still has its shape from its scales.
  assert.match(
    r.yaml,
    /\{name: up, type: resize, size: \[16, 16\], output_shape: \[4, 16, 16\], origin: \/up\/Resize\}/,
  );
  assert.equal(r.warnings.length, 2);
  assert.match(r.warnings[0], /node '\/fancy\/FancyOp' \(FancyOp\): output shape unknown/);
  assert.match(
    r.warnings[1],
    /node '\/fancy\/FancyOp' \(FancyOp\): operator of domain 'com\.example' not modelled; imported as `type: unsupported`/,
  );
});

test('opsets outside 11..21 are rejected with how to convert', () => {
  for (const v of [9, 22]) {
    assert.throws(
      () => importOnnxBuffer(model(smallCnn(), v), 'old.onnx'),
      (e: Error) => {
        assert.equal(
          e.message,
          `old.onnx: opset ${v} is not supported (accelmap reads opsets 11..21); convert it with onnx.version_converter.convert_version(model, 17) or re-export with opset_version=17`,
        );
        return true;
      },
    );
  }
  assert.equal(importOnnxBuffer(model(smallCnn(), 11), 'ok.onnx').layerCount, 6);
  assert.equal(importOnnxBuffer(model(smallCnn(), 21), 'ok.onnx').layerCount, 6);
});

test('truncated, corrupt, empty and non-ONNX files give a clear error, never a crash', () => {
  const good = model(smallCnn());
  const cases: [string, Buffer, RegExp][] = [
    [
      'truncated.onnx',
      good.subarray(0, Math.floor(good.length * 0.6)),
      /truncated\.onnx: not a readable ONNX model \(.*\); the file is truncated, corrupt or not ONNX/,
    ],
    ['empty.onnx', Buffer.alloc(0), /empty\.onnx: not a readable ONNX model \(the file has no graph/],
    ['text.onnx', Buffer.from('kind: network\nname: x\nlayers: []\n'), /text\.onnx: not a readable ONNX model/],
    [
      'png.onnx',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      /png\.onnx: not a readable ONNX model/,
    ],
  ];
  for (const [name, bytes, re] of cases) {
    assert.throws(() => importOnnxFileSync(write(name, bytes)), re, name);
  }
  // Every prefix of a valid model either imports or fails with an ImportError (a crude fuzz over truncation).
  for (let n = 0; n < good.length; n += 7) {
    try {
      importOnnxBuffer(good.subarray(0, n), 'cut.onnx');
    } catch (e) {
      assert.equal((e as Error).name, 'Error');
      assert.match((e as Error).message, /^cut\.onnx: /);
    }
  }
  assert.throws(() => importOnnxFileSync(join(dir, 'missing.onnx')), /missing\.onnx: cannot open the file \(ENOENT\)/);
});

test('a node reading a tensor nobody produced is reported with the node name', () => {
  const g = smallCnn();
  g.nodes[1] = { op: 'Relu', name: '/stem/act/Relu', inputs: ['nope'], outputs: ['r1'] };
  assert.throws(
    () => importOnnxBuffer(model(g), 'broken.onnx'),
    /broken\.onnx: node '\/stem\/act\/Relu' \(Relu\) reads 'nope', which no earlier node produces/,
  );
});

test('TF-style padding: Pad before a VALID conv folds into it; SAME_UPPER stride 2 becomes the symmetric padding with the same output', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'Pad', name: '/pad/Pad', inputs: ['x', 'pads'], outputs: ['xp'] },
      {
        op: 'Conv',
        name: '/c1/Conv',
        inputs: ['xp', 'w1'],
        outputs: ['c1'],
        attrs: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] } },
      },
      {
        op: 'Conv',
        name: '/c2/Conv',
        inputs: ['c1', 'w2'],
        outputs: ['c2'],
        attrs: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, auto_pad: { s: 'SAME_UPPER' } },
      },
      {
        op: 'MaxPool',
        name: '/p/MaxPool',
        inputs: ['c2'],
        outputs: ['y'],
        attrs: { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] }, auto_pad: { s: 'SAME_UPPER' } },
      },
    ],
    initializers: [
      { name: 'pads', dims: [8], dataType: DT.INT64, int64: [0, 0, 0, 0, 0, 0, 1, 1] },
      { name: 'w1', dims: [8, 3, 3, 3], raw: zeros([8, 3, 3, 3]) },
      { name: 'w2', dims: [8, 8, 3, 3], raw: zeros([8, 8, 3, 3]) },
    ],
    inputs: [{ name: 'x', dims: [1, 3, 224, 224] }],
    outputs: [{ name: 'y', dims: [1, 8, 28, 28] }],
  };
  const r = importOnnxBuffer(model(g), 'tf.onnx');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.graph.layers.map((l) => [l.name, l.type, l.specShape]),
    [
      ['c1', 'conv2d', [8, 112, 112]],
      ['c2', 'conv2d', [8, 56, 56]],
      ['p', 'maxpool', [8, 28, 28]],
    ],
  );
  assert.deepEqual(
    r.graph.layers[0].keys.find((k) => k[0] === 'padding'),
    ['padding', 1],
  );
  assert.deepEqual(
    r.graph.layers[1].keys.find((k) => k[0] === 'padding'),
    ['padding', 1],
  );
  assert.deepEqual(r.graph.layers[0].inputs, ['input']);
  const doc = analyze('file:///tf.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  assert.deepEqual(
    doc.network!.layers.map((l) => l.outShape),
    [
      [8, 112, 112],
      [8, 56, 56],
      [8, 28, 28],
    ],
  );
});

test('Split gives one slice layer per used output; QDQ pairs fold away', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'QuantizeLinear', name: '/q/QuantizeLinear', inputs: ['x', 'sc', 'zp'], outputs: ['xq'] },
      { op: 'DequantizeLinear', name: '/q/DequantizeLinear', inputs: ['xq', 'sc', 'zp'], outputs: ['xd'] },
      { op: 'Split', name: '/split/Split', inputs: ['xd', 'parts'], outputs: ['a', 'b'], attrs: { axis: { i: 1 } } },
      { op: 'Relu', name: '/ra/Relu', inputs: ['a'], outputs: ['ra'] },
      { op: 'Relu', name: '/rb/Relu', inputs: ['b'], outputs: ['rb'] },
      { op: 'Concat', name: '/cat/Concat', inputs: ['ra', 'rb'], outputs: ['y'], attrs: { axis: { i: 1 } } },
    ],
    initializers: [
      { name: 'sc', dims: [], floats: [0.1] },
      { name: 'zp', dims: [], dataType: DT.INT32, raw: Buffer.alloc(4) },
      { name: 'parts', dims: [2], dataType: DT.INT64, int64: [4, 12] },
    ],
    inputs: [{ name: 'x', dims: [2, 16] }],
    outputs: [{ name: 'y', dims: [2, 16] }],
  };
  const r = importOnnxBuffer(model(g), 'split.onnx');
  assert.deepEqual(
    r.graph.layers.map((l) => `${l.name}:${l.type}:${JSON.stringify(l.specShape)}:${l.inputs.join('+')}`),
    [
      'split.0:slice:[4]:input',
      'split.1:slice:[12]:input',
      'ra:relu:[4]:split.0',
      'rb:relu:[12]:split.1',
      'cat:concat:[16]:ra+rb',
    ],
  );
  assert.deepEqual(
    r.graph.layers.slice(0, 2).map((l) => l.keys),
    [
      [
        ['axis', 0],
        ['start', 0],
        ['end', 4],
      ],
      [
        ['axis', 0],
        ['start', 4],
        ['end', 16],
      ],
    ],
  );
  assert.deepEqual(r.warnings, []);
  const doc = analyze('file:///split.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
});

test('--batch also replaces a batch baked into a Reshape target by a fixed-batch export', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'Relu', name: '/r/Relu', inputs: ['x'], outputs: ['r'] },
      { op: 'Reshape', name: '/view/Reshape', inputs: ['r', 'shape'], outputs: ['v'] },
      { op: 'Gemm', name: '/fc/Gemm', inputs: ['v', 'w'], outputs: ['y'], attrs: { transB: { i: 1 } } },
    ],
    initializers: [
      { name: 'shape', dims: [2], dataType: DT.INT64, int64: [1, -1] },
      { name: 'w', dims: [10, 48], raw: zeros([10, 48]) },
    ],
    inputs: [{ name: 'x', dims: [1, 3, 4, 4] }],
    outputs: [{ name: 'y', dims: [1, 10] }],
  };
  const r = importOnnxBuffer(model(g), 'view.onnx', { batch: 16 });
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.graph.layers.map((l) => [l.type, l.outShape]),
    [
      ['relu', [16, 3, 4, 4]],
      ['reshape', [16, 48]],
      ['linear', [16, 10]],
    ],
  );
});

test('ReduceMean over H and W is global average pooling (keepdims 0 adds a flatten)', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'Relu', name: '/r/Relu', inputs: ['x'], outputs: ['r'] },
      {
        op: 'ReduceMean',
        name: '/gap/ReduceMean',
        inputs: ['r'],
        outputs: ['m'],
        attrs: { axes: { ints: [-2, -1] }, keepdims: { i: 0 } },
      },
      { op: 'Gemm', name: '/fc/Gemm', inputs: ['m', 'w'], outputs: ['y'], attrs: { transB: { i: 1 } } },
    ],
    initializers: [{ name: 'w', dims: [10, 8], raw: zeros([10, 8]) }],
    inputs: [{ name: 'x', dims: [2, 8, 7, 7] }],
    outputs: [{ name: 'y', dims: [2, 10] }],
  };
  const r = importOnnxBuffer(model(g, 13), 'gap.onnx');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.graph.layers.map((l) => `${l.name}:${l.type}:${JSON.stringify(l.specShape)}:${l.inputs.join('+')}`),
    ['r:relu:[8,7,7]:input', 'gap:global_avgpool:[8,1,1]:r', 'gap_2:flatten:[8]:gap', 'fc:linear:[10]:gap_2'],
  );
  const doc = analyze('file:///gap.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
});
