// Closed-form pieces of the NeuroTrainer model (pure functions). Kim et al., arXiv 1710.04347 [T1]; Neurocube
// lineage [T2],[T3]; seed-systems.md §4.4 (Neurocube-style roofline, ASM). Everything architectural is a knob.
import type { TargetModel } from '../../spec/types';
import type { Phase } from '../../sim/types';
import { str, bool } from '../../sim/target';
import { knob as num } from '../../sim/target';

export type Dataflow = 'ws' | 'os';
export type DataflowChoice = Dataflow | 'auto';

export interface NeurotrainerConfig {
  vaults: number;
  pesPerVault: number;
  macsPerPe: number;
  clock: number;
  fp32Rate: number;
  utilization: number;
  bufferPerVault: number;
  fuseElementwise: boolean;
  vaultBandwidth: number;
  memEfficiency: number;
  dataflow: Record<'fwd' | 'bwd_data' | 'bwd_weight', DataflowChoice>;
  autoScope: 'layer' | 'network';
  programTime: number;
  streamSetup: number;
  eFlop: number;
  eBuffer: number;
  eDram: number;
  staticPower: number;
}

function choice(s: string): DataflowChoice {
  return s === 'ws' || s === 'os' ? s : 'auto';
}

export function neurotrainerConfig(t: TargetModel): NeurotrainerConfig {
  return {
    vaults: num(t, 'compute.vaults'),
    pesPerVault: num(t, 'compute.pes_per_vault'),
    macsPerPe: num(t, 'compute.macs_per_pe'),
    clock: num(t, 'compute.clock'),
    fp32Rate: num(t, 'compute.fp32_rate'),
    utilization: num(t, 'compute.utilization'),
    bufferPerVault: num(t, 'compute.buffer_per_vault'),
    fuseElementwise: bool(t, 'compute.fuse_elementwise'),
    vaultBandwidth: num(t, 'memory.vault_bandwidth'),
    memEfficiency: num(t, 'memory.efficiency'),
    dataflow: {
      fwd: choice(str(t, 'dataflow.fwd')),
      bwd_data: choice(str(t, 'dataflow.bwd_data')),
      bwd_weight: choice(str(t, 'dataflow.bwd_weight')),
    },
    autoScope: str(t, 'dataflow.auto_scope') === 'network' ? 'network' : 'layer',
    programTime: num(t, 'control.program_time'),
    streamSetup: num(t, 'control.stream_setup'),
    eFlop: num(t, 'energy.flop'),
    eBuffer: num(t, 'energy.buffer'),
    eDram: num(t, 'energy.dram'),
    staticPower: num(t, 'energy.static'),
  };
}

/** MAC units of the whole module: vaults x PEs per vault x MACs per PE. */
export function macUnits(c: NeurotrainerConfig): number {
  return c.vaults * c.pesPerVault * c.macsPerPe;
}

/** Peak FLOP/s = 2 * MAC units * clock (seed-systems §4.4), times fp32Rate for an fp32/tf32 network (ASM). */
export function peakFlops(c: NeurotrainerConfig, precision: string): number {
  const p = 2 * macUnits(c) * c.clock;
  return precision === 'fp32' || precision === 'tf32' ? p * c.fp32Rate : p;
}

/** Aggregate streaming bandwidth: every cluster reads its own vault in parallel: vaults * vault BW * efficiency. */
export function memBandwidth(c: NeurotrainerConfig): number {
  return c.vaults * c.vaultBandwidth * c.memEfficiency;
}

/** On-chip buffer of the module (all vault clusters). */
export function totalBuffer(c: NeurotrainerConfig): number {
  return c.vaults * c.bufferPerVault;
}

/** The operands of one MAC phase, in bytes: weight-shaped (W read, or dW written), activation reads and writes. */
export interface MvmOperands {
  phase: Phase;
  weightLike: number;
  actRead: number;
  actWrite: number;
  /** Elements of the stationary candidate of each data flow (to see whether it fills the MAC array). */
  weightElems: number;
  outElems: number;
  /** Recurrent layers: time steps that must run one after the other (1 otherwise). */
  timeSteps: number;
}

export interface DataflowCost {
  dataflow: Dataflow;
  bytes: number;
  tiles: number;
  util: number;
}

/**
 * DRAM bytes and array fill of one MAC phase under a data flow (ASM, tiles of half the total buffer; the other half
 * double-buffers the streams). Accumulators are fp32 (4 B per output element, ASM).
 *   ws (weight-stationary; in bwd_weight the weight-gradient accumulators stay):
 *       tiles = ceil(Wt / (S/2));  bytes = Wt + Ar * tiles + Aw;  fill = min(1, weight elements / MAC units)
 *   os (output-stationary) in fwd / bwd_data:
 *       tiles = ceil(4 * out elements / (S/2));  bytes = Ar + Wt * tiles + Aw;  fill = min(1, out elements / MAC units)
 * recurrent layers (T steps) whose weights exceed S/2 re-read them every step: Wt -> Wt * T (ws), Wt * max(tiles, T)
 * (os)
 *   os in bwd_weight (output-gradient tiles stay; the reduction over batch x positions is split, so partial weight
 *   gradients are written and read back once per extra tile):
 *       tiles = ceil(Ar / (S/2));  bytes = Ar + Wt * (2 * tiles - 1) + Aw;  fill = 1
 */
export function dataflowCost(df: Dataflow, o: MvmOperands, buffer: number, units: number): DataflowCost {
  const half = Math.max(1, buffer / 2);
  // A recurrent layer whose weights do not fit streams them once per time step (the recurrence serialises the steps).
  const wPasses = o.timeSteps > 1 && o.weightLike > half ? o.timeSteps : 1;
  if (df === 'ws') {
    const tiles = Math.max(1, Math.ceil(o.weightLike / half));
    return {
      dataflow: df,
      tiles,
      bytes: o.weightLike * wPasses + o.actRead * tiles + o.actWrite,
      util: Math.min(1, o.weightElems / units),
    };
  }
  if (o.phase === 'bwd_weight') {
    const tiles = Math.max(1, Math.ceil(o.actRead / half));
    return { dataflow: df, tiles, bytes: o.actRead + o.weightLike * (2 * tiles - 1) + o.actWrite, util: 1 };
  }
  const tiles = Math.max(1, Math.ceil((4 * o.outElems) / half));
  return {
    dataflow: df,
    tiles,
    bytes: o.actRead + o.weightLike * Math.max(tiles, wPasses) + o.actWrite,
    util: Math.min(1, o.outElems / units),
  };
}

/** Phase time of a data flow: max(flops / (peak * utilization * fill), bytes / BW). */
export function dataflowTime(cost: DataflowCost, flops: number, peak: number, utilization: number, bw: number): number {
  return Math.max(flops / (peak * utilization * Math.max(1e-9, cost.util)), cost.bytes / bw);
}

/** `auto`: the faster data flow; on a tie (within 0.1%) the one with fewer DRAM bytes (less energy); then ws. */
export function pickDataflow(
  choiceIn: DataflowChoice,
  o: MvmOperands,
  flops: number,
  c: NeurotrainerConfig,
  peak: number,
): DataflowCost {
  const buf = totalBuffer(c),
    units = macUnits(c),
    bw = memBandwidth(c);
  if (choiceIn !== 'auto') return dataflowCost(choiceIn, o, buf, units);
  const ws = dataflowCost('ws', o, buf, units),
    os = dataflowCost('os', o, buf, units);
  const tw = dataflowTime(ws, flops, peak, c.utilization, bw),
    to = dataflowTime(os, flops, peak, c.utilization, bw);
  if (Math.abs(tw - to) <= 1e-3 * Math.max(tw, to)) return os.bytes < ws.bytes ? os : ws;
  return to < tw ? os : ws;
}

/** Exposed control time of one phase: the host writes the program, the vault state machines set up 3 streams. */
export function controlTime(c: NeurotrainerConfig): number {
  return c.programTime + 3 * c.streamSetup;
}
