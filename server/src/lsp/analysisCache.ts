// One analysis per (uri, version), shared by diagnostics, hover, completion, symbols, hints and simulation.
// The spec core's analyze() is synchronous and never throws (contract); a throw is still caught and turned into
// one diagnostic so a bug there cannot take the server down.
import { analyze } from '../spec';
import type { SpecDocument } from '../spec/types';
import { formatError } from './runSafe';
import { ZERO_RANGE } from './ranges';

interface Entry {
  version: number;
  doc: SpecDocument;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly log: (m: string) => void) {}

  get(uri: string, version: number, text: () => string): SpecDocument {
    const hit = this.entries.get(uri);
    if (hit && hit.version === version) return hit.doc;
    const doc = safeAnalyze(uri, text(), version, this.log);
    this.entries.set(uri, { version, doc });
    return doc;
  }

  /** Cached analysis of exactly this version, without computing it. */
  peek(uri: string, version?: number): SpecDocument | undefined {
    const hit = this.entries.get(uri);
    return hit && (version === undefined || hit.version === version) ? hit.doc : undefined;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
  clear(): void {
    this.entries.clear();
  }
  get size(): number {
    return this.entries.size;
  }
}

export function safeAnalyze(
  uri: string,
  text: string,
  version: number | undefined,
  log: (m: string) => void,
): SpecDocument {
  try {
    return analyze(uri, text, { version });
  } catch (err) {
    log(formatError(`accelmap: analyze(${uri}) threw`, err));
    return {
      uri,
      version,
      format: /\.json$/i.test(uri) ? 'json' : 'yaml',
      kind: null,
      diagnostics: [
        {
          range: ZERO_RANGE,
          severity: 'error',
          code: 'AM0000',
          message:
            `Internal error while analysing this file (${err instanceof Error ? err.message : String(err)}). ` +
            'Please report it with the file; the rest of the workspace keeps working.',
        },
      ],
    };
  }
}
