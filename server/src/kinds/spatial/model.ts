// The 'spatial' target: a storage hierarchy over a PE array (params.ts), built into the loop-nest model's
// architecture; every conv / matrix-product layer phase is a loop nest (nest/training.ts) mapped by the mapper
// (nest/mapper.ts, cached per nest and target) and analysed with Timeloop's semantics (nest/analyze.ts):
//   time   = cycles / clock (compute steps, stretched where a level's bandwidth is short)
//   bytes  = per level, (reads + fills + updates) x instances x bytes per word
//   energy = MACs x mac_energy (compute) + on-chip levels' accesses (sram) + DRAM accesses (dram) + leakage (static)
// Memory-bound layers (element-wise, norms, pools, embeddings) and the weight update stream their compulsory bytes
// through DRAM at its bandwidth, one operation per MAC lane per cycle (ASM). Words are `word_bits` wide whatever the
// network's precision (ASM).
import type { LevelPin, TargetModel } from '../../spec/types';
import type { AreaBreakdown, TargetResult } from '../../sim/types';
import type { LayerWork, PhaseWork, Workload } from '../../sim/workload';
import { Recorder, num, str, trainingOrder, type SimContext, type TargetSimulator } from '../../sim/target';
import { finding, type FindingDraft } from '../../sim/findings';
import { analyzeMapping, type NestResult } from '../../sim/nest/analyze';
import { searchMappings, type MapConstraint, type Metric } from '../../sim/nest/mapper';
import { nestLine } from '../../sim/nest/format';
import { mergePins, phasePins, pinIssues, pinsToConstraints } from '../../sim/nest/pins';
import { parseConstraints } from '../../spec/mapping';
import { phaseProblems, type NestPhase } from '../../sim/nest/training';
import type { Mapping, Problem, SpatialArch, StorageLevel } from '../../sim/nest/types';

const KEEP: Record<string, string[]> = {
  all: ['Weights', 'Inputs', 'Outputs'],
  weights: ['Weights'],
  inputs: ['Inputs'],
  outputs: ['Outputs'],
  'weights+inputs': ['Weights', 'Inputs'],
  'weights+outputs': ['Weights', 'Outputs'],
  'inputs+outputs': ['Inputs', 'Outputs'],
  none: [],
};
const LEVELS = ['dram', 'global_buffer', 'pe_buffer'] as const;

/** The target's parameters as a loop-nest architecture (levels with capacity 0 left out). */
export function spatialArch(t: TargetModel): SpatialArch {
  const clock = num(t, 'clock'),
    wordB = num(t, 'word_bits') / 8;
  const mx = Math.max(1, Math.round(num(t, 'pe.mesh_x'))),
    my = Math.max(1, Math.round(num(t, 'pe.mesh_y'))),
    macs = Math.max(1, Math.round(num(t, 'pe.macs')));
  const levels: StorageLevel[] = [];
  for (const name of LEVELS) {
    const cap = num(t, `${name}.capacity`);
    if (name !== 'dram' && cap <= 0) continue;
    const perPE = name === 'pe_buffer';
    const bw = num(t, `${name}.bandwidth`);
    const block = Math.max(1, Math.round(num(t, `${name}.block_words`)));
    const pj = (path: string) => num(t, path) * wordB * block * 1e12;
    levels.push({
      name,
      cls: name === 'dram' ? 'DRAM' : perPE ? 'regfile' : 'SRAM',
      sizeWords: name === 'dram' && cap <= 0 ? undefined : Math.floor(cap / wordB),
      blockSize: block,
      wordBits: wordB * 8,
      instances: perPE ? mx * my : 1,
      meshX: perPE ? mx : 1,
      meshY: perPE ? my : 1,
      sharedBandwidth: bw > 0 ? bw / (clock * wordB) : undefined,
      multipleBuffering: 1,
      energy: {
        read: pj(`${name}.read_energy`),
        write: pj(`${name}.write_energy`),
        update: pj(`${name}.write_energy`),
        leak: (num(t, `${name}.leakage`) / clock) * 1e12,
      },
      mayKeep: name === 'dram' ? undefined : (KEEP[str(t, `${name}.keep`)] ?? KEEP.all),
    });
  }
  return {
    name: t.name,
    levels,
    compute: {
      name: 'mac',
      cls: 'mac',
      instances: mx * my * macs,
      meshX: mx * macs,
      meshY: my,
      energy: num(t, 'pe.mac_energy') * 1e12,
    },
    cycleSeconds: 1 / clock,
  };
}

export interface PhaseMapping {
  problem: Problem;
  mapping: Mapping;
  result: NestResult;
  searched: {
    evaluated: number;
    legal: number;
    seconds: number;
    spread?: { metric: string; best: number; median: number; worst: number }[];
  };
  cached: boolean;
}

// Mappings found, per (loop nest, architecture, metric, budget, seed): a network with repeated layers is searched
// once per shape, and edits that change neither a layer nor the target reuse them. Bounded (oldest dropped).
export type CacheEntry = Omit<PhaseMapping, 'cached' | 'problem'>;
const CACHE = new Map<string, CacheEntry>();
const CACHE_MAX = 4000;
/** Keys added since the last drainCacheAdditions (a mapping worker thread sends them to the main thread). */
let added: string[] | undefined;

/** In a worker: record the cache entries the searches add, to hand them over with drainCacheAdditions. */
export function trackCacheAdditions(): void {
  added = [];
}
export function drainCacheAdditions(): [string, CacheEntry][] {
  const out = (added ?? []).flatMap((k): [string, CacheEntry][] => {
    const e = CACHE.get(k);
    return e ? [[k, e]] : [];
  });
  if (added) added = [];
  return out;
}
/** Entries found in a worker thread, into this thread's cache. */
export function primeCache(entries: [string, CacheEntry][]): void {
  for (const [k, e] of entries) {
    CACHE.set(k, e);
    if (CACHE.size > CACHE_MAX) CACHE.delete(CACHE.keys().next().value!);
  }
}

const archKey = (a: SpatialArch) =>
  JSON.stringify(a.levels.map((l) => [l.sizeWords, l.instances, l.sharedBandwidth, l.energy, l.mayKeep])) +
  `|${a.compute.instances}|${a.compute.energy}`;
/** What makes two nests the same search: bounds, and each data space's role and projection (strides included). */
export const problemKey = (p: Problem) =>
  JSON.stringify([p.dims.map((d) => p.bounds[d]), p.dataSpaces.map((d) => [d.readWrite, d.projection])]);

const cacheKey = (p: Problem, t: TargetModel, a: SpatialArch, cons: MapConstraint[]) =>
  `${problemKey(p)}|${archKey(a)}|${str(t, 'mapper.metric')}|${Math.round(num(t, 'mapper.budget'))}|${Math.round(num(t, 'mapper.seed'))}|${num(t, 'mapper.seconds')}${cons.length ? `|${JSON.stringify(cons)}` : ''}`;

/** The mapping of a nest if a simulation already found it (never searches: for hovers and views). */
export function cachedMapping(
  p: Problem,
  t: TargetModel,
  a: SpatialArch = spatialArch(t),
  pins?: LevelPin[],
): PhaseMapping | undefined {
  const hit = CACHE.get(cacheKey(p, t, a, pinsToConstraints(effectivePins(p, t, pins) ?? [])));
  return hit ? { ...hit, problem: p, cached: true } : undefined;
}

/** The mapping of one layer-phase nest on `t` (from the cache, or searched now), under the spec's pins if any. */
export function mapProblem(
  p: Problem,
  t: TargetModel,
  a: SpatialArch = spatialArch(t),
  pins?: LevelPin[],
): PhaseMapping {
  const metric = str(t, 'mapper.metric') as Metric;
  const budget = Math.round(num(t, 'mapper.budget')),
    seed = Math.round(num(t, 'mapper.seed'));
  const constraints = pinsToConstraints(effectivePins(p, t, pins) ?? []);
  const key = cacheKey(p, t, a, constraints);
  const hit = CACHE.get(key);
  if (hit) return { ...hit, problem: p, cached: true };
  const metrics: Metric[] = metric === 'delay' ? ['delay', 'energy'] : [metric];
  const seconds = num(t, 'mapper.seconds');
  const s = searchMappings(p, a, {
    metrics,
    evaluations: budget,
    seed,
    constraints,
    ...(seconds > 0 ? { seconds } : {}),
  });
  let mapping: Mapping, result: NestResult;
  if (s.best) ({ mapping, result } = s.best);
  else {
    // no legal mapping found in the budget: everything streamed from DRAM, all loops at the innermost level
    mapping = a.levels.map((_, l) => ({
      temporal: l === a.levels.length - 1 ? { ...p.bounds } : {},
      order: [...p.dims],
      spatial: {},
      spatialX: [],
      keep: l === 0 ? p.dataSpaces.map((d) => d.name) : [],
    }));
    result = analyzeMapping(p, a, mapping);
  }
  const entry = {
    mapping,
    result,
    searched: { evaluated: s.evaluated, legal: s.legal, seconds: s.seconds, spread: s.spread },
  };
  CACHE.set(key, entry);
  added?.push(key);
  if (CACHE.size > CACHE_MAX) CACHE.delete(CACHE.keys().next().value!);
  return { ...entry, problem: p, cached: false };
}

const TARGET_PINS = new Map<string, LevelPin[]>();
/** The target's `mapper.constraints` (parsed once per text; errors are the hardware spec's diagnostics). */
function targetPins(t: TargetModel): LevelPin[] {
  const text = str(t, 'mapper.constraints');
  if (!text.trim()) return [];
  let pins = TARGET_PINS.get(text);
  if (!pins) {
    pins = parseConstraints(text).pins;
    TARGET_PINS.set(text, pins);
  }
  return pins;
}

/** What a nest is mapped under: the target's constraints with the layer's pins over them. */
export function effectivePins(p: Problem, t: TargetModel, layer: LevelPin[] | undefined): LevelPin[] | undefined {
  return mergePins(p, targetPins(t), layer);
}

/** The spec's pins for a layer phase (its `mapping:`), if any. */
export function layerPins(w: Workload, l: LayerWork, phase: NestPhase): LevelPin[] | undefined {
  return phasePins(w.network.layers[l.index]?.attrs.mapping, phase);
}

export interface PinnedMapping extends PhaseMapping {
  /** Why the spec's pins could not be met (the mapping is then the mapper's own); absent when met or none given. */
  pinIssues?: string[];
  /** The issues come from the target's mapper.constraints alone (the layer pins nothing). */
  targetOnly?: boolean;
  pinned: boolean;
}

/** A nest's mapping under the layer's pins; pins that cannot be met give their issues and the unpinned mapping. */
export function mapPinned(p: Problem, t: TargetModel, a: SpatialArch, pins: LevelPin[] | undefined): PinnedMapping {
  if (pins?.length) {
    const issues = pinIssues(p, a, effectivePins(p, t, pins)!);
    if (!issues.length) {
      const m = mapProblem(p, t, a, pins);
      if (m.result.legal) return { ...m, pinned: true };
      issues.push(`no legal mapping with these pins within mapper.budget (${m.searched.evaluated} evaluated)`);
    }
    return { ...mapProblem(p, t, a), pinned: false, pinIssues: issues };
  }
  const own = mapProblem(p, t, a);
  const cons = targetPins(t);
  if (own.searched.legal === 0 && cons.length)
    return { ...own, pinned: false, pinIssues: pinIssues(p, a, effectivePins(p, t, undefined)!), targetOnly: true };
  return { ...own, pinned: false };
}

/** Every loop-nest phase of the workload with its mapping (what `accelmap map` prints and the hover shows). */
export function mapWorkload(
  w: Workload,
  t: TargetModel,
): { layer: LayerWork; phase: NestPhase; maps: PinnedMapping[] }[] {
  const a = spatialArch(t);
  const out: { layer: LayerWork; phase: NestPhase; maps: PinnedMapping[] }[] = [];
  for (const l of w.layers) {
    for (const ph of l.phases) {
      if (ph.phase === 'update' || ph.kind !== 'mvm') continue;
      const probs = phaseProblems(l, ph.phase);
      const pins = layerPins(w, l, ph.phase);
      if (probs.length) out.push({ layer: l, phase: ph.phase, maps: probs.map((p) => mapPinned(p, t, a, pins)) });
    }
  }
  return out;
}

/** What makes two nests of a workload the same search on one target: the problem and the pins it is mapped under. */
export const nestKey = (p: Problem, pins: LevelPin[] | undefined): string =>
  JSON.stringify([problemKey(p), pins?.map(({ range: _r, ...x }) => x)]);

/**
 * The distinct loop nests of a workload on a spatial target (with the pins they are mapped under), and those the cache
 * lacks.
 */
export function workloadNests(
  w: Workload,
  t: TargetModel,
): { nests: number; missing: { p: Problem; t: TargetModel; pins?: LevelPin[] }[] } {
  const a = spatialArch(t);
  const seen = new Set<string>();
  const missing: { p: Problem; t: TargetModel; pins?: LevelPin[] }[] = [];
  for (const l of w.layers)
    for (const ph of l.phases) {
      if (ph.phase === 'update' || ph.kind !== 'mvm') continue;
      const pins = layerPins(w, l, ph.phase);
      for (const p of phaseProblems(l, ph.phase)) {
        const key = nestKey(p, pins);
        if (seen.has(key)) continue;
        seen.add(key);
        if (!cachedMapping(p, t, a, pins) && !cachedMapping(p, t, a)) missing.push({ p, t, ...(pins ? { pins } : {}) });
      }
    }
  return { nests: seen.size, missing };
}

const LANES = { compute: 'engine:pe-array', dma: 'dma' };

/**
 * Silicon area of the array and its on-chip buffers (DRAM is off chip): per PE its MAC lanes, its buffer and the rest
 * (registers, control, network share), plus the global buffer. 45 nm figures by default (area.*).
 */
export function spatialArea(t: TargetModel): AreaBreakdown {
  const pes = Math.max(1, Math.round(num(t, 'pe.mesh_x'))) * Math.max(1, Math.round(num(t, 'pe.mesh_y')));
  const macs = Math.max(1, Math.round(num(t, 'pe.macs'))),
    KiB = 1024;
  const parts = [
    { name: 'MACs', m2: pes * macs * num(t, 'area.mac') },
    {
      name: 'PE buffers',
      m2: pes * (Math.max(0, num(t, 'pe_buffer.capacity')) / KiB) * num(t, 'area.regfile_per_kib'),
    },
    { name: 'PE registers, control and network', m2: pes * num(t, 'area.pe_other') },
    { name: 'global buffer', m2: (Math.max(0, num(t, 'global_buffer.capacity')) / KiB) * num(t, 'area.sram_per_kib') },
  ];
  return { m2: parts.reduce((a, p) => a + p.m2, 0), parts };
}

/** The target's figures one run needs. */
interface SpatialRun {
  t: TargetModel;
  a: SpatialArch;
  clock: number;
  wordB: number;
  peak: number;
  dramBw: number;
}

export const spatialSim: TargetSimulator = {
  kind: 'spatial',
  area: spatialArea,
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult {
    const a = spatialArch(t);
    const clock = num(t, 'clock'),
      wordB = num(t, 'word_bits') / 8;
    const peak = 2 * a.compute.instances * clock;
    const dram = a.levels[0];
    const run: SpatialRun = {
      t,
      a,
      clock,
      wordB,
      peak,
      dramBw: dram.sharedBandwidth ? dram.sharedBandwidth * clock * wordB : Infinity,
    };
    const rec = new Recorder(w, ctx);
    const drafts: FindingDraft[] = [];
    let fallback = 0;
    for (let i = 0, order = trainingOrder(w); i < order.length; i++) {
      const li = order.layer[i],
        p = order.work[i];
      const l = w.layers[li];
      const probs = p.kind === 'mvm' && p.phase !== 'update' ? phaseProblems(l, p.phase) : [];
      if (!probs.length) {
        rec.addPlaced(li, streamed(p, a, clock, wordB, run.dramBw, peak), LANES);
        continue;
      }
      const m = mappedPhase(run, w, l, p, probs, drafts, !!ctx.layers);
      fallback += m.fallback;
      rec.addPlaced(li, m.row, LANES);
    }
    if (fallback)
      drafts.push(
        finding(
          'spatial.no-legal-mapping',
          'warning',
          `${fallback} layer phase(s) had no legal mapping within mapper.budget: they stream every operand from DRAM. Raise mapper.budget or the buffer capacities.`,
        ),
      );
    // (how many nests were searched now and how long it took is left out: the result must not depend on the cache)
    drafts.push(
      finding(
        'spatial.mapper',
        'info',
        `Each conv/matrix layer phase is a loop nest mapped by the mapper (minimising ${str(t, 'mapper.metric')}, ${Math.round(num(t, 'mapper.budget'))} mappings per nest, cached per nest). Element-wise layers and the update stream through DRAM.`,
      ),
    );
    return rec.result(
      {
        name: t.name,
        kind: t.kind,
        peak: {
          flops: peak,
          bandwidth: { dram: run.dramBw },
          levels: a.levels.map((lv) => ({
            name: lv.name,
            bandwidthBps: lv.sharedBandwidth ? lv.sharedBandwidth * clock * wordB * lv.instances : 0,
            sizeB: (lv.sizeWords ?? 0) * wordB * lv.instances,
          })),
        },
      },
      rec.rows.totals(peak, w.batch),
      drafts,
      t.notes,
    );
  },
};

/**
 * A layer phase as its loop nests (one, or dA and dB), each mapped (pins of the spec honoured, else the mapper's
 * own; a warning once per phase when they cannot be met): cycles, bytes and energy per level summed over the nests.
 */
function mappedPhase(
  run: SpatialRun,
  w: Workload,
  l: LayerWork,
  p: PhaseWork,
  probs: Problem[],
  drafts: FindingDraft[],
  detail: boolean,
) {
  const { t, a, wordB, clock } = run;
  const bytes: Record<string, number> = {};
  const energy = { compute: 0, sram: 0, dram: 0, static: 0 };
  let cycles = 0,
    computeCycles = 0,
    fallback = 0;
  const lines: string[] = [];
  const pins = layerPins(w, l, p.phase as NestPhase);
  for (const prob of probs) {
    const m = mapPinned(prob, t, a, pins);
    if (m.pinIssues && !drafts.some((f) => f.code === 'mapping.illegal' && f.layer === l.name && f.phase === p.phase))
      drafts.push(pinFinding(t, l, p, m));
    if (!m.result.legal) fallback++;
    const r = m.result;
    if (detail)
      lines.push(
        `${probs.length > 1 ? `${prob.name}: ` : ''}${r.legal ? nestLine(prob, a, m.mapping) : 'no legal mapping: streamed from DRAM'}${m.pinned ? ' (pinned)' : ''}`,
      );
    cycles += r.cycles;
    computeCycles += r.computeCycles;
    energy.compute += r.computeEnergyPJ * 1e-12;
    r.levels.forEach((lv) => {
      bytes[lv.name] =
        (bytes[lv.name] ?? 0) +
        lv.tensors.reduce((x, ts) => x + (ts.reads + ts.fills + ts.updates) * ts.instances, 0) * wordB;
      const acc = (lv.energyPJ - lv.leakPJ) * 1e-12;
      if (lv.name === 'dram') energy.dram += acc;
      else energy.sram += acc;
      energy.static += lv.leakPJ * 1e-12;
    });
  }
  const row = {
    phase: p.phase,
    engine: 'accelerator' as const,
    flops: p.flops,
    bytes,
    outer: 'dram',
    computeS: computeCycles / clock,
    memoryS: cycles / clock,
    overheadS: 0,
    peakFlops: run.peak,
    energy,
    mapping: detail ? lines.join('; ') : undefined,
  };
  return { row, fallback };
}

/** The pinned mapping (or the target's mapper.constraints) cannot be met for a layer phase: why, and what is used. */
function pinFinding(t: TargetModel, l: LayerWork, p: PhaseWork, m: PinnedMapping): FindingDraft {
  const issues = m.pinIssues ?? [];
  const why = issues.length ? issues.join('; ') : 'no legal mapping within mapper.budget';
  return finding(
    'mapping.illegal',
    'warning',
    m.targetOnly
      ? `${l.name} ${p.phase}: ${t.name}'s mapper.constraints cannot be met: ${why}. Every operand streams from DRAM.`
      : `${l.name} ${p.phase}: the pinned mapping cannot be met on ${t.name}: ${why}. The mapper's own mapping is used instead.`,
    { issues: issues.length },
    { layer: l.name, phase: p.phase },
  );
}

/** A memory-bound phase or the update: compulsory bytes through DRAM, one operation per MAC lane per cycle. */
function streamed(p: PhaseWork, a: SpatialArch, clock: number, wordB: number, dramBw: number, peak: number) {
  const dram = a.levels[0];
  const words = p.minBytes / wordB;
  const readsW = (p.minBytes - p.actWriteBytes) / wordB,
    writesW = words - readsW;
  const e = (readsW * dram.energy.read + writesW * dram.energy.write) * 1e-12;
  return {
    phase: p.phase,
    engine: 'accelerator' as const,
    flops: p.flops,
    bytes: { dram: p.minBytes },
    outer: 'dram',
    computeS: p.flops / (a.compute.instances * clock),
    memoryS: Number.isFinite(dramBw) ? p.minBytes / dramBw : 0,
    overheadS: 0,
    peakFlops: peak,
    energy: { compute: (p.flops / 2) * a.compute.energy * 1e-12, dram: e },
  };
}
