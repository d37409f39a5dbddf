// Search Mappings through the real server: the full mapper budget on worker threads with $/progress on the
// client's token, the simulation republished with the searched mappings (no longer provisional), the Mapping view's
// data for a layer (accelmap/mapping), and a search cancelled half-way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CancellationTokenSource, WorkDoneProgress } from 'vscode-languageserver-protocol';
import { TestClient, fileUri, posOf } from './client';
import { TINY_NET, workspace } from './fixtures';

test('Search Mappings: progress begin / report / end, every nest mapped on worker threads, the result republished, the Mapping view data', async () => {
  const ws = workspace({});
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'm.net.yaml'));
    const text = TINY_NET.replace('targets: [ntx]', 'targets: [eyeriss-like, ntx]');
    let mark = c.mark();
    c.open(uri, text);
    assert.deepEqual((await c.diagnostics(uri, 1, mark)).diagnostics, []);
    mark = c.mark();
    const first = await c.request<any>('accelmap/simulate', { uri });
    assert.ok(
      first.result.targets[0].findings.some((f: any) => f.code === 'spatial.provisional'),
      'the first run is provisional',
    );
    // its notification follows (after the hints the editor is asked to refresh, or 100 ms)
    await c.waitFor(
      (n) => n.method === 'accelmap/simulationResult' && n.params.result,
      5_000,
      'the first result',
      mark,
    );
    const token = 'search-1';
    const seen: any[] = [];
    c.conn.onProgress(WorkDoneProgress.type, token, (v) => {
      seen.push(v);
    });
    mark = c.mark();
    const r = await c.request<any>('accelmap/searchMappings', { uri, workDoneToken: token });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.targets, ['eyeriss-like']);
    assert.equal(r.cancelled, false);
    assert.ok(r.nests >= 6, `nests ${r.nests}`); // 3 MAC layers x 3 phases, fewer where shapes repeat
    assert.equal(r.mapped, r.searched);
    assert.ok(r.workers >= 1);
    assert.equal(seen[0].kind, 'begin');
    assert.equal(seen[0].cancellable, true);
    assert.equal(seen.at(-1).kind, 'end');
    const reports = seen.filter((v) => v.kind === 'report');
    assert.equal(reports.length, r.searched);
    assert.equal(reports.at(-1).percentage, 100);
    // the republished result uses the full search: no provisional finding
    const note = await c.waitFor(
      (n) => n.method === 'accelmap/simulationResult' && n.params.result,
      20_000,
      'republished result',
      mark,
    );
    const eyeriss = note.params.result.targets.find((t: any) => t.name === 'eyeriss-like');
    assert.ok(!eyeriss.findings.some((f: any) => f.code === 'spatial.provisional'), eyeriss.notes.join(' | '));
    const conv2 = eyeriss.layers.find((l: any) => l.name === 'conv2');
    assert.match(conv2.phases[0].mapping, /^dram .*\| global_buffer .*\|\| .*\| pe_buffer/);
    const h = await c.request<any>('textDocument/hover', {
      textDocument: { uri },
      position: posOf(text, 'name: conv2', 7),
    });
    assert.match(h.contents.value, /\*\*Mapping on eyeriss-like, fwd\*\* \(writes Outputs\)/);
    assert.doesNotMatch(h.contents.value, /provisional/);
    // a second search has nothing left to do
    const again = await c.request<any>('accelmap/searchMappings', { uri });
    assert.equal(again.searched, 0);

    // the Mapping view's data for conv2: loop nests on eyeriss-like, NTX's own choice
    const m = await c.request<any>('accelmap/mapping', { uri, layer: 'conv2' });
    assert.equal(m.error, undefined);
    assert.equal(m.op, 'conv2d');
    const e = m.targets.find((t: any) => t.target === 'eyeriss-like');
    assert.deepEqual(
      e.phases.map((p: any) => p.phase),
      ['fwd', 'bwd_data', 'bwd_weight'],
    );
    for (const p of e.phases) {
      assert.equal(p.status, 'searched');
      assert.deepEqual(
        p.levels.map((l: any) => l.name),
        ['dram', 'global_buffer', 'pe_buffer'],
      );
      for (const l of p.levels.slice(1))
        assert.ok(l.occupancyWords <= l.capacityWords, `${l.name} ${l.occupancyWords}/${l.capacityWords}`);
      assert.ok(p.loopNest.at(-1).includes('<< Compute: mac >>'));
      const sp = p.search.spread[0];
      assert.ok(sp.best <= sp.median && sp.median <= sp.worst, JSON.stringify(sp));
      // energy per level sums (with compute) to the phase's
      assert.ok(p.levels.reduce((a: number, l: any) => a + l.energyJ, 0) < p.energyJ);
    }
    const bwdW = e.phases[2];
    assert.deepEqual(bwdW.levels[0].tensors.map((t: any) => t.role).sort(), ['Inputs', 'OutputGrads', 'WeightGrads']);
    const ntx = m.targets.find((t: any) => t.target === 'ntx');
    assert.equal(ntx.phases[0].status, 'fixed');
    assert.match(ntx.phases[0].summary, /^output tile \d+x\d+, reduction chunk \d+, [\d,]+ commands?/);
    const missing = await c.request<any>('accelmap/mapping', { uri, layer: 'nope' });
    assert.match(missing.error, /No layer named `nope`/);
  } finally {
    await c.stop();
  }
});

test('Search Mappings cancelled after the first nest: it stops, says so, and the nests mapped so far are kept', async () => {
  const ws = workspace({
    'deep.hw.yaml':
      'kind: hardware\ntargets:\n  - {name: deep-eyeriss, extends: eyeriss-like, mapper: {budget: 50000}}\n',
  });
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'm.net.yaml'));
    const text = TINY_NET.replace('targets: [ntx]', 'targets: [deep-eyeriss]').replace(
      'batch_size: 8',
      'batch_size: 32',
    );
    const mark = c.mark();
    c.open(uri, text);
    assert.deepEqual((await c.diagnostics(uri, 1, mark)).diagnostics, []);
    const src = new CancellationTokenSource();
    const token = 'search-2';
    const seen: any[] = [];
    c.conn.onProgress(WorkDoneProgress.type, token, (v) => {
      seen.push(v);
      if (v.kind === 'report') src.cancel();
    });
    const r = await c.conn.sendRequest<any>('accelmap/searchMappings', { uri, workDoneToken: token }, src.token);
    assert.equal(r.cancelled, true);
    assert.ok(r.mapped >= 1 && r.mapped < r.searched, `${r.mapped} of ${r.searched}`);
    assert.equal(seen.at(-1).kind, 'end');
    assert.match(seen.at(-1).message, /^cancelled after \d+ of \d+/);
  } finally {
    await c.stop();
  }
});
