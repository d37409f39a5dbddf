// Hardware specs: targets, units with quick fixes, extends chains and cycles, provenance, resolveTargets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, presetTarget, presetTargets, resolveTargets } from '../../../server/src/spec/index';
import { KINDS } from '../../../server/src/kinds/params';
import { applyFix, codes, only } from './helpers';
import { HARDWARE_YAML } from './fixtures';

const hw = (body: string, uri = 'file:///t.hw.yaml') => analyze(uri, `kind: hardware\ntargets:\n${body}`);

test('a valid file: ntx-64 extends the ntx preset, ntx-64-fast extends ntx-64; own > chain > preset > default', () => {
  const d = analyze('file:///a.hw.yaml', HARDWARE_YAML);
  assert.deepEqual(d.diagnostics, []);
  const [a, b, g] = d.hardware!.targets;
  assert.equal(a.kind, 'ntx');
  assert.deepEqual(a.extendsChain, ['ntx']);
  assert.deepEqual(b.extendsChain, ['ntx-64', 'ntx']);
  assert.equal(b.params['compute.clock'], 1.5e9);
  assert.deepEqual(b.provenance['compute.clock'], {
    from: 'spec',
    target: 'ntx-64-fast',
    uri: 'file:///a.hw.yaml',
    range: { start: { line: 10, character: 13 }, end: { line: 10, character: 20 } },
  });
  assert.equal(b.description, 'NTX with 64 clusters');
  // Every parameter of the kind is resolved, each with a provenance.
  const ntx = KINDS.find((k) => k.kind === 'ntx')!;
  assert.deepEqual(Object.keys(b.params).sort(), ntx.params.map((p) => p.path).sort());
  assert.deepEqual(Object.keys(b.provenance).sort(), ntx.params.map((p) => p.path).sort());
  const preset = ntx.presets.find((p) => p.name === 'ntx')!;
  for (const p of ntx.params) {
    if (p.path === 'compute.clock') continue;
    const prov = b.provenance[p.path];
    if (preset.values[p.path])
      assert.deepEqual(
        prov,
        { from: 'preset', preset: 'ntx', tag: preset.values[p.path].tag, source: preset.values[p.path].source },
        p.path,
      );
    else assert.deepEqual(prov, { from: 'default', tag: p.defaultTag, source: p.defaultSource }, p.path);
  }
  assert.equal(g.kind, 'gpu');
  assert.deepEqual(g.extendsChain, []);
  const gpu = KINDS.find((k) => k.kind === 'gpu')!;
  for (const p of gpu.params) assert.equal(g.params[p.path], p.default, p.path);
  assert.ok(g.ranges && a.ranges);
  assert.deepEqual(a.ranges.name, { start: { line: 2, character: 10 }, end: { line: 2, character: 16 } });
});

test('presets resolve: every preset of every kind, with every parameter and no unreadable preset values', () => {
  const all = presetTargets();
  const names = KINDS.flatMap((k) => k.presets.map((p) => p.name));
  assert.deepEqual(
    all.map((t) => t.name),
    names,
  );
  for (const t of all) {
    const kind = KINDS.find((k) => k.kind === t.kind)!;
    assert.equal(Object.keys(t.params).length, kind.params.length, t.name);
    assert.ok(!t.notes.some((n) => /could not be read/.test(n)), `${t.name}: ${t.notes.join('; ')}`);
    for (const p of kind.params) {
      const v = t.params[p.path];
      if (typeof v === 'number' && p.min !== undefined)
        assert.ok(v >= p.min, `${t.name} ${p.path} = ${v} < min ${p.min}`);
      if (typeof v === 'number' && p.max !== undefined)
        assert.ok(v <= p.max, `${t.name} ${p.path} = ${v} > max ${p.max}`);
    }
  }
  assert.equal(presetTarget('nope'), undefined);
  // Copies: editing one does not change the next call.
  const n = presetTarget('ntx')!;
  n.params['compute.clock'] = 1;
  assert.notEqual(presetTarget('ntx')!.params['compute.clock'], 1);
});

test('missing unit: AM3001 with a quick fix that appends the likely unit', () => {
  const text = 'kind: hardware\ntargets:\n  - name: a\n    extends: ntx\n    memory:\n      dram_bandwidth: 320\n';
  const d = analyze('file:///a.hw.yaml', text);
  const e = only(d, 'AM3001');
  assert.deepEqual(e.range, { start: { line: 5, character: 22 }, end: { line: 5, character: 25 } });
  assert.equal(applyFix(text, e), text.replace('320', '320 GB/s'));
  const fixed = analyze('file:///a.hw.yaml', applyFix(text, e));
  assert.deepEqual(fixed.diagnostics, []);
  assert.equal(fixed.hardware!.targets[0].params['memory.dram_bandwidth'], 320e9);
});

test('wrong dimension AM3002, unknown unit AM3003, out of range AM3004', () => {
  assert.match(
    only(hw('  - {name: a, extends: ntx, memory: {dram_bandwidth: 320 GB}}\n'), 'AM3002').message,
    /`GB` is a unit of size.*B\/s/,
  );
  assert.deepEqual(codes(hw('  - {name: a, extends: ntx, compute: {clock: 3 parsecs}}\n')), ['AM3003']);
  const e = only(hw('  - {name: a, extends: ntx, compute: {clock: 100 GHz}}\n'), 'AM3004');
  assert.match(e.message, /`compute.clock` must be between 1 MHz and 10 GHz; it is 100 GHz/);
});

test("unknown parameters and groups: AM2003 with did-you-mean among the kind's keys, and a fix", () => {
  const text = 'kind: hardware\ntargets:\n  - name: a\n    extends: ntx\n    compute:\n      clusterz: 32\n';
  const e = only(analyze('file:///a.hw.yaml', text), 'AM2003');
  assert.match(e.message, /Unknown key `clusterz` in `compute`; did you mean `clusters`/);
  const fixed = analyze('file:///a.hw.yaml', applyFix(text, e));
  assert.deepEqual(fixed.diagnostics, []);
  assert.equal(fixed.hardware!.targets[0].params['compute.clusters'], 32);
  assert.match(
    only(hw('  - {name: a, kind: ntx, compte: {clusters: 3}}\n'), 'AM2003').message,
    /did you mean `compute`/,
  );
  assert.deepEqual(codes(hw('  - {name: a, kind: ntx, compute: 3}\n')), ['AM2004']);
});

test('extends: unknown name gets did-you-mean and a fix; a cycle is named; kind conflicts; no kind', () => {
  const text = 'kind: hardware\ntargets:\n  - name: a\n    extends: ntxx\n';
  const e = only(analyze('file:///a.hw.yaml', text), 'AM5001');
  assert.match(e.message, /`extends: ntxx` names no preset or target; did you mean `ntx`/);
  assert.deepEqual(analyze('file:///a.hw.yaml', applyFix(text, e)).diagnostics, []);
  const c = hw('  - {name: a, extends: b}\n  - {name: b, extends: c}\n  - {name: c, extends: a}\n');
  assert.deepEqual(codes(c), ['AM5002', 'AM5002', 'AM5002']);
  assert.match(c.diagnostics[0].message, /cycle: a -> b -> c -> a/);
  assert.equal(c.hardware!.targets.length, 0);
  assert.match(
    only(hw('  - {name: a, kind: gpu, extends: ntx}\n'), 'AM5004').message,
    /`kind: gpu` conflicts with `ntx`, which is a `ntx` target/,
  );
  assert.deepEqual(codes(hw('  - {name: a}\n')), ['AM5005']);
  assert.deepEqual(codes(hw('  - {kind: gpu}\n')), ['AM2007']);
});

test('a target may shadow a preset name and extend it', () => {
  const d = hw('  - {name: ntx, extends: ntx, compute: {clusters: 2}}\n');
  assert.deepEqual(d.diagnostics, []);
  assert.equal(d.hardware!.targets[0].params['compute.clusters'], 2);
  assert.deepEqual(d.hardware!.targets[0].extendsChain, ['ntx']);
});

test('duplicate target names: AM5003; bad kind: AM2006 with did-you-mean', () => {
  assert.deepEqual(codes(hw('  - {name: a, kind: gpu}\n  - {name: a, kind: ntx}\n')), ['AM5003']);
  assert.match(only(hw('  - {name: a, kind: gpx}\n'), 'AM2006').message, /did you mean `gpu`/);
});

test('resolveTargets: names from hardware docs (across files), then presets; unknown names with did-you-mean', () => {
  const base = analyze(
    'file:///base.hw.yaml',
    'kind: hardware\ntargets:\n  - {name: big-ntx, extends: ntx, compute: {clusters: 128}}\n',
  );
  const derived = analyze(
    'file:///derived.hw.yaml',
    'kind: hardware\ntargets:\n  - {name: bigger-ntx, extends: big-ntx, compute: {clock: 2 GHz}}\n',
    { hardwareDocs: [base] },
  );
  assert.deepEqual(derived.diagnostics, []);
  const at = [
    { start: { line: 3, character: 10 }, end: { line: 3, character: 20 } },
    { start: { line: 3, character: 22 }, end: { line: 3, character: 25 } },
    { start: { line: 3, character: 27 }, end: { line: 3, character: 31 } },
  ];
  const r = resolveTargets(['bigger-ntx', 'ntx', 'bgi-ntx'], [derived, base], at);
  assert.deepEqual(
    r.targets.map((t) => t.name),
    ['bigger-ntx', 'ntx'],
  );
  const t = r.targets[0];
  assert.deepEqual(t.extendsChain, ['big-ntx', 'ntx']);
  assert.equal(t.params['compute.clusters'], 128);
  assert.equal(t.params['compute.clock'], 2e9);
  assert.equal((t.provenance['compute.clusters'] as { uri: string }).uri, 'file:///base.hw.yaml');
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].code, 'AM5001');
  assert.deepEqual(r.diagnostics[0].range, at[2]);
  assert.match(r.diagnostics[0].message, /did you mean `big-ntx`/);
  assert.equal(r.diagnostics[0].fixes![0].edits[0].newText, 'big-ntx');
  // Documents without their syntax tree still resolve through their resolved targets.
  const trimmed = { ...derived, syntax: undefined };
  assert.equal(resolveTargets(['bigger-ntx'], [trimmed]).targets[0].params['compute.clock'], 2e9);
  // Without the other file, the extends is unknown.
  assert.deepEqual(
    codes(analyze('file:///derived.hw.yaml', 'kind: hardware\ntargets:\n  - {name: bigger-ntx, extends: big-ntx}\n')),
    ['AM5001'],
  );
});

test('hardware JSON with units as strings', () => {
  const d = analyze(
    'file:///a.hw.json',
    '{"kind": "hardware", "targets": [{"name": "g", "extends": "h100-sxm", "memory": {"hbm_bandwidth": "3 TB/s"}}]}',
  );
  assert.deepEqual(d.diagnostics, []);
  assert.equal(d.hardware!.targets[0].kind, 'gpu');
  assert.equal(d.hardware!.targets[0].params['memory.hbm_bandwidth'], 3e12);
});
