// Editor support: locate() paths at positions, offset/position helpers, and the vocabulary tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, locate, offsetAt, positionAt } from '../../../server/src/spec/index';
import { LAYER_TYPES, LAYER_TYPE_NAMES, NETWORK_KEYS, layerKeys, targetKeysAt } from '../../../server/src/spec/vocab';
import { CODES } from '../../../server/src/spec/codes';

const NET =
  'kind: network\ninput_shape: [3, 8, 8]\nlayers:\n  - name: c1\n    type: conv2d\n    kernel_size: 3\n    out_channels: 4\n  - {name: r, type: relu}\n';
const HW = 'kind: hardware\ntargets:\n  - name: a\n    extends: ntx\n    compute:\n      clock: 1 GHz\n';

test('locate: key and value positions in block YAML give the key path', () => {
  const d = analyze('file:///a.net.yaml', NET);
  const k = locate(d, { line: 5, character: 6 });
  assert.deepEqual(k.path, ['layers', 0, 'kernel_size']);
  assert.equal(k.on, 'key');
  assert.deepEqual(k.keyRange, { start: { line: 5, character: 4 }, end: { line: 5, character: 15 } });
  const v = locate(d, { line: 5, character: 17 });
  assert.deepEqual(v.path, ['layers', 0, 'kernel_size']);
  assert.equal(v.on, 'value');
  assert.deepEqual(v.range, { start: { line: 5, character: 17 }, end: { line: 5, character: 18 } });
  assert.deepEqual(locate(d, { line: 1, character: 17 }).path, ['input_shape', 1]);
  assert.deepEqual(locate(d, { line: 7, character: 20 }).path, ['layers', 1, 'type']);
  assert.equal(locate(d, { line: 7, character: 20 }).on, 'value');
});

test('locate: hardware groups and JSON', () => {
  const h = analyze('file:///a.hw.yaml', HW);
  assert.deepEqual(locate(h, { line: 5, character: 14 }).path, ['targets', 0, 'compute', 'clock']);
  const j = analyze('file:///a.net.json', '{"kind": "network", "layers": [{"type": "relu"}]}');
  const l = locate(j, { line: 0, character: 42 });
  assert.deepEqual(l.path, ['layers', 0, 'type']);
  assert.equal(l.on, 'value');
  assert.equal(locate(j, { line: 0, character: 3 }).on, 'key');
});

test('locate: outside any node or without a tree is `none`', () => {
  const d = analyze('file:///a.net.yaml', NET);
  assert.equal(locate(d, { line: 40, character: 0 }).on, 'none');
  assert.deepEqual(locate({ uri: 'x', format: 'yaml', kind: null, diagnostics: [] }, { line: 0, character: 0 }), {
    path: [],
    on: 'none',
  });
});

test('offsetAt/positionAt are inverse and count UTF-16 units and CRLF', () => {
  const text = 'a: 😀\r\nbb: 2\n';
  assert.deepEqual(positionAt(text, 8), { line: 1, character: 1 });
  assert.equal(offsetAt(text, { line: 1, character: 1 }), 8);
  assert.equal(offsetAt(text, { line: 0, character: 99 }), 5);
  const d = analyze('file:///a.yaml', text);
  for (let o = 0; o <= text.length; o++) {
    if (text[o - 1] === '\r' && text[o] === '\n') continue;
    if (text.charCodeAt(o - 1) >= 0xd800 && text.charCodeAt(o - 1) < 0xdc00) continue;
    assert.equal(offsetAt(d, positionAt(d, o)), o, `offset ${o}`);
  }
});

test('vocabulary: every layer type has docs and its keys; network keys; codes have titles', () => {
  assert.equal(LAYER_TYPE_NAMES.length, 40);
  for (const t of LAYER_TYPE_NAMES) {
    assert.ok(LAYER_TYPES[t].doc.length > 3, t);
    assert.ok(layerKeys(t).some((k) => k.key === 'inputs'));
  }
  assert.deepEqual(
    LAYER_TYPES.conv2d.keys.map((k) => k.key),
    ['out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias'],
  );
  assert.ok(NETWORK_KEYS.find((k) => k.key === 'batch_size')!.doc.length > 5);
  for (const [code, title] of Object.entries(CODES)) assert.match(`${code} ${title}`, /^AM[1-59]\d{3} \S/);
});

test("vocabulary: target keys at a group path come from the kind's parameter table", () => {
  const top = targetKeysAt('ntx', '');
  assert.deepEqual(
    top.filter((k) => !k.group && !k.param).map((k) => k.key),
    ['name', 'kind', 'extends', 'description'],
  );
  assert.ok(top.some((k) => k.key === 'compute' && k.group));
  const compute = targetKeysAt('ntx', 'compute');
  const clock = compute.find((k) => k.key === 'clock')!;
  assert.equal(clock.param!.path, 'compute.clock');
  assert.equal(clock.param!.dim, 'frequency');
  assert.deepEqual(targetKeysAt('ntx', 'nope'), []);
});
