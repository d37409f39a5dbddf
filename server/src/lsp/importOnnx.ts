// accelmap/importOnnx: import an ONNX model with the importer and write the network spec next to it.
// Never overwrites an existing file unless asked; writes atomically (temp file in the same folder, then rename),
// so an editor watching the path never sees half a file.
import { existsSync, promises as fsp } from 'node:fs';
import { dirname, basename, join, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ImportError, importOnnxFile } from '../onnx';
import type { ImportOnnxParams, ImportOnnxResponse } from './protocol';

export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fsp.writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
    await fsp.rename(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

export async function importOnnx(p: ImportOnnxParams): Promise<ImportOnnxResponse> {
  const base = { written: false, outPath: p?.outPath ?? '', warnings: [] as string[], layerCount: 0 };
  if (
    !p ||
    typeof p.path !== 'string' ||
    typeof p.outPath !== 'string' ||
    !isAbsolute(p.path) ||
    !isAbsolute(p.outPath)
  ) {
    return { ...base, reason: 'error', error: 'importOnnx needs absolute `path` and `outPath`.' };
  }
  if (!p.overwrite && existsSync(p.outPath)) {
    return { ...base, reason: 'exists', error: `${p.outPath} already exists; set overwrite to replace it.` };
  }
  try {
    const dims =
      p.dims && typeof p.dims === 'object'
        ? Object.fromEntries(Object.entries(p.dims).filter(([, v]) => Number.isInteger(v) && v > 0))
        : undefined;
    const r = await importOnnxFile(p.path, { batch: p.batch, name: p.name, dims });
    // Check again right before writing: the file may have appeared while the model was being read.
    if (!p.overwrite && existsSync(p.outPath)) {
      return {
        ...base,
        reason: 'exists',
        error: `${p.outPath} already exists; set overwrite to replace it.`,
        warnings: r.warnings,
        layerCount: r.layerCount,
      };
    }
    await writeAtomic(p.outPath, r.yaml);
    return { written: true, outPath: p.outPath, warnings: r.warnings, layerCount: r.layerCount };
  } catch (err) {
    const missingDims = err instanceof ImportError ? err.missingDims : undefined;
    return {
      ...base,
      reason: 'error',
      error: err instanceof Error ? err.message : String(err),
      ...(missingDims ? { missingDims } : {}),
    };
  }
}
