// accelmap/presetSource: a built-in preset rendered as a read-only hardware spec (the target of go-to-definition on
// `extends: <preset>`, shown by the client under accelmap-preset:/<name>.hw.yaml). Each value carries its source as
// a comment: the preset's citation with its tag (SRC/DER/REC/ASM), or "default" with the kind default's reason.
// Values are the resolved preset's (SI) written back with formatQuantity, so the text analyses to the same target.
import { KINDS } from '../kinds/params';
import type { Dimension, KindSpec, PresetSpec } from '../spec/params';
import type { ParamValue } from '../spec/types';
import type { PresetSourceResponse } from './protocol';
import { PRESET_SCHEME } from './protocol';
import { paramValueText, presetTarget } from '../spec';

export function presetUri(name: string): string {
  return `${PRESET_SCHEME}:/${encodeURIComponent(name)}.hw.yaml`;
}

/** The preset name of an accelmap-preset: uri. */
export function presetNameOf(uri: string): string | undefined {
  const m = /^accelmap-preset:\/*(.+?)\.hw\.yaml$/.exec(uri);
  return m ? decodeURIComponent(m[1]) : undefined;
}

export function findPreset(name: string): { kind: KindSpec; preset: PresetSpec } | undefined {
  for (const kind of KINDS) {
    const preset = kind.presets.find((p) => p.name === name);
    if (preset) return { kind, preset };
  }
  return undefined;
}

/** A resolved (SI) value written back as a spec value, with its unit where the dimension has one. */
export const specValue = (value: ParamValue, dim: Dimension): ParamValue => paramValueText(value, dim);

function scalar(v: ParamValue): string {
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z0-9][\w ./+-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|~)$/i.test(v) ? v : JSON.stringify(v);
}

function comment(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function renderPreset(name: string): PresetSourceResponse | undefined {
  const found = findPreset(name);
  if (!found) return undefined;
  const { kind, preset } = found;
  // Values come from the resolved preset (SI, every parameter of the kind) so the text re-parses to the same target.
  const resolved = presetTarget(preset.name);
  const lines: string[] = [
    `# Built-in accelmap preset \`${preset.name}\` (read-only).`,
    `# ${comment(preset.description)}`,
    '# Use it with `extends: ' + preset.name + '` in a *.hw.yaml target and override any value there.',
    '# Tags: SRC stated in a source, DER derived from sources, REC recalled/unverified, ASM an assumption.',
  ];
  for (const n of preset.notes) lines.push(`# note: ${comment(n)}`);
  for (const f of preset.keyFigures ?? []) lines.push(`# reproduces: ${comment(f)}`);
  lines.push(
    'kind: hardware',
    'targets:',
    `  - name: ${scalar(preset.name)}`,
    `    kind: ${preset.kind}`,
    `    description: ${JSON.stringify(preset.description)}`,
  );
  // Group dotted paths (`compute.clock`) into nested mappings, keeping the kind's declaration order.
  let openGroups: string[] = [];
  for (const p of kind.params) {
    const parts = p.path.split('.');
    const groups = parts.slice(0, -1);
    let same = 0;
    while (same < groups.length && same < openGroups.length && groups[same] === openGroups[same]) same++;
    for (let i = same; i < groups.length; i++) lines.push(`${'  '.repeat(i + 2)}${groups[i]}:`);
    openGroups = groups;
    const value = resolved?.params[p.path] ?? p.default;
    const prov = resolved?.provenance[p.path];
    const src =
      prov?.from === 'preset'
        ? `${prov.tag}: ${prov.source}`
        : prov?.from === 'default'
          ? `default (${prov.tag}): ${prov.source}`
          : `default (${p.defaultTag}): ${p.defaultSource}`;
    lines.push(
      `${'  '.repeat(groups.length + 2)}${parts[parts.length - 1]}: ${scalar(specValue(value, p.dim))}  # ${comment(src)}`,
    );
  }
  return { name: preset.name, text: lines.join('\n') + '\n' };
}
