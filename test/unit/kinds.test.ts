// The target-kind registry (server/src/kinds/): every kind has its folder with parameters, model and README, a
// registered model, presets whose every value carries a source tag and a source, and TargetKind is the registry's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KINDS } from '../../server/src/kinds/params';
import { hasSimulator } from '../../server/src/kinds/models';
import { TARGET_KINDS } from '../../server/src/spec/vocab';

const DIR = join(__dirname, '..', '..', 'server', 'src', 'kinds');

test('every kind has its folder (params.ts, model.ts, README.md) and a registered model; no folder is unregistered', () => {
  const folders = readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.deepEqual(folders, KINDS.map((k) => k.kind).sort());
  for (const k of KINDS) {
    for (const f of ['params.ts', 'model.ts', 'README.md'])
      assert.ok(existsSync(join(DIR, k.kind, f)), `${k.kind}/${f}`);
    assert.match(
      readFileSync(join(DIR, k.kind, 'README.md'), 'utf8'),
      new RegExp(`^# \`${k.kind}\``),
      `${k.kind}/README.md names its kind`,
    );
    assert.ok(hasSimulator(k.kind), `${k.kind}: a model in kinds/models.ts`);
  }
  assert.deepEqual(
    [...TARGET_KINDS],
    KINDS.map((k) => k.kind),
  );
});

test('every parameter has a unit dimension, a doc, a default with its tag and source; every preset value is tagged and sourced', () => {
  for (const k of KINDS) {
    assert.ok(k.presets.length >= 1, `${k.kind}: a preset`);
    for (const p of k.params) {
      assert.ok(p.doc.length > 10, `${k.kind} ${p.path}: doc`);
      assert.ok(['SRC', 'DER', 'REC', 'ASM'].includes(p.defaultTag), `${k.kind} ${p.path}: default tag`);
      assert.ok(p.defaultSource.length > 3, `${k.kind} ${p.path}: default source`);
    }
    for (const pr of k.presets) {
      for (const [path, v] of Object.entries(pr.values)) {
        assert.ok(
          k.params.some((p) => p.path === path),
          `${pr.name}: ${path} is a parameter of ${k.kind}`,
        );
        assert.ok(
          ['SRC', 'DER', 'REC', 'ASM'].includes(v.tag) && v.source.length > 3,
          `${pr.name} ${path}: tag and source`,
        );
      }
    }
  }
});
