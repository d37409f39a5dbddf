// Pure helpers of the language server, tested in-process (no server needed): globs, settings parsing, spec
// detection, the completion cursor context, number formatting, the preset renderer's round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, matchesAny } from '../../server/src/lsp/glob';
import { parseSettings, DEFAULT_SETTINGS } from '../../server/src/lsp/settings';
import { classify } from '../../server/src/lsp/specFilter';
import { completionContext } from '../../server/src/lsp/completionContext';
import { eng, fmtShape } from '../../server/src/lsp/format';
import { renderPreset } from '../../server/src/lsp/presetSource';
import { KINDS } from '../../server/src/kinds/params';
import { analyze, presetTarget } from '../../server/src/spec';

test('globs: **, *, braces, bare names', () => {
  assert.ok(matchesAny('/w/a/b/resnet.net.yaml', ['**/*.net.{yaml,yml,json}']));
  assert.ok(matchesAny('/w/x.hw.json', ['**/*.hw.{yaml,yml,json}']));
  assert.ok(!matchesAny('/w/x.hw.yaml.bak', ['**/*.hw.{yaml,yml,json}']));
  assert.ok(!matchesAny('/w/xnet.yaml', ['**/*.net.yaml']));
  assert.ok(matchesAny('/w/specs/m.yaml', ['specs/*.yaml']));
  assert.ok(!matchesAny('/w/specs/deep/m.yaml', ['specs/*.yaml']));
  assert.ok(matchesAny('/w/M.NET.YAML', ['*.net.yaml']), 'case-insensitive');
  assert.equal(globToRegExp('**/*.net.yaml').test('/a/b.net.yaml'), true);
});

test('settings: nested (workspace/configuration) and flat (initializationOptions) forms; bad values -> defaults', () => {
  assert.deepEqual(parseSettings(undefined), { ...DEFAULT_SETTINGS, baseline: undefined });
  const nested = parseSettings({
    validate: { delayMs: 75 },
    simulate: { run: 'manual' },
    targets: ['ntx', 3],
    baseline: 'ntx',
    inlayHints: { enabled: false, target: ' ntx ' },
    files: { network: ['*.n.yaml'], hardware: [] },
  });
  assert.deepEqual(nested, {
    validateDelayMs: 75,
    simulateRun: 'manual',
    targets: ['ntx'],
    baseline: 'ntx',
    inlayHintsEnabled: false,
    inlayHintsTarget: 'ntx',
    networkGlobs: ['*.n.yaml'],
    hardwareGlobs: DEFAULT_SETTINGS.hardwareGlobs,
  });
  const flat = parseSettings({
    validateDelayMs: 5,
    simulateRun: 'onType',
    inlayHintsEnabled: true,
    inlayHintsTarget: 'h100-sxm',
    filesNetwork: ['a'],
    filesHardware: ['b'],
    targets: [],
    baseline: '',
  });
  assert.deepEqual(flat, {
    validateDelayMs: 5,
    simulateRun: 'onType',
    targets: [],
    baseline: undefined,
    inlayHintsEnabled: true,
    inlayHintsTarget: 'h100-sxm',
    networkGlobs: ['a'],
    hardwareGlobs: ['b'],
  });
  const bad = parseSettings({
    validate: { delayMs: -3 },
    simulate: { run: 'always' },
    inlayHints: { enabled: 'yes' },
    targets: 'ntx',
  });
  assert.deepEqual(bad, { ...DEFAULT_SETTINGS, baseline: undefined });
  assert.equal(parseSettings({ validate: { delayMs: 1e9 } }).validateDelayMs, 10_000);
});

test('spec detection: by name, by top-level kind, never other files', () => {
  const s = DEFAULT_SETTINGS;
  assert.equal(classify('file:///w/r.net.yaml', '', s), 'network');
  assert.equal(classify('file:///w/r.hw.yml', 'anything', s), 'hardware');
  assert.equal(classify('file:///w/model.yaml', '# c\nkind: network\n', s), 'network');
  assert.equal(classify('file:///w/b.json', '{ "kind": "hardware", "targets": [] }', s), 'hardware');
  assert.equal(classify('file:///w/ci.yaml', 'jobs:\n  kind: network\n', s), null, 'nested kind is not top-level');
  assert.equal(classify('file:///w/ci.yaml', 'kind: Deployment\n', s), null);
  assert.equal(classify('file:///w/readme.md', 'kind: network\n', s), null);
  assert.equal(classify('untitled:Untitled-1', 'kind: network\n', s, 'yaml'), 'network');
});

test('completion context: paths, keys vs values, list entries, siblings', () => {
  const t =
    'kind: network\noptimizer:\n  type: adam\n  \nlayers:\n  - name: c1\n    type: conv2d\n    ker\n  - name: r\n    inputs: [c1, \n  - \ntargets:\n  - \n';
  const at = (line: number, ch: number) => completionContext(t, line, ch);
  assert.deepEqual([at(3, 2).path, at(3, 2).on, at(3, 2).siblings], [['optimizer'], 'key', ['type']]);
  assert.deepEqual(
    [at(7, 7).path, at(7, 7).on, at(7, 7).prefix, at(7, 7).siblings.sort()],
    [['layers', '#'], 'key', 'ker', ['name', 'type']],
  );
  assert.deepEqual([at(9, 17).key, at(9, 17).on, at(9, 17).written], ['inputs', 'value', ['c1']]);
  assert.deepEqual([at(10, 4).path, at(10, 4).on], [['layers', '#'], 'key']);
  assert.deepEqual([at(12, 4).path, at(12, 4).on, at(12, 4).key], [[], 'value', 'targets']);
  assert.deepEqual([at(6, 10).key, at(6, 10).on], ['type', 'value']);
  const h = 'kind: hardware\ntargets:\n  - name: a\n    compute:\n      cl\n';
  assert.deepEqual(completionContext(h, 4, 8).path, ['targets', '#', 'compute']);
});

test('engineering formatting', () => {
  assert.equal(eng(1.234e-3, 's'), '1.23 ms');
  assert.equal(eng(4.5e-3, 'J'), '4.5 mJ');
  assert.equal(eng(2e-6, 's'), '2 µs');
  assert.equal(eng(0, 'J'), '0 J');
  assert.equal(eng(999.9e-6, 's'), '1 ms');
  assert.equal(eng(12.5, 'J'), '12.5 J');
  assert.equal(fmtShape([3, 224, 224], 32), '[32, 3, 224, 224]');
});

test('every preset renders to a hardware spec that re-analyses to the same parameters', () => {
  for (const k of KINDS) {
    for (const p of k.presets) {
      const r = renderPreset(p.name)!;
      const doc = analyze(`accelmap-preset:/${p.name}.hw.yaml`, r.text);
      const errors = doc.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
      assert.deepEqual(errors, [], p.name);
      const t = doc.hardware!.targets[0];
      const ref = presetTarget(p.name)!;
      assert.equal(t.kind, ref.kind);
      for (const [path, v] of Object.entries(ref.params)) {
        const got = t.params[path];
        if (typeof v === 'number' && typeof got === 'number')
          assert.ok(Math.abs(got - v) <= 1e-3 * Math.abs(v) + 1e-30, `${p.name} ${path}: ${got} vs ${v}`);
        else assert.deepEqual(got, v, `${p.name} ${path}`);
      }
    }
  }
  assert.equal(renderPreset('no-such-preset'), undefined);
});
