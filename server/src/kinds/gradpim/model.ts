// GradPIM target (Kim et al., HPCA 2021, arXiv 2102.07511): a host NPU (systolic array + DDR4 channels, a roofline)
// runs fwd, bwd_data and bwd_weight; the optimizer update runs in one fixed-function unit per DDR4 bank group,
// driven by RFU commands from the memory controller. With pim.enabled: false the same NPU does the update itself.
// Closed-form pieces and their derivations: pim.ts. Parameters and sources: params.ts.
//
// Per NPU phase (engine 'host'):
//   activation bytes  = activation reads/writes of the lowered phase * compute.activation_traffic (MBS, ASM),
//                       0 for batchnorm / ReLU-family / add layers when compute.fuse_elementwise (BN fission-fusion)
//   channel bytes     = npuPhaseBytes(weight-like, activation reads, activation writes, buffer)
//   T = max(flops / (peak * utilization * fill), channel bytes / (BW_ch * efficiency)) + control.layer_launch
//   fill = arrayFill of the layer's GEMM view (sim/gemm.ts mvmShape: reduction on rows, outputs on columns);
//   grouped convs take the faster of the array and the vector unit
//   (element-wise layers: flops / (compute.vector_lanes * clock) instead of the array term)
// Update without PIM (engine 'host'): every tensor of the lowered update crosses the channel (mixed precision with
//   momentum: read g, master, v; write master, v and the low-precision copy = 18 + b_g bytes per parameter).
//   T = max(flops / (vector_lanes * clock), bytes / (BW_ch * efficiency)) + control.layer_launch
// Update with PIM (engine 'in-memory'): the same bytes move inside the DRAM only (bank-group I/O), none cross the
//   channel (the gradients were written by bwd_weight and the low-precision copy is read by the next fwd, in both
//   systems); T = max(array, command bus, ALU) + pim.setup_time (gradpim-model.ts pimUpdateTime).
//   By default the updates run after the backward pass and do not overlap the NPU phases: their RFU commands
//   occupy every bank group (ASM). pim.overlap: true issues each update after its bwd_weight; the controller slots
//   its commands into DRAM time the NPU leaves idle (gradpim-model.ts OverlapSchedule); step time = NPU time +
//   leftover update time.
// Energy: NPU flops * energy.npu_mac + lowered tensor bytes * energy.npu_sram (each tensor passes the buffer once,
//   ASM) + channel bytes * (dram_array + dram_io) + PIM-internal bytes * dram_array + PIM ops * pim_op
//   + npu_static * time of every phase (the NPU waits, powered, while the DRAM updates).
import { finding, type FindingDraft } from '../../sim/findings';
import type { TargetModel } from '../../spec/types';
import type { TargetResult } from '../../sim/types';
import type { LayerWork, PhaseWork, Workload } from '../../sim/workload';
import { Recorder, type PhaseInput, type SimContext, type TargetSimulator, trainingOrder } from '../../sim/target';
import { mvmShape } from '../../sim/gemm';
import {
  OverlapSchedule,
  arrayFill,
  channelPeak,
  gradpimConfig,
  internalMultiplier,
  internalPeak,
  npuPeak,
  npuPhaseBytes,
  pimUpdateTime,
  type GradpimConfig,
} from './pim';

/** Layers folded into their producer by BN fission-fusion and fused activations (ASM: which layer types). */
const FUSABLE = new Set(['batchnorm', 'relu', 'relu6', 'leaky_relu', 'add']);

function npuPhase(c: GradpimConfig, l: LayerWork, p: PhaseWork, peak: number): PhaseInput & { timeS: number } {
  const fused = c.fuseElementwise && FUSABLE.has(l.op);
  const wt = p.weightBytes,
    ar = p.actReadBytes,
    aw = p.actWriteBytes;
  const s = fused ? 0 : c.activationTraffic;
  const { bytes } = npuPhaseBytes(wt, ar * s, aw * s, c.onchipBuffer);
  const bw = channelPeak(c) * c.memEfficiency;
  // MAC phases on the systolic array; element-wise layers and the non-PIM update on the vector unit.
  const vectorS = p.flops / (c.vectorLanes * c.clock);
  let computeS = vectorS;
  if (p.kind === 'mvm') {
    const g = p.macs > 0 ? mvmShape(l.cls, l.dims, p.phase, p.macs) : undefined;
    const fill = g ? Math.max(1e-6, arrayFill(g.red, g.out, c.peRows, c.peCols)) : 1;
    computeS = p.flops / (peak * c.utilization * fill);
    // Grouped (depthwise) convs fill a systolic array badly: the faster of the array and the vector unit (ASM).
    if (g && g.groups > 1) computeS = Math.min(computeS, vectorS);
  }
  const memoryS = bytes / bw;
  const overheadS = p.flops > 0 || bytes > 0 ? c.layerLaunch : 0;
  const timeS = Math.max(computeS, memoryS) + overheadS;
  return {
    phase: p.phase,
    engine: 'host',
    flops: p.flops,
    bytes: { dram: bytes, sram: p.minBytes },
    outer: 'dram',
    computeS,
    memoryS,
    overheadS,
    peakFlops: peak,
    timeS,
    energy: {
      compute: p.flops * c.eNpuFlop,
      sram: p.minBytes * c.eNpuSram,
      dram: bytes * (c.eDramArray + c.eDramIo),
      static: c.npuStatic * timeS,
    },
  };
}

function pimUpdate(c: GradpimConfig, p: PhaseWork, peak: number): PhaseInput & { timeS: number } {
  const internal = p.minBytes;
  const u = pimUpdateTime(c, internal, p.flops);
  const memoryS = Math.max(u.arrayS, u.commandS);
  const timeS = Math.max(memoryS, u.aluS) + u.setupS;
  return {
    phase: 'update',
    engine: 'in-memory',
    flops: p.flops,
    bytes: { dram: 0, bank: internal },
    outer: 'bank',
    computeS: u.aluS,
    memoryS,
    overheadS: u.setupS,
    peakFlops: peak,
    timeS,
    energy: { compute: p.flops * c.ePimOp, dram: internal * c.eDramArray, static: c.npuStatic * timeS },
    mapping: `in the DRAM bank groups' units (pim.enabled)${c.pimOverlap ? ', interleaved into the DRAM time the NPU leaves idle (pim.overlap)' : ''}`,
  };
}

interface Run {
  result: TargetResult;
  updateChannelBytes: number;
  channelBytes: number;
}

/** pim.overlap: updates issued after each bwd_weight fill the DRAM time the NPU leaves idle (OverlapSchedule). */
function runOverlapped(w: Workload, c: GradpimConfig, peak: number, rec: Recorder): number {
  const sch = new OverlapSchedule();
  const tl = rec.tl;
  const updates: { id: number; layer: number; row: number }[] = [];
  for (let i = 0, order = trainingOrder(w, true); i < order.length; i++) {
    const li = order.layer[i],
      p = order.work[i];
    const l = w.layers[li];
    if (p.phase === 'update') {
      const r = pimUpdate(c, p, peak);
      const row = rec.add(li, r);
      rec.rows.setStatic(row, 0); // NPU static power: charged over the step below
      updates.push({ id: sch.update(r.timeS), layer: li, row });
    } else {
      const r = npuPhase(c, l, p, peak);
      const [a] = sch.npuPhase(r.timeS, r.memoryS);
      tl.cursor = a;
      rec.addPlaced(li, r, NPU_LANES);
    }
  }
  const npuEnd = sch.npu;
  const end = sch.finish();
  // The updates' work is interleaved into idle DRAM slots: each is drawn from its issue to its completion.
  for (const u of updates) {
    const [a, b] = sch.done.get(u.id) ?? [npuEnd, npuEnd];
    tl.add('in-memory', u.layer, 'update', 'update', a, b);
  }
  const last = updates[updates.length - 1];
  if (last) rec.rows.addStatic(last.row, c.npuStatic * (end - npuEnd));
  tl.cursor = end;
  return end;
}

const NPU_LANES = { compute: 'host', dma: 'dma', config: 'host' };

function run(w: Workload, t: TargetModel, c: GradpimConfig, ctx: SimContext): Run {
  const peak = npuPeak(c, w.precision);
  const rec = new Recorder(w, ctx);
  const tl = rec.tl;
  let updateChannelBytes = 0;
  const overlapped = c.pimEnabled && c.pimOverlap ? runOverlapped(w, c, peak, rec) : undefined;
  if (overlapped === undefined)
    for (let i = 0, order = trainingOrder(w); i < order.length; i++) {
      const li = order.layer[i],
        p = order.work[i];
      const l = w.layers[li];
      if (p.phase === 'update' && c.pimEnabled) {
        const r = pimUpdate(c, p, peak);
        rec.add(li, r);
        const t0 = tl.cursor;
        tl.add('in-memory', li, 'update', 'config', t0, t0 + r.overheadS);
        tl.add('in-memory', li, 'update', 'update', t0 + r.overheadS, t0 + r.timeS);
        tl.cursor = t0 + r.timeS;
      } else {
        const r = npuPhase(c, l, p, peak);
        if (p.phase === 'update') {
          updateChannelBytes += r.bytes.dram ?? 0;
          if (ctx.layers) r.mapping = 'on the NPU, every operand over the DDR4 channel (pim.enabled: false)';
        }
        rec.addPlaced(li, r, NPU_LANES);
      }
    }
  const phaseSum = rec.rows.totals(peak, w.batch);
  const totals = overlapped === undefined ? phaseSum : rec.rows.totals(peak, w.batch, overlapped);
  const chBW = channelPeak(c);
  // Outermost first (the DDR4 channel the NPU sees), then the PIM-internal bank-group level, then the NPU buffer.
  const levels = [
    { name: 'dram', bandwidthBps: chBW, sizeB: 0 },
    ...(c.pimEnabled ? [{ name: 'bank', bandwidthBps: internalPeak(c), sizeB: 0 }] : []),
    { name: 'sram', bandwidthBps: 0, sizeB: c.onchipBuffer },
  ];
  const bandwidth: Record<string, number> = { dram: chBW };
  if (c.pimEnabled) bandwidth.bank = internalPeak(c);
  const notes: FindingDraft[] = [];
  notes.push(
    finding(
      'gradpim.update',
      'info',
      c.pimEnabled
        ? `Weight update in the DDR4 bank-group units: internal bandwidth ${(internalPeak(c) / 1e9).toFixed(1)} GB/s = ${internalMultiplier(c).toFixed(2)}x the channel (bank_groups x (BL/2) / tCCD_L; a model, not a paper figure).`
        : 'PIM disabled: the NPU reads gradients, master weights and optimizer state over the DDR4 channel and writes them back.',
      c.pimEnabled ? { internalBps: internalPeak(c), multiplier: internalMultiplier(c) } : {},
    ),
  );
  if (w.mixed)
    notes.push(
      finding(
        'gradpim.gradient-precision',
        'info',
        `Gradients modelled in ${w.gradPrecision} (${w.bytes.grad} B); the secondary summary of GradPIM mentions 8-bit gradients (unverified).`,
        { gradientBytes: w.bytes.grad },
      ),
    );
  if (w.optimizer.type === 'adam' || w.optimizer.type === 'adamw')
    notes.push(
      finding(
        'gradpim.optimizer-unconfirmed',
        'info',
        'Adam in the bank-group units is not confirmed by the GradPIM material: modelled as if supported (ASM).',
      ),
    );
  if (overlapped !== undefined)
    notes.push(
      finding(
        'gradpim.overlap',
        'info',
        `Updates overlapped with the backward pass (pim.overlap): step ${(overlapped * 1e3).toPrecision(4)} ms vs ${(phaseSum.timeS * 1e3).toPrecision(4)} ms of phase time.`,
        { stepS: overlapped, phaseS: phaseSum.timeS },
      ),
    );
  if (c.activationTraffic < 1)
    notes.push(
      finding(
        'gradpim.activation-traffic',
        'info',
        `Minibatch serialization modelled as ${(c.activationTraffic * 100).toFixed(0)}% of the activation traffic crossing the channel (compute.activation_traffic, ASM).`,
        { share: c.activationTraffic },
      ),
    );
  const result = rec.result(
    { name: t.name, kind: t.kind, peak: { flops: peak, bandwidth, levels } },
    totals,
    notes,
    t.notes,
  );
  return { result, updateChannelBytes, channelBytes: totals.bytes.dram ?? 0 };
}

/** Puts a finding first (findings and the notes built from them). */
function addFirst(r: TargetResult, f: FindingDraft): void {
  r.findings.unshift({ ...f, target: r.name });
  r.notes.unshift(f.message);
}

export const gradpimSim: TargetSimulator = {
  kind: 'gradpim',
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult {
    const c = gradpimConfig(t);
    const me = run(w, t, c, ctx);
    // The same NPU without PIM: speedup and channel-traffic saving (vsBaseline; simulate() replaces it when the
    // user names a baseline target).
    const twin = run(w, t, { ...c, pimEnabled: false }, { timeline: false, layers: false });
    const share = twin.channelBytes > 0 ? twin.updateChannelBytes / twin.channelBytes : 0;
    const r = me.result;
    if (c.pimEnabled) {
      const b = twin.result.totals,
        x = r.totals;
      const speedup = x.timeS > 0 ? b.timeS / x.timeS : 0;
      const saving = twin.channelBytes > 0 ? 1 - me.channelBytes / twin.channelBytes : 0;
      r.vsBaseline = {
        baseline: `${t.name} without PIM`,
        speedup,
        energyRatio: b.energyJ > 0 ? x.energyJ / b.energyJ : 0,
        efficiencyRatio: b.flopsPerJoule > 0 ? x.flopsPerJoule / b.flopsPerJoule : 0,
      };
      addFirst(
        r,
        finding(
          'gradpim.vs-baseline',
          'info',
          `vs the same NPU without PIM: ${speedup.toFixed(2)}x faster, DDR4 channel traffic ${(saving * 100).toFixed(1)}% lower (the update was ${(share * 100).toFixed(1)}% of it).`,
          { speedup, channelSaving: saving, updateShare: share },
        ),
      );
    } else {
      addFirst(
        r,
        finding(
          'gradpim.vs-baseline',
          'info',
          `The weight update is ${(share * 100).toFixed(1)}% of the DDR4 channel traffic (set pim.enabled: true to move it into the bank groups).`,
          { updateShare: share },
        ),
      );
    }
    return r;
  },
};
