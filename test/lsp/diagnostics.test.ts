// Diagnostics over the protocol: exact codes and ranges, quick fixes applied, the version guard under rapid edits,
// which documents are specs (name globs or `kind:`), target resolution diagnostics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestClient, fileUri, posOf, applyEdits } from './client';
import { TINY_NET, TYPO_NET, MY_HW, workspace } from './fixtures';

/** A diagnostic's message (LSP 3.18 allows markup; this server sends plain text). */
const msgText = (m: string | { value: string }): string => (typeof m === 'string' ? m : m.value);

let c: TestClient;
let ws: string;
before(async () => {
  ws = workspace({ 'hw/my.hw.yaml': MY_HW, 'nets/placeholder.txt': '' });
  c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 30 } } });
});
after(async () => {
  await c.stop();
});

test('a misspelt key gives AM2003 on the key and AM2007 on the layer type, with source and version', async () => {
  const uri = fileUri(join(ws, 'nets/typo.net.yaml'));
  const mark = c.mark();
  c.open(uri, TYPO_NET);
  const d = await c.diagnostics(uri, 1, mark);
  assert.equal(d.version, 1);
  const codes = d.diagnostics.map((x) => x.code).sort();
  assert.deepEqual(codes, ['AM2003', 'AM2007']);
  const typo = d.diagnostics.find((x) => x.code === 'AM2003')!;
  const start = posOf(TYPO_NET, 'kernal_size');
  assert.deepEqual(typo.range, { start, end: { line: start.line, character: start.character + 'kernal_size'.length } });
  assert.equal(typo.source, 'accelmap');
  assert.equal(typo.severity, 1);
  assert.match(msgText(typo.message), /did you mean `kernel_size`/);
  const missing = d.diagnostics.find((x) => x.code === 'AM2007')!;
  assert.equal(missing.range.start.line, posOf(TYPO_NET, 'type: conv2d').line);
});

test('the quick fix from code actions repairs the file and the diagnostics go away', async () => {
  const uri = fileUri(join(ws, 'nets/fix.net.yaml'));
  let mark = c.mark();
  c.open(uri, TYPO_NET);
  const d = await c.diagnostics(uri, 1, mark);
  const typo = d.diagnostics.find((x) => x.code === 'AM2003')!;
  const actions = await c.request<any[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: typo.range,
    context: { diagnostics: [typo], only: ['quickfix'] },
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].title, 'Change to `kernel_size`');
  assert.equal(actions[0].kind, 'quickfix');
  assert.equal(actions[0].isPreferred, true);
  const edits = actions[0].edit.changes[uri];
  assert.deepEqual(edits, [{ range: typo.range, newText: 'kernel_size' }]);
  const fixed = applyEdits(TYPO_NET, edits);
  assert.equal(fixed, TINY_NET);
  mark = c.mark();
  const v = c.edit(uri, typo.range, 'kernel_size');
  const after = await c.diagnostics(uri, v, mark);
  assert.deepEqual(after.diagnostics, []);
});

test('a client that drops Diagnostic.data still gets the quick fix (looked up by code and range)', async () => {
  const uri = fileUri(join(ws, 'nets/nodata.net.yaml'));
  const mark = c.mark();
  c.open(uri, TYPO_NET);
  const d = await c.diagnostics(uri, 1, mark);
  const { data, ...typo } = d.diagnostics.find((x) => x.code === 'AM2003')!;
  assert.ok(data, 'the server sends the fixes in data');
  const actions = await c.request<any[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: typo.range,
    context: { diagnostics: [typo], only: ['quickfix'] },
  });
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Change to `kernel_size`'],
  );
  assert.deepEqual(actions[0].edit.changes[uri], [{ range: typo.range, newText: 'kernel_size' }]);
  // A diagnostic of another code on the same range gets nothing.
  const other = await c.request<any[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: typo.range,
    context: { diagnostics: [{ ...typo, code: 'AM2002' }] },
  });
  assert.deepEqual(other, []);
});

test('rapid edits: only the last version gets diagnostics', async () => {
  const uri = fileUri(join(ws, 'nets/rapid.net.yaml'));
  let mark = c.mark();
  c.open(uri, TINY_NET);
  await c.diagnostics(uri, 1, mark);
  // A debounce long enough that ten back-to-back edits surely land inside it, even on a loaded machine.
  c.settings = { validate: { delayMs: 1500 } };
  mark = c.mark();
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { accelmap: c.settings } });
  await c.diagnostics(uri, 1, mark); // settings re-read, documents re-checked
  mark = c.mark();
  // Ten edits back to back, each changing out_channels of fc (the last one introduces an error).
  let v = 0;
  for (let i = 0; i < 10; i++)
    v = c.replace(uri, TINY_NET.replace('out_features: 10', `out_features: ${i === 9 ? -1 : 11 + i}`));
  const d = await c.diagnostics(uri, v, mark);
  assert.equal(d.version, 11);
  assert.deepEqual(
    d.diagnostics.map((x) => x.code),
    ['AM2005'],
  );
  const mine = c.notes
    .slice(mark)
    .filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri);
  assert.deepEqual(
    mine.map((n) => n.params.version),
    [11],
  );
  c.settings = { validate: { delayMs: 30 } };
  mark = c.mark();
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { accelmap: c.settings } });
  await c.diagnostics(uri, 11, mark);
});

test('incremental edits are applied at the right place', async () => {
  const uri = fileUri(join(ws, 'nets/incr.net.yaml'));
  let mark = c.mark();
  c.open(uri, TINY_NET);
  await c.diagnostics(uri, 1, mark);
  mark = c.mark();
  const at = posOf(TINY_NET, 'out_features: 10', 'out_features: '.length);
  const v = c.edit(uri, { start: at, end: { line: at.line, character: at.character + 2 } }, '0');
  const d = await c.diagnostics(uri, v, mark);
  assert.equal(d.diagnostics.length, 1);
  assert.equal(d.diagnostics[0].code, 'AM2005');
  assert.deepEqual(d.diagnostics[0].range.start, at);
});

test('non-spec YAML and JSON get no diagnostics; a YAML with `kind: network` does', async () => {
  const plain = fileUri(join(ws, 'config.yaml'));
  const json = fileUri(join(ws, 'package.json'));
  const byKind = fileUri(join(ws, 'model.yaml'));
  const mark = c.mark();
  c.open(plain, 'foo: [1, 2\nbar: {\n'); // broken YAML, but not a spec
  c.open(json, '{"name": "x", "kind": "library"'); // broken JSON, not a spec
  c.open(byKind, TYPO_NET); // recognised by its `kind: network`
  const d = await c.diagnostics(byKind, 1, mark);
  assert.deepEqual(d.diagnostics.map((x) => x.code).sort(), ['AM2003', 'AM2007']);
  const others = c.notes
    .slice(mark)
    .filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params.uri === plain || n.params.uri === json));
  assert.deepEqual(others, []);
  // And they answer feature requests with nothing.
  const h = await c.request('textDocument/hover', {
    textDocument: { uri: plain },
    position: { line: 0, character: 1 },
  });
  assert.equal(h, null);
  const syms = await c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: plain } });
  assert.deepEqual(syms, []);
});

test('removing `kind: network` from an unnamed file clears its diagnostics', async () => {
  const uri = fileUri(join(ws, 'becomes-plain.yaml'));
  let mark = c.mark();
  c.open(uri, TYPO_NET);
  await c.diagnostics(uri, 1, mark);
  mark = c.mark();
  const v = c.replace(uri, TYPO_NET.replace('kind: network\n', ''));
  const d = await c.diagnostics(uri, v, mark);
  assert.deepEqual(d.diagnostics, []);
});

test('unknown target names are AM5001 on their `targets:` entry; workspace hardware targets resolve', async () => {
  const uri = fileUri(join(ws, 'nets/targets.net.yaml'));
  const text = TINY_NET.replace('targets: [ntx]', 'targets: [fast-ntx, ntx, nopez]');
  const mark = c.mark();
  c.open(uri, text);
  const d = await c.diagnostics(uri, 1, mark);
  assert.deepEqual(
    d.diagnostics.map((x) => x.code),
    ['AM5001'],
  );
  const start = posOf(text, 'nopez');
  assert.deepEqual(d.diagnostics[0].range, { start, end: { line: start.line, character: start.character + 5 } });
  assert.match(msgText(d.diagnostics[0].message), /nopez/);
});

test('a missing `hardware:` file is reported on the key (AM5801)', async () => {
  const uri = fileUri(join(ws, 'nets/hwfile.net.yaml'));
  const text = TINY_NET.replace('targets: [ntx]', 'targets: [ntx]\nhardware: [../hw/missing.hw.yaml]');
  const mark = c.mark();
  c.open(uri, text);
  const d = await c.diagnostics(uri, 1, mark);
  assert.deepEqual(
    d.diagnostics.map((x) => x.code),
    ['AM5801'],
  );
  assert.equal(d.diagnostics[0].range.start.line, posOf(text, 'hardware:').line);
  assert.match(msgText(d.diagnostics[0].message), /missing\.hw\.yaml/);
});

test('closing a document clears its diagnostics', async () => {
  const uri = fileUri(join(ws, 'nets/closeme.net.yaml'));
  let mark = c.mark();
  c.open(uri, TYPO_NET);
  await c.diagnostics(uri, 1, mark);
  mark = c.mark();
  c.close(uri);
  const n = await c.waitFor(
    (x) => x.method === 'textDocument/publishDiagnostics' && x.params.uri === uri,
    10_000,
    'clear',
    mark,
  );
  assert.deepEqual(n.params.diagnostics, []);
});

test('typing a target into an open (unsaved) hardware document makes it known to open networks', async () => {
  const net = fileUri(join(ws, 'nets/live.net.yaml'));
  const text = TINY_NET.replace('targets: [ntx]', 'targets: [live-ntx]');
  let mark = c.mark();
  c.open(net, text);
  let d = await c.diagnostics(net, 1, mark);
  assert.deepEqual(
    d.diagnostics.map((x) => x.code),
    ['AM5001'],
  );
  const hw = 'untitled:live.hw.yaml';
  mark = c.mark();
  c.open(hw, MY_HW.replace('fast-ntx', 'almost'));
  await c.diagnostics(hw, 1, mark);
  d = await c.diagnostics(net, 1, mark); // opening a hardware document re-checks the networks
  assert.deepEqual(
    d.diagnostics.map((x) => x.code),
    ['AM5001'],
  );
  mark = c.mark();
  c.replace(hw, MY_HW.replace('fast-ntx', 'live-ntx'));
  d = await c.diagnostics(net, 1, mark);
  assert.deepEqual(d.diagnostics, []);
  // Closing the hardware document makes the name unknown again.
  mark = c.mark();
  c.close(hw);
  d = await c.diagnostics(net, 1, mark);
  assert.deepEqual(
    d.diagnostics.map((x) => x.code),
    ['AM5001'],
  );
});

test('CRLF documents: same ranges, and the quick fix applied incrementally clears the error', async () => {
  const uri = fileUri(join(ws, 'nets/crlf.net.yaml'));
  const text = TYPO_NET.replace(/\n/g, '\r\n');
  let mark = c.mark();
  c.open(uri, text);
  const d = await c.diagnostics(uri, 1, mark);
  const typo = d.diagnostics.find((x) => x.code === 'AM2003')!;
  const start = posOf(TYPO_NET, 'kernal_size');
  assert.deepEqual(typo.range, { start, end: { line: start.line, character: start.character + 11 } });
  const [action] = await c.request<any[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: typo.range,
    context: { diagnostics: [typo] },
  });
  mark = c.mark();
  const e = action.edit.changes[uri][0];
  const v = c.edit(uri, e.range, e.newText);
  assert.deepEqual((await c.diagnostics(uri, v, mark)).diagnostics, []);
});
