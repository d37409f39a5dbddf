// Position/range helpers on LSP-style (0-based, UTF-16) coordinates. Pure; no spec knowledge.
import type { Position, Range } from '../spec/types';

export function comparePos(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Inclusive of both ends, so a cursor right after the last character still counts as inside. */
export function contains(r: Range, p: Position): boolean {
  return comparePos(r.start, p) <= 0 && comparePos(p, r.end) <= 0;
}

export function isEmptyRange(r: Range): boolean {
  return comparePos(r.start, r.end) === 0;
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
