// Fuzz: thousands of deterministic, seeded mutations of valid network and hardware documents. analyze() must
// never throw, must stay bounded (a capped number of diagnostics, every code documented), and every diagnostic and
// quick-fix range must lie inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, locate } from '../../../server/src/spec/index';
import { CODES } from '../../../server/src/spec/codes';
import { MAX_DIAGNOSTICS } from '../../../server/src/spec/limits';
import type { Range } from '../../../server/src/spec/types';
import { HARDWARE_YAML, TRANSFORMER_YAML, deepNetYaml, resnet50Yaml } from './fixtures';
import { parseYamlFast } from '../../../server/src/spec/fast-yaml';
import { parseYamlFull } from '../../../server/src/spec/parse-yaml';
import { Diags } from '../../../server/src/spec/diag';
import { LineIndex } from '../../../server/src/spec/lines';
import { rng } from '../../rng';

const SMALL_NET = `kind: network
name: small
batch_size: 4
precision: fp16
optimizer: {type: adam, lr: 0.001}
input_shape: [3, 32, 32]
layers:
  - {name: c1, type: conv2d, out_channels: 16, kernel_size: 3, padding: 1}
  - {name: b1, type: batchnorm}
  - {name: r1, type: relu}
  - {name: p1, type: maxpool, kernel_size: 2}
  - {name: c2, type: conv2d, out_channels: 16, kernel_size: 3, padding: same, groups: 16}
  - {name: s, type: add, inputs: [c2, p1]}
  - {name: g, type: global_avgpool}
  - {name: f, type: flatten}
  - {name: fc, type: linear, out_features: 10}
`;
const LSTM_NET = `kind: network
input_shape: [20]
layers:
  - type: embedding
    num_embeddings: 100
    embedding_dim: 32
  - type: lstm
    hidden_size: 64
    bidirectional: true
  - {type: linear, out_features: 100}
  - {type: softmax}
`;
const JSON_NET = JSON.stringify(
  {
    kind: 'network',
    batch_size: 2,
    input_shape: [8, 16],
    layers: [{ name: 'l', type: 'linear', out_features: 4 }, { type: 'gelu' }, { type: 'mul', inputs: ['l', 'gelu1'] }],
  },
  null,
  2,
);
const JSON_HW = JSON.stringify(
  {
    kind: 'hardware',
    targets: [
      { name: 'x', extends: 'ntx', compute: { clock: '1 GHz', clusters: 16 } },
      { name: 'y', extends: 'x', memory: { dram_bandwidth: '100 GB/s' } },
    ],
  },
  null,
  2,
);
const BASES: [string, string][] = [
  ['file:///small.net.yaml', SMALL_NET],
  ['file:///lstm.net.yaml', LSTM_NET],
  ['file:///enc.net.yaml', TRANSFORMER_YAML],
  ['file:///a.hw.yaml', HARDWARE_YAML],
  ['file:///n.net.json', JSON_NET],
  ['file:///h.hw.json', JSON_HW],
  ['file:///deep.net.yaml', deepNetYaml(12)],
];
const NUMBERS = [
  '1e400',
  '-1e400',
  'NaN',
  '.nan',
  '.inf',
  '-1',
  '0',
  '1.5',
  '99999999999999999999',
  '-0',
  '0x1F',
  '1e-400',
  '"3"',
];
const JUNK = [
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '-',
  '- ',
  "'",
  '"',
  '&a',
  '*a',
  '!',
  '|',
  '>',
  '%',
  '@',
  '#',
  '\t',
  '\n',
  '\r\n',
  '😀',
  '\u0000',
  '\\',
  '? ',
  '<<: *a',
  '---',
  '...',
  '  ',
  'é',
];

function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const lines = text.split('\n');
  const li = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 12)) {
    case 0:
      lines.splice(li, 1);
      return lines.join('\n');
    case 1:
      lines.splice(li, 0, lines[li]);
      return lines.join('\n');
    case 2: {
      const lj = Math.floor(r() * lines.length);
      [lines[li], lines[lj]] = [lines[lj], lines[li]];
      return lines.join('\n');
    }
    case 3:
      return text.slice(0, Math.floor(r() * text.length));
    case 4: {
      const nums = [...text.matchAll(/\d+(\.\d+)?/g)];
      if (!nums.length) return text;
      const m = pick(nums);
      return text.slice(0, m.index) + pick(NUMBERS) + text.slice(m.index! + m[0].length);
    }
    case 5: {
      const o = Math.floor(r() * text.length);
      return text.slice(0, o) + pick(JUNK) + text.slice(o);
    }
    case 6: {
      const o = Math.floor(r() * text.length);
      return text.slice(0, o) + pick(['[', '{', ']', '}']).repeat(1 + Math.floor(r() * 5)) + text.slice(o);
    }
    case 7: {
      const o = Math.floor(r() * text.length);
      const n = 50 + Math.floor(r() * 3000);
      return text.slice(0, o) + '['.repeat(n) + (r() < 0.5 ? ']'.repeat(n) : '') + text.slice(o);
    }
    case 8: {
      const bomb = ['b0: &b0 [x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 8; i++)
        bomb.push(
          `b${i}: &b${i} [${Array(9)
            .fill(`*b${i - 1}`)
            .join(', ')}]`,
        );
      lines.splice(1, 0, ...bomb);
      return lines.join('\n');
    }
    case 9:
      lines[li] = ' '.repeat(Math.floor(r() * 7)) + lines[li].trimStart();
      return lines.join('\n');
    case 10:
      return text.replace(
        /\b[a-z_]+(?=:)/,
        pick(['kernal_size', 'typ', 'layer', 'targets', 'extends', 'inputs', 'x'.repeat(60)]),
      );
    default: {
      const o = Math.floor(r() * text.length);
      const n = Math.floor(r() * 20);
      return text.slice(0, o) + text.slice(o + n);
    }
  }
}

function inside(rg: Range, lines: string[]): boolean {
  const ok = (p: { line: number; character: number }) =>
    p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length;
  const order =
    rg.start.line < rg.end.line || (rg.start.line === rg.end.line && rg.start.character <= rg.end.character);
  return ok(rg.start) && ok(rg.end) && order;
}

test('fuzz: 3000 seeded mutations never throw, stay bounded, and range every diagnostic inside the document', () => {
  const r = rng(20261124);
  let runs = 0;
  let withErrors = 0;
  let fastAnswers = 0;
  let fastBails = 0;
  for (let i = 0; i < 3000; i++) {
    const [uri, base] = BASES[i % BASES.length];
    let text = base;
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) text = mutate(text, r);
    let doc;
    try {
      doc = analyze(uri, text);
    } catch (e) {
      assert.fail(`analyze threw on mutation ${i}: ${(e as Error).stack}\n---\n${text.slice(0, 2000)}`);
    }
    runs++;
    // The YAML fast path, whenever it answers, answers exactly what the \`yaml\` package path gives, error-free.
    if (uri.endsWith('.yaml') && !doc.diagnostics.some((x) => x.code.startsWith('AM9'))) {
      const fast = parseYamlFast(text);
      if (fast) {
        fastAnswers++;
        const d = new Diags(new LineIndex(text));
        const full = parseYamlFull(text, d);
        assert.deepEqual(
          d.list.filter((x) => x.code.startsWith('AM1')),
          [],
          `mutation ${i}: fast path accepted a document with syntax errors\n${text}`,
        );
        assert.deepEqual(fast, full, `mutation ${i}: fast and full YAML paths differ\n${text}`);
      } else fastBails++;
    }
    assert.ok(doc.diagnostics.length <= MAX_DIAGNOSTICS + 1, `mutation ${i}: ${doc.diagnostics.length} diagnostics`);
    if (doc.diagnostics.some((d) => d.severity === 'error')) withErrors++;
    // Line structure as LSP sees it: \r\n, \r and \n all end lines.
    const lines = text.split(/\r\n|\r|\n/);
    for (const d of doc.diagnostics) {
      assert.ok(d.code in CODES, `mutation ${i}: undocumented code ${d.code}`);
      assert.ok(d.message.length > 10, `mutation ${i}: empty message`);
      assert.ok(
        inside(d.range, lines),
        `mutation ${i}: ${d.code} range ${JSON.stringify(d.range)} outside the document\n${text}`,
      );
      for (const f of d.fixes ?? [])
        for (const e of f.edits) assert.ok(inside(e.range, lines), `mutation ${i}: fix range outside`);
    }
    // locate() on a few positions never throws either.
    for (let k = 0; k < 3; k++) {
      const line = Math.floor(r() * (lines.length + 1));
      locate(doc, { line, character: Math.floor(r() * 80) });
    }
  }
  assert.equal(runs, 3000);
  assert.ok(fastAnswers > 250 && fastBails > 250, `fast path answered ${fastAnswers}, declined ${fastBails}`);
  assert.ok(withErrors > 1500, `only ${withErrors} mutated documents had errors: the mutations are too gentle`);
});

test('the YAML fast path answers for the spec styles in use, and exactly like the yaml package', () => {
  for (const text of [
    resnet50Yaml(),
    TRANSFORMER_YAML,
    HARDWARE_YAML,
    SMALL_NET,
    LSTM_NET,
    deepNetYaml(50),
    'kind: hardware\ntargets:\n- name: a  # same-column list\n  kind: gpu\n  memory:\n    hbm_bandwidth: "3 TB/s"\n',
    'kind: network\nlayers: [\n    {type: relu},\n    {type: flatten}\n  ]\ninput_shape: [1, 2]\n',
  ]) {
    const fast = parseYamlFast(text);
    assert.ok(fast, `fast path declined:\n${text.slice(0, 300)}`);
    const d = new Diags(new LineIndex(text));
    assert.deepEqual(fast, parseYamlFull(text, d));
    assert.deepEqual(d.list, []);
  }
  // Outside the subset it declines: anchors, block scalars, multi-line plain scalars, empty values, tabs.
  for (const text of [
    'a: &x 1\nb: *x\n',
    'a: |\n  text\n',
    'a: one\n  two\n',
    'a:\nb: 1\n',
    'a:\t1\n',
    'a: 1\na: 2\n',
    'a: [1,\n2]\n',
  ]) {
    assert.equal(parseYamlFast(text), null, text);
  }
});
