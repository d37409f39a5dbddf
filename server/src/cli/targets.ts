// `accelmap targets [--format json]`: the built-in presets with their kind, key figures, notes and sources.
import { KINDS } from '../kinds/params';
import { parseArgs, optionHelp, type OptSpec } from './args';
import type { CliIO } from './io';

export const TARGETS_OPTIONS: Record<string, OptSpec> = {
  format: { type: 'string', choices: ['table', 'json'], short: 'f', arg: 'fmt', help: 'table (default) or json' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export interface PresetListing {
  name: string;
  kind: string;
  title: string;
  description: string;
  keyFigures: string[];
  notes: string[];
  values: Record<string, { value: string | number | boolean; tag: string; source: string }>;
  /** Citation tags ([N1], [G2] ...) of the sources its values cite (seed-systems.md lists them). */
  sources: string[];
  /** How many of its values are SRC / DER / REC / ASM. */
  tags: Record<string, number>;
}

/** Citation tags ([N1] ...) of the sources; sources without a tag are named by their first clause. */
function citations(sources: string[]): string[] {
  const out = new Set<string>();
  for (const src of sources) {
    const tags = src.match(/\[[A-Z][A-Za-z]*\d+\]/g);
    if (tags) tags.forEach((t) => out.add(t));
    else {
      const first = src.split(/[:(;]/)[0].trim();
      if (/datasheet|specifications|\.json$|arXiv/i.test(first)) out.add(first);
    }
  }
  return [...out].sort();
}

export function listPresets(): PresetListing[] {
  return KINDS.flatMap((k) =>
    k.presets.map((p) => ({
      name: p.name,
      kind: p.kind,
      title: k.title,
      description: p.description,
      keyFigures: p.keyFigures ?? [],
      notes: p.notes,
      values: Object.fromEntries(
        Object.entries(p.values).map(([path, v]) => [path, { value: v.value, tag: v.tag, source: v.source }]),
      ),
      sources: citations(Object.values(p.values).map((v) => v.source)),
      tags: Object.values(p.values).reduce<Record<string, number>>(
        (acc, v) => ({ ...acc, [v.tag]: (acc[v.tag] ?? 0) + 1 }),
        {},
      ),
    })),
  );
}

export function targetsCommand(argv: string[], io: CliIO): number {
  const { opts, positionals } = parseArgs(argv, TARGETS_OPTIONS, 'targets');
  if (opts.help) {
    io.out(`usage: accelmap targets [options]\n\noptions:\n${optionHelp(TARGETS_OPTIONS)}\n`);
    return 0;
  }
  if (positionals.length) io.err(`note: 'targets' takes no files (ignored: ${positionals.join(' ')})\n`);
  const list = listPresets();
  if (opts.format === 'json') {
    io.out(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  const lines: string[] = [];
  for (const p of list) {
    lines.push(`${p.name}  (${p.kind}: ${p.title})`);
    lines.push(`  ${p.description}`);
    for (const f of p.keyFigures) lines.push(`  • ${f}`);
    for (const n of p.notes) lines.push(`  note: ${n}`);
    const tags = ['SRC', 'DER', 'REC', 'ASM']
      .filter((t) => p.tags[t])
      .map((t) => `${p.tags[t]} ${t}`)
      .join(', ');
    lines.push(
      `  sources: ${p.sources.join('; ') || '—'}  (values: ${tags}; \`accelmap targets --format json\` has each value's citation)`,
    );
    lines.push('');
  }
  io.out(lines.join('\n'));
  return 0;
}
