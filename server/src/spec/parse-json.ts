// JSON -> AstNode with source offsets, using `jsonc-parser` (parseTree). Policy (documented choice): comments and
// trailing commas are accepted silently, as in VS Code's own settings files (JSONC). Syntax errors become AM1002
// diagnostics ranged from the error to the end of its line; duplicate keys become AM1003 (JSON parsers keep the
// last one silently, which hides typos).
import { parseTree, printParseErrorCode, type Node as JNode, type ParseError } from 'jsonc-parser';
import type { AstNode, AstPair, AstScalar } from './ast';
import { emptyScalar } from './ast';
import type { Diags } from './diag';
import { MAX_DEPTH, MAX_NODES } from './limits';

export function parseJson(text: string, diags: Diags): AstNode | null {
  // A byte-order mark becomes a space, so offsets stay those of the editor's text.
  if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1);
  const errors: ParseError[] = [];
  let root: JNode | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch (e) {
    diags.error(
      'AM9002',
      diags.lines.toLineEnd(0),
      `The JSON parser gave up (${(e as Error).message}); the document nests too deeply. Flatten it.`,
    );
    return null;
  }
  reportSyntax(errors, diags);
  if (!root) return null;
  try {
    return new Converter(text, diags).node(root, 0);
  } catch (e) {
    if (e instanceof RangeError) {
      diags.error('AM9002', diags.lines.toLineEnd(0), 'The document nests too deeply to analyse. Flatten it.');
      return null;
    }
    throw e;
  }
}

/** jsonc-parser recovers and often reports follow-on errors right after the first; the first per line is kept. */
function reportSyntax(errors: ParseError[], diags: Diags): void {
  let lastLine = -1;
  for (const err of errors) {
    const line = diags.lines.positionAt(err.offset).line;
    if (line === lastLine) continue;
    lastLine = line;
    diags.error(
      'AM1002',
      diags.lines.toLineEnd(err.offset),
      `JSON syntax error: ${jsonMessage(printParseErrorCode(err.error))}`,
    );
  }
}

/** jsonc-parser's tree to AstNodes, within the node and depth limits (reported once). */
class Converter {
  private count = 0;
  private reported = false;
  constructor(
    private readonly text: string,
    private readonly diags: Diags,
  ) {}

  node(n: JNode, depth: number): AstNode {
    const s = n.offset;
    const e = n.offset + n.length;
    if (++this.count > MAX_NODES || depth > MAX_DEPTH) {
      if (!this.reported) {
        if (depth > MAX_DEPTH)
          this.diags.error(
            'AM9002',
            [s, e],
            `Nesting deeper than ${MAX_DEPTH} levels is not analysed. Flatten the document.`,
          );
        else this.diags.error('AM9004', [s, e], `The document has more than ${MAX_NODES} values; split it.`);
      }
      this.reported = true;
      return emptyScalar(s);
    }
    switch (n.type) {
      case 'object':
        return this.object(n, depth);
      case 'array':
        return { t: 'seq', items: (n.children ?? []).map((c) => this.node(c, depth + 1)), start: s, end: e };
      case 'string':
      case 'number':
      case 'boolean':
        return {
          t: 'scalar',
          value: n.value as string | number | boolean,
          text: n.type === 'string' ? String(n.value) : this.text.slice(s, e),
          quoted: n.type === 'string',
          start: s,
          end: e,
        };
      default:
        return { t: 'scalar', value: null, text: 'null', quoted: false, start: s, end: e };
    }
  }

  /** An object's pairs; a key that appears twice is an error (JSON parsers keep the last one silently). */
  private object(n: JNode, depth: number): AstNode {
    const pairs: AstPair[] = [];
    const seen = new Set<string>();
    for (const p of n.children ?? []) {
      const kn = p.children?.[0];
      if (!kn) continue;
      const key = String(kn.value ?? '');
      const keyNode: AstScalar = {
        t: 'scalar',
        value: key,
        text: this.text.slice(kn.offset, kn.offset + kn.length),
        quoted: true,
        start: kn.offset,
        end: kn.offset + kn.length,
      };
      if (seen.has(key))
        this.diags.error(
          'AM1003',
          keyNode,
          `Map keys must be unique: \`${key}\` appears twice. Remove or rename one of them.`,
        );
      seen.add(key);
      const vn = p.children?.[1];
      pairs.push({ key, keyNode, value: vn ? this.node(vn, depth + 1) : emptyScalar(keyNode.end) });
    }
    return { t: 'map', pairs, start: n.offset, end: n.offset + n.length };
  }
}

function jsonMessage(code: string): string {
  switch (code) {
    case 'InvalidSymbol':
      return 'unexpected character. Quote strings with "…" and separate items with commas.';
    case 'InvalidNumberFormat':
      return 'malformed number. Write numbers like 3, 0.5 or 1e-4 (NaN and Infinity are not JSON).';
    case 'PropertyNameExpected':
      return 'a key in double quotes is expected here, e.g. "batch_size".';
    case 'ValueExpected':
      return 'a value is expected here.';
    case 'ColonExpected':
      return 'a `:` is expected after the key.';
    case 'CommaExpected':
      return 'a `,` is expected between items.';
    case 'CloseBraceExpected':
      return 'a closing `}` is missing.';
    case 'CloseBracketExpected':
      return 'a closing `]` is missing.';
    case 'EndOfFileExpected':
      return 'text after the end of the document; remove it.';
    case 'UnexpectedEndOfString':
      return 'the string is not closed; add the closing `"`.';
    case 'UnexpectedEndOfComment':
      return 'the comment is not closed; add `*/`.';
    default:
      return `${code}. Fix the JSON at this position.`;
  }
}
