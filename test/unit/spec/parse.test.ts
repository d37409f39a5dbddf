// Parsing with source ranges: syntax errors, duplicate keys, limits, line endings and UTF-16 columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/spec/index';
import { MAX_DOC_CHARS } from '../../../server/src/spec/limits';
import { codes, only, r } from './helpers';

test('YAML syntax error is ranged from the error to the end of its line', () => {
  const text = 'kind: network\ninput_shape: [3, 4\nlayers: []\n';
  const d = analyze('file:///a.net.yaml', text);
  const e = d.diagnostics.find((x) => x.code === 'AM1001');
  assert.ok(e, JSON.stringify(d.diagnostics));
  assert.equal(e.severity, 'error');
  assert.equal(e.range.start.line, e.range.end.line);
  assert.equal(e.range.end.character, text.split('\n')[e.range.start.line].length);
});

test('bad indentation in YAML is AM1001 on the offending line', () => {
  const text = 'kind: network\nlayers:\n  - type: relu\n   name: x\n';
  const d = analyze('file:///a.net.yaml', text);
  const e = d.diagnostics.find((x) => x.code === 'AM1001');
  assert.ok(e);
  assert.equal(e.range.start.line, 3);
});

test('JSON syntax error: AM1002 at the offending character, to the end of the line', () => {
  const text = '{\n  "kind": "network",\n  "batch_size": 3 4,\n  "layers": []\n}';
  const d = analyze('file:///a.net.json', text);
  const e = only(d, 'AM1002');
  assert.deepEqual(e.range, r(2, 18, 2, 20));
  assert.match(e.message, /`,` is expected/);
});

test('JSON comments and trailing commas are accepted silently (JSONC policy)', () => {
  const text = '// my net\n{"kind": "network", "input_shape": [4,], "layers": [{"type": "relu"},],}';
  const d = analyze('file:///a.net.json', text);
  assert.deepEqual(d.diagnostics, []);
  assert.deepEqual(d.network!.layers[0].outShape, [4]);
});

test('duplicate keys: AM1003 in YAML and in JSON', () => {
  const y = analyze(
    'file:///a.net.yaml',
    'kind: network\nbatch_size: 2\nbatch_size: 3\ninput_shape: [4]\nlayers: [{type: relu}]\n',
  );
  assert.equal(only(y, 'AM1003').range.start.line, 2);
  const j = analyze(
    'file:///a.net.json',
    '{"kind": "network", "input_shape": [4], "layers": [{"type": "relu"}], "kind": "network"}',
  );
  assert.deepEqual(only(j, 'AM1003').range, r(0, 70, 0, 76));
});

test('root that is not a mapping: AM1006', () => {
  assert.deepEqual(codes(analyze('file:///a.yaml', '- 1\n- 2\n')), ['AM1006']);
  assert.deepEqual(codes(analyze('file:///a.json', '[1, 2]')), ['AM1006']);
});

test('empty documents get one informational AM2011 telling what to write', () => {
  for (const [uri, text, want] of [
    ['file:///a.net.yaml', '', /kind: network/],
    ['file:///a.hw.yaml', '  \n# only a comment\n', /kind: hardware/],
    ['file:///a.json', '  ', /kind: network.*kind: hardware/],
  ] as const) {
    const d = analyze(uri, text);
    assert.equal(d.diagnostics.length, 1);
    assert.equal(d.diagnostics[0].code, 'AM2011');
    assert.equal(d.diagnostics[0].severity, 'information');
    assert.match(d.diagnostics[0].message, want);
  }
});

test('a document over the size limit gets one AM9001 and no analysis', () => {
  const text = 'kind: network\n' + '#'.repeat(MAX_DOC_CHARS);
  const d = analyze('file:///big.net.yaml', text);
  assert.deepEqual(codes(d), ['AM9001']);
  assert.match(d.diagnostics[0].message, /8 MiB/);
  assert.equal(d.network, undefined);
});

test('deep nesting (100,000 levels) is AM9002, not a stack overflow, in YAML flow, YAML block and JSON', () => {
  const deepFlow = 'kind: network\nx: ' + '['.repeat(100_000) + ']'.repeat(100_000);
  assert.deepEqual(codes(analyze('file:///a.net.yaml', deepFlow)), ['AM9002']);
  const deepJson = '{"kind": "network", "x": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
  assert.deepEqual(codes(analyze('file:///a.net.json', deepJson)), ['AM9002']);
  const deepBlock = 'kind: network\nx:\n' + '- '.repeat(50_000) + '1\n';
  assert.deepEqual(codes(analyze('file:///a.net.yaml', deepBlock)), ['AM9002']);
  const stairs = 'kind: network\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n');
  assert.ok(codes(analyze('file:///a.net.yaml', stairs)).includes('AM9002'));
});

test('a billion-laughs alias bomb becomes AM9003 quickly', () => {
  const lines = ['kind: network', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  lines.push('input_shape: [4]', 'layers: [{type: relu}]');
  const d = analyze('file:///bomb.net.yaml', lines.join('\n'));
  assert.ok(codes(d).includes('AM9003'), JSON.stringify(codes(d)));
});

test('aliases within budget are expanded; problems inside show at the alias', () => {
  const text =
    'kind: network\ninput_shape: [3, 8, 8]\nconv: &c {type: conv2d, out_channels: 4, kernel_size: 3}\nlayers:\n  - *c\n  - *c\n';
  const d = analyze('file:///a.net.yaml', text);
  // `conv` is an unknown top-level key; the two aliased layers work.
  assert.deepEqual(codes(d), ['AM2003']);
  assert.deepEqual(
    d.network!.layers.map((l) => l.outShape),
    [
      [4, 6, 6],
      [4, 4, 4],
    ],
  );
  assert.deepEqual(d.network!.layers[1].ranges.node, r(5, 4, 5, 6));
});

test('CRLF line endings and UTF-16 columns: ranges count code units after the emoji', () => {
  const text = 'kind: network\r\nname: "😀 net"\r\ninput_shape: [4]\r\nlayers:\r\n  - {type: relu, "😀": 1}\r\n';
  const d = analyze('file:///a.net.yaml', text);
  const e = only(d, 'AM2003');
  assert.deepEqual(e.range, r(4, 17, 4, 21));
});

test('multiple YAML documents in one file: AM1001 saying to split them', () => {
  const d = analyze(
    'file:///a.net.yaml',
    'kind: network\ninput_shape: [4]\nlayers: [{type: relu}]\n---\nkind: hardware\n',
  );
  assert.match(only(d, 'AM1001').message, /one YAML document/);
});

test('a byte-order mark is accepted in YAML and JSON, with ranges unchanged', () => {
  assert.deepEqual(
    analyze('file:///a.net.yaml', '\uFEFFkind: network\ninput_shape: [4]\nlayers: [{type: relu}]\n').diagnostics,
    [],
  );
  const j = analyze(
    'file:///a.net.json',
    '\uFEFF{"kind": "network", "input_shape": [4], "layers": [{"type": "relu", "x": 1}]}',
  );
  assert.deepEqual(only(j, 'AM2003').range, r(0, 69, 0, 72));
});
