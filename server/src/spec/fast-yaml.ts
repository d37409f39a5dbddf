// A fast path for the YAML that specs are made of: block mappings and lists, one-line-or-more flow collections,
// plain and simply-quoted scalars, comments. It builds the same AstNode tree as the `yaml` package path
// (parse-yaml.ts) but ~16x faster (a 10,000-layer spec, 0.54 MB: ~50 ms against ~790 ms for the `yaml` package on
// this 2-core machine, 2026-12), so analyze() keeps up with typing in a 10,000-layer file: kept for that reason.
// Anything outside that subset — or anything suspicious (anchors, aliases, tags, block scalars, escapes,
// multi-line plain scalars, empty values, duplicate keys, odd indentation, documents markers, tabs) — makes it
// give up (return null), and the `yaml` package parses the document instead, with its full error reporting.
// The fuzz test checks that whenever this path answers, it answers exactly what the `yaml` path gives.
import type { AstMap, AstNode, AstPair, AstScalar, AstSeq, ScalarValue } from './ast';

const BAIL: unique symbol = Symbol('bail');
function bail(): never {
  throw BAIL;
}

/** YAML 1.2 core schema resolution of a plain scalar (as the `yaml` package does for the subset we accept). */
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
export function resolvePlain(s: string): ScalarValue {
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT.test(s)) return parseInt(s, 10);
    if (FLOAT.test(s)) return parseFloat(s);
    if (/^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(s) || /^0[xo]/.test(s)) bail();
    return s;
  }
  switch (s) {
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case 'null':
    case 'Null':
    case 'NULL':
    case '~':
      return null;
  }
  return s;
}

/** Characters that may not start a plain scalar (YAML c-indicator), by char code. */
const INDICATOR: boolean[] = [];
for (const ch of '-?:,[]{}#&*!|>\'"%@`') INDICATOR[ch.charCodeAt(0)] = true;
/** Whitespace and flow indicators: after `:` they make it a key separator in flow context. */
const FLOW_END: boolean[] = [];
for (const ch of ' \n\r\t,[]{}') FLOW_END[ch.charCodeAt(0)] = true;

export function parseYamlFast(text: string): AstNode | null {
  try {
    return new FastYaml(text).document();
  } catch (e) {
    if (e === BAIL) return null;
    throw e;
  }
}

class FastYaml {
  private readonly n: number;
  /** Start offset of each line, its indentation, and whether it holds content (not blank, not only a comment). */
  private readonly ls: number[] = [];
  private readonly ind: number[] = [];
  private li = 0;
  /** Short strings seen so far: keys and plain values repeat thousands of times in a big spec; sharing one copy
   *  keeps the retained tree small (fewer survivors for the garbage collector to copy). */
  private readonly strs = new Map<string, string>();

  private intern(s: string): string {
    if (s.length > 24) return s;
    const h = this.strs.get(s);
    if (h !== undefined) return h;
    this.strs.set(s, s);
    return s;
  }

  constructor(private readonly t: string) {
    this.n = t.length;
    if (t.charCodeAt(0) === 0xfeff) bail(); // byte-order mark: the full parser skips it
    let s = 0;
    for (;;) {
      let e = t.indexOf('\n', s);
      if (e < 0) e = this.n;
      let i = s;
      while (i < e && t.charCodeAt(i) === 32) i++;
      const c = t.charCodeAt(i);
      if (c === 9) bail(); // tabs around indentation: leave to the full parser
      if (c === 13 && i + 1 !== e) bail(); // lone \r line breaks
      const content = i < e && c !== 35 && c !== 13;
      if (content) {
        this.ls.push(s);
        this.ind.push(i - s);
        if (i - s === 0 && (t.startsWith('---', i) || t.startsWith('...', i) || c === 37)) bail();
      }
      if (e >= this.n) break;
      s = e + 1;
    }
    if (t.indexOf('\r') >= 0 || t.indexOf('\t') >= 0) bail();
  }

  document(): AstNode | null {
    if (this.ls.length === 0) bail();
    if (this.ind[0] !== 0) bail();
    const node = this.blockNode(0);
    if (this.li < this.ls.length) bail();
    return node;
  }

  private lineStart(): number {
    return this.ls[this.li] + this.ind[this.li];
  }

  private blockNode(indent: number): AstNode {
    const p = this.lineStart();
    const c = this.t.charCodeAt(p);
    if (c === 45 /* - */ && this.isSep(p + 1)) return this.blockSeq(indent);
    if (this.keyEnd(p) >= 0) return this.blockMap(p);
    bail();
  }

  /** Space, newline or end of text at `i`. */
  private isSep(i: number): boolean {
    if (i >= this.n) return true;
    const c = this.t.charCodeAt(i);
    return c === 32 || c === 10;
  }

  /** If a mapping key starts at `p`, the offset of its `:`; else -1. */
  private keyEnd(p: number): number {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === 34 || c === 39) {
      const e = this.quotedEnd(p);
      return t.charCodeAt(e) === 58 && this.isSep(e + 1) ? e : -1;
    }
    if (c === 91 || c === 123 || c === 35) return -1;
    for (let i = p; i < this.n; i++) {
      const d = t.charCodeAt(i);
      if (d === 10) return -1;
      if (d === 58 && this.isSep(i + 1)) return i;
      if (d === 35 && t.charCodeAt(i - 1) === 32) return -1;
    }
    return -1;
  }

  /** End (exclusive) of a one-line quoted scalar starting at `p` (no escapes). */
  private quotedEnd(p: number): number {
    const t = this.t;
    const q = t.charCodeAt(p);
    for (let i = p + 1; i < this.n; i++) {
      const d = t.charCodeAt(i);
      if (d === 10 || d === 92) bail();
      if (d === q) {
        if (q === 39 && t.charCodeAt(i + 1) === 39) bail();
        return i + 1;
      }
    }
    bail();
  }

  private quoted(p: number): AstScalar {
    const e = this.quotedEnd(p);
    return { t: 'scalar', value: this.t.slice(p + 1, e - 1), text: this.t.slice(p, e), quoted: true, start: p, end: e };
  }

  private key(p: number, colon: number): AstScalar {
    const c = this.t.charCodeAt(p);
    if (c === 34 || c === 39) return this.quoted(p);
    let e = colon;
    while (e > p && this.t.charCodeAt(e - 1) === 32) e--;
    const s = this.intern(this.t.slice(p, e));
    if (e === p || INDICATOR[s.charCodeAt(0)] || s.indexOf(' #') >= 0) bail();
    const v = resolvePlain(s);
    const key = String(v);
    return { t: 'scalar', value: key, text: key, quoted: false, start: p, end: e };
  }

  /** After a value on a line: only spaces and a comment may follow; moves to the next content line. */
  private endLine(i: number): void {
    const t = this.t;
    while (i < this.n && t.charCodeAt(i) === 32) i++;
    if (i < this.n && t.charCodeAt(i) !== 10 && t.charCodeAt(i) !== 35) bail();
    // Skip to the first content line after offset i.
    while (this.li < this.ls.length && this.ls[this.li] <= i) this.li++;
  }

  private blockMap(first: number): AstMap {
    const col = first - this.ls[this.li];
    const pairs: AstPair[] = [];
    const seen = new Set<string>();
    let p = first;
    for (;;) {
      const colon = this.keyEnd(p);
      if (colon < 0) bail();
      const keyNode = this.key(p, colon);
      if (seen.has(keyNode.value as string)) bail();
      seen.add(keyNode.value as string);
      let v = colon + 1;
      while (v < this.n && this.t.charCodeAt(v) === 32) v++;
      let value: AstNode;
      const c = this.t.charCodeAt(v);
      if (v >= this.n || c === 10 || c === 35) {
        this.endLine(v);
        if (this.li >= this.ls.length) bail();
        const ni = this.ind[this.li];
        const np = this.lineStart();
        if (ni > col) value = this.blockNode(ni);
        else if (ni === col && this.t.charCodeAt(np) === 45 && this.isSep(np + 1)) value = this.blockSeq(ni);
        else bail();
      } else {
        value = this.inline(v);
      }
      pairs.push({ key: keyNode.value as string, keyNode, value });
      if (this.li >= this.ls.length) break;
      const ni = this.ind[this.li];
      if (ni < col) break;
      if (ni > col) bail();
      p = this.lineStart();
      if (this.t.charCodeAt(p) === 45 && this.isSep(p + 1)) {
        // A list at the key's column ends a map only when the map is itself a list item (`- a: 1` then `- b`).
        break;
      }
    }
    const last = pairs[pairs.length - 1];
    return { t: 'map', pairs, start: first, end: last.value.end };
  }

  private blockSeq(indent: number): AstSeq {
    const items: AstNode[] = [];
    const start = this.lineStart();
    for (;;) {
      const dash = this.lineStart();
      let v = dash + 1;
      while (v < this.n && this.t.charCodeAt(v) === 32) v++;
      const c = this.t.charCodeAt(v);
      if (v >= this.n || c === 10 || c === 35) {
        this.endLine(v);
        if (this.li >= this.ls.length || this.ind[this.li] <= indent) bail();
        items.push(this.blockNode(this.ind[this.li]));
      } else if (c === 45 && this.isSep(v + 1)) {
        bail();
      } else if (this.keyEnd(v) >= 0) {
        items.push(this.blockMap(v));
      } else {
        items.push(this.inline(v));
      }
      if (this.li >= this.ls.length) break;
      const ni = this.ind[this.li];
      if (ni < indent) break;
      if (ni > indent) bail();
      const p = this.lineStart();
      if (!(this.t.charCodeAt(p) === 45 && this.isSep(p + 1))) break;
    }
    return { t: 'seq', items, start, end: items[items.length - 1].end };
  }

  /** A value after `key: ` or `- ` on the same line: a flow collection or a scalar; then the line must end. */
  private inline(p: number): AstNode {
    const c = this.t.charCodeAt(p);
    let node: AstNode;
    if (c === 91 || c === 123) {
      this.flowIndent = this.ind[this.li];
      const r = this.flow(p, 0);
      node = r;
      this.endLine(r.end);
      return node;
    }
    if (c === 34 || c === 39) {
      node = this.quoted(p);
      this.endLine(node.end);
      return node;
    }
    if (INDICATOR[c] && !((c === 45 || c === 58) && !this.isSep(p + 1))) bail();
    let e = p;
    const t = this.t;
    while (e < this.n) {
      const d = t.charCodeAt(e);
      if (d === 10) break;
      if (d === 35 && t.charCodeAt(e - 1) === 32) break;
      if (d === 58 && this.isSep(e + 1)) bail();
      e++;
    }
    while (e > p && t.charCodeAt(e - 1) === 32) e--;
    const s = this.intern(t.slice(p, e));
    node = { t: 'scalar', value: resolvePlain(s), text: s, quoted: false, start: p, end: e };
    this.endLine(e);
    return node;
  }

  /** Continuation lines of a flow collection must be indented more than the line it starts on (else: bail). */
  private flowIndent = 0;

  /** Skip spaces, newlines and comments inside a flow collection. */
  private ws(i: number): number {
    const t = this.t;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 10) {
        i++;
        let col = 0;
        while (t.charCodeAt(i) === 32) {
          i++;
          col++;
        }
        if (col <= this.flowIndent && i < this.n && t.charCodeAt(i) !== 10) bail();
      } else if (c === 32) i++;
      else if (c === 35 && (i === 0 || t.charCodeAt(i - 1) === 32 || t.charCodeAt(i - 1) === 10)) {
        while (i < this.n && t.charCodeAt(i) !== 10) i++;
      } else return i;
    }
  }

  private flowScalar(p: number, inMap: boolean): AstScalar {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === 34 || c === 39) return this.quoted(p);
    if (INDICATOR[c] && !((c === 45 || c === 58 || c === 63) && !FLOW_END[t.charCodeAt(p + 1)] && p + 1 < this.n))
      bail();
    let e = p;
    while (e < this.n) {
      const d = t.charCodeAt(e);
      if (d === 10 || d === 44 || d === 93 || d === 125 || d === 91 || d === 123) break;
      if (d === 58 && (e + 1 >= this.n || FLOW_END[t.charCodeAt(e + 1)])) break;
      if (d === 35 && t.charCodeAt(e - 1) === 32) break;
      e++;
    }
    let end = e;
    while (end > p && t.charCodeAt(end - 1) === 32) end--;
    if (end === p) bail();
    const d = t.charCodeAt(e);
    if (d === 10) {
      // A plain scalar continued on the next line is folded by YAML: leave that to the full parser.
      const nx = this.t.charCodeAt(this.ws(e));
      if (!(nx === 44 || nx === 93 || nx === 125 || (nx === 58 && inMap))) bail();
    }
    if (d === 91 || d === 123) bail();
    const s = this.intern(t.slice(p, end));
    return { t: 'scalar', value: resolvePlain(s), text: s, quoted: false, start: p, end };
  }

  private flowValue(p: number, depth: number, inMap: boolean): AstNode {
    const c = this.t.charCodeAt(p);
    if (c === 91 || c === 123) return this.flow(p, depth + 1);
    return this.flowScalar(p, inMap);
  }

  private flow(p: number, depth: number): AstMap | AstSeq {
    if (depth > 100) bail();
    const t = this.t;
    const isMap = t.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    let i = this.ws(p + 1);
    const items: AstNode[] = [];
    const pairs: AstPair[] = [];
    const seen = new Set<string>();
    for (;;) {
      if (i >= this.n) bail();
      if (t.charCodeAt(i) === close) break;
      if (isMap) {
        const k = this.flowScalar(i, true);
        if (k.value === null && !k.quoted) bail();
        const key = String(k.value);
        if (seen.has(key)) bail();
        seen.add(key);
        i = this.ws(k.end);
        if (t.charCodeAt(i) !== 58) bail();
        i = this.ws(i + 1);
        const c = t.charCodeAt(i);
        if (c === 44 || c === 125) bail(); // empty value
        const v = this.flowValue(i, depth, true);
        pairs.push({
          key,
          keyNode: { t: 'scalar', value: key, text: key, quoted: k.quoted, start: k.start, end: k.end },
          value: v,
        });
        i = this.ws(v.end);
      } else {
        const v = this.flowValue(i, depth, false);
        items.push(v);
        i = this.ws(v.end);
        if (t.charCodeAt(i) === 58) bail(); // `[a: b]` single-pair maps
      }
      const c = t.charCodeAt(i);
      if (c === 44) {
        i = this.ws(i + 1);
        if (t.charCodeAt(i) === 44) bail();
        continue;
      }
      if (c !== close) bail();
    }
    return isMap ? { t: 'map', pairs, start: p, end: i + 1 } : { t: 'seq', items, start: p, end: i + 1 };
  }
}
