// Parameters and presets of the 'spatial' kind: any accelerator built from a storage hierarchy over a 2-D array of
// processing elements (PEs), each with MAC lanes — DRAM -> global buffer (shared) -> PE array (mesh_x x mesh_y) ->
// PE buffer (per PE) -> MACs. Each layer phase is a loop nest mapped onto it by the mapper (sim/nest, Timeloop's
// semantics); model: server/src/kinds/spatial/model.ts. A level with capacity 0 is absent (DRAM: unbounded).
// For other hierarchies, `accelmap timeloop` reads any Timeloop v0.4 architecture.
import type { KindSpec, ParamSpec, PresetValue } from '../../spec/params';
import { presetValue } from '../../spec/params';

const HOROWITZ =
  '[HZ1] Horowitz, "Computing\'s energy problem", ISSCC 2014 (45 nm): DRAM ~1.3-2.6 nJ per 64 b, 32 KB SRAM ~20 pJ per 64 b, 16-bit FP multiply-add ~1.5 pJ (not re-verified)';
const OS =
  '[OS1] Sze, Chen, Yang, Emer, Efficient Processing of Deep Neural Networks (2020), ch. 5: the output-stationary dataflow';
const CAT = '[C1] CATERPILLAR, Li & Pedram, ASAP 2017, Table 1 and §4.1 totals (45 nm)';
const KEEP = ['all', 'weights', 'inputs', 'outputs', 'weights+inputs', 'weights+outputs', 'inputs+outputs', 'none'];

const level = (
  name: string,
  what: string,
  cap: number,
  capSrc: string,
  bw: number,
  eR: number,
  eW: number,
  eSrc: string,
): ParamSpec[] => [
  {
    path: `${name}.capacity`,
    dim: 'size',
    doc: `${what} capacity per instance.${name === 'dram' ? ' 0 = unbounded.' : ' 0 = no such level (its data goes straight between the levels around it).'}`,
    default: cap,
    defaultTag: 'ASM',
    defaultSource: capSrc,
    min: 0,
    max: 1e13,
  },
  {
    path: `${name}.bandwidth`,
    dim: 'bandwidth',
    doc: `${what} bandwidth per instance, reads plus writes (Timeloop's shared bandwidth). 0 = unlimited. A phase that needs more is stretched (bandwidth throttling).`,
    default: bw,
    defaultTag: 'ASM',
    defaultSource: 'a generic design; set it from the design being modelled',
    min: 0,
    max: 1e15,
  },
  {
    path: `${name}.read_energy`,
    dim: 'energyPerByte',
    doc: `Energy per byte read from the ${what.toLowerCase()}.`,
    default: eR,
    defaultTag: 'REC',
    defaultSource: eSrc,
    min: 0,
    max: 1e-6,
  },
  {
    path: `${name}.write_energy`,
    dim: 'energyPerByte',
    doc: `Energy per byte written to the ${what.toLowerCase()} (fills and updates).`,
    default: eW,
    defaultTag: 'REC',
    defaultSource: eSrc,
    min: 0,
    max: 1e-6,
  },
  {
    path: `${name}.block_words`,
    dim: 'count',
    doc: `Words per access of the ${what.toLowerCase()} (Timeloop's block size, width / datawidth): each tensor's reads, fills and updates are charged per block of this many words (a partial block as a whole one); the energies per byte are per word of a full block.`,
    default: 1,
    defaultTag: 'ASM',
    defaultSource: 'word-wide accesses',
    min: 1,
    max: 4096,
  },
  {
    path: `${name}.leakage`,
    dim: 'power',
    doc: `Leakage power per instance of the ${what.toLowerCase()}.`,
    default: 0,
    defaultTag: 'ASM',
    defaultSource: 'not modelled by default',
    min: 0,
    max: 1e4,
  },
  {
    path: `${name}.keep`,
    dim: 'enum',
    values: KEEP,
    doc: `Which tensors the ${what.toLowerCase()} may hold (the mapper chooses among them; the others bypass it). 'weights' covers the weight gradient in backward-weight, 'inputs' the input gradient in backward-data, 'outputs' the output gradient in both backward phases.${name === 'dram' ? ' DRAM always holds everything.' : ''}`,
    default: 'all',
    defaultTag: 'ASM',
    defaultSource: 'no restriction',
  },
];

const params: ParamSpec[] = [
  {
    path: 'clock',
    dim: 'frequency',
    doc: 'Clock of the PE array and its buffers (one MAC per lane per cycle).',
    default: 1e9,
    defaultTag: 'ASM',
    defaultSource: 'a generic design',
    min: 1e6,
    max: 1e11,
  },
  {
    path: 'word_bits',
    dim: 'count',
    doc: 'Bits per word of every level and operand (16 = fp16/bf16/int16).',
    default: 16,
    defaultTag: 'ASM',
    defaultSource: 'a 16-bit training datapath',
    min: 1,
    max: 64,
  },
  {
    path: 'pe.mesh_x',
    dim: 'count',
    doc: 'PEs along X of the array (the spatial fan-out of the global buffer).',
    default: 16,
    defaultTag: 'ASM',
    defaultSource: 'a generic 16 x 16 array',
    min: 1,
    max: 4096,
  },
  {
    path: 'pe.mesh_y',
    dim: 'count',
    doc: 'PEs along Y of the array.',
    default: 16,
    defaultTag: 'ASM',
    defaultSource: 'a generic 16 x 16 array',
    min: 1,
    max: 4096,
  },
  {
    path: 'pe.macs',
    dim: 'count',
    doc: 'MAC lanes per PE (the spatial fan-out of the PE buffer), along X.',
    default: 1,
    defaultTag: 'ASM',
    defaultSource: 'one MAC per PE',
    min: 1,
    max: 4096,
  },
  {
    path: 'pe.mac_energy',
    dim: 'energy',
    doc: 'Energy per multiply-accumulate (operand registers included).',
    default: 1.5e-12,
    defaultTag: 'REC',
    defaultSource: HOROWITZ,
    min: 0,
    max: 1e-9,
  },
  ...level('dram', 'DRAM', 0, 'unbounded off-chip memory', 64e9, 20e-12, 20e-12, HOROWITZ),
  ...level(
    'global_buffer',
    'Global buffer',
    256 * 1024,
    'a generic 256 KiB shared buffer',
    0,
    2.5e-12,
    2.5e-12,
    HOROWITZ,
  ),
  ...level(
    'pe_buffer',
    'PE buffer',
    512,
    'a generic 512 B per-PE scratchpad',
    0,
    0.5e-12,
    0.5e-12,
    `${HOROWITZ}; a register file ~1/5 of a 32 KB SRAM (ASM)`,
  ),
  // ---- area (45 nm; scale by (node / 45 nm)^2 for another node, ASM)
  {
    path: 'area.mac',
    dim: 'area',
    doc: 'Area of one MAC lane (a 16-bit floating-point multiply-accumulate unit at 45 nm).',
    default: 0.0056e-6,
    defaultTag: 'DER',
    defaultSource: `${CAT}: half-precision FMAC 0.0056 mm2`,
    min: 0,
    max: 1,
  },
  {
    path: 'area.sram_per_kib',
    dim: 'area',
    doc: 'Area of the global buffer per KiB of capacity (large SRAM).',
    default: (1.948 / 512) * 1e-6,
    defaultTag: 'DER',
    defaultSource: `${CAT}: 512 KB SRAM 1.948 mm2`,
    min: 0,
    max: 1,
  },
  {
    path: 'area.regfile_per_kib',
    dim: 'area',
    doc: 'Area of a PE buffer per KiB of capacity: small register-file-like arrays are less dense than large SRAM.',
    default: 4 * (0.0617 / 16) * 1e-6,
    defaultTag: 'ASM',
    defaultSource: `4x the 16 KB SRAM density of ${CAT} (0.0617 mm2 / 16 KB): sub-KB arrays spend most of their area on periphery`,
    min: 0,
    max: 1,
  },
  {
    path: 'area.pe_other',
    dim: 'area',
    doc: 'Area per PE besides its MACs and buffer: operand registers, control, its share of the network-on-chip.',
    default: 0.0125e-6,
    defaultTag: 'DER',
    defaultSource: `${CAT}: the part of each reported total its components leave, 0.0125 mm2 per PE for both configurations`,
    min: 0,
    max: 1,
  },
  {
    path: 'mapper.metric',
    dim: 'enum',
    values: ['edp', 'energy', 'delay'],
    doc: 'What the mapper minimises for each layer phase: energy-delay product, energy, or delay (ties broken by energy).',
    default: 'edp',
    defaultTag: 'ASM',
    defaultSource: "Timeloop's usual choice",
  },
  {
    path: 'mapper.budget',
    dim: 'count',
    doc: 'Mappings the mapper evaluates per unique layer-phase loop nest (results are cached per nest and target). More finds better mappings, slower.',
    default: 600,
    defaultTag: 'ASM',
    defaultSource: 'keeps a ResNet-50 simulation to seconds on a laptop core',
    min: 1,
    max: 1e8,
  },
  {
    path: 'mapper.constraints',
    dim: 'string',
    doc: "Mapspace constraints for every layer phase (as Timeloop's), clauses separated by `;`: `<level> temporal R=3 S=3 order=R,S`, `<level> spatial K=12 C=8 x=C`, `<level> keep Weights Inputs`, `<level> bypass Outputs` (levels: dram, global_buffer, pe_buffer). A dimension a nest lacks is skipped; a layer's own `mapping:` wins.",
    default: '',
    defaultTag: 'ASM',
    defaultSource: 'unconstrained',
  },
  {
    path: 'mapper.seconds',
    dim: 'time',
    doc: "Wall-clock limit of the search of one loop nest (0 s: none, the budget alone bounds it). With a limit the mapping found depends on the machine's speed; `accelmap map --budget 10s` sets it.",
    default: 0,
    defaultTag: 'ASM',
    defaultSource: 'no limit: deterministic',
    min: 0,
    max: 3600,
  },
  {
    path: 'mapper.seed',
    dim: 'count',
    doc: "Seed of the mapper's sampling: the same spec and seed give the same mappings.",
    default: 1,
    defaultTag: 'ASM',
    defaultSource: 'any seed serves; 1 by convention',
    min: 1,
    max: 2 ** 31,
  },
];

const v = presetValue;
const EYERISS =
  '[EY1] Chen et al., "Eyeriss: an energy-efficient reconfigurable accelerator for deep CNNs", JSSC 2017 (not re-verified)';
const EYERISS_E =
  '[EY2] Chen et al., ISCA 2016, normalised access energies DRAM 200x, global buffer 6x, RF 1x a MAC; the 1 pJ/MAC scale is ASM';
const SIMBA =
  '[SB1] Shao et al., "Simba: scaling deep-learning inference with multi-chip-module-based architecture", MICRO 2019 (not re-verified)';
const TPU =
  '[TP1] Norrie et al., "The design process for Google\'s training chips: TPUv2 and TPUv3", IEEE Micro 2021; Jouppi et al., CACM 2020 (not re-verified)';

const eyeriss: Record<string, PresetValue> = {
  clock: v('200 MHz', 'REC', `${EYERISS}: 200 MHz core clock`),
  word_bits: v(16, 'REC', `${EYERISS}: 16-bit fixed point`),
  'pe.mesh_x': v(14, 'REC', `${EYERISS}: 12 x 14 = 168 PEs`),
  'pe.mesh_y': v(12, 'REC', `${EYERISS}: 12 x 14 = 168 PEs`),
  'pe.macs': v(1, 'REC', `${EYERISS}: one MAC per PE`),
  'pe.mac_energy': v('1 pJ', 'ASM', EYERISS_E),
  'dram.bandwidth': v('1.6 GB/s', 'ASM', "a 64-bit off-chip bus at 200 MHz; the chip's I/O figures were not retrieved"),
  'dram.read_energy': v('100 pJ/B', 'DER', `${EYERISS_E}: 200 pJ per 16-bit word`),
  'dram.write_energy': v('100 pJ/B', 'DER', `${EYERISS_E}: 200 pJ per 16-bit word`),
  'global_buffer.capacity': v('108 KiB', 'REC', `${EYERISS}: 108 KB global buffer`),
  'global_buffer.keep': v(
    'inputs+outputs',
    'REC',
    `${EYERISS}: the global buffer holds input feature maps and partial sums; filters go from DRAM to the PEs`,
  ),
  'global_buffer.read_energy': v('3 pJ/B', 'DER', `${EYERISS_E}: 6 pJ per word`),
  'global_buffer.write_energy': v('3 pJ/B', 'DER', `${EYERISS_E}: 6 pJ per word`),
  'pe_buffer.capacity': v(
    '520 B',
    'DER',
    `${EYERISS}: per PE a 224-word filter, 12-word ifmap and 24-word psum scratchpad (260 x 16 b), modelled as one buffer (ASM)`,
  ),
  'pe_buffer.read_energy': v('0.5 pJ/B', 'DER', `${EYERISS_E}: 1 pJ per word`),
  'pe_buffer.write_energy': v('0.5 pJ/B', 'DER', `${EYERISS_E}: 1 pJ per word`),
};

const simba: Record<string, PresetValue> = {
  clock: v('1 GHz', 'ASM', `${SIMBA}: the chiplet runs from a few hundred MHz to ~2 GHz; 1 GHz assumed`),
  word_bits: v(8, 'REC', `${SIMBA}: 8-bit weights and activations`),
  'pe.mesh_x': v(4, 'REC', `${SIMBA}: 16 PEs per chiplet`),
  'pe.mesh_y': v(4, 'REC', `${SIMBA}: 16 PEs per chiplet`),
  'pe.macs': v(64, 'REC', `${SIMBA}: 8 vector MAC units of 8 lanes per PE`),
  'pe.mac_energy': v('0.2 pJ', 'ASM', '8-bit MAC in 16 nm'),
  'dram.bandwidth': v('100 GB/s', 'ASM', "one chiplet's share of the package bandwidth; not retrieved"),
  'dram.read_energy': v('20 pJ/B', 'REC', HOROWITZ),
  'dram.write_energy': v('20 pJ/B', 'REC', HOROWITZ),
  'global_buffer.capacity': v('64 KiB', 'REC', `${SIMBA}: 64 KB global PE buffer per chiplet`),
  'global_buffer.read_energy': v('1.5 pJ/B', 'ASM', '64 KB SRAM in 16 nm'),
  'global_buffer.write_energy': v('1.5 pJ/B', 'ASM', '64 KB SRAM in 16 nm'),
  'pe_buffer.capacity': v(
    '43 KiB',
    'DER',
    `${SIMBA}: per PE a 32 KB weight, 8 KB input and 3 KB accumulation buffer, modelled as one buffer (ASM)`,
  ),
  'pe_buffer.read_energy': v('0.6 pJ/B', 'ASM', 'small SRAM in 16 nm'),
  'pe_buffer.write_energy': v('0.6 pJ/B', 'ASM', 'small SRAM in 16 nm'),
};

const tpu: Record<string, PresetValue> = {
  clock: v('700 MHz', 'REC', `${TPU}: TPUv2 at 700 MHz`),
  word_bits: v(16, 'REC', `${TPU}: bf16 multiplies`),
  'pe.mesh_x': v(128, 'REC', `${TPU}: a 128 x 128 systolic matrix unit per core`),
  'pe.mesh_y': v(128, 'REC', `${TPU}: a 128 x 128 systolic matrix unit per core`),
  'pe.macs': v(1, 'REC', `${TPU}: one MAC per cell`),
  'pe.mac_energy': v('0.6 pJ', 'ASM', 'bf16 multiply + fp32 add in 16 nm'),
  'dram.bandwidth': v('300 GB/s', 'DER', `${TPU}: 600 GB/s HBM per TPUv2 chip of two cores`),
  'dram.read_energy': v('8 pJ/B', 'ASM', 'HBM ~4 pJ/bit with PHY'),
  'dram.write_energy': v('8 pJ/B', 'ASM', 'HBM ~4 pJ/bit with PHY'),
  'global_buffer.capacity': v('16 MiB', 'REC', `${TPU}: vector memory per TPUv2 core`),
  'global_buffer.read_energy': v('2 pJ/B', 'ASM', 'large on-chip SRAM'),
  'global_buffer.write_energy': v('2 pJ/B', 'ASM', 'large on-chip SRAM'),
  'pe_buffer.capacity': v(
    '4 B',
    'DER',
    `${TPU}: weight stationary: each cell holds its weight (double-buffered, 2 x bf16)`,
  ),
  'pe_buffer.keep': v(
    'weights',
    'REC',
    `${TPU}: weights stay in the cells; inputs flow through and partial sums are reduced along the columns`,
  ),
  'pe_buffer.read_energy': v('0.05 pJ/B', 'ASM', 'a register'),
  'pe_buffer.write_energy': v('0.05 pJ/B', 'ASM', 'a register'),
};

const teaching: Record<string, PresetValue> = {
  clock: v('200 MHz', 'ASM', 'a small teaching design'),
  word_bits: v(16, 'ASM', 'a small teaching design'),
  'pe.mesh_x': v(4, 'ASM', 'a 4 x 4 array'),
  'pe.mesh_y': v(4, 'ASM', 'a 4 x 4 array'),
  'dram.bandwidth': v('1 GB/s', 'ASM', 'a small teaching design'),
  'global_buffer.capacity': v('8 KiB', 'ASM', 'a small teaching design'),
  'pe_buffer.capacity': v('8 B', 'ASM', `${OS}; 4 partial sums per PE`),
  'pe_buffer.keep': v(
    'outputs',
    'DER',
    `${OS}: each PE keeps its partial sums; weights and inputs stream from the global buffer, multicast over the array`,
  ),
};

export const spatial: KindSpec = {
  kind: 'spatial',
  title:
    'Spatial accelerator: DRAM, global buffer, PE array with per-PE buffers; each layer phase mapped as a loop nest (Timeloop semantics)',
  params,
  presets: [
    {
      name: 'eyeriss-like',
      kind: 'spatial',
      description:
        'Eyeriss v1-like: 168 PEs (12 x 14), 108 KB global buffer holding inputs and partial sums, ~0.5 KB of scratchpads per PE, 200 MHz, 16-bit.',
      values: eyeriss,
      notes: [
        'The three per-PE scratchpads are modelled as one 520 B buffer, and row-stationary is not imposed: the mapper picks the dataflow.',
        "Energies are Eyeriss' normalised ratios on an assumed 1 pJ MAC.",
        'Eyeriss was built for inference; training phases are mapped on it as a what-if.',
      ],
    },
    {
      name: 'simba-like',
      kind: 'spatial',
      description:
        'One Simba-like chiplet: 16 PEs (4 x 4) of 64 8-bit MACs, 64 KB global buffer, 43 KB of buffers per PE.',
      values: simba,
      notes: [
        'One chiplet of the 36-chiplet package; the package interconnect is not modelled.',
        'The per-PE weight, input and accumulation buffers are modelled as one buffer.',
        'Energies and bandwidth are assumptions.',
      ],
    },
    {
      name: 'tpu-like',
      kind: 'spatial',
      description:
        'A TPUv2-like core: 128 x 128 weight-stationary systolic array at 700 MHz, bf16, 16 MiB vector memory, 300 GB/s HBM.',
      values: tpu,
      notes: [
        "Systolic forwarding is modelled as multicast of inputs along rows and spatial reduction of partial sums along columns (Timeloop's usual approximation).",
        'The vector unit (element-wise layers) is modelled as one operation per array cell per cycle (ASM).',
        'Energies are assumptions.',
      ],
    },
    {
      name: 'os-teaching',
      kind: 'spatial',
      description:
        'A small output-stationary teaching design: 4 x 4 PEs each keeping its partial sums, 8 KB global buffer.',
      values: teaching,
      notes: ['Every value is an assumption: a design small enough to follow by hand.'],
    },
  ],
};
