// A small transformer block as PyTorch exports it (embedding Gather, LayerNormalization, MatMul+Add projections,
// Reshape/Transpose into heads, MatMul between activations, Softmax, residual Add, Erf-GELU MLP): the imported
// spec must analyse without errors (the spec core re-infers every shape and checks our output_shape values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnxBuffer } from '../../../server/src/onnx/index';
import { analyze } from '../../../server/src/spec/index';
import { DT, model, zeros, type GraphSpec, type NodeSpec, type TensorSpec } from './onnx-writer';

const B = 2,
  T = 8,
  D = 32,
  H = 4,
  V = 100,
  F = 64;
const i64 = (name: string, v: number[]): TensorSpec => ({ name, dims: [v.length], dataType: DT.INT64, int64: v });
const w = (name: string, dims: number[]): TensorSpec => ({ name, dims, raw: zeros(dims) });

function block(): GraphSpec {
  const nodes: NodeSpec[] = [
    { op: 'Gather', name: '/embed/Gather', inputs: ['emb.weight', 'ids'], outputs: ['x0'] },
    {
      op: 'LayerNormalization',
      name: '/ln1/LayerNormalization',
      inputs: ['x0', 'ln1.w', 'ln1.b'],
      outputs: ['x1'],
      attrs: { axis: { i: -1 }, epsilon: { f: 1e-5 } },
    },
  ];
  for (const p of ['q', 'k', 'v']) {
    nodes.push(
      { op: 'MatMul', name: `/attn/${p}_proj/MatMul`, inputs: ['x1', `${p}.w`], outputs: [`${p}0`] },
      { op: 'Add', name: `/attn/${p}_proj/Add`, inputs: [`${p}.b`, `${p}0`], outputs: [`${p}1`] },
      { op: 'Reshape', name: `/attn/Reshape_${p}`, inputs: [`${p}1`, 'heads'], outputs: [`${p}2`] },
      {
        op: 'Transpose',
        name: `/attn/Transpose_${p}`,
        inputs: [`${p}2`],
        outputs: [`${p}3`],
        attrs: { perm: { ints: p === 'k' ? [0, 2, 3, 1] : [0, 2, 1, 3] } },
      },
    );
  }
  nodes.push(
    { op: 'MatMul', name: '/attn/MatMul', inputs: ['q3', 'k3'], outputs: ['s0'] },
    { op: 'Div', name: '/attn/Div', inputs: ['s0', 'scale'], outputs: ['s1'] },
    { op: 'Softmax', name: '/attn/Softmax', inputs: ['s1'], outputs: ['a'], attrs: { axis: { i: -1 } } },
    { op: 'MatMul', name: '/attn/MatMul_1', inputs: ['a', 'v3'], outputs: ['o0'] },
    {
      op: 'Transpose',
      name: '/attn/Transpose_o',
      inputs: ['o0'],
      outputs: ['o1'],
      attrs: { perm: { ints: [0, 2, 1, 3] } },
    },
    { op: 'Reshape', name: '/attn/Reshape_o', inputs: ['o1', 'merge'], outputs: ['o2'] },
    { op: 'MatMul', name: '/attn/out_proj/MatMul', inputs: ['o2', 'o.w'], outputs: ['o3'] },
    { op: 'Add', name: '/Add', inputs: ['x0', 'o3'], outputs: ['r1'] },
    { op: 'MatMul', name: '/mlp/fc1/MatMul', inputs: ['r1', 'fc1.w'], outputs: ['m0'] },
    { op: 'Div', name: '/mlp/act/Div', inputs: ['m0', 'sqrt2'], outputs: ['m1'] },
    { op: 'Erf', name: '/mlp/act/Erf', inputs: ['m1'], outputs: ['m2'] },
    { op: 'Add', name: '/mlp/act/Add', inputs: ['m2', 'one'], outputs: ['m3'] },
    { op: 'Mul', name: '/mlp/act/Mul', inputs: ['m0', 'm3'], outputs: ['m4'] },
    { op: 'Mul', name: '/mlp/act/Mul_1', inputs: ['m4', 'half'], outputs: ['m5'] },
    { op: 'MatMul', name: '/mlp/fc2/MatMul', inputs: ['m5', 'fc2.w'], outputs: ['m6'] },
    { op: 'Add', name: '/mlp/fc2/Add', inputs: ['m6', 'fc2.b'], outputs: ['m7'] },
    { op: 'Add', name: '/Add_1', inputs: ['r1', 'm7'], outputs: ['y'] },
  );
  return {
    nodes,
    initializers: [
      w('emb.weight', [V, D]),
      w('ln1.w', [D]),
      w('ln1.b', [D]),
      ...['q', 'k', 'v'].flatMap((p) => [w(`${p}.w`, [D, D]), w(`${p}.b`, [D])]),
      i64('heads', [0, 0, H, D / H]),
      i64('merge', [0, 0, D]),
      { name: 'scale', dims: [], floats: [Math.sqrt(D / H)] },
      { name: 'sqrt2', dims: [], floats: [Math.SQRT2] },
      { name: 'one', dims: [], floats: [1] },
      { name: 'half', dims: [], floats: [0.5] },
      w('o.w', [D, D]),
      w('fc1.w', [D, F]),
      w('fc2.w', [F, D]),
      w('fc2.b', [D]),
    ],
    inputs: [{ name: 'ids', dims: ['batch', T] }],
    outputs: [{ name: 'y', dims: ['batch', T, D] }],
  };
}

test('a transformer block imports to a spec the spec core accepts, with the expected layers', () => {
  const r = importOnnxBuffer(model(block()), 'block.onnx', { batch: B });
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.graph.layers.map((l) => `${l.name}:${l.type}`),
    [
      'embed:embedding',
      'ln1:layernorm',
      'attn.q_proj:linear',
      'attn.reshape:reshape',
      'attn.transpose:transpose',
      'attn.k_proj:linear',
      'attn.reshape_2:reshape',
      'attn.transpose_2:transpose',
      'attn.v_proj:linear',
      'attn.reshape_3:reshape',
      'attn.transpose_3:transpose',
      'attn.matmul:matmul',
      'attn.softmax:softmax',
      'attn.matmul_2:matmul',
      'attn.transpose_4:transpose',
      'attn.reshape_4:reshape',
      'attn.out_proj:linear',
      'add1:add',
      'mlp.fc1:linear',
      'mlp.act:gelu',
      'mlp.fc2:linear',
      'add2:add',
    ],
  );
  const byName = new Map(r.graph.layers.map((l) => [l.name, l]));
  assert.deepEqual(byName.get('attn.q_proj')!.keys, [
    ['out_features', D],
    ['bias', true],
  ]);
  assert.deepEqual(byName.get('attn.out_proj')!.keys, [
    ['out_features', D],
    ['bias', false],
  ]);
  assert.deepEqual(byName.get('attn.matmul')!.outShape, [B, H, T, T]);
  assert.deepEqual(byName.get('attn.matmul')!.inputs, ['attn.transpose', 'attn.transpose_2']);
  assert.deepEqual(byName.get('embed')!.keys, [
    ['num_embeddings', V],
    ['embedding_dim', D],
  ]);
  assert.deepEqual(byName.get('add1')!.inputs, ['embed', 'attn.out_proj']);
  const doc = analyze('file:///block.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1}: ${d.message}`),
    [],
  );
  const net = doc.network!;
  assert.equal(net.batch, B);
  assert.deepEqual(net.inputShape, [T]);
  // MACs per the spec core equal the importer's own count: linears N*T*in*out, matmuls N*H*T*T*dh twice.
  const macs = net.layers.reduce((a, l) => a + l.macs, 0);
  const expected = B * T * (4 * D * D + 2 * D * F) + 2 * B * H * T * T * (D / H);
  assert.equal(macs, expected);
});

test('a LayerNorm decomposed by an opset-13 export (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add) is one layernorm', () => {
  const g = block();
  const at = g.nodes.findIndex((n) => n.op === 'LayerNormalization');
  g.nodes.splice(
    at,
    1,
    { op: 'ReduceMean', name: '/ln1/ReduceMean', inputs: ['x0'], outputs: ['mu'], attrs: { axes: { ints: [-1] } } },
    { op: 'Sub', name: '/ln1/Sub', inputs: ['x0', 'mu'], outputs: ['d'] },
    { op: 'Pow', name: '/ln1/Pow', inputs: ['d', 'two'], outputs: ['d2'] },
    { op: 'ReduceMean', name: '/ln1/ReduceMean_1', inputs: ['d2'], outputs: ['var'], attrs: { axes: { ints: [-1] } } },
    { op: 'Add', name: '/ln1/Add', inputs: ['var', 'eps'], outputs: ['ve'] },
    { op: 'Sqrt', name: '/ln1/Sqrt', inputs: ['ve'], outputs: ['sd'] },
    { op: 'Div', name: '/ln1/Div', inputs: ['d', 'sd'], outputs: ['nrm'] },
    { op: 'Mul', name: '/ln1/Mul', inputs: ['nrm', 'ln1.w'], outputs: ['sc'] },
    { op: 'Add', name: '/ln1/Add_1', inputs: ['sc', 'ln1.b'], outputs: ['x1'] },
  );
  g.initializers!.push({ name: 'two', dims: [], floats: [2] }, { name: 'eps', dims: [], floats: [1e-5] });
  const r = importOnnxBuffer(model(g, 13), 'block13.onnx', { batch: B });
  assert.deepEqual(r.warnings, []);
  const names = r.graph.layers.map((l) => `${l.name}:${l.type}`);
  assert.deepEqual(names.slice(0, 3), ['embed:embedding', 'ln1:layernorm', 'attn.q_proj:linear']);
  assert.equal(names.length, 22);
  assert.deepEqual(r.graph.layers[2].inputs, ['ln1']);
  const doc = analyze('file:///block13.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
});
