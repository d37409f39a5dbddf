// Parameters and presets of the 'imc' kind: training on charge-domain SRAM in-memory-computing arrays with radix-4
// FP4 gradients (Grimm & Verma, arXiv 2203.04821, TCAS-I 2022 [I1]; algorithm of Sun et al. NeurIPS 2020 [I3];
// array geometry and energy scale from the 28 nm macro of Lee et al. VLSI 2021 [I4]). Model and formulas:
// server/src/kinds/imc/engine.ts. Source keys as in /work/shared/research/seed-systems.md §5 and §8.
// The 2022 paper's absolute energies, array geometry and digital baseline were not retrieved: those are ASM knobs.
import type { KindSpec, ParamSpec, PresetValue } from '../../spec/params';
import { presetValue } from '../../spec/params';

const I1 = '[I1] Grimm & Verma, radix-4 IMC training, arXiv 2203.04821';
const I3 = '[I3] Sun et al., NeurIPS 2020: radix-4 FP4 (1-3-0) gradients, INT4 weights/activations, FP16 accumulation';
const I4 = '[I4] Lee, Valavi, Tang, Verma, VLSI 2021: 28 nm 1152x256 IMC macro, 8-b ADCs, 5-b multi-level inputs, 0.17 fJ per 1-b op (DER)';
const MAP = ['imc', 'digital'];

const params: ParamSpec[] = [
  // ---- IMC arrays
  { path: 'compute.array_rows', dim: 'count', doc: 'Rows of one IMC array: the reduction length one column sums in the charge domain.', default: 1152, defaultTag: 'SRC', defaultSource: `${I4} (28 nm macro; the 16 nm prototype geometry was not retrieved)`, min: 1, max: 65536 },
  { path: 'compute.array_cols', dim: 'count', doc: 'Columns (bit-cells per row, each with its ADC) of one IMC array. A w-bit stored value takes w columns.', default: 256, defaultTag: 'SRC', defaultSource: I4, min: 1, max: 65536 },
  { path: 'compute.arrays', dim: 'count', doc: 'IMC arrays working in parallel.', default: 16, defaultTag: 'ASM', defaultSource: 'REC: 4x4 array tiles in the 16 nm accelerator of Jia et al. JSSC 2021 [I6]; not re-verified', min: 1, max: 65536 },
  { path: 'compute.clock', dim: 'frequency', doc: 'Array cycle rate: one input slice applied to an array per cycle.', default: 200e6, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 1e3, max: 1e10 },
  { path: 'compute.input_mode', dim: 'enum', values: ['bit_serial', 'multi_level'], doc: 'How input values reach the rows: one bit per cycle (bit_serial) or several bits per cycle as analog levels (multi_level, compute.level_bits).', default: 'bit_serial', defaultTag: 'ASM', defaultSource: `${I1} uses bit-scalable inputs; ${I4} shows 5-b multi-level inputs` },
  { path: 'compute.level_bits', dim: 'count', doc: 'Bits per input slice in multi_level mode.', default: 5, defaultTag: 'SRC', defaultSource: I4, min: 1, max: 8 },
  { path: 'compute.input_bits', dim: 'count', doc: 'Bits of an input value: INT4 activations and 4-bit radix-4 gradient codes (applied as 4-bit inputs, ASM).', default: 4, defaultTag: 'SRC', defaultSource: I3, min: 1, max: 16 },
  { path: 'compute.weight_bits', dim: 'count', doc: 'Bits of a stored operand (INT4 weights; the 4-bit gradient code for the weight-gradient MVM).', default: 4, defaultTag: 'SRC', defaultSource: I3, min: 1, max: 16 },
  { path: 'compute.accumulation_bytes', dim: 'number', doc: 'Bytes per accumulated output (FP16 accumulation = 2). Also the size of a weight-gradient element.', default: 2, defaultTag: 'SRC', defaultSource: I3, min: 0.5, max: 8 },
  { path: 'compute.write_rows_per_cycle', dim: 'count', doc: 'Rows an array can write per cycle when an operand is loaded into it.', default: 1, defaultTag: 'ASM', defaultSource: 'standard SRAM write port', min: 1, max: 4096 },
  // ---- which training MVM runs where
  { path: 'mapping.fwd', dim: 'enum', values: MAP, doc: 'Engine of the forward MVM y = W x.', default: 'imc', defaultTag: 'SRC', defaultSource: I1 },
  { path: 'mapping.bwd_data', dim: 'enum', values: MAP, doc: 'Engine of the input-gradient MVM dx = W^T dy (W^T written into its own arrays, ASM: arrays are not transposable).', default: 'imc', defaultTag: 'SRC', defaultSource: I1 },
  { path: 'mapping.bwd_weight', dim: 'enum', values: MAP, doc: 'Engine of the weight-gradient MVM dW = dy x^T. On IMC the output gradient (radix-4) is written into the arrays every minibatch as the stationary operand.', default: 'imc', defaultTag: 'SRC', defaultSource: `${I1}: full quantizer adaptability maps all three MVMs` },
  // ---- digital engine (baseline MVMs, element-wise layers, update)
  { path: 'digital.macs_per_cycle', dim: 'count', doc: 'MACs per cycle of the digital MVM engine (INT4 x radix-4 products, FP16 accumulation).', default: 1024, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 1, max: 1e7 },
  { path: 'digital.clock', dim: 'frequency', doc: 'Clock of the digital engine and periphery.', default: 500e6, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 1e3, max: 1e10 },
  { path: 'digital.utilization', dim: 'ratio', doc: 'Fraction of the digital peak reached on MVMs.', default: 0.8, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 0.01, max: 1 },
  { path: 'digital.weight_bytes_per_mac', dim: 'number', doc: 'Stationary-operand bytes the digital engine fetches from SRAM per MAC (0.5 = every 4-bit operand fetched once per use, no register reuse). Defines the digital baseline together with energy.digital_mac and energy.sram.', default: 0.5, defaultTag: 'ASM', defaultSource: 'digital baseline of [I1] not retrieved', min: 0, max: 8 },
  // ---- memory
  { path: 'memory.dram_bandwidth', dim: 'bandwidth', doc: 'Off-chip bandwidth for activations, gradients, weights and optimizer state.', default: 51.2e9, defaultTag: 'ASM', defaultSource: 'not retrieved (LPDDR4x-class)', min: 1e6, max: 1e13 },
  { path: 'memory.sram', dim: 'size', doc: 'On-chip activation buffer (informational: every phase tensor passes it once).', default: 4 * 1024 * 1024, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 0, max: 1e10 },
  // ---- energy
  { path: 'energy.model', dim: 'enum', values: ['components', 'per_mac'], doc: 'How array energy is computed: components = ADC conversions + row drivers + bit-cells of the used rows and columns (thin layers pay more per MAC); per_mac = MACs x energy.imc_mac (the seed formula, fill-independent).', default: 'components', defaultTag: 'ASM', defaultSource: 'seed-systems §5.4 gives both forms' },
  { path: 'energy.imc_mac', dim: 'energy', doc: 'Energy of one 4b x 4b MAC on the arrays, used when energy.model is per_mac.', default: 2.8e-15, defaultTag: 'DER', defaultSource: `16 x 0.17 fJ per 1-b op, ${I4} (seed-systems §5.2, DER/ASM mapping)`, min: 0, max: 1e-9 },
  { path: 'energy.adc', dim: 'energy', doc: 'One column ADC conversion per input slice, including its digital shift-add.', default: 100e-15, defaultTag: 'ASM', defaultSource: `8-b ADC ${I4}; energy not retrieved`, min: 0, max: 1e-9 },
  { path: 'energy.driver', dim: 'energy', doc: 'Driving one row for one input slice (x level_bits in multi_level mode, ASM).', default: 5e-15, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 0, max: 1e-9 },
  { path: 'energy.cell', dim: 'energy', doc: 'One bit-cell multiply + charge share for one input slice.', default: 0.05e-15, defaultTag: 'ASM', defaultSource: `chosen so adc/rows + driver/cols + cell ~ 0.15 fJ per 1-b op, near the 0.17 fJ DER from ${I4}`, min: 0, max: 1e-9 },
  { path: 'energy.write', dim: 'energyPerByte', doc: 'Writing an operand into the arrays, per byte (weights every minibatch, the output gradient for bwd_weight).', default: 10e-15 * 8, defaultTag: 'ASM', defaultSource: '~10 fJ/bit SRAM write, not retrieved', min: 0, max: 1e-9 },
  { path: 'energy.digital_mac', dim: 'energy', doc: 'One MAC of the digital engine: INT4 x radix-4 product (a shift) + FP16 accumulation.', default: 0.6e-12, defaultTag: 'ASM', defaultSource: 'seed-systems §5.4: 0.1-0.3 pJ for the product; FP16 accumulation and pipeline registers included (ASM)', min: 0, max: 1e-9 },
  { path: 'energy.sram', dim: 'energyPerByte', doc: 'On-chip SRAM energy per byte (activation buffer, digital weight fetch).', default: 1.2e-12, defaultTag: 'ASM', defaultSource: '~0.15 pJ/bit for a 16 nm SRAM macro', min: 0, max: 1e-9 },
  { path: 'energy.dram', dim: 'energyPerByte', doc: 'Off-chip DRAM energy per byte.', default: 4e-12 * 8, defaultTag: 'ASM', defaultSource: 'LPDDR4x-class ~4 pJ/bit', min: 0, max: 1e-9 },
  { path: 'energy.digital_op', dim: 'energyPerFlop', doc: 'Element-wise operation of the digital periphery (batchnorm, activations, pooling, optimizer update).', default: 1e-12, defaultTag: 'ASM', defaultSource: 'fp16/fp32 vector op, not retrieved', min: 0, max: 1e-9 },
  { path: 'energy.static', dim: 'power', doc: 'Static power, charged for the whole step.', default: 0.1, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 0, max: 1e4 },
  // ---- control
  { path: 'control.phase_config', dim: 'time', doc: 'Periphery configuration per layer phase (ADC ranges / quantizer scale, GradScale update, sequencing).', default: 0.2e-6, defaultTag: 'ASM', defaultSource: 'not retrieved', min: 0, max: 1 },
];

const v = presetValue;

const common: Record<string, PresetValue> = {
  'compute.array_rows': v(1152, 'SRC', I4),
  'compute.array_cols': v(256, 'SRC', I4),
  'compute.arrays': v(16, 'ASM', 'REC: 16 array tiles in Jia et al. JSSC 2021; not re-verified'),
  'compute.clock': v('200 MHz', 'ASM', 'not retrieved'),
  'compute.input_bits': v(4, 'SRC', I3),
  'compute.weight_bits': v(4, 'SRC', I3),
  'compute.accumulation_bytes': v(2, 'SRC', `${I3}: FP16 accumulation`),
  'energy.adc': v('100 fJ', 'ASM', 'not retrieved'),
  'energy.driver': v('5 fJ', 'ASM', 'not retrieved'),
  'energy.cell': v('0.05 fJ', 'ASM', `calibrated near the 0.17 fJ/1-b op of ${I4}`),
  'energy.write': v('10 fJ/bit', 'ASM', 'not retrieved'),
  'energy.digital_mac': v('0.6 pJ', 'ASM', 'digital baseline not retrieved: INT4 x radix-4 product + FP16 accumulation + registers'),
  'digital.weight_bytes_per_mac': v(0.5, 'ASM', 'digital baseline not retrieved: no register reuse'),
};

const notes = [
  'The IMC arrays compute in INT4 (weights, activations) x radix-4 FP4 (gradients) with FP16 accumulation whatever the network precision says; element-wise layers and the weight update are digital.',
  'Energies are assumptions calibrated to the 28 nm macro of [I4] (0.17 fJ per 1-b op); the 16 nm prototype figures were not retrieved.',
  'The MVM-energy saving compares array energy + operand writes (IMC) with MAC + stationary-operand fetch energy (digital engine); activation I/O is the same for both and left out of the ratio.',
];

export const imc: KindSpec = {
  kind: 'imc',
  title: 'Radix-4 IMC: training MVMs on charge-domain SRAM in-memory-computing arrays',
  params,
  presets: [
    {
      name: 'imc-radix4',
      kind: 'imc',
      description: 'Radix-4 IMC training with full quantizer adaptability: fwd, bwd_data and bwd_weight MVMs all on the IMC arrays.',
      values: {
        ...common,
        'mapping.fwd': v('imc', 'SRC', I1), 'mapping.bwd_data': v('imc', 'SRC', I1),
        'mapping.bwd_weight': v('imc', 'SRC', `${I1}: full adaptability maps all three MVMs`),
      },
      notes,
      keyFigures: ['training-MVM energy saving vs the digital engine > 400x with all three MVMs on IMC (SRC [I1]): 433x on a CIFAR-10 VGG at batch 64, 383x on ImageNet ResNet-18 (thin first layer) with the ASM energies'],
    },
    {
      name: 'imc-radix4-2level',
      kind: 'imc',
      description: 'Radix-4 IMC training with two-level quantizer adaptability: two of the three MVMs on IMC, the weight-gradient MVM on the digital engine.',
      values: {
        ...common,
        'mapping.fwd': v('imc', 'SRC', I1), 'mapping.bwd_data': v('imc', 'SRC', I1),
        'mapping.bwd_weight': v('digital', 'ASM', `${I1} says two of three MVMs; which one stays digital was not retrieved — the weight-gradient MVM, whose radix-4 operand range needs the most adaptability (REC/ASM)`),
      },
      notes: [...notes, 'Which MVM stays digital under two-level adaptability is an assumption (bwd_weight).'],
      keyFigures: ['training-MVM energy saving ~3x with two of three MVMs on IMC (SRC [I1]; = 3 / (1 + 2/S), Amdahl, DER): 2.98x on the CIFAR-10 VGG, 2.92x on ResNet-18'],
    },
  ],
};
