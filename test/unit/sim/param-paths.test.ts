// Every parameter a model reads is declared in its kind's schema (kinds/<kind>/params.ts), and no model carries a
// fallback literal of its own: the readers (sim/target.ts) take defaults from the schema only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KINDS } from '../../../server/src/kinds/params';

const SRC = join(__dirname, '..', '..', '..', 'server', 'src');
/** Every model file with the kinds whose parameters it may read: a kind's folder reads its own; the roofline any. */
function modelFiles(): { file: string; kinds: string[] }[] {
  const out: { file: string; kinds: string[] }[] = [{ file: join(SRC, 'sim', 'roofline.ts'), kinds: [] }];
  for (const k of KINDS) {
    const dir = join(SRC, 'kinds', k.kind);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts') && x !== 'params.ts'))
      out.push({ file: join(dir, f), kinds: [k.kind] });
  }
  return out;
}
const READER = /\b(num|str|bool|pos|knob|hasParam|rawNum)\((\w+), ('([^']+)'|`[^`]+`)(, [^()]*)?\)/g;

test('every parameter path the models read is in the schema of the kind that reads it; no reader has a fallback literal', () => {
  let literal = 0;
  const missing: string[] = [],
    fallbacks: string[] = [];
  for (const { file, kinds } of modelFiles()) {
    const src = readFileSync(file, 'utf8');
    const f = file.slice(SRC.length + 1);
    // shared pieces (gradpim/pim.ts's clamped knob reader is used by neurotrainer and imc too; the roofline reads any
    // kind)
    const paths = new Set(
      KINDS.filter(
        (k) =>
          !kinds.length ||
          kinds.includes(k.kind) ||
          (f === join('kinds', 'gradpim', 'pim.ts') && ['neurotrainer', 'imc'].includes(k.kind)),
      ).flatMap((k) => k.params.map((p) => p.path)),
    );
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
