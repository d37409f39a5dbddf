// NeuroTrainer target (Kim et al., arXiv 1710.04347): PE clusters in the logic layer of an HMC-like memory, one per
// vault, run all four training phases; the data flow (weight- or output-stationary) is programmable per phase and the
// vault-controller state machines generate the operand streams. Closed-form pieces: dataflow.ts.
//
// Per MAC phase (fwd / bwd_data / bwd_weight of conv, linear, matmul, lstm):
//   dataflow = dataflow.<phase> (ws | os | auto: the faster, see pickDataflow; per layer, or per phase for the whole
//              network with dataflow.auto_scope: network)
//   bytes    = dataflowCost(dataflow)                 (tiles of half the module buffer; ASM)
//   T        = max(flops / (peak * utilization * fill), bytes / (vaults * vault BW * efficiency)) + control
// Element-wise phases: fused layers (compute.fuse_elementwise: batchnorm, ReLU-family, add) move no bytes; others
//   stream their compulsory bytes. Update: on the PEs, streaming gradient, weights and optimizer state from the vaults.
// control = control.program_time + 3 * control.stream_setup per phase with work (not hidden: ASM).
// Energy = flops * energy.flop + 2 * DRAM bytes * energy.buffer + DRAM bytes * energy.dram + energy.static * T.
import { finding, type FindingDraft } from '../../sim/findings';
import type { TargetModel } from '../../spec/types';
import type { TargetResult } from '../../sim/types';
import type { LayerWork, PhaseWork, Workload } from '../../sim/workload';
import { Recorder, trainingOrder, type PhaseInput, type SimContext, type TargetSimulator } from '../../sim/target';
import { grouped } from '../../sim/units';
import {
  controlTime,
  dataflowCost,
  dataflowTime,
  macUnits,
  memBandwidth,
  neurotrainerConfig,
  peakFlops,
  pickDataflow,
  totalBuffer,
  type Dataflow,
  type MvmOperands,
  type NeurotrainerConfig,
} from './dataflow';

const FUSABLE = new Set(['batchnorm', 'relu', 'relu6', 'leaky_relu', 'add']);

export function mvmOperands(w: Workload, l: LayerWork, p: PhaseWork, units: number): MvmOperands {
  const weightLike = p.weightBytes,
    actRead = p.actReadBytes,
    actWrite = p.actWriteBytes;
  const elBytes = p.phase === 'fwd' ? w.bytes.act : w.bytes.grad;
  return {
    phase: p.phase,
    weightLike,
    actRead,
    actWrite,
    // A MAC layer without parameters (matmul) keeps its second operand stationary: treated as filling the array.
    weightElems: l.params > 0 ? l.params : units,
    outElems: elBytes > 0 ? actWrite / elBytes : 0,
    timeSteps: l.cls === 'rnn' ? Math.max(1, l.dims.T ?? 1) : 1,
  };
}

const DATAFLOW_NAME: Record<Dataflow, string> = { ws: 'weight-stationary', os: 'output-stationary' };

function phaseResult(
  c: NeurotrainerConfig,
  w: Workload,
  l: LayerWork,
  p: PhaseWork,
  peak: number,
  picked: Map<string, number>,
  how?: Record<MvmPhaseName, string>,
): PhaseInput {
  const bw = memBandwidth(c);
  let bytes: number,
    fill = 1,
    mapping: string | (() => string) | undefined;
  if (p.kind === 'mvm' && p.phase !== 'update') {
    const o = mvmOperands(w, l, p, macUnits(c));
    const cost = pickDataflow(c.dataflow[p.phase as MvmPhaseName], o, p.flops, c, peak);
    bytes = cost.bytes;
    fill = Math.max(1e-9, cost.util);
    const key = `${p.phase}:${cost.dataflow}`;
    picked.set(key, (picked.get(key) ?? 0) + 1);
    if (how)
      mapping = () =>
        `${DATAFLOW_NAME[cost.dataflow]} (dataflow.${p.phase}: ${how[p.phase as MvmPhaseName]}), ${grouped(cost.tiles)} tile${cost.tiles === 1 ? '' : 's'}, ${(cost.util * 100).toFixed(0)}% of the PEs`;
  } else {
    bytes = p.kind === 'eltwise' && c.fuseElementwise && FUSABLE.has(l.op) ? 0 : p.minBytes;
  }
  const computeS = p.flops / (peak * c.utilization * fill);
  const memoryS = bytes / bw;
  const overheadS = p.flops > 0 || bytes > 0 ? controlTime(c) : 0;
  const timeS = Math.max(computeS, memoryS) + overheadS;
  return {
    phase: p.phase,
    engine: 'accelerator',
    flops: p.flops,
    bytes: { dram: bytes, sram: 2 * bytes },
    outer: 'dram',
    computeS,
    memoryS,
    overheadS,
    peakFlops: peak,
    timeS,
    energy: {
      compute: p.flops * c.eFlop,
      sram: 2 * bytes * c.eBuffer,
      dram: bytes * c.eDram,
      static: c.staticPower * timeS,
    },
    mapping:
      how && !mapping && (p.flops > 0 || bytes > 0)
        ? bytes === 0
          ? 'fused into the producing layer'
          : 'streamed through the vault PEs'
        : mapping,
  };
}

type MvmPhaseName = 'fwd' | 'bwd_data' | 'bwd_weight';

/**
 * dataflow.auto_scope = network: for each phase left on `auto`, the data flow with the smaller total phase time over
 * all MAC layers (ties: fewer bytes), applied to every layer.
 */
export function networkDataflows(c: NeurotrainerConfig, w: Workload, peak: number): NeurotrainerConfig['dataflow'] {
  const out = { ...c.dataflow };
  if (c.autoScope !== 'network') return out;
  const units = macUnits(c),
    buf = totalBuffer(c),
    bw = memBandwidth(c);
  for (const ph of ['fwd', 'bwd_data', 'bwd_weight'] as const) {
    if (c.dataflow[ph] !== 'auto') continue;
    const sum = { ws: { t: 0, b: 0 }, os: { t: 0, b: 0 } };
    for (const l of w.layers)
      for (const p of l.phases) {
        if (p.phase !== ph || p.kind !== 'mvm') continue;
        const o = mvmOperands(w, l, p, units);
        for (const df of ['ws', 'os'] as const) {
          const k = dataflowCost(df, o, buf, units);
          sum[df].t += dataflowTime(k, p.flops, peak, c.utilization, bw);
          sum[df].b += k.bytes;
        }
      }
    const tie = Math.abs(sum.ws.t - sum.os.t) <= 1e-3 * Math.max(sum.ws.t, sum.os.t);
    out[ph] = tie ? (sum.os.b < sum.ws.b ? 'os' : 'ws') : sum.os.t < sum.ws.t ? 'os' : 'ws';
  }
  return out;
}

const LANES = { compute: 'engine:vault-pes', dma: 'dma', config: 'control' };

export const neurotrainerSim: TargetSimulator = {
  kind: 'neurotrainer',
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult {
    const c0 = neurotrainerConfig(t);
    const peak = peakFlops(c0, w.precision);
    const c: NeurotrainerConfig = { ...c0, dataflow: networkDataflows(c0, w, peak) };
    const rec = new Recorder(w, ctx);
    const picked = new Map<string, number>();
    const howOf = (ph: MvmPhaseName) =>
      c0.dataflow[ph] === 'auto' ? (c.autoScope === 'network' ? 'auto, network' : 'auto') : c0.dataflow[ph];
    const how = ctx.layers
      ? { fwd: howOf('fwd'), bwd_data: howOf('bwd_data'), bwd_weight: howOf('bwd_weight') }
      : undefined;
    for (let i = 0, order = trainingOrder(w); i < order.length; i++) {
      const li = order.layer[i],
        sw = order.work[i];
      const l = w.layers[li];
      rec.addPlaced(li, phaseResult(c, w, l, sw, peak, picked, how), LANES);
    }
    const bw = memBandwidth(c);
    const flows: string[] = [];
    for (const ph of ['fwd', 'bwd_data', 'bwd_weight'] as const) {
      const n = (d: Dataflow) => picked.get(`${ph}:${d}`) ?? 0;
      const how =
        c0.dataflow[ph] === 'auto' ? (c.autoScope === 'network' ? 'auto (network)' : 'auto') : c0.dataflow[ph];
      if (n('ws') + n('os') > 0) flows.push(`${ph} ${how}: ${n('ws')} ws / ${n('os')} os`);
    }
    const notes: FindingDraft[] = [
      finding('neurotrainer.dataflow', 'info', `Data flow per phase (layers): ${flows.join('; ') || 'no MAC layers'}.`),
    ];
    if (bw < c.vaults * c.vaultBandwidth)
      notes.push(
        finding(
          'neurotrainer.memory-efficiency',
          'info',
          `Streams reach ${(c.memEfficiency * 100).toFixed(0)}% of the vault bandwidth (memory.efficiency).`,
          { efficiency: c.memEfficiency },
        ),
      );
    return rec.result(
      {
        name: t.name,
        kind: t.kind,
        peak: {
          flops: peak,
          bandwidth: { dram: c.vaults * c.vaultBandwidth },
          levels: [
            { name: 'dram', bandwidthBps: c.vaults * c.vaultBandwidth, sizeB: 0 },
            { name: 'sram', bandwidthBps: 0, sizeB: totalBuffer(c) },
          ],
        },
      },
      rec.rows.totals(peak, w.batch),
      notes,
      t.notes,
    );
  },
};
