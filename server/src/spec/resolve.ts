// Resolution of hardware targets: `extends` chains (this file, other hardware files, built-in presets), then
// every parameter of the kind to SI with its provenance. Precedence, nearest first:
//   the target's own value > targets along its `extends` chain > the preset the chain ends in > the kind default.
import type { ParamValue, Provenance, SpecDiagnostic, SpecDocument, TargetKind, TargetModel, Range } from './types';
import type { KindSpec, ParamSpec, PresetSpec, PresetValue } from './params';
import type { RawTarget } from './hardware';
import { KINDS } from '../kinds/params';
import { hasUnit, parseQuantity } from './units';
import { didYouMean } from './suggest';

export interface Lookup {
  target(name: string): RawTarget | undefined;
  names(): string[];
}

/** Name lookup for `extends`: the given local targets, then other hardware documents (first wins). */
export function makeLookup(local: RawTarget[], others: SpecDocument[]): Lookup {
  const map = new Map<string, RawTarget>();
  for (const o of others) for (const t of o.syntax?.rawTargets ?? []) if (!map.has(t.name)) map.set(t.name, t);
  for (const t of local) map.set(t.name, t);
  return { target: (name) => map.get(name), names: () => [...map.keys()] };
}

export function presetByName(name: string): { preset: PresetSpec; kind: KindSpec } | undefined {
  for (const k of KINDS) for (const p of k.presets) if (p.name === name) return { preset: p, kind: k };
  return undefined;
}

export function allTargetNames(lookup: Lookup): Set<string> {
  const s = new Set(lookup.names());
  for (const k of KINDS) for (const p of k.presets) s.add(p.name);
  return s;
}

export interface Chain {
  /** Names along `extends`, nearest first (excluding the target itself). */
  names: string[];
  raws: RawTarget[];
  preset?: PresetSpec;
  /** The nearest explicit kind along the chain. */
  kind?: TargetKind;
  cycle?: string[];
  missing?: string;
}

export function chainOf(t: RawTarget, lookup: Lookup): Chain {
  const c: Chain = { names: [], raws: [] };
  const visited = [t.name];
  let cur: RawTarget = t;
  while (cur.extends !== undefined) {
    const name = cur.extends;
    let raw = lookup.target(name);
    // A target may shadow a preset of the same name and extend it (`name: ntx, extends: ntx`).
    if (raw && visited.includes(name)) {
      if (presetByName(name)) raw = undefined;
      else {
        c.cycle = [...visited.slice(visited.indexOf(name)), name];
        return c;
      }
    }
    if (raw) {
      c.names.push(name);
      c.raws.push(raw);
      visited.push(name);
      if (!c.kind && raw.kind) c.kind = raw.kind;
      cur = raw;
      continue;
    }
    const p = presetByName(name);
    if (p) {
      c.names.push(name);
      c.preset = p.preset;
      if (!c.kind) c.kind = p.kind.kind;
    } else c.missing = name;
    break;
  }
  return c;
}

/** A preset value as written in the preset table (units like '1.25 GHz'; bare numbers are taken as SI). */
function presetValue(pv: PresetValue, spec: ParamSpec): ParamValue | undefined {
  const v = pv.value;
  if (hasUnit(spec.dim) || spec.dim === 'count' || spec.dim === 'number' || spec.dim === 'ratio') {
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
    if (typeof v !== 'string') return undefined;
    const q = parseQuantity(v, spec.dim);
    return 'error' in q ? undefined : q.value;
  }
  return v;
}

/**
 * Resolve one target. Undefined when no kind can be found (the reason is already a diagnostic). A system's device is
 * resolved through the same lookup (a target of this file or another hardware file, else a preset), one level deep.
 */
export function resolveTarget(t: RawTarget, lookup: Lookup, nested = false): TargetModel | undefined {
  const c = chainOf(t, lookup);
  const kind = t.kind ?? c.kind;
  if (!kind) return undefined;
  const spec = KINDS.find((k) => k.kind === kind);
  if (!spec) return undefined;
  const params: Record<string, ParamValue> = {};
  const provenance: Record<string, Provenance> = {};
  const notes: string[] = [];
  const layers = [t, ...c.raws];
  for (const p of spec.params) {
    let done = false;
    for (const r of layers) {
      const own = r.values.get(p.path);
      if (own) {
        params[p.path] = own.value;
        provenance[p.path] = { from: 'spec', target: r.name, uri: r.uri, range: own.range };
        done = true;
        break;
      }
    }
    if (done) continue;
    const pv = c.preset?.values[p.path];
    if (pv) {
      const v = presetValue(pv, p);
      if (v !== undefined) {
        params[p.path] = v;
        provenance[p.path] = { from: 'preset', preset: c.preset!.name, tag: pv.tag, source: pv.source };
        continue;
      }
      notes.push(
        `Preset ${c.preset!.name}: value ${JSON.stringify(pv.value)} of ${p.path} could not be read; the default is used.`,
      );
    }
    params[p.path] = p.default;
    provenance[p.path] = { from: 'default', tag: p.defaultTag, source: p.defaultSource };
  }
  if (c.preset) notes.push(...c.preset.notes);
  let description = t.description;
  for (const r of c.raws) description ??= r.description;
  description ??= c.preset?.description ?? spec.title;
  const model: TargetModel = { name: t.name, kind, description, extendsChain: c.names, params, provenance, notes };
  if (t.ranges) model.ranges = { node: t.ranges.node, name: t.ranges.name, keys: t.ranges.keys };
  if (kind === 'system' && !nested) {
    const raw = lookup.target(String(params.device));
    const device = raw && raw.name !== t.name ? resolveTarget(raw, lookup, true) : undefined;
    if (device) model.device = device;
  }
  return model;
}

const EMPTY_LOOKUP: Lookup = { target: () => undefined, names: () => [] };
let presetCache: { kinds: readonly KindSpec[]; list: TargetModel[] } | undefined;

/** Every built-in preset, resolved (parameters in SI with their citations); copies the caller may change. */
export function presetTargets(): TargetModel[] {
  return resolvedPresets().map(clone);
}

/** The resolved presets, built once (and again when the kinds registry changes); never handed out uncopied. */
function resolvedPresets(): TargetModel[] {
  if (!presetCache || presetCache.kinds !== KINDS) {
    const list: TargetModel[] = [];
    for (const k of KINDS) {
      for (const p of k.presets) {
        const raw: RawTarget = {
          name: p.name,
          uri: '',
          kind: p.kind,
          values: new Map(),
          ranges: undefined as unknown as RawTarget['ranges'],
        };
        const m = resolveTargetFromPreset(raw, p);
        if (m) list.push(m);
      }
    }
    presetCache = { kinds: KINDS, list };
  }
  return presetCache.list;
}

function resolveTargetFromPreset(raw: RawTarget, p: PresetSpec): TargetModel | undefined {
  const lookup: Lookup = EMPTY_LOOKUP;
  // A preset is resolved as a target extending itself: its values, then the kind defaults.
  const m = resolveTarget({ ...raw, extends: p.name }, lookup);
  if (!m) return undefined;
  m.extendsChain = [];
  m.description = p.description;
  delete m.ranges;
  return m;
}

function clone(m: TargetModel): TargetModel {
  return {
    ...m,
    extendsChain: [...m.extendsChain],
    params: { ...m.params },
    provenance: { ...m.provenance },
    notes: [...m.notes],
  };
}

/** A target already resolved in a document that no longer carries its syntax tree (e.g. a trimmed cache entry). */
function resolvedIn(name: string, docs: SpecDocument[]): TargetModel | undefined {
  for (const d of docs) {
    if (d.syntax?.rawTargets) continue;
    const t = d.hardware?.targets.find((x) => x.name === name);
    if (t) return clone(t);
  }
  return undefined;
}

/** One preset by name (a copy), without copying the others. */
export function presetTarget(name: string): TargetModel | undefined {
  const t = resolvedPresets().find((x) => x.name === name);
  return t && clone(t);
}

/**
 * Resolve target names against hardware documents (in order, first definition wins) and then the presets.
 * Unknown names give AM5001 diagnostics (ranged at `at[i]` when given, with a did-you-mean quick fix).
 */
export function resolveTargets(
  names: string[],
  hardwareDocs: SpecDocument[],
  at?: Range[],
): { targets: TargetModel[]; diagnostics: SpecDiagnostic[] } {
  const lookup = makeLookup([], hardwareDocs);
  const targets: TargetModel[] = [];
  const diagnostics: SpecDiagnostic[] = [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) return;
    seen.add(name);
    const raw = lookup.target(name);
    const m = raw ? resolveTarget(raw, lookup) : (resolvedIn(name, hardwareDocs) ?? presetTarget(name));
    if (m) {
      targets.push(m);
      return;
    }
    const range = at?.[i] ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (raw) {
      diagnostics.push({
        range,
        severity: 'error',
        code: 'AM5001',
        message: `Target \`${name}\` cannot be resolved (its \`extends\` chain is broken or it has no \`kind\`); fix it in its hardware file.`,
      });
      return;
    }
    const guess = didYouMean(name, allTargetNames(lookup));
    diagnostics.push({
      range,
      severity: 'error',
      code: 'AM5001',
      message: `Unknown target \`${name}\`: it is neither a preset nor defined in the hardware files${guess ? `; did you mean \`${guess}\`?` : `. Presets: ${KINDS.flatMap((k) => k.presets.map((p) => p.name)).join(', ')}.`}`,
      ...(guess && at?.[i]
        ? { fixes: [{ title: `Change to \`${guess}\``, edits: [{ range, newText: guess }], isPreferred: true }] }
        : {}),
    });
  });
  return { targets, diagnostics };
}
