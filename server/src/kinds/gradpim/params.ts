// Parameters and presets of the 'gradpim' kind: a host NPU (systolic array + DDR4 channels) that runs fwd, bwd_data
// and bwd_weight, with the weight update done by one fixed-function unit per DDR4 bank group (GradPIM, Kim et al.,
// HPCA 2021, arXiv 2102.07511). Model and formulas: server/src/kinds/gradpim/pim.ts.
// Source keys ([G1], [G2], [G3]) are those of /work/shared/research/seed-systems.md §3 and §8. Almost nothing about the
// host NPU was retrieved: its knobs are ASM and say so.
import type { KindSpec, ParamSpec, PresetValue } from '../../spec/params';
import { presetValue } from '../../spec/params';

const G1 = '[G1] GradPIM abstract, arXiv 2102.07511 (HPCA 2021)';
const G2 = '[G2] GradPIM paper summary (RyoTTa/chamber-paper-wiki)';
const G3 = '[G3] DDR4 organisation: 4 bank groups x 4 banks (x8 8Gb)';
const JEDEC = 'JEDEC JESD79-4 DDR4 (REC: DDR4-2400, tCK 0.833 ns, BL8, tCCD_L = max(5 nCK, 5 ns) = 6 nCK; not re-verified)';

const params: ParamSpec[] = [
  // ---- host NPU (systolic array)
  { path: 'compute.pe_rows', dim: 'count', doc: 'Rows of the host NPU systolic array (processing elements).', default: 128, defaultTag: 'ASM', defaultSource: 'TPU-like 128x128 array; the GradPIM NPU configuration was not retrieved (seed-systems §3.5)', min: 1, max: 65536 },
  { path: 'compute.pe_cols', dim: 'count', doc: 'Columns of the host NPU systolic array.', default: 128, defaultTag: 'ASM', defaultSource: 'as compute.pe_rows', min: 1, max: 65536 },
  { path: 'compute.clock', dim: 'frequency', doc: 'NPU clock. Peak = 2 x PEs x clock (one MAC per PE per cycle).', default: 1e9, defaultTag: 'ASM', defaultSource: 'not retrieved; 1 GHz typical for a training NPU', min: 1e6, max: 1e11 },
  { path: 'compute.precision', dim: 'enum', values: ['fp32', 'fp16', 'bf16', 'int8'], doc: 'MAC precision of the array. A network computing in a wider format runs at the rate given by compute.fp32_rate.', default: 'fp16', defaultTag: 'ASM', defaultSource: 'mixed-precision training setting of [G2]' },
  { path: 'compute.fp32_rate', dim: 'ratio', doc: 'Fraction of peak reached when the network computes in fp32 on a 16-bit array.', default: 0.25, defaultTag: 'ASM', defaultSource: 'a 16-bit multiplier array needs ~4 passes per fp32 product', min: 0.01, max: 1 },
  { path: 'compute.utilization', dim: 'ratio', doc: 'Fraction of peak the NPU reaches on MAC phases (mapping and fill/drain losses).', default: 0.8, defaultTag: 'ASM', defaultSource: 'typical systolic-array mapping efficiency on CNN layers', min: 0.01, max: 1 },
  { path: 'compute.vector_lanes', dim: 'count', doc: 'Lanes of the NPU vector unit that runs element-wise layers and the non-PIM weight update (one operation per lane per cycle).', default: 256, defaultTag: 'ASM', defaultSource: 'TPU-like vector unit; not retrieved', min: 1, max: 1e6 },
  { path: 'compute.onchip_buffer', dim: 'size', doc: 'On-chip buffer of the NPU. Sets tiling: the smaller operand is held in tiles of half the buffer and the larger is re-read once per tile.', default: 24 * 1024 * 1024, defaultTag: 'ASM', defaultSource: 'TPUv1-like 24 MiB unified buffer; not retrieved for GradPIM', min: 1024, max: 1e10 },
  { path: 'compute.fuse_elementwise', dim: 'bool', doc: 'BN fission-fusion and fused activations: batchnorm, ReLU-family and add layers run inside the producing layer and move no activations over the channel of their own.', default: true, defaultTag: 'SRC', defaultSource: `${G2}: the 45.9% figure is measured with BN fission/fusion applied` },
  { path: 'compute.activation_traffic', dim: 'ratio', doc: 'Fraction of the activation bytes (layer inputs/outputs and their gradients) that still crosses the DDR4 channel after minibatch serialization (MBS) keeps inter-layer data on chip. 1 = no MBS.', default: 1, defaultTag: 'ASM', defaultSource: 'no MBS by default; see the gradpim preset for the MBS setting', min: 0, max: 1 },
  // ---- DDR4 main memory
  { path: 'memory.channels', dim: 'count', doc: 'DDR4 channels (64-bit each) of the NPU.', default: 4, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 1, max: 64 },
  { path: 'memory.transfer_rate', dim: 'frequency', doc: 'DDR4 data rate in transfers per second (DDR4-2400 = 2.4 GHz; the command clock is half of it).', default: 2.4e9, defaultTag: 'ASM', defaultSource: 'DDR4-2400 speed bin (seed-systems §3.2: typical, verify)', min: 1e8, max: 1e10 },
  { path: 'memory.bus_width', dim: 'count', doc: 'Data bits per channel.', default: 64, defaultTag: 'SRC', defaultSource: JEDEC, min: 8, max: 1024 },
  { path: 'memory.efficiency', dim: 'ratio', doc: 'Achievable fraction of the channel peak (row misses, refresh, read/write turnarounds).', default: 0.8, defaultTag: 'ASM', defaultSource: 'seed-systems §3.4: eta ~0.7-0.8', min: 0.01, max: 1 },
  { path: 'memory.bank_groups', dim: 'count', doc: 'Bank groups per DDR4 device; GradPIM places one update unit per bank group.', default: 4, defaultTag: 'SRC', defaultSource: G3, min: 1, max: 64 },
  { path: 'memory.banks_per_group', dim: 'count', doc: 'Banks per bank group (informational; capacity and row parallelism).', default: 4, defaultTag: 'SRC', defaultSource: G3, min: 1, max: 64 },
  { path: 'memory.devices_per_rank', dim: 'count', doc: 'DRAM devices working in lock-step on one channel (64-bit bus of x8 devices = 8). Each device has its own bank-group units.', default: 8, defaultTag: 'DER', defaultSource: `64-bit channel / x8 devices (${G3})`, min: 1, max: 64 },
  { path: 'memory.burst_length', dim: 'count', doc: 'Beats per column access (BL8): one access moves burst_length x bus_width bits per channel.', default: 8, defaultTag: 'SRC', defaultSource: JEDEC, min: 1, max: 64 },
  { path: 'memory.tccd_s', dim: 'count', doc: 'tCCD_S in command-clock cycles: minimum gap between column accesses to different bank groups.', default: 4, defaultTag: 'SRC', defaultSource: `${G2}: tCCD_S = 4 cycles`, min: 1, max: 64 },
  { path: 'memory.tccd_l', dim: 'count', doc: 'tCCD_L in command-clock cycles: minimum gap between column accesses in the same bank group (25-100% longer than tCCD_S).', default: 6, defaultTag: 'REC', defaultSource: `${JEDEC}; ${G2}: 25-100% longer than tCCD_S`, min: 1, max: 64 },
  // ---- the PIM units
  { path: 'pim.enabled', dim: 'bool', doc: 'Run the weight update in the DDR4 bank-group units. false = the same NPU without PIM (the update reads and writes all optimizer state over the channel).', default: true, defaultTag: 'SRC', defaultSource: G1 },
  { path: 'pim.overlap', dim: 'bool', doc: 'Issue each layer\'s update right after its bwd_weight and let it run in the bank groups while the NPU continues the backward pass. The DDR4 devices are time-shared: NPU transfers wait while an update holds the bank groups. false = all updates after the backward pass.', default: false, defaultTag: 'ASM', defaultSource: 'scheduling of the RFU commands against NPU traffic not retrieved; a what-if' },
  { path: 'pim.ops_per_cycle', dim: 'count', doc: 'Arithmetic operations per command-clock cycle of one bank-group unit in one DRAM device (its multipliers + adders). Only limits the update when set very low: the units are normally bank-bandwidth bound.', default: 4, defaultTag: 'ASM', defaultSource: `${G2}: "multiplier(s) + adder(s)" per unit; count not retrieved`, min: 1, max: 1024 },
  { path: 'pim.efficiency', dim: 'ratio', doc: 'Fraction of the internal bank-group bandwidth the update reaches (row activations, refresh, read-write switching).', default: 0.85, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 0.01, max: 1 },
  { path: 'pim.commands_per_access', dim: 'count', doc: 'RFU commands the memory controller issues per column access of an update unit (one command-bus slot each).', default: 1, defaultTag: 'ASM', defaultSource: 'seed-systems §6: cmdPerUpdateBurst; deterministic latency [G2]', min: 0, max: 16 },
  { path: 'pim.setup_time', dim: 'time', doc: 'Fixed cost per layer update: the controller loads the learning rate, momentum and decay into the unit registers (mode-register-style writes) and drains the NPU writes.', default: 200e-9, defaultTag: 'ASM', defaultSource: 'a few MRS/RFU commands at tMOD ~24 nCK each', min: 0, max: 1 },
  // ---- energy
  { path: 'energy.npu_mac', dim: 'energyPerFlop', doc: 'NPU energy per FLOP (half a 16-bit MAC) including operand registers.', default: 0.5e-12, defaultTag: 'ASM', defaultSource: 'fp16 MAC ~1 pJ in a 28-16 nm class process', min: 0, max: 1e-9 },
  { path: 'energy.npu_sram', dim: 'energyPerByte', doc: 'NPU on-chip buffer energy per byte read or written.', default: 1.5e-12, defaultTag: 'ASM', defaultSource: 'large SRAM buffer, ~0.2 pJ/bit', min: 0, max: 1e-9 },
  { path: 'energy.dram_array', dim: 'energyPerByte', doc: 'DRAM core energy per byte accessed (activation share, cell array, bank-group data path); paid by every access, also the PIM-internal ones.', default: 2e-12 * 8, defaultTag: 'ASM', defaultSource: 'not in the GradPIM material; ~2 pJ/bit array + row-activation share for DDR4 (ASM)', min: 0, max: 1e-9 },
  { path: 'energy.dram_io', dim: 'energyPerByte', doc: 'DRAM I/O energy per byte that crosses the channel (global data bus, I/O drivers, termination, controller PHY); not paid by PIM-internal accesses.', default: 4e-12 * 8, defaultTag: 'ASM', defaultSource: 'DDR4 I/O + PHY ~4 pJ/bit (ASM)', min: 0, max: 1e-9 },
  { path: 'energy.pim_op', dim: 'energyPerFlop', doc: 'Energy per arithmetic operation of a bank-group update unit (DRAM-process logic).', default: 2e-12, defaultTag: 'ASM', defaultSource: 'DRAM-process logic is several times less efficient than logic-process logic', min: 0, max: 1e-9 },
  { path: 'energy.npu_static', dim: 'power', doc: 'NPU static power, charged for the whole step.', default: 2, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 0, max: 1e4 },
  // ---- control
  { path: 'control.layer_launch', dim: 'time', doc: 'NPU overhead per layer and phase (descriptor fetch, array fill/drain not covered by utilization).', default: 1e-6, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 0, max: 1 },
];

const v = presetValue;

const npuValues: Record<string, PresetValue> = {
  'compute.pe_rows': v(128, 'ASM', 'GradPIM NPU configuration not retrieved; TPU-like 128x128'),
  'compute.pe_cols': v(128, 'ASM', 'as compute.pe_rows'),
  'compute.clock': v('1 GHz', 'ASM', 'not retrieved'),
  'compute.precision': v('fp16', 'SRC', `${G2}: mixed-precision training`),
  'compute.onchip_buffer': v('24 MiB', 'ASM', 'not retrieved'),
  'compute.fuse_elementwise': v(true, 'SRC', `${G2}: BN fission/fusion applied in the evaluation`),
  'compute.activation_traffic': v(0.25, 'ASM', 'minibatch serialization (MBS, Lym et al. SysML 2019) is applied in [G2]; its traffic reduction was not retrieved: 75% of the activation traffic assumed kept on chip'),
  'memory.channels': v(4, 'ASM', 'DDR4 channel count not retrieved'),
  'memory.transfer_rate': v('2.4 GHz', 'ASM', 'DDR4-2400 (seed-systems §3.2: typical; verify)'),
  'memory.bank_groups': v(4, 'SRC', G3),
  'memory.banks_per_group': v(4, 'SRC', G3),
  'memory.tccd_s': v(4, 'SRC', `${G2}: tCCD_S = 4 cycles`),
  'memory.tccd_l': v(6, 'REC', JEDEC),
};

export const gradpim: KindSpec = {
  kind: 'gradpim',
  title: 'GradPIM: host NPU + DDR4 with one weight-update unit per bank group',
  params,
  presets: [
    {
      name: 'gradpim',
      kind: 'gradpim',
      description: 'GradPIM (HPCA 2021): a systolic NPU runs fwd/bwd; the optimizer update runs inside DDR4, one unit per bank group, driven by RFU commands.',
      values: { ...npuValues, 'pim.enabled': v(true, 'SRC', G1) },
      notes: [
        'The host NPU (array size, buffer, clock) and the DDR4 speed and channel count of the paper were not retrieved: they are assumptions (ASM).',
        'DRAM array and I/O energies per bit are assumptions; the paper\'s power numbers were not retrieved.',
        'BN fission/fusion is modelled as batchnorm, ReLU and add layers fused into their producer (no activation traffic of their own).',
      ],
      keyFigures: ['ResNet-18 mixed precision, batch 32: update = 42.6% (fp16 gradients) / 47.5% (8-bit gradients) of the DDR4 traffic without PIM; paper 45.9%', 'largest per-layer update share: 76.5% (fp16 gradients) / 78.8% (8-bit); paper 80.5%'],
    },
    {
      name: 'gradpim-baseline',
      kind: 'gradpim',
      description: 'The GradPIM host NPU without PIM: the update reads gradients, master weights and momentum over the DDR4 channel and writes them back.',
      values: { ...npuValues, 'pim.enabled': v(false, 'SRC', `${G1}: baseline = the same system without in-DRAM update`) },
      notes: ['Same NPU and DDR4 as the gradpim preset with pim.enabled: false. Use it as the baseline to see the PIM speedup and channel-traffic saving.'],
    },
  ],
};
