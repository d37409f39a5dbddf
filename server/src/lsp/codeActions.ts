// Code actions: the quick fixes the spec core attached to each diagnostic (carried in Diagnostic.data).
import { CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { fixesOf, SOURCE } from './diagnostics';

export function codeActions(params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.') || k === '')) return [];
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics as Diagnostic[]) {
    if (d.source !== SOURCE) continue;
    for (const f of fixesOf(d)) {
      if (!f || !Array.isArray(f.edits)) continue;
      out.push({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: f.isPreferred ?? false,
        edit: { changes: { [params.textDocument.uri]: f.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
      });
    }
  }
  return out;
}
