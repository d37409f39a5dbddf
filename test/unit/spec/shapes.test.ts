// Shape inference for every layer type (hand-checked numbers), wiring (skips, attention) and graph errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, codes, layers, net, only } from './helpers';
import { TRANSFORMER_YAML, resnet50Yaml } from './fixtures';
import type { LayerModel } from '../../../server/src/spec/types';

/** The last layer of a one-or-more-layer network (batch 2), asserting no diagnostics. */
function last(input: string, ...ls: string[]): LayerModel {
  const d = net(layers(input, ...ls));
  assert.deepEqual(d.diagnostics, [], JSON.stringify(d.diagnostics));
  return d.network!.layers[d.network!.layers.length - 1];
}

test('conv2d: stride/padding/dilation, params with and without bias, MACs for the batch', () => {
  // 3x32x32, K=16, 5x5, stride 2, pad 2: P = floor((32+4-4-1)/2)+1 = 16
  let l = last('[3, 32, 32]', '{type: conv2d, out_channels: 16, kernel_size: 5, stride: 2, padding: 2}');
  assert.deepEqual(l.outShape, [16, 16, 16]);
  assert.equal(l.params, 16 * 3 * 25 + 16);
  assert.equal(l.macs, 2 * 16 * 16 * 16 * 3 * 25);
  // dilation 2 with a 3x3 kernel spans 5: P = floor((10 - 2*2 - 1)/1)+1 = 6; rectangular kernel [1, 3]
  l = last('[4, 10, 10]', '{type: conv2d, out_channels: 8, kernel_size: [3, 1], dilation: 2, bias: false}');
  assert.deepEqual(l.outShape, [8, 6, 10]);
  assert.equal(l.params, 8 * 4 * 3);
  // `same` keeps H and W (stride 1)
  assert.deepEqual(
    last('[4, 9, 7]', '{type: conv2d, out_channels: 4, kernel_size: 3, padding: same}').outShape,
    [4, 9, 7],
  );
});

test('conv2d: grouped and depthwise', () => {
  const g = last('[8, 4, 4]', '{type: conv2d, out_channels: 16, kernel_size: 3, padding: 1, groups: 4, bias: false}');
  assert.equal(g.params, 16 * 2 * 9);
  assert.equal(g.macs, 2 * 16 * 16 * 2 * 9);
  const dw = last(
    '[32, 112, 112]',
    '{type: conv2d, out_channels: 32, kernel_size: 3, padding: 1, groups: 32, bias: false}',
  );
  assert.equal(dw.params, 288);
  assert.equal(dw.macs, 2 * 32 * 112 * 112 * 9);
});

test('conv2d errors: groups divisibility AM4002, kernel larger than the padded input AM4007, same with stride AM4013, rank AM4008', () => {
  const g = only(net(layers('[30, 8, 8]', '{type: conv2d, out_channels: 8, kernel_size: 1, groups: 4}')), 'AM4002');
  assert.match(g.message, /in_channels 30 \(from `input`\) is not divisible by groups = 4/);
  const k = only(net(layers('[3, 5, 5]', '{type: conv2d, out_channels: 8, kernel_size: 7}')), 'AM4007');
  assert.match(k.message, /\[8,-1,-1\].*kernel 7x7.*larger than the padded input 5x5/);
  assert.deepEqual(
    codes(net(layers('[3, 8, 8]', '{type: conv2d, out_channels: 8, kernel_size: 3, stride: 2, padding: same}'))),
    ['AM4013'],
  );
  assert.match(
    only(net(layers('[64]', '{type: conv2d, out_channels: 8, kernel_size: 3}')), 'AM4008').message,
    /expects a \[C,H,W\] input.*`input` gives \[64\]/,
  );
});

test('linear on the last dim; rows multiply MACs', () => {
  const l = last('[10, 64]', '{type: linear, out_features: 32}');
  assert.deepEqual(l.outShape, [10, 32]);
  assert.equal(l.params, 64 * 32 + 32);
  assert.equal(l.macs, 2 * 10 * 64 * 32);
});

test('matmul: transpose flags, batched leading dims with broadcasting, inner-dim mismatch', () => {
  const d = net(
    layers(
      '[4, 6, 8]',
      '{name: a, type: relu}',
      '{name: b, type: transpose, perm: [0, 2, 1], inputs: [input]}',
      '{name: m, type: matmul, inputs: [a, b]}',
      '{name: t, type: matmul, transpose_b: true, inputs: [a, a]}',
    ),
  );
  assert.deepEqual(d.diagnostics, []);
  const [, , m, t] = d.network!.layers;
  assert.deepEqual(m.outShape, [4, 6, 6]);
  assert.equal(m.macs, 2 * 4 * 6 * 8 * 6);
  assert.deepEqual(t.outShape, [4, 6, 6]);
  // [1, 6, 8] x [5, 8, 3] broadcasts the leading dim to 5
  const b = net(
    layers('[1, 6, 8]', '{name: a, type: relu}', '{name: w, type: reshape, shape: [5, 8, 3], inputs: [input]}'),
  );
  assert.deepEqual(codes(b), ['AM4010']);
  const e = net(layers('[4, 6, 8]', '{name: a, type: relu}', '{name: m, type: matmul, inputs: [a, input]}'));
  assert.match(
    only(e, 'AM4001').message,
    /inner dimensions differ: `a` has shape \[4,6,8\] \(K = 8\) but `input` has \[4,6,8\] \(K = 6\)/,
  );
  assert.deepEqual(codes(net(layers('[4]', '{name: a, type: relu}', '{type: matmul, inputs: [a, a]}'))), ['AM4008']);
});

test('lstm/gru: PyTorch parameter counts with two bias vectors; bidirectional stacks; last step only', () => {
  // LSTM(X=32, H=64, 2 layers, bidirectional): layer 0: 2*(4*64*(32+64) + 8*64); layer 1: X = 128.
  const l = last('[20, 32]', '{type: lstm, hidden_size: 64, num_layers: 2, bidirectional: true}');
  assert.deepEqual(l.outShape, [20, 128]);
  assert.equal(l.params, 2 * (4 * 64 * 96 + 512) + 2 * (4 * 64 * 192 + 512));
  assert.equal(l.macs, 2 * 20 * 2 * (4 * 64 * 96 + 4 * 64 * 192));
  const g = last('[20, 32]', '{type: gru, hidden_size: 64, return_sequences: false}');
  assert.deepEqual(g.outShape, [64]);
  assert.equal(g.params, 3 * 64 * 96 + 6 * 64);
  assert.equal(g.macs, 20 * 2 * 3 * 64 * 96);
});

test('pools: max/avg with stride default = kernel, ceil_mode, padding rule; global and adaptive', () => {
  assert.deepEqual(last('[8, 7, 7]', '{type: maxpool, kernel_size: 2}').outShape, [8, 3, 3]);
  assert.deepEqual(last('[8, 7, 7]', '{type: maxpool, kernel_size: 2, ceil_mode: true}').outShape, [8, 4, 4]);
  // ceil mode: the last window must start inside the input: H=6, k=2, s=2, p=1 -> ceil(6/2)+1 = 4, (4-1)*2 = 6 >= 7? no
  // -> 4
  assert.deepEqual(
    last('[8, 6, 6]', '{type: avgpool, kernel_size: 2, padding: 1, ceil_mode: true}').outShape,
    [8, 4, 4],
  );
  assert.deepEqual(
    last('[8, 112, 112]', '{type: maxpool, kernel_size: 3, stride: 2, padding: 1}').outShape,
    [8, 56, 56],
  );
  assert.deepEqual(codes(net(layers('[8, 7, 7]', '{type: maxpool, kernel_size: 2, padding: 2}'))), ['AM2005']);
  assert.deepEqual(last('[8, 7, 5]', '{type: global_avgpool}').outShape, [8, 1, 1]);
  assert.deepEqual(last('[8, 7, 5]', '{type: global_maxpool}').outShape, [8, 1, 1]);
  assert.deepEqual(last('[8, 7, 5]', '{type: adaptive_avgpool, output_size: [2, 3]}').outShape, [8, 2, 3]);
});

test('norms and activations keep the shape; batchnorm 2C and layernorm 2F parameters', () => {
  assert.equal(last('[16, 4, 4]', '{type: batchnorm}').params, 32);
  const ln = last('[10, 48]', '{type: layernorm}');
  assert.equal(ln.params, 96);
  assert.deepEqual(ln.outShape, [10, 48]);
  for (const t of [
    'relu',
    'relu6',
    'gelu',
    'sigmoid',
    'tanh',
    'silu',
    'hardswish',
    'leaky_relu',
    'dropout',
    'softmax',
  ]) {
    const l = last('[5, 6]', `{type: ${t}}`);
    assert.deepEqual(l.outShape, [5, 6], t);
    assert.equal(l.params + l.macs, 0, t);
  }
  assert.equal(last('[5]', '{type: leaky_relu, negative_slope: 0.2}').attrs.negativeSlope, 0.2);
});

test('add/mul broadcast; concat sums along the axis; embedding; flatten; reshape with -1; transpose', () => {
  assert.deepEqual(
    last('[8, 4, 4]', '{name: a, type: relu}', '{name: p, type: global_avgpool}', '{type: mul, inputs: [a, p]}')
      .outShape,
    [8, 4, 4],
  );
  assert.deepEqual(
    last('[8, 4, 4]', '{name: a, type: relu}', '{name: b, type: relu}', '{type: concat, inputs: [a, b, input]}')
      .outShape,
    [24, 4, 4],
  );
  assert.deepEqual(
    last('[8, 4, 4]', '{name: a, type: relu}', '{type: concat, axis: -1, inputs: [a, input]}').outShape,
    [8, 4, 8],
  );
  const e = last('[12]', '{type: embedding, num_embeddings: 1000, embedding_dim: 64}');
  assert.deepEqual(e.outShape, [12, 64]);
  assert.equal(e.params, 64000);
  assert.equal(e.macs, 0);
  assert.deepEqual(last('[8, 4, 4]', '{type: flatten}').outShape, [128]);
  assert.deepEqual(last('[8, 4, 4]', '{type: reshape, shape: [2, -1]}').outShape, [2, 64]);
  assert.deepEqual(last('[8, 4, 2]', '{type: transpose, perm: [2, 0, 1]}').outShape, [2, 8, 4]);
});

test('unsupported: the stated output shape, zero cost, a warning; without output_shape an error', () => {
  const d = net(layers('[8, 4, 4]', '{type: unsupported, op_type: Resize, output_shape: [8, 8, 8]}', '{type: relu}'));
  assert.deepEqual(codes(d), ['AM4012']);
  assert.equal(d.diagnostics[0].severity, 'warning');
  assert.deepEqual(d.network!.layers[1].outShape, [8, 8, 8]);
  assert.deepEqual(codes(net(layers('[8]', '{type: unsupported, op_type: Resize}'))).sort(), ['AM2007', 'AM4012']);
});

test('shape errors name both shapes: add mismatch, concat mismatch, reshape count, bad perm/axis', () => {
  const d = net(
    layers(
      '[64, 56, 56]',
      '{name: conv3, type: conv2d, out_channels: 256, kernel_size: 1}',
      '{name: pool1, type: relu, inputs: [input]}',
      '{type: add, inputs: [conv3, pool1]}',
    ),
  );
  assert.equal(
    only(d, 'AM4001').message,
    'add: input `pool1` has shape [64,56,56] but `conv3` has [256,56,56]; they must be equal or broadcastable.',
  );
  assert.match(
    only(net(layers('[8, 4, 4]', '{name: a, type: flatten}', '{type: concat, inputs: [a, input]}')), 'AM4001').message,
    /concat: input `input` has shape \[8,4,4\] but `a` has \[128\]/,
  );
  assert.match(
    only(net(layers('[8, 4, 4]', '{type: reshape, shape: [3, -1]}')), 'AM4010').message,
    /128 elements.*not a multiple of 3/,
  );
  assert.match(
    only(net(layers('[8, 4, 4]', '{type: reshape, shape: [3, 5]}')), 'AM4010').message,
    /has 128 elements but `shape` \[3,5\] has 15/,
  );
  assert.deepEqual(codes(net(layers('[8, 4]', '{type: transpose, perm: [0, 0]}'))), ['AM4011']);
  assert.deepEqual(codes(net(layers('[8, 4]', '{type: softmax, axis: 2}'))), ['AM4011']);
  assert.deepEqual(codes(net(layers('[8, 4]', '{name: a, type: relu}', '{type: concat, axis: 5, inputs: [a, a]}'))), [
    'AM4011',
  ]);
});

test('inputs: unknown names get did-you-mean and a fix; later or own names are cycles; duplicate names', () => {
  const text = layers('[8]', '{name: relu_a, type: relu}', '{name: b, type: add, inputs: [relu_aa, input]}');
  const e = only(net(text), 'AM4003');
  assert.match(e.message, /no earlier layer is named `relu_aa`; did you mean `relu_a`/);
  assert.deepEqual(codes(net(applyFix(text, e))), []);
  assert.match(
    only(net(layers('[8]', '{name: a, type: relu, inputs: [b]}', '{name: b, type: relu}')), 'AM4004').message,
    /inputs may only name earlier layers/,
  );
  assert.match(only(net(layers('[8]', '{name: a, type: relu, inputs: [a]}')), 'AM4004').message, /names itself/);
  const dup = only(net(layers('[8]', '{name: a, type: relu}', '{name: a, type: relu}')), 'AM4005');
  assert.equal(dup.fixes![0].edits[0].newText, 'a_2');
  assert.match(
    only(net(layers('[8]', '{name: input, type: relu}')), 'AM4005').message,
    /`input` names the network input/,
  );
});

test('wrong number of inputs: AM4009 for add with one input and relu with two', () => {
  assert.deepEqual(codes(net(layers('[8]', '{type: add}'))), ['AM4009']);
  assert.deepEqual(codes(net(layers('[8]', '{name: a, type: relu}', '{type: relu, inputs: [a, input]}'))), ['AM4009']);
  assert.deepEqual(codes(net(layers('[8, 8]', '{name: a, type: relu}', '{type: matmul, inputs: [a, a, a]}'))), [
    'AM4009',
  ]);
});

test('output_shape: agreement is silent, disagreement is AM4006 with both shapes and a fix', () => {
  assert.deepEqual(codes(net(layers('[8, 4, 4]', '{type: flatten, output_shape: [128]}'))), []);
  const text = layers('[8, 4, 4]', '{type: flatten, output_shape: [100]}');
  const e = only(net(text), 'AM4006');
  assert.match(e.message, /\[100\] disagrees with the inferred shape \[128\]/);
  assert.deepEqual(codes(net(applyFix(text, e))), []);
});

test('errors do not cascade: layers after a broken one have unknown shapes but no further diagnostics', () => {
  const d = net(
    layers(
      '[3, 8, 8]',
      '{type: conv2d, out_channels: 4, kernel_size: 20}',
      '{type: relu}',
      '{type: flatten}',
      '{type: linear, out_features: 3}',
    ),
  );
  assert.deepEqual(codes(d), ['AM4007']);
  assert.deepEqual(d.network!.layers[3].outShape, []);
});

test('ResNet-style skip wiring: inputs indices and shapes of the add', () => {
  const d = net(resnet50Yaml(4));
  const add = d.network!.layers.find((l) => l.name === 'layer1.0.add')!;
  const names = add.inputs.map((i) => d.network!.layers[i].name);
  assert.deepEqual(names, ['layer1.0.bn3', 'layer1.0.downsample.1']);
  assert.deepEqual(add.inShapes, [
    [256, 56, 56],
    [256, 56, 56],
  ]);
  const second = d.network!.layers.find((l) => l.name === 'layer1.1.add')!;
  assert.deepEqual(
    second.inputs.map((i) => d.network!.layers[i].name),
    ['layer1.1.bn3', 'layer1.0.relu3'],
  );
  assert.deepEqual(d.network!.layers.at(-1)!.outShape, [1000]);
});

test('transformer attention wiring: reshape/transpose/matmul give [heads, T, T] scores and MACs', () => {
  const d = net(TRANSFORMER_YAML);
  assert.deepEqual(d.diagnostics, []);
  const byName = new Map(d.network!.layers.map((l) => [l.name, l]));
  assert.deepEqual(byName.get('kh')!.outShape, [128, 4, 64]);
  assert.deepEqual(byName.get('scores')!.outShape, [4, 128, 128]);
  assert.equal(byName.get('scores')!.macs, 16 * 4 * 128 * 64 * 128);
  assert.deepEqual(byName.get('ctx')!.outShape, [4, 128, 64]);
  assert.deepEqual(byName.get('merge')!.outShape, [128, 256]);
  assert.deepEqual(byName.get('res2')!.outShape, [128, 256]);
  assert.equal(byName.get('q')!.macs, 16 * 128 * 256 * 256);
  assert.equal(byName.get('embed')!.params, 30000 * 256);
});

test('layer ranges: node, name, type, key values and input entries', () => {
  const d = net(
    'kind: network\ninput_shape: [8]\nlayers:\n  - name: a\n    type: relu\n  - {name: b, type: add, inputs: [a, input]}\n',
  );
  const [a, b] = d.network!.layers;
  assert.deepEqual(a.ranges.name, { start: { line: 3, character: 10 }, end: { line: 3, character: 11 } });
  assert.deepEqual(a.ranges.type, { start: { line: 4, character: 10 }, end: { line: 4, character: 14 } });
  assert.deepEqual(b.ranges.inputEntries, [
    { start: { line: 5, character: 34 }, end: { line: 5, character: 35 } },
    { start: { line: 5, character: 37 }, end: { line: 5, character: 42 } },
  ]);
  assert.deepEqual(b.inputs, [0, -1]);
});

test('did-you-mean is budgeted per document: the first bad names get suggestions, the rest a plain message', () => {
  const ls = Array.from({ length: 60 }, (_, i) => `{name: layer${i}, type: relu, inputs: [layer${i - 1}x]}`);
  const d = net(layers('[8]', ...ls));
  const bad = d.diagnostics.filter((x) => x.code === 'AM4003');
  assert.equal(bad.length, 60);
  assert.match(bad[1].message, /did you mean `layer0`/);
  assert.ok(bad[59].fixes === undefined && /Name an earlier layer/.test(bad[59].message));
});

test('absurd sizes that cannot be counted exactly are AM2005, not Infinity in the model', () => {
  const d = net(
    layers('[100000, 100000]', '{type: linear, out_features: 1000000000}', '{type: linear, out_features: 1000000000}'),
  );
  assert.deepEqual(codes(d), ['AM2005']);
  assert.ok(d.network!.layers.every((l) => Number.isFinite(l.macs) && Number.isFinite(l.params)));
});
