// The server speaks both transports VS Code uses: stdio (`--stdio`) and Node IPC (`--node-ipc`, the client's
// default), and shuts down cleanly on shutdown/exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestClient, fileUri } from './client';
import { TYPO_NET, workspace } from './fixtures';

for (const transport of ['stdio', 'ipc'] as const) {
  test(`${transport}: initialize advertises the features, diagnostics arrive, clean exit`, async () => {
    const ws = workspace({});
    const c = await TestClient.start({ workspace: ws, transport, settings: { validate: { delayMs: 10 } } });
    const caps = c.initializeResult.capabilities;
    assert.equal(c.initializeResult.serverInfo?.name, 'accelmap');
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    for (const k of ['hoverProvider', 'documentSymbolProvider', 'definitionProvider'] as const)
      assert.equal(caps[k], true, k);
    assert.deepEqual((caps.codeActionProvider as any).codeActionKinds, ['quickfix', 'refactor.rewrite']);
    assert.ok(caps.completionProvider && caps.inlayHintProvider && caps.codeLensProvider);
    const uri = fileUri(join(ws, 't.net.yaml'));
    const mark = c.mark();
    c.open(uri, TYPO_NET);
    const d = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(d.diagnostics.map((x) => x.code).sort(), ['AM2003', 'AM2007']);
    await c.stop();
    assert.equal(c.exited, 0);
  });
}
