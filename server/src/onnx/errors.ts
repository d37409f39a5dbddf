// The importer's error type and how it names nodes in messages.
import type { NodeInfo } from './proto';

/** A problem with the model, reported to the user as is (the message names the file, the node and what to do). */
export class ImportError extends Error {
  /** Symbolic dimensions that need a value (--batch / --dim NAME=N), when that is what stopped the import. */
  missingDims?: string[];
  constructor(message: string, missingDims?: string[]) {
    super(message);
    if (missingDims?.length) this.missingDims = missingDims;
  }
}

export const nodeLabel = (n: NodeInfo): string => `node '${n.name || n.outputs[0] || '?'}' (${n.opType})`;
