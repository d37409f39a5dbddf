// Reading Timeloop's YAML with positions: every problem found is a TimeloopIssue naming the file, line, column and
// key, so an unsupported or malformed input is reported where it is, never silently misread.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';

export interface TimeloopIssue {
  file: string;
  line: number;
  col: number;
  message: string;
  /** A warning is reported and the input still read; an issue without one is an error. */
  severity?: 'warning';
}

/** The errors among issues (what stops a read). */
export const errorsOf = (issues: TimeloopIssue[]): TimeloopIssue[] => issues.filter((i) => i.severity !== 'warning');

export class TimeloopInputError extends Error {
  constructor(public readonly issues: TimeloopIssue[]) {
    super(issues.map((i) => `${i.file}:${i.line}:${i.col}: ${i.message}`).join('\n'));
  }
}

/** One parsed YAML file with helpers that record issues at a node's position. */
export class YFile {
  readonly issues: TimeloopIssue[] = [];
  readonly root: Node | null;
  private readonly lc = new LineCounter();
  constructor(
    readonly file: string,
    text: string,
  ) {
    const doc = parseDocument(text, { lineCounter: this.lc, uniqueKeys: false });
    for (const e of doc.errors)
      this.issues.push({
        file,
        line: e.linePos?.[0].line ?? 1,
        col: e.linePos?.[0].col ?? 1,
        message: `YAML: ${e.message.split('\n')[0]}`,
      });
    this.root = (doc.contents as Node | null) ?? null;
  }

  at(node: Node | null | undefined): { line: number; col: number } {
    const off = node?.range?.[0] ?? 0;
    const p = this.lc.linePos(off);
    return { line: p.line, col: p.col };
  }

  issue(node: Node | null | undefined, message: string): void {
    this.issues.push({ file: this.file, ...this.at(node), message });
  }

  /** A problem that does not stop the read (reported beside the result). */
  warn(node: Node | null | undefined, message: string): void {
    this.issues.push({ file: this.file, ...this.at(node), message, severity: 'warning' });
  }

  /** The value node under `key` of a map node (undefined when absent or when `node` is not a map). */
  get(node: Node | null | undefined, key: string): Node | undefined {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    return (pair?.value as Node | null | undefined) ?? undefined;
  }

  keys(node: Node | null | undefined): { key: string; node: Node }[] {
    if (!isMap(node)) return [];
    return node.items.map((p) => ({ key: isScalar(p.key) ? String(p.key.value) : '?', node: p.key as Node }));
  }

  /** Reports keys of a map that the reader does not support, with the supported ones. */
  onlyKeys(node: Node | null | undefined, what: string, allowed: string[], ignored: string[] = []): void {
    for (const k of this.keys(node)) {
      if (!allowed.includes(k.key) && !ignored.includes(k.key))
        this.issue(k.node, `${what}: '${k.key}' is not supported (supported keys: ${allowed.join(', ')})`);
    }
  }

  map(node: Node | null | undefined): YAMLMap | undefined {
    return isMap(node) ? node : undefined;
  }
  seq(node: Node | null | undefined): Node[] {
    return isSeq(node) ? (node.items as Node[]) : [];
  }
  isSeq(node: Node | null | undefined): boolean {
    return isSeq(node);
  }

  str(node: Node | null | undefined): string | undefined {
    return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
  }

  /** A number (Timeloop writes some as strings: "1e-9"); records an issue when present but not a number. */
  num(node: Node | null | undefined, what: string): number | undefined {
    if (node === undefined || node === null) return undefined;
    const v = isScalar(node) ? node.value : undefined;
    const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(x)) {
      this.issue(
        node,
        `${what} must be a number (got ${isScalar(node) ? JSON.stringify(node.value) : 'a collection'})`,
      );
      return undefined;
    }
    return x;
  }

  tag(node: Node | null | undefined): string | undefined {
    return (node as { tag?: string } | undefined)?.tag;
  }

  /** Plain JS value of a node. */
  js(node: Node | null | undefined): unknown {
    return node && 'toJSON' in node ? (node as { toJSON(): unknown }).toJSON() : undefined;
  }
}
