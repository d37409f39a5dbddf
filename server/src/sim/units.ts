// Short engineering-notation formatting (inlay hints, lenses, hover tables, CLI output, explanations).
// Three significant digits; SI prefixes from p to T.

const PREFIXES: [number, string][] = [
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

export function eng(value: number, unit: string): string {
  if (!Number.isFinite(value)) return `${value} ${unit}`;
  if (value === 0) return `0 ${unit}`;
  const a = Math.abs(value);
  for (const [scale, p] of PREFIXES) {
    if (a >= scale * 0.9995) return `${trim((value / scale).toPrecision(3))} ${p}${unit}`;
  }
  return `${value.toExponential(2)} ${unit}`;
}

function trim(s: string): string {
  return s.includes('e') ? s : s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

export const fmtTime = (s: number): string => eng(s, 's');
export const fmtEnergy = (j: number): string => eng(j, 'J');
export const fmtCount = (n: number): string => (Math.abs(n) < 1000 ? String(n) : eng(n, '').trim());
export const fmtPercent = (r: number): string => `${(r * 100).toPrecision(3).replace(/\.?0+$/, '')} %`;

export function fmtShape(shape: readonly number[], batch?: number): string {
  return `[${(batch === undefined ? shape : [batch, ...shape]).join(', ')}]`;
}
