// Offset <-> LSP position conversion for one text. Positions are 0-based line and UTF-16 character, as in LSP;
// JavaScript string indices are UTF-16 code units, so an offset is a string index.
import type { Position, Range } from './types';

export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /** Line of the previous lookup: analysis walks the text mostly forwards, so it is usually this line or near. */
  private hint = 0;

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const s = this.starts;
    const h = this.hint;
    if (s[h] <= o) {
      if (h + 1 >= s.length || o < s[h + 1]) return { line: h, character: o - s[h] };
      if (h + 2 >= s.length || o < s[h + 2]) {
        this.hint = h + 1;
        return { line: h + 1, character: o - s[h + 1] };
      }
    }
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    this.hint = lo;
    return { line: lo, character: o - s[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line];
    const end = this.lineEnd(pos.line);
    return Math.max(start, Math.min(start + Math.max(0, pos.character), end));
  }

  /** Offset of the end of a line's content (before its line break). */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let e = next;
    if (e > this.starts[line] && this.text.charCodeAt(e - 1) === 10) e--;
    if (e > this.starts[line] && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** From `offset` to the end of its line (used for syntax errors). At least one character where the line has one. */
  toLineEnd(offset: number): Range {
    const start = this.positionAt(offset);
    const end = this.lineEnd(start.line);
    return { start, end: { line: start.line, character: Math.max(start.character, end - this.starts[start.line]) } };
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

/** Position helpers for callers holding only text (the language server has its own TextDocument, too). */
export function positionAt(text: string, offset: number): Position {
  return new LineIndex(text).positionAt(offset);
}
export function offsetAt(text: string, pos: Position): number {
  return new LineIndex(text).offsetAt(pos);
}
