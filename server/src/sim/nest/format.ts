// Presentations of a mapping and its analysis: the loop nest with the tile each level keeps (like Timeloop's
// map.txt), Timeloop-style mapping directives, the JSON record `accelmap timeloop --format json` prints, and
// a mapping as the text of a spec `mapping.<phase>` value (Pin this mapping, --emit-spec).
import type { NestResult } from './analyze';
import { flattenLoops } from './analyze';
import type { Mapping, Problem, SpatialArch } from './types';

/** The loop nest, outermost first: each level's kept tiles, then its temporal (`for`) and spatial (`par-for`) loops. */
export function loopNestText(p: Problem, a: SpatialArch, m: Mapping, r?: NestResult): string[] {
  const loops = flattenLoops(p, m);
  const lines: string[] = [];
  let depth = 0;
  a.levels.forEach((lv, l) => {
    const st = r?.levels[l];
    const tiles = st?.tensors.map((t) => `${t.name}:${t.tile}`).join(' ') ?? m[l].keep.join(' ');
    const head = `${lv.name} [ ${tiles} ]${st?.capacity !== undefined ? ` ${st.occupancy}/${st.capacity} words` : ''}`;
    lines.push(`${'  '.repeat(depth)}${head}`);
    for (const lp of loops.filter((x) => x.level === l)) {
      lines.push(
        `${'  '.repeat(depth)}| ${lp.spatial ? 'par-for' : 'for'} ${lp.dim} in [0:${lp.factor})${lp.stride > 1 ? ` step ${lp.stride}` : ''}`,
      );
      depth++;
    }
  });
  lines.push(`${'  '.repeat(depth)}<< Compute: ${a.compute.name} >>`);
  return lines;
}

export interface Directive {
  target: string;
  type: 'temporal' | 'spatial' | 'bypass';
  factors?: string;
  permutation?: string;
  split?: number;
  keep?: string[];
  bypass?: string[];
}

/** The mapping as Timeloop mapping directives (permutations innermost first, every factor written). */
export function directives(p: Problem, a: SpatialArch, m: Mapping): Directive[] {
  const out: Directive[] = [];
  a.levels.forEach((lv, l) => {
    const lm = m[l];
    const order = [...lm.order.filter((d) => p.dims.includes(d)), ...p.dims.filter((d) => !lm.order.includes(d))];
    out.push({
      target: lv.name,
      type: 'temporal',
      factors: p.dims.map((d) => `${d}=${lm.temporal[d] ?? 1}`).join(' '),
      permutation: [...order].reverse().join(''),
    });
    if (Object.values(lm.spatial).some((f) => f > 1)) {
      const xs = p.dims.filter((d) => lm.spatialX.includes(d)),
        ys = p.dims.filter((d) => !lm.spatialX.includes(d));
      out.push({
        target: lv.name,
        type: 'spatial',
        factors: p.dims.map((d) => `${d}=${lm.spatial[d] ?? 1}`).join(' '),
        permutation: [...xs, ...ys].join(''),
        split: xs.length,
      });
    }
    out.push({
      target: lv.name,
      type: 'bypass',
      keep: [...lm.keep],
      bypass: p.dataSpaces.map((d) => d.name).filter((n) => !lm.keep.includes(n)),
    });
  });
  return out;
}

export function nestJson(p: Problem, a: SpatialArch, m: Mapping, r: NestResult): Record<string, unknown> {
  return {
    problem: p.name,
    architecture: a.name,
    legal: r.legal,
    issues: r.issues.map((i) => i.message),
    cycles: r.cycles,
    computes: r.computes,
    computeCycles: r.computeCycles,
    computeInstances: r.computeInstances,
    utilization: r.utilization,
    energyJ: r.energyPJ * 1e-12,
    energyPJ: r.energyPJ,
    computeEnergyPJ: r.computeEnergyPJ,
    fJPerCompute: (r.energyPJ / r.computes) * 1e3,
    seconds: r.cycles * a.cycleSeconds,
    levels: r.levels.map((l) => ({
      name: l.name,
      class: l.cls,
      cycles: l.cycles,
      throttling: l.throttling,
      occupancy: l.occupancy,
      capacity: l.capacity ?? null,
      energyPJ: l.energyPJ,
      leakPJ: l.leakPJ,
      tensors: l.tensors.map((t) => ({
        name: t.name,
        tile: t.tile,
        partition: t.partition,
        instances: t.instances,
        reads: t.reads,
        fills: t.fills,
        updates: t.updates,
        energyPJ: t.energyPJ,
      })),
    })),
    mapping: directives(p, a, m),
  };
}

/** Human-readable stats: per level and data space the per-instance counts and energy; totals. */
export function statsText(a: SpatialArch, r: NestResult): string[] {
  const lines: string[] = [];
  const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
  for (const l of r.levels) {
    lines.push(
      `${l.name} (${l.cls})${l.capacity !== undefined ? `  ${l.occupancy} of ${l.capacity} words` : ''}${l.throttling < 1 ? `  bandwidth-bound: ${n(l.cycles)} cycles (throttling ${l.throttling.toFixed(2)})` : ''}  energy ${l.energyPJ.toFixed(2)} pJ${l.leakPJ ? ` (leakage ${l.leakPJ.toFixed(2)})` : ''}`,
    );
    for (const t of l.tensors)
      lines.push(
        `  ${t.name.padEnd(10)} tile ${String(t.tile).padStart(7)}  partition ${String(t.partition).padStart(7)}  instances ${String(t.instances).padStart(4)}  reads ${n(t.reads).padStart(9)}  fills ${n(t.fills).padStart(8)}  updates ${n(t.updates).padStart(8)}  ${t.energyPJ.toFixed(2)} pJ`,
      );
  }
  lines.push(
    `${a.compute.name}: ${r.computes} computes on ${r.computeInstances} of ${a.compute.instances} instances, ${r.computeEnergyPJ.toFixed(2)} pJ`,
  );
  lines.push(
    `cycles ${n(r.cycles)} (compute ${r.computeCycles})  utilization ${(r.utilization * 100).toFixed(2)} %  energy ${r.energyPJ.toFixed(2)} pJ (${((r.energyPJ / r.computes) * 1e3).toFixed(2)} fJ/compute)  EDP ${(r.energyPJ * 1e-12 * r.cycles).toExponential(3)} J*cycle`,
  );
  return lines;
}

/** One phase's mapping as the text of a `mapping.<phase>` value: `{dram: {temporal: {K: 2}, order: [K]}, ...}`. */
export function pinText(p: Problem, a: SpatialArch, m: Mapping, json = false): string {
  const q = (s: string) => (json ? `"${s}"` : s);
  const obj = (pairs: string[]) => `{${pairs.join(', ')}}`;
  const levels = a.levels.map((lv, l) => {
    const lm = m[l];
    const parts: string[] = [];
    const temporal = p.dims.filter((d) => (lm.temporal[d] ?? 1) > 1);
    if (temporal.length) {
      parts.push(`${q('temporal')}: ${obj(temporal.map((d) => `${q(d)}: ${lm.temporal[d]}`))}`);
      const order = [...lm.order.filter((d) => temporal.includes(d)), ...temporal.filter((d) => !lm.order.includes(d))];
      if (order.length > 1) parts.push(`${q('order')}: [${order.map(q).join(', ')}]`);
    }
    const spatial = p.dims.filter((d) => (lm.spatial[d] ?? 1) > 1);
    if (spatial.length) {
      parts.push(`${q('spatial')}: ${obj(spatial.map((d) => `${q(d)}: ${lm.spatial[d]}`))}`);
      parts.push(
        `${q('spatial_x')}: [${lm.spatialX
          .filter((d) => spatial.includes(d))
          .map(q)
          .join(', ')}]`,
      );
    }
    if (l > 0) parts.push(`${q('keep')}: [${lm.keep.map(q).join(', ')}]`);
    return `${q(lv.name)}: ${obj(parts)}`;
  });
  return obj(levels);
}

/**
 * The mapping in one line, outermost level first: each level's temporal factors, its spatial fan-out after `||`, e.g.
 * `dram K2 C4 | global_buffer P7 || K16 C12 | pe_buffer R3 S3` (PhaseResult.mapping of a spatial target).
 */
export function nestLine(p: Problem, a: SpatialArch, m: Mapping): string {
  return a.levels
    .map((lv, l) => {
      const lm = m[l];
      const order = [...lm.order.filter((d) => p.dims.includes(d)), ...p.dims.filter((d) => !lm.order.includes(d))];
      const t = order.filter((d) => (lm.temporal[d] ?? 1) > 1).map((d) => `${d}${lm.temporal[d]}`);
      const s = p.dims.filter((d) => (lm.spatial[d] ?? 1) > 1).map((d) => `${d}${lm.spatial[d]}`);
      return [lv.name, ...t, ...(s.length ? ['||', ...s] : [])].join(' ');
    })
    .join(' | ');
}
