// Which targets a network document is evaluated on in the editor (docs/spec-format.md "Which targets"):
// the network's `targets:`, else the setting `accelmap.targets`, else one preset of every kind.
// Names are looked up in the network's `hardware:` files, then the workspace's hardware files, then the presets
// (resolveTargets does the lookup; this file only gathers the documents and places the diagnostics).
import { resolveTargets } from '../spec';
import {
  chooseTargetNames,
  defaultTargetNames,
  hardwarePathsOf,
  type TargetSource as ChoiceSource,
} from '../spec/targetChoice';
import type { NetworkModel, SpecDiagnostic, SpecDocument, TargetModel, Range } from '../spec/types';
import type { HardwareIndex } from './hardwareIndex';
import { pathToUri, uriToPath } from './hardwareIndex';

/** Codes the server adds itself (the spec core owns AM1xxx-AM9xxx titles in spec/codes.ts; these sit in AM58xx). */
export const CODE_HARDWARE_FILE_MISSING = 'AM5801';
export const CODE_SETTING_TARGET_UNKNOWN = 'AM5802';

export type TargetSource = Extract<ChoiceSource, 'network' | 'setting' | 'default'>;

export interface NetworkTargets {
  targets: TargetModel[];
  diagnostics: SpecDiagnostic[];
  source: TargetSource;
  /** Hardware documents consulted (network's own files first). */
  hardwareDocs: SpecDocument[];
  /** Absolute paths of the network's `hardware:` files (to re-simulate when one is saved). */
  hardwarePaths: string[];
}

export { defaultTargetNames };

/** resolveTargets knows no ranges of the network; its diagnostics for one name belong on that `targets:` entry. */
function rerange(diags: SpecDiagnostic[], at: Range | undefined): SpecDiagnostic[] {
  return at ? diags.map((d) => ({ ...d, range: at })) : diags;
}

export function networkTargets(
  doc: SpecDocument,
  net: NetworkModel,
  hw: HardwareIndex,
  settingTargets: string[],
): NetworkTargets {
  const diagnostics: SpecDiagnostic[] = [];
  const own: SpecDocument[] = [];
  const hardwarePaths: string[] = [];
  const netPath = uriToPath(doc.uri);
  const hwRange = net.ranges.keys['hardware'];
  // an untitled network cannot name files relative to itself
  const paths = netPath ? hardwarePathsOf(netPath, net.hardwareFiles) : [];
  net.hardwareFiles.forEach((rel, i) => {
    const abs = paths[i];
    if (abs === undefined) return;
    hardwarePaths.push(abs);
    const hd = hw.fileDoc(abs);
    if (hd?.kind === 'hardware') own.push(hd);
    else if (hwRange) {
      diagnostics.push({
        range: hwRange,
        severity: 'error',
        code: CODE_HARDWARE_FILE_MISSING,
        message: hd
          ? `\`${rel}\` is not a hardware spec (it has no \`kind: hardware\`). Name a *.hw.yaml file here.`
          : `Hardware file \`${rel}\` not found (looked for ${abs}). Fix the path (relative to this file) or remove it.`,
      });
    }
  });
  const ownUris = new Set(own.map((d) => d.uri));
  const hardwareDocs = [...own, ...hw.all().filter((d) => !ownUris.has(d.uri) && d.uri !== doc.uri)];

  const targets: TargetModel[] = [];
  const seen = new Set<string>();
  const add = (ts: TargetModel[]) => {
    for (const t of ts)
      if (!seen.has(t.name)) {
        seen.add(t.name);
        targets.push(t);
      }
  };
  const { names, source } = chooseTargetNames({ network: net.targets, setting: settingTargets }) as {
    names: string[];
    source: TargetSource;
  };
  if (source === 'network') {
    // Resolved one name at a time so each unknown name's diagnostic sits on its own `targets:` entry.
    names.forEach((name, i) => {
      const at = net.ranges.targetEntries[i] ?? net.ranges.keys['targets'];
      const r = resolveTargets([name], hardwareDocs, at ? [at] : undefined);
      add(r.targets);
      diagnostics.push(...rerange(r.diagnostics, at));
    });
  } else if (source === 'setting') {
    const r = resolveTargets(names, hardwareDocs);
    add(r.targets);
    const at = net.ranges.keys['name'] ?? net.ranges.root;
    for (const d of r.diagnostics) {
      diagnostics.push({
        range: { start: at.start, end: at.start.line === at.end.line ? at.end : at.start },
        severity: 'warning',
        code: CODE_SETTING_TARGET_UNKNOWN,
        message: `Setting accelmap.targets: ${d.message}`,
      });
    }
  } else add(resolveTargets(names, []).targets);
  return { targets, diagnostics, source, hardwareDocs, hardwarePaths };
}

export { pathToUri };
