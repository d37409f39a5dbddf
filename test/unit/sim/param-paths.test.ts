// Every parameter a model reads is declared in its kind's schema (spec/presets/<kind>.ts), and no model carries a
// fallback literal of its own: the readers (sim/target.ts) take defaults from the schema only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KINDS } from '../../../server/src/spec/presets/index';

const DIR = join(__dirname, '..', '..', '..', 'server', 'src', 'sim', 'targets');
const KIND_OF: Record<string, string> = { ntx: 'ntx', caterpillar: 'caterpillar', gradpim: 'gradpim', neurotrainer: 'neurotrainer', imc: 'imc', gpu: 'gpu', spatial: 'spatial', system: 'system' };
const READER = /\b(num|str|bool|pos|knob|hasParam|rawNum)\((\w+), ('([^']+)'|`[^`]+`)(, [^()]*)?\)/g;

test('every parameter path the models read is in the schema of the kind that reads it; no reader has a fallback literal', () => {
  let literal = 0;
  const missing: string[] = [], fallbacks: string[] = [];
  for (const f of readdirSync(DIR).filter((x) => x.endsWith('.ts'))) {
    const src = readFileSync(join(DIR, f), 'utf8');
    const kinds = Object.keys(KIND_OF).filter((k) => f.startsWith(k)).map((k) => KIND_OF[k]);
    // shared models (gradpim-model's knob is used by neurotrainer and imc too; the roofline reads any kind)
    const paths = new Set(KINDS.filter((k) => !kinds.length || kinds.includes(k.kind) || (f.startsWith('gradpim-model') && ['neurotrainer', 'imc'].includes(k.kind))).flatMap((k) => k.params.map((p) => p.path)));
    for (const m of src.matchAll(READER)) {
      if (m[5]) fallbacks.push(`${f}: ${m[0]}`);
      if (!m[4]) continue; // a template literal: checked by the models' own tests
      literal++;
      if (!paths.has(m[4])) missing.push(`${f}: ${m[4]}`);
    }
  }
  assert.ok(literal > 150, `${literal} literal paths found: the scan is reading the models`);
  assert.deepEqual(missing, [], 'paths read but not declared');
  assert.deepEqual(fallbacks, [], 'readers with a fallback literal');
});
