// Byte sources for the protobuf walker. A file is read through positional reads into a small sliding window,
// so walking a model touches only the bytes of the fields that are decoded; large bytes fields (tensor payloads)
// are skipped by moving the position past them without reading them.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteSource {
  readonly size: number;
  /** One byte at an absolute position (the caller checks pos < size). */
  byteAt(pos: number): number;
  /** `len` bytes from `pos` (a copy or a view; callers do not keep it past the next read). */
  bytes(pos: number, len: number): Buffer;
  /** `len` bytes from `pos` decoded as UTF-8 (without creating a Buffer view). */
  utf8(pos: number, len: number): string;
  close(): void;
}

export class BufferSource implements ByteSource {
  constructor(private readonly buf: Buffer) {}
  get size(): number {
    return this.buf.length;
  }
  byteAt(pos: number): number {
    return this.buf[pos];
  }
  bytes(pos: number, len: number): Buffer {
    return this.buf.subarray(pos, pos + len);
  }
  utf8(pos: number, len: number): string {
    return this.buf.toString('utf8', pos, pos + len);
  }
  close(): void {
    /* nothing to release */
  }
}

/** Window size: metadata fields (names, dims, attributes) are small; 64 KiB keeps the read count low. */
const WINDOW = 64 * 1024;

export class FileSource implements ByteSource {
  private readonly fd: number;
  readonly size: number;
  private win = Buffer.alloc(WINDOW);
  private winStart = 0;
  private winLen = 0;
  /** Number of positional reads made (for the bench and tests). */
  reads = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  private fill(pos: number): void {
    this.winStart = pos;
    this.winLen = readSync(this.fd, this.win, 0, Math.min(WINDOW, this.size - pos), pos);
    this.reads++;
  }

  byteAt(pos: number): number {
    if (pos < this.winStart || pos >= this.winStart + this.winLen) this.fill(pos);
    return this.win[pos - this.winStart];
  }

  bytes(pos: number, len: number): Buffer {
    if (len > WINDOW) {
      const b = Buffer.alloc(len);
      readSync(this.fd, b, 0, len, pos);
      this.reads++;
      return b;
    }
    if (pos < this.winStart || pos + len > this.winStart + this.winLen) this.fill(pos);
    return this.win.subarray(pos - this.winStart, pos - this.winStart + len);
  }

  utf8(pos: number, len: number): string {
    if (len > WINDOW) return this.bytes(pos, len).toString('utf8');
    if (pos < this.winStart || pos + len > this.winStart + this.winLen) this.fill(pos);
    return this.win.toString('utf8', pos - this.winStart, pos - this.winStart + len);
  }

  close(): void {
    closeSync(this.fd);
  }
}
