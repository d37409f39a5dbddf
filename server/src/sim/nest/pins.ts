// Mappings written in a network spec (`mapping:` of a layer, spec/mapping.ts) as mapper constraints, and why a set
// of pins admits no legal mapping on an architecture: a level it does not have, a dimension the nest does not have,
// pinned factors that do not divide a dimension's bound, spatial factors over a level's fan-out, a data space kept
// where the level may not hold it, or pinned tiles over a level's capacity (both sizes given). The free part of each
// dimension is put at the outermost level that leaves it free, to check the pins alone.
import type { LayerMapping, LevelPin, NestPhaseName } from '../../spec/types';
import { analyzeMapping } from './analyze';
import type { MapConstraint } from './mapper';
import type { Mapping, Problem, SpatialArch } from './types';

/** The pins of a phase: its own, else those given for `all` phases. */
export function phasePins(m: LayerMapping | undefined, phase: NestPhaseName): LevelPin[] | undefined {
  return m ? (m.phases[phase] ?? m.phases.all) : undefined;
}

export function pinsToConstraints(pins: LevelPin[]): MapConstraint[] {
  const out: MapConstraint[] = [];
  for (const p of pins) {
    if (p.temporal || p.order)
      out.push({
        level: p.level,
        type: 'temporal',
        ...(p.temporal ? { factors: p.temporal } : {}),
        ...(p.order ? { permutation: [...p.order].reverse() } : {}),
      });
    if (p.spatial || p.spatialX)
      out.push({
        level: p.level,
        type: 'spatial',
        ...(p.spatial ? { factors: p.spatial } : {}),
        ...(p.spatialX ? { spatialX: p.spatialX } : {}),
      });
    if (p.keep || p.bypass)
      out.push({
        level: p.level,
        type: 'datatype',
        ...(p.keep ? { keep: p.keep } : {}),
        ...(p.bypass ? { bypass: p.bypass } : {}),
      });
  }
  return out;
}

/** Why the pins cannot be met on `a` (empty when they can be). */
export function pinIssues(p: Problem, a: SpatialArch, pins: LevelPin[]): string[] {
  const issues: string[] = [];
  const levels = a.levels.map((l) => l.name);
  for (const pin of pins) {
    if (!levels.includes(pin.level))
      issues.push(`\`${pin.level}\` is not a storage level of ${a.name} (its levels: ${levels.join(', ')})`);
    for (const d of [...Object.keys(pin.temporal ?? {}), ...Object.keys(pin.spatial ?? {})]) {
      if (!p.dims.includes(d))
        issues.push(`${d} is not a dimension of this loop nest (its dimensions: ${p.dims.join(', ')})`);
    }
  }
  if (issues.length) return [...new Set(issues)];
  const m: Mapping = a.levels.map((lv, l) => {
    const pin = pins.find((x) => x.level === lv.name);
    const all = p.dataSpaces.map((d) => d.name);
    const keep =
      pin?.keep ??
      (l === 0
        ? all
        : all.filter(
            (x) => !pin?.bypass?.includes(x) && (!lv.mayKeep || lv.mayKeep.includes(x)) && !lv.mustBypass?.includes(x),
          ));
    const spatial = { ...pin?.spatial };
    return {
      temporal: { ...pin?.temporal },
      order: [...(pin?.order ?? [])],
      spatial,
      spatialX: pin?.spatialX ? [...pin.spatialX] : greedyX(p, a, l, spatial),
      keep,
    };
  });
  for (const d of p.dims) {
    const pinned = m.reduce((x, lm) => x * (lm.temporal[d] ?? 1) * (lm.spatial[d] ?? 1), 1);
    if (p.bounds[d] % pinned !== 0)
      issues.push(`the pinned factors of ${d} multiply to ${pinned}, which does not divide its bound ${p.bounds[d]}`);
    else if (pinned < p.bounds[d]) {
      // the rest goes to the outermost level that does not pin d's temporal factor (as the mapper may place it)
      const free = a.levels.findIndex((lv) => !pins.some((x) => x.level === lv.name && x.temporal && d in x.temporal));
      if (free < 0)
        issues.push(
          `the factors of ${d} are pinned at every level and multiply to ${pinned}, not to its bound ${p.bounds[d]}`,
        );
      else m[free].temporal[d] = p.bounds[d] / pinned;
    }
  }
  if (issues.length) return issues;
  return analyzeMapping(p, a, m)
    .issues.filter((i) => i.code !== 'factors')
    .map((i) => i.message);
}

/** Spatial dimensions along X until the X fan-out is used (the mapper's rule when X is not pinned). */
function greedyX(p: Problem, a: SpatialArch, l: number, spatial: Record<string, number>): string[] {
  const child = l + 1 < a.levels.length ? a.levels[l + 1] : a.compute;
  const fx = Math.max(1, Math.round(child.meshX / Math.max(1, a.levels[l].meshX)));
  const out: string[] = [];
  let x = 1;
  for (const d of p.dims) {
    const f = spatial[d] ?? 1;
    if (f > 1 && x * f <= fx) {
      out.push(d);
      x *= f;
    }
  }
  return out;
}

/**
 * The target's constraints for a nest (dimensions it lacks dropped), under the layer's own pins (which win per field).
 */
export function mergePins(p: Problem, target: LevelPin[], layer: LevelPin[] | undefined): LevelPin[] | undefined {
  if (!target.length) return layer;
  const only = (f?: Record<string, number>) =>
    f && Object.fromEntries(Object.entries(f).filter(([d]) => p.dims.includes(d)));
  const out = new Map<string, LevelPin>();
  for (const t of target) {
    const x: LevelPin = {
      ...t,
      temporal: only(t.temporal),
      spatial: only(t.spatial),
      order: t.order?.filter((d) => p.dims.includes(d)),
      spatialX: t.spatialX?.filter((d) => p.dims.includes(d)),
    };
    for (const k of ['temporal', 'spatial', 'order', 'spatialX', 'keep', 'bypass'] as const)
      if (
        x[k] === undefined ||
        (Array.isArray(x[k]) ? !(x[k] as string[]).length : !Object.keys(x[k] as object).length)
      )
        delete x[k];
    out.set(t.level, x);
  }
  for (const l of layer ?? []) {
    const base = out.get(l.level);
    out.set(
      l.level,
      base ? ({ ...base, ...Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)) } as LevelPin) : l,
    );
  }
  return [...out.values()];
}
