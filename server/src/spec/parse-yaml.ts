// YAML -> AstNode with source offsets, using the `yaml` package (parseDocument + LineCounter-free: offsets are
// converted by our own LineIndex). Duplicate keys (uniqueKeys) and syntax errors become AM1xxx diagnostics ranged
// from the error to the end of its line. Aliases are expanded into the tree with a budget (MAX_ALIASES uses,
// MAX_ALIAS_NODES nodes), so a "billion laughs" document becomes one AM9003 diagnostic instead of a hang.
// Nodes produced by an alias carry the alias's offsets, so problems inside them are shown at the alias.
import {
  parseDocument,
  isMap,
  isSeq,
  isScalar,
  isAlias,
  isPair,
  type Document,
  type Node as YNode,
  Scalar,
} from 'yaml';
import type { AstNode, AstScalar, AstPair, ScalarValue } from './ast';
import { emptyScalar } from './ast';
import type { Diags } from './diag';
import { parseYamlFast } from './fast-yaml';
import { MAX_ALIASES, MAX_ALIAS_NODES, MAX_DEPTH, MAX_NODES } from './limits';

export function parseYaml(text: string, diags: Diags): AstNode | null {
  const fast = parseYamlFast(text);
  if (fast) return fast;
  return parseYamlFull(text, diags);
}

/** The `yaml` package path (every document the fast path declines). */
export function parseYamlFull(text: string, diags: Diags): AstNode | null {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, keepSourceTokens: false });
  } catch (e) {
    // The parser recursing past the stack on input the depth pre-scan did not catch.
    diags.error(
      'AM9002',
      diags.lines.toLineEnd(0),
      `The YAML parser gave up (${(e as Error).message}); the document nests too deeply. Flatten it.`,
    );
    return null;
  }
  for (const err of doc.errors) {
    if (err.code === 'DUPLICATE_KEY') {
      diags.error(
        'AM1003',
        diags.lines.toLineEnd(err.pos[0]),
        `${firstLine(err.message)}. Each key may appear once in a mapping: remove or rename one of them.`,
      );
    } else if (err.code === 'MULTIPLE_DOCS') {
      diags.error(
        'AM1001',
        diags.lines.toLineEnd(err.pos[0]),
        'A spec file holds one YAML document: remove the `---` and what follows, or move it to its own file.',
      );
    } else {
      diags.error(
        'AM1001',
        diags.lines.toLineEnd(err.pos[0]),
        `YAML syntax error: ${firstLine(err.message)}. ${yamlHint(err.code)}`,
      );
    }
  }
  for (const w of doc.warnings) diags.warn('AM1001', diags.lines.toLineEnd(w.pos[0]), `YAML: ${firstLine(w.message)}`);
  const conv = new Converter(text, doc, diags);
  try {
    return doc.contents ? conv.node(doc.contents as YNode, 0, undefined) : null;
  } catch (e) {
    if (e instanceof RangeError) {
      diags.error('AM9002', diags.lines.toLineEnd(0), 'The document nests too deeply to analyse. Flatten it.');
      return null;
    }
    throw e;
  }
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/\s*at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}

function yamlHint(code: string): string {
  switch (code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'Check the indentation: items of one mapping or list start in the same column.';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'A key must fit on one line and be followed by `: `.';
    case 'UNEXPECTED_TOKEN':
      return 'Remove the stray character or quote the value.';
    case 'TAB_AS_INDENT':
      return 'Indent with spaces, not tabs.';
    default:
      return 'Fix the YAML at this position.';
  }
}

class Converter {
  private nodes = 0;
  private aliases = 0;
  private aliasNodes = 0;
  private tooDeepReported = false;
  private overBudget = false;
  constructor(
    private text: string,
    private doc: Document.Parsed,
    private diags: Diags,
  ) {}

  /** `at` is the offset pair of the enclosing alias when expanding one. */
  node(n: YNode | null | undefined, depth: number, at: [number, number] | undefined): AstNode {
    if (!n) return emptyScalar(at ? at[0] : 0);
    const [s, e] = at ?? rangeOf(n);
    if (++this.nodes > MAX_NODES) {
      if (!this.overBudget)
        this.diags.error('AM9004', [s, e], `The document has more than ${MAX_NODES} values; split it.`);
      this.overBudget = true;
      return emptyScalar(s);
    }
    if (at && ++this.aliasNodes > MAX_ALIAS_NODES) {
      if (!this.overBudget)
        this.diags.error(
          'AM9003',
          at,
          `Aliases expand to more than ${MAX_ALIAS_NODES} values (an alias bomb?). Write the values out or use fewer aliases.`,
        );
      this.overBudget = true;
      return emptyScalar(s);
    }
    if (depth > MAX_DEPTH) {
      if (!this.tooDeepReported)
        this.diags.error(
          'AM9002',
          [s, e],
          `Nesting deeper than ${MAX_DEPTH} levels is not analysed. Flatten the document.`,
        );
      this.tooDeepReported = true;
      return emptyScalar(s);
    }
    if (isAlias(n)) {
      if (++this.aliases > MAX_ALIASES) {
        if (!this.overBudget)
          this.diags.error(
            'AM9003',
            rangeOf(n),
            `More than ${MAX_ALIASES} aliases in one document; write the values out.`,
          );
        this.overBudget = true;
        return emptyScalar(s);
      }
      const target = n.resolve(this.doc);
      if (!target) {
        this.diags.error(
          'AM1001',
          rangeOf(n),
          `Unknown alias \`*${n.source}\`: define the anchor \`&${n.source}\` before using it.`,
        );
        return emptyScalar(s);
      }
      return this.node(target as YNode, depth + 1, at ?? rangeOf(n));
    }
    if (isScalar(n)) return this.scalar(n, s, e, at !== undefined);
    if (isMap(n)) {
      const pairs: AstPair[] = [];
      for (const p of n.items) {
        if (!isPair(p)) continue;
        const k = p.key as YNode | null;
        let keyNode: AstScalar;
        if (k && isScalar(k)) {
          const kr = at ?? rangeOf(k);
          keyNode = {
            t: 'scalar',
            value: String(k.value),
            text: String(k.value),
            quoted: k.type === 'QUOTE_DOUBLE' || k.type === 'QUOTE_SINGLE',
            start: kr[0],
            end: kr[1],
          };
        } else {
          const kr: [number, number] = k ? (at ?? rangeOf(k)) : [s, s];
          if (k) this.diags.error('AM1004', kr, 'Keys must be plain names like `batch_size`, not lists or mappings.');
          keyNode = { t: 'scalar', value: '', text: '', quoted: false, start: kr[0], end: kr[1] };
        }
        const v = p.value as YNode | null;
        const value = v ? this.node(v, depth + 1, at) : emptyScalar(keyNode.end);
        pairs.push({ key: keyNode.value as string, keyNode, value });
      }
      // Block collections end where their last value ends (the package's range runs on to the next line).
      const end =
        !at && !n.flow && pairs.length
          ? Math.max(pairs[pairs.length - 1].value.end, pairs[pairs.length - 1].keyNode.end)
          : e;
      return { t: 'map', pairs, start: s, end };
    }
    if (isSeq(n)) {
      const items: AstNode[] = [];
      for (const it of n.items) items.push(this.node(it as YNode, depth + 1, at));
      const end = !at && !n.flow && items.length ? items[items.length - 1].end : e;
      return { t: 'seq', items, start: s, end };
    }
    return emptyScalar(s);
  }

  private scalar(n: Scalar, s: number, e: number, aliased: boolean): AstScalar {
    const v = n.value;
    let value: ScalarValue;
    if (v === null || v === undefined) value = null;
    else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') value = v;
    else if (typeof v === 'bigint') value = Number(v);
    else value = String(v);
    const quoted = n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE';
    const text = aliased ? String(value) : this.text.slice(s, e);
    return { t: 'scalar', value, text, quoted, start: s, end: e };
  }
}

function rangeOf(n: YNode): [number, number] {
  const r = n.range;
  if (!r) return [0, 0];
  return [r[0], r[1]];
}
