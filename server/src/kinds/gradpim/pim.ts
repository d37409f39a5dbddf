// Closed-form pieces of the GradPIM model (pure functions, no simulator state). Kim et al., "GradPIM: A Practical
// Processing-in-DRAM Architecture for Gradient Descent", HPCA 2021, arXiv 2102.07511 ([G1]); details from the
// secondary summary [G2]; DDR4 organisation [G3]. Keys as in /work/shared/research/seed-systems.md §3 and §8.
import type { TargetModel } from '../../spec/types';
import { bool, knob, str } from '../../sim/target';

const num = knob;

export interface GradpimConfig {
  peRows: number;
  peCols: number;
  clock: number;
  precision: string;
  fp32Rate: number;
  utilization: number;
  vectorLanes: number;
  onchipBuffer: number;
  fuseElementwise: boolean;
  activationTraffic: number;
  channels: number;
  transferRate: number;
  busWidth: number;
  memEfficiency: number;
  bankGroups: number;
  devicesPerRank: number;
  burstLength: number;
  tccdS: number;
  tccdL: number;
  pimEnabled: boolean;
  pimOverlap: boolean;
  pimOpsPerCycle: number;
  pimEfficiency: number;
  commandsPerAccess: number;
  setupTime: number;
  eNpuFlop: number;
  eNpuSram: number;
  eDramArray: number;
  eDramIo: number;
  ePimOp: number;
  npuStatic: number;
  layerLaunch: number;
}

/** Read every knob of a gradpim target (SI units; kind defaults fill what the target leaves out). */
export function gradpimConfig(t: TargetModel): GradpimConfig {
  return {
    peRows: num(t, 'compute.pe_rows'),
    peCols: num(t, 'compute.pe_cols'),
    clock: num(t, 'compute.clock'),
    precision: str(t, 'compute.precision'),
    fp32Rate: num(t, 'compute.fp32_rate'),
    utilization: num(t, 'compute.utilization'),
    vectorLanes: num(t, 'compute.vector_lanes'),
    onchipBuffer: num(t, 'compute.onchip_buffer'),
    fuseElementwise: bool(t, 'compute.fuse_elementwise'),
    activationTraffic: num(t, 'compute.activation_traffic'),
    channels: num(t, 'memory.channels'),
    transferRate: num(t, 'memory.transfer_rate'),
    busWidth: num(t, 'memory.bus_width'),
    memEfficiency: num(t, 'memory.efficiency'),
    bankGroups: num(t, 'memory.bank_groups'),
    devicesPerRank: num(t, 'memory.devices_per_rank'),
    burstLength: num(t, 'memory.burst_length'),
    tccdS: num(t, 'memory.tccd_s'),
    tccdL: num(t, 'memory.tccd_l'),
    pimEnabled: bool(t, 'pim.enabled'),
    pimOverlap: bool(t, 'pim.overlap'),
    pimOpsPerCycle: num(t, 'pim.ops_per_cycle'),
    pimEfficiency: num(t, 'pim.efficiency'),
    commandsPerAccess: num(t, 'pim.commands_per_access'),
    setupTime: num(t, 'pim.setup_time'),
    eNpuFlop: num(t, 'energy.npu_mac'),
    eNpuSram: num(t, 'energy.npu_sram'),
    eDramArray: num(t, 'energy.dram_array'),
    eDramIo: num(t, 'energy.dram_io'),
    ePimOp: num(t, 'energy.pim_op'),
    npuStatic: num(t, 'energy.npu_static'),
    layerLaunch: num(t, 'control.layer_launch'),
  };
}

/**
 * NPU peak FLOP/s = 2 * rows * cols * clock (one MAC per PE per cycle, ASM). A network computing in fp32/tf32 on an
 * array of narrower MACs runs at `fp32Rate` of it (ASM: multi-pass products).
 */
export function npuPeak(c: GradpimConfig, netPrecision: string): number {
  const base = 2 * c.peRows * c.peCols * c.clock;
  const wide = netPrecision === 'fp32' || netPrecision === 'tf32';
  return wide && c.precision !== 'fp32' ? base * c.fp32Rate : base;
}

/** Command-clock period tCK = 2 / data rate (DDR: two transfers per clock). DDR4-2400: 0.833 ns. */
export function tck(c: GradpimConfig): number {
  return 2 / Math.max(1, c.transferRate);
}

/** Bytes one column access moves on one channel: burst_length x bus_width / 8 (BL8 x 64 bit = 64 B). */
export function accessBytes(c: GradpimConfig): number {
  return (c.burstLength * c.busWidth) / 8;
}

/** Peak DDR4 channel bandwidth, all channels: channels * data rate * bus_width / 8 (DDR4-2400 x 64 bit = 19.2 GB/s). */
export function channelPeak(c: GradpimConfig): number {
  return (c.channels * c.transferRate * c.busWidth) / 8;
}

/**
 * Internal bank-group bandwidth, all channels (DER/ASM, seed-systems §3.2/§3.4): every bank group can start one column
 * access per tCCD_L, and the bank groups work in parallel because the update units sit beside their I/O gating:
 *   BW_int = channels * bank_groups * accessBytes / (tCCD_L * tCK)
 * On the channel, accesses are bus-limited to one per tCCD_S (= BL/2 cycles), so
 *   BW_int / BW_channel = bank_groups * (BL/2) / tCCD_L = 4 * 4 / 6 = 2.67 for DDR4-2400 (a model, not a paper figure).
 */
export function internalPeak(c: GradpimConfig): number {
  return (c.channels * c.bankGroups * accessBytes(c)) / (Math.max(1, c.tccdL) * tck(c));
}

/** Ratio of the internal bank-group bandwidth to the channel peak (2.67 at the defaults). */
export function internalMultiplier(c: GradpimConfig): number {
  return internalPeak(c) / channelPeak(c);
}

export interface PimUpdateTime {
  /** Bank-group array time: internalBytes / (BW_int * pim.efficiency). */
  arrayS: number;
  /** Command-bus time: the controller issues commands_per_access RFU commands per column access, one per tCK. */
  commandS: number;
  /** ALU time: flops / (channels * devices * bank_groups * ops_per_cycle / tCK). */
  aluS: number;
  /** Fixed setup per layer (loading hyper-parameters into the unit registers). */
  setupS: number;
  /** Column accesses (per channel, summed over channels). */
  accesses: number;
  commands: number;
}

/**
 * Time of a PIM update that touches `internalBytes` inside the DRAM and performs `flops` element operations.
 * The bank-group units run with deterministic latency, so the phase time is
 *   T = max(arrayS, commandS, aluS) + setupS
 * Column accesses are issued on every channel at once; commands go over each channel's own command bus.
 */
export function pimUpdateTime(c: GradpimConfig, internalBytes: number, flops: number): PimUpdateTime {
  const accesses = internalBytes / accessBytes(c);
  const commands = accesses * c.commandsPerAccess;
  const arrayS = internalBytes / (internalPeak(c) * c.pimEfficiency);
  const commandS = (commands / Math.max(1, c.channels)) * tck(c);
  const aluRate = (c.channels * c.devicesPerRank * c.bankGroups * c.pimOpsPerCycle) / tck(c);
  const aluS = flops / aluRate;
  return { arrayS, commandS, aluS, setupS: c.setupTime, accesses, commands };
}

/**
 * Channel bytes of one NPU phase under a simple tiling (ASM): the smaller of (weight-like bytes, activation reads)
 * is held on chip in tiles of half the buffer and the larger is re-read once per tile; activation writes go out once.
 *   tiles = max(1, ceil(min(Wt, Ar) / (buffer / 2)))
 *   bytes = min(Wt, Ar) + max(Wt, Ar) * tiles + Aw
 * With everything fitting (tiles = 1) this is the compulsory traffic.
 */
export function npuPhaseBytes(
  weightLike: number,
  actRead: number,
  actWrite: number,
  buffer: number,
): { bytes: number; tiles: number } {
  const small = Math.min(weightLike, actRead),
    large = Math.max(weightLike, actRead);
  const tiles = small > 0 ? Math.max(1, Math.ceil(small / Math.max(1, buffer / 2))) : 1;
  return { bytes: small + large * tiles + actWrite, tiles };
}

/**
 * Fill of a weight-stationary systolic array by one GEMM (ASM, TPU-style mapping: the reduction runs down the rows,
 * the outputs across the columns; partial tiles leave PEs idle; groups of a grouped conv are mapped one at a time):
 *   fill = red / (ceil(red / rows) * rows) * out / (ceil(out / cols) * cols)
 */
export function arrayFill(red: number, out: number, rows: number, cols: number): number {
  if (red <= 0 || out <= 0) return 1;
  return (red / (Math.ceil(red / rows) * rows)) * (out / (Math.ceil(out / cols) * cols));
}

/**
 * Schedule for pim.overlap (ASM): the NPU has priority on the DDR4 devices and runs its phases back to back; the
 * memory controller slots the RFU commands of pending updates into the DRAM time the NPU leaves idle
 * (T_phase - T_mem of every phase), first come first served. Updates still pending when the backward pass ends run
 * after it. Step time = NPU time + leftover update time.
 */
export class OverlapSchedule {
  npu = 0;
  private queue: { id: number; issued: number; left: number }[] = [];
  /** Completion of every update, by the id `update` returned: [issued, done]. */
  readonly done = new Map<number, [number, number]>();
  private next = 0;

  /** Place an NPU phase at the current time; pending updates use its idle DRAM time after its transfers. */
  npuPhase(timeS: number, memoryS: number): [number, number] {
    const start = this.npu;
    let t = start + Math.min(memoryS, timeS);
    let idle = Math.max(0, timeS - memoryS);
    while (idle > 0 && this.queue.length) {
      const u = this.queue[0];
      const use = Math.min(idle, u.left);
      u.left -= use;
      idle -= use;
      t += use;
      if (u.left <= 1e-18) {
        this.done.set(u.id, [u.issued, t]);
        this.queue.shift();
      }
    }
    this.npu = start + timeS;
    return [start, this.npu];
  }

  /** Issue an update of `timeS` now (after its bwd_weight); returns its id. */
  update(timeS: number): number {
    const id = this.next++;
    if (timeS > 0) this.queue.push({ id, issued: this.npu, left: timeS });
    else this.done.set(id, [this.npu, this.npu]);
    return id;
  }

  /** Run what is still pending after the last NPU phase; returns the step time. */
  finish(): number {
    let t = this.npu;
    for (const u of this.queue) {
      t += u.left;
      this.done.set(u.id, [u.issued, t]);
    }
    this.queue = [];
    return t;
  }
}
