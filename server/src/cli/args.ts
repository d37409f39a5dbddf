// A small argv parser: `--name value`, `--name=value`, short aliases (`-o FILE`), repeatable options, `--` to end
// options. Unknown options are usage errors with a did-you-mean.
import { didYouMean } from '../spec/suggest';
import { UsageError } from './io';

export interface OptSpec {
  type: 'string' | 'int' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Allowed values (for a string). */
  choices?: readonly string[];
  /** Placeholder shown in help. */
  arg?: string;
  help: string;
}

export interface Parsed {
  positionals: string[];
  opts: Record<string, string | number | boolean | string[] | undefined>;
}

export function parseArgs(argv: string[], spec: Record<string, OptSpec>, command: string): Parsed {
  const positionals: string[] = [];
  const opts: Parsed['opts'] = {};
  const byShort = new Map(Object.entries(spec).filter(([, s]) => s.short).map(([k, s]) => [s.short!, k]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { positionals.push(a); continue; }
    let name: string | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
    } else {
      name = byShort.get(a.slice(1, 2));
      inline = a.length > 2 ? a.slice(2).replace(/^=/, '') : undefined;
      if (!name) throw unknown(a, spec, command);
    }
    const s = spec[name];
    if (!s) throw unknown(a.split('=')[0], spec, command);
    let v: string | number | boolean;
    if (s.type === 'boolean') {
      if (inline !== undefined && !/^(true|false)$/.test(inline)) throw new UsageError(`--${name} takes no value (got '${inline}')`);
      v = inline !== 'false';
    } else {
      const raw = inline ?? argv[++i];
      if (raw === undefined) throw new UsageError(`--${name} needs a value${s.arg ? ` (${s.arg})` : ''}`);
      if (s.type === 'int') {
        if (!/^[0-9]+$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name} must be a positive integer (got '${raw}')`);
        v = Number(raw);
      } else {
        if (s.choices && !s.choices.includes(raw)) {
          const g = didYouMean(raw, s.choices);
          throw new UsageError(`--${name} must be one of ${s.choices.join(', ')} (got '${raw}')${g ? `; did you mean '${g}'?` : ''}`);
        }
        v = raw;
      }
    }
    if (s.multiple) {
      const list = (opts[name] as string[] | undefined) ?? [];
      list.push(String(v));
      opts[name] = list;
    } else opts[name] = v;
  }
  return { positionals, opts };
}

function unknown(flag: string, spec: Record<string, OptSpec>, command: string): UsageError {
  const names = Object.keys(spec).map((k) => `--${k}`);
  const g = didYouMean(flag, names);
  return new UsageError(`unknown option '${flag}' for '${command}'${g ? `; did you mean '${g}'?` : ''} (see accelmap ${command} --help)`);
}

export function optionHelp(spec: Record<string, OptSpec>): string {
  const rows = Object.entries(spec).map(([k, s]) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${k}${s.type === 'boolean' ? '' : ` <${s.arg ?? 'value'}>`}`;
    return [left, s.help + (s.multiple ? ' (repeatable)' : '')];
  });
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([l, h]) => `  ${l.padEnd(w)}  ${h}`).join('\n');
}
