// Schema checks of network specs: codes, ranges, messages and quick fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/spec/index';
import { applyFix, codes, layers, net, only, r } from './helpers';

test('a valid network has no diagnostics and resolved top-level fields', () => {
  const d = net(
    'kind: network\nname: n\nbatch_size: 4\nprecision: bf16\noptimizer: {type: adam, lr: 0.001}\ninput_shape: [8]\ntargets: [ntx, gpu]\nhardware: [./a.hw.yaml]\nlayers:\n  - {type: linear, out_features: 2}\n',
  );
  assert.deepEqual(d.diagnostics, []);
  const n = d.network!;
  assert.equal(n.batch, 4);
  assert.equal(n.precision, 'bf16');
  assert.equal(n.masterWeights, 'fp32');
  assert.equal(n.gradientPrecision, 'bf16');
  assert.deepEqual(n.optimizer, {
    type: 'adam',
    lr: 0.001,
    momentum: 0.9,
    weightDecay: 0,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
  });
  assert.deepEqual(n.targets, ['ntx', 'gpu']);
  assert.deepEqual(n.ranges.targetEntries, [r(6, 10, 6, 13), r(6, 15, 6, 18)]);
  assert.deepEqual(n.hardwareFiles, ['./a.hw.yaml']);
  assert.equal(n.layers[0].name, 'linear0');
});

test('defaults: name from the file, batch 1, fp32 without master copy, sgd', () => {
  const d = analyze('file:///dir/my%20model.net.yaml', 'kind: network\ninput_shape: [8]\nlayers: [{type: relu}]\n');
  assert.deepEqual(d.diagnostics, []);
  assert.equal(d.network!.name, 'my model');
  assert.equal(d.network!.batch, 1);
  assert.equal(d.network!.masterWeights, null);
  assert.equal(d.network!.optimizer.type, 'sgd');
});

test('missing kind: AM2001 with a quick fix inserting `kind: network` on the first line', () => {
  const text = 'input_shape: [4]\nlayers: [{type: relu}]\n';
  const d = analyze('file:///a.net.yaml', text);
  const e = only(d, 'AM2001');
  assert.match(e.message, /add `kind: network`/);
  assert.equal(applyFix(text, e), 'kind: network\n' + text);
  assert.equal(d.kind, 'network');
  // Without hints from the name or keys, both fixes are offered.
  const u = only(analyze('file:///a.yaml', 'foo: 1\n'), 'AM2001');
  assert.deepEqual(
    u.fixes!.map((f) => f.title),
    ['Add `kind: network`', 'Add `kind: hardware`'],
  );
  // JSON: inserted after the opening brace.
  const j = '{"input_shape": [4], "layers": [{"type": "relu"}]}';
  const fixed = applyFix(j, only(analyze('file:///a.net.json', j), 'AM2001'));
  assert.equal(fixed, '{"kind": "network", "input_shape": [4], "layers": [{"type": "relu"}]}');
  assert.deepEqual(analyze('file:///a.net.json', fixed).diagnostics, []);
});

test('unknown kind value: AM2006 with did-you-mean', () => {
  const d = analyze('file:///a.yaml', 'kind: netwrk\n');
  const e = only(d, 'AM2006');
  assert.match(e.message, /did you mean `network`/);
  assert.equal(applyFix('kind: netwrk\n', e), 'kind: network\n');
});

test('unknown key: AM2003 ranged at the key, did-you-mean and a quick fix that renames it', () => {
  const text = 'kind: network\ninput_shape: [4]\nbatch_sise: 8\nlayers: [{type: relu}]\n';
  const e = only(net(text), 'AM2003');
  assert.deepEqual(e.range, r(2, 0, 2, 10));
  assert.match(e.message, /did you mean `batch_size`/);
  assert.equal(applyFix(text, e), text.replace('batch_sise', 'batch_size'));
  assert.equal(net(applyFix(text, e)).diagnostics.length, 0);
});

test("unknown layer key: did-you-mean among that layer type's keys", () => {
  const text = layers('[3, 8, 8]', '{type: conv2d, out_channels: 4, kernal_size: 3}');
  const d = net(text);
  const e = d.diagnostics.find((x) => x.code === 'AM2003')!;
  assert.match(e.message, /in a `conv2d` layer; did you mean `kernel_size`/);
  assert.deepEqual(codes(net(applyFix(text, e))), []);
  // A key of another layer type is unknown here too.
  assert.match(
    only(net(layers('[4]', '{type: relu, out_features: 3}')), 'AM2003').message,
    /Unknown key `out_features` in a `relu` layer/,
  );
});

test('bad layer type: AM2006 with did-you-mean and fix', () => {
  const text = layers('[4]', '{type: rellu}');
  const e = only(net(text), 'AM2006');
  assert.match(e.message, /did you mean `relu`/);
  assert.deepEqual(e.range, r(4, 11, 4, 16));
  assert.deepEqual(codes(net(applyFix(text, e))), []);
});

test('wrong types: AM2004 (string for a number, with a fix removing quotes; list for a name; yes for a bool)', () => {
  const d = net(
    'kind: network\nbatch_size: "8"\ninput_shape: 4\nlayers: [{type: linear, out_features: 2, bias: yes}]\n',
  );
  const cs = codes(d).sort();
  assert.deepEqual(cs, ['AM2004', 'AM2004', 'AM2004']);
  const q = d.diagnostics.find((x) => /remove the quotes/.test(x.message))!;
  assert.equal(q.fixes![0].edits[0].newText, '8');
  assert.ok(
    d.diagnostics.some(
      (x) => /`true` or `false` \(YAML 1.2\)/.test(x.message) && x.fixes![0].edits[0].newText === 'true',
    ),
  );
});

test('out of range: batch_size 0, lr 0, dropout p 1, momentum 1 are AM2005', () => {
  const d = net(
    'kind: network\nbatch_size: 0\noptimizer: {type: momentum, lr: 0, momentum: 1}\ninput_shape: [4]\nlayers: [{type: dropout, p: 1}]\n',
  );
  assert.deepEqual(codes(d), ['AM2005', 'AM2005', 'AM2005', 'AM2005']);
  assert.match(d.diagnostics[0].message, /`batch_size` must be an integer >= 1; it is 0/);
  assert.match(d.diagnostics[1].message, /`lr` must be > 0/);
  assert.match(d.diagnostics[3].message, /`p` must be in \[0, 1\)/);
});

test('non-finite numbers: 1e400 and .nan are AM2008', () => {
  const d = net('kind: network\nbatch_size: 1e400\ninput_shape: [.nan]\nlayers: [{type: relu}]\n');
  assert.deepEqual(codes(d), ['AM2008', 'AM2008']);
  assert.match(d.diagnostics[0].message, /`1e400` overflows to infinity/);
  assert.match(d.diagnostics[1].message, /NaN/);
});

test('non-integers where integers are needed: AM2009 with a rounding fix; negative dims AM2005', () => {
  const d = net(layers('[3, -8, 8]', '{type: conv2d, out_channels: 4.5, kernel_size: 3}'));
  assert.deepEqual(codes(d).sort(), ['AM2005', 'AM2009']);
  const e = only(d, 'AM2009');
  assert.equal(e.fixes![0].edits[0].newText, '5');
});

test('missing required keys: AM2007 (input_shape, layers, conv kernel_size)', () => {
  const d = net('kind: network\n');
  assert.deepEqual(codes(d), ['AM2007', 'AM2007']);
  assert.match(d.diagnostics[0].message, /needs `input_shape`/);
  const c = net(layers('[3, 8, 8]', '{type: conv2d, out_channels: 4}'));
  assert.match(only(c, 'AM2007').message, /`conv2d` layer needs `kernel_size`/);
});

test('optimizer: a bare name, bad names with did-you-mean, keys without effect (AM2010)', () => {
  assert.equal(
    net('kind: network\noptimizer: adamw\ninput_shape: [4]\nlayers: [{type: relu}]\n').network!.optimizer.type,
    'adamw',
  );
  assert.match(
    only(net('kind: network\noptimizer: adm\ninput_shape: [4]\nlayers: [{type: relu}]\n'), 'AM2006').message,
    /did you mean `adam`/,
  );
  const w = only(
    net('kind: network\noptimizer: {type: sgd, lr: 0.1, beta1: 0.8}\ninput_shape: [4]\nlayers: [{type: relu}]\n'),
    'AM2010',
  );
  assert.equal(w.severity, 'warning');
  assert.match(w.message, /`beta1` has no effect with the `sgd` optimizer/);
});

test('master_weights: none turns the master copy off; gradient precision defaults to precision', () => {
  const n = net(
    'kind: network\nprecision: fp16\nmaster_weights: none\ninput_shape: [4]\nlayers: [{type: relu}]\n',
  ).network!;
  assert.equal(n.masterWeights, null);
  assert.equal(n.gradientPrecision, 'fp16');
});

test('a layer that is not a mapping: AM2004; layers not a list: AM2004', () => {
  assert.deepEqual(codes(net(layers('[4]', 'relu'))), ['AM2004']);
  assert.deepEqual(codes(net('kind: network\ninput_shape: [4]\nlayers: {type: relu}\n')), ['AM2004']);
});

test('JSON networks give the same model and ranges in JSON coordinates', () => {
  const j = analyze(
    'file:///a.net.json',
    '{"kind": "network", "input_shape": [3, 8, 8],\n "layers": [{"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": "same"}, {"type": "relu", "bogus": 1}]}',
  );
  assert.deepEqual(j.network!.layers[0].outShape, [4, 8, 8]);
  assert.deepEqual(only(j, 'AM2003').range, r(1, 105, 1, 112));
});
