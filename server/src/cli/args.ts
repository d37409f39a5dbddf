// The CLI's options: node:util parseArgs tokenizes (`--name value`, `--name=value`, short aliases `-o FILE`, `--` to
// end options); here each option is checked against its spec (integers, choices, repeatable) and an unknown one is a
// usage error with a did-you-mean.
import { parseArgs as nodeParseArgs } from 'node:util';
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

/** A command's parsed options. */
export type Opts = Parsed['opts'];

/** A `--budget` value: a count (`20000`) or a time in seconds (`10s`); undefined when it is neither. */
export function budgetArg(text: string): { count: number } | { seconds: number } | undefined {
  const m = /^(\d+(?:\.\d+)?)(s?)$/.exec(text.trim());
  if (!m) return undefined;
  return m[2] ? { seconds: Number(m[1]) } : { count: Number(m[1]) };
}

export function parseArgs(argv: string[], spec: Record<string, OptSpec>, command: string): Parsed {
  // node:util's parser splits the command line (`--name value`, `--name=value`, `-o FILE`, `--`); the checks and
  // messages (unknown options with a did-you-mean, integers, choices) are ours.
  const options = Object.fromEntries(
    Object.entries(spec).map(([k, s]) => [
      k,
      {
        type: s.type === 'boolean' ? ('boolean' as const) : ('string' as const),
        ...(s.short ? { short: s.short } : {}),
      },
    ]),
  );
  const { tokens } = nodeParseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  const opts: Parsed['opts'] = {};
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind !== 'option') continue;
    const name = t.name;
    const s = spec[name];
    if (!s) throw unknown(t.rawName, spec, command);
    let v: string | number | boolean;
    if (s.type === 'boolean') {
      if (t.inlineValue && !/^(true|false)$/.test(t.value ?? ''))
        throw new UsageError(`--${name} takes no value (got '${t.value}')`);
      v = t.value !== 'false';
    } else {
      const raw = t.value;
      if (raw === undefined) throw new UsageError(`--${name} needs a value${s.arg ? ` (${s.arg})` : ''}`);
      if (s.type === 'int') {
        if (!/^[0-9]+$/.test(raw) || Number(raw) < 1)
          throw new UsageError(`--${name} must be a positive integer (got '${raw}')`);
        v = Number(raw);
      } else {
        if (s.choices && !s.choices.includes(raw)) {
          const g = didYouMean(raw, s.choices);
          throw new UsageError(
            `--${name} must be one of ${s.choices.join(', ')} (got '${raw}')${g ? `; did you mean '${g}'?` : ''}`,
          );
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
  return new UsageError(
    `unknown option '${flag}' for '${command}'${g ? `; did you mean '${g}'?` : ''} (see accelmap ${command} --help)`,
  );
}

export function optionHelp(spec: Record<string, OptSpec>): string {
  const rows = Object.entries(spec).map(([k, s]) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${k}${s.type === 'boolean' ? '' : ` <${s.arg ?? 'value'}>`}`;
    return [left, s.help + (s.multiple ? ' (repeatable)' : '')];
  });
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([l, h]) => `  ${l.padEnd(w)}  ${h}`).join('\n');
}
