// Number formatting for the dashboard: the SI formatter every surface shares (server/src/sim/units.ts) and the
// dashboard's own percentages, ratios and axis units. Pure.
import { si, trim } from '../../server/src/sim/units';

export { si };

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
