// Timeloop's nest analysis for one mapping: per storage level and data space, the tile a level instance holds, the
// distinct data it sees over the run (partition), the scalar reads, fills and updates per instance, the instances
// used; cycles with bandwidth throttling; energy from per-action energies. Closed form, no iteration over the nest:
//
// - Loops are flattened outermost first: per level its temporal loops (in its order), then its spatial loops. A
//   dimension's index is sum(loop index x product of the inner factors of that dimension), so the loops at a level
//   and below cover a contiguous range of every dimension, and a tile is a box in each data-space coordinate
//   (extent = sum(coef x (inner bound - 1)) + 1) — Timeloop's axis-aligned hyper-rectangles.
// - Fills of a level instance: the first tile, plus at each step of the temporal loops above the level the part of the
//   new tile that was not in the previous one. When loop j steps (and the loops inside it, above the level, wrap),
//   the tile moves by a fixed offset, so the new part is vol - prod(max(0, extent - |offset|)), the same every time
//   loop j steps: prod(outer factors) x (F_j - 1) times. Sliding windows (a convolution's inputs) and stationary
//   tiles (an offset of 0 along every coordinate) both fall out of it.
// - A parent serves its children's fills; children under spatial loops that do not index the data space receive the
//   same data (multicast: read once) or, for a read-write data space, send the same outputs (spatial reduction:
//   one update). Children under spatial loops that index it are served separately, also where their tiles overlap
//   (ASM: Timeloop's default multicast analysis groups identical deltas only; overlapping halos are not shared).
// - Per instance, as Timeloop's buffer model: read-only data: reads = accesses from below, fills as above; read-write
//   data: updates = accesses from below, reads = updates - partition (the first write of each element reads
//   nothing), fills = deltas - partition. The outermost level holds everything: no fills.
// - Energy per level and data space: ceil(count / block size) vector actions x energy per action, per instance,
//   times the instances used; leakage per cycle x cycles x every instance; compute energy per MAC.
// - Cycles: temporal steps of the compute (product of the temporal factors), stretched at any level whose reads,
//   writes (fills + updates) or both exceed its read, write or shared bandwidth (words per cycle per instance).
import type { DataSpace, Mapping, Problem, SpatialArch, StorageLevel } from './types';

export interface TensorStats {
  name: string;
  /** Words of one tile (Timeloop's utilized capacity). */
  tile: number;
  /** Distinct words one instance holds over the run (Timeloop's partition size). */
  partition: number;
  /** Instances holding a tile (utilized instances). */
  instances: number;
  /** Per instance, scalar. */
  reads: number;
  fills: number;
  updates: number;
  /** Accesses to this data space at this level, all instances (pJ). */
  energyPJ: number;
}

export interface LevelStats {
  name: string;
  cls: string;
  tensors: TensorStats[];
  /** Words held per instance (sum of the kept tiles). */
  occupancy: number;
  /** Capacity per instance in words (undefined: unbounded). */
  capacity?: number;
  cycles: number;
  /** compute cycles / this level's cycles (1 = not bandwidth bound). */
  throttling: number;
  leakPJ: number;
  /** Access + leakage energy of the level, all instances (pJ). */
  energyPJ: number;
}

export interface MappingIssue {
  code: 'factors' | 'capacity' | 'fanout' | 'keep' | 'bypass' | 'dimension';
  message: string;
  level?: string;
  dim?: string;
  tensor?: string;
}

export interface NestResult {
  /** Legal: every issue is empty. When not legal the counts are still computed (for the message). */
  legal: boolean;
  issues: MappingIssue[];
  computes: number;
  /** Compute instances used (product of the spatial factors). */
  computeInstances: number;
  computeCycles: number;
  cycles: number;
  /** Useful MACs / (compute instances x cycles). */
  utilization: number;
  computeEnergyPJ: number;
  energyPJ: number;
  levels: LevelStats[];
}

interface Loop {
  dim: string;
  factor: number;
  level: number;
  spatial: boolean;
  stride: number;
}

/** The flattened loop nest, outermost first, each loop with its stride in its dimension's index. */
export function flattenLoops(p: Problem, m: Mapping): Loop[] {
  const loops: Loop[] = [];
  m.forEach((lm, level) => {
    const order = [...lm.order.filter((d) => p.dims.includes(d)), ...p.dims.filter((d) => !lm.order.includes(d))];
    for (const d of order) {
      const f = lm.temporal[d] ?? 1;
      if (f > 1) loops.push({ dim: d, factor: f, level, spatial: false, stride: 1 });
    }
    for (const d of p.dims) {
      const f = lm.spatial[d] ?? 1;
      if (f > 1) loops.push({ dim: d, factor: f, level, spatial: true, stride: 1 });
    }
  });
  const inner: Record<string, number> = {};
  for (let i = loops.length - 1; i >= 0; i--) {
    const l = loops[i];
    l.stride = inner[l.dim] ?? 1;
    inner[l.dim] = l.stride * l.factor;
  }
  return loops;
}

const uses = (ds: DataSpace, dim: string) => ds.projection.some((c) => c.some((t) => t.dim === dim && t.coef !== 0));
const volume = (ds: DataSpace, b: Record<string, number>) =>
  ds.projection.reduce((v, c) => v * (c.reduce((e, t) => e + Math.abs(t.coef) * ((b[t.dim] ?? 1) - 1), 0) + 1), 1);
const extents = (ds: DataSpace, b: Record<string, number>) =>
  ds.projection.map((c) => c.reduce((e, t) => e + Math.abs(t.coef) * ((b[t.dim] ?? 1) - 1), 0) + 1);
const prodOf = (loops: Loop[], pick: (l: Loop) => boolean, dims: string[]) => {
  const b: Record<string, number> = Object.fromEntries(dims.map((d) => [d, 1]));
  for (const l of loops) if (pick(l)) b[l.dim] *= l.factor;
  return b;
};

/** Checks a mapping against the problem and the architecture: factors, fan-out, keep/bypass, capacity. */
export function checkMapping(p: Problem, a: SpatialArch, m: Mapping, tiles?: number[][]): MappingIssue[] {
  const issues: MappingIssue[] = [];
  if (m.length !== a.levels.length)
    issues.push({
      code: 'factors',
      message: `the mapping has ${m.length} levels, the architecture ${a.levels.length}`,
    });
  for (const d of p.dims) {
    const prod = m.reduce((x, lm) => x * (lm.temporal[d] ?? 1) * (lm.spatial[d] ?? 1), 1);
    if (prod !== p.bounds[d])
      issues.push({
        code: 'factors',
        dim: d,
        message: `the factors of ${d} multiply to ${prod}, not to its bound ${p.bounds[d]}`,
      });
  }
  m.forEach((lm, l) => {
    for (const k of [...Object.keys(lm.temporal), ...Object.keys(lm.spatial)])
      if (!p.dims.includes(k))
        issues.push({
          code: 'dimension',
          level: a.levels[l]?.name,
          dim: k,
          message: `${k} is not a dimension of ${p.name} (its dimensions: ${p.dims.join(', ')})`,
        });
  });
  a.levels.forEach((lv, l) => {
    const lm = m[l];
    if (!lm) return;
    const child = l + 1 < a.levels.length ? a.levels[l + 1] : a.compute;
    const fanout = Math.max(1, Math.round(child.instances / lv.instances));
    const fx = Math.max(1, Math.round(child.meshX / Math.max(1, lv.meshX))),
      fy = Math.max(1, Math.round(fanout / fx));
    const sp = Object.entries(lm.spatial).filter(([, f]) => f > 1);
    const total = sp.reduce((x, [, f]) => x * f, 1);
    const xs = sp.filter(([d]) => lm.spatialX.includes(d)).reduce((x, [, f]) => x * f, 1),
      ys = total / xs;
    if (total > fanout)
      issues.push({
        code: 'fanout',
        level: lv.name,
        message: `spatial factors at ${lv.name} use ${total} instances below it; it has ${fanout} (${fx} x ${fy})`,
      });
    else if (xs > fx || ys > fy)
      issues.push({
        code: 'fanout',
        level: lv.name,
        message: `spatial factors at ${lv.name} use ${xs} x ${ys} (X x Y) instances below it; its fan-out is ${fx} x ${fy}`,
      });
    if (lv.parallelOf) {
      const loops = Object.entries(lm.temporal).filter(([, f]) => f > 1);
      if (loops.length)
        issues.push({
          code: 'factors',
          level: lv.name,
          message: `${lv.name} sits beside ${lv.parallelOf} (a !Parallel group): its loops (${loops.map(([d, f]) => `${d}=${f}`).join(' ')}) belong at ${lv.parallelOf}`,
        });
    }
    for (const t of lm.keep) {
      if (!p.dataSpaces.some((d) => d.name === t))
        issues.push({
          code: 'keep',
          level: lv.name,
          tensor: t,
          message: `${t} is not a data space of ${p.name} (its data spaces: ${p.dataSpaces.map((d) => d.name).join(', ')})`,
        });
      else if ((lv.mayKeep && !lv.mayKeep.includes(t)) || lv.mustBypass?.includes(t))
        issues.push({
          code: 'keep',
          level: lv.name,
          tensor: t,
          message: `${lv.name} may not hold ${t} (it holds ${lv.mayKeep ? lv.mayKeep.join(', ') || 'nothing' : `all but ${lv.mustBypass!.join(', ')}`})`,
        });
    }
    if (tiles && lv.sizeWords !== undefined) {
      const used = tiles[l].reduce((x, y) => x + y, 0),
        cap = lv.sizeWords / Math.max(1, lv.multipleBuffering);
      if (used > cap)
        issues.push({
          code: 'capacity',
          level: lv.name,
          message: `the tiles kept at ${lv.name} need ${used} words; it holds ${cap}${lv.multipleBuffering > 1 ? ` (${lv.sizeWords} / multiple buffering ${lv.multipleBuffering})` : ''}`,
        });
    }
  });
  if (m[0])
    for (const ds of p.dataSpaces)
      if (!m[0].keep.includes(ds.name))
        issues.push({
          code: 'bypass',
          level: a.levels[0].name,
          tensor: ds.name,
          message: `the outermost level ${a.levels[0].name} must keep ${ds.name}: every data space starts and ends there`,
        });
  return issues;
}

const ceilDiv = (x: number, b: number) => (x <= 0 ? 0 : Math.ceil(x / Math.max(1, b) - 1e-9));

/** Access counts, cycles and energy of one mapping (Timeloop's model; see the header). */
export function analyzeMapping(p: Problem, a: SpatialArch, m: Mapping): NestResult {
  const loops = flattenLoops(p, m);
  const computes = p.dims.reduce((x, d) => x * p.bounds[d], 1);
  const computeInstances = loops.filter((l) => l.spatial).reduce((x, l) => x * l.factor, 1);
  const computeCycles = loops.filter((l) => !l.spatial).reduce((x, l) => x * l.factor, 1);
  // utilized instances of level l: the spatial loops at the levels above it
  const used = a.levels.map((_, l) => loops.filter((x) => x.spatial && x.level < l).reduce((v, x) => v * x.factor, 1));
  const perLevel: TensorStats[][] = a.levels.map(() => []);
  const tiles: number[][] = a.levels.map(() => []);
  for (const ds of p.dataSpaces) {
    const kept = a.levels.map((_, l) => l).filter((l) => m[l]?.keep.includes(ds.name));
    const info = kept.map((l) => keptTile(p, ds, loops, l));
    info.forEach((k, i) => {
      const t = tensorStats(a, ds, loops, info, i, computes, used);
      perLevel[k.l].push(t);
      tiles[k.l].push(k.vol);
    });
  }
  const issues = checkMapping(p, a, m, tiles);
  const levelCycles = a.levels.map((lv, l) => bandwidthCycles(lv, perLevel[l], computeCycles));
  const cycles = Math.max(computeCycles, ...levelCycles);
  const levels: LevelStats[] = a.levels.map((lv, l) => {
    const leakPJ = lv.energy.leak * cycles * lv.instances;
    const order = p.dataSpaces.map((d) => d.name);
    const tensors = perLevel[l].sort((x, y) => order.indexOf(x.name) - order.indexOf(y.name));
    return {
      name: lv.name,
      cls: lv.cls,
      tensors,
      occupancy: tiles[l].reduce((x, y) => x + y, 0),
      capacity: lv.sizeWords,
      cycles: levelCycles[l],
      throttling: computeCycles / Math.max(computeCycles, levelCycles[l]),
      leakPJ,
      energyPJ: tensors.reduce((x, t) => x + t.energyPJ, 0) + leakPJ,
    };
  });
  const computeEnergyPJ = computes * a.compute.energy;
  return {
    legal: issues.length === 0,
    issues,
    computes,
    computeInstances,
    computeCycles,
    cycles,
    utilization: computes / (a.compute.instances * cycles),
    computeEnergyPJ,
    energyPJ: computeEnergyPJ + levels.reduce((x, l) => x + l.energyPJ, 0),
    levels,
  };
}

/** A data space's tile at a level that keeps it: its volume, its partition and the words filled over the run. */
interface KeptTile {
  l: number;
  vol: number;
  partition: number;
  deltas: number;
}

/**
 * The tile of `ds` at level l (the loops at l and below) and the words that move into it over the run: the first
 * tile whole, then, for each temporal loop above, the part of each new tile that does not overlap the previous one.
 */
function keptTile(p: Problem, ds: DataSpace, loops: Loop[], l: number): KeptTile {
  const inner = prodOf(loops, (x) => x.level >= l, p.dims);
  const part = prodOf(loops, (x) => x.level >= l || !x.spatial, p.dims);
  const ext = extents(ds, inner);
  const vol = ext.reduce((x, y) => x * y, 1);
  const above = loops.filter((x) => x.level < l && !x.spatial);
  let deltas = vol,
    outer = 1;
  above.forEach((lp, j) => {
    const move: Record<string, number> = { [lp.dim]: lp.stride };
    for (const q of above.slice(j + 1)) move[q.dim] = (move[q.dim] ?? 0) - (q.factor - 1) * q.stride;
    const overlap = ds.projection.reduce(
      (o, c, k) => o * Math.max(0, ext[k] - Math.abs(c.reduce((s, t) => s + t.coef * (move[t.dim] ?? 0), 0))),
      1,
    );
    deltas += outer * (lp.factor - 1) * (vol - overlap);
    outer *= lp.factor;
  });
  return { l, vol, partition: volume(ds, part), deltas };
}

/**
 * The counts of `ds` at the i-th level that keeps it: accesses from the child (its fills times the spatial loops that
 * index the data space, multicast otherwise) or from the compute; read-only data spaces are read, read-write ones
 * updated (the first write needs no read); energy per block of words.
 */
function tensorStats(
  a: SpatialArch,
  ds: DataSpace,
  loops: Loop[],
  info: KeptTile[],
  i: number,
  computes: number,
  used: number[],
): TensorStats {
  const k = info[i];
  const childLevel = i + 1 < info.length ? info[i + 1].l : a.levels.length; // levels.length = compute
  const between = loops.filter((x) => x.spatial && x.level >= k.l && x.level < childLevel);
  const relevant = between.filter((x) => uses(ds, x.dim)).reduce((v, x) => v * x.factor, 1);
  const irrelevant = between.filter((x) => !uses(ds, x.dim)).reduce((v, x) => v * x.factor, 1);
  const accesses = i + 1 < info.length ? info[i + 1].deltas * relevant : computes / used[k.l] / irrelevant;
  const top = i === 0;
  const t: TensorStats = ds.readWrite
    ? {
        name: ds.name,
        tile: k.vol,
        partition: k.partition,
        instances: used[k.l],
        updates: accesses,
        reads: Math.max(0, accesses - k.partition),
        fills: top ? 0 : Math.max(0, k.deltas - k.partition),
        energyPJ: 0,
      }
    : {
        name: ds.name,
        tile: k.vol,
        partition: k.partition,
        instances: used[k.l],
        reads: accesses,
        updates: 0,
        fills: top ? 0 : k.deltas,
        energyPJ: 0,
      };
  const e = a.levels[k.l].energy,
    b = a.levels[k.l].blockSize;
  t.energyPJ =
    (ceilDiv(t.reads, b) * e.read + ceilDiv(t.fills, b) * e.write + ceilDiv(t.updates, b) * e.update) * t.instances;
  return t;
}

function bandwidthCycles(lv: StorageLevel, ts: TensorStats[], computeCycles: number): number {
  const reads = ts.reduce((x, t) => x + t.reads, 0),
    writes = ts.reduce((x, t) => x + t.fills + t.updates, 0);
  let c = computeCycles;
  if (lv.readBandwidth) c = Math.max(c, reads / lv.readBandwidth);
  if (lv.writeBandwidth) c = Math.max(c, writes / lv.writeBandwidth);
  if (lv.sharedBandwidth) c = Math.max(c, (reads + writes) / lv.sharedBandwidth);
  return c;
}
