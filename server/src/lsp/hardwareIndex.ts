// Hardware spec files known to the server: those found by scanning the workspace folders at start (kept fresh by
// workspace/didChangeWatchedFiles) plus open documents. A network's `targets:` may name a target of any of them;
// its own `hardware:` files are read from disk when they are not open.
import { promises as fsp, readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { join, sep } from 'node:path';
import { URI } from 'vscode-uri';
import type { SpecDocument } from '../spec/types';
import { matchesAny } from './glob';
import { isYamlOrJsonPath } from './specFilter';
import { safeAnalyze } from './analysisCache';

// ASM: limits so a huge workspace (or a symlink loop) cannot stall start-up.
const MAX_FILES_SCANNED = 20_000;
const MAX_DEPTH = 12;
const MAX_HW_FILE_BYTES = 8 * 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test', '.e2e']);

const HARDWARE_HEAD = [/^kind[ \t]*:[ \t]*["']?hardware\b/m, /"kind"\s*:\s*"hardware"/];

/** Does a YAML/JSON file that is not named like a spec start with `kind: hardware`? (first 4 KiB only) */
async function sniffsHardware(path: string): Promise<boolean> {
  let fh: import('node:fs/promises').FileHandle | undefined;
  try {
    fh = await fsp.open(path, 'r');
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8');
    return HARDWARE_HEAD.some((re) => re.test(head));
  } catch {
    return false;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

function sniffsHardwareSync(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return HARDWARE_HEAD.some((re) => re.test(buf.subarray(0, n).toString('utf8')));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

interface DiskEntry {
  mtimeMs: number;
  size: number;
  doc: SpecDocument;
}

/** The file-system path of a `file:` URI (undefined for other schemes: untitled documents, presets). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return URI.parse(uri, true).fsPath;
  } catch {
    return undefined;
  }
}

/** A file's URI as the editor writes it (vscode-uri: drive letters and characters encoded as VS Code does). */
export function pathToUri(path: string): string {
  return URI.file(path).toString();
}

export class HardwareIndex {
  /** Workspace hardware files on disk by absolute path. */
  private readonly disk = new Map<string, DiskEntry>();
  /** Files read only because a network names them in `hardware:` (outside the workspace index). */
  private readonly external = new Map<string, DiskEntry>();
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
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (++seen > MAX_FILES_SCANNED) return;
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(p, depth + 1);
        } else if (e.isFile() && (matchesAny(p, globs) || (isYamlOrJsonPath(p) && (await sniffsHardware(p)))))
          found.push(p);
      }
    };
    for (const f of folders) await walk(f, 0);
    // A rescan (e.g. other hardware globs) replaces what an earlier scan found in these folders.
    const keep = new Set(found);
    for (const p of [...this.disk.keys()])
      if (!keep.has(p) && folders.some((f) => p.startsWith(f.endsWith(sep) ? f : f + sep))) this.disk.delete(p);
    for (const p of found) this.refresh(p);
    return found.length;
  }

  /**
   * Re-read one workspace file (found by the scan, or created/changed on disk); forget it when it is gone or is
   * no longer a hardware spec.
   */
  refresh(path: string): SpecDocument | undefined {
    const doc = this.load(path, this.disk);
    if (doc?.kind !== 'hardware') this.disk.delete(path);
    return doc;
  }

  remove(path: string): void {
    this.disk.delete(path);
    this.external.delete(path);
  }

  /** Forget every indexed file under `folder` (a workspace folder was removed). */
  dropUnder(folder: string): void {
    const prefix = folder.endsWith(sep) ? folder : folder + sep;
    for (const p of [...this.disk.keys()]) if (p.startsWith(prefix)) this.disk.delete(p);
  }

  /**
   * A file changed on disk (workspace/didChangeWatchedFiles). Returns whether the hardware the server knows may have
   * changed: an indexed or network-only hardware file, a file named like a hardware spec, or a YAML/JSON file that
   * starts with `kind: hardware`. Other files are not read beyond their first 4 KiB.
   */
  onDiskChange(path: string, deleted: boolean, globs: string[]): boolean {
    const known = this.disk.has(path) || this.external.has(path);
    if (deleted) {
      this.remove(path);
      return known;
    }
    this.external.delete(path); // re-read lazily by the network that names it
    if (this.disk.has(path) || matchesAny(path, globs) || (isYamlOrJsonPath(path) && sniffsHardwareSync(path))) {
      this.refresh(path);
      return true;
    }
    return known;
  }

  /**
   * A hardware file by path (a network's `hardware:` entry): the open document's analysis, else the workspace
   * index, else the file read from disk into a separate cache — it serves that network only, not the workspace.
   */
  fileDoc(path: string): SpecDocument | undefined {
    const open = this.openDoc(path);
    if (open) return open;
    if (this.disk.has(path)) return this.refresh(path);
    const doc = this.load(path, this.external);
    if (doc?.kind !== 'hardware') this.external.delete(path);
    return doc;
  }

  /** Every workspace hardware document: open ones first (they win over their disk copy), then the indexed ones. */
  all(): SpecDocument[] {
    const open = this.openHardware();
    const openPaths = new Set(open.map((d) => uriToPath(d.uri)).filter((p): p is string => !!p));
    const rest = [...this.disk.entries()].filter(([p]) => !openPaths.has(p)).map(([, e]) => e.doc);
    return [...open, ...rest];
  }

  /** Read and analyse a file unless `cache` holds it at the same mtime and size. */
  private load(path: string, cache: Map<string, DiskEntry>): SpecDocument | undefined {
    let st: import('node:fs').Stats;
    try {
      st = statSync(path);
    } catch {
      cache.delete(path);
      return undefined;
    }
    if (!st.isFile() || st.size > MAX_HW_FILE_BYTES) {
      cache.delete(path);
      return undefined;
    }
    const old = cache.get(path);
    if (old && old.mtimeMs === st.mtimeMs && old.size === st.size) return old.doc;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      cache.delete(path);
      return undefined;
    }
    const doc = safeAnalyze(pathToUri(path), text, undefined, this.log);
    cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, doc });
    return doc;
  }

  get size(): number {
    return this.disk.size;
  }
}
