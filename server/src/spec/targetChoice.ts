// Which targets a network is evaluated on, once for the CLI and the editor: the first of
//   the command line's --target names; the targets of its --hw files; the network's `targets:`; the editor's
//   `accelmap.targets` setting; one preset of every kind
// that says anything. Names then resolve (spec/resolve.ts) against the network's `hardware:` files (paths relative
// to the network's file), the workspace's or --hw hardware files, then the presets.
import { URI, Utils } from 'vscode-uri';
import { KINDS } from '../kinds/params';

export type TargetSource = 'option' | 'hw' | 'network' | 'setting' | 'default';

/** One preset of every kind (the first preset each kind declares). */
export function defaultTargetNames(): string[] {
  return KINDS.map((k) => k.presets[0]?.name).filter((n): n is string => !!n);
}

/** The target names to evaluate and where they came from. */
export function chooseTargetNames(o: {
  option?: readonly string[];
  hwTargets?: readonly string[];
  network: readonly string[];
  setting?: readonly string[];
}): { names: string[]; source: TargetSource } {
  if (o.option?.length) return { names: [...o.option], source: 'option' };
  if (o.hwTargets?.length) return { names: [...o.hwTargets], source: 'hw' };
  if (o.network.length) return { names: [...o.network], source: 'network' };
  if (o.setting?.length) return { names: [...o.setting], source: 'setting' };
  return { names: defaultTargetNames(), source: 'default' };
}

/** A network's `hardware:` files as absolute paths (relative to the network's folder). */
export function hardwarePathsOf(networkPath: string, files: readonly string[]): string[] {
  const dir = Utils.dirname(URI.file(networkPath));
  return files.map(
    (rel) => (rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel) ? URI.file(rel) : Utils.resolvePath(dir, rel)).fsPath,
  );
}
