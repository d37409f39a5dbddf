// The small format-agnostic syntax tree that YAML and JSON are both converted to (parse-yaml.ts, parse-json.ts).
// Every node keeps its source offsets [start, end); ranges are computed on demand through the LineIndex so that
// a 10,000-layer document does not allocate a Range object per node.
import type { LineIndex } from './lines';

export type ScalarValue = string | number | boolean | null;

interface Base {
  start: number;
  end: number;
}
export interface AstScalar extends Base {
  t: 'scalar';
  value: ScalarValue;
  /** The source text of the value (e.g. `1e400`, `'3'`, `1.25 GHz`). */
  text: string;
  /** True for quoted strings (YAML '..'/".." or any JSON string). */
  quoted: boolean;
}
export interface AstPair {
  key: string;
  keyNode: AstScalar;
  value: AstNode;
}
export interface AstMap extends Base {
  t: 'map';
  pairs: AstPair[];
}
export interface AstSeq extends Base {
  t: 'seq';
  items: AstNode[];
}
export type AstNode = AstScalar | AstMap | AstSeq;

/** What `SpecDocument.syntax` holds: the tree, the line index and the text it was built from. */
export interface SpecSyntax {
  root: AstNode | null;
  lines: LineIndex;
  text: string;
  /** Hardware targets as written (before `extends` resolution); resolveTargets() reads these. */
  rawTargets?: import('./hardware').RawTarget[];
}

export function get(map: AstMap, key: string): AstPair | undefined {
  const ps = map.pairs;
  for (let i = 0; i < ps.length; i++) if (ps[i].key === key) return ps[i];
  return undefined;
}

/** A zero-length null scalar (for `key:` with no value). */
export function emptyScalar(at: number): AstScalar {
  return { t: 'scalar', value: null, text: '', quoted: false, start: at, end: at };
}

export function describe(n: AstNode): string {
  if (n.t === 'map') return 'a mapping';
  if (n.t === 'seq') return 'a list';
  const v = n.value;
  if (v === null) return 'nothing (null)';
  if (typeof v === 'string') return `the string \`${clip(n.text)}\``;
  if (typeof v === 'boolean') return `\`${v}\``;
  return `the number \`${clip(n.text)}\``;
}

export function clip(s: string, n = 40): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
