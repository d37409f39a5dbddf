// Public API of the spec core (no `vscode`, no LSP library). Used by the language server, the CLI, the simulator
// and tests. Implementation lives in the sibling modules; this file only re-exports and documents the contract.
import type { SpecDocument, TargetModel, SpecDiagnostic } from './types';
import { analyze as analyzeImpl, type AnalyzeOptions } from './analyze';
import { resolveTargets as resolveImpl } from './resolve';

export type * from './types';
export type { AnalyzeOptions } from './analyze';
export { presetTargets, presetTarget } from './resolve';
export { parseQuantity, formatQuantity } from './units';
export { locate, offsetAt, positionAt } from './locate';
export { CODES } from './codes';

/**
 * Parse, schema-check and shape-infer one spec document. Never throws: every problem becomes a diagnostic.
 * `format` defaults from the uri's extension (.json -> json, else yaml).
 */
export function analyze(uri: string, text: string, opts?: AnalyzeOptions): SpecDocument {
  return analyzeImpl(uri, text, opts);
}

/**
 * Resolve target names against hardware documents and the built-in presets (in that order).
 * Unknown names give diagnostics ranged at `at` when given.
 */
export function resolveTargets(names: string[], hardwareDocs: SpecDocument[], at?: import('./types').Range[]): { targets: TargetModel[]; diagnostics: SpecDiagnostic[] } {
  return resolveImpl(names, hardwareDocs, at);
}
