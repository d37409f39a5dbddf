// Closed-form pieces of the radix-4 IMC training model (pure functions). Grimm & Verma, arXiv 2203.04821 [I1];
// radix-4 FP4 training of Sun et al. [I3]; array geometry and energy scale of the 28 nm macro [I4].
// seed-systems.md §5.4 gives the structure used here:
//   E_IMC = tiles * [ n_slices * (C*e_ADC + R*e_drv) + R*C*n_slices*e_cell ] + E_write
//   E_dig = MAC * e_MAC_dig + bytes_SRAM * e_SRAM
//   Amdahl (equal MACs in the three MVMs): saving(2 of 3 on IMC) = 3 / (1 + 2/S), S = saving with all three.
import type { TargetModel } from '../../spec/types';
import { mvmShape, type MvmShape } from '../../sim/gemm';

export { mvmShape, type MvmShape };
import { str } from '../../sim/target';
import { knob as num } from '../../sim/target';

export type MvmEngine = 'imc' | 'digital';

export interface ImcConfig {
  rows: number;
  cols: number;
  arrays: number;
  clock: number;
  inputMode: 'bit_serial' | 'multi_level';
  levelBits: number;
  inputBits: number;
  weightBits: number;
  accBytes: number;
  writeRowsPerCycle: number;
  mapping: Record<'fwd' | 'bwd_data' | 'bwd_weight', MvmEngine>;
  digitalMacsPerCycle: number;
  digitalClock: number;
  digitalUtil: number;
  digitalWeightBytesPerMac: number;
  dramBandwidth: number;
  sramSize: number;
  eAdc: number;
  eDriver: number;
  eCell: number;
  eWrite: number;
  eDigitalMac: number;
  eSram: number;
  eDram: number;
  eDigitalOp: number;
  staticPower: number;
  phaseConfig: number;
  energyModel: 'components' | 'per_mac';
  eImcMac: number;
}

const eng = (s: string): MvmEngine => (s === 'digital' ? 'digital' : 'imc');

export function imcConfig(t: TargetModel): ImcConfig {
  return {
    rows: num(t, 'compute.array_rows'),
    cols: num(t, 'compute.array_cols'),
    arrays: num(t, 'compute.arrays'),
    clock: num(t, 'compute.clock'),
    inputMode: str(t, 'compute.input_mode') === 'multi_level' ? 'multi_level' : 'bit_serial',
    levelBits: num(t, 'compute.level_bits'),
    inputBits: num(t, 'compute.input_bits'),
    weightBits: num(t, 'compute.weight_bits'),
    accBytes: num(t, 'compute.accumulation_bytes'),
    writeRowsPerCycle: num(t, 'compute.write_rows_per_cycle'),
    mapping: {
      fwd: eng(str(t, 'mapping.fwd')),
      bwd_data: eng(str(t, 'mapping.bwd_data')),
      bwd_weight: eng(str(t, 'mapping.bwd_weight')),
    },
    digitalMacsPerCycle: num(t, 'digital.macs_per_cycle'),
    digitalClock: num(t, 'digital.clock'),
    digitalUtil: num(t, 'digital.utilization'),
    digitalWeightBytesPerMac: num(t, 'digital.weight_bytes_per_mac'),
    dramBandwidth: num(t, 'memory.dram_bandwidth'),
    sramSize: num(t, 'memory.sram'),
    eAdc: num(t, 'energy.adc'),
    eDriver: num(t, 'energy.driver'),
    eCell: num(t, 'energy.cell'),
    eWrite: num(t, 'energy.write'),
    eDigitalMac: num(t, 'energy.digital_mac'),
    eSram: num(t, 'energy.sram'),
    eDram: num(t, 'energy.dram'),
    eDigitalOp: num(t, 'energy.digital_op'),
    staticPower: num(t, 'energy.static'),
    phaseConfig: num(t, 'control.phase_config'),
    energyModel: str(t, 'energy.model') === 'per_mac' ? 'per_mac' : 'components',
    eImcMac: num(t, 'energy.imc_mac'),
  };
}

/** Input slices per value: input_bits (bit-serial) or ceil(input_bits / level_bits) (multi-level). */
export function slices(c: ImcConfig): number {
  return c.inputMode === 'multi_level' ? Math.ceil(c.inputBits / Math.max(1, c.levelBits)) : c.inputBits;
}

/** Bits driven per row per slice (1, or level_bits for multi-level inputs: driver energy scales with it, ASM). */
function driveBits(c: ImcConfig): number {
  return c.inputMode === 'multi_level' ? Math.min(c.levelBits, c.inputBits) : 1;
}

/**
 * One training MVM as a matrix held in the arrays: `groups` independent stationary matrices of `red` rows (the
 * reduction) x `out` outputs, and `vectors` input vectors applied to each. `stationary` elements are written into
 * the arrays before use. MACs = vectors * groups * red * out.
 */

export interface ImcMvmCost {
  /** Array tiles per group: ceil(red / R) * ceil(out * w_bits / C). */
  tiles: number;
  /**
   * Array-cycles: vectors * slices * ceil(groups / packed) * tiles, packed = groups side by side in one array when a
   * group fits a single tile (min(floor(R / red), floor(C / (out * wb))), else 1); time = arrayCycles / (arrays *
   * clock).
   */
  arrayCycles: number;
  computeS: number;
  /** Operand write: stationary bits / (arrays * C * write_rows_per_cycle * clock). */
  writeS: number;
  /**
   * Array energy (energy.model = components): vectors * slices * groups * [out*wb*ceil(red/R)*e_adc
   * + red*ceil(out*wb/C)*e_drv*drive + red*out*wb*e_cell]; (per_mac): MACs * energy.imc_mac.
   */
  arrayJ: number;
  /** stationary * w_bits / 8 * energy.write. */
  writeJ: number;
}

/** Time and energy of one MVM on the IMC arrays (seed-systems §5.4, with used rows/columns instead of full tiles). */
export function imcMvm(c: ImcConfig, s: MvmShape): ImcMvmCost {
  const n = slices(c),
    wb = c.weightBits;
  const rowTiles = Math.ceil(s.red / c.rows),
    colTiles = Math.ceil((s.out * wb) / c.cols);
  const tiles = rowTiles * colTiles;
  // Small grouped matrices (depthwise convs) are packed block-diagonally: groups that fit side by side in one array
  // (disjoint rows and columns) run in the same cycle (ASM).
  const packed = tiles === 1 ? Math.max(1, Math.min(Math.floor(c.rows / s.red), Math.floor(c.cols / (s.out * wb)))) : 1;
  const arrayCycles = s.vectors * n * Math.ceil(s.groups / packed) * tiles;
  const computeS = arrayCycles / (c.arrays * c.clock);
  const stationaryBits = s.stationary * wb;
  const writeS = stationaryBits / (c.arrays * c.cols * c.writeRowsPerCycle * c.clock);
  const perVectorSlice =
    s.out * wb * rowTiles * c.eAdc + s.red * colTiles * c.eDriver * driveBits(c) + s.red * s.out * wb * c.eCell;
  const arrayJ =
    c.energyModel === 'per_mac'
      ? s.vectors * s.groups * s.red * s.out * c.eImcMac
      : s.vectors * n * s.groups * perVectorSlice;
  const writeJ = (stationaryBits / 8) * c.eWrite;
  return { tiles, arrayCycles, computeS, writeS, arrayJ, writeJ };
}

/** Energy per 4b x 4b MAC on a fully used array: slices * wb * (e_adc / R + e_drv / C + e_cell) (= 16 x per-1b-op). */
export function imcMacEnergy(c: ImcConfig): number {
  if (c.energyModel === 'per_mac') return c.eImcMac;
  return slices(c) * c.weightBits * (c.eAdc / c.rows + (c.eDriver * driveBits(c)) / c.cols + c.eCell);
}

/**
 * Digital MVM: time = macs / (macs_per_cycle * clock * util); energy = macs * (e_mac + weight_bytes_per_mac * e_sram).
 */
export function digitalMvm(c: ImcConfig, macs: number): { computeS: number; energyJ: number } {
  return {
    computeS: macs / (c.digitalMacsPerCycle * c.digitalClock * c.digitalUtil),
    energyJ: macs * (c.eDigitalMac + c.digitalWeightBytesPerMac * c.eSram),
  };
}

/** Amdahl relation (DER, seed-systems §5.4): saving when k of 3 equal-MAC MVMs run at saving S and 3-k stay digital. */
export function amdahlSaving(S: number, onImc: number): number {
  return 3 / (onImc / S + (3 - onImc));
}
