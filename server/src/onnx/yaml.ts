// Writes an imported network as a network spec (docs/spec-format.md), one flow mapping per layer so that a
// 300-layer model stays readable and diffable.
import type { ImportedLayer, MappedGraph } from './map';

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** A YAML scalar: plain when unambiguous, else a JSON string (valid YAML double-quoted scalar). */
export function scalar(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
}

function value(v: string | number | boolean | (string | number)[]): string {
  return Array.isArray(v) ? `[${v.map((x) => scalar(x)).join(', ')}]` : scalar(v);
}

export interface YamlHeader {
  name: string;
  source: string;
  opset: number;
  producer: string;
  precision?: string;
  optimizer?: Record<string, string | number>;
}

export function toYaml(m: MappedGraph, h: YamlHeader): string {
  const lines: string[] = [];
  lines.push(
    `# Imported from ${h.source} by accelmap (ONNX opset ${h.opset}${h.producer ? ', producer ' + h.producer : ''}).`,
  );
  lines.push('# Shapes exclude the batch; `origin:` is the ONNX node each layer came from.');
  lines.push('kind: network');
  lines.push(`name: ${scalar(h.name)}`);
  lines.push(`batch_size: ${m.batch}`);
  if (h.precision) lines.push(`precision: ${scalar(h.precision)}`);
  if (h.optimizer && Object.keys(h.optimizer).length) {
    lines.push(
      `optimizer: {${Object.entries(h.optimizer)
        .map(([k, v]) => `${k}: ${scalar(v)}`)
        .join(', ')}}`,
    );
  }
  lines.push(`input_shape: ${value(m.inputShape.filter((_, i) => i !== m.inputBatchAxis))}`);
  lines.push('layers:');
  let prev = 'input';
  for (const L of m.layers) {
    lines.push(`  - ${layerLine(L, prev)}`);
    prev = L.name;
  }
  return lines.join('\n') + '\n';
}

function layerLine(L: ImportedLayer, prev: string): string {
  const parts: string[] = [`name: ${scalar(L.name)}`, `type: ${L.type}`];
  for (const [k, v] of L.keys) parts.push(`${k}: ${value(v)}`);
  if (!(L.inputs.length === 1 && L.inputs[0] === prev)) parts.push(`inputs: ${value(L.inputs)}`);
  if (L.writeShape) parts.push(`output_shape: ${value(L.specShape)}`);
  parts.push(`origin: ${scalar(L.origin)}`);
  return `{${parts.join(', ')}}`;
}
