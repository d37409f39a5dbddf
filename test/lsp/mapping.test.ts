// The real server with a spatial target: a layer's hover shows, after a simulation, the mapping the mapper chose
// for each training phase as a loop nest with the tiles per level, and what the search saw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestClient, applyEdits, fileUri, posOf } from './client';
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
    assert.deepEqual(
      r.result.targets.map((t: any) => t.name),
      ['eyeriss-like', 'ntx'],
    );
    const h = await c.request<any>('textDocument/hover', { textDocument: { uri }, position: at });
    const v: string = h.contents.value;
    assert.match(v, /\*\*Mapping on eyeriss-like, fwd\*\*( \(provisional\))? \(writes Outputs\): \d+% of 168 MACs/);
    assert.match(v, /\*\*Mapping on eyeriss-like, bwd_data\*\*( \(provisional\))? \(writes InputGrads\)/);
    assert.match(v, /\*\*Mapping on eyeriss-like, bwd_weight\*\*( \(provisional\))? \(writes WeightGrads\)/);
    assert.match(v, /dram \[ Weights:\d+ Inputs:\d+ Outputs:\d+ \]/);
    assert.match(v, /<< Compute: mac >>/);
    assert.match(v, /mapper: \d+ evaluated, edp worst\/best/);
    assert.doesNotMatch(v, /Mapping on ntx/);
  } finally {
    await c.stop();
  }
});

test('a system whose training state does not fit its devices: a warning on the target entry naming the change that fits', async () => {
  const ws = workspace({ 'cluster.hw.yaml': 'kind: hardware\ntargets:\n  - {name: small-node, extends: dgx-h100}\n' });
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'big.net.yaml'));
    const text = `kind: network
name: big-mlp
batch_size: 64
precision: bf16
master_weights: fp32
optimizer: {type: adam, lr: 0.001}
input_shape: [60000]
targets: [small-node]
layers:
  - {name: fc1, type: linear, out_features: 60000}
  - {name: act, type: gelu}
  - {name: fc2, type: linear, out_features: 60000}
`;
    let mark = c.mark();
    c.open(uri, text);
    const d0 = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(d0.diagnostics, []);
    mark = c.mark();
    c.save(uri);
    const d = await c.waitFor(
      (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && n.params.diagnostics.length > 0,
      30_000,
      'fit warning',
      mark,
    );
    assert.deepEqual(
      d.params.diagnostics.map((x: any) => [x.code, x.severity]),
      [['AM5803', 2]],
    );
    const at = posOf(text, 'small-node');
    assert.equal(d.params.diagnostics[0].range.start.line, at.line);
    // 7.2 G parameters x (2 B weights + 2 B gradients + 12 B Adam state with fp32 masters) = 115 GB on each of the 8
    // replicas
    assert.match(
      d.params.diagnostics[0].message,
      /^small-node: Per device the training state needs [\d.]+ GB .* and h100-sxm has 80\.0 GB: [\d.]+ GB too much; parallel\.zero: \d would fit/,
    );
    // the hover on the entry: the target, then the last run's step, its split over the devices and the fit
    const h = await c.request<any>('textDocument/hover', { textDocument: { uri }, position: at });
    const v: string = h.contents.value;
    assert.match(v, /\*\*small-node\*\* — `system` target extends dgx-h100/);
    assert.match(v, /\*\*Last simulation\*\*: step [\d.]+ \S*s, [\d.]+ \S*J, [\d.]+ samples\/s/);
    assert.match(
      v,
      /- 8 devices as dp 8 x tp 1 x pp 1, 1 micro-batch of 8: step [\d.]+ ms — compute \d+%, exposed communication \d+%/,
    );
    assert.match(v, /- Per device the training state needs/);
  } finally {
    await c.stop();
  }
});

test('accelmap/report: after a simulation, a self-contained HTML report of the document (or CSV rows); before it, an error that says what to do', async () => {
  const ws = workspace({});
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'r.net.yaml'));
    const text = TINY_NET.replace('targets: [ntx]', 'targets: [ntx, h100-sxm]');
    const mark = c.mark();
    c.open(uri, text);
    await c.diagnostics(uri, 1, mark);
    const before = await c.request<any>('accelmap/report', { uri });
    assert.match(before.error, /Nothing simulated yet for this document: save it or run/);
    await c.request<any>('accelmap/simulate', { uri });
    const r = await c.request<any>('accelmap/report', { uri });
    assert.equal(r.error, undefined);
    assert.match(r.html, /^<!doctype html>/);
    assert.match(r.html, /<title>accelmap report: tiny<\/title>/);
    assert.equal((r.html.match(/<h2>(ntx|h100-sxm) <small>/g) ?? []).length, 2);
    assert.match(r.html, /Parameters and their sources/);
    assert.doesNotMatch(r.html, /<script/i);
    // the same run as CSV: a header and one row per (target, layer, phase)
    const csv = await c.request<any>('accelmap/report', { uri, format: 'csv' });
    assert.equal(csv.html, undefined);
    const lines = csv.csv.trim().split('\n');
    assert.match(lines[0], /^target,kind,layer,op,phase,/);
    assert.deepEqual([...new Set(lines.slice(1).map((l: string) => l.split(',')[0]))].sort(), ['h100-sxm', 'ntx']);
    assert.ok(lines.length > 2 * 3, `${lines.length} lines`);
  } finally {
    await c.stop();
  }
});

test("accelmap/scale: a system target's weak-scaling curve, 1 to 8 devices; a single-device target is refused with the reason", async () => {
  const ws = workspace({ 'n.hw.yaml': 'kind: hardware\ntargets:\n  - {name: my-node, extends: dgx-h100}\n' });
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 's.net.yaml'));
    const text = TINY_NET.replace('targets: [ntx]', 'targets: [my-node, ntx]').replace(
      'batch_size: 8',
      'batch_size: 64',
    );
    const mark = c.mark();
    c.open(uri, text);
    const d = await c.diagnostics(uri, 1, mark);
    assert.deepEqual(d.diagnostics, []);
    const r = await c.request<any>('accelmap/scale', { uri, target: 'my-node' });
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.points.map((p: any) => p.devices),
      [1, 2, 4, 8],
    );
    assert.deepEqual(
      r.points.map((p: any) => p.batch),
      [8, 16, 32, 64],
    );
    assert.equal(r.points[0].speedup, 1);
    for (const p of r.points) assert.ok(p.efficiency > 0.5 && p.efficiency <= 1 + 1e-9 && p.fits);
    const bad = await c.request<any>('accelmap/scale', { uri, target: 'ntx' });
    assert.match(bad.error, /`ntx` is not a system target of this network/);
  } finally {
    await c.stop();
  }
});

test('the save path does not wait for a mapping search: a provisional result first, the full-search result republished after', async () => {
  const ws = workspace({});
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'p.net.yaml'));
    // a shape no other test maps (the mapper's cache lives as long as the server)
    const text = TINY_NET.replace('targets: [ntx]', 'targets: [os-teaching]').replaceAll(
      'out_channels: 16',
      'out_channels: 24',
    );
    let mark = c.mark();
    c.open(uri, text);
    await c.diagnostics(uri, 1, mark);
    mark = c.mark();
    const r = await c.request<any>('accelmap/simulate', { uri });
    assert.ok(r.result, JSON.stringify(r).slice(0, 300));
    assert.match(r.result.targets[0].notes.join('\n'), /Provisional mappings \(a quick search of 60 per loop nest\)/);
    const next = await c.waitFor(
      (n) =>
        n.method === 'accelmap/simulationResult' &&
        n.params.uri === uri &&
        !!n.params.result &&
        !n.params.result.targets[0].notes.some((x: string) => x.startsWith('Provisional')),
      30_000,
      'full-search result',
      mark,
    );
    assert.match(next.params.result.targets[0].notes.join('\n'), /600 mappings per nest/);
    // the full search never does worse than the quick one on its metric (EDP) for the same nests
    const edp = (t: any) => t.totals.timeS * t.totals.energyJ;
    assert.ok(edp(next.params.result.targets[0]) <= edp(r.result.targets[0]) * 1.0000001);
  } finally {
    await c.stop();
  }
});

test('the fit warning of a system offers a quick fix that writes the change into parallel:, and the fixed spec fits', async () => {
  const ws = workspace({ 'cluster.hw.yaml': 'kind: hardware\ntargets:\n  - {name: small-node, extends: dgx-h100}\n' });
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'q.net.yaml'));
    const text = `kind: network
name: big-mlp
batch_size: 64
precision: bf16
master_weights: fp32
optimizer: {type: adam, lr: 0.001}
input_shape: [60000]
targets: [small-node]
layers:
  - {name: fc1, type: linear, out_features: 60000}
  - {name: act, type: gelu}
  - {name: fc2, type: linear, out_features: 60000}
`;
    let mark = c.mark();
    c.open(uri, text);
    await c.diagnostics(uri, 1, mark);
    mark = c.mark();
    c.save(uri);
    const d = await c.waitFor(
      (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && n.params.diagnostics.length > 0,
      30_000,
      'fit warning',
      mark,
    );
    const diag = d.params.diagnostics[0];
    const actions = await c.request<any[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diag.range,
      context: { diagnostics: [diag] },
    });
    const fix = actions.find((a: any) => /^Set parallel: \{zero: 1\} \(fits small-node\)$/.test(a.title));
    assert.ok(fix, actions.map((a: any) => a.title).join(' | '));
    const edit = fix.edit.changes[uri][0];
    // apply it and check the spec now fits
    const lines = text.split('\n');
    const offset =
      lines.slice(0, edit.range.start.line).reduce((a, l) => a + l.length + 1, 0) + edit.range.start.character;
    const fixed = text.slice(0, offset) + edit.newText + text.slice(offset);
    assert.match(fixed, /\nparallel: \{zero: 1\}\n$/);
    mark = c.mark();
    c.replace(uri, fixed);
    const d2 = await c.diagnostics(uri, 2, mark);
    assert.deepEqual(d2.diagnostics, []);
    const r = await c.request<any>('accelmap/simulate', { uri });
    assert.ok(!r.result.targets[0].findings.some((f: any) => f.code === 'memory.exceeds-device'));
  } finally {
    await c.stop();
  }
});

test("Pin this mapping writes the mapping the run used into the layer; a pin the target cannot meet is AM5804 on its phase with the mapper's mapping as the fix", async () => {
  const ws = workspace({});
  const c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 10 } } });
  try {
    const uri = fileUri(join(ws, 'pin.net.yaml'));
    const text = TINY_NET.replace('targets: [ntx]', 'targets: [eyeriss-like]');
    let mark = c.mark();
    c.open(uri, text);
    await c.diagnostics(uri, 1, mark);
    // simulate, and wait for the background search's republished (full) result: that is the run pinned below
    mark = c.mark();
    await c.request<any>('accelmap/simulate', { uri });
    const full = await c.waitFor(
      (n) =>
        n.method === 'accelmap/simulationResult' &&
        n.params.uri === uri &&
        !!n.params.result &&
        !n.params.result.targets[0].notes.some((x: string) => x.startsWith('Provisional')),
      30_000,
      'full-search result',
      mark,
    );
    const before = { result: full.params.result };
    const convTime = (r: any) =>
      r.result.targets[0].layers.find((l: any) => l.name === 'conv2').phases.map((p: any) => p.timeS);
    const at = posOf(text, 'name: conv2', 7);
    const actions = await c.request<any[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: at, end: at },
      context: { diagnostics: [] },
    });
    const pin = actions.find((a: any) => a.title === 'Pin the mapping of conv2 found on eyeriss-like');
    assert.ok(pin, actions.map((a: any) => a.title).join(' | '));
    assert.equal(pin.kind, 'refactor.rewrite');
    const pinned = applyEdits(text, pin.edit.changes[uri]);
    assert.match(
      pinned,
      /\n {4}mapping: \{fwd: \{dram: \{.*\}, global_buffer: \{.*keep: \[.*\]\}, pe_buffer: \{.*\}\}, bwd_data: \{.*\}, bwd_weight: \{.*\}\}\n/,
    );
    mark = c.mark();
    c.replace(uri, pinned);
    assert.deepEqual((await c.diagnostics(uri, 2, mark)).diagnostics, []);
    const after = await c.request<any>('accelmap/simulate', { uri });
    // the pinned mapping is the one the mapper had chosen: the same times, and the hover says it is pinned
    assert.deepEqual(convTime(after), convTime(before));
    const h = await c.request<any>('textDocument/hover', { textDocument: { uri }, position: at });
    assert.match(h.contents.value, /\*\*Mapping on eyeriss-like, fwd\*\* \(pinned in the spec\)/);

    // a pin eyeriss-like cannot meet: 16 output channels do not split 12 ways
    const bad = pinned.replace(
      /mapping: \{fwd: \{.*?\}\}, bwd_data:/,
      'mapping: {fwd: {global_buffer: {spatial: {K: 12}}}, bwd_data:',
    );
    assert.notEqual(bad, pinned);
    mark = c.mark();
    c.replace(uri, bad);
    await c.diagnostics(uri, 3, mark);
    mark = c.mark();
    c.save(uri);
    const d = await c.waitFor(
      (n) =>
        n.method === 'textDocument/publishDiagnostics' &&
        n.params.uri === uri &&
        n.params.diagnostics.some((x: any) => x.code === 'AM5804'),
      30_000,
      'AM5804',
      mark,
    );
    const w = d.params.diagnostics.find((x: any) => x.code === 'AM5804');
    assert.match(
      w.message,
      /^eyeriss-like: conv2 fwd: the pinned mapping cannot be met on eyeriss-like: the pinned factors of K multiply to 12, which does not divide its bound 16\. The mapper's own mapping is used instead\.$/,
    );
    assert.equal(w.range.start.line, posOf(bad, 'mapping: {fwd').line);
    assert.equal(w.range.start.character, posOf(bad, 'fwd: {global').character);
    const fixes = await c.request<any[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: w.range,
      context: { diagnostics: [w] },
    });
    const fix = fixes.find((a: any) => a.title === "Use the mapper's mapping of conv2 fwd on eyeriss-like");
    assert.ok(fix, fixes.map((a: any) => a.title).join(' | '));
    const mended = applyEdits(bad, fix.edit.changes[uri]);
    mark = c.mark();
    c.replace(uri, mended);
    await c.diagnostics(uri, 4, mark);
    const r = await c.request<any>('accelmap/simulate', { uri });
    assert.ok(!r.result.targets[0].findings.some((f: any) => f.code === 'mapping.illegal'), 'the fixed pin is met');
  } finally {
    await c.stop();
  }
});
