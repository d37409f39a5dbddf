// One training step on many devices. The network is lowered at the micro-batch size b = batch / (dp x m), its
// linear and attention layers split tp-ways (Megatron: a linear whose input is whole is column-parallel, its output
// split; one whose input is split is row-parallel, its output whole after an all-reduce; layers fed by split
// tensors are split; layer norms, residual adds and embeddings stay whole), and simulated on ONE device with that
// device's own model. Then:
//   stages     the layers cut into pp contiguous stages minimising the slowest stage's forward + backward time
//   F_s, B_s   a stage's forward and backward time per micro-batch, plus its tensor-parallel all-reduces (not
//              overlapped, as Megatron), the activations / gradients sent to the next / previous stage, and the
//              recomputed forward when recomputation is on
//   pipeline   (m + pp - 1) x max_s (F_s + B_s) (1F1B and GPipe alike; the bubble is (pp - 1) slots)
//   dp sync    the gradient all-reduce of a stage's parameters over its dp replicas (ZeRO 1/2: reduce-scatter of the
//              gradients + all-gather of the updated weights; ZeRO 3 adds two all-gathers of the weights per
//              micro-batch, hidden under compute up to its length); overlapped with the last micro-batch's
//              backward when there is no pipeline and overlap is on, the last bucket always exposed
//   optimizer  the device's update time for the stage's parameters (/ dp with ZeRO >= 1)
//   step       pipeline + exposed dp sync + optimizer
// Rank order: tensor-parallel ranks adjacent, then data-parallel, then pipeline (so dp groups are tp apart and
// pipeline neighbours tp x dp apart), as Megatron-LM places them.
// Memory per device: weights, gradients, optimizer state (+ fp32 masters) of the stage's share, and the activations
// of the micro-batches in flight (1F1B: pp - s for stage s; GPipe: all m), against the device memory.
import type { NetworkModel, TargetModel } from '../../spec/types';
import { lower } from '../../sim/lower';
import { simulateTarget } from '../../sim/index';
import type { LayerWork, PhaseWork, Workload } from '../../sim/workload';
import type { TargetResult } from '../../sim/types';
import { collective, type CollectiveKind, type Fabric } from './collectives';

export interface Strategy {
  dp: number;
  tp: number;
  pp: number;
  microBatches: number;
  schedule: '1f1b' | 'gpipe';
  zero: 0 | 1 | 2 | 3;
  recompute: boolean;
  overlap: boolean;
  bucketB: number;
}

/**
 * role: which part of the strategy needs it (tensor parallel, data-parallel sync, ZeRO-3 gathers, pipeline transfers).
 */
export interface CommRecord {
  role: 'tp' | 'dp' | 'zero3' | 'pp';
  what: string;
  kind: CollectiveKind;
  group: number;
  bytes: number;
  timeS: number;
  exposedS: number;
  algorithm: string;
}
export interface StageRecord {
  first: string;
  last: string;
  layers: number;
  fwdS: number;
  bwdS: number;
  memoryB: number;
}

export interface Memory {
  weightsB: number;
  gradientsB: number;
  optimizerB: number;
  activationsB: number;
  totalB: number;
  capacityB: number;
}

export interface StepResult {
  ok: true;
  strategy: Strategy;
  devices: number;
  microBatch: number;
  timeS: number;
  computeS: number;
  exposedCommS: number;
  bubbleS: number;
  optimizerS: number;
  energyJ: number;
  linkEnergyJ: number;
  samplesPerS: number;
  /** Model FLOPs (forward + backward, no recomputation) per second per device, and over the device's peak. */
  flopsPerDevice: number;
  mfu: number;
  /** Hardware FLOPs per second per device (recomputation included). */
  hwFlopsPerDevice: number;
  memory: Memory;
  fits: boolean;
  stages: StageRecord[];
  comms: CommRecord[];
  /** One device's result at the micro-batch (stage-agnostic per-layer figures). */
  device: TargetResult;
}
export interface StepError {
  ok: false;
  error: string;
}

export interface SystemModel {
  name: string;
  device: TargetModel;
  devices: number;
  fabric: Fabric;
}

/** Device memory capacity from the device's parameters (GPU HBM, a cube's DRAM, ...); Infinity when unknown. */
export function deviceMemoryB(t: TargetModel): number {
  for (const p of ['memory.hbm_size', 'memory.dram_size', 'memory.capacity', 'memory.size']) {
    const v = t.params[p];
    if (typeof v === 'number' && v > 0) return v;
  }
  return Infinity;
}

// ------------------------------------------------------------------------------------------------ tensor parallel

const scalePhase = (p: PhaseWork, k: number): PhaseWork => ({
  ...p,
  flops: p.flops * k,
  macs: p.macs * k,
  minBytes: p.minBytes * k,
  weightBytes: p.weightBytes * k,
  actReadBytes: p.actReadBytes * k,
  actWriteBytes: p.actWriteBytes * k,
  activationBytes: p.activationBytes * k,
  gradientBytes: p.gradientBytes * k,
  weightRoleBytes: p.weightRoleBytes * k,
  weightGradBytes: p.weightGradBytes * k,
  tensors: p.tensors.map((t) => ({ ...t, bytes: t.bytes * k })),
});
const bytesOf = (l: LayerWork, phase: string, role: string) =>
  l.phases
    .find((p) => p.phase === phase)
    ?.tensors.filter((t) => t.role === role)
    .reduce((x, t) => x + t.bytes, 0) ?? 0;

export interface TpComm {
  layer: number;
  phase: 'fwd' | 'bwd_data';
  bytes: number;
}

/** The workload one tensor-parallel rank runs, and the all-reduces each split layer needs. */
export function shardWorkload(w: Workload, tp: number): { w: Workload; comms: TpComm[]; sharded: boolean[] } {
  const sharded = w.layers.map(() => false);
  if (tp <= 1) return { w, comms: [], sharded };
  const comms: TpComm[] = [];
  const k = 1 / tp;
  const layers = w.layers.map((l, i) => {
    const ins = w.network.layers[l.index]?.inputs ?? [];
    const inSplit = ins.some((j) => j >= 0 && sharded[j]);
    let split = false,
      outSplit = false;
    if (l.cls === 'matmul' && l.params > 0) {
      split = true;
      if (inSplit)
        comms.push({ layer: i, phase: 'fwd', bytes: bytesOf(l, 'fwd', 'output') }); // row-parallel: output all-reduced
      else {
        outSplit = true;
        comms.push({ layer: i, phase: 'bwd_data', bytes: bytesOf(l, 'bwd_data', 'input_grad') });
      } // column-parallel
    } else if (l.cls === 'embedding') {
      split = false;
    } else if (inSplit) {
      split = true;
      outSplit = true;
    }
    sharded[i] = outSplit;
    if (!split) return l;
    const dims = { ...l.dims };
    if (l.cls === 'matmul') {
      if (l.params > 0) dims.N = Math.max(1, Math.round(dims.N * k));
      else if (dims.B) dims.B = Math.max(1, Math.round(dims.B * k));
    } else if (dims.E) dims.E = Math.max(1, Math.round(dims.E * k));
    return {
      ...l,
      dims,
      params: l.params * k,
      savedBytes: l.savedBytes * k,
      phases: l.phases.map((p) => scalePhase(p, k)),
    };
  });
  const totalParams = layers.reduce((x, l) => x + l.params, 0);
  return {
    w: {
      ...w,
      layers,
      totalParams,
      totalFlops: layers.reduce((x, l) => x + l.phases.reduce((y, p) => y + p.flops, 0), 0),
      footprint: {
        ...w.footprint,
        weights: w.footprint.weights * (totalParams / Math.max(1, w.totalParams)),
        gradients: w.footprint.gradients * (totalParams / Math.max(1, w.totalParams)),
        optimizer: w.footprint.optimizer * (totalParams / Math.max(1, w.totalParams)),
        saved: layers.reduce((x, l) => x + l.savedBytes, 0),
      },
    },
    comms,
    sharded,
  };
}

// ------------------------------------------------------------------------------------------------ pipeline

/** Contiguous split of costs into `parts` groups minimising the largest group sum (binary search + greedy). */
export function partition(costs: number[], parts: number): number[] {
  const n = costs.length;
  if (parts <= 1 || n <= 1) return [n];
  const fits = (cap: number) => {
    const cuts: number[] = [];
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (s + costs[i] > cap && s > 0) {
        cuts.push(i);
        s = 0;
      }
      s += costs[i];
    }
    cuts.push(n);
    return cuts;
  };
  let lo = Math.max(...costs),
    hi = costs.reduce((x, y) => x + y, 0);
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (fits(mid).length <= parts) hi = mid;
    else lo = mid;
  }
  const cuts = fits(hi);
  // split the largest groups further until there are exactly `parts` (each stage gets at least one layer)
  while (cuts.length < parts && cuts.length < n) {
    let best = -1,
      bestSize = 0,
      prev = 0;
    cuts.forEach((c, i) => {
      if (c - prev > bestSize) {
        bestSize = c - prev;
        best = i;
      }
      prev = c;
    });
    const start = best === 0 ? 0 : cuts[best - 1];
    if (bestSize < 2) break;
    cuts.splice(best, 0, start + Math.floor(bestSize / 2));
  }
  return cuts;
}

// ------------------------------------------------------------------------------------------------ the step

export interface StepCache {
  device: Map<string, { w: Workload; r: TargetResult; comms: TpComm[] }>;
}
export const newStepCache = (): StepCache => ({ device: new Map() });

/** dp (0 = the devices left), the micro-batch and the checks a strategy must pass, or the reason it cannot run. */
function stepShape(net: NetworkModel, sys: SystemModel, s: Strategy): { dp: number; b: number } | StepError {
  const { tp, pp, microBatches: m } = s;
  const dp = s.dp > 0 ? s.dp : Math.floor(sys.devices / (tp * pp));
  const used = dp * tp * pp;
  if (used !== sys.devices)
    return { ok: false, error: `dp ${dp} x tp ${tp} x pp ${pp} = ${used} devices, the system has ${sys.devices}` };
  if (net.batch % (dp * m) !== 0)
    return { ok: false, error: `batch ${net.batch} does not split into dp ${dp} x ${m} micro-batches` };
  if (tp > sys.fabric.devicesPerNode)
    return {
      ok: false,
      error: `tp ${tp} spans more than a node (${sys.fabric.devicesPerNode} devices): its all-reduces would cross the network`,
    };
  return { dp, b: net.batch / (dp * m) };
}

/** One device's run at the micro-batch with its tensor-parallel shard of every layer (cached per micro-batch, tp). */
function deviceRun(net: NetworkModel, sys: SystemModel, b: number, tp: number, cache: StepCache) {
  const key = `${b}|${tp}`;
  let dev = cache.device.get(key);
  if (!dev) {
    const base = lower({ ...net, batch: b });
    const sh = shardWorkload(base, tp);
    dev = { w: sh.w, r: simulateTarget(sh.w, sys.device, { timeline: false, layers: true }), comms: sh.comms };
    cache.device.set(key, dev);
  }
  return dev;
}
type DeviceRun = ReturnType<typeof deviceRun>;

/**
 * Per layer of the device run: forward, backward and update times, and the tensor-parallel all-reduces on the
 * critical path (per micro-batch; a recomputed forward repeats its all-reduces in the backward pass).
 */
function layerTimes(dev: DeviceRun, s: Strategy, fab: Fabric) {
  const L = dev.w.layers.length;
  const zeros = () => new Array<number>(L).fill(0);
  const f = zeros(),
    bw = zeros(),
    up = zeros(),
    fwdCompute = zeros(),
    tpF = zeros(),
    tpB = zeros();
  dev.r.layers.forEach((lr, i) => {
    for (const ph of lr.phases) {
      if (ph.phase === 'fwd') {
        f[i] += ph.timeS;
        fwdCompute[i] += ph.timeS;
      } else if (ph.phase === 'update') up[i] += ph.timeS;
      else bw[i] += ph.timeS;
    }
  });
  for (const c of dev.comms) {
    const cost = collective('all_reduce', c.bytes, s.tp, 1, fab);
    if (c.phase === 'fwd') {
      tpF[c.layer] += cost.timeS;
      if (s.recompute) tpB[c.layer] += cost.timeS;
    } else tpB[c.layer] += cost.timeS;
  }
  return { f, bw, up, fwdCompute, tpF, tpB };
}
type LayerTimes = ReturnType<typeof layerTimes>;

/**
 * One pipeline stage (layers prev..end-1): its forward and backward time per micro-batch (with its tensor-parallel
 * all-reduces and, except the last stage, the send to the next), its update, its data-parallel gradient sync and
 * exposed ZeRO-3 gathers, and the memory one of its devices holds.
 */
function stageCost(
  dev: DeviceRun,
  t: LayerTimes,
  s: Strategy,
  sys: SystemModel,
  dp: number,
  range: { prev: number; end: number; si: number; last: boolean },
) {
  const { w } = dev;
  const { prev, end, si } = range;
  const { tp, pp, microBatches: m } = s;
  const fab = sys.fabric;
  const idx = Array.from({ length: end - prev }, (_, k) => prev + k);
  let F = 0,
    B = 0,
    U = 0,
    params = 0,
    saved = 0,
    ckpt = 0,
    maxSaved = 0,
    tpS = 0,
    p2pS = 0,
    tpBytes = 0;
  for (const i of idx) {
    F += t.f[i] + t.tpF[i];
    B += t.bw[i] + t.tpB[i] + (s.recompute ? t.fwdCompute[i] : 0);
    U += t.up[i];
    tpS += t.tpF[i] + t.tpB[i];
    params += w.layers[i].params;
    saved += w.layers[i].savedBytes;
    maxSaved = Math.max(maxSaved, w.layers[i].savedBytes);
    if (w.layers[i].op === 'add') ckpt += bytesOf(w.layers[i], 'fwd', 'output');
  }
  if (!range.last) {
    const boundary = bytesOf(w.layers[end - 1], 'fwd', 'output');
    const c = collective('send_recv', boundary, 2, tp * dp, fab);
    F += c.timeS;
    B += c.timeS;
    p2pS = 2 * c.timeS;
  }
  for (const c of dev.comms) if (c.layer >= prev && c.layer < end) tpBytes += c.bytes;
  // data-parallel gradient sync of this stage
  const gradB = params * w.bytes.grad,
    paramB = params * w.bytes.weight;
  let sync = 0,
    zero3 = 0;
  if (dp > 1) {
    if (s.zero === 0) sync = collective('all_reduce', gradB, dp, tp, fab).timeS;
    else
      sync =
        collective('reduce_scatter', gradB, dp, tp, fab).timeS + collective('all_gather', paramB, dp, tp, fab).timeS;
    if (s.zero === 3) zero3 = Math.max(0, 2 * m * collective('all_gather', paramB, dp, tp, fab).timeS - m * (F + B));
  }
  const inFlight = s.schedule === 'gpipe' ? m : Math.min(m, pp - si);
  // recomputation keeps each block's input (one residual-stream tensor per two residual adds: a transformer block,
  // ASM) for every micro-batch in flight, plus one block's saved activations while it is recomputed
  const adds = idx.filter((i) => w.layers[i].op === 'add').length;
  const act = s.recompute
    ? (ckpt / 2) * inFlight + Math.max(maxSaved, saved / Math.max(1, adds / 2))
    : saved * inFlight;
  const optB = w.footprint.optimizer * (params / Math.max(1, w.totalParams));
  const mem: Memory = {
    weightsB: paramB / (s.zero === 3 ? dp : 1),
    gradientsB: gradB / (s.zero >= 2 ? dp : 1),
    optimizerB: optB / (s.zero >= 1 ? dp : 1),
    activationsB: act,
    totalB: 0,
    capacityB: deviceMemoryB(sys.device),
  };
  mem.totalB = mem.weightsB + mem.gradientsB + mem.optimizerB + mem.activationsB;
  const record: StageRecord = {
    first: w.layers[prev].name,
    last: w.layers[end - 1].name,
    layers: idx.length,
    fwdS: F,
    bwdS: B,
    memoryB: mem.totalB,
  };
  return { F, B, tpS, p2pS, tpBytes, sync, gradB, zero3, optimizerS: U / (s.zero >= 1 ? dp : 1), mem, record };
}

/** FLOPs of the step per device: the model's (forward + backward at the full batch) and the hardware's (recomputed). */
function stepFlops(net: NetworkModel, b: number, s: Strategy, dp: number, cache: StepCache) {
  const unsharded = cache.device.get(`${b}|1`)?.w ?? lower({ ...net, batch: b });
  const sum = (keep: (phase: string) => boolean) =>
    unsharded.layers.reduce((x, l) => x + l.phases.filter((p) => keep(p.phase)).reduce((y, p) => y + p.flops, 0), 0);
  const fbFlops = sum((ph) => ph !== 'update'),
    fwdFlops = sum((ph) => ph === 'fwd');
  return {
    model: fbFlops * s.microBatches * dp,
    hardware: (fbFlops + (s.recompute ? fwdFlops : 0)) * s.microBatches * dp,
  };
}

type StageCostOf = ReturnType<typeof stageCost>;

/** What sets the step's pace: the slowest stage, the largest gradient sync and ZeRO-3 gather, the optimizer step. */
interface Pace {
  slow: StageCostOf;
  /** The slowest stage's forward + backward per micro-batch, and the communication inside it. */
  worst: number;
  worstComm: number;
  syncS: number;
  syncBytes: number;
  zero3S: number;
  optimizerS: number;
}

export function simulateStep(
  net: NetworkModel,
  sys: SystemModel,
  s: Strategy,
  cache: StepCache = newStepCache(),
): StepResult | StepError {
  const shape = stepShape(net, sys, s);
  if ('ok' in shape) return shape;
  const { dp, b } = shape;
  const { tp, pp, microBatches: m } = s;
  const dev = deviceRun(net, sys, b, tp, cache);
  const { w, r } = dev;
  const L = w.layers.length;
  if (pp > L) return { ok: false, error: `pp ${pp} exceeds the ${L} layers` };
  const t = layerTimes(dev, s, sys.fabric);
  // stages balanced on each layer's forward + backward time (recomputed forward included)
  const cuts = partition(
    t.f.map((x, i) => x + t.bw[i] + t.tpF[i] + t.tpB[i] + (s.recompute ? t.fwdCompute[i] : 0)),
    pp,
  );
  const costs = cuts.map((end, si) =>
    stageCost(dev, t, s, sys, dp, { prev: si ? cuts[si - 1] : 0, end, si, last: si === cuts.length - 1 }),
  );
  const stages = costs.map((c) => c.record);
  const pace = paceOf(costs);
  const { worst, worstComm, zero3S, optimizerS } = pace;
  const exposedSync = exposedSyncS(pace, s, dp, pp, stages[0].bwdS);
  const comms = stepComms(pace, s, dp, exposedSync, dev.comms[0]?.bytes ?? 0, sys.fabric);
  const timeS = (m + pp - 1) * worst + exposedSync + zero3S + optimizerS;
  const mem = costs.map((c) => c.mem).reduce((a, x) => (x.totalB > a.totalB ? x : a));
  const flops = stepFlops(net, b, s, dp, cache);
  const linkE = linkEnergyJ(comms, tp, m, sys.fabric) * (sys.devices / Math.max(1, tp));
  const devE = r.totals.energyJ * m;
  return {
    ok: true,
    strategy: { ...s, dp },
    devices: sys.devices,
    microBatch: b,
    timeS,
    computeS: Math.max(0, m * (worst - worstComm)),
    exposedCommS: worstComm * m + exposedSync + zero3S,
    bubbleS: (pp - 1) * worst,
    optimizerS,
    energyJ: (devE * sys.devices) / Math.max(1, pp) + linkE,
    linkEnergyJ: linkE,
    samplesPerS: net.batch / timeS,
    flopsPerDevice: flops.model / (sys.devices * timeS),
    mfu: flops.model / (sys.devices * timeS) / r.peak.flops,
    hwFlopsPerDevice: flops.hardware / (sys.devices * timeS),
    memory: mem,
    fits: mem.totalB <= mem.capacityB,
    stages,
    comms,
    device: r,
  };
}

/** The slowest stage sets the pipeline's pace; the largest sync and optimizer step end the step. */
function paceOf(costs: StageCostOf[]): Pace {
  const slow = costs.reduce((a, c) => (c.F + c.B > a.F + a.B ? c : a), costs[0]);
  const syncStage = costs.reduce((a, c) => (c.sync > a.sync ? c : a), { sync: 0, gradB: 0 });
  return {
    slow,
    worst: slow.F + slow.B,
    worstComm: slow.tpS + slow.p2pS,
    syncS: syncStage.sync,
    syncBytes: syncStage.gradB,
    zero3S: Math.max(0, ...costs.map((c) => c.zero3)),
    optimizerS: Math.max(0, ...costs.map((c) => c.optimizerS)),
  };
}

/**
 * The data-parallel sync not hidden: all of it, or — overlapped with the backward pass (no pipeline) — what exceeds
 * the first stage's backward, and at least the last bucket's share.
 */
function exposedSyncS(pace: Pace, s: Strategy, dp: number, pp: number, bwdS: number): number {
  if (!(dp > 1 && s.overlap && pp === 1)) return pace.syncS;
  const lastBucket = pace.syncS * Math.min(1, s.bucketB / Math.max(1, pace.syncBytes));
  return Math.max(pace.syncS - bwdS, lastBucket);
}

/** The step's collectives: tensor-parallel all-reduces, the data-parallel sync, ZeRO-3 gathers, pipeline transfers. */
function stepComms(
  pace: Pace,
  s: Strategy,
  dp: number,
  exposedSync: number,
  tpMessageB: number,
  fab: Fabric,
): CommRecord[] {
  const { tp, pp, microBatches: m } = s;
  const { slow } = pace;
  const comms: CommRecord[] = [];
  if (slow.tpS > 0)
    comms.push({
      role: 'tp',
      what: 'tensor-parallel all-reduces (two per block forward, two backward)',
      kind: 'all_reduce',
      group: tp,
      bytes: slow.tpBytes * m,
      timeS: slow.tpS * m,
      exposedS: slow.tpS * m,
      algorithm: collective('all_reduce', tpMessageB, tp, 1, fab).algorithm,
    });
  if (dp > 1)
    comms.push({
      role: 'dp',
      what: s.zero ? `ZeRO-${s.zero} gradient reduce-scatter + weight all-gather` : 'data-parallel gradient all-reduce',
      kind: s.zero ? 'reduce_scatter' : 'all_reduce',
      group: dp,
      bytes: pace.syncBytes,
      timeS: pace.syncS,
      exposedS: exposedSync,
      algorithm: collective('all_reduce', pace.syncBytes, dp, tp, fab).algorithm,
    });
  if (pace.zero3S > 0)
    comms.push({
      role: 'zero3',
      what: 'ZeRO-3 weight all-gathers beyond the compute they overlap',
      kind: 'all_gather',
      group: dp,
      bytes: 0,
      timeS: pace.zero3S,
      exposedS: pace.zero3S,
      algorithm: '',
    });
  if (pp > 1)
    comms.push({
      role: 'pp',
      what: 'pipeline activations and gradients between stages',
      kind: 'send_recv',
      group: 2,
      bytes: 0,
      timeS: slow.p2pS * m,
      exposedS: slow.p2pS * m,
      algorithm: collective('send_recv', 1, 2, tp * dp, fab).algorithm,
    });
  return comms;
}

/** Link energy of one replica's collectives (tensor-parallel ones once per micro-batch). */
function linkEnergyJ(comms: CommRecord[], tp: number, m: number, fab: Fabric): number {
  return comms.reduce(
    (x, c) =>
      x +
      (c.bytes > 0
        ? collective(c.kind, c.bytes, c.group, c.group === tp ? 1 : tp, fab).energyJ * (c.group === tp ? m : 1)
        : 0),
    0,
  );
}
