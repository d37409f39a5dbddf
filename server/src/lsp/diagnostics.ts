// SpecDiagnostic (spec core) -> LSP Diagnostic. The quick fixes ride along in `data` so code actions can offer
// them without re-analysing; `relatedInformation` only when the client supports it.
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { QuickFix, SpecDiagnostic, Severity } from '../spec/types';

export const SOURCE = 'accelmap';

/** What `Diagnostic.data` carries for accelmap diagnostics. */
export interface DiagnosticData {
  fixes: QuickFix[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: SpecDiagnostic, relatedSupported: boolean): Diagnostic {
  const out: Diagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error,
    code: d.code,
    source: SOURCE,
    message: d.message,
  };
  if (d.fixes?.length) out.data = { fixes: d.fixes } satisfies DiagnosticData;
  if (relatedSupported && d.related?.length) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message }));
  }
  return out;
}

export function fixesOf(d: Diagnostic): QuickFix[] {
  const data = d.data as Partial<DiagnosticData> | undefined;
  return Array.isArray(data?.fixes) ? data.fixes : [];
}

export function hasErrors(diags: readonly SpecDiagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}
