// Parameters and presets of the 'caterpillar' kind: 2C cores on a unidirectional systolic ring, each an n_r x n_r
// array of half-precision FMAC PEs with 16 KB local SRAM and row/column broadcast buses, plus 512 KB off-core SRAM
// per core (CATERPILLAR, Li & Pedram, ASAP 2017, arXiv 1706.00517v2). Model and formulas:
// server/src/kinds/caterpillar/model.ts. Source key [C1] as in /work/shared/research/seed-systems.md §2 and §8.
import type { KindSpec, ParamSpec, PresetValue } from '../../spec/params';
import { presetValue } from '../../spec/params';

const C1 = '[C1] CATERPILLAR, Li & Pedram, ASAP 2017 (arXiv 1706.00517v2)';
const FIT =
  'fitted so that the small MLP (784-500-500-500-10) on 2x16 cores of 4x4 PEs gives the reported GFLOPS/W (seed-systems §2.4 calibration hint)';

const params: ParamSpec[] = [
  // ---- compute
  {
    path: 'compute.cores',
    dim: 'count',
    doc: "Cores on the ring (the paper's 2C).",
    default: 32,
    defaultTag: 'SRC',
    defaultSource: `${C1} §4.1: 2x16 cores`,
    min: 1,
    max: 4096,
  },
  {
    path: 'compute.pe_rows',
    dim: 'count',
    doc: 'n_r: each core is an n_r x n_r array of PEs with row and column broadcast buses.',
    default: 4,
    defaultTag: 'SRC',
    defaultSource: `${C1} §4.1: 4x4 PEs per core`,
    min: 1,
    max: 256,
  },
  {
    path: 'compute.clock',
    dim: 'frequency',
    doc: 'Clock frequency (45 nm).',
    default: 1e9,
    defaultTag: 'SRC',
    defaultSource: `${C1} §4.1: 1 GHz`,
    min: 1e6,
    max: 1e10,
  },
  {
    path: 'compute.flops_per_pe_cycle',
    dim: 'number',
    doc: 'FLOPs per PE per cycle (one half-precision FMAC = 2).',
    default: 2,
    defaultTag: 'DER',
    defaultSource: `${C1}: one FMAC per PE per cycle`,
    min: 0.1,
    max: 64,
  },
  {
    path: 'compute.neighbour_links',
    dim: 'bool',
    doc: 'Direct links between neighbouring PEs: a reduction of n_r partial sums takes log2(n_r) - 1 cycles instead of n_r - 1 over the column bus.',
    default: true,
    defaultTag: 'SRC',
    defaultSource: `${C1} §3.3`,
  },
  // ---- memory
  {
    path: 'memory.local_sram',
    dim: 'size',
    doc: "Local SRAM per PE. The network fits when the paper's words-per-PE condition holds; otherwise weights are streamed from the off-core SRAM.",
    default: 16 * 1024,
    defaultTag: 'SRC',
    defaultSource: `${C1} Table 1: 16 KB per PE`,
    min: 256,
    max: 1e9,
  },
  {
    path: 'memory.offcore_sram',
    dim: 'size',
    doc: 'Off-core (on-chip) SRAM scratchpad per core.',
    default: 512 * 1024,
    defaultTag: 'SRC',
    defaultSource: `${C1} Table 1: 512 KB per core`,
    min: 0,
    max: 1e10,
  },
  {
    path: 'memory.word_bytes',
    dim: 'number',
    doc: 'Bytes per word (FP16 = 2). CATERPILLAR computes in half precision whatever the network precision.',
    default: 2,
    defaultTag: 'SRC',
    defaultSource: `${C1}: FP16`,
    min: 0.5,
    max: 8,
  },
  {
    path: 'memory.offcore_words_per_row',
    dim: 'number',
    doc: 'Words per cycle the off-core SRAM delivers per PE row of a core (it feeds the row buses): off-core bandwidth = cores x n_r x this x clock words/s.',
    default: 1,
    defaultTag: 'ASM',
    defaultSource:
      'one word per row bus per cycle; not stated in [C1]. Gives the reported CP 75% utilization when the large MLP does not fit',
    min: 0.01,
    max: 64,
  },
  // ---- control (training algorithm)
  {
    path: 'control.mode',
    dim: 'enum',
    values: ['sgd', 'cp', 'minibatch'],
    doc: 'Training algorithm: sgd (GEMV per sample, communication exposed), cp (continuous propagation: layers pipelined across cores, communication overlapped, weights touched once per sample) or minibatch (GEMM over b samples).',
    default: 'sgd',
    defaultTag: 'SRC',
    defaultSource: `${C1} §2-3`,
  },
  {
    path: 'control.minibatch',
    dim: 'count',
    doc: "Minibatch size b in minibatch mode when the network's batch size is 1 (otherwise the network's batch is used).",
    default: 50,
    defaultTag: 'ASM',
    defaultSource: `${C1} evaluates b = 2, 4, 8, 50, 100; the b behind the headline GFLOPS/W is not stated`,
    min: 1,
    max: 1e6,
  },
  // ---- energy
  {
    path: 'energy.fpu',
    dim: 'energyPerFlop',
    doc: 'FPU energy per operation, read as per FLOP (an FMAC is 2 operations).',
    default: 2.63e-12,
    defaultTag: 'SRC',
    defaultSource: `${C1} Table 1 (FPU of Galal et al.); "per op" read as per flop: with per-MAC the reported energy split (CP ~50/50 memory/FPU) cannot hold (DER)`,
    min: 0,
    max: 1e-9,
  },
  {
    path: 'energy.local_access',
    dim: 'energy',
    doc: "Energy of one 2-byte access to a PE's 16 KB local SRAM.",
    default: 3.5e-12,
    defaultTag: 'SRC',
    defaultSource: `${C1} Table 1`,
    min: 0,
    max: 1e-9,
  },
  {
    path: 'energy.offcore_access',
    dim: 'energy',
    doc: 'Energy of one 2-byte access to the 512 KB off-core SRAM.',
    default: 16e-12,
    defaultTag: 'SRC',
    defaultSource: `${C1} Table 1`,
    min: 0,
    max: 1e-9,
  },
  {
    path: 'energy.local_per_mac_sgd',
    dim: 'number',
    doc: 'Local SRAM accesses per MAC in sgd mode (weights, activations, partial sums). Calibrated.',
    default: 1.726,
    defaultTag: 'ASM',
    defaultSource: `${FIT}: 177 GFLOPS/W -> 11.30 pJ/MAC = 2 x 2.63 + 1.726 x 3.5`,
    min: 0,
    max: 100,
  },
  {
    path: 'energy.local_per_mac_cp',
    dim: 'number',
    doc: 'Local SRAM accesses per MAC in cp mode. Calibrated.',
    default: 1.297,
    defaultTag: 'ASM',
    defaultSource: `${FIT}: 204 GFLOPS/W -> 9.80 pJ/MAC`,
    min: 0,
    max: 100,
  },
  {
    path: 'energy.local_per_mac_minibatch',
    dim: 'number',
    doc: 'Local SRAM accesses per MAC in minibatch mode. Calibrated.',
    default: 1.429,
    defaultTag: 'ASM',
    defaultSource: `${FIT}: 195 GFLOPS/W -> 10.26 pJ/MAC`,
    min: 0,
    max: 100,
  },
  {
    path: 'energy.static_power',
    dim: 'power',
    doc: 'Static power, charged over the whole step ([C1] reports dynamic energy only).',
    default: 0,
    defaultTag: 'SRC',
    defaultSource: `${C1} §4.3: energy = FPU + SRAM accesses`,
    min: 0,
    max: 1000,
  },
  // ---- area (45 nm)
  {
    path: 'area.fpu',
    dim: 'area',
    doc: "Area of one PE's half-precision FMAC unit.",
    default: 0.0056e-6,
    defaultTag: 'SRC',
    defaultSource: `${C1} Table 1: FPU 0.0056 mm2 (from Galal et al.)`,
    min: 0,
    max: 1,
  },
  {
    path: 'area.local_sram_per_kib',
    dim: 'area',
    doc: "Area of the PEs' local SRAM per KiB (area = memory.local_sram x this, per PE).",
    default: (0.0617 / 16) * 1e-6,
    defaultTag: 'DER',
    defaultSource: `${C1} Table 1: 16 KB local SRAM 0.0617 mm2 (CACTI)`,
    min: 0,
    max: 1,
  },
  {
    path: 'area.offcore_sram_per_kib',
    dim: 'area',
    doc: 'Area of the off-core SRAM per KiB (area = memory.offcore_sram x this, per core).',
    default: (1.948 / 512) * 1e-6,
    defaultTag: 'DER',
    defaultSource: `${C1} Table 1: 512 KB off-core SRAM 1.948 mm2`,
    min: 0,
    max: 1,
  },
  {
    path: 'area.pe_other',
    dim: 'area',
    doc: 'Area per PE besides its FPU and local SRAM: registers, control, its share of the row/column broadcast buses and the ring.',
    default: 0.0125e-6,
    defaultTag: 'DER',
    defaultSource: `${C1} §4.1 totals: (103.2 - 96.8) mm2 / 512 PEs = 0.0125 and (178.9 - 153.4) mm2 / 2048 PEs = 0.0125 — the part of each reported total that Table 1's components leave, the same per PE for both configurations`,
    min: 0,
    max: 1,
  },
];

const v = presetValue;

const common: Record<string, PresetValue> = {
  'compute.clock': v('1 GHz', 'SRC', `${C1} §4.1`),
  'memory.local_sram': v('16 KiB', 'SRC', `${C1} Table 1`),
  'memory.offcore_sram': v('512 KiB', 'SRC', `${C1} Table 1`),
  'energy.fpu': v('2.63 pJ', 'SRC', `${C1} Table 1`),
  'energy.local_access': v('3.5 pJ', 'SRC', `${C1} Table 1 (2-byte access)`),
  'energy.offcore_access': v('16 pJ', 'SRC', `${C1} Table 1 (2-byte access)`),
};

const notes = [
  'Energy per MAC is calibrated (energy.local_per_mac_*) on the small MLP / small array; the large-array and not-fitting figures are predictions of the model.',
  'The fit condition is read as sum_i (L-i+1)(m_i+n_i+max(m_i,n_i)) + sum_i m_i n_i words over all PEs (the (L-i+1) factor on activations only); read literally (factor on the weights too) the large MLP would not fit 2x4 cores of 16x16 PEs, contrary to [C1].',
  'When the network does not fit, every weight access is served by the off-core SRAM (partial residency not modelled); 12 M weights exceed even the 16 MB of off-core SRAM of the small array, which [C1] does not discuss (DRAM not modelled).',
  'The weight update is fused into the rank-1 (rank-b) weight-gradient MACs (W -= eta * delta * x^T): the update phase has no separate time, flops or energy.',
  'Non-MLP layers (conv) are lowered to GEMM (im2col); the paper evaluates MLPs only.',
  'Not reproduced: SGD utilization of the large MLP. [C1] reports 81% when it fits (2x4 cores of 16x16) and 47% when it does not (2x16 cores of 4x4); the model gives 89% and 36% (its exposed ring/reduction time is smaller and its weight-streaming penalty larger than the paper implies). CP (99% -> 75%) and minibatch (94% not fitting) are reproduced. No factor was tuned to close the SGD gap.',
];

export const caterpillar: KindSpec = {
  kind: 'caterpillar',
  title: 'CATERPILLAR: ring of n_r x n_r FP16 PE arrays for MLP training (SGD, CP, minibatch)',
  params,
  presets: [
    {
      name: 'caterpillar-small',
      kind: 'caterpillar',
      description: 'CATERPILLAR 2x16 cores of 4x4 PEs (512 PEs, 1.024 TFLOPS peak, 103.2 mm2, 45 nm, 1 GHz).',
      values: {
        ...common,
        'compute.cores': v(
          32,
          'SRC',
          `${C1} §4.1 and figure legends: 2x16 cores of 4x4 PEs (the prose swaps the pairing; the area arithmetic confirms, seed-systems §2.2)`,
        ),
        'compute.pe_rows': v(4, 'SRC', `${C1} figure legends`),
      },
      notes,
      keyFigures: [
        '177 / 204 / 195 GFLOPS/W (SGD / CP / minibatch), 784-500-500-500-10, fits',
        '98 / 127 / 187 GFLOPS/W, 784-2500-2000-1500-1000-500-10, does not fit',
      ],
    },
    {
      name: 'caterpillar-large',
      kind: 'caterpillar',
      description: 'CATERPILLAR 2x4 cores of 16x16 PEs (2048 PEs, 4.096 TFLOPS peak, 178.9 mm2, 45 nm, 1 GHz).',
      values: {
        ...common,
        'compute.cores': v(8, 'SRC', `${C1} §4.1 and figure legends: 2x4 cores of 16x16 PEs`),
        'compute.pe_rows': v(16, 'SRC', `${C1} figure legends`),
      },
      notes,
      keyFigures: [
        '185 / 211 / 195 GFLOPS/W (SGD / CP / minibatch), 784-2500-2000-1500-1000-500-10, fits',
        'CP 98-99% utilization',
      ],
    },
  ],
};
