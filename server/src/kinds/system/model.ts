// The 'system' target: a training step on many devices (params.ts; model: kinds/system/parallel.ts). Its
// result's totals are the whole step (all devices), its per-layer figures are one device's at the micro-batch, and
// its timeline shows one step of the slowest stage: compute, tensor-parallel all-reduces, the pipeline bubble, the
// exposed data-parallel sync and the optimizer step, each on its own lane.
import type { NetworkModel, TargetModel } from '../../spec/types';
import { resolveTargets } from '../../spec/resolve';
import { KINDS } from '../params';
import type { TargetResult, TimelineEvent, Totals } from '../../sim/types';
import type { Workload } from '../../sim/workload';
import { num, str, bool, type SimContext, type TargetSimulator } from '../../sim/target';
import { finding, type Finding, type FindingDraft } from '../../sim/findings';
import type { Algorithm, Fabric, FabricLevel, Topology } from './collectives';
import {
  newStepCache,
  simulateStep,
  type CommRecord,
  type StepCache,
  type StepResult,
  type Strategy,
  type SystemModel,
} from './parallel';

/**
 * The system's device (a target of a hardware file, resolved with the system, or a preset), fabric and strategy from
 * its parameters; an error message when the device is unknown.
 */
export function readSystem(t: TargetModel): { sys?: SystemModel; strategy: Strategy; error?: string } {
  const name = str(t, 'device');
  const r = t.device ? { targets: [t.device] } : resolveTargets([name], []);
  const strategy: Strategy = {
    dp: Math.round(num(t, 'parallel.dp')),
    tp: Math.max(1, Math.round(num(t, 'parallel.tp'))),
    pp: Math.max(1, Math.round(num(t, 'parallel.pp'))),
    microBatches: Math.max(1, Math.round(num(t, 'parallel.micro_batches'))),
    schedule: str(t, 'parallel.schedule') === 'gpipe' ? 'gpipe' : '1f1b',
    zero: Math.min(3, Math.max(0, Math.round(num(t, 'parallel.zero')))) as Strategy['zero'],
    recompute: bool(t, 'parallel.recompute'),
    overlap: bool(t, 'parallel.overlap'),
    bucketB: num(t, 'parallel.bucket'),
  };
  if (!r.targets.length)
    return {
      strategy,
      error: `device \`${name}\` is neither a target of the hardware files nor a built-in preset (e.g. h100-sxm, a100-sxm, ntx)`,
    };
  if (r.targets[0].kind === 'system') return { strategy, error: `device \`${name}\` is itself a system` };
  let device = r.targets[0];
  const over = str(t, 'device_overrides').trim();
  if (over) {
    const known = new Set(KINDS.find((k) => k.kind === device.kind)?.params.map((p) => p.path) ?? []);
    const params = { ...device.params };
    for (const pair of over.split(/\s*[,;]\s*/).filter(Boolean)) {
      const m = /^([\w.]+)\s*=\s*(.+)$/.exec(pair);
      if (!m) return { strategy, error: `device_overrides: \`${pair}\` is not \`path=value\`` };
      if (!known.has(m[1]))
        return { strategy, error: `device_overrides: \`${m[1]}\` is not a parameter of a ${device.kind} target` };
      const raw = m[2].trim();
      params[m[1]] = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw;
    }
    device = { ...device, params };
  }
  const lvl = (p: 'node' | 'network'): FabricLevel => ({
    topology: str(t, `${p}.topology`) as Topology,
    bandwidth: num(t, `${p}.bandwidth`),
    links: Math.max(1, Math.round(num(t, `${p}.links`))),
    latency: num(t, `${p}.latency`),
    efficiency: num(t, `${p}.efficiency`),
    energyPerByte: num(t, `${p}.energy`),
    algorithm: str(t, `${p}.algorithm`) as Algorithm,
  });
  const fabric: Fabric = {
    devicesPerNode: Math.max(1, Math.round(num(t, 'node.devices'))),
    node: lvl('node'),
    network: lvl('network'),
  };
  return { sys: { name: t.name, device, devices: Math.max(1, Math.round(num(t, 'devices'))), fabric }, strategy };
}

const gb = (b: number) => (b / 1e9).toFixed(1);

/**
 * The smallest change that fits, tried in order: ZeRO stages, recomputation, more pipeline stages, more tensor
 * parallelism.
 */
export function suggestFit(
  net: NetworkModel,
  sys: SystemModel,
  s: Strategy,
  cache: StepCache,
): { text: string; change: Partial<Strategy> } | undefined {
  const tries: [string, Partial<Strategy>][] = [];
  for (let z = s.zero + 1; z <= 3; z++) tries.push([`parallel.zero: ${z}`, { zero: z as Strategy['zero'] }]);
  if (!s.recompute) tries.push(['parallel.recompute: true', { recompute: true }]);
  for (const pp of [s.pp * 2, s.pp * 4, s.pp * 8])
    tries.push([`parallel.pp: ${pp}`, { pp, dp: 0, microBatches: Math.max(s.microBatches, pp) }]);
  for (const tp of [s.tp * 2, s.tp * 4, s.tp * 8]) tries.push([`parallel.tp: ${tp}`, { tp, dp: 0 }]);
  for (const [text, change] of tries) {
    const r = simulateStep(net, sys, { ...s, ...change, dp: change.dp ?? s.dp }, cache);
    if (r.ok && r.fits) return { text: `${text} would fit (${gb(r.memory.totalB)} GB per device)`, change };
  }
  return undefined;
}

export const systemSim: TargetSimulator = {
  kind: 'system',
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult {
    const { sys, strategy: own, error } = readSystem(t);
    // the network's `parallel:` overrides the system target's knobs it sets
    const np = w.network.parallel ?? {};
    const strategy = {
      ...own,
      ...Object.fromEntries(Object.entries(np).filter(([, v]) => v !== undefined)),
    } as typeof own;
    if (!sys) return invalidResult(t, error!);
    const cache = newStepCache();
    const drafts: FindingDraft[] = [];
    const { run, draft } = splitBatch(w.network.batch, sys, strategy);
    if (draft) drafts.push(draft);
    const r = simulateStep(w.network, run, strategy, cache);
    if (!r.ok)
      return invalidResult(t, `${t.name}: ${r.error}. Change parallel.dp / tp / pp / micro_batches or the batch size.`);
    drafts.push(
      finding('system.step', 'info', stepSentence(r), {
        timeS: r.timeS,
        computeS: r.computeS,
        exposedCommS: r.exposedCommS,
        bubbleS: r.bubbleS,
        optimizerS: r.optimizerS,
        mfu: r.mfu,
      }),
    );
    if (!r.fits) drafts.push(memoryFinding(w, run, r, cache));
    const dev = r.device;
    const k = (r.strategy.microBatches * sys.devices) / Math.max(1, r.strategy.pp);
    const timeline: TimelineEvent[] = ctx.timeline ? stepTimeline(r) : [];
    const findings: Finding[] = drafts.map((d) => ({ ...d, target: t.name }));
    return {
      name: t.name,
      kind: t.kind,
      peak: { flops: dev.peak.flops * run.devices, bandwidth: dev.peak.bandwidth, levels: dev.peak.levels },
      totals: stepTotals(r, sys.devices, k),
      layers: ctx.layers ? perLayer(w, r, k) : [],
      timeline,
      findings,
      notes: [
        ...findings.map((f) => f.message),
        `Per layer: the time the device that holds the layer spends on it per step (${r.strategy.microBatches} micro-batch${r.strategy.microBatches > 1 ? 'es' : ''} of ${r.microBatch}${r.strategy.tp > 1 ? `, its 1/${r.strategy.tp} tensor-parallel share` : ''}); FLOPs, bytes and energy of all devices.`,
        ...t.notes,
      ],
    };
  },
};

/** A result with nothing simulated and one error finding saying why. */
function invalidResult(t: TargetModel, msg: string): TargetResult {
  const f: Finding = { ...finding('system.invalid', 'error', msg), target: t.name };
  return {
    name: t.name,
    kind: t.kind,
    peak: { flops: 0, bandwidth: {}, levels: [] },
    totals: {
      timeS: 0,
      phaseS: { fwd: 0, bwd_data: 0, bwd_weight: 0, update: 0 },
      energyJ: 0,
      flops: 0,
      bytes: {},
      offloadOverheadS: 0,
      utilization: 0,
      flopsPerJoule: 0,
      samplesPerS: 0,
      energy: { compute: 0, sram: 0, dram: 0, link: 0, control: 0, static: 0 },
    },
    layers: [],
    timeline: [],
    findings: [f],
    notes: [msg, ...t.notes],
  };
}

/**
 * The system to run: all of it, or — when dp is left to the rest of the devices and the batch does not split over
 * every replica — the largest data-parallel degree that splits it, with a warning that says how to use them all.
 */
function splitBatch(batch: number, sys: SystemModel, s: Strategy): { run: SystemModel; draft?: FindingDraft } {
  const replicas = s.dp > 0 ? s.dp : Math.floor(sys.devices / (s.tp * s.pp));
  if (s.dp !== 0 || replicas < 1 || batch % (replicas * s.microBatches) === 0) return { run: sys };
  let dp = replicas;
  while (dp > 1 && batch % (dp * s.microBatches) !== 0) dp--;
  const run = { ...sys, devices: dp * s.tp * s.pp };
  const draft = finding(
    'system.invalid',
    'warning',
    `batch ${batch} does not split over ${replicas} data-parallel replicas x ${s.microBatches} micro-batches: simulated on ${run.devices} of the ${sys.devices} devices (dp ${dp}). Raise batch_size to a multiple of ${replicas * s.microBatches} to use them all.`,
  );
  return { run, draft };
}

/** The training state does not fit a device: what it needs, part by part, and the one change that fits if any. */
function memoryFinding(w: Workload, run: SystemModel, r: StepResult, cache: StepCache): FindingDraft {
  const m = r.memory;
  const fix = suggestFit(w.network, run, r.strategy, cache);
  return finding(
    'memory.exceeds-device',
    'warning',
    `Per device the training state needs ${gb(m.totalB)} GB (weights ${gb(m.weightsB)}, gradients ${gb(m.gradientsB)}, optimizer state ${gb(m.optimizerB)}, activations ${gb(m.activationsB)}) and ${run.device.name} has ${gb(m.capacityB)} GB: ${gb(m.totalB - m.capacityB)} GB too much${fix ? `; ${fix.text}` : '; no single change of zero, recompute, pp or tp fits'}.`,
    // the change that fits, as numbers (the editor's quick fix writes it into the network's `parallel:`)
    {
      needB: m.totalB,
      haveB: m.capacityB,
      weightsB: m.weightsB,
      gradientsB: m.gradientsB,
      optimizerB: m.optimizerB,
      savedB: m.activationsB,
      batch: w.batch,
      fitsBatch: 0,
      ...(fix?.change.zero !== undefined ? { fixZero: fix.change.zero } : {}),
      ...(fix?.change.recompute ? { fixRecompute: 1 } : {}),
      ...(fix?.change.pp !== undefined
        ? { fixPp: fix.change.pp, fixMicroBatches: fix.change.microBatches ?? r.strategy.microBatches }
        : {}),
      ...(fix?.change.tp !== undefined ? { fixTp: fix.change.tp } : {}),
    },
  );
}

/**
 * The step's totals over all devices: the device's per-micro-batch figures times k = micro-batches x devices / pp,
 * the link traffic and energy of the collectives, exposed communication and bubble as the overhead.
 */
function stepTotals(r: StepResult, devices: number, k: number): Totals {
  const dev = r.device;
  const e = dev.totals.energy;
  return {
    timeS: r.timeS,
    // as the per-layer rows: the device's time per step (all its micro-batches)
    phaseS: Object.fromEntries(
      Object.entries(dev.totals.phaseS).map(([p, s]) => [p, s * r.strategy.microBatches]),
    ) as Totals['phaseS'],
    energyJ: r.energyJ,
    flops: r.flopsPerDevice * devices * r.timeS,
    bytes: Object.fromEntries([
      ...Object.entries(dev.totals.bytes).map(([lv, v]) => [lv, v * k]),
      ['link', r.comms.reduce((x, c) => x + c.bytes, 0)],
    ]),
    offloadOverheadS: r.exposedCommS + r.bubbleS,
    utilization: r.mfu,
    flopsPerJoule: (r.flopsPerDevice * devices * r.timeS) / Math.max(1e-30, r.energyJ),
    samplesPerS: r.samplesPerS,
    energy: {
      compute: e.compute * k,
      sram: e.sram * k,
      dram: e.dram * k,
      link: r.linkEnergyJ,
      control: e.control * k,
      static: e.static * k,
    },
  };
}

/**
 * One step of the slowest pipeline stage: per micro-batch its forward and backward compute, then the tensor-parallel
 * all-reduces and stage-to-stage transfers of that slot on their lanes; the bubble; the data-parallel sync drawn
 * whole and ending where its exposed part ends (the part under the last backward is the overlap); ZeRO-3 gathers;
 * the optimizer step.
 */
function stepTimeline(r: StepResult): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  const m = r.strategy.microBatches,
    pp = Math.max(1, r.strategy.pp);
  const of = (role: CommRecord['role']) => r.comms.find((c) => c.role === role);
  const sync = of('dp'),
    z = of('zero3')?.exposedS ?? 0;
  const slot = (r.timeS - r.optimizerS - (sync?.exposedS ?? 0) - z) / (m + pp - 1);
  const tpS = (of('tp')?.timeS ?? 0) / m,
    p2pS = (of('pp')?.timeS ?? 0) / m;
  const computeS = Math.max(0, slot - tpS - p2pS);
  const st = r.stages.reduce((a, x) => (x.fwdS + x.bwdS > a.fwdS + a.bwdS ? x : a), r.stages[0]);
  const fwdShare = st && st.fwdS + st.bwdS > 0 ? st.fwdS / (st.fwdS + st.bwdS) : 1 / 3;
  let t = 0;
  for (let i = 0; i < m; i++) {
    const f = computeS * fwdShare;
    out.push({
      lane: 'engine:compute',
      layer: `micro-batch ${i + 1} forward`,
      phase: 'fwd',
      kind: 'compute',
      startS: t,
      endS: t + f,
    });
    out.push({
      lane: 'engine:compute',
      layer: `micro-batch ${i + 1} backward`,
      phase: 'bwd_data',
      kind: 'compute',
      startS: t + f,
      endS: t + computeS,
    });
    let c = t + computeS;
    if (tpS > 0) {
      out.push({
        lane: 'comm:tensor-parallel',
        layer: `micro-batch ${i + 1} all-reduces`,
        phase: 'bwd_data',
        kind: 'comm',
        startS: c,
        endS: c + tpS,
      });
      c += tpS;
    }
    if (p2pS > 0)
      out.push({
        lane: 'comm:pipeline',
        layer: `micro-batch ${i + 1} send/recv`,
        phase: 'bwd_data',
        kind: 'comm',
        startS: c,
        endS: c + p2pS,
      });
    t += slot;
  }
  if (r.bubbleS > 0) {
    out.push({ lane: 'bubble', layer: 'pipeline bubble', phase: 'fwd', kind: 'stall', startS: t, endS: t + r.bubbleS });
    t += r.bubbleS;
  }
  if (sync && sync.timeS > 0) {
    const end = t + sync.exposedS;
    out.push({
      lane: 'comm:data-parallel',
      layer: sync.what,
      phase: 'bwd_weight',
      kind: sync.exposedS < sync.timeS ? 'comm (overlapped with backward)' : 'comm',
      startS: Math.max(0, end - sync.timeS),
      endS: end,
    });
    t = end;
  }
  if (z > 0) {
    out.push({
      lane: 'comm:zero3',
      layer: 'ZeRO-3 weight all-gathers (exposed)',
      phase: 'fwd',
      kind: 'comm',
      startS: t,
      endS: t + z,
    });
    t += z;
  }
  out.push({
    lane: 'engine:optimizer',
    layer: 'optimizer step',
    phase: 'update',
    kind: 'update',
    startS: r.timeS - r.optimizerS,
    endS: r.timeS,
  });
  return out;
}

/**
 * The device's per-layer results at the micro-batch as per-step figures: time x micro-batches; work and energy x all
 * devices.
 */
function perLayer(w: Workload, r: StepResult, k: number): TargetResult['layers'] {
  const m = r.strategy.microBatches;
  const scale = (o: Record<string, number>, f: number) =>
    Object.fromEntries(Object.entries(o).map(([a, b]) => [a, b * f]));
  return r.device.layers.map((lr, i) => ({
    ...lr,
    dims: w.layers[i]?.dims ?? lr.dims,
    phases: lr.phases.map((p) => ({
      ...p,
      timeS: p.timeS * m,
      computeS: p.computeS * m,
      memoryS: p.memoryS * m,
      overheadS: p.overheadS * m,
      flops: p.flops * k,
      bytes: scale(p.bytes, k),
      energyJ: p.energyJ * k,
      energy: scale(p.energy as unknown as Record<string, number>, k) as unknown as typeof p.energy,
      bandwidthBps: p.bandwidthBps * (k / m),
    })),
  }));
}

export function stepSentence(r: StepResult): string {
  const s = r.strategy;
  const pct = (x: number) => `${((x / r.timeS) * 100).toFixed(0)}%`;
  return `${r.devices} devices as dp ${s.dp} x tp ${s.tp} x pp ${s.pp}, ${s.microBatches} micro-batch${s.microBatches > 1 ? 'es' : ''} of ${r.microBatch}${s.zero ? `, ZeRO-${s.zero}` : ''}${s.recompute ? ', recomputation' : ''}: step ${(r.timeS * 1e3).toPrecision(4)} ms — compute ${pct(r.computeS)}, exposed communication ${pct(r.exposedCommS)}, bubble ${pct(r.bubbleS)}, optimizer ${pct(r.optimizerS)}; ${(r.flopsPerDevice / 1e12).toPrecision(3)} TFLOP/s per device (${(r.mfu * 100).toFixed(1)}% MFU); ${(r.memory.totalB / 1e9).toFixed(1)} GB per device${Number.isFinite(r.memory.capacityB) ? ` (of ${(r.memory.capacityB / 1e9).toFixed(0)} GB)` : ' (the device has no capacity knob: not checked)'}.`;
}
