// Simulation over the protocol: on save, on request, result values equal to the simulator's own, inlay hints and
// code lenses after a run, refresh requests, status notifications, re-simulation when a used hardware file is saved,
// settings (accelmap.targets, inlay hints off, manual mode).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestClient, fileUri, posOf } from './client';
import { TINY_NET, MY_HW, workspace } from './fixtures';
import { analyze, resolveTargets } from '../../server/src/spec';
import { simulate } from '../../server/src/sim';
import { KINDS } from '../../server/src/kinds/params';
import { decodeResult, isWireResult } from '../../server/src/lsp/resultWire';

let c: TestClient;
let ws: string;
before(async () => {
  ws = workspace({ 'hw/my.hw.yaml': MY_HW });
  c = await TestClient.start({ workspace: ws, settings: { validate: { delayMs: 20 } } });
});
after(async () => {
  await c.stop();
});

async function openClean(name: string, text: string): Promise<string> {
  const uri = fileUri(join(ws, name));
  const mark = c.mark();
  c.open(uri, text);
  const d = await c.diagnostics(uri, 1, mark);
  assert.deepEqual(
    d.diagnostics.map((x) => `${x.code} ${x.message}`),
    [],
  );
  return uri;
}

test('saving a network simulates it: result notification, status with run time, refresh requests', async () => {
  const uri = await openClean('save.net.yaml', TINY_NET);
  const mark = c.mark();
  const refreshBefore = c.serverRequests.length;
  c.save(uri);
  const r = (
    await c.waitFor((n) => n.method === 'accelmap/simulationResult' && n.params.uri === uri, 20_000, 'result', mark)
  ).params;
  assert.equal(r.error, undefined);
  assert.equal(r.version, 1);
  assert.deepEqual(
    r.result.targets.map((t: any) => t.name),
    ['ntx'],
  );
  assert.equal(r.result.network.name, 'tiny');
  assert.equal(r.result.network.layerCount, 7);
  const st = await c.waitFor(
    (n) => n.method === 'accelmap/status' && n.params.state === 'ready' && n.params.lastRunMs !== undefined,
    10_000,
    'status',
    mark,
  );
  assert.ok(st.params.documents >= 1);
  assert.ok(c.notes.slice(mark).some((n) => n.method === 'accelmap/status' && n.params.state === 'busy'));
  // The refresh requests go out before the status notification on the same stream, so they have arrived.
  const methods = c.serverRequests
    .slice(refreshBefore)
    .map((x) => x.method)
    .sort();
  assert.deepEqual(methods, ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh']);
});

test("after a save the hints come first: the editor's hint request is answered before the result is encoded and sent; without one the result follows anyway", async () => {
  const uri = await openClean(
    'first.net.yaml',
    TINY_NET.replace('targets: [ntx]', 'targets: [ntx, fast-ntx, h100-sxm]'),
  );
  let mark = c.mark();
  const n0 = c.serverRequests.length;
  c.save(uri);
  const t0 = Date.now();
  while (!c.serverRequests.slice(n0).some((r) => r.method === 'workspace/inlayHint/refresh')) {
    assert.ok(Date.now() - t0 < 20_000, 'no hint refresh after the save');
    await new Promise((res) => setImmediate(res));
  }
  const hints = await c.request<any[]>('textDocument/inlayHint', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } },
  });
  assert.ok(hints.length > 0);
  const atHints = c.notes.length;
  assert.ok(
    !c.notes.slice(mark, atHints).some((n) => n.method === 'accelmap/simulationResult' && n.params.uri === uri),
    'the result arrived before the hints',
  );
  const r = await c.waitFor(
    (n) => n.method === 'accelmap/simulationResult' && n.params.uri === uri,
    20_000,
    'result',
    mark,
  );
  assert.equal(r.params.result.targets.length, 3);
  // nobody asks for hints: the result still comes, soon after
  mark = c.mark();
  c.edit(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# again\n');
  await c.diagnostics(uri, undefined, mark);
  const t1 = Date.now();
  c.save(uri);
  await c.waitFor(
    (n) => n.method === 'accelmap/simulationResult' && n.params.uri === uri && n.params.result,
    20_000,
    'result without a hint request',
    mark,
  );
  assert.ok(Date.now() - t1 < 5_000);
});

test('the result notification travels in the columnar wire form and decodes to the result the request returns', async () => {
  const uri = await openClean(
    'wire.net.yaml',
    TINY_NET.replace('targets: [ntx]', 'targets: [ntx, fast-ntx, h100-sxm]'),
  );
  const mark = c.mark();
  const r = await c.request<any>('accelmap/simulate', { uri });
  const n = (
    await c.waitFor((x) => x.method === 'accelmap/simulationResult' && x.params.uri === uri, 20_000, 'result', mark)
  ).params;
  assert.deepEqual(n.result, r.result);
  assert.ok(
    n.wireBytes > 0 && n.wireBytes < JSON.stringify(r.result).length / 2,
    `wire ${n.wireBytes} B vs ${JSON.stringify(r.result).length} B of JSON`,
  );
});

test("form: 'wire': the answer carries the run's wire form, not the objects; it decodes to the plain answer", async () => {
  const uri = await openClean('wireform.net.yaml', TINY_NET.replace('targets: [ntx]', 'targets: [ntx, h100-sxm]'));
  const mark = c.mark();
  const w = await c.request<any>('accelmap/simulate', { uri, form: 'wire' });
  assert.equal(w.result, undefined);
  assert.ok(isWireResult(w.wire), 'the answer has a wire form');
  const n = (
    await c.waitFor((x) => x.method === 'accelmap/simulationResult' && x.params.uri === uri, 20_000, 'result', mark)
  ).params;
  // the same run, encoded once: the notification's wire is the answer's
  assert.equal(n.wireBytes, JSON.stringify(w.wire).length);
  const plain = await c.request<any>('accelmap/simulate', { uri });
  assert.ok(plain.result && plain.wire === undefined, 'without form: the objects, as before');
  assert.deepEqual(decodeResult(w.wire), plain.result);
  // a spec with errors: no result either way, the error says why
  const bad = fileUri(join(ws, 'wireform-bad.net.yaml'));
  const m2 = c.mark();
  c.open(bad, TINY_NET.replace('targets: [ntx]', 'targets: [nope]'));
  await c.diagnostics(bad, 1, m2);
  const e = await c.request<any>('accelmap/simulate', { uri: bad, form: 'wire' });
  assert.equal(e.wire, undefined);
  assert.equal(e.result, undefined);
  assert.match(String(e.error), /1 error in this file/);
});

test('accelmap/simulate returns exactly what the simulator computes for the same model and targets', async () => {
  const uri = await openClean('req.net.yaml', TINY_NET.replace('targets: [ntx]', 'targets: [ntx, fast-ntx]'));
  const r = await c.request<any>('accelmap/simulate', { uri, baseline: 'ntx' });
  assert.equal(r.error, undefined);
  assert.equal(r.uri, uri);
  // In-process reference: the same spec, the same hardware file, the same simulator.
  const hwDoc = analyze(fileUri(join(ws, 'hw/my.hw.yaml')), MY_HW);
  const net = analyze(uri, TINY_NET).network!;
  const targets = resolveTargets(['ntx', 'fast-ntx'], [hwDoc]).targets;
  const ref = simulate(net, targets, { baseline: 'ntx' });
  assert.deepEqual(
    r.result.targets.map((t: any) => t.name),
    ['ntx', 'fast-ntx'],
  );
  for (let i = 0; i < 2; i++) {
    assert.equal(r.result.targets[i].totals.timeS, ref.targets[i].totals.timeS);
    assert.equal(r.result.targets[i].totals.energyJ, ref.targets[i].totals.energyJ);
    assert.equal(r.result.targets[i].layers.length, 7);
  }
  assert.ok(r.result.targets[0].totals.timeS > 0);
  // 32 clusters instead of the preset's count: the workspace target must differ from the preset.
  assert.notEqual(r.result.targets[1].totals.timeS, r.result.targets[0].totals.timeS);
  assert.equal(r.result.targets[1].vsBaseline?.baseline, 'ntx');
  // Hover on the network name: size, and the totals of this run per target.
  const h = await c.request<any>('textDocument/hover', {
    textDocument: { uri },
    position: posOf(TINY_NET, 'name: tiny', 7),
  });
  assert.match(h.contents.value, /\*\*tiny\*\* — 7 layers, 2,938 parameters/); // 448 + 2320 + 170
  assert.match(h.contents.value, /\| fast-ntx \| [\d.]+ [pnµm]?s \| [\d.]+ [pnµmk]?J \|/);
  // Restricting to one target.
  const one = await c.request<any>('accelmap/simulate', { uri, targets: ['fast-ntx'] });
  assert.deepEqual(
    one.result.targets.map((t: any) => t.name),
    ['fast-ntx'],
  );
  const bad = await c.request<any>('accelmap/simulate', { uri, targets: ['nope'] });
  assert.match(bad.error, /nope/);
});

test('inlay hints after a run: one per layer on its name line, time · energy · bound of the first target', async () => {
  const uri = await openClean('hints.net.yaml', TINY_NET);
  const none = await c.request<any[]>('textDocument/inlayHint', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
  });
  assert.deepEqual(none, []);
  const r = await c.request<any>('accelmap/simulate', { uri });
  const hints = await c.request<any[]>('textDocument/inlayHint', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
  });
  assert.equal(hints.length, 7);
  const first = hints[0];
  const at = posOf(TINY_NET, 'name: conv1', 'name: conv1'.length);
  assert.deepEqual(first.position, at);
  // Flow-style layers get their hint at the end of the line, not inside the braces.
  const relu = hints.find((h) => h.position.line === posOf(TINY_NET, '{name: relu1').line);
  assert.equal(relu.position.character, '  - {name: relu1, type: relu}'.length);
  assert.match(first.label, /^▸ [\d.]+ [pnµm]?s · [\d.]+ [pnµmk]?J · (compute|mem|overhead)-bound$/);
  const conv1 = r.result.targets[0].layers.find((l: any) => l.name === 'conv1');
  const t = conv1.phases.reduce((a: number, p: any) => a + p.timeS, 0);
  const label = first.label as string;
  const shown = Number(label.slice(2).split(' ')[0]);
  const unit = label.split(' ')[2];
  const scale: Record<string, number> = { s: 1, ms: 1e-3, µs: 1e-6, ns: 1e-9, ps: 1e-12 };
  assert.ok(Math.abs(shown * scale[unit] - t) / t < 0.005, `${label} vs ${t}`);
  // flatten is a view: no time, no energy.
  const flat = hints.find((h) => h.position.line === posOf(TINY_NET, '{name: flat').line);
  assert.equal(flat.label, '▸ no cost');
  // A range covering only the fc layer's line gives only its hint.
  const fcLine = posOf(TINY_NET, 'name: fc').line;
  const part = await c.request<any[]>('textDocument/inlayHint', {
    textDocument: { uri },
    range: { start: { line: fcLine, character: 0 }, end: { line: fcLine + 1, character: 0 } },
  });
  assert.equal(part.length, 1);
  assert.equal(part[0].position.line, fcLine);
});

test('code lenses: simulate/timeline/roofline with the uri; per-target summary after a run', async () => {
  const uri = await openClean('lens.net.yaml', TINY_NET.replace('targets: [ntx]', 'targets: [ntx, fast-ntx]'));
  const before = await c.request<any[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(
    before.map((l) => [l.command.command, l.command.arguments]),
    [
      ['accelmap.simulate', [uri]],
      ['accelmap.showTimeline', [uri]],
      ['accelmap.showRoofline', [uri]],
    ],
  );
  assert.equal(before[0].command.title, '▶ Simulate');
  assert.equal(before[0].range.start.line, posOf(TINY_NET, 'name: tiny').line);
  await c.request<any>('accelmap/simulate', { uri });
  const afterRun = await c.request<any[]>('textDocument/codeLens', { textDocument: { uri } });
  const summaries = afterRun.filter((l) => l.command.command === 'accelmap.showDashboard');
  assert.deepEqual(
    summaries.map((l) => l.command.arguments),
    [
      [uri, 'ntx'],
      [uri, 'fast-ntx'],
    ],
  );
  assert.match(summaries[0].command.title, /^ntx: [\d.]+ [pnµm]?s · [\d.]+ [pnµmk]?J/);
  // Several targets: a lens says which one the inlay hints show and picks another.
  const pick = afterRun.find((l) => l.command.command === 'accelmap.pickHintTarget');
  assert.equal(pick.command.title, 'Hints: ntx ▾');
  assert.deepEqual(pick.command.arguments, [uri, ['ntx', 'fast-ntx']]);
});

test('inlay hints with several targets: the target name first; accelmap.inlayHints.target chooses it; the tooltip lists every target', async () => {
  const uri = await openClean('hint-target.net.yaml', TINY_NET.replace('targets: [ntx]', 'targets: [ntx, fast-ntx]'));
  await c.request<any>('accelmap/simulate', { uri });
  const all = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };
  const first = (await c.request<any[]>('textDocument/inlayHint', { textDocument: { uri }, range: all }))[0];
  assert.match(first.label, /^▸ ntx: [\d.]+ [pnµm]?s · /);
  assert.match(first.tooltip.value, /On every target:[\s\S]*\| \*\*ntx\*\* \|[\s\S]*\| fast-ntx \|/);
  const before = c.settings;
  c.settings = { ...before, inlayHints: { target: 'fast-ntx' } };
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { accelmap: c.settings } });
  let chosen: any;
  for (let i = 0; i < 50 && !chosen; i++) {
    const h = (await c.request<any[]>('textDocument/inlayHint', { textDocument: { uri }, range: all }))[0];
    if (/^▸ fast-ntx: /.test(h.label)) chosen = h;
    else await new Promise((res) => setTimeout(res, 20));
  }
  assert.ok(chosen, 'the hints did not switch to fast-ntx');
  const lens = (await c.request<any[]>('textDocument/codeLens', { textDocument: { uri } })).find(
    (l) => l.command.command === 'accelmap.pickHintTarget',
  );
  assert.equal(lens.command.title, 'Hints: fast-ntx ▾');
  c.settings = before;
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { accelmap: c.settings } });
});

test('a document with errors is not simulated; the request says why', async () => {
  const uri = fileUri(join(ws, 'broken.net.yaml'));
  const mark = c.mark();
  c.open(uri, TINY_NET.replace('out_features: 10', 'out_features: -3'));
  await c.diagnostics(uri, 1, mark);
  c.save(uri);
  const r = await c.request<any>('accelmap/simulate', { uri });
  assert.equal(r.result, undefined);
  assert.match(r.error, /Fix the 1 error/);
  const auto = c.notes
    .slice(mark)
    .filter((n) => n.method === 'accelmap/simulationResult' && n.params.uri === uri && n.params.result);
  assert.deepEqual(auto, []);
  const notOpen = await c.request<any>('accelmap/simulate', { uri: fileUri(join(ws, 'nothere.net.yaml')) });
  assert.match(notOpen.error, /not open/);
});

test('saving a hardware file re-simulates the open networks that use it', async () => {
  const uri = await openClean('uses-hw.net.yaml', TINY_NET.replace('targets: [ntx]', 'targets: [fast-ntx]'));
  await c.request<any>('accelmap/simulate', { uri });
  const hw = fileUri(join(ws, 'hw/my.hw.yaml'));
  let mark = c.mark();
  c.open(hw, MY_HW);
  await c.diagnostics(hw, 1, mark);
  mark = c.mark();
  const v = c.replace(hw, MY_HW.replace('clusters: 32', 'clusters: 2'));
  await c.diagnostics(hw, v, mark);
  c.save(hw);
  const r = await c.waitFor(
    (n) => n.method === 'accelmap/simulationResult' && n.params.uri === uri,
    20_000,
    're-simulation',
    mark,
  );
  const t = r.params.result.targets[0];
  assert.equal(t.name, 'fast-ntx');
  // The result reflects the edited (open, unsaved-to-disk) hardware text: 2 clusters, not 32.
  const hwDoc = analyze(hw, MY_HW.replace('clusters: 32', 'clusters: 2'));
  const ref = simulate(analyze(uri, TINY_NET).network!, resolveTargets(['fast-ntx'], [hwDoc]).targets);
  assert.equal(t.totals.timeS, ref.targets[0].totals.timeS);
  c.close(hw);
});

test('settings: accelmap.targets applies when a network names none; no targets anywhere -> one preset per kind', async () => {
  const noTargets = TINY_NET.replace('targets: [ntx]\n', '');
  const uri = await openClean('dflt.net.yaml', noTargets);
  const r = await c.request<any>('accelmap/simulate', { uri });
  assert.deepEqual(
    r.result.targets.map((t: any) => t.name),
    KINDS.map((k) => k.presets[0].name),
  );
  c.settings = { validate: { delayMs: 20 }, targets: ['fast-ntx'], inlayHints: { enabled: false } };
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { accelmap: c.settings } });
  // The server re-reads settings (workspace/configuration) and revalidates; wait for the next diagnostics.
  const mark = c.mark();
  await c.diagnostics(uri, 1, mark);
  const r2 = await c.request<any>('accelmap/simulate', { uri });
  assert.deepEqual(
    r2.result.targets.map((t: any) => t.name),
    ['fast-ntx'],
  );
  const hints = await c.request<any[]>('textDocument/inlayHint', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
  });
  assert.deepEqual(hints, []);
  c.settings = { validate: { delayMs: 20 } };
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { accelmap: c.settings } });
});

test('a run that does not fit the target becomes a warning on its `targets:` entry, for that version only', async () => {
  const text = `kind: network
name: huge-embed
batch_size: 8
input_shape: [16]
targets: [h100-sxm]
layers:
  - {name: emb, type: embedding, num_embeddings: 1000000000, embedding_dim: 128}
`;
  const uri = await openClean('huge.net.yaml', text);
  let mark = c.mark();
  c.save(uri);
  const d = await c.waitFor(
    (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && n.params.diagnostics.length > 0,
    20_000,
    'fit warning',
    mark,
  );
  assert.equal(d.params.version, 1);
  assert.deepEqual(
    d.params.diagnostics.map((x: any) => [x.code, x.severity]),
    [['AM5803', 2]],
  );
  const at = posOf(text, 'h100-sxm');
  assert.deepEqual(d.params.diagnostics[0].range, { start: at, end: { line: at.line, character: at.character + 8 } });
  assert.match(
    d.params.diagnostics[0].message,
    /^h100-sxm: The training state \(1024\.00 GB: weights 512\.00, gradients 512\.00, optimizer state 0\.00, activations saved at batch \d+ [0-9.]+\) exceeds the device memory \(80\.00 GB\) by [0-9.]+ GB: the run would not fit/,
  );
  // An edit makes the run stale: the warning goes until the next run.
  mark = c.mark();
  const v = c.replace(uri, text.replace('embedding_dim: 128', 'embedding_dim: 64'));
  const after = await c.diagnostics(uri, v, mark);
  assert.deepEqual(after.diagnostics, []);
});

test("accelmap/trace: the last run as a Chrome trace with the network's dependency arrows; an error before any run", async () => {
  const uri = await openClean('trace.net.yaml', TINY_NET);
  const none = await c.request<any>('accelmap/trace', { uri });
  assert.equal(none.trace, undefined);
  assert.match(none.error, /Nothing simulated yet for this document/);
  await c.request<any>('accelmap/simulate', { uri });
  const r = await c.request<any>('accelmap/trace', { uri });
  assert.equal(r.error, undefined);
  const ev = r.trace.traceEvents;
  assert.deepEqual(
    ev.filter((e: any) => e.ph === 'M' && e.name === 'process_name').map((e: any) => e.args.name),
    ['ntx (ntx)'],
  );
  assert.ok(ev.filter((e: any) => e.ph === 'X').length > 5);
  assert.ok(ev.some((e: any) => e.ph === 's') && ev.some((e: any) => e.ph === 'f'), 'dependency arrows');
});

test("explain: the hover says where a layer's time goes on the hint target and what moves it; accelmap/explain returns the terms and every knob", async () => {
  const uri = await openClean('explain.net.yaml', TINY_NET.replace('targets: [ntx]', 'targets: [ntx, h100-sxm]'));
  const text = TINY_NET.replace('targets: [ntx]', 'targets: [ntx, h100-sxm]');
  const r = await c.request<any>('accelmap/simulate', { uri });
  const conv2 = r.result.targets[0].layers.find((l: any) => l.name === 'conv2');
  const h = await c.request<any>('textDocument/hover', {
    textDocument: { uri },
    position: posOf(text, 'name: conv2', 7),
  });
  const v: string = h.contents.value;
  assert.match(v, /\*\*Where the time goes on ntx\*\*/);
  assert.match(
    v,
    /- fwd: compute [\d.]+ [µmn]?s = [\d.]+ [kMG]?FLOP at [\d.]+ [kMGT]?FLOP\/s \(\d+(\.\d)?% of the [\d.]+ TFLOP\/s peak\); memory .* of dram at .*; time [\d.]+ [µmn]?s = max\(compute, memory\) \+ overhead: (compute|memory)-bound/,
  );
  assert.equal((v.match(/^- (fwd|bwd_data|bwd_weight|update): /gm) ?? []).length, conv2.phases.length);
  assert.match(v, /\*\*What moves it\*\* \(elasticity of the layer's time on ntx/);
  assert.equal(
    (v.match(/^- `[a-z_]+\.[a-z_0-9.]+` = [^:`]+: time [+-][\d.]+, energy [+-][\d.]+ — (SRC|DER|REC|ASM) /gm) ?? [])
      .length,
    3,
  );
  // the request: the same terms and every knob of the target, largest first
  const e = await c.request<any>('accelmap/explain', { uri, target: 'h100-sxm', layer: 'conv2', phase: 'bwd_weight' });
  assert.equal(e.error, undefined);
  assert.equal(e.target, 'h100-sxm');
  assert.deepEqual(
    e.phases.map((p: any) => p.phase),
    ['bwd_weight'],
  );
  const p = r.result.targets[1].layers
    .find((l: any) => l.name === 'conv2')
    .phases.find((x: any) => x.phase === 'bwd_weight');
  assert.equal(e.phases[0].timeS, p.timeS);
  assert.ok(e.phases[0].formulas.length >= 3);
  assert.ok(e.sensitivities.length > 20);
  assert.ok(e.sensitivities.every((s: any) => typeof s.source === 'string' && s.source.length > 0));
  const step = await c.request<any>('accelmap/explain', { uri });
  assert.equal(step.target, 'ntx');
  assert.equal(step.timeS, r.result.targets[0].totals.timeS);
  assert.match(
    (await c.request<any>('accelmap/explain', { uri, target: 'gradpim' })).error,
    /`gradpim` was not simulated in the last run \(it simulated ntx, h100-sxm\)/,
  );
  assert.match((await c.request<any>('accelmap/explain', { uri, phase: 'fwd' })).error, /`phase` needs a `layer`/);
  assert.match((await c.request<any>('accelmap/explain', { uri, layer: 'nope' })).error, /No layer `nope`/);
});
