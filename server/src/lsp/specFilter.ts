// Which documents are accelmap specs. Cheap on purpose: it runs on every open and change.
// A document is a spec when its path matches the network/hardware globs, or when it is another .yaml/.yml/.json
// document with a top-level `kind: network|hardware` (docs/spec-format.md). Everything else gets nothing.
import { URI } from 'vscode-uri';
import { matchesAny } from './glob';
import type { Settings } from './settings';

export type SpecGuess = 'network' | 'hardware' | 'unknown' | null;

// Only the first few KiB are looked at for `kind:` (ASM: the kind sits near the top of real specs).
const SNIFF_CHARS = 4096;
const YAML_KIND = /^kind[ \t]*:[ \t]*["']?(network|hardware)["']?[ \t]*(?:#.*)?$/m;
const JSON_KIND = /"kind"\s*:\s*"(network|hardware)"/;

/** The path of a document URI (decoded; `file:` and any other scheme), for matching file-name patterns. */
export function uriPath(uri: string): string {
  try {
    return URI.parse(uri, true).path;
  } catch {
    return uri;
  }
}

export function isYamlOrJsonPath(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}

/**
 * Classify a document: 'network' / 'hardware' when its name or `kind:` says so, 'unknown' for a spec-named file
 * whose kind cannot be told yet, null when it is not a spec.
 */
export function classify(uri: string, text: string, settings: Settings, languageId?: string): SpecGuess {
  const path = uriPath(uri);
  if (matchesAny(path, settings.networkGlobs)) return 'network';
  if (matchesAny(path, settings.hardwareGlobs)) return 'hardware';
  const yamlish = isYamlOrJsonPath(path) || languageId === 'yaml' || languageId === 'json' || languageId === 'jsonc';
  if (!yamlish) return null;
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  const m = YAML_KIND.exec(head) ?? JSON_KIND.exec(head);
  return m ? (m[1] as 'network' | 'hardware') : null;
}
