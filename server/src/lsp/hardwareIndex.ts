// Hardware spec files known to the server: those found by scanning the workspace folders at start (kept fresh by
// workspace/didChangeWatchedFiles) plus open documents. A network's `targets:` may name a target of any of them;
// its own `hardware:` files are read from disk when they are not open.
import { promises as fsp, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SpecDocument } from '../spec/types';
import { matchesAny } from './glob';
import { safeAnalyze } from './analysisCache';

// ASM: limits so a huge workspace (or a symlink loop) cannot stall start-up.
const MAX_FILES_SCANNED = 20_000;
const MAX_DEPTH = 12;
const MAX_HW_FILE_BYTES = 8 * 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test', '.e2e']);

interface DiskEntry { mtimeMs: number; size: number; doc: SpecDocument }

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).toString();
}

export class HardwareIndex {
  /** Hardware files on disk by absolute path. */
  private readonly disk = new Map<string, DiskEntry>();
  constructor(
    private readonly log: (m: string) => void,
    /** The analysis of an open document by file path, when it is open. */
    private readonly openDoc: (path: string) => SpecDocument | undefined,
    /** Open hardware documents (any scheme). */
    private readonly openHardware: () => SpecDocument[],
  ) {}

  /** Walk the folders for files matching the hardware globs and analyse them. */
  async scan(folders: string[], globs: string[]): Promise<number> {
    let seen = 0;
    const found: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH || seen > MAX_FILES_SCANNED) return;
      let entries: import('node:fs').Dirent[];
      try { entries = await fsp.readdir(dir, { withFileTypes: true }); } catch { return; }
      for (const e of entries) {
        if (++seen > MAX_FILES_SCANNED) return;
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(p, depth + 1);
        } else if (e.isFile() && matchesAny(p, globs)) found.push(p);
      }
    };
    for (const f of folders) await walk(f, 0);
    for (const p of found) this.refresh(p);
    return found.length;
  }

  /** Re-read one file (created/changed on disk); forget it when it is gone. */
  refresh(path: string): SpecDocument | undefined {
    let st: import('node:fs').Stats;
    try { st = statSync(path); } catch { this.disk.delete(path); return undefined; }
    if (!st.isFile() || st.size > MAX_HW_FILE_BYTES) { this.disk.delete(path); return undefined; }
    const old = this.disk.get(path);
    if (old && old.mtimeMs === st.mtimeMs && old.size === st.size) return old.doc;
    let text: string;
    try { text = readFileSync(path, 'utf8'); } catch { this.disk.delete(path); return undefined; }
    const doc = safeAnalyze(pathToUri(path), text, undefined, this.log);
    if (doc.kind !== 'hardware') { this.disk.delete(path); return doc; }
    this.disk.set(path, { mtimeMs: st.mtimeMs, size: st.size, doc });
    return doc;
  }

  remove(path: string): void { this.disk.delete(path); }

  /** A hardware file by path: the open document's analysis, else the file on disk (undefined when unreadable). */
  fileDoc(path: string): SpecDocument | undefined {
    return this.openDoc(path) ?? this.refresh(path);
  }

  /** Every known hardware document: open ones first (they win over their disk copy), then disk-only ones. */
  all(): SpecDocument[] {
    const open = this.openHardware();
    const openPaths = new Set(open.map((d) => uriToPath(d.uri)).filter((p): p is string => !!p));
    const rest = [...this.disk.entries()].filter(([p]) => !openPaths.has(p)).map(([, e]) => e.doc);
    return [...open, ...rest];
  }

  get size(): number { return this.disk.size; }
}
