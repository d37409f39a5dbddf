// Loading specs for the CLI: network files (.yaml/.yml/.json, or .onnx imported in memory) and hardware files,
// analysed by the spec core exactly as the editor analyses them, and the choice of targets
// (docs/spec-format.md "Which targets a network is evaluated on").
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { URI } from 'vscode-uri';
import { chooseTargetNames, defaultTargetNames, hardwarePathsOf, type TargetSource } from '../spec/targetChoice';
import { analyze, resolveTargets } from '../spec/index';
import type { NetworkModel, SpecDiagnostic, SpecDocument, TargetModel } from '../spec/types';
import { importOnnxFileSync, ImportError, type ImportOptions } from '../onnx/index';
import { CliError } from './io';
import { formatDiagnostic, fromSpec, ONNX_ERROR, ONNX_WARNING, type PrintedDiagnostic } from './diagnostics';

export const isOnnx = (p: string): boolean => extname(p).toLowerCase() === '.onnx';
const SPEC_EXT = /\.(ya?ml|json)$/i;

export function readText(path: string): string {
  try {
    if (!statSync(path).isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export interface LoadedDoc {
  path: string;
  doc?: SpecDocument;
  /** Diagnostics to print: the spec core's, or the importer's for .onnx. */
  diagnostics: PrintedDiagnostic[];
  /** The YAML an .onnx was imported to. */
  importedYaml?: string;
}

export function analyzeFile(
  path: string,
  opts: { batch?: number; hardwareDocs?: SpecDocument[]; onnx?: ImportOptions } = {},
): LoadedDoc {
  if (isOnnx(path)) return analyzeOnnx(path, { ...opts.onnx, batch: opts.batch });
  if (!SPEC_EXT.test(path)) throw new CliError(`${path}: not a spec file (expected .yaml, .yml, .json or .onnx)`);
  const text = readText(path);
  const doc = analyze(URI.file(path).toString(), text, { hardwareDocs: opts.hardwareDocs });
  return { path, doc, diagnostics: doc.diagnostics.map((d) => fromSpec(path, d)) };
}

function analyzeOnnx(path: string, io: ImportOptions): LoadedDoc {
  let r;
  try {
    r = importOnnxFileSync(path, io);
  } catch (e) {
    if (e instanceof ImportError) {
      const msg = e.message.startsWith(path + ': ') ? e.message.slice(path.length + 2) : e.message;
      return {
        path,
        diagnostics: [{ file: path, line: 1, col: 1, severity: 'error', code: ONNX_ERROR, message: msg }],
      };
    }
    throw e;
  }
  const diagnostics: PrintedDiagnostic[] = r.warnings.map((w) => ({
    file: path,
    line: 1,
    col: 1,
    severity: 'warning',
    code: ONNX_WARNING,
    message: w,
  }));
  // The imported spec is analysed like a hand-written one; its findings point at the ONNX file (there is no text
  // to point into) and name the generated line.
  const doc = analyze(URI.file(path + '.net.yaml').toString(), r.yaml);
  for (const d of doc.diagnostics) {
    if (d.code === 'AM4012') continue; // `unsupported` layers: the importer's warning above already names the node
    diagnostics.push({
      ...fromSpec(path, d),
      line: 1,
      col: 1,
      message: `${d.message} (imported spec line ${d.range.start.line + 1})`,
    });
  }
  return { path, doc, diagnostics, importedYaml: r.yaml };
}

/** Loads a network for simulation; spec errors (or import errors) stop here with every diagnostic listed. */
export function loadNetwork(
  path: string,
  batch?: number,
  onnx?: ImportOptions,
): { network: NetworkModel; loaded: LoadedDoc } {
  const loaded = analyzeFile(path, { batch, onnx });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    throw new CliError(
      `${path} has ${errors.length} error${errors.length > 1 ? 's' : ''}:\n${errors.map(formatDiagnostic).join('\n')}`,
    );
  }
  const doc = loaded.doc!;
  if (doc.kind !== 'network' || !doc.network) {
    throw new CliError(
      `${path}: not a network spec (it needs \`kind: network\`${doc.kind === 'hardware' ? '; this is a hardware spec — pass it with --hw' : ''})`,
    );
  }
  return { network: doc.network, loaded };
}

export function loadHardware(paths: string[]): SpecDocument[] {
  const docs: SpecDocument[] = [];
  for (const p of paths) {
    const l = analyzeFile(p, { hardwareDocs: docs });
    const errors = l.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length)
      throw new CliError(
        `${p} has ${errors.length} error${errors.length > 1 ? 's' : ''}:\n${errors.map(formatDiagnostic).join('\n')}`,
      );
    if (l.doc?.kind !== 'hardware') throw new CliError(`${p}: not a hardware spec (it needs \`kind: hardware\`)`);
    docs.push(l.doc);
  }
  return docs;
}

export { defaultTargetNames };

export interface TargetChoice {
  targets: TargetModel[];
  source: Exclude<TargetSource, 'setting'>;
}

/**
 * --target names (looked up in the --hw files, the network's hardware files, then the presets); else every target
 * of the --hw files; else the network's `targets:` (its hardware files, then presets); else one preset per kind.
 */
export function chooseTargets(
  networkPath: string,
  net: NetworkModel,
  hwPaths: string[],
  targetNames: string[],
  baseline?: string,
): TargetChoice {
  const hwDocs = loadHardware(hwPaths.map((p) => resolve(p)));
  const ownPaths = isOnnx(networkPath) ? [] : hardwarePathsOf(networkPath, net.hardwareFiles);
  const ownDocs = loadHardware(ownPaths.filter((p) => !hwPaths.map((h) => resolve(h)).includes(p)));
  const all = [...hwDocs, ...ownDocs];
  const pick = (names: string[], what: string): TargetModel[] => {
    const r = resolveTargets(names, all);
    const errs = r.diagnostics.filter((d: SpecDiagnostic) => d.severity === 'error');
    if (errs.length) throw new CliError(`${what}: ${errs.map((d) => d.message).join('; ')}`);
    return r.targets;
  };
  const hwTargets = hwDocs.flatMap((d) => d.hardware?.targets.map((t) => t.name) ?? []);
  if (!targetNames.length && hwDocs.length && !hwTargets.length) throw new CliError(`the --hw files define no targets`);
  const { names, source } = chooseTargetNames({ option: targetNames, hwTargets, network: net.targets });
  const what = {
    option: '--target',
    hw: '--hw',
    network: `${networkPath}: targets`,
    setting: 'accelmap.targets',
    default: 'default targets',
  }[source];
  const choice: TargetChoice = { targets: pick(names, what), source: source as TargetChoice['source'] };
  // A baseline outside the chosen targets is added in front (it is what the others are compared with).
  if (baseline !== undefined && !choice.targets.some((t) => t.name === baseline))
    choice.targets.unshift(...pick([baseline], '--baseline'));
  return choice;
}
