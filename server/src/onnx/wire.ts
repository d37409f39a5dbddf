// Protobuf wire-format walking (https://protobuf.dev/programming-guides/encoding/): a message is a run of
// fields, each a varint key = (field_number << 3) | wire_type followed by a varint (0), 8 bytes (1),
// a varint length and that many bytes (2), or 4 bytes (5). Groups (3, 4) are not used by ONNX and are rejected.
import type { ByteSource } from './source';

export class WireError extends Error {}

export interface Field {
  num: number;
  wire: number;
  /** Varint / fixed values (wire 0, 1, 5) as a JS number (int64 beyond 2^53 loses precision; ONNX dims do not). */
  value: number;
  /** For wire 2: start and end of the payload. */
  start: number;
  end: number;
}

/** Reads one varint at pos; returns [value, nextPos]. Values are interpreted as signed 64-bit (ONNX int64). */
export function readVarint(src: ByteSource, pos: number, end: number): [number, number] {
  let lo = 0;
  let shift = 0;
  let p = pos;
  // Fast path: up to 7 bytes (49 bits) fit exactly in a double.
  for (; shift < 49; shift += 7) {
    if (p >= end) throw new WireError(`truncated varint at byte ${pos}`);
    const b = src.byteAt(p++);
    lo += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [lo, p];
  }
  let big = BigInt(lo);
  for (; shift < 70; shift += 7) {
    if (p >= end) throw new WireError(`truncated varint at byte ${pos}`);
    const b = src.byteAt(p++);
    big |= BigInt(b & 0x7f) << BigInt(shift);
    if (b < 0x80) return [Number(BigInt.asIntN(64, big)), p];
  }
  throw new WireError(`malformed varint at byte ${pos}`);
}

/** Iterates the fields of the message occupying [start, end). Length-delimited payloads are not read. */
export function* fields(src: ByteSource, start: number, end: number): Generator<Field> {
  let p = start;
  while (p < end) {
    const at = p;
    const [key, p1] = readVarint(src, p, end);
    p = p1;
    const num = Math.floor(key / 8);
    const wire = key & 7;
    if (num === 0) throw new WireError(`invalid field number 0 at byte ${at}`);
    switch (wire) {
      case 0: {
        const [v, p2] = readVarint(src, p, end);
        p = p2;
        yield { num, wire, value: v, start: p, end: p };
        break;
      }
      case 1: {
        if (p + 8 > end) throw new WireError(`truncated fixed64 at byte ${at}`);
        const v = src.bytes(p, 8).readDoubleLE(0);
        p += 8;
        yield { num, wire, value: v, start: p, end: p };
        break;
      }
      case 2: {
        const [len, p2] = readVarint(src, p, end);
        if (len < 0 || p2 + len > end)
          throw new WireError(`field ${num} at byte ${at} runs past the end of its message (length ${len})`);
        p = p2 + len;
        yield { num, wire, value: len, start: p2, end: p };
        break;
      }
      case 5: {
        if (p + 4 > end) throw new WireError(`truncated fixed32 at byte ${at}`);
        const v = src.bytes(p, 4).readFloatLE(0);
        p += 4;
        yield { num, wire, value: v, start: p, end: p };
        break;
      }
      default:
        throw new WireError(`unsupported wire type ${wire} (field ${num}) at byte ${at}`);
    }
  }
}

export function readString(src: ByteSource, f: Field): string {
  if (f.wire !== 2) throw new WireError(`field ${f.num} should be a string`);
  return src.utf8(f.start, f.end - f.start);
}

/** A repeated int64 field: either one packed run (wire 2) or one varint per occurrence (wire 0). */
export function pushInts(src: ByteSource, f: Field, out: number[]): void {
  if (f.wire === 0) {
    out.push(f.value);
    return;
  }
  if (f.wire !== 2) throw new WireError(`field ${f.num} should be integers`);
  let p = f.start;
  while (p < f.end) {
    const [v, p2] = readVarint(src, p, f.end);
    out.push(v);
    p = p2;
  }
}

/** A repeated float field: packed (wire 2, 4 bytes each) or one fixed32 per occurrence. */
export function pushFloats(src: ByteSource, f: Field, out: number[]): void {
  if (f.wire === 5) {
    out.push(f.value);
    return;
  }
  if (f.wire !== 2) throw new WireError(`field ${f.num} should be floats`);
  const b = src.bytes(f.start, f.end - f.start);
  for (let i = 0; i + 4 <= b.length; i += 4) out.push(b.readFloatLE(i));
}
