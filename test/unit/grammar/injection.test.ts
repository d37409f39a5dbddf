// The accelmap TextMate injection grammar (syntaxes/accelmap.injection.tmLanguage.json), tokenized the way VS Code
// does it — vscode-textmate + oniguruma — over the YAML host grammar(s) found by tokenize.ts. Asserts the scopes of
// layer types, quantities with units, preset names (after `extends:`, in `targets:`), the document kind, and that
// the injection neither highlights comments nor breaks the YAML grammar's own tokens.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  hostGrammars,
  makeTokenizer,
  scopesOf,
  textsWithScope,
  INJECTION_PATH,
  INJECTION_SCOPE,
  type Tokenize,
} from './tokenize';

const LAYER = 'entity.name.type.layer.accelmap';
const PRESET = 'support.constant.preset.accelmap';
const TARGET = 'variable.other.target.accelmap';
const DOC_KIND = 'keyword.other.document-kind.accelmap';
const TARGET_KIND = 'support.type.target-kind.accelmap';
const NUMBER = 'constant.numeric.quantity.accelmap';
const UNIT = 'keyword.other.unit.accelmap';
const PRECISION = 'support.constant.precision.accelmap';
const OPTIMIZER = 'support.constant.optimizer.accelmap';
const LAYER_REF = 'variable.other.layer.accelmap';
const INPUT = 'variable.language.input.accelmap';

const has = (scopes: string[] | undefined, scope: string) => !!scopes?.includes(scope);
const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

test('grammar file: an injection into source.yaml with the documented scope name', () => {
  const g = JSON.parse(readFileSync(INJECTION_PATH, 'utf8')) as {
    scopeName: string;
    injectionSelector: string;
    patterns: unknown[];
  };
  assert.equal(g.scopeName, INJECTION_SCOPE);
  assert.match(g.injectionSelector, /^L:source\.yaml\b/);
  assert.match(g.injectionSelector, /-comment\b/);
});

test('package.json contributes the grammar by the same scope name and path, injected into source.yaml', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes?: { grammars?: { scopeName: string; path: string; injectTo?: string[] }[] };
  };
  const entry = pkg.contributes?.grammars?.find(
    (g) => g.path.replace(/^\.\//, '') === 'syntaxes/accelmap.injection.tmLanguage.json',
  );
  assert.ok(entry, 'a contributes.grammars entry for syntaxes/accelmap.injection.tmLanguage.json');
  assert.equal(entry.scopeName, INJECTION_SCOPE);
  assert.deepEqual(entry.injectTo, ['source.yaml']);
});

const hosts = hostGrammars();
test('at least one YAML host grammar is available', () => assert.ok(hosts.length >= 1));

for (const host of hosts) {
  describe(`over ${host.label}`, () => {
    let tok: Tokenize;
    let plain: Tokenize;
    const lines = (text: string) => tok(text);

    test('load', async () => {
      tok = await makeTokenizer(host);
      plain = await makeTokenizer(host, false);
    });

    test('kind: network | hardware', () => {
      const l = lines('kind: network\n---\nkind: hardware\n');
      assert.ok(has(scopesOf(l, 0, 'network'), DOC_KIND));
      assert.ok(has(scopesOf(l, 2, 'hardware'), DOC_KIND));
      const other = lines('kind: netwrk\n');
      assert.equal(textsWithScope(other, DOC_KIND).length, 0, 'a misspelt kind is not highlighted');
    });

    test('layer types after type:, block and flow style', () => {
      const l = lines(
        [
          'layers:',
          '  - name: c1',
          '    type: conv2d',
          '  - {name: r, type: relu6, inputs: [c1]}',
          '  - {type: adaptive_avgpool, output_size: 1}',
          '  - type: global_avgpool   # trailing comment',
          '  - type: conv3d',
          '  # type: linear',
          '  - name: type',
        ].join('\n'),
      );
      assert.ok(has(scopesOf(l, 2, 'conv2d'), LAYER));
      assert.ok(has(scopesOf(l, 3, 'relu6'), LAYER), 'relu6 as one token, not relu + 6');
      assert.ok(has(scopesOf(l, 4, 'adaptive_avgpool'), LAYER));
      assert.ok(has(scopesOf(l, 5, 'global_avgpool'), LAYER));
      assert.deepEqual(
        textsWithScope(l, LAYER),
        ['conv2d', 'relu6', 'adaptive_avgpool', 'global_avgpool'],
        'no unknown type (conv3d), nothing in comments, not the value `type` of name:',
      );
    });

    test('quantities with units: number and unit get their own scopes', () => {
      const samples = [
        '1.25 GHz',
        '320 GB/s',
        '25.6 GiB/s',
        '64 KiB',
        '2 MB',
        '8.4 pJ',
        '3.7 pJ/bit',
        '0.46 pJ/B',
        '168 mW',
        '10 ns',
        '20 GFLOP/s',
        '1.2 TFLOPS',
        '1 mm2',
        '30 Gb/s',
        '1e-12 J',
        '500 MHz',
      ];
      const l = lines(samples.map((s, i) => `p${i}: ${s}`).join('\n'));
      samples.forEach((s, i) => {
        const [num, unit] = s.split(' ');
        assert.ok(has(scopesOf(l, i, num), NUMBER), `${s}: number ${JSON.stringify(l[i])}`);
        assert.ok(has(scopesOf(l, i, unit), UNIT), `${s}: unit`);
      });
      const flow = lines('sizes: [64 KiB, 2 MiB]');
      assert.deepEqual(textsWithScope(flow, UNIT), ['KiB', 'MiB']);
    });

    test('not quantities: bare numbers, unit-like words, names, comments, quoted strings', () => {
      const l = lines(
        [
          'clusters: 32',
          'name: 2 Blocks',
          'layer_name: conv5s',
          'description: ten',
          '# 320 GB/s in a comment',
          'note: "1.25 GHz"',
          'version: 1.25.3 GHz2',
        ].join('\n'),
      );
      assert.deepEqual(textsWithScope(l, UNIT), []);
      assert.deepEqual(textsWithScope(l, NUMBER), []);
    });

    test('extends: preset names and other targets', () => {
      const l = lines(
        [
          'targets:',
          '  - name: a',
          '    extends: caterpillar-large',
          '  - name: b',
          '    extends: a',
          '  - {name: c, extends: imc-radix4-2level}',
          '  - {name: d, extends: ntx-32}',
        ].join('\n'),
      );
      assert.ok(has(scopesOf(l, 2, 'caterpillar-large'), PRESET));
      assert.ok(has(scopesOf(l, 4, 'a'), TARGET));
      assert.ok(has(scopesOf(l, 5, 'imc-radix4-2level'), PRESET), 'the longer preset wins over imc-radix4');
      assert.ok(has(scopesOf(l, 6, 'ntx-32'), TARGET), 'ntx-32 is not the preset ntx');
      assert.equal(textsWithScope(l, PRESET).length, 2);
    });

    test('targets: presets in a flow list and a block list', () => {
      const l = lines(
        [
          'targets: [h100-sxm, ntx, my-gpu, gradpim-baseline]   # pick',
          'targets:',
          '  - neurostream',
          '  - caterpillar-small   # small',
          '  - mine',
          'hardware: [./all.hw.yaml]',
          'name: ntx',
        ].join('\n'),
      );
      assert.deepEqual(textsWithScope(l, PRESET), [
        'h100-sxm',
        'ntx',
        'gradpim-baseline',
        'neurostream',
        'caterpillar-small',
      ]);
      assert.ok(has(scopesOf(l, 0, 'my-gpu'), TARGET));
      assert.ok(!has(scopesOf(l, 6, 'ntx'), PRESET), 'a name: value is not a preset reference');
    });

    test('target kinds, precisions and optimizers', () => {
      const l = lines(
        [
          'targets:',
          '  - name: g',
          '    kind: gpu',
          'precision: bf16',
          'master_weights: fp32',
          'optimizer: adamw',
          'optimizer:',
          '  type: momentum',
        ].join('\n'),
      );
      assert.ok(has(scopesOf(l, 2, 'gpu'), TARGET_KIND));
      assert.ok(has(scopesOf(l, 3, 'bf16'), PRECISION));
      assert.ok(has(scopesOf(l, 4, 'fp32'), PRECISION));
      assert.ok(has(scopesOf(l, 5, 'adamw'), OPTIMIZER));
      assert.ok(has(scopesOf(l, 7, 'momentum'), OPTIMIZER));
    });

    test('inputs: layer names and the network input', () => {
      const l = lines(
        [
          '  - {name: add, type: add, inputs: [layer1.0.bn3, layer1.0.downsample.1]}',
          '  - name: pos',
          '    inputs: input',
          '  - {name: m, type: matmul, inputs: [input, q_t], transpose_b: true}',
          '  - name: x   # inputs: [a]',
        ].join('\n'),
      );
      assert.deepEqual(textsWithScope(l, LAYER_REF), ['layer1.0.bn3', 'layer1.0.downsample.1', 'q_t']);
      assert.deepEqual(textsWithScope(l, INPUT), ['input', 'input']);
    });

    test("YAML keys keep the host grammar's key scope", () => {
      const l = lines('  - {name: c1, type: conv2d}\ntype: relu\nextends: ntx\nclock: 1 GHz');
      for (const [i, key] of [
        [0, 'type'],
        [1, 'type'],
        [2, 'extends'],
        [3, 'clock'],
      ] as const) {
        assert.ok(
          has(scopesOf(l, i, key) ?? scopesOf(l, i, key.slice(1)), 'entity.name.tag.yaml'),
          `${key} on line ${i}`,
        );
      }
    });

    for (const file of readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      test(`examples/${file}: every layer type is highlighted and the injection adds no invalid token`, () => {
        const text = readFileSync(join(EXAMPLES, file), 'utf8');
        const withInjection = tok(text);
        const without = plain(text);
        const invalid = (ls: ReturnType<Tokenize>) =>
          ls.flat().filter((t) => t.scopes.some((s) => s.startsWith('invalid'))).length;
        assert.equal(invalid(withInjection), invalid(without));
        // The text of every token is the same line by line: the injection only re-scopes, it never drops text.
        assert.deepEqual(
          withInjection.map((l) => l.map((t) => t.text).join('')),
          without.map((l) => l.map((t) => t.text).join('')),
        );
        const doc = parse(text) as { kind: string; layers?: { type: string; inputs?: string | string[] }[] };
        if (doc.kind === 'network') {
          assert.deepEqual(
            textsWithScope(withInjection, LAYER),
            doc.layers!.map((l) => l.type),
          );
          const refs = withInjection
            .flat()
            .filter((t) => t.scopes.includes(LAYER_REF) || t.scopes.includes(INPUT))
            .map((t) => t.text);
          assert.deepEqual(
            refs,
            doc.layers!.flatMap((l) => (l.inputs === undefined ? [] : ([] as string[]).concat(l.inputs))),
          );
        }
        assert.deepEqual(textsWithScope(withInjection, DOC_KIND), [doc.kind]);
      });
    }
  });
}
