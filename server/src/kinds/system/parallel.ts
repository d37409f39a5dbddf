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

export function simulateStep(
  net: NetworkModel,
  sys: SystemModel,
  s: Strategy,
  cache: StepCache = newStepCache(),
): StepResult | StepError {
  const { tp, pp, microBatches: m } = s;
  const dp = s.dp > 0 ? s.dp : Math.floor(sys.devices / (tp * pp));
  const used = dp * tp * pp;
  if (used !== sys.devices)
    return { ok: false, error: `dp ${dp} x tp ${tp} x pp ${pp} = ${used} devices, the system has ${sys.devices}` };
  if (net.batch % (dp * m) !== 0)
    return { ok: false, error: `batch ${net.batch} does not split into dp ${dp} x ${m} micro-batches` };
  const b = net.batch / (dp * m);
  if (tp > sys.fabric.devicesPerNode)
    return {
      ok: false,
      error: `tp ${tp} spans more than a node (${sys.fabric.devicesPerNode} devices): its all-reduces would cross the network`,
    };
  const key = `${b}|${tp}`;
  let dev = cache.device.get(key);
  if (!dev) {
    const base = lower({ ...net, batch: b });
    const sh = shardWorkload(base, tp);
    dev = { w: sh.w, r: simulateTarget(sh.w, sys.device, { timeline: false, layers: true }), comms: sh.comms };
    cache.device.set(key, dev);
  }
  const w = dev.w,
    r = dev.r;
  const L = w.layers.length;
  if (pp > L) return { ok: false, error: `pp ${pp} exceeds the ${L} layers` };
  const f = new Array<number>(L).fill(0),
    bw = new Array<number>(L).fill(0),
    up = new Array<number>(L).fill(0),
    fwdCompute = new Array<number>(L).fill(0);
  r.layers.forEach((lr, i) => {
    for (const ph of lr.phases) {
      if (ph.phase === 'fwd') {
        f[i] += ph.timeS;
        fwdCompute[i] += ph.timeS;
      } else if (ph.phase === 'update') up[i] += ph.timeS;
      else bw[i] += ph.timeS;
    }
  });
  const comms: CommRecord[] = [];
  const fab = sys.fabric;
  // tensor-parallel all-reduces, per micro-batch, on the critical path
  const tpF = new Array<number>(L).fill(0),
    tpB = new Array<number>(L).fill(0);
  for (const c of dev.comms) {
    const cost = collective('all_reduce', c.bytes, tp, 1, fab);
    if (c.phase === 'fwd') {
      tpF[c.layer] += cost.timeS;
      if (s.recompute) tpB[c.layer] += cost.timeS;
    } else tpB[c.layer] += cost.timeS;
  }
  const cost = f.map((x, i) => x + bw[i] + tpF[i] + tpB[i] + (s.recompute ? fwdCompute[i] : 0));
  const cuts = partition(cost, pp);
  const stages: StageRecord[] = [];
  let prev = 0,
    worst = 0,
    worstComm = 0,
    worstTp = 0,
    worstP2p = 0,
    worstTpBytes = 0;
  const bytesW = w.bytes;
  const capacity = deviceMemoryB(sys.device);
  const memStages: Memory[] = [];
  const ppStride = tp * dp;
  let syncWorst = 0,
    syncBytes = 0,
    zero3Worst = 0;
  let optWorst = 0;
  cuts.forEach((end, si) => {
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
      F += f[i] + tpF[i];
      B += bw[i] + tpB[i] + (s.recompute ? fwdCompute[i] : 0);
      U += up[i];
      tpS += tpF[i] + tpB[i];
      params += w.layers[i].params;
      saved += w.layers[i].savedBytes;
      maxSaved = Math.max(maxSaved, w.layers[i].savedBytes);
      if (w.layers[i].op === 'add') ckpt += bytesOf(w.layers[i], 'fwd', 'output');
    }
    if (si < cuts.length - 1) {
      const boundary = bytesOf(w.layers[end - 1], 'fwd', 'output');
      const c = collective('send_recv', boundary, 2, ppStride, fab);
      F += c.timeS;
      B += c.timeS;
      p2pS = 2 * c.timeS;
    }
    for (const c of dev.comms) if (c.layer >= prev && c.layer < end) tpBytes += c.bytes;
    if (F + B > worst) {
      worst = F + B;
      worstTp = tpS;
      worstP2p = p2pS;
      worstComm = tpS + p2pS;
      worstTpBytes = tpBytes;
    }
    // data-parallel gradient sync of this stage
    const gradB = params * bytesW.grad,
      paramB = params * bytesW.weight;
    let sync = 0;
    if (dp > 1) {
      if (s.zero === 0) sync = collective('all_reduce', gradB, dp, tp, fab).timeS;
      else
        sync =
          collective('reduce_scatter', gradB, dp, tp, fab).timeS + collective('all_gather', paramB, dp, tp, fab).timeS;
      if (s.zero === 3)
        zero3Worst = Math.max(
          zero3Worst,
          Math.max(0, 2 * m * collective('all_gather', paramB, dp, tp, fab).timeS - m * (F + B)),
        );
    }
    if (sync > syncWorst) {
      syncWorst = sync;
      syncBytes = gradB;
    }
    optWorst = Math.max(optWorst, U / (s.zero >= 1 ? dp : 1));
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
      capacityB: capacity,
    };
    mem.totalB = mem.weightsB + mem.gradientsB + mem.optimizerB + mem.activationsB;
    memStages.push(mem);
    stages.push({
      first: w.layers[prev].name,
      last: w.layers[end - 1].name,
      layers: idx.length,
      fwdS: F,
      bwdS: B,
      memoryB: mem.totalB,
    });
    prev = end;
  });
  if (worstTp > 0)
    comms.push({
      role: 'tp',
      what: 'tensor-parallel all-reduces (two per block forward, two backward)',
      kind: 'all_reduce',
      group: tp,
      bytes: worstTpBytes * m,
      timeS: worstTp * m,
      exposedS: worstTp * m,
      algorithm: collective('all_reduce', dev.comms[0].bytes, tp, 1, fab).algorithm,
    });
  const pipeline = (m + pp - 1) * worst;
  const bubble = (pp - 1) * worst;
  let exposedSync = syncWorst;
  if (dp > 1 && s.overlap && pp === 1) {
    const lastBucket = syncWorst * Math.min(1, s.bucketB / Math.max(1, syncBytes));
    exposedSync = Math.max(syncWorst - stages[0].bwdS, lastBucket);
  }
  if (dp > 1)
    comms.push({
      role: 'dp',
      what: s.zero ? `ZeRO-${s.zero} gradient reduce-scatter + weight all-gather` : 'data-parallel gradient all-reduce',
      kind: s.zero ? 'reduce_scatter' : 'all_reduce',
      group: dp,
      bytes: syncBytes,
      timeS: syncWorst,
      exposedS: exposedSync,
      algorithm: collective('all_reduce', syncBytes, dp, tp, fab).algorithm,
    });
  if (zero3Worst > 0)
    comms.push({
      role: 'zero3',
      what: 'ZeRO-3 weight all-gathers beyond the compute they overlap',
      kind: 'all_gather',
      group: dp,
      bytes: 0,
      timeS: zero3Worst,
      exposedS: zero3Worst,
      algorithm: '',
    });
  if (pp > 1)
    comms.push({
      role: 'pp',
      what: 'pipeline activations and gradients between stages',
      kind: 'send_recv',
      group: 2,
      bytes: 0,
      timeS: worstP2p * m,
      exposedS: worstP2p * m,
      algorithm: collective('send_recv', 1, 2, ppStride, fab).algorithm,
    });
  const timeS = pipeline + exposedSync + zero3Worst + optWorst;
  const mem = memStages.reduce((a, x) => (x.totalB > a.totalB ? x : a), memStages[0]);
  // FLOPs: model (forward + backward at the full batch) and hardware (with recomputation), per device
  const unsharded = cache.device.get(`${b}|1`)?.w ?? lower({ ...net, batch: b });
  const fbFlops = unsharded.layers.reduce(
    (x, l) => x + l.phases.filter((p) => p.phase !== 'update').reduce((y, p) => y + p.flops, 0),
    0,
  );
  const fwdFlops = unsharded.layers.reduce(
    (x, l) => x + l.phases.filter((p) => p.phase === 'fwd').reduce((y, p) => y + p.flops, 0),
    0,
  );
  const stepFlops = fbFlops * m * dp,
    hwFlops = (fbFlops + (s.recompute ? fwdFlops : 0)) * m * dp;
  const linkE =
    comms.reduce(
      (x, c) =>
        x +
        (c.bytes > 0
          ? collective(c.kind, c.bytes, c.group, c.group === tp ? 1 : tp, fab).energyJ * (c.group === tp ? m : 1)
          : 0),
      0,
    ) *
    (sys.devices / Math.max(1, tp));
  const devE = r.totals.energyJ * m;
  const peak = r.peak.flops;
  const compute = m * (worst - worstComm);
  return {
    ok: true,
    strategy: { ...s, dp },
    devices: sys.devices,
    microBatch: b,
    timeS,
    computeS: Math.max(0, compute),
    exposedCommS: worstComm * m + exposedSync + zero3Worst,
    bubbleS: bubble,
    optimizerS: optWorst,
    energyJ: (devE * sys.devices) / Math.max(1, pp) + linkE,
    linkEnergyJ: linkE,
    samplesPerS: net.batch / timeS,
    flopsPerDevice: stepFlops / (sys.devices * timeS),
    mfu: stepFlops / (sys.devices * timeS) / peak,
    hwFlopsPerDevice: hwFlops / (sys.devices * timeS),
    memory: mem,
    fits: mem.totalB <= capacity,
    stages,
    comms,
    device: r,
  };
}
