// The mapper: searches the legal mappings of one problem on one architecture for a metric (delay, energy, EDP,
// last-level accesses, or a lexicographic list such as Timeloop's [delay, energy]). The mapspace: per dimension an
// ordered factorization of its bound over the slots (each level's temporal loops, and its spatial fan-out where it
// has one), per level the order of the loops with a factor above 1, per level below the outermost which data spaces
// it keeps; constraints fix any of these. A space no larger than the budget is enumerated whole (as Timeloop's
// exhaustive linear mapper); a larger one is sampled (a seeded generator: the same input gives the same answer) and
// the best samples are refined by a local search that changes one choice at a time. Reports what it searched and the
// spread of the legal mappings (best, median, worst), so a user sees what a bad mapping costs.
import { analyzeMapping, type NestResult } from './analyze';
import type { LevelMapping, Mapping, Problem, SpatialArch } from './types';

export type Metric = 'delay' | 'energy' | 'edp' | 'last_level_accesses';

export interface MapConstraint {
  level: string;
  type: 'temporal' | 'spatial' | 'datatype';
  factors?: Record<string, number>;
  /** Innermost first; fixes the innermost loops of the level. */
  permutation?: string[];
  /** Spatial constraints: the dimensions laid along X (the rest along Y). */
  spatialX?: string[];
  keep?: string[];
  bypass?: string[];
}

export interface SearchOptions {
  metrics?: Metric[];
  /** Mapping evaluations (default 20,000). */
  evaluations?: number;
  /** Wall-clock limit in seconds (makes the result depend on the machine's speed). */
  seconds?: number;
  seed?: number;
  constraints?: MapConstraint[];
  cancelled?: () => boolean;
  progress?: (evaluated: number, total: number) => void;
  /**
   * 'search' (default): enumerate a small space whole, else sample and refine by local search. 'random': Timeloop's
   * random-pruned mapper: uniform samples of the pruned space (orders only over loops with a factor above 1) until a
   * termination rule below fires or the budget is spent.
   */
  strategy?: 'search' | 'random';
  /**
   * Timeloop's victory_condition: stop after this many consecutive legal mappings that do not improve the best (0:
   * off).
   */
  victory?: number;
  /** Timeloop's timeout: stop after this many consecutive illegal mappings (0: off). */
  invalidLimit?: number;
  /** Timeloop's search_size: stop after this many legal mappings (0: off). */
  validLimit?: number;
}

export interface Scored {
  mapping: Mapping;
  result: NestResult;
  score: number[];
}

export interface SearchResult {
  best?: Scored;
  evaluated: number;
  legal: number;
  seconds: number;
  /** The mapspace size (choices multiplied), and whether it was enumerated whole. */
  spaceSize: number;
  exhaustive: boolean;
  cancelled: boolean;
  /** Over the legal mappings evaluated: [best, median, worst] of each metric's value. */
  spread?: { metric: Metric; best: number; median: number; worst: number }[];
}

export function metricValue(r: NestResult, m: Metric): number {
  switch (m) {
    case 'delay':
      return r.cycles;
    case 'energy':
      return r.energyPJ;
    case 'edp':
      return r.cycles * r.energyPJ;
    case 'last_level_accesses':
      return r.levels[0].tensors.reduce((x, t) => x + (t.reads + t.fills + t.updates) * t.instances, 0);
  }
}
/** Whether score `a` beats `b` (lexicographic over the metrics, with a relative tolerance for ties). */
export const better = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i] * (1 - 1e-12)) return true;
    if (a[i] > b[i] * (1 + 1e-12)) return false;
  }
  return false;
};

/** Cheap legality pre-check (tile capacities of the kept data spaces), before the full analysis. */
function fits(p: Problem, a: SpatialArch, m: Mapping): boolean {
  const n = a.levels.length;
  const inner: Record<string, number> = Object.fromEntries(p.dims.map((d) => [d, 1]));
  for (let l = n - 1; l >= 0; l--) {
    for (const d of p.dims) inner[d] *= (m[l].temporal[d] ?? 1) * (m[l].spatial[d] ?? 1);
    const cap = a.levels[l].sizeWords;
    if (cap === undefined) continue;
    let used = 0;
    for (const ds of p.dataSpaces) {
      if (!m[l].keep.includes(ds.name)) continue;
      let v = 1;
      for (const c of ds.projection) {
        let e = 1;
        for (const t of c) e += Math.abs(t.coef) * (inner[t.dim] - 1);
        v *= e;
      }
      used += v;
    }
    if (used > cap / Math.max(1, a.levels[l].multipleBuffering)) return false;
  }
  return true;
}

/** Ordered factorizations of n into k factors, each allowed to exceed 1 only where `free[i]`. */
function factorizations(n: number, free: boolean[]): number[][] {
  const out: number[][] = [];
  const rec = (i: number, rest: number, acc: number[]) => {
    if (i === free.length - 1) {
      if (free[i] || rest === 1) out.push([...acc, rest]);
      return;
    }
    if (!free[i]) {
      rec(i + 1, rest, [...acc, 1]);
      return;
    }
    for (let f = 1; f <= rest; f++) if (rest % f === 0) rec(i + 1, rest / f, [...acc, f]);
  };
  if (!free.some(Boolean)) return n === 1 ? [free.map(() => 1)] : [];
  rec(0, n, []);
  return out;
}

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Space {
  slots: { level: number; spatial: boolean }[];
  /** Per dimension, its allowed factorizations over the slots. */
  facts: number[][][];
  /** Per level, fixed innermost loops (outermost-first order of the fixed suffix). */
  fixedInner: string[][];
  /** Per level, per data space: allowed keep values. */
  keeps: boolean[][][];
  /** Per level, the dimensions fixed along X (undefined: filled greedily). */
  fixedX: (string[] | undefined)[];
}

function buildSpace(p: Problem, a: SpatialArch, cons: MapConstraint[]): Space {
  const n = a.levels.length;
  const fanout = a.levels.map((lv, l) =>
    Math.round((l + 1 < n ? a.levels[l + 1].instances : a.compute.instances) / lv.instances),
  );
  const slots: Space['slots'] = [];
  for (let l = 0; l < n; l++) {
    slots.push({ level: l, spatial: false });
    if (fanout[l] > 1) slots.push({ level: l, spatial: true });
  }
  const fixed = (l: number, spatial: boolean, d: string) =>
    cons.find(
      (c) =>
        c.level === a.levels[l].name && c.type === (spatial ? 'spatial' : 'temporal') && c.factors && d in c.factors,
    )?.factors![d];
  const facts = p.dims.map((d) => {
    const fx = slots.map((s) => fixed(s.level, s.spatial, d));
    const rest = p.bounds[d] / fx.reduce<number>((x, f) => x * (f ?? 1), 1);
    if (!Number.isInteger(rest)) return [];
    const free = slots.map(
      (s, i) =>
        fx[i] === undefined && !(s.spatial && fanout[s.level] <= 1) && !(!s.spatial && a.levels[s.level].parallelOf),
    );
    return factorizations(rest, free).map((f) => f.map((v, i) => (fx[i] !== undefined ? fx[i]! : v)));
  });
  const fixedInner = a.levels.map((lv) =>
    [...(cons.find((c) => c.level === lv.name && c.type === 'temporal' && c.permutation)?.permutation ?? [])].reverse(),
  );
  const keeps = a.levels.map((lv, l) =>
    p.dataSpaces.map((ds) => {
      if (l === 0) return [true];
      const c = cons.find((x) => x.level === lv.name && x.type === 'datatype');
      if (c?.keep?.includes(ds.name)) return [true];
      if (lv.mustKeep && (lv.mustKeep === '*' ? !lv.mustBypass?.includes(ds.name) : lv.mustKeep.includes(ds.name)))
        return [true];
      if (
        c?.bypass?.includes(ds.name) ||
        lv.mustBypass?.includes(ds.name) ||
        (lv.mayKeep && !lv.mayKeep.includes(ds.name))
      )
        return [false];
      return [true, false];
    }),
  );
  const fixedX = a.levels.map(
    (lv) => cons.find((c) => c.level === lv.name && c.type === 'spatial' && c.spatialX)?.spatialX,
  );
  return { slots, facts, fixedInner, keeps, fixedX };
}

interface Choice {
  fact: number[];
  orders: string[][];
  keep: boolean[][];
}

function toMapping(p: Problem, a: SpatialArch, sp: Space, c: Choice): Mapping {
  const m: Mapping = a.levels.map(
    () => ({ temporal: {}, order: [], spatial: {}, spatialX: [], keep: [] }) as LevelMapping,
  );
  p.dims.forEach((d, di) => {
    const f = sp.facts[di][c.fact[di]];
    sp.slots.forEach((s, si) => {
      if (f[si] > 1) (s.spatial ? m[s.level].spatial : m[s.level].temporal)[d] = f[si];
    });
  });
  a.levels.forEach((lv, l) => {
    m[l].order = c.orders[l];
    m[l].keep = p.dataSpaces.filter((_, t) => c.keep[l][t]).map((ds) => ds.name);
    // spatial dims along X until the X fan-out is used, the rest along Y
    const child = l + 1 < a.levels.length ? a.levels[l + 1] : a.compute;
    const fx = Math.max(1, Math.round(child.meshX / Math.max(1, lv.meshX)));
    const fixed = sp.fixedX[l];
    if (fixed) {
      m[l].spatialX = fixed.filter((d) => (m[l].spatial[d] ?? 1) > 1);
      return;
    }
    let x = 1;
    for (const d of p.dims) {
      const f = m[l].spatial[d] ?? 1;
      if (f > 1 && x * f <= fx) {
        m[l].spatialX.push(d);
        x *= f;
      }
    }
  });
  return m;
}

/** Loop orders of a level worth trying: permutations of its loops with a factor above 1, fixed innermost loops last. */
function ordersOf(p: Problem, sp: Space, l: number, fact: number[]): string[][] {
  const fixedInner = sp.fixedInner[l];
  const dims = p.dims.filter(
    (d, di) =>
      !fixedInner.includes(d) &&
      sp.slots.some((s, si) => s.level === l && !s.spatial && sp.facts[di][fact[di]][si] > 1),
  );
  return permutations(dims).map((o) => [...o, ...fixedInner]);
}

const smallestPrime = (n: number) => {
  for (let q = 2; q * q <= n; q++) if (n % q === 0) return q;
  return n;
};
const factIndex = new WeakMap<number[][], Map<string, number>>();
/** A neighbour factorization: one prime factor of the dimension moved from one slot to another. */
function moveFactor(sp: Space, d: number, cur: number, rand: () => number): number {
  const fs = sp.facts[d];
  let idx = factIndex.get(fs);
  if (!idx) {
    idx = new Map(fs.map((f, i) => [f.join(), i]));
    factIndex.set(fs, idx);
  }
  const f = fs[cur];
  const from = f.map((v, i) => i).filter((i) => f[i] > 1);
  if (!from.length) return cur;
  for (let tries = 0; tries < 8; tries++) {
    const i = from[Math.floor(rand() * from.length)],
      j = Math.floor(rand() * f.length);
    if (i === j) continue;
    const q = smallestPrime(f[i]);
    const g = [...f];
    g[i] /= q;
    g[j] *= q;
    const k = idx.get(g.join());
    if (k !== undefined) return k;
  }
  return cur;
}

/** One loop order of a level drawn uniformly (a shuffle of its loops with a factor above 1, fixed innermost last). */
function randomOrder(p: Problem, sp: Space, l: number, fact: number[], rand: () => number): string[] {
  const fixedInner = sp.fixedInner[l];
  const dims = p.dims.filter(
    (d, di) =>
      !fixedInner.includes(d) &&
      sp.slots.some((s, si) => s.level === l && !s.spatial && sp.facts[di][fact[di]][si] > 1),
  );
  for (let i = dims.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [dims[i], dims[j]] = [dims[j], dims[i]];
  }
  return [...dims, ...fixedInner];
}

/** The state of one search: the space, the options, the counters and the best mapping so far. */
interface Run {
  p: Problem;
  a: SpatialArch;
  sp: Space;
  opts: SearchOptions;
  metrics: Metric[];
  budget: number;
  keepChoices: number;
  factSpace: number;
  res: SearchResult;
  scores: number[][];
  best?: Scored;
  /** Scores a choice: counts it, and the legal ones update the best and the spread. */
  evaluate: (c: Choice) => Scored | undefined;
  /** The budget, the deadline or a cancel (polled every 256 evaluations) ends the search. */
  stop: () => boolean;
}

export function searchMappings(p: Problem, a: SpatialArch, opts: SearchOptions = {}): SearchResult {
  const t0 = performance.now();
  const run = newRun(p, a, opts, t0);
  const { res } = run;
  if (run.factSpace === 0) {
    res.seconds = (performance.now() - t0) / 1000;
    return res;
  }
  const exact = exactSpaceSize(run);
  res.spaceSize = exact > 0 && exact <= run.budget ? exact : run.factSpace * run.keepChoices;
  if (opts.strategy === 'random') randomPruned(run);
  else if (exact > 0 && exact <= run.budget) enumerateAll(run, exact);
  else sampleAndDescend(run);
  res.cancelled = !!opts.cancelled?.();
  res.best = run.best;
  res.seconds = (performance.now() - t0) / 1000;
  if (run.scores.length) res.spread = spreadOf(run.metrics, run.scores);
  return res;
}

function newRun(p: Problem, a: SpatialArch, opts: SearchOptions, t0: number): Run {
  const budget = opts.evaluations ?? 20000;
  const deadline = opts.seconds ? t0 + opts.seconds * 1000 : Infinity;
  const sp = buildSpace(p, a, opts.constraints ?? []);
  const res: SearchResult = { evaluated: 0, legal: 0, seconds: 0, spaceSize: 0, exhaustive: false, cancelled: false };
  const run: Run = {
    p,
    a,
    sp,
    opts,
    metrics: opts.metrics?.length ? opts.metrics : ['edp'],
    budget,
    keepChoices: sp.keeps.flat().reduce((x, k) => x * k.length, 1),
    factSpace: sp.facts.reduce((x, f) => x * f.length, 1),
    res,
    scores: [],
    evaluate: (c) => {
      const m = toMapping(p, a, sp, c);
      res.evaluated++;
      if (!fits(p, a, m)) return undefined;
      const r = analyzeMapping(p, a, m);
      if (!r.legal) return undefined;
      res.legal++;
      const score = run.metrics.map((mt) => metricValue(r, mt));
      run.scores.push(score);
      const s = { mapping: m, result: r, score };
      if (!run.best || better(score, run.best.score)) run.best = s;
      return s;
    },
    stop: () =>
      res.evaluated >= budget || performance.now() > deadline || (res.evaluated % 256 === 0 && !!opts.cancelled?.()),
  };
  return run;
}

/** Mixed-radix digits of `i`, least significant first: the i-th combination of choices with `radices` options. */
function digits(i: number, radices: number[]): number[] {
  return radices.map((n) => {
    const v = i % n;
    i = Math.floor(i / n);
    return v;
  });
}

/** The i-th combination of one option from each list (mixed radix, first list fastest). */
const pickEach = <T>(i: number, lists: T[][]): T[] =>
  digits(
    i,
    lists.map((l) => l.length),
  ).map((d, j) => lists[j][d]);

/**
 * The exact number of mappings (factorizations x loop orders x keep choices) when the factorizations are few enough to
 * count (<= 200,000), stopping once it passes the budget; 0 when not counted.
 */
function exactSpaceSize(run: Run): number {
  const { p, a, sp } = run;
  if (run.factSpace > 200000) return 0;
  const radices = sp.facts.map((f) => f.length);
  let exact = 0;
  for (let i = 0; i < run.factSpace && exact <= run.budget; i++) {
    const idx = digits(i, radices);
    exact += a.levels.reduce((x, _, l) => x * ordersOf(p, sp, l, idx).length, 1) * run.keepChoices;
  }
  return exact;
}

/** A choice drawn uniformly: a factorization per dimension, then a loop order per level, then the keep bits. */
function randomChoice(run: Run, rand: () => number): Choice {
  const { p, a, sp } = run;
  const fact = sp.facts.map((f) => Math.floor(rand() * f.length));
  return {
    fact,
    orders: a.levels.map((_, l) => randomOrder(p, sp, l, fact, rand)),
    keep: sp.keeps.map((lv) => lv.map((k) => k[Math.floor(rand() * k.length)])),
  };
}

/** Timeloop's random-pruned mapper: uniform samples until the budget or a termination rule of the options. */
function randomPruned(run: Run): void {
  const { opts, res } = run;
  const rand = rng(opts.seed ?? 1);
  let sinceBest = 0,
    invalidRun = 0;
  while (!run.stop()) {
    const before = run.best;
    const sc = run.evaluate(randomChoice(run, rand));
    if (res.evaluated % 1024 === 0) opts.progress?.(res.evaluated, run.budget);
    if (!sc) {
      if (opts.invalidLimit && ++invalidRun >= opts.invalidLimit) break;
      continue;
    }
    invalidRun = 0;
    if (run.best !== before) sinceBest = 0;
    else if (opts.victory && ++sinceBest >= opts.victory) break;
    if (opts.validLimit && res.legal >= opts.validLimit) break;
  }
}

/** Every mapping of a space that fits the budget: factorizations, then loop orders, then keep choices. */
function enumerateAll(run: Run, exact: number): void {
  const { p, a, sp, res } = run;
  res.exhaustive = true;
  const radices = sp.facts.map((f) => f.length);
  for (let i = 0; i < run.factSpace; i++) {
    const fact = digits(i, radices);
    const perLevel = a.levels.map((_, l) => ordersOf(p, sp, l, fact));
    const orderCount = perLevel.reduce((x, o) => x * o.length, 1);
    for (let oi = 0; oi < orderCount; oi++) {
      const orders = pickEach(oi, perLevel);
      for (let ki = 0; ki < run.keepChoices; ki++) {
        let rk = ki;
        const keep = sp.keeps.map((lv) => {
          const v = pickEach(rk, lv);
          rk = Math.floor(rk / lv.reduce((x, k) => x * k.length, 1));
          return v;
        });
        run.evaluate({ fact, orders, keep });
        if (res.evaluated % 1024 === 0) run.opts.progress?.(res.evaluated, exact);
        if (run.stop()) return;
      }
    }
  }
}

interface Start {
  c: Choice;
  s: Scored;
}

/**
 * A space too large to enumerate: 60% of the budget on uniform samples, then local search from the best eight
 * samples; when every start has converged and budget is left, new samples seed further descents.
 */
function sampleAndDescend(run: Run): void {
  const rand = rng(run.opts.seed ?? 1);
  const starts = bestSamples(run, rand).slice(0, 8);
  for (let si = 0; si < starts.length || (!run.stop() && run.res.evaluated < run.budget); si++) {
    if (si >= starts.length) {
      const seed = legalSample(run, rand);
      if (!seed) break;
      starts.push(seed);
    }
    descend(run, starts[si], rand);
    if (run.stop()) break;
  }
}

/** Uniform samples over 60% of the budget, the best 16 kept (sorted best first). */
function bestSamples(run: Run, rand: () => number): Start[] {
  const { res } = run;
  const samples = Math.max(1, Math.floor(run.budget * 0.6));
  const pool: Start[] = [];
  const order = (x: Start, y: Start) => (better(x.s.score, y.s.score) ? -1 : 1);
  while (res.evaluated < samples && !run.stop()) {
    const c = randomChoice(run, rand);
    const s = run.evaluate(c);
    if (s) {
      pool.push({ c, s });
      if (pool.length > 64) {
        pool.sort(order);
        pool.length = 16;
      }
    }
    if (res.evaluated % 1024 === 0) run.opts.progress?.(res.evaluated, run.budget);
  }
  return pool.sort(order);
}

/** A legal uniform sample within 200 tries, or undefined. */
function legalSample(run: Run, rand: () => number): Start | undefined {
  for (let k = 0; k < 200 && !run.stop(); k++) {
    const c = randomChoice(run, rand);
    const s = run.evaluate(c);
    if (s) return { c, s };
  }
  return undefined;
}

/** First-improvement descent: up to 64 neighbours per step, until none of them improves. */
function descend(run: Run, start: Start, rand: () => number): void {
  let cur = start;
  let improved = true;
  while (improved && !run.stop()) {
    improved = false;
    for (let tries = 0; tries < 64 && !run.stop(); tries++) {
      const c = neighbour(run, cur.c, rand);
      const s = run.evaluate(c);
      if (s && better(s.score, cur.s.score)) {
        cur = { c, s };
        improved = true;
        break;
      }
    }
  }
}

/** A neighbour of `c`: one dimension's factorization (60%), one level's loop order (25%) or one keep bit (15%). */
function neighbour(run: Run, cur: Choice, rand: () => number): Choice {
  const { p, a, sp } = run;
  const c: Choice = { fact: [...cur.fact], orders: cur.orders.map((o) => [...o]), keep: cur.keep.map((k) => [...k]) };
  const what = rand();
  if (what < 0.6) {
    const d = Math.floor(rand() * c.fact.length);
    c.fact[d] = rand() < 0.7 ? moveFactor(sp, d, c.fact[d], rand) : Math.floor(rand() * sp.facts[d].length);
  } else if (what < 0.85) {
    const l = Math.floor(rand() * a.levels.length);
    c.orders[l] = randomOrder(p, sp, l, c.fact, rand);
  } else {
    const l = Math.floor(rand() * a.levels.length),
      t = Math.floor(rand() * p.dataSpaces.length);
    c.keep[l][t] = sp.keeps[l][t][Math.floor(rand() * sp.keeps[l][t].length)];
  }
  return c;
}

/** Best, median and worst of each metric over the legal mappings evaluated. */
function spreadOf(metrics: Metric[], scores: number[][]): SearchResult['spread'] {
  return metrics.map((mt, i) => {
    const v = scores.map((s) => s[i]).sort((x, y) => x - y);
    return { metric: mt, best: v[0], median: v[Math.floor((v.length - 1) / 2)], worst: v[v.length - 1] };
  });
}
