// Shared helpers for the example tests: read and analyse the files of examples/ through the spec core's public API.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../../server/src/spec/index';
import type { LayerModel, NetworkModel, SpecDocument } from '../../../server/src/spec/index';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const EXAMPLES = join(ROOT, 'examples');

/** Spec files of examples/ (network and hardware, YAML or JSON), sorted. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES)
    .filter((f) => /\.(net|hw)\.(ya?ml|json)$/.test(f))
    .sort();
}

export function analyzeExample(file: string): SpecDocument {
  const path = join(EXAMPLES, file);
  return analyze(pathToFileURL(path).toString(), readFileSync(path, 'utf8'));
}

export function networkOf(file: string): NetworkModel {
  const doc = analyzeExample(file);
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !doc.network) {
    throw new Error(
      `${file} did not analyse to a network:\n${errors.map((d) => `  ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`).join('\n')}`,
    );
  }
  return doc.network;
}

/** Readable one-line form of a diagnostic for assertion messages. */
export function fmt(file: string, d: SpecDocument['diagnostics'][number]): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code}: ${d.message}`;
}

// ------------------------------------------------------------------------------------------------ MACs

/**
 * Forward multiply-accumulates of one layer for the whole batch N, as counted here (and in layer-tables.json's
 * MAC convention, shared/data/gpu-h100/README.md):
 *   conv2d:  N · K · P · Q · (C / groups) · R · S        (output pixels x one filter's dot-product length)
 *   linear:  N · (product of leading dims) · in_features · out_features
 * Bias additions, batch norm, activations and pooling are not MACs.
 */
export function expectedMacs(l: LayerModel, batch: number): number {
  if (l.type === 'conv2d') {
    const [K, P, Q] = l.outShape;
    const C = l.inShapes[0][0];
    const [R, S] = l.attrs.kernel!;
    return batch * K * P * Q * (C / (l.attrs.groups ?? 1)) * R * S;
  }
  if (l.type === 'linear') {
    const inF = l.inShapes[0][l.inShapes[0].length - 1];
    const rows = l.outShape.slice(0, -1).reduce((a, b) => a * b, 1);
    return batch * rows * inF * l.attrs.outFeatures!;
  }
  return 0;
}
