// Number formatting for the dashboard: SI prefixes, fixed significant digits. Pure.

const PREFIX: [number, string][] = [
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

/** `si(0.01234, 's')` -> `12.3 ms`; three significant digits; 0 -> `0 s`; non-finite -> `–`. */
export function si(v: number, unit: string, digits = 3): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return `0 ${unit}`.trim();
  const a = Math.abs(v);
  const [f, p] = PREFIX.find(([f]) => a >= f * 0.9995) ?? PREFIX[PREFIX.length - 1];
  return `${trim((v / f).toPrecision(digits))} ${p}${unit}`.trim();
}

/** Drops trailing zeros of a toPrecision string unless they are significant integers: 12.0 -> 12, 1.50 -> 1.5. */
function trim(s: string): string {
  if (s.includes('e')) return String(Number(s));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** 0.4567 -> `45.7 %`. */
export const pct = (v: number, digits = 3): string =>
  Number.isFinite(v) ? `${trim((v * 100).toPrecision(digits))} %` : '–';

/** Ratio as `2.35×`. */
export const times = (v: number): string => (Number.isFinite(v) ? `${trim(v.toPrecision(3))}×` : '–');

/** A time axis unit for a span: the largest of s, ms, µs, ns that keeps the span >= 1. */
export function timeUnit(spanS: number): { scale: number; label: string } {
  if (spanS >= 1) return { scale: 1, label: 's' };
  if (spanS >= 1e-3) return { scale: 1e3, label: 'ms' };
  if (spanS >= 1e-6) return { scale: 1e6, label: 'µs' };
  return { scale: 1e9, label: 'ns' };
}

/** A plain number with three significant digits (no prefix): 0.0123 -> `0.0123`, 1234 -> `1230`. */
export const num = (v: number, digits = 3): string =>
  Number.isFinite(v) ? trim(Number(v.toPrecision(digits)).toString()) : '–';
