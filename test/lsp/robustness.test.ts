// Bad input never takes the server down: malformed, oversize, alias-bomb and deeply nested documents each get
// diagnostics (or nothing), requests on them answer safely, and other documents keep being served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { TestClient, fileUri, posOf } from './client';
import { TINY_NET, workspace } from './fixtures';

let c: TestClient;
let ws: string;
let healthy: string;
before(async () => {
  ws = workspace({});
  c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  healthy = fileUri(join(ws, 'healthy.net.yaml'));
  const mark = c.mark();
  c.open(healthy, TINY_NET);
  await c.diagnostics(healthy, 1, mark);
});
after(async () => {
  await c.stop();
});

/** The healthy document still answers hover and symbols, and the process is alive. */
async function stillServing(): Promise<void> {
  assert.equal(c.exited, undefined, `server exited; stderr:\n${c.stderr}`);
  const h = await c.request<any>('textDocument/hover', {
    textDocument: { uri: healthy },
    position: posOf(TINY_NET, 'name: conv1', 7),
  });
  assert.match(h.contents.value, /\*\*conv1\*\*/);
  const s = await c.request<any[]>('textDocument/documentSymbol', { textDocument: { uri: healthy } });
  assert.equal(s[0].children.length, 7);
}

/** Every request a client may send on `uri` answers without an error. */
async function poke(uri: string, text: string): Promise<void> {
  const lines = text.split('\n');
  const last = { line: Math.min(lines.length - 1, 50), character: 3 };
  const td = { textDocument: { uri } };
  await c.request('textDocument/hover', { ...td, position: last });
  await c.request('textDocument/completion', { ...td, position: last });
  await c.request('textDocument/documentSymbol', td);
  await c.request('textDocument/definition', { ...td, position: last });
  await c.request('textDocument/inlayHint', { ...td, range: { start: { line: 0, character: 0 }, end: last } });
  await c.request('textDocument/codeLens', td);
  await c.request('textDocument/codeAction', {
    ...td,
    range: { start: last, end: last },
    context: { diagnostics: [] },
  });
  const r = await c.request<any>('accelmap/simulate', { uri });
  assert.equal(r.result, undefined);
  assert.equal(typeof r.error, 'string');
}

test('malformed YAML and JSON: syntax diagnostics, no crash', async () => {
  const y = fileUri(join(ws, 'bad.net.yaml'));
  const j = fileUri(join(ws, 'bad.net.json'));
  const yText = 'kind: network\nlayers: [\n  - {name: a, type: [\n: : :\n\t\tbad';
  const jText = '{"kind": "network", "layers": [ {"name": "a", "type": } ,, ]';
  const mark = c.mark();
  c.open(y, yText);
  c.open(j, jText, 'json');
  const dy = await c.diagnostics(y, 1, mark);
  const dj = await c.diagnostics(j, 1, mark);
  assert.ok(
    dy.diagnostics.some((d) => d.code === 'AM1001'),
    JSON.stringify(dy.diagnostics.map((d) => d.code)),
  );
  assert.ok(
    dj.diagnostics.some((d) => d.code === 'AM1002'),
    JSON.stringify(dj.diagnostics.map((d) => d.code)),
  );
  await poke(y, yText);
  await poke(j, jText);
  await stillServing();
});

test('an oversize document gets exactly one AM9001 diagnostic and no features', async () => {
  const uri = fileUri(join(ws, 'huge.net.yaml'));
  const layer = '  - {name: l, type: relu}\n';
  const text = 'kind: network\ninput_shape: [3]\nlayers:\n' + layer.repeat(Math.ceil((9 * 1024 * 1024) / layer.length));
  const mark = c.mark();
  c.open(uri, text);
  const d = await c.diagnostics(uri, 1, mark);
  assert.deepEqual(
    d.diagnostics.map((x) => x.code),
    ['AM9001'],
  );
  const syms = await c.request<any[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(syms, []);
  const lens = await c.request<any[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(lens, []);
  await poke(uri, 'x');
  c.close(uri);
  await stillServing();
});

test('a YAML alias bomb is a diagnostic, not a hang', async () => {
  const uri = fileUri(join(ws, 'bomb.net.yaml'));
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const p = String.fromCharCode(96 + i);
    const n = String.fromCharCode(97 + i);
    levels.push(`${n}: &${n} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]`);
  }
  const text = 'kind: network\ninput_shape: [3]\nlayers: []\n' + levels.join('\n') + '\n';
  const mark = c.mark();
  c.open(uri, text);
  const d = await c.diagnostics(uri, 1, mark);
  assert.ok(
    d.diagnostics.some((x) => x.code === 'AM9003'),
    JSON.stringify(d.diagnostics.map((x) => x.code)),
  );
  await poke(uri, text);
  await stillServing();
});

test('deep nesting (YAML flow and JSON, 100k levels) does not overflow the stack', async () => {
  const y = fileUri(join(ws, 'deep.net.yaml'));
  const j = fileUri(join(ws, 'deep.net.json'));
  const depth = 100_000;
  const yText = 'kind: network\nlayers: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n';
  const jText = '{"kind": "network", "layers": ' + '['.repeat(depth) + ']'.repeat(depth) + '}';
  const mark = c.mark();
  c.open(y, yText);
  c.open(j, jText, 'json');
  const dy = await c.diagnostics(y, 1, mark);
  const dj = await c.diagnostics(j, 1, mark);
  assert.ok(
    dy.diagnostics.some((x) => x.code === 'AM9002'),
    JSON.stringify(dy.diagnostics.map((x) => x.code)),
  );
  assert.ok(
    dj.diagnostics.some((x) => x.code === 'AM9002'),
    JSON.stringify(dj.diagnostics.map((x) => x.code)),
  );
  await poke(y, yText);
  await stillServing();
});

test('garbage requests and notifications are answered or ignored, never fatal', async () => {
  const nowhere = 'file:///does/not/exist.net.yaml';
  assert.equal(
    await c.request('textDocument/hover', { textDocument: { uri: nowhere }, position: { line: 0, character: 0 } }),
    null,
  );
  assert.deepEqual(
    await c.request('textDocument/completion', {
      textDocument: { uri: nowhere },
      position: { line: -5, character: 1e9 },
    }),
    [],
  );
  // Requests without the params they need get the empty answer, not an error.
  assert.equal(await c.request('textDocument/hover', {}), null);
  assert.deepEqual(await c.request('textDocument/inlayHint', { textDocument: {} }), []);
  assert.deepEqual(await c.request('textDocument/codeLens', { textDocument: null }), []);
  const r = await c.request<any>('accelmap/simulate', {});
  assert.match(r.error, /uri/);
  const p = await c.request<any>('accelmap/presetSource', {});
  assert.match(p.text, /no built-in preset/);
  const imp = await c.request<any>('accelmap/importOnnx', { path: 'relative.onnx', outPath: 'x.yaml' });
  assert.deepEqual([imp.written, imp.reason], [false, 'error']);
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [
      { uri: 'file:///nope/x.hw.yaml', type: 2 },
      { uri: 'not a uri', type: 1 },
    ],
  });
  await c.conn.sendNotification('workspace/didChangeConfiguration', {
    settings: { accelmap: { validate: { delayMs: 'soon' }, targets: 7 } },
  });
  // A position far outside the document and a code action with a foreign diagnostic.
  const ca = await c.request<any[]>('textDocument/codeAction', {
    textDocument: { uri: healthy },
    range: { start: { line: 999, character: 0 }, end: { line: 999, character: 0 } },
    context: {
      diagnostics: [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
          message: 'x',
          source: 'other',
          data: { fixes: 'nope' },
        },
      ],
    },
  });
  assert.deepEqual(ca, []);
  await stillServing();
});

test('a request cancelled before it runs answers RequestCancelled (-32800)', async () => {
  // Keep the server busy with a simulation so the hover and its cancellation arrive together behind it. Whether the
  // cancellation is read before the hover runs depends on how the pipe splits the messages, so the scenario is tried
  // up to five times: a hover that ran first must be a real answer, and at least one try must be cancelled.
  const bigUri = fileUri(join(ws, 'busy.net.yaml'));
  const layers = Array.from({ length: 6000 }, (_, i) =>
    i % 2 ? `  - {name: r${i}, type: relu}` : `  - {name: fc${i}, type: linear, out_features: 64}`,
  );
  const mark = c.mark();
  c.open(
    bigUri,
    [
      'kind: network',
      'input_shape: [64]',
      'targets: [ntx, h100-sxm, neurotrainer, gradpim]',
      'layers:',
      ...layers,
    ].join('\n') + '\n',
  );
  await c.diagnostics(bigUri, 1, mark);
  let cancelled = 0;
  for (let attempt = 0; attempt < 5 && !cancelled; attempt++) {
    const busy = c.request<any>('accelmap/simulate', { uri: bigUri });
    const source = new CancellationTokenSource();
    const hover = c.conn.sendRequest(
      'textDocument/hover',
      { textDocument: { uri: healthy }, position: posOf(TINY_NET, 'name: conv1', 7) },
      source.token,
    );
    source.cancel();
    try {
      const h: any = await hover;
      assert.ok(h === null || typeof h?.contents === 'object', 'a hover that ran answers normally');
    } catch (e: any) {
      assert.equal(e.code, -32800);
      cancelled++;
    }
    const r = await busy;
    assert.equal(r.error, undefined);
  }
  assert.ok(cancelled > 0, 'no try answered RequestCancelled');
  await stillServing();
});
