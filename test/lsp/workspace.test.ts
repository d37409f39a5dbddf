// Workspace hardware: files found at start, files created/deleted later (didChangeWatchedFiles), a network's own
// `hardware:` files read from disk, JSON specs, and the simulate-on-type / manual settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TestClient, fileUri, posOf } from './client';
import { TINY_NET, MY_HW, workspace } from './fixtures';

test('hardware files created and deleted on disk are picked up through didChangeWatchedFiles', async () => {
  const ws = workspace({});
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'n.net.yaml'));
    const text = TINY_NET.replace('targets: [ntx]', 'targets: [fast-ntx]');
    let mark = c.mark();
    c.open(uri, text);
    let d = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(
      d.diagnostics.map((x) => x.code),
      ['AM5001'],
    );
    // Create the hardware file on disk and tell the server, as the client's file watcher does.
    const hwPath = join(ws, 'later', 'x.hw.yaml');
    mkdirSync(join(ws, 'later'));
    writeFileSync(hwPath, MY_HW);
    mark = c.mark();
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(hwPath), type: 1 }] });
    d = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(d.diagnostics, []);
    const r = await c.request<any>('accelmap/simulate', { uri });
    assert.deepEqual(
      r.result.targets.map((t: any) => t.name),
      ['fast-ntx'],
    );
    // Delete it again.
    rmSync(hwPath);
    mark = c.mark();
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(hwPath), type: 3 }] });
    d = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(
      d.diagnostics.map((x) => x.code),
      ['AM5001'],
    );
  } finally {
    await c.stop();
  }
});

test("a network's own `hardware:` file outside the workspace defines targets for that network only", async () => {
  const outside = workspace({ 'boards/custom.yaml': MY_HW.replace('fast-ntx', 'board-ntx') });
  const ws = workspace({});
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'm.net.yaml'));
    const rel = join('..', outside.split('/').pop()!, 'boards', 'custom.yaml');
    const text = TINY_NET.replace('targets: [ntx]', `targets: [board-ntx]\nhardware: [${rel}]`);
    const mark = c.mark();
    c.open(uri, text);
    const d = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(d.diagnostics, []);
    const def = await c.request<any>('textDocument/definition', {
      textDocument: { uri },
      position: posOf(text, 'board-ntx', 2),
    });
    assert.equal(def.uri, fileUri(join(outside, 'boards/custom.yaml')));
    const file = await c.request<any>('textDocument/definition', {
      textDocument: { uri },
      position: posOf(text, rel, 4),
    });
    assert.deepEqual(file, {
      uri: fileUri(join(outside, 'boards/custom.yaml')),
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
    // Another network without the `hardware:` entry does not see it.
    const other = fileUri(join(ws, 'o.net.yaml'));
    const m2 = c.mark();
    c.open(other, TINY_NET.replace('targets: [ntx]', 'targets: [board-ntx]'));
    const d2 = await c.diagnostics(other, 1, m2);
    assert.deepEqual(
      d2.diagnostics.map((x) => x.code),
      ['AM5001'],
    );
  } finally {
    await c.stop();
  }
});

test('workspace scan: a YAML file with `kind: hardware` but no .hw name is a workspace hardware spec', async () => {
  const ws = workspace({
    'boards/custom.yaml': MY_HW.replace('fast-ntx', 'board-ntx'),
    'other.yaml': 'kind: something\n',
  });
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'w.net.yaml'));
    const mark = c.mark();
    c.open(uri, TINY_NET.replace('targets: [ntx]', 'targets: [board-ntx]'));
    const d = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(d.diagnostics, []);
    const list = await c.request<any>('accelmap/listTargets', {});
    assert.deepEqual(
      list.targets.filter((t: any) => t.source === 'workspace').map((t: any) => t.name),
      ['board-ntx'],
    );
  } finally {
    await c.stop();
  }
});

test('a YAML file with `kind: hardware` created later under any name is picked up from its watched-file event', async () => {
  const ws = workspace({ 'notes.yaml': 'kind: something-else\n' });
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'n.net.yaml'));
    let mark = c.mark();
    c.open(uri, TINY_NET.replace('targets: [ntx]', 'targets: [late-ntx]'));
    assert.deepEqual(
      (await c.diagnostics(uri, 1, mark)).diagnostics.map((x) => x.code),
      ['AM5001'],
    );
    const p = join(ws, 'boards.yaml');
    writeFileSync(p, MY_HW.replace('fast-ntx', 'late-ntx'));
    mark = c.mark();
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: fileUri(join(ws, 'notes.yaml')), type: 2 },
        { uri: fileUri(p), type: 1 },
      ],
    });
    assert.deepEqual((await c.diagnostics(uri, 1, mark)).diagnostics, []);
  } finally {
    await c.stop();
  }
});

test('adding a workspace folder scans it for hardware specs; removing it forgets them', async () => {
  const ws = workspace({});
  const extra = workspace({ 'x.hw.yaml': MY_HW.replace('fast-ntx', 'folder-ntx') });
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'n.net.yaml'));
    let mark = c.mark();
    c.open(uri, TINY_NET.replace('targets: [ntx]', 'targets: [folder-ntx]'));
    assert.deepEqual(
      (await c.diagnostics(uri, 1, mark)).diagnostics.map((x) => x.code),
      ['AM5001'],
    );
    mark = c.mark();
    await c.conn.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: fileUri(extra), name: 'extra' }], removed: [] },
    });
    assert.deepEqual((await c.diagnostics(uri, 1, mark)).diagnostics, []);
    mark = c.mark();
    await c.conn.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [{ uri: fileUri(extra), name: 'extra' }] },
    });
    assert.deepEqual(
      (await c.diagnostics(uri, 1, mark)).diagnostics.map((x) => x.code),
      ['AM5001'],
    );
  } finally {
    await c.stop();
  }
});

test('JSON network specs: diagnostics with JSON ranges, hover, symbols', async () => {
  const ws = workspace({});
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const text = JSON.stringify(
      {
        kind: 'network',
        name: 'jnet',
        batch_size: 2,
        input_shape: [16],
        targets: ['ntx'],
        layers: [
          { name: 'fc1', type: 'linear', out_features: 8 },
          { name: 'act', type: 'relu', negative_slop: 1 },
        ],
      },
      null,
      2,
    );
    const uri = fileUri(join(ws, 'j.net.json'));
    const mark = c.mark();
    c.open(uri, text, 'json');
    const d = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(
      d.diagnostics.map((x) => x.code),
      ['AM2003'],
    );
    const at = posOf(text, '"negative_slop"');
    assert.equal(d.diagnostics[0].range.start.line, at.line);
    const h = await c.request<any>('textDocument/hover', { textDocument: { uri }, position: posOf(text, '"fc1"', 2) });
    assert.match(h.contents.value, /input \[2, 16\] → output \[2, 8\]/);
    assert.match(h.contents.value, /parameters: 136 /); // 16*8 + 8
    const s = await c.request<any[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      s[0].children.map((x: any) => x.name),
      ['fc1', 'act'],
    );
  } finally {
    await c.stop();
  }
});

test('simulate.run onType simulates after each analysis; manual never simulates by itself', async () => {
  const ws = workspace({});
  const c = await TestClient.start({
    workspace: ws,
    settings: { validate: { delayMs: 10 }, simulate: { run: 'onType' } },
  });
  try {
    const uri = fileUri(join(ws, 'typing.net.yaml'));
    let mark = c.mark();
    c.open(uri, TINY_NET);
    const r1 = await c.waitFor(
      (n) => n.method === 'accelmap/simulationResult' && n.params.uri === uri,
      20_000,
      'onType result',
      mark,
    );
    assert.equal(r1.params.version, 1);
    mark = c.mark();
    const v = c.replace(uri, TINY_NET.replace('out_features: 10', 'out_features: 100'));
    const r2 = await c.waitFor(
      (n) => n.method === 'accelmap/simulationResult' && n.params.uri === uri,
      20_000,
      'onType result 2',
      mark,
    );
    assert.equal(r2.params.version, v);
    const fc = r2.params.result.targets[0].layers.find((l: any) => l.name === 'fc');
    // The result is for the edited text: fc now has 100 outputs, fwd = 2*8*16*100 MACs-flops + 8*100 bias adds.
    assert.equal(fc.phases.find((p: any) => p.phase === 'fwd').flops, 2 * 8 * 16 * 100 + 8 * 100);
    // Hover now carries the per-target figures of the run.
    const h = await c.request<any>('textDocument/hover', {
      textDocument: { uri },
      position: posOf(TINY_NET, 'name: fc', 7),
    });
    assert.match(h.contents.value, /\*\*Last simulation\*\*/);
    assert.match(h.contents.value, /\| ntx \| [\d.]+ [pnµm]?s \| [\d.]+ [pnµmk]?J \| (compute|mem|overhead)-bound \|/);

    c.settings = { validate: { delayMs: 10 }, simulate: { run: 'manual' } };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { accelmap: c.settings } });
    mark = c.mark();
    await c.diagnostics(uri, v, mark); // settings applied (revalidation)
    mark = c.mark();
    const v3 = c.replace(uri, TINY_NET);
    await c.diagnostics(uri, v3, mark);
    c.save(uri);
    // A request after the save: if the save had simulated, its notification would have come first.
    await c.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      c.notes.slice(mark).filter((n) => n.method === 'accelmap/simulationResult'),
      [],
    );
  } finally {
    await c.stop();
  }
});
