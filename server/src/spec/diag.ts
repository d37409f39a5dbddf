// Collects diagnostics for one document; ranges are given as source offsets and converted once here.
import type { QuickFix, Range, Severity, SpecDiagnostic } from './types';
import type { Code } from './codes';
import type { LineIndex } from './lines';
import type { AstNode } from './ast';
import { MAX_DIAGNOSTICS } from './limits';

export class Diags {
  readonly list: SpecDiagnostic[] = [];
  private dropped = 0;
  /** "Did you mean" searches left: each may scan every name, so a file with thousands of bad names stays linear. */
  suggestions = 30;
  constructor(readonly lines: LineIndex) {}

  /** True when one more suggestion may be computed (and counts it). */
  maySuggest(): boolean {
    return this.list.length < MAX_DIAGNOSTICS && this.suggestions-- > 0;
  }

  add(
    code: Code,
    severity: Severity,
    at: AstNode | Range | [number, number],
    message: string,
    fixes?: QuickFix[],
  ): SpecDiagnostic | undefined {
    if (this.list.length >= MAX_DIAGNOSTICS) {
      this.dropped++;
      return undefined;
    }
    const range = this.toRange(at);
    const d: SpecDiagnostic = { range, severity, code, message };
    if (fixes && fixes.length) d.fixes = fixes;
    this.list.push(d);
    return d;
  }
  error(code: Code, at: AstNode | Range | [number, number], message: string, fixes?: QuickFix[]): void {
    this.add(code, 'error', at, message, fixes);
  }
  warn(code: Code, at: AstNode | Range | [number, number], message: string, fixes?: QuickFix[]): void {
    this.add(code, 'warning', at, message, fixes);
  }

  toRange(at: AstNode | Range | [number, number]): Range {
    if (Array.isArray(at)) return this.lines.range(at[0], at[1]);
    if ('start' in at && typeof at.start === 'number') {
      const n = at as AstNode;
      return this.lines.range(n.start, n.end);
    }
    return at as Range;
  }

  /** A quick fix replacing the text of `at` with `newText`. */
  replaceFix(title: string, at: AstNode | [number, number], newText: string, isPreferred = true): QuickFix {
    return { title, edits: [{ range: this.toRange(at), newText }], isPreferred };
  }

  finish(): SpecDiagnostic[] {
    if (this.dropped > 0) {
      const last = this.list[this.list.length - 1];
      this.list.push({
        range: last.range,
        severity: 'information',
        code: 'AM9004',
        message: `${this.dropped} more problems were not listed (at most ${MAX_DIAGNOSTICS} per document); fix the ones above first.`,
      });
      this.dropped = 0;
    }
    return this.list;
  }
}
