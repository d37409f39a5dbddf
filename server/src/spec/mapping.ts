// A layer's `mapping:` in a network spec: per phase (fwd, bwd_data, bwd_weight, or all) and storage level, the
// temporal and spatial factors, loop order, X dimensions and keep / bypass that the user fixes; the mapper chooses
// the rest (the same semantics as Timeloop's mapspace constraints). Checked here for shape: known phases and keys,
// dimensions of the layer's loop nest, positive integer factors, data-space names. Whether the pins fit a target
// (levels, fan-out, capacity, factors multiplying to the bounds) depends on the target: the simulator reports that
// as a `mapping.illegal` finding, which the language server shows on the phase's entry.
import type { AstMap, AstNode } from './ast';
import { describe } from './ast';
import type { Diags } from './diag';
import type { LayerMapping, LayerType, LevelPin, NestPhaseName } from './types';
import { checkKeys, readInt, readNames, unknownKey } from './values';
import { DATA_SPACES, MAPPING_LEVEL_KEYS, MAPPING_PHASES } from './vocab';

/** Loop-nest dimensions of a layer type (empty: the type has no loop nest and its mapping has no effect). */
export function nestDims(type: LayerType | undefined): readonly string[] {
  switch (type) {
    case 'conv2d':
    case 'conv_transpose2d':
      return ['G', 'N', 'K', 'C', 'P', 'Q', 'R', 'S'];
    case 'linear':
    case 'matmul':
    case 'lstm':
    case 'gru':
    case 'rnn':
      return ['B', 'M', 'N', 'K'];
    default:
      return [];
  }
}

export function readLayerMapping(n: AstNode, type: LayerType | undefined, d: Diags): LayerMapping | undefined {
  if (n.t !== 'map') {
    d.error(
      'AM2004',
      n,
      '`mapping` must be a mapping of phases to levels, like `{fwd: {global_buffer: {spatial: {K: 12}}}}`.',
    );
    return undefined;
  }
  const dims = nestDims(type);
  if (type && !dims.length) {
    d.warn(
      'AM2010',
      n,
      `\`mapping\` has no effect on a \`${type}\` layer: only convolutions and matrix products are loop nests (it streams through DRAM).`,
    );
    return undefined;
  }
  const out: LayerMapping = { phases: {}, ranges: {} };
  for (const p of n.pairs) {
    if (!(MAPPING_PHASES as readonly string[]).includes(p.key)) {
      unknownKey(p.key, p.keyNode, MAPPING_PHASES, '`mapping` (phases)', d);
      continue;
    }
    const phase = p.key as NestPhaseName | 'all';
    out.ranges[phase] = d.toRange([p.keyNode.start, p.value.end]);
    if (p.value.t !== 'map') {
      d.error(
        'AM2004',
        p.value,
        `\`mapping.${phase}\` must map storage levels to their pins, like \`{pe_buffer: {temporal: {R: 3, S: 3}}}\`.`,
      );
      continue;
    }
    const pins: LevelPin[] = [];
    for (const lv of p.value.pairs) {
      const pin = readLevel(lv.key, lv.value, `mapping.${phase}.${lv.key}`, dims, d);
      if (pin) pins.push({ ...pin, range: d.toRange([lv.keyNode.start, lv.value.end]) });
    }
    out.phases[phase] = pins;
  }
  return out;
}

function readLevel(
  level: string,
  n: AstNode,
  where: string,
  dims: readonly string[],
  d: Diags,
): Omit<LevelPin, 'range'> | undefined {
  if (n.t !== 'map') {
    d.error(
      'AM2004',
      n,
      `\`${where}\` must be a mapping with any of ${MAPPING_LEVEL_KEYS.map((k) => `\`${k.key}\``).join(', ')}, not ${describe(n)}.`,
    );
    return undefined;
  }
  const keys = checkKeys(n, MAPPING_LEVEL_KEYS, `\`${where}\``, d);
  const pin: Omit<LevelPin, 'range'> = { level };
  for (const k of ['temporal', 'spatial'] as const) {
    const v = keys.get(k);
    if (v) pin[k] = readFactors(v, `${where}.${k}`, dims, d);
  }
  const names = (k: string, allowed: readonly string[]) => {
    const v = keys.get(k);
    if (!v) return undefined;
    const xs = readNames(v, `${where}.${k}`, d) ?? [];
    const ok = xs.filter((x) => {
      if (allowed.includes(x.name)) return true;
      d.error('AM2006', x.node, `\`${x.name}\` in \`${where}.${k}\` is not one of ${allowed.join(', ')}.`);
      return false;
    });
    return ok.map((x) => x.name);
  };
  const order = names('order', dims),
    sx = names('spatial_x', dims),
    keep = names('keep', DATA_SPACES),
    bypass = names('bypass', DATA_SPACES);
  if (order) pin.order = order;
  if (sx) pin.spatialX = sx;
  if (keep) pin.keep = keep;
  if (bypass) pin.bypass = bypass;
  const both = (keep ?? []).filter((x) => bypass?.includes(x));
  if (both.length) d.error('AM2006', n, `\`${where}\` both keeps and bypasses ${both.join(', ')}; pick one.`);
  return pin;
}

function readFactors(n: AstNode, where: string, dims: readonly string[], d: Diags): Record<string, number> {
  const out: Record<string, number> = {};
  if (n.t !== 'map') {
    d.error('AM2004', n, `\`${where}\` must map dimensions to factors, like \`{K: 4, C: 2}\`, not ${describe(n)}.`);
    return out;
  }
  for (const p of (n as AstMap).pairs) {
    if (!dims.includes(p.key)) {
      unknownKey(p.key, p.keyNode, dims, `\`${where}\` (the layer's loop-nest dimensions)`, d);
      continue;
    }
    const f = readInt(p.value, `${where}.${p.key}`, d, 1);
    if (f !== undefined) out[p.key] = f;
  }
  return out;
}

export const PIN_LEVELS = ['dram', 'global_buffer', 'pe_buffer'];
const NO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * A spatial target's `mapper.constraints`: clauses separated by `;`, each `<level> temporal|spatial|keep|bypass ...`:
 *   `pe_buffer temporal R=3 S=3 order=R,S`, `global_buffer spatial K=12 C=8 x=C`, `pe_buffer keep Weights Inputs`.
 * They apply to every loop nest (a dimension a nest does not have is skipped); a layer's own pins win.
 */
export function parseConstraints(
  text: string,
  levels: readonly string[] = PIN_LEVELS,
): { pins: LevelPin[]; errors: string[] } {
  const byLevel = new Map<string, LevelPin>();
  const errors: string[] = [];
  for (const clause of text
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean)) {
    const [level, kind, ...args] = clause.split(/\s+/);
    if (!levels.includes(level)) {
      errors.push(`\`${level}\` is not a storage level (${levels.join(', ')}) in \`${clause}\``);
      continue;
    }
    const pin = byLevel.get(level) ?? { level, range: NO_RANGE };
    byLevel.set(level, pin);
    if (kind === 'keep' || kind === 'bypass') {
      const bad = args.filter((a) => !['Weights', 'Inputs', 'Outputs'].includes(a));
      if (bad.length || !args.length) {
        errors.push(
          `\`${clause}\`: ${kind} takes data-space names (Weights, Inputs, Outputs)${bad.length ? `, not ${bad.join(', ')}` : ''}`,
        );
        continue;
      }
      pin[kind] = args;
    } else if (kind === 'temporal' || kind === 'spatial') {
      const factors: Record<string, number> = {};
      for (const a of args) {
        const m = /^(\w+)=(.+)$/.exec(a);
        if (!m) {
          errors.push(`\`${a}\` in \`${clause}\` is not DIM=N, order=... or x=...`);
          continue;
        }
        if (m[1] === 'order' && kind === 'temporal') pin.order = m[2].split(',');
        else if (m[1] === 'x' && kind === 'spatial') pin.spatialX = m[2].split(',');
        else if (/^[A-Z]$/.test(m[1]) && /^[1-9]\d*$/.test(m[2])) factors[m[1]] = Number(m[2]);
        else errors.push(`\`${a}\` in \`${clause}\`: a dimension (one capital letter) takes a positive integer factor`);
      }
      if (Object.keys(factors).length) pin[kind] = factors;
    } else
      errors.push(
        `\`${clause}\`: after the level comes temporal, spatial, keep or bypass${kind ? `, not \`${kind}\`` : ''}`,
      );
  }
  return { pins: [...byLevel.values()], errors };
}
