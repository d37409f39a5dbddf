// Code actions: the quick fixes the spec core attached to each diagnostic. They ride in Diagnostic.data; a client
// that drops `data` (or hands back a diagnostic without it) still gets them: the fixes are then looked up in the
// server's own diagnostics of the current version by code and range.
import { CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import type { QuickFix, SpecDiagnostic } from '../spec/types';
import { fixesOf, SOURCE } from './diagnostics';

const sameRange = (a: Diagnostic['range'], b: Diagnostic['range']) =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

/** `current` gives the server's diagnostics of the document now (used only when a diagnostic lacks its data). */
export function codeActions(
  params: CodeActionParams,
  current: () => readonly SpecDiagnostic[] = () => [],
): CodeAction[] {
  const only = params.context.only;
  if (
    only &&
    !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.') || k === '')
  )
    return [];
  const out: CodeAction[] = [];
  let mine: readonly SpecDiagnostic[] | undefined;
  for (const d of params.context.diagnostics as Diagnostic[]) {
    if (d.source !== SOURCE) continue;
    let fixes: QuickFix[] = fixesOf(d);
    if (!fixes.length && d.data === undefined) {
      mine ??= current();
      fixes = mine.find((m) => m.code === d.code && sameRange(m.range, d.range))?.fixes ?? [];
    }
    for (const f of fixes) {
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
