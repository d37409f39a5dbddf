// Files generated from the registries (the layer modules of layers/, the target kinds of kinds/): the JSON Schemas,
// the layer reference docs/layers.md and the grammar's word lists. scripts/gen-schemas.ts writes them;
// test/unit/spec/schemas.test.ts fails when a committed one differs from what would be written. Pure.
import { LAYER_DEFS } from '../layers/index';
import type { KeyInfo, ValueType } from './keys';
import { KINDS } from '../kinds/params';
import { schemaFiles } from './schema-gen';

/** Repository path -> text. `grammar` is the current grammar file (its hand-written rules are kept). */
export function generatedFiles(grammar: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(schemaFiles())) out[`schemas/${name}`] = text;
  out['docs/layers.md'] = layersDoc();
  out['syntaxes/accelmap.injection.tmLanguage.json'] = grammarWith(grammar);
  return out;
}

const typeText = (t: ValueType): string => {
  switch (t.t) {
    case 'int':
      return t.min !== undefined ? `integer >= ${t.min}` : 'integer';
    case 'number':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'string':
      return 'text';
    case 'enum':
      return t.values.join(' \\| ');
    case 'intPair':
      return 'integer or [h, w]';
    case 'padding':
      return 'integer, [h, w] or `same`';
    case 'intList':
      return `list of integers${t.minusOne ? ' (one may be -1)' : ''}`;
    default:
      return t.t;
  }
};
const keyText = (k: KeyInfo): string =>
  `\`${k.key}\` (${typeText(k.type)}${k.required ? ', required' : k.default !== undefined ? `, default ${JSON.stringify(k.default)}` : ''})`;
const ARITY: Record<string, string> = {
  one: 'one',
  two: 'two (A, B)',
  many: 'two or more',
  any: 'one or more',
  none: 'none',
};

function layersDoc(): string {
  const lines = [
    '# Layer types',
    '',
    '<!-- Generated from the layer registry (server/src/layers/) by `node --import tsx scripts/gen-schemas.ts`; do not edit. -->',
    '',
    'Every layer type is one module in `server/src/layers/` holding its keys, shape rule, lowering to training phases and',
    'the ONNX operators that import as it. Shapes exclude the batch. Every layer also takes the common keys `name`,',
    '`inputs`, `output_shape`, `origin` and `mapping` (see [spec-format.md](spec-format.md)). The class is what the',
    'target models cost the layer as.',
    '',
    '| type | what | inputs | shape | class | keys | ONNX operators |',
    '|---|---|---|---|---|---|---|',
  ];
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  for (const d of LAYER_DEFS) {
    const onnx =
      d.type === 'elementwise' ? `${d.onnx.length} operators: ${d.onnx.join(', ')}` : d.onnx.join(', ') || '—';
    lines.push(
      `| \`${d.type}\` | ${cell(d.doc)} | ${ARITY[d.inputs]} | ${cell(d.shapes)} | ${d.cls} | ${d.keys.map(keyText).join(', ') || '—'} | ${onnx} |`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Longest words first, so that `relu6` is not read as `relu` nor `imc-radix4-2level` as `imc-radix4`. */
const alternation = (words: readonly string[]): string =>
  [...words].sort((a, b) => b.length - a.length || a.localeCompare(b)).join('|');

/** The grammar with its layer-type, target-kind and preset-name alternations (and `extends:`'s) from the registries. */
function grammarWith(text: string): string {
  const g = JSON.parse(text) as { repository: Record<string, { match?: string }> };
  const replaceLast = (rule: string, words: readonly string[]) => {
    const r = g.repository[rule];
    if (!r?.match) return;
    const groups = [...r.match.matchAll(/\(((?:[\w-]+\|)+[\w-]+)\)/g)];
    const last = groups.at(-1);
    if (!last || last.index === undefined) return;
    r.match = r.match.slice(0, last.index) + `(${alternation(words)})` + r.match.slice(last.index + last[0].length);
  };
  replaceLast(
    'layer-type',
    LAYER_DEFS.map((d) => d.type),
  );
  replaceLast(
    'target-kind',
    KINDS.map((k) => k.kind),
  );
  const presets = KINDS.flatMap((k) => k.presets.map((p) => p.name));
  replaceLast('preset-name', presets);
  replaceLast('extends', presets);
  return JSON.stringify(g, null, 2);
}
