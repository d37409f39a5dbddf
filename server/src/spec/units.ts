// Physical quantities with units: `1.25 GHz`, `320 GB/s`, `25.6 GiB/s`, `30 Gb/s`, `8.4 pJ`, `3.7 pJ/bit`,
// `0.46 pJ/B`, `64 KiB`, `2 MB`, `168 mW`, `10 ns`, `20 GFLOP/s`, `1.2 TFLOPS`, `1 mm2`. Values are stored in SI
// (params.ts `Dimension`): Hz, B/s, B, s, J, J/B, J/FLOP, W, m^2, FLOP/s.
// Rules: decimal prefixes (k M G T P; m u/µ n p f) are powers of 1000, binary prefixes (Ki Mi Gi Ti Pi) powers of
// 1024; `b`/`bit` is a bit and `B`/`byte` a byte (8 bits). `K` is accepted as `k` (1000) — ASM: a common spelling
// (`KB`), read as decimal like every other letter prefix. Area prefixes apply to the length (1 mm2 = 1e-6 m^2).
// An energy per operation may be written as a bare energy (`8.4 pJ` = 8.4 pJ/FLOP).
// MAC-based units count a MAC as 2 FLOP (`pJ/MAC` = 0.5 pJ/FLOP, `GMAC/s` = 2 GFLOP/s) — the usual convention.
import type { Dimension } from './params';

export type QuantityResult = { value: number } | { error: string; hint?: string };

const DECIMAL: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  m: 1e-3,
  u: 1e-6,
  µ: 1e-6,
  μ: 1e-6,
  n: 1e-9,
  p: 1e-12,
  f: 1e-15,
  a: 1e-18,
};
const BINARY: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5 };

/** Base units per dimension with their SI factor; prefixes attach to the first unit of the base. */
const BASES: Partial<Record<Dimension, Record<string, number>>> = {
  frequency: { Hz: 1, hz: 1 },
  bandwidth: { 'B/s': 1, Bps: 1, 'byte/s': 1, 'bytes/s': 1, 'b/s': 1 / 8, bps: 1 / 8, 'bit/s': 1 / 8 },
  size: { B: 1, byte: 1, bytes: 1, b: 1 / 8, bit: 1 / 8, bits: 1 / 8 },
  time: { s: 1, sec: 1 },
  energy: { J: 1 },
  energyPerByte: { 'J/B': 1, 'J/byte': 1, 'J/b': 8, 'J/bit': 8 },
  // A bare energy (`8.4 pJ`) is read as per FLOP, as papers quote it ("8.4 pJ/flop" in [N3] NTX).
  energyPerFlop: { 'J/FLOP': 1, 'J/flop': 1, 'J/op': 1, 'J/OP': 1, 'J/MAC': 0.5, 'J/mac': 0.5, J: 1 },
  power: { W: 1 },
  area: { m2: 1, 'm^2': 1, 'm²': 1 },
  flopRate: {
    'FLOP/s': 1,
    FLOPS: 1,
    'flop/s': 1,
    flops: 1,
    FLOPs: 1,
    'OP/s': 1,
    OPS: 1,
    'op/s': 1,
    ops: 1,
    OPs: 1,
    'MAC/s': 2,
    'mac/s': 2,
    MACS: 2,
    MACs: 2,
  },
};

/** The unit a dimension is written in (messages and missing-unit hints). */
export const CANONICAL_UNIT: Partial<Record<Dimension, string>> = {
  frequency: 'Hz',
  bandwidth: 'B/s',
  size: 'B',
  time: 's',
  energy: 'J',
  energyPerByte: 'J/B',
  energyPerFlop: 'J/FLOP',
  power: 'W',
  area: 'm2',
  flopRate: 'FLOP/s',
};
/** Units offered when a unit is missing, in the order they are tried (the best fit to a typical value wins). */
const SUGGEST: Partial<Record<Dimension, string[]>> = {
  frequency: ['GHz', 'MHz', 'kHz', 'Hz'],
  bandwidth: ['TB/s', 'GB/s', 'MB/s'],
  size: ['GiB', 'MiB', 'KiB', 'B'],
  time: ['s', 'ms', 'us', 'ns'],
  energy: ['nJ', 'pJ', 'fJ'],
  energyPerByte: ['nJ/B', 'pJ/B', 'fJ/B'],
  energyPerFlop: ['nJ/FLOP', 'pJ/FLOP', 'fJ/FLOP'],
  power: ['kW', 'W', 'mW', 'uW'],
  area: ['mm2', 'um2'],
  flopRate: ['TFLOP/s', 'GFLOP/s', 'MFLOP/s'],
};

/** A typical magnitude per dimension (SI) for the missing-unit guess when the parameter gives none (ASM). */
const TYPICAL: Partial<Record<Dimension, number>> = {
  frequency: 1e9,
  bandwidth: 1e11,
  size: 1e6,
  time: 1e-6,
  energy: 1e-12,
  energyPerByte: 1e-12,
  energyPerFlop: 1e-12,
  power: 1,
  area: 1e-6,
  flopRate: 1e12,
};

export const DIMENSION_NAMES: Record<Dimension, string> = {
  frequency: 'a frequency',
  bandwidth: 'a bandwidth',
  size: 'a size',
  time: 'a time',
  energy: 'an energy',
  energyPerByte: 'an energy per byte',
  energyPerFlop: 'an energy per operation',
  power: 'a power',
  area: 'an area',
  flopRate: 'a compute rate',
  count: 'a count',
  number: 'a number',
  ratio: 'a ratio',
  enum: 'a name',
  bool: 'a boolean',
  string: 'text',
};

export function hasUnit(dim: Dimension): boolean {
  return dim in BASES;
}

const NUM = /^\s*([-+]?(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$/;

/** Factor of `unit` in `dim`, or undefined. */
function unitFactor(unit: string, dim: Dimension): number | undefined {
  const bases = BASES[dim];
  if (!bases) return undefined;
  const direct = bases[unit];
  if (direct !== undefined) return direct;
  for (const base of Object.keys(bases)) {
    if (!unit.endsWith(base) || unit.length === base.length) continue;
    const pre = unit.slice(0, unit.length - base.length);
    const f = BINARY[pre] ?? DECIMAL[pre];
    if (f === undefined) continue;
    if (BINARY[pre] !== undefined && dim !== 'size' && dim !== 'bandwidth') continue;
    return dim === 'area' ? f * f * bases[base] : f * bases[base];
  }
  // "3.7 pJ/bit": the prefix sits before the first unit of a ratio.
  const slash = unit.indexOf('/');
  if (slash > 0) {
    for (const base of Object.keys(bases)) {
      const bs = base.indexOf('/');
      if (bs < 0 || base.slice(bs) !== unit.slice(slash)) continue;
      const head = base.slice(0, bs);
      const uhead = unit.slice(0, slash);
      if (!uhead.endsWith(head)) continue;
      const f =
        BINARY[uhead.slice(0, uhead.length - head.length)] ?? DECIMAL[uhead.slice(0, uhead.length - head.length)];
      if (f !== undefined) return f * bases[base];
    }
  }
  return undefined;
}

/** Which dimension a unit belongs to (for "wrong dimension" messages). */
export function dimensionOfUnit(unit: string): Dimension | undefined {
  for (const dim of Object.keys(BASES) as Dimension[]) if (unitFactor(unit, dim) !== undefined) return dim;
  return undefined;
}

/** A unit for a bare number, chosen so the value lands near `typical` (SI) when given. */
export function suggestUnit(value: number, dim: Dimension, typical?: number): string | undefined {
  const units = SUGGEST[dim];
  if (!units) return undefined;
  if (!(typical && typical > 0)) typical = TYPICAL[dim];
  if (!(typical && typical > 0 && value > 0)) return units[Math.floor((units.length - 1) / 2)];
  let best = units[0];
  let bestD = Infinity;
  for (const u of units) {
    const f = unitFactor(u, dim)!;
    const dist = Math.abs(Math.log(value * f) - Math.log(typical));
    if (dist < bestD) {
      bestD = dist;
      best = u;
    }
  }
  return best;
}

/**
 * Parse `text` (or a bare number) as a quantity of `dim`, to SI. Plain dimensions (count, number, ratio) take
 * bare numbers; `ratio` also takes `50 %`. `typical` (SI) only sharpens the unit suggested for a bare number.
 */
export function parseQuantity(text: string | number, dim: Dimension, typical?: number): QuantityResult {
  const unitName = CANONICAL_UNIT[dim];
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) return { error: `${text} is not a finite number.` };
    if (unitName) {
      const u = suggestUnit(text, dim, typical);
      return { error: `\`${text}\` needs a unit: it is ${DIMENSION_NAMES[dim]} (in ${unitName}).`, hint: u };
    }
    if (dim === 'count' && !Number.isInteger(text))
      return { error: `${text} is not a whole number; a count must be an integer.` };
    return { value: text };
  }
  const m = NUM.exec(text);
  if (!m) {
    return {
      error: `\`${text}\` is not a quantity: write a number${unitName ? ' and a unit, e.g. ' + example(dim) : ''}.`,
    };
  }
  const num = Number(m[1].replace(/_/g, ''));
  const unit = m[2];
  if (!Number.isFinite(num)) return { error: `\`${m[1]}\` is not a finite number.` };
  if (!unitName) {
    if (unit === '') return parseQuantity(num, dim);
    if (dim === 'ratio' && unit === '%') return { value: num / 100 };
    const other = dimensionOfUnit(unit);
    return {
      error: `\`${text}\` should be ${DIMENSION_NAMES[dim]} without a unit${other ? `, but \`${unit}\` is a unit of ${DIMENSION_NAMES[other].replace(/^an? /, '')}` : ''}. Write just the number.`,
    };
  }
  if (unit === '') {
    const u = suggestUnit(num, dim, typical);
    return {
      error: `\`${text}\` needs a unit: it is ${DIMENSION_NAMES[dim]} (in ${unitName}), e.g. \`${num} ${u}\`.`,
      hint: u,
    };
  }
  const f = unitFactor(unit, dim);
  if (f !== undefined) {
    const v = num * f;
    return Number.isFinite(v)
      ? { value: v }
      : { error: `\`${text}\` is too large (it overflows to infinity in ${unitName}).` };
  }
  const other = dimensionOfUnit(unit);
  if (other) {
    return {
      error: `\`${unit}\` is a unit of ${DIMENSION_NAMES[other].replace(/^an? /, '')}, but this is ${DIMENSION_NAMES[dim]}: write it in ${unitName}, e.g. \`${example(dim)}\`.`,
    };
  }
  return {
    error: `Unknown unit \`${unit}\` for ${DIMENSION_NAMES[dim]}: write it in ${unitName} with a prefix, e.g. \`${example(dim)}\`.`,
  };
}

function example(dim: Dimension): string {
  switch (dim) {
    case 'frequency':
      return '1.25 GHz';
    case 'bandwidth':
      return '320 GB/s';
    case 'size':
      return '64 KiB';
    case 'time':
      return '10 ns';
    case 'energy':
      return '8.4 pJ';
    case 'energyPerByte':
      return '3.7 pJ/B';
    case 'energyPerFlop':
      return '0.5 pJ/FLOP';
    case 'power':
      return '168 mW';
    case 'area':
      return '1 mm2';
    case 'flopRate':
      return '20 GFLOP/s';
    default:
      return '1';
  }
}

const ENG: [number, string][] = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'u'],
  [1e-9, 'n'],
  [1e-12, 'p'],
  [1e-15, 'f'],
  [1e-18, 'a'],
];
const BIN: [number, string][] = [
  [1024 ** 4, 'Ti'],
  [1024 ** 3, 'Gi'],
  [1024 ** 2, 'Mi'],
  [1024, 'Ki'],
];

function mantissa(x: number): string {
  const s = Number(x.toPrecision(4)).toString();
  return s;
}

/** A parameter's value as a spec writes it: a quantity with its unit, a plain number for counts, numbers and ratios. */
export function paramValueText<T>(value: T, dim: Dimension): T | string {
  if (typeof value !== 'number' || dim === 'count' || dim === 'number' || dim === 'ratio') return value;
  try {
    return formatQuantity(value, dim);
  } catch {
    return value;
  }
}

/** Engineering notation in the dimension's unit: 1.25 GHz, 320 GB/s, 64 KiB, 8.4 pJ, 3.7 pJ/B, 1 mm2. */
export function formatQuantity(si: number, dim: Dimension): string {
  if (!Number.isFinite(si)) return String(si);
  const unit = CANONICAL_UNIT[dim];
  if (!unit) {
    if (dim === 'ratio') return `${mantissa(si * 100)} %`;
    return mantissa(si);
  }
  if (si === 0) return `0 ${unit}`;
  const a = Math.abs(si);
  if (dim === 'size' && a >= 1024) {
    for (const [f, p] of BIN)
      if (a >= f && a / f < 1024 && Number.isInteger((a / f) * 4)) return `${mantissa(si / f)} ${p}${unit}`;
  }
  if (dim === 'area') {
    // Prefix applies to the length: mm2 = 1e-6 m^2, um2 = 1e-12 m^2.
    if (a >= 1) return `${mantissa(si)} m2`;
    if (a >= 1e-6) return `${mantissa(si / 1e-6)} mm2`;
    return `${mantissa(si / 1e-12)} um2`;
  }
  for (const [f, p] of ENG) {
    if (a >= f * 0.9995) return `${mantissa(si / f)} ${p}${unit}`;
  }
  return `${mantissa(si / 1e-18)} a${unit}`;
}
