// Schema checks of a `kind: hardware` document: targets, `kind`/`extends`, and the parameters of each kind
// (from kinds/params.ts KINDS, dotted paths as nested groups), with units parsed to SI (units.ts).
// Resolution of `extends` chains and defaults is in resolve.ts.
import type { AstMap, AstNode } from './ast';
import { clip, describe } from './ast';
import type { Diags } from './diag';
import type { HardwareModel, ParamValue, Range, SpecDocument, TargetKind, TargetModel } from './types';
import type { Dimension, ParamSpec } from './params';
import { KINDS } from '../kinds/params';
import { HARDWARE_KEYS, TARGET_KEYS, TARGET_KINDS } from './vocab';
import { checkKeys, readBool, readEnum, readInt, readNumber, readString } from './values';
import { didYouMean } from './suggest';
import { formatQuantity, hasUnit, parseQuantity, CANONICAL_UNIT, DIMENSION_NAMES } from './units';
import { parseConstraints } from './mapping';
import { resolveTarget, chainOf, makeLookup, type Lookup, allTargetNames, presetByName } from './resolve';

/** A target as written in a file, parameters parsed to SI; `extends` not yet applied. */
export interface RawTarget {
  name: string;
  uri: string;
  kind?: TargetKind;
  extends?: string;
  description?: string;
  /** Own parameter values (SI) by dotted path, with the range of each value. */
  values: Map<string, { value: ParamValue; range: Range }>;
  ranges: { node: Range; name: Range; keys: Record<string, Range>; extends?: Range; kind?: Range };
}

interface ParamTree {
  children: Map<string, ParamTree>;
  param?: ParamSpec;
}
const TREES = new Map<TargetKind, ParamTree>();
/** The parameters of a kind as a tree of groups (`compute` -> `clusters`). */
export function paramTree(kind: TargetKind): ParamTree {
  let t = TREES.get(kind);
  if (t) return t;
  t = { children: new Map() };
  const spec = KINDS.find((k) => k.kind === kind);
  for (const p of spec?.params ?? []) {
    let node = t;
    for (const part of p.path.split('.')) {
      let c = node.children.get(part);
      if (!c) node.children.set(part, (c = { children: new Map() }));
      node = c;
    }
    node.param = p;
  }
  TREES.set(kind, t);
  return t;
}

const TARGET_KEY_NAMES = TARGET_KEYS.map((k) => k.key);

export function checkHardware(
  root: AstMap,
  uri: string,
  d: Diags,
  others: SpecDocument[],
): { model: HardwareModel; raw: RawTarget[] } {
  const keys = checkKeys(root, HARDWARE_KEYS, 'a hardware spec', d);
  const raw: RawTarget[] = [];
  const nodes: AstMap[] = [];
  const tnode = keys.get('targets');
  if (tnode && tnode.t !== 'seq')
    d.error(
      'AM2004',
      tnode,
      '`targets` must be a list of targets, each a mapping like `- {name: ntx-64, extends: ntx}`.',
    );
  const seen = new Map<string, RawTarget>();
  if (tnode && tnode.t === 'seq') {
    for (let i = 0; i < tnode.items.length; i++) {
      const n = tnode.items[i];
      if (n.t !== 'map') {
        d.error(
          'AM2004',
          n,
          `Target ${i} must be a mapping with \`name\` and \`kind\` or \`extends\`, not ${describe(n)}.`,
        );
        continue;
      }
      const t = readTargetHead(n, i, uri, d);
      const dup = seen.get(t.name);
      if (dup) {
        d.error(
          'AM5003',
          t.ranges.name,
          `Target name \`${t.name}\` is already used in this file (line ${dup.ranges.name.start.line + 1}); names must be unique. Rename one.`,
        );
        continue;
      }
      seen.set(t.name, t);
      raw.push(t);
      nodes.push(n);
    }
  }
  const lookup = makeLookup(raw, others);
  // Kinds through `extends`, then the parameters of that kind.
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i];
    const kind = checkChain(t, lookup, d);
    if (kind) readParams(nodes[i], kind, t, d);
  }
  const targets = raw.map((t) => resolveTarget(t, lookup)).filter((t): t is TargetModel => t !== undefined);
  for (const t of targets)
    if (t.kind === 'system')
      checkDevice(
        t,
        raw.find((r) => r.name === t.name)!,
        lookup,
        d,
      );
  for (const r of raw) {
    const own = r.values.get('mapper.constraints');
    if (own && typeof own.value === 'string')
      for (const e of parseConstraints(own.value).errors) d.error('AM2004', own.range, `mapper.constraints: ${e}.`);
  }
  return { model: { kind: 'hardware', targets }, raw };
}

/** A system's `device` must name a target of the hardware files or a preset, and not a system. */
function checkDevice(t: TargetModel, r: RawTarget, lookup: Lookup, d: Diags): void {
  const name = String(t.params.device);
  const own = r.values.get('device');
  const at = own?.range ?? r.ranges.name;
  const found = t.device ?? (presetByName(name) ? { kind: presetByName(name)!.kind.kind } : undefined);
  if (!found) {
    const guess = didYouMean(
      name,
      [...allTargetNames(lookup)].filter((x) => x !== t.name),
    );
    const fix =
      own && guess
        ? [{ title: `Change to \`${guess}\``, edits: [{ range: at, newText: guess }], isPreferred: true }]
        : undefined;
    d.error(
      'AM5006',
      at,
      `\`device: ${clip(name)}\` names no target or preset${guess ? `; did you mean \`${guess}\`?` : ' (e.g. h100-sxm, a100-sxm, ntx, or a target of this file)'}.`,
      fix,
    );
  } else if (found.kind === 'system')
    d.error(
      'AM5006',
      at,
      `\`device: ${clip(name)}\` is itself a system; a system's device is one accelerator (a gpu, ntx, ... target).`,
    );
}

function readTargetHead(n: AstMap, i: number, uri: string, d: Diags): RawTarget {
  const lines = d.lines;
  const t: RawTarget = {
    name: `target${i}`,
    uri,
    values: new Map(),
    ranges: { node: lines.range(n.start, n.end), name: lines.range(n.start, n.start), keys: {} },
  };
  let hasName = false;
  for (const p of n.pairs) {
    const v = p.value;
    switch (p.key) {
      case 'name': {
        const s = readString(v, 'name', d);
        t.ranges.name = lines.range(v.start, v.end);
        if (s) {
          t.name = s;
          hasName = true;
        }
        break;
      }
      case 'kind': {
        t.ranges.kind = lines.range(v.start, v.end);
        t.kind = readEnum(v, 'kind', TARGET_KINDS, d);
        break;
      }
      case 'extends': {
        t.ranges.extends = lines.range(v.start, v.end);
        t.extends = readString(v, 'extends', d);
        break;
      }
      case 'description':
        t.description = readString(v, 'description', d);
        break;
      default:
        break;
    }
  }
  if (!hasName && !n.pairs.some((p) => p.key === 'name')) {
    d.error(
      'AM2007',
      [n.start, Math.min(n.end, n.start + 1)],
      `Target ${i} needs a \`name\` (used in \`targets:\` and \`--target\`).`,
    );
  }
  return t;
}

/** Follow `extends` for the target's kind; reports unknown names, cycles and kind conflicts. */
function checkChain(t: RawTarget, lookup: Lookup, d: Diags): TargetKind | undefined {
  if (!t.extends) {
    if (!t.kind)
      d.error(
        'AM5005',
        t.ranges.name,
        `Target \`${t.name}\` needs \`kind\` (${TARGET_KINDS.join(' | ')}) or \`extends\` (a preset or another target).`,
      );
    return t.kind;
  }
  const c = chainOf(t, lookup);
  const at = t.ranges.extends ?? t.ranges.name;
  if (c.cycle) {
    d.error(
      'AM5002',
      at,
      `\`extends\` forms a cycle: ${c.cycle.join(' -> ')}. Make one of them extend a preset or give it a \`kind\`.`,
    );
    return t.kind;
  }
  if (c.missing !== undefined) {
    const candidates = [...allTargetNames(lookup)].filter((x) => x !== t.name);
    const guess = didYouMean(c.missing, candidates);
    const direct = c.missing === t.extends;
    const msg = direct
      ? `\`extends: ${clip(c.missing)}\` names no preset or target${guess ? `; did you mean \`${guess}\`?` : `. Presets: ${KINDS.flatMap((k) => k.presets.map((p) => p.name)).join(', ')}.`}`
      : `\`${t.extends}\` extends \`${c.missing}\`, which is not defined; fix that target first.`;
    d.error(
      'AM5001',
      at,
      msg,
      direct && guess
        ? [{ title: `Change to \`${guess}\``, edits: [{ range: at, newText: guess }], isPreferred: true }]
        : undefined,
    );
    return t.kind;
  }
  const inherited = c.kind;
  if (t.kind && inherited && t.kind !== inherited) {
    d.error(
      'AM5004',
      t.ranges.kind ?? at,
      `\`kind: ${t.kind}\` conflicts with \`${t.extends}\`, which is a \`${inherited}\` target. Remove \`kind\` or extend a ${t.kind} target.`,
    );
    return t.kind;
  }
  return t.kind ?? inherited;
}

function readParams(n: AstMap, kind: TargetKind, t: RawTarget, d: Diags): void {
  const tree = paramTree(kind);
  const stack: { map: AstMap; node: ParamTree; prefix: string }[] = [{ map: n, node: tree, prefix: '' }];
  while (stack.length) {
    const { map, node, prefix } = stack.pop()!;
    for (const p of map.pairs) {
      if (!prefix && TARGET_KEY_NAMES.includes(p.key)) continue;
      const child = node.children.get(p.key);
      if (!child) {
        const names = [...node.children.keys(), ...(prefix ? [] : TARGET_KEY_NAMES)];
        const guess = didYouMean(p.key, names);
        const where = prefix ? `\`${prefix.slice(0, -1)}\`` : `a \`${kind}\` target`;
        d.error(
          'AM2003',
          p.keyNode,
          `Unknown key \`${clip(p.key)}\` in ${where}${guess ? `; did you mean \`${guess}\`?` : `. Known: ${names.map((x) => `\`${x}\``).join(', ')}.`}`,
          guess ? [d.replaceFix(`Change to \`${guess}\``, p.keyNode, guess)] : undefined,
        );
        continue;
      }
      if (child.param) {
        const v = readParam(p.value, child.param, d);
        if (v !== undefined) {
          const r = d.lines.range(p.value.start, p.value.end);
          t.values.set(child.param.path, { value: v, range: r });
          t.ranges.keys[child.param.path] = r;
        }
        continue;
      }
      if (p.value.t !== 'map') {
        d.error(
          'AM2004',
          p.value,
          `\`${prefix}${p.key}\` is a group of parameters (${[...child.children.keys()].map((x) => `\`${x}\``).join(', ')}): write it as a mapping, not ${describe(p.value)}.`,
        );
        continue;
      }
      stack.push({ map: p.value, node: child, prefix: `${prefix}${p.key}.` });
    }
  }
}

/** One parameter value to SI; undefined after reporting. */
export function readParam(v: AstNode, spec: ParamSpec, d: Diags): ParamValue | undefined {
  const what = spec.path;
  const dim: Dimension = spec.dim;
  let value: number | undefined;
  switch (dim) {
    case 'bool':
      return readBool(v, what, d);
    case 'string':
      return readString(v, what, d);
    case 'enum':
      return readEnum(v, what, spec.values ?? [], d);
    case 'count':
      value = readInt(v, what, d);
      break;
    case 'number':
      value = readNumber(v, what, d);
      break;
    case 'ratio':
      if (v.t === 'scalar' && typeof v.value === 'string') {
        const q = parseQuantity(v.value, 'ratio');
        if ('error' in q) {
          d.error('AM3003', v, `\`${what}\`: ${q.error}`);
          return undefined;
        }
        value = q.value;
      } else value = readNumber(v, what, d);
      if (value !== undefined && (value < 0 || value > 1)) {
        d.error('AM2005', v, `\`${what}\` is a ratio in [0, 1] (or a percentage); it is ${value}.`);
        return undefined;
      }
      break;
    default: {
      if (!hasUnit(dim)) return undefined;
      if (v.t !== 'scalar' || v.value === null || typeof v.value === 'boolean') {
        d.error(
          'AM2004',
          v,
          `\`${what}\` is ${DIMENSION_NAMES[dim]}: write a number with a unit (${CANONICAL_UNIT[dim]}), not ${describe(v)}.`,
        );
        return undefined;
      }
      if (typeof v.value === 'number' && !Number.isFinite(v.value)) {
        readNumber(v, what, d);
        return undefined;
      }
      const typical = typeof spec.default === 'number' && spec.default > 0 ? spec.default : undefined;
      const q = parseQuantity(typeof v.value === 'number' ? v.text.trim() : v.value, dim, typical);
      if ('error' in q) {
        const bare = /^\s*[-+]?[\d.]+(?:[eE][-+]?\d+)?\s*$/.test(String(v.value));
        if (bare && q.hint) {
          const fixed = `${String(v.value).trim()} ${q.hint}`;
          d.error('AM3001', v, `\`${what}\`: ${q.error}`, [d.replaceFix(`Append the unit: \`${fixed}\``, v, fixed)]);
        } else {
          d.error(/is a unit of/.test(q.error) ? 'AM3002' : 'AM3003', v, `\`${what}\`: ${q.error}`);
        }
        return undefined;
      }
      value = q.value;
    }
  }
  if (value === undefined) return undefined;
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    const f = (x: number) => (hasUnit(dim) ? formatQuantity(x, dim) : String(x));
    const bounds =
      spec.min !== undefined && spec.max !== undefined
        ? `between ${f(spec.min)} and ${f(spec.max)}`
        : spec.min !== undefined
          ? `at least ${f(spec.min)}`
          : `at most ${f(spec.max!)}`;
    d.error(hasUnit(dim) ? 'AM3004' : 'AM2005', v, `\`${what}\` must be ${bounds}; it is ${f(value)}.`);
    return undefined;
  }
  return value;
}
