// Number formatting, once for every surface: inlay hints, lenses, hover tables, CLI output, explanations and the
// dashboard (webview/src/format.ts re-exports it). SI prefixes from p to P, three significant digits. Pure.

const PREFIXES: [number, string][] = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
  [1e-12, 'p'],
];

/** `si(0.01234, 's')` -> `12.3 ms`; `digits` significant digits (3); 0 -> `0 s`; non-finite -> `–`. */
export function si(v: number, unit: string, digits = 3): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return `0 ${unit}`.trim();
  const a = Math.abs(v);
  const [f, p] = PREFIXES.find(([f]) => a >= f * 0.9995) ?? PREFIXES[PREFIXES.length - 1];
  return `${trim((v / f).toPrecision(digits))} ${p}${unit}`.trim();
}

/** As si() with three digits, but a non-finite value is shown as it is and one below 1 p in exponent form. */
export function eng(value: number, unit: string): string {
  if (!Number.isFinite(value)) return `${value} ${unit}`;
  if (value === 0) return `0 ${unit}`;
  if (Math.abs(value) < 1e-12 * 0.9995) return `${value.toExponential(2)} ${unit}`;
  return si(value, unit);
}

/** Drops trailing zeros of a toPrecision string: 12.0 -> 12, 1.50 -> 1.5 (1.00e+3 -> 1000). */
export function trim(s: string): string {
  if (s.includes('e')) return String(Number(s));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export const fmtTime = (s: number): string => eng(s, 's');
export const fmtEnergy = (j: number): string => eng(j, 'J');
/**
 * An integer with thousands separators, as toLocaleString('en-US') writes it ("1,234,567"), without ICU: the
 * simulators write one per layer phase, and toLocaleString costs ~2 us a call (~1.5 ms of a ResNet-50 run on NTX).
 */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const s = String(Math.abs(n));
  // the first group holds 1-3 digits, every later one 3
  let out = s.slice(0, s.length % 3 || 3);
  for (let i = out.length; i < s.length; i += 3) out += ',' + s.slice(i, i + 3);
  return n < 0 ? '-' + out : out;
}
export const fmtCount = (n: number): string => (Math.abs(n) < 1000 ? String(n) : eng(n, '').trim());
export const fmtPercent = (r: number): string => `${(r * 100).toPrecision(3).replace(/\.?0+$/, '')} %`;

export function fmtShape(shape: readonly number[], batch?: number): string {
  return `[${(batch === undefined ? shape : [batch, ...shape]).join(', ')}]`;
}
