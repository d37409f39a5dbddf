// The result as the server sent it (server/src/lsp/wireDecode.ts): decoded here, in the webview, so the host posts
// a few MB of columns instead of the objects (a 10,000-layer result on six targets is ~3.6 MB on the wire and ~150 MB
// as JSON, and a webview message is serialized). Deflated columns (`~` + base64) are inflated with fflate: ~140
// columns of a 10,000-layer result took ~240 ms through the browser's DecompressionStream (a stream per column).
import type { SimulationResult } from '../../server/src/sim/types';
import { inflateSync } from 'fflate';
import { decodeWire, wireColumns, type WireResult } from '../../server/src/lsp/wireDecode';

const fromBase64 = (s: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};

export async function decodeWireInBrowser(w: WireResult): Promise<SimulationResult> {
  const cols = new Map<string, ArrayBuffer>();
  for (const s of wireColumns(w)) {
    if (cols.has(s)) continue;
    const deflated = s.charCodeAt(0) === 126;
    const raw = fromBase64(deflated ? s.slice(1) : s);
    const out = deflated ? (inflateSync(raw) as Uint8Array<ArrayBuffer>) : raw;
    cols.set(s, out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out.buffer : out.slice().buffer);
  }
  return decodeWire(w, (s) => {
    const b = cols.get(s);
    if (!b) throw new Error('a column of the result is missing');
    return b;
  });
}
