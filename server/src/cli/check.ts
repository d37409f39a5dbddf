// `accelmap check <files...>`: the diagnostics the editor shows, as `file:line:col: severity code message`.
// Exit 1 when any error, else 0. Hardware files given together are visible to each other's `extends` and to the
// networks' `targets:`; .onnx files are imported and their spec checked.
import { dirname, join, relative, resolve } from 'node:path';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolveTargets } from '../spec/index';
import type { SpecDocument } from '../spec/types';
import { parseArgs, optionHelp, type OptSpec } from './args';
import { UsageError, type CliIO } from './io';
import { analyzeFile, isOnnx, type LoadedDoc } from './load';
import { formatDiagnostic, fromSpec, type PrintedDiagnostic } from './diagnostics';
import { importOptions, ONNX_OPTIONS } from './training';
import type { ImportOptions } from '../onnx/index';
import { specKindByName } from '../spec/files';

export const CHECK_OPTIONS: Record<string, OptSpec> = {
  batch: { type: 'int', short: 'b', arg: 'N', help: 'batch size for .onnx files with a dynamic batch' },
  ...ONNX_OPTIONS,
  quiet: { type: 'boolean', short: 'q', help: 'print errors only' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export function checkFiles(paths: string[], batch?: number, onnx?: ImportOptions): PrintedDiagnostic[] {
  // Hardware files first so that networks and other hardware files can name their targets.
  const loaded = new Map<string, LoadedDoc>();
  const hwDocs: SpecDocument[] = [];
  const order = [...paths].sort(
    (a, b) => Number(specKindByName(a) !== 'hardware') - Number(specKindByName(b) !== 'hardware'),
  );
  for (const p of order) {
    const l = analyzeFile(p, { batch, hardwareDocs: hwDocs, onnx });
    loaded.set(p, l);
    if (l.doc?.kind === 'hardware') hwDocs.push(l.doc);
  }
  const out: PrintedDiagnostic[] = [];
  for (const p of paths) {
    const l = loaded.get(p)!;
    out.push(...l.diagnostics);
    const net = l.doc?.network;
    if (!net || isOnnx(p)) continue;
    // Target names of the network, against its hardware files, the other files checked, then the presets.
    const own: SpecDocument[] = [];
    net.hardwareFiles.forEach((rel) => {
      const abs = resolve(dirname(p), rel);
      const at = net.ranges.keys['hardware'] ?? net.ranges.root;
      if (!existsSync(abs)) {
        out.push(
          fromSpec(p, {
            range: at,
            severity: 'error',
            code: 'AM5801',
            message: `Hardware file \`${rel}\` not found (looked for ${abs}). Fix the path (relative to this file) or remove it.`,
          }),
        );
        return;
      }
      const known = [...loaded.entries()].find(([k]) => resolve(k) === abs)?.[1];
      const hd = known ?? analyzeFile(abs, { hardwareDocs: hwDocs });
      if (hd.doc?.kind === 'hardware') own.push(hd.doc);
      else
        out.push(
          fromSpec(p, {
            range: at,
            severity: 'error',
            code: 'AM5801',
            message: `\`${rel}\` is not a hardware spec (it has no \`kind: hardware\`). Name a *.hw.yaml file here.`,
          }),
        );
    });
    net.targets.forEach((name, i) => {
      const at = net.ranges.targetEntries[i] ?? net.ranges.keys['targets'] ?? net.ranges.root;
      for (const d of resolveTargets([name], [...own, ...hwDocs]).diagnostics)
        out.push(fromSpec(p, { ...d, range: at }));
    });
  }
  return out;
}

export function checkCommand(argv: string[], io: CliIO): number {
  const { positionals, opts } = parseArgs(argv, CHECK_OPTIONS, 'check');
  if (opts.help) {
    io.out(`usage: accelmap check <files...> [options]\n\noptions:\n${optionHelp(CHECK_OPTIONS)}\n`);
    return 0;
  }
  if (!positionals.length) throw new UsageError('check needs at least one file; usage: accelmap check <files...>');
  const abs = positionals.flatMap((p) => expand(resolve(io.cwd, p)));
  if (!abs.length) throw new UsageError(`no spec or .onnx files under ${positionals.join(' ')}`);
  const diags = checkFiles(abs, opts.batch as number | undefined, importOptions(opts));
  const shown = opts.quiet ? diags.filter((d) => d.severity === 'error') : diags;
  for (const d of shown) io.out(formatDiagnostic({ ...d, file: display(io.cwd, d.file) }) + '\n');
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.filter((d) => d.severity === 'warning').length;
  io.err(
    `${abs.length} file${abs.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
  );
  return errors ? 1 : 0;
}

/** A folder stands for the spec and .onnx files under it (recursively, skipping node_modules and dot folders). */
function expand(p: string): string[] {
  let st;
  try {
    st = statSync(p);
  } catch {
    return [p];
  } // a missing file is reported by the check itself
  if (!st.isDirectory()) return [p];
  const out: string[] = [];
  for (const e of readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const f = join(p, e.name);
    if (e.isDirectory()) out.push(...expand(f));
    else if (specKindByName(e.name) || /\.onnx$/i.test(e.name)) out.push(f);
  }
  return out;
}

function display(cwd: string, file: string): string {
  const r = relative(cwd, file);
  return r && !r.startsWith('..') ? r : file;
}
