// Reading typed values out of the syntax tree with diagnostics: one reader per ValueType of vocab.ts.
// Each returns undefined after reporting when the value is unusable, so callers fall back to defaults.
import type { AstMap, AstNode, AstScalar } from './ast';
import { clip, describe } from './ast';
import type { Diags } from './diag';
import type { KeyInfo, ValueType } from './vocab';
import { didYouMean } from './suggest';

/** A finite number from a scalar, or undefined after an AM2004/AM2008 diagnostic. `what` names the key. */
export function readNumber(n: AstNode, what: string, d: Diags): number | undefined {
  if (n.t !== 'scalar' || typeof n.value !== 'number') {
    if (
      n.t === 'scalar' &&
      typeof n.value === 'string' &&
      /^\s*[-+]?(\.?\d)/.test(n.value) &&
      Number.isFinite(Number(n.value))
    ) {
      d.error('AM2004', n, `\`${what}\` must be a number, not the string \`${clip(n.text)}\`: remove the quotes.`, [
        d.replaceFix(`Write ${n.value.trim()}`, n, n.value.trim()),
      ]);
      return undefined;
    }
    if (n.t === 'scalar' && typeof n.value === 'string' && /^[-+]?(nan|inf(inity)?)$/i.test(n.value.trim())) {
      d.error('AM2008', n, `\`${what}\` must be a finite number; \`${clip(n.text)}\` is not. Write a real value.`);
      return undefined;
    }
    d.error('AM2004', n, `\`${what}\` must be a number, not ${describe(n)}.`);
    return undefined;
  }
  if (!Number.isFinite(n.value)) {
    const why = Number.isNaN(n.value) ? 'is not a number (NaN)' : 'overflows to infinity';
    d.error('AM2008', n, `\`${what}\`: \`${clip(n.text)}\` ${why}. Write a finite value.`);
    return undefined;
  }
  return n.value;
}

function rangeText(min?: number, max?: number, exMin?: boolean, exMax?: boolean): string {
  if (min !== undefined && max !== undefined) return `in ${exMin ? '(' : '['}${min}, ${max}${exMax ? ')' : ']'}`;
  if (min !== undefined) return `${exMin ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${exMax ? '<' : '<='} ${max}`;
  return '';
}

export function readInt(n: AstNode, what: string, d: Diags, min?: number, max?: number): number | undefined {
  const v = readNumber(n, what, d);
  if (v === undefined) return undefined;
  if (!Number.isInteger(v)) {
    d.error('AM2009', n, `\`${what}\` must be an integer, not ${v}.`, [
      d.replaceFix(`Write ${Math.round(v)}`, n, String(Math.round(v))),
    ]);
    return undefined;
  }
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
    d.error('AM2005', n, `\`${what}\` must be an integer ${rangeText(min, max)}; it is ${v}.`);
    return undefined;
  }
  if (!Number.isSafeInteger(v)) {
    d.error(
      'AM2005',
      n,
      `\`${what}\` = ${clip(n.t === 'scalar' ? n.text : '')} is too large to count exactly; use a smaller value.`,
    );
    return undefined;
  }
  return v;
}

export function readReal(
  n: AstNode,
  what: string,
  d: Diags,
  t: Extract<ValueType, { t: 'number' }>,
): number | undefined {
  const v = readNumber(n, what, d);
  if (v === undefined) return undefined;
  const low = t.min !== undefined && (t.exclusiveMin ? v <= t.min : v < t.min);
  const high = t.max !== undefined && (t.exclusiveMax ? v >= t.max : v > t.max);
  if (low || high) {
    d.error('AM2005', n, `\`${what}\` must be ${rangeText(t.min, t.max, t.exclusiveMin, t.exclusiveMax)}; it is ${v}.`);
    return undefined;
  }
  return v;
}

export function readBool(n: AstNode, what: string, d: Diags): boolean | undefined {
  if (n.t === 'scalar' && typeof n.value === 'boolean') return n.value;
  if (n.t === 'scalar' && typeof n.value === 'string' && /^(yes|no|on|off|true|false)$/i.test(n.value)) {
    const b = /^(yes|on|true)$/i.test(n.value);
    d.error('AM2004', n, `\`${what}\` must be \`true\` or \`false\` (YAML 1.2), not \`${n.value}\`.`, [
      d.replaceFix(`Write ${b}`, n, String(b)),
    ]);
    return undefined;
  }
  d.error('AM2004', n, `\`${what}\` must be \`true\` or \`false\`, not ${describe(n)}.`);
  return undefined;
}

export function readString(n: AstNode, what: string, d: Diags): string | undefined {
  if (n.t === 'scalar' && n.value !== null && typeof n.value !== 'boolean') return String(n.value);
  d.error('AM2004', n, `\`${what}\` must be text, not ${describe(n)}.`);
  return undefined;
}

/** One of `values`, with a did-you-mean quick fix for near misses. */
export function readEnum<T extends string>(n: AstNode, what: string, values: readonly T[], d: Diags): T | undefined {
  if (n.t === 'scalar' && n.value !== null && typeof n.value !== 'boolean') {
    const s = String(n.value);
    if ((values as readonly string[]).includes(s)) return s as T;
    const lower = s.toLowerCase();
    const ci = values.find((v) => v.toLowerCase() === lower);
    const guess = ci ?? didYouMean(s, values);
    const list = values.map((v) => `\`${v}\``).join(', ');
    if (guess) {
      d.error('AM2006', n, `\`${clip(s)}\` is not a valid \`${what}\`; did you mean \`${guess}\`? Allowed: ${list}.`, [
        d.replaceFix(`Change to \`${guess}\``, n, guess),
      ]);
    } else {
      d.error('AM2006', n, `\`${clip(s)}\` is not a valid \`${what}\`. Allowed: ${list}.`);
    }
    return undefined;
  }
  d.error('AM2004', n, `\`${what}\` must be one of ${values.map((v) => `\`${v}\``).join(', ')}, not ${describe(n)}.`);
  return undefined;
}

/** An integer or [h, w] pair. */
export function readIntPair(n: AstNode, what: string, d: Diags, min: number): [number, number] | undefined {
  if (n.t === 'seq') {
    if (n.items.length !== 2) {
      d.error('AM2004', n, `\`${what}\` must be an integer or a pair [h, w]; this list has ${n.items.length} entries.`);
      return undefined;
    }
    const a = readInt(n.items[0], what, d, min);
    const b = readInt(n.items[1], what, d, min);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  const v = readInt(n, what, d, min);
  return v === undefined ? undefined : [v, v];
}

export function readIntList(
  n: AstNode,
  what: string,
  d: Diags,
  t: Extract<ValueType, { t: 'intList' }>,
): number[] | undefined {
  if (n.t !== 'seq') {
    d.error('AM2004', n, `\`${what}\` must be a list of integers like [3, 224, 224], not ${describe(n)}.`);
    return undefined;
  }
  if (t.nonEmpty && n.items.length === 0) {
    d.error('AM2005', n, `\`${what}\` must not be empty.`);
    return undefined;
  }
  const out: number[] = [];
  let ok = true;
  let minusOnes = 0;
  for (const it of n.items) {
    const v = readNumber(it, what, d);
    if (v === undefined) {
      ok = false;
      continue;
    }
    if (!Number.isInteger(v)) {
      d.error('AM2009', it, `\`${what}\` entries must be integers, not ${v}.`, [
        d.replaceFix(`Write ${Math.round(v)}`, it, String(Math.round(v))),
      ]);
      ok = false;
      continue;
    }
    if (t.minusOne && v === -1) {
      if (++minusOnes > 1) {
        d.error('AM2005', it, `Only one entry of \`${what}\` may be -1 (the inferred one).`);
        ok = false;
      }
    } else if (v < t.min || !Number.isSafeInteger(v)) {
      d.error(
        'AM2005',
        it,
        `\`${what}\` entries must be integers >= ${t.min}${t.minusOne ? ' (or one -1)' : ''}; this one is ${v}.`,
      );
      ok = false;
    }
    out.push(v);
  }
  return ok ? out : undefined;
}

/** A name or list of names, with the node of each entry. */
export function readNames(n: AstNode, what: string, d: Diags): { name: string; node: AstScalar }[] | undefined {
  const items = n.t === 'seq' ? n.items : [n];
  if (n.t === 'map') {
    d.error('AM2004', n, `\`${what}\` must be a name or a list of names, not a mapping.`);
    return undefined;
  }
  const out: { name: string; node: AstScalar }[] = [];
  for (const it of items) {
    if (it.t !== 'scalar' || it.value === null || typeof it.value === 'boolean') {
      d.error('AM2004', it, `\`${what}\` entries must be names, not ${describe(it)}.`);
      continue;
    }
    out.push({ name: String(it.value), node: it });
  }
  return out;
}

/**
 * Report keys of `map` that are not in `known` (AM2003 with did-you-mean and a quick fix replacing the key),
 * and missing required keys (AM2007). Returns the pairs by key for known keys.
 */
export function checkKeys(
  map: AstMap,
  known: readonly KeyInfo[],
  where: string,
  d: Diags,
  extraKnown?: readonly string[],
): Map<string, AstNode> {
  const out = new Map<string, AstNode>();
  const names = known.map((k) => k.key);
  for (const p of map.pairs) {
    if (names.includes(p.key) || extraKnown?.includes(p.key)) {
      out.set(p.key, p.value);
      continue;
    }
    unknownKey(p.key, p.keyNode, names, where, d);
  }
  for (const k of known) {
    if (k.required && !out.has(k.key)) {
      d.error(
        'AM2007',
        { start: map.start, end: Math.min(map.end, map.start + 1) } as AstNode,
        `${where} needs \`${k.key}\`: ${k.doc}`,
      );
    }
  }
  return out;
}

export function unknownKey(key: string, keyNode: AstScalar, names: readonly string[], where: string, d: Diags): void {
  const guess = d.maySuggest() ? didYouMean(key, names) : undefined;
  if (guess) {
    d.error('AM2003', keyNode, `Unknown key \`${clip(key)}\` in ${where}; did you mean \`${guess}\`?`, [
      d.replaceFix(`Change to \`${guess}\``, keyNode, guess),
    ]);
  } else {
    d.error(
      'AM2003',
      keyNode,
      `Unknown key \`${clip(key)}\` in ${where}. Known keys: ${names.map((k) => `\`${k}\``).join(', ')}.`,
    );
  }
}
