// Small pure path helpers of the client (no `vscode`: unit-tested in Node).

/** `/ntx.hw.yaml` -> `ntx`; anything else -> null. */
export function presetNameFromPath(path: string): string | null {
  const m = /^\/?([A-Za-z0-9][A-Za-z0-9._-]*?)\.hw\.ya?ml$/.exec(path);
  return m ? m[1] : null;
}

/** The network spec written next to an ONNX model: `/m/resnet50.onnx` -> `/m/resnet50.net.yaml` (spec/files.ts). */
export { networkSpecPathFor as specPathFor } from '../../server/src/spec/files';

/** A batch size typed by the user: a whole number 1..65536, else an explanation. */
export function parseBatch(text: string): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, message: 'Enter a whole number, e.g. 32.' };
  const v = Number(t);
  if (v < 1 || v > 65536) return { ok: false, message: 'The batch size must be between 1 and 65536.' };
  return { ok: true, value: v };
}

/**
 * Offset of a layer's `name: <layer>` in a YAML or JSON spec (block or flow style, quoted or not), or -1.
 * A text search, not a parse: the dashboard only needs to put the cursor near the layer.
 */
export function layerNameOffset(text: string, layer: string): number {
  const esc = layer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`["']?\\bname["']?\\s*:\\s*["']?${esc}["']?\\s*(?:[,}\\r\\n]|$)`).exec(text);
  return m ? m.index : -1;
}
