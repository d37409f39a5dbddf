// Editor support: what is at a position of an analysed document (for hover, completion, go-to-definition).
// Paths are key/index chains like ['layers', 3, 'kernel_size'] or ['targets', 0, 'compute', 'clock'].
import type { Position, Range, SpecDocument } from './types';
import type { AstNode } from './ast';
import { LineIndex } from './lines';

export interface Located {
  path: (string | number)[];
  /** On a key, on a value, or on neither (whitespace inside a mapping or list, or no syntax tree). */
  on: 'key' | 'value' | 'none';
  /** Range of the value node (or of the container when `on` is 'none'). */
  range?: Range;
  /** Range of the key when the path ends in a mapping key. */
  keyRange?: Range;
  /** The syntax node (spec/ast.ts AstNode) at the position. */
  node?: unknown;
}

const inside = (n: { start: number; end: number }, o: number): boolean => o >= n.start && o <= n.end;

export function locate(doc: SpecDocument, pos: Position): Located {
  const syn = doc.syntax;
  if (!syn || !syn.root) return { path: [], on: 'none' };
  const lines = syn.lines;
  const o = lines.offsetAt(pos);
  const path: (string | number)[] = [];
  let node: AstNode = syn.root;
  let keyRange: Range | undefined;
  if (!inside(node, o)) return { path, on: 'none', range: lines.range(node.start, node.end), node };
  // Iterative descent: the tree depth is bounded, but no recursion is needed.
  for (;;) {
    if (node.t === 'map') {
      let next: AstNode | undefined;
      for (const p of node.pairs) {
        if (inside(p.keyNode, o) && p.keyNode.end > p.keyNode.start) {
          path.push(p.key);
          return {
            path,
            on: 'key',
            range: lines.range(p.value.start, p.value.end),
            keyRange: lines.range(p.keyNode.start, p.keyNode.end),
            node: p.value,
          };
        }
        if (inside(p.value, o) && (p.value.end > p.value.start || p.value.start === o)) {
          path.push(p.key);
          keyRange = lines.range(p.keyNode.start, p.keyNode.end);
          next = p.value;
          break;
        }
      }
      if (!next) return { path, on: 'none', range: lines.range(node.start, node.end), keyRange, node };
      node = next;
      continue;
    }
    if (node.t === 'seq') {
      let next: AstNode | undefined;
      for (let i = 0; i < node.items.length; i++) {
        const it = node.items[i];
        if (inside(it, o) && it.end > it.start) {
          path.push(i);
          keyRange = undefined;
          next = it;
          break;
        }
      }
      if (!next) return { path, on: 'none', range: lines.range(node.start, node.end), keyRange, node };
      node = next;
      continue;
    }
    return { path, on: 'value', range: lines.range(node.start, node.end), keyRange, node };
  }
}

/** Offset of a position in a document's text (clamped). */
export function offsetAt(doc: SpecDocument | string, pos: Position): number {
  if (typeof doc === 'string') return new LineIndex(doc).offsetAt(pos);
  return doc.syntax ? doc.syntax.lines.offsetAt(pos) : 0;
}
/** Position of an offset in a document's text (clamped). */
export function positionAt(doc: SpecDocument | string, offset: number): Position {
  if (typeof doc === 'string') return new LineIndex(doc).positionAt(offset);
  return doc.syntax ? doc.syntax.lines.positionAt(offset) : { line: 0, character: 0 };
}
