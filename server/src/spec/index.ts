// Public API of the spec core (no `vscode`, no LSP library). Used by the language server, the CLI, the simulator
// and tests. Implementation lives in the sibling modules; this file only re-exports and documents the contract.
//
// Modules: analyze.ts (pipeline) -> depth.ts (nesting pre-scan) -> fast-yaml.ts | parse-yaml.ts | parse-json.ts
// (text -> ast.ts tree with offsets; lines.ts converts to LSP positions) -> network.ts + shapes.ts (schema, shape
// inference, params/MACs) or hardware.ts + resolve.ts (targets, units.ts quantities, `extends`, provenance).
// Diagnostics: codes.ts (stable AMxxxx codes), diag.ts, values.ts (typed readers), suggest.ts (did-you-mean),
// limits.ts. Editor support: locate.ts, vocab.ts. JSON Schemas: schema-gen.ts (scripts/gen-schemas.ts writes them).
// Speed: analyze() of a big spec keeps its whole model alive, so young-generation GC is a large share of its time;
// processes that analyze big files on every keystroke benefit from `node --max-semi-space-size=32` or more (the
// language server trades some of that speed for memory: client/src/serverProcess.ts).
import type { SpecDocument, TargetModel, SpecDiagnostic } from './types';
import { analyze as analyzeImpl, type AnalyzeOptions } from './analyze';
import { resolveTargets as resolveImpl } from './resolve';

export type * from './types';
export type { AnalyzeOptions } from './analyze';
export { presetTargets, presetTarget } from './resolve';
export { parseQuantity, formatQuantity, paramValueText } from './units';
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
export function resolveTargets(
  names: string[],
  hardwareDocs: SpecDocument[],
  at?: import('./types').Range[],
): { targets: TargetModel[]; diagnostics: SpecDiagnostic[] } {
  return resolveImpl(names, hardwareDocs, at);
}
