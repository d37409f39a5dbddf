// The grammar's word lists are copies of the spec core's vocabulary (a TextMate grammar is static JSON). These tests
// keep them in sync: a new layer type, preset, target kind, precision or optimizer must be added to
// syntaxes/accelmap.injection.tmLanguage.json too, or it is not highlighted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LAYER_TYPE_NAMES, PRECISIONS, OPTIMIZERS, SPEC_KINDS } from '../../../server/src/spec/vocab';
import { KINDS } from '../../../server/src/kinds/params';
import { INJECTION_PATH } from './tokenize';

interface Rule {
  match?: string;
  patterns?: Rule[];
}
const grammar = JSON.parse(readFileSync(INJECTION_PATH, 'utf8')) as { repository: Record<string, Rule> };

/** The words of the last `(a|b|c)` group of a rule's match: the value alternatives. */
function words(rule: string): string[] {
  const m = grammar.repository[rule]?.match;
  assert.ok(m, `rule ${rule} has a match`);
  const groups = [...m.matchAll(/\(((?:[\w-]+\|)+[\w-]+)\)/g)].map((g) => g[1]);
  assert.ok(groups.length, `rule ${rule} has a word alternation`);
  return groups.at(-1)!.split('|').sort();
}

const sorted = (xs: readonly string[]) => [...xs].sort();
const hint = 'update syntaxes/accelmap.injection.tmLanguage.json (longest words first in each alternation)';

test('layer types', () => assert.deepEqual(words('layer-type'), sorted(LAYER_TYPE_NAMES), hint));
test('document kinds', () => assert.deepEqual(words('document-kind'), sorted(SPEC_KINDS), hint));
test('target kinds', () => assert.deepEqual(words('target-kind'), sorted(KINDS.map((k) => k.kind)), hint));
test('precisions', () => assert.deepEqual(words('precision'), sorted(PRECISIONS), hint));
test('optimizers', () => assert.deepEqual(words('optimizer'), sorted(OPTIMIZERS), hint));
test('preset names (after extends: and in targets:)', () => {
  const presets = sorted(KINDS.flatMap((k) => k.presets.map((p) => p.name)));
  assert.deepEqual(words('preset-name'), presets, hint);
  const ext = grammar.repository.extends.match!;
  assert.ok(
    ext.includes(
      `(${words('preset-name')
        .sort((a, b) => b.length - a.length || a.localeCompare(b))
        .join('|')})`,
    ),
    'extends: uses the same preset list',
  );
});
test('alternations list longer words first (so relu6 is not read as relu, imc-radix4-2level as imc-radix4)', () => {
  for (const rule of ['layer-type', 'target-kind', 'precision', 'optimizer', 'preset-name']) {
    const m = grammar.repository[rule].match!;
    const group = [...m.matchAll(/\(((?:[\w-]+\|)+[\w-]+)\)/g)].at(-1)![1].split('|');
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        assert.ok(!group[j].startsWith(group[i]), `${rule}: ${group[j]} must come before ${group[i]}`);
      }
    }
  }
});
