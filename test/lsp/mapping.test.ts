// The real server with a spatial target: a layer's hover shows, after a simulation, the mapping the mapper chose
// for each training phase as a loop nest with the tiles per level, and what the search saw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestClient, fileUri, posOf } from './client';
import { TINY_NET, workspace } from './fixtures';

test('hover on a conv layer after a simulation on eyeriss-like: one loop nest per training phase; before it, none', async () => {
  const ws = workspace({});
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'm.net.yaml'));
    const text = TINY_NET.replace('targets: [ntx]', 'targets: [eyeriss-like, ntx]');
    const mark = c.mark();
    c.open(uri, text);
    const d = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(d.diagnostics, []);
    const at = posOf(text, 'name: conv2', 7);
    const before = await c.request<any>('textDocument/hover', { textDocument: { uri }, position: at });
    assert.doesNotMatch(before.contents.value, /Mapping on/);
    const r = await c.request<any>('accelmap/simulate', { uri });
    assert.deepEqual(r.result.targets.map((t: any) => t.name), ['eyeriss-like', 'ntx']);
    const h = await c.request<any>('textDocument/hover', { textDocument: { uri }, position: at });
    const v: string = h.contents.value;
    assert.match(v, /\*\*Mapping on eyeriss-like, fwd\*\* \(writes Outputs\): \d+% of 168 MACs/);
    assert.match(v, /\*\*Mapping on eyeriss-like, bwd_data\*\* \(writes InputGrads\)/);
    assert.match(v, /\*\*Mapping on eyeriss-like, bwd_weight\*\* \(writes WeightGrads\)/);
    assert.match(v, /dram \[ Weights:\d+ Inputs:\d+ Outputs:\d+ \]/);
    assert.match(v, /<< Compute: mac >>/);
    assert.match(v, /mapper: \d+ evaluated, edp worst\/best/);
    assert.doesNotMatch(v, /Mapping on ntx/);
  } finally {
    await c.stop();
  }
});
