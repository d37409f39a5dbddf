// Small helpers for the spec tests.
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/spec/index';
import type { SpecDiagnostic, SpecDocument } from '../../../server/src/spec/types';

export const net = (body: string, uri = 'file:///t.net.yaml'): SpecDocument => analyze(uri, body);
export const codes = (d: SpecDocument): string[] => d.diagnostics.map((x) => x.code);
export function only(d: SpecDocument, code: string): SpecDiagnostic {
  const found = d.diagnostics.filter((x) => x.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(d.diagnostics, null, 1)}`);
  return found[0];
}
export const r = (l1: number, c1: number, l2: number, c2: number) => ({
  start: { line: l1, character: c1 },
  end: { line: l2, character: c2 },
});

/** Apply a quick fix's edits to text (single-line edits, as ours are). */
export function applyFix(text: string, d: SpecDiagnostic, i = 0): string {
  const lines = text.split('\n');
  const edits = [...d.fixes![i].edits].sort(
    (a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character,
  );
  for (const e of edits) {
    assert.equal(e.range.start.line, e.range.end.line);
    const l = lines[e.range.start.line];
    lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  return lines.join('\n');
}

/** A network document around a layer list (YAML lines, each `  - ...`). */
export function layers(input: string, ...ls: string[]): string {
  return `kind: network\nbatch_size: 2\ninput_shape: ${input}\nlayers:\n${ls.map((l) => `  - ${l}`).join('\n')}\n`;
}
