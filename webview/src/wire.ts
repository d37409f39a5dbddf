// The result as the server sent it (server/src/lsp/wireDecode.ts): decoded here, in the webview, so the host posts
// a few MB of columns instead of the objects (a 10,000-layer result on six targets is ~3.6 MB on the wire and ~150 MB
// as JSON, and a webview message is serialized). Deflated columns (`~` + base64) are inflated with fflate: ~140
// columns of a 10,000-layer result took ~240 ms through the browser's DecompressionStream (a stream per column).
import type { SimulationResult } from '../../server/src/sim/types';
import { inflateSync } from 'fflate';
import { decodeWire, deflatedColumn, wireColumns, type WireResult } from '../../server/src/lsp/wireDecode';

const fromBase64 = (s: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};

export async function decodeWireInBrowser(w: WireResult): Promise<SimulationResult> {
  // base64 is read now (a malformed column is refused here, the shown result stays); a deflated column is inflated
  // when a view first reads it (the summary reads none: inflating all of a 10,000-layer result's took ~0.25 s)
  const raw = new Map<string, { bytes: Uint8Array<ArrayBuffer>; size?: number; deflated: boolean }>();
  for (const s of wireColumns(w)) {
    if (raw.has(s)) continue;
    const d = deflatedColumn(s);
    raw.set(s, { bytes: fromBase64(d ? d.b64 : s), size: d?.size, deflated: d !== undefined });
  }
  const cols = new Map<string, ArrayBuffer>();
  return decodeWire(w, (s) => {
    const done = cols.get(s);
    if (done) return done;
    const c = raw.get(s);
    if (!c) throw new Error('a column of the result is missing');
    // with the inflated size known, fflate writes into one buffer instead of growing and trimming one
    const out = c.deflated
      ? (inflateSync(
          c.bytes,
          c.size !== undefined ? { out: new Uint8Array(c.size) } : undefined,
        ) as Uint8Array<ArrayBuffer>)
      : c.bytes;
    const b = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out.buffer : out.slice().buffer;
    cols.set(s, b);
    raw.delete(s);
    return b;
  });
}
