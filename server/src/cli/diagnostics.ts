// Diagnostics printed as `file:line:col: severity code message` (1-based line and column, as compilers do), so
// editors and CI annotate them.
import type { SpecDiagnostic } from '../spec/types';

export interface PrintedDiagnostic {
  file: string;
  line: number;
  col: number;
  severity: string;
  code: string;
  message: string;
}

export function fromSpec(file: string, d: SpecDiagnostic): PrintedDiagnostic {
  return {
    file,
    line: d.range.start.line + 1,
    col: d.range.start.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}

export function formatDiagnostic(d: PrintedDiagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code} ${d.message.replace(/\s*\n\s*/g, ' ')}`;
}

/** Codes of the importer's own findings (the spec core owns AM1xxx-AM9xxx). */
export const ONNX_ERROR = 'ONNX001';
export const ONNX_WARNING = 'ONNX002';
