// Public API of the spec core (no `vscode`, no LSP library). Used by the language server, the CLI, the simulator
// and tests. Implementation lives in the sibling modules; this file only re-exports and documents the contract.
import type { SpecDocument, TargetModel, SpecDiagnostic } from './types';

export type * from './types';

/**
 * Parse, schema-check and shape-infer one spec document. Never throws: every problem becomes a diagnostic.
 * `format` defaults from the uri's extension (.json -> json, else yaml).
 */
export declare function analyze(uri: string, text: string, opts?: { version?: number; format?: 'yaml' | 'json' }): SpecDocument;

/**
 * Resolve target names against hardware documents and the built-in presets (in that order).
 * Unknown names give diagnostics ranged at `at` when given.
 */
export declare function resolveTargets(names: string[], hardwareDocs: SpecDocument[]): { targets: TargetModel[]; diagnostics: SpecDiagnostic[] };
