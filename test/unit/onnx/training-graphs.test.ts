// Operators and graph forms of today's training exports, one small graph each: data inputs told by use (an int64
// token input named like a parameter), Einsum attention, Where/Trilu/CumSum masks, Slice with negative and
// out-of-range bounds, Gather of a class token, Expand, fused contrib attention and SkipLayerNormalization, RNN,
// If with a constant condition, Loop over activations (an error that says what to do), model-local functions
// (the dynamo-based exporter) and the messages of every import error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnxBuffer, type OnnxImport } from '../../../server/src/onnx/index';
import { analyze } from '../../../server/src/spec/index';
import { DT, model, zeros, type GraphSpec, type TensorSpec } from './onnx-writer';

const w = (name: string, dims: number[]): TensorSpec => ({ name, dims, raw: zeros(dims) });
const i64 = (name: string, v: number[], dims = [v.length]): TensorSpec => ({
  name,
  dims,
  dataType: DT.INT64,
  int64: v,
});
const f32 = (name: string, v: number): TensorSpec => ({ name, dims: [], floats: [v] });

function checked(r: OnnxImport): void {
  const doc = analyze('file:///t.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1}: ${d.message}`),
    [],
    r.yaml,
  );
}
const summary = (r: OnnxImport) => r.graph.layers.map((l) => `${l.name}:${l.type}:${JSON.stringify(l.specShape)}`);

test('export_params=False: an int64 token input named like a parameter is the data input; weights named like inputs are not', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'Gather', name: '/wte/Gather', inputs: ['input.weight', 'onnx::Gather_0'], outputs: ['e'] },
      {
        op: 'Transpose',
        name: '/head/Transpose',
        inputs: ['lm.weight'],
        outputs: ['wt'],
        attrs: { perm: { ints: [1, 0] } },
      },
      { op: 'MatMul', name: '/head/MatMul', inputs: ['e', 'wt'], outputs: ['y'] },
    ],
    // Every parameter is a graph input (no initializers); the token input comes first, as exporters list it.
    inputs: [
      { name: 'onnx::Gather_0', dims: [2, 16], elemType: DT.INT64 },
      { name: 'input.weight', dims: [100, 32] },
      { name: 'lm.weight', dims: [100, 32] },
    ],
    outputs: [{ name: 'y', dims: [2, 16, 100] }],
  };
  const r = importOnnxBuffer(model(g), 'gpt.onnx');
  assert.deepEqual(summary(r), ['wte:embedding:[16,32]', 'head:linear:[16,100]']);
  assert.match(r.yaml, /^input_shape: \[16\]$/m);
  checked(r);
  // Named explicitly, the choice is the user's.
  assert.throws(
    () => importOnnxBuffer(model(g), 'gpt.onnx', { input: 'x' }),
    /gpt\.onnx: --input 'x' is not a graph input of this model \(its inputs without initializers: 'onnx::Gather_0', 'input\.weight', 'lm\.weight'\)/,
  );
});

test('a graph whose every input is read only where weights go says so and names the option', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'Conv', name: '/c/Conv', inputs: ['c', 'w'], outputs: ['y'], attrs: { kernel_shape: { ints: [1, 1] } } },
    ],
    initializers: [w('c', [1, 3, 4, 4])],
    inputs: [{ name: 'w', dims: [8, 3, 1, 1] }],
    outputs: [{ name: 'y', dims: [1, 8, 4, 4] }],
  };
  assert.throws(
    () => importOnnxBuffer(model(g), 'w.onnx'),
    /w\.onnx: the graph has no data input: every graph input \(1\) is read only where weights go; export the model with its input as a graph input, or name it with --input NAME/,
  );
});

test('Einsum attention (bhid,bhjd->bhij and bhij,bhjd->bhid) is a pair of matmuls; x @ W as einsum is a linear layer', () => {
  const B = 2,
    H = 4,
    T = 8,
    D = 16;
  const g: GraphSpec = {
    nodes: [
      { op: 'Reshape', name: '/q/Reshape', inputs: ['x', 'heads'], outputs: ['q'] },
      {
        op: 'Transpose',
        name: '/q/Transpose',
        inputs: ['q'],
        outputs: ['qt'],
        attrs: { perm: { ints: [0, 2, 1, 3] } },
      },
      {
        op: 'Einsum',
        name: '/att/Einsum',
        inputs: ['qt', 'qt'],
        outputs: ['s'],
        attrs: { equation: { s: 'bhid,bhjd->bhij' } },
      },
      { op: 'Softmax', name: '/att/Softmax', inputs: ['s'], outputs: ['p'], attrs: { axis: { i: -1 } } },
      {
        op: 'Einsum',
        name: '/att/Einsum_1',
        inputs: ['p', 'qt'],
        outputs: ['o'],
        attrs: { equation: { s: 'bhij,bhjd->bhid' } },
      },
      {
        op: 'Einsum',
        name: '/att/Einsum_2',
        inputs: ['o', 'wo'],
        outputs: ['y'],
        attrs: { equation: { s: 'bhid,de->bhie' } },
      },
    ],
    initializers: [i64('heads', [0, 0, H, (D / H) * 4]), w('wo', [D, 5])],
    inputs: [{ name: 'x', dims: [B, T, H * D] }],
    outputs: [{ name: 'y', dims: [B, H, T, 5] }],
  };
  g.initializers![0] = i64('heads', [0, 0, H, D]);
  const r = importOnnxBuffer(model(g), 'einsum.onnx');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    summary(r),
    [
      'q:reshape:[8,4,16]',
      'q.transpose:transpose:[4,8,16]',
      'att:matmul:[4,8,8]',
      'att_2:softmax:[4,8,8]',
      'att_3:matmul:[4,8,16]',
      'att_4:linear:[4,8,5]',
    ].map((s) => s.replace('q.transpose', 'q_2')),
  );
  assert.deepEqual(r.graph.layers[2].keys, [['transpose_b', true]]);
  checked(r);
  const doc = analyze('file:///e.net.yaml', r.yaml);
  assert.equal(doc.network!.layers[2].macs, B * H * T * T * D);
});

test('masks and positions: Where, Trilu, CumSum on activations are element-wise layers; Expand broadcasts', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'Trilu', name: '/mask/Trilu', inputs: ['x'], outputs: ['t'], attrs: { upper: { i: 0 } } },
      { op: 'Where', name: '/mask/Where', inputs: ['cond', 't', 'ninf'], outputs: ['m'] },
      { op: 'CumSum', name: '/pos/CumSum', inputs: ['m', 'axis'], outputs: ['c'] },
      { op: 'Unsqueeze', name: '/e/Unsqueeze', inputs: ['c', 'ax1'], outputs: ['u'] },
      { op: 'Expand', name: '/e/Expand', inputs: ['u', 'shape'], outputs: ['y'] },
    ],
    initializers: [
      { name: 'cond', dims: [8, 8], dataType: 9, raw: Buffer.alloc(64, 1) },
      f32('ninf', -1e9),
      i64('axis', [1], []),
      i64('ax1', [1]),
      i64('shape', [2, 3, 8, 8]),
    ],
    inputs: [{ name: 'x', dims: [2, 8, 8] }],
    outputs: [{ name: 'y', dims: [2, 3, 8, 8] }],
  };
  const r = importOnnxBuffer(model(g), 'mask.onnx');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(summary(r), [
    'mask:elementwise:[8,8]',
    'mask_2:elementwise:[8,8]',
    'pos:elementwise:[8,8]',
    'e:reshape:[1,8,8]',
    'e_2:expand:[3,8,8]',
  ]);
  assert.deepEqual(r.graph.layers.map((l) => l.keys.find((k) => k[0] === 'op')?.[1]).slice(0, 3), [
    'Trilu',
    'Where',
    'CumSum',
  ]);
  checked(r);
});

test('Slice with negative and out-of-range bounds and a negative step; Gather of a class token; Split', () => {
  const g: GraphSpec = {
    nodes: [
      { op: 'Slice', name: '/s/Slice', inputs: ['x', 'st', 'en', 'ax', 'sp'], outputs: ['a'] },
      { op: 'Slice', name: '/r/Slice', inputs: ['a', 'st2', 'en2', 'ax2', 'sp2'], outputs: ['b'] },
      { op: 'Gather', name: '/cls/Gather', inputs: ['b', 'zero'], outputs: ['c'], attrs: { axis: { i: 1 } } },
      { op: 'Split', name: '/sp/Split', inputs: ['c', 'parts'], outputs: ['d', 'e'], attrs: { axis: { i: -1 } } },
      { op: 'Add', name: '/add/Add', inputs: ['d', 'e'], outputs: ['y'] },
    ],
    initializers: [
      // x[:, -5:1000] on axis 1 (T), then reversed on axis 2 with step -1 from the end
      i64('st', [-5]),
      i64('en', [1000]),
      i64('ax', [1]),
      i64('sp', [1]),
      i64('st2', [-1]),
      i64('en2', [-1000]),
      i64('ax2', [2]),
      i64('sp2', [-1]),
      i64('zero', [0], []),
      i64('parts', [6, 6]),
    ],
    inputs: [{ name: 'x', dims: [2, 10, 12] }],
    outputs: [{ name: 'y', dims: [2, 6] }],
  };
  const r = importOnnxBuffer(model(g), 'slice.onnx');
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(summary(r), [
    's:slice:[5,12]',
    'r:slice:[5,12]',
    'cls:slice:[12]',
    'sp.0:slice:[6]',
    'sp.1:slice:[6]',
    'add:add:[6]',
  ]);
  assert.deepEqual(r.graph.layers[0].keys, [
    ['axis', 0],
    ['start', 5],
    ['end', 10],
  ]);
  assert.deepEqual(r.graph.layers[1].keys, [
    ['axis', 1],
    ['start', 11],
    ['step', -1],
  ]);
  assert.deepEqual(r.graph.layers[2].keys, [
    ['axis', 0],
    ['start', 0],
    ['end', 1],
    ['keep_dim', false],
  ]);
  checked(r);
});

test('fused contrib operators: com.microsoft Attention, SkipLayerNormalization and FastGelu become the layers they fuse', () => {
  const B = 2,
    T = 8,
    D = 16,
    H = 4;
  const g: GraphSpec = {
    nodes: [
      {
        op: 'Attention',
        domain: 'com.microsoft',
        name: '/att/Attention',
        inputs: ['x', 'wqkv', 'bqkv'],
        outputs: ['a'],
        attrs: { num_heads: { i: H } },
      },
      {
        op: 'SkipLayerNormalization',
        domain: 'com.microsoft',
        name: '/ln/SkipLayerNormalization',
        inputs: ['a', 'x', 'g', 'b'],
        outputs: ['n'],
      },
      { op: 'FastGelu', domain: 'com.microsoft', name: '/act/FastGelu', inputs: ['n'], outputs: ['y'] },
    ],
    initializers: [w('wqkv', [D, 3 * D]), w('bqkv', [3 * D]), w('g', [D]), w('b', [D])],
    inputs: [{ name: 'x', dims: [B, T, D] }],
    outputs: [{ name: 'y', dims: [B, T, D] }],
  };
  const r = importOnnxBuffer(model(g, 17, { domains: [{ domain: 'com.microsoft', version: 1 }] }), 'ort.onnx');
  assert.deepEqual(r.warnings, []);
  const types = r.graph.layers.map((l) => l.type);
  assert.deepEqual(types.filter((t) => t === 'matmul').length, 2);
  assert.deepEqual(types.slice(0, 4), ['linear', 'slice', 'slice', 'slice']);
  assert.deepEqual(types.slice(-3), ['add', 'layernorm', 'gelu']);
  checked(r);
  const doc = analyze('file:///o.net.yaml', r.yaml);
  const macs = doc.network!.layers.reduce((s, l) => s + l.macs, 0);
  assert.equal(macs, B * T * D * 3 * D + 2 * B * T * T * D);
});

test('RNN nodes are rnn layers (one gate)', () => {
  const g: GraphSpec = {
    nodes: [
      {
        op: 'RNN',
        name: '/rnn/RNN',
        inputs: ['x', 'W', 'R', 'Bb'],
        outputs: ['y', 'h'],
        attrs: { hidden_size: { i: 20 } },
      },
      { op: 'Squeeze', name: '/Squeeze', inputs: ['y', 'ax'], outputs: ['z'] },
    ],
    initializers: [w('W', [1, 20, 10]), w('R', [1, 20, 20]), w('Bb', [1, 40]), i64('ax', [1])],
    inputs: [{ name: 'x', dims: [6, 3, 10] }],
    outputs: [{ name: 'z', dims: [6, 3, 20] }],
  };
  const r = importOnnxBuffer(model(g), 'rnn.onnx', { batch: 3 });
  assert.deepEqual(summary(r), ['rnn:rnn:[6,20]']);
  checked(r);
  assert.equal(analyze('file:///r.net.yaml', r.yaml).network!.layers[0].macs, 3 * 6 * 20 * (10 + 20));
});

test('If with a constant condition runs its branch; a Loop over activations is an error saying what to do', () => {
  const thenG: GraphSpec = {
    nodes: [{ op: 'Relu', name: '/then/Relu', inputs: ['x'], outputs: ['t'] }],
    inputs: [],
    outputs: [{ name: 't', dims: [2, 4] }],
  };
  const elseG: GraphSpec = {
    nodes: [{ op: 'Sigmoid', name: '/else/Sigmoid', inputs: ['x'], outputs: ['e'] }],
    inputs: [],
    outputs: [{ name: 'e', dims: [2, 4] }],
  };
  const g: GraphSpec = {
    nodes: [
      {
        op: 'If',
        name: '/if/If',
        inputs: ['cond'],
        outputs: ['y'],
        attrs: { then_branch: { g: thenG }, else_branch: { g: elseG } },
      },
    ],
    initializers: [{ name: 'cond', dims: [], dataType: 9, raw: Buffer.from([0]) }],
    inputs: [{ name: 'x', dims: [2, 4] }],
    outputs: [{ name: 'y', dims: [2, 4] }],
  };
  const r = importOnnxBuffer(model(g), 'if.onnx');
  assert.deepEqual(summary(r), ['else:sigmoid:[4]']);
  const body: GraphSpec = {
    nodes: [{ op: 'Relu', name: '/body/Relu', inputs: ['x'], outputs: ['b'] }],
    inputs: [
      { name: 'i', dims: [] },
      { name: 'c', dims: [] },
    ],
    outputs: [
      { name: 'c', dims: [] },
      { name: 'b', dims: [2, 4] },
    ],
  };
  const loop: GraphSpec = {
    nodes: [{ op: 'Loop', name: '/loop/Loop', inputs: ['n', 'cond'], outputs: ['y'], attrs: { body: { g: body } } }],
    initializers: [i64('n', [3], []), { name: 'cond', dims: [], dataType: 9, raw: Buffer.from([1]) }],
    inputs: [{ name: 'x', dims: [2, 4] }],
    outputs: [{ name: 'y', dims: [3, 2, 4] }],
  };
  const r2 = importOnnxBuffer(model(loop), 'loopv.onnx');
  assert.deepEqual(
    r2.graph.layers.map((l) => l.type),
    ['unsupported'],
  );
  assert.match(r2.warnings[0], /node '\/loop\/Loop' \(Loop\): a data-dependent Loop is not modelled/);
  loop.outputs = [{ name: 'y', dims: ['?'] }];
  assert.throws(
    () => importOnnxBuffer(model(loop), 'loop.onnx'),
    /loop\.onnx: node '\/loop\/Loop' \(Loop\) runs a data-dependent Loop over activations and its output shape is not in the model; export the model traced \(torch\.onnx\.export unrolls Python loops\)/,
  );
});

test('model-local functions (the dynamo-based exporter) are inlined, with attribute references resolved', () => {
  const g: GraphSpec = {
    nodes: [
      {
        op: 'Block',
        domain: 'pkg.torch',
        name: '/blk',
        inputs: ['x', 'w'],
        outputs: ['y'],
        attrs: { alpha: { f: 0.2 } },
      },
    ],
    initializers: [w('w', [16, 8])],
    inputs: [{ name: 'x', dims: [4, 16] }],
    outputs: [{ name: 'y', dims: [4, 8] }],
  };
  const fn = {
    name: 'Block',
    domain: 'pkg.torch',
    inputs: ['a', 'wt'],
    outputs: ['o'],
    attributes: ['alpha'],
    nodes: [
      { op: 'MatMul', name: 'fc/MatMul', inputs: ['a', 'wt'], outputs: ['h'] },
      { op: 'LeakyRelu', name: 'act/LeakyRelu', inputs: ['h'], outputs: ['o'], attrs: { alpha: { ref: 'alpha' } } },
    ],
  };
  const r = importOnnxBuffer(
    model(g, 18, { functions: [fn], domains: [{ domain: 'pkg.torch', version: 1 }] }),
    'dynamo.onnx',
  );
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(summary(r), ['blk.fc:linear:[8]', 'blk.act:leaky_relu:[8]']);
  assert.deepEqual(r.graph.layers[1].keys, [['negative_slope', 0.2]]);
  checked(r);
});

test('an output shape that cannot be inferred names the node, its operator, its input shapes and what fixes it', () => {
  const g: GraphSpec = {
    nodes: [{ op: 'Expand', name: '/e/Expand', inputs: ['x', 'target'], outputs: ['y'] }],
    inputs: [
      { name: 'x', dims: [2, 4] },
      { name: 'target', dims: [3], elemType: DT.INT64 },
    ],
    outputs: [{ name: 'y', dims: ['?'] }],
  };
  assert.throws(
    () => importOnnxBuffer(model(g), 'nz.onnx'),
    (e: Error) => {
      assert.equal(
        e.message,
        "nz.onnx: cannot infer the output shape of node '/e/Expand' (Expand) from its inputs x [2, 4], target [3]; " +
          'add the shapes to the model (onnx.shape_inference.infer_shapes(model) writes value_info) or re-export it with static shapes',
      );
      return true;
    },
  );
});

test("--batch-axis picks a seq-first token input's batch; a bad axis is an error naming the rank", () => {
  const g: GraphSpec = {
    nodes: [{ op: 'Gather', name: '/emb/Gather', inputs: ['table', 'src'], outputs: ['y'] }],
    initializers: [w('table', [50, 8])],
    inputs: [{ name: 'src', dims: [12, 3], elemType: DT.INT64 }],
    outputs: [{ name: 'y', dims: [12, 3, 8] }],
  };
  const r = importOnnxBuffer(model(g), 's2s.onnx', { batchAxis: 1 });
  assert.equal(r.graph.batch, 3);
  assert.match(r.yaml, /^input_shape: \[12\]$/m);
  assert.throws(
    () => importOnnxBuffer(model(g), 's2s.onnx', { batchAxis: 2 }),
    /--batch-axis 2 is not an axis of graph input 'src' \(rank 2: 0\.\.1\)/,
  );
});

test('Einsum forms: a permutation is a transpose, operands out of order take transpose_a/_b or a transpose, the output is permuted back; other forms are unsupported with the reason', () => {
  const one = (eq: string, dims: number[], operands = 2, extra: TensorSpec[] = [], inputs?: string[]) => {
    const r = importOnnxBuffer(
      model({
        nodes: [
          {
            op: 'Einsum',
            name: '/e/Einsum',
            inputs: inputs ?? Array.from({ length: operands }, (_, i) => (extra[i - 1] ? extra[i - 1].name : 'x')),
            outputs: ['y'],
            attrs: { equation: { s: eq } },
          },
          { op: 'Relu', name: '/r/Relu', inputs: ['y'], outputs: ['z'] },
        ],
        initializers: extra,
        inputs: [{ name: 'x', dims }],
        outputs: [{ name: 'z', dims: [] }],
      }),
      'e.onnx',
    );
    return { layers: summary(r), keys: r.graph.layers.map((l) => l.keys), warnings: r.warnings };
  };
  const perm = one('bij->bji', [2, 3, 4], 1);
  assert.deepEqual(perm.layers.slice(0, 1), ['e:transpose:[4,3]']);
  const ta = one('bji,bjk->bik', [2, 5, 3]);
  assert.deepEqual(ta.layers[0], 'e:matmul:[3,3]');
  assert.deepEqual(ta.keys[0], [['transpose_a', true]]);
  const back = one('bij,bkj->bki', [2, 3, 4]);
  assert.deepEqual(back.layers.slice(0, 2), ['e.mm:matmul:[3,3]', 'e.o:transpose:[3,3]']);
  const three = one('bij,bjk,bkl->bil', [2, 3, 3], 3);
  assert.match(
    three.warnings.join('\n'),
    /einsum 'bij,bjk,bkl->bil': einsums of more than two operands are not modelled/,
  );
  const xw = one('bsi,io->bso', [2, 7, 3], 2, [w('W', [3, 5])]);
  assert.deepEqual(xw.layers[0], 'e:linear:[7,5]');
  const wx = one('ij,bj->bi', [2, 3], 2, [w('W', [4, 3])], ['W', 'x']);
  assert.match(wx.warnings.join('\n'), /einsum 'ij,bj->bi': an einsum with a constant operand other than x @ W/);
  const sumOne = one('bij,bjk->b', [2, 3, 3]);
  assert.match(sumOne.warnings.join('\n'), /a letter summed over in only one operand is not modelled/);
});
