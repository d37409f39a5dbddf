// Editor features over the protocol: hover, completion, document symbols, go to definition, presetSource,
// listTargets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestClient, fileUri, posOf } from './client';
import { TINY_NET, MY_HW, workspace } from './fixtures';
import { KINDS } from '../../server/src/kinds/params';

// One preset name of every kind, from the registry (the preset list grows while accelmap is being built).
const PRESETS = KINDS.map((k) => k.presets[0].name);

let c: TestClient;
let ws: string;
let net: string;
let hw: string;
before(async () => {
  ws = workspace({ 'hw/my.hw.yaml': MY_HW });
  c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 20 } } });
  net = fileUri(join(ws, 'tiny.net.yaml'));
  hw = fileUri(join(ws, 'hw/my.hw.yaml'));
  const mark = c.mark();
  c.open(net, TINY_NET);
  c.open(hw, MY_HW);
  await c.diagnostics(net, 1, mark);
  await c.diagnostics(hw, 1, mark);
});
after(async () => {
  await c.stop();
});

const hoverText = async (uri: string, text: string, needle: string, delta = 1): Promise<string> => {
  const h = await c.request<any>('textDocument/hover', { textDocument: { uri }, position: posOf(text, needle, delta) });
  assert.ok(h, `no hover at ${needle}`);
  return h.contents.value as string;
};

test('hover on a layer: shapes with batch, parameters, MACs and FLOPs per phase', async () => {
  const v = await hoverText(net, TINY_NET, 'name: conv1', 7);
  assert.match(v, /\*\*conv1\*\* · `conv2d`/);
  assert.match(v, /input \[8, 3, 32, 32\] → output \[8, 16, 32, 32\]/);
  assert.match(v, /parameters: 448 /); // 16*3*3*3 weights + 16 bias
  assert.match(v, /forward MACs: 3\.54 M/); // 8*16*32*32*27 = 3,538,944
  assert.match(v, /\| fwd \| 7\.21 M \|/); // 2 * MACs + one bias add per output: 7,077,888 + 131,072
  assert.match(v, /\| bwd_weight \|/);
  // The first conv takes the network input: no gradient to propagate, so no bwd_data row.
  assert.doesNotMatch(v, /\| bwd_data \|/);
});

test('hover on an `inputs:` entry shows the producer; on a key its meaning', async () => {
  const add = await hoverText(net, TINY_NET, 'inputs: [conv2, conv1]', 'inputs: [conv2, c'.length);
  assert.match(add, /\*\*conv1\*\*/);
  const key = await hoverText(net, TINY_NET, 'kernel_size: 3', 2);
  assert.match(key, /\*\*kernel_size\*\* — Window size/);
  const prec = await hoverText(net, TINY_NET, 'precision: fp32', 'precision: f'.length);
  assert.match(prec, /\*\*fp32\*\* — IEEE single precision/);
});

test('hover on a hardware parameter: value after extends, unit and provenance', async () => {
  const v = await hoverText(hw, MY_HW, 'clusters: 32', 'clusters: 3'.length);
  assert.match(v, /\*\*compute\.clusters\*\* \(count\)/);
  assert.match(v, /value for `fast-ntx`: \*\*32\*\*/);
  assert.match(v, /set by target `fast-ntx` in my\.hw\.yaml:7/);
  const ext = await hoverText(hw, MY_HW, 'extends: ntx', 'extends: n'.length);
  assert.match(ext, /\*\*ntx\*\* — built-in `ntx` preset/);
});

test('completion: layer keys for the layer type, layer types, enum values, presets, earlier layers', async () => {
  const labels = async (text: string, line: number, character: number): Promise<string[]> => {
    const uri = fileUri(join(ws, `c${line}-${character}.net.yaml`));
    const mark = c.mark();
    c.open(uri, text);
    await c.diagnostics(uri, 1, mark);
    const r = await c.request<any>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    c.close(uri);
    return (Array.isArray(r) ? r : r.items).map((i: any) => i.label);
  };
  // A new key inside conv1 (which already has name/type/out_channels/kernel_size/padding).
  const t1 = TINY_NET.replace('    padding: 1\n  - {name: relu1', '    padding: 1\n    \n  - {name: relu1');
  const l1 = posOf(t1, '    \n').line;
  const keys = await labels(t1, l1, 4);
  assert.ok(
    keys.includes('stride') && keys.includes('dilation') && keys.includes('groups') && keys.includes('bias'),
    keys.join(','),
  );
  assert.ok(!keys.includes('kernel_size') && !keys.includes('out_features') && !keys.includes('name'), keys.join(','));
  // Layer types after `type: `.
  const t2 = TINY_NET.replace('  - {name: relu1, type: relu}', '  - name: x\n    type: ');
  const p2 = posOf(t2, '    type: \n', '    type: '.length);
  const types = await labels(t2, p2.line, p2.character);
  assert.ok(types.includes('conv2d') && types.includes('lstm') && types.includes('global_avgpool'), types.join(','));
  // Precisions.
  const t3 = TINY_NET.replace('precision: fp32', 'precision: ');
  const p3 = posOf(t3, 'precision: ', 'precision: '.length);
  assert.deepEqual(await labels(t3, p3.line, p3.character), [
    'fp32',
    'tf32',
    'fp16',
    'bf16',
    'fp8',
    'int8',
    'int4',
    'radix4',
  ]);
  // Targets: presets (and the workspace target).
  const t4 = TINY_NET.replace('targets: [ntx]', 'targets: [ntx, ');
  const p4 = posOf(t4, 'targets: [ntx, ', 'targets: [ntx, '.length);
  const targets = await labels(t4, p4.line, p4.character);
  for (const p of PRESETS.filter((x) => x !== 'ntx')) assert.ok(targets.includes(p), `${p} in ${targets.join(',')}`);
  assert.ok(targets.includes('fast-ntx') && !targets.includes('ntx'), targets.join(','));
  // Earlier layer names inside `inputs:` of add1 (and not add1 itself or later ones).
  const t5 = TINY_NET.replace('inputs: [conv2, conv1]', 'inputs: [conv2, ');
  const p5 = posOf(t5, 'inputs: [conv2, ', 'inputs: [conv2, '.length);
  const inputs = await labels(t5, p5.line, p5.character);
  assert.deepEqual([...inputs].sort(), ['conv1', 'input', 'relu1']);
  // Hardware files of the workspace, relative to the network.
  const t6 = TINY_NET.replace('targets: [ntx]', 'targets: [ntx]\nhardware: [');
  const p6 = posOf(t6, 'hardware: [', 'hardware: ['.length);
  const files = await labels(t6, p6.line, p6.character);
  assert.deepEqual(files, ['./hw/my.hw.yaml']);
});

test('completion in hardware: target keys, parameter groups, params of the kind, presets after extends', async () => {
  const text = MY_HW.replace('      clusters: 32\n', '      clusters: 32\n      \n');
  const uri = fileUri(join(ws, 'hw/comp.hw.yaml'));
  const mark = c.mark();
  c.open(uri, text);
  await c.diagnostics(uri, 1, mark);
  const line = posOf(text, '      \n').line;
  const r = await c.request<any[]>('textDocument/completion', {
    textDocument: { uri },
    position: { line, character: 6 },
  });
  const labels = r.map((i) => i.label);
  assert.ok(labels.includes('clock') && labels.includes('engines_per_cluster'), labels.join(','));
  assert.ok(!labels.includes('clusters'), 'already written');
  const ext = posOf(text, 'extends: ntx', 'extends: '.length);
  const r2 = await c.request<any[]>('textDocument/completion', { textDocument: { uri }, position: ext });
  const l2 = r2.map((i) => i.label);
  for (const p of PRESETS) assert.ok(l2.includes(p), `${p} in ${l2.join(',')}`);
  c.close(uri);
});

test('document symbols: network -> layers with type detail; hardware -> targets', async () => {
  const s = await c.request<any[]>('textDocument/documentSymbol', { textDocument: { uri: net } });
  assert.equal(s.length, 1);
  assert.equal(s[0].name, 'tiny');
  assert.deepEqual(
    s[0].children.map((x: any) => x.name),
    ['conv1', 'relu1', 'conv2', 'add1', 'pool', 'flat', 'fc'],
  );
  assert.equal(s[0].children[0].detail, 'conv2d → [16, 32, 32]');
  assert.equal(s[0].children[0].selectionRange.start.line, posOf(TINY_NET, 'name: conv1').line);
  const h = await c.request<any[]>('textDocument/documentSymbol', { textDocument: { uri: hw } });
  assert.deepEqual(
    h.map((x) => [x.name, x.detail]),
    [['fast-ntx', 'ntx extends ntx']],
  );
});

test('go to definition: inputs entry -> layer, targets entry -> hardware file / preset document', async () => {
  const d = await c.request<any>('textDocument/definition', {
    textDocument: { uri: net },
    position: posOf(TINY_NET, 'inputs: [conv2, conv1]', 'inputs: [conv2, c'.length),
  });
  const at = posOf(TINY_NET, 'name: conv1', 'name: '.length);
  assert.deepEqual(d, { uri: net, range: { start: at, end: { line: at.line, character: at.character + 5 } } });
  const text = TINY_NET.replace('targets: [ntx]', 'targets: [fast-ntx, ntx]');
  const uri = fileUri(join(ws, 'def.net.yaml'));
  const mark = c.mark();
  c.open(uri, text);
  await c.diagnostics(uri, 1, mark);
  const d1 = await c.request<any>('textDocument/definition', {
    textDocument: { uri },
    position: posOf(text, 'fast-ntx', 2),
  });
  assert.equal(d1.uri, hw);
  assert.equal(d1.range.start.line, posOf(MY_HW, 'name: fast-ntx').line);
  const d2 = await c.request<any>('textDocument/definition', {
    textDocument: { uri },
    position: posOf(text, ', ntx]', 3),
  });
  assert.equal(d2.uri, 'accelmap-preset:/ntx.hw.yaml');
  // extends: ntx in the hardware file goes to the preset document too.
  const d3 = await c.request<any>('textDocument/definition', {
    textDocument: { uri: hw },
    position: posOf(MY_HW, 'extends: ntx', 10),
  });
  assert.equal(d3.uri, 'accelmap-preset:/ntx.hw.yaml');
  c.close(uri);
});

test('presetSource renders a preset as a hardware spec that analyses cleanly, values with their sources', async () => {
  const r = await c.request<any>('accelmap/presetSource', { name: 'ntx' });
  assert.equal(r.name, 'ntx');
  assert.match(r.text, /^kind: hardware$/m);
  assert.match(r.text, /^ {2}- name: ntx$/m);
  assert.match(r.text, /^ {6}clock: .*# (SRC|DER|REC|ASM|default)/m);
  // The preset document itself is a valid spec: opening it gives no errors.
  const uri = 'accelmap-preset:/ntx.hw.yaml';
  const mark = c.mark();
  c.open(uri, r.text);
  const d = await c.diagnostics(uri, 1, mark);
  assert.deepEqual(
    d.diagnostics.filter((x) => x.severity === 1).map((x) => `${x.code} ${x.message}`),
    [],
  );
  c.close(uri);
  const none = await c.request<any>('accelmap/presetSource', { name: 'no-such-thing' });
  assert.match(none.text, /no built-in preset/);
});

test('listTargets: every preset and the workspace target with its file', async () => {
  const r = await c.request<any>('accelmap/listTargets', {});
  const names = r.targets.map((t: any) => t.name);
  for (const p of KINDS.flatMap((k) => k.presets.map((x) => x.name))) assert.ok(names.includes(p), p);
  const mine = r.targets.find((t: any) => t.name === 'fast-ntx');
  assert.deepEqual(
    { kind: mine.kind, source: mine.source, uri: mine.uri },
    { kind: 'ntx', source: 'workspace', uri: hw },
  );
});
