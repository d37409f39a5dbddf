// Parameters and presets of the 'neurotrainer' kind: PE clusters in the logic layer of an HMC-like 3D memory, one
// cluster per vault, with a programmable data flow chosen per training phase and vault-controller state machines that
// generate the operand streams (Kim, Na, Yalamanchili, Mukhopadhyay, arXiv 1710.04347 [T1]; lineage Neurocube
// [T2],[T3]).
// Model and formulas: server/src/kinds/neurotrainer/dataflow.ts. Source keys as in
// /work/shared/research/seed-systems.md
// §4 and §8. Only the technology (15 nm FinFET) and the 500 GFLOPS/W figure were retrieved: the architecture knobs
// are assumptions (ASM), chosen so the design is balanced (similar throughput on CNN, RNN and MLP) and lands near
// 500 GFLOPS/W.
import type { KindSpec, ParamSpec } from '../../spec/params';
import { presetValue } from '../../spec/params';

const T1 = '[T1] NeuroTrainer abstract, arXiv 1710.04347';
const T2 = '[T2] D. Kim PhD thesis (Neurocube), Georgia Tech 2017';
const H1 = '[H1] HMC 2.0: 32 vaults, up to 320 GB/s internal';
const H2 = '[H2] HMC gen-1: 10 GB/s per vault';
const DF = ['auto', 'ws', 'os'];

const params: ParamSpec[] = [
  {
    path: 'compute.vaults',
    dim: 'count',
    doc: 'Vaults of the 3D memory; one PE cluster sits under each vault and streams from it.',
    default: 32,
    defaultTag: 'ASM',
    defaultSource: `HMC 2.0 vault count ${H1}; NeuroTrainer's own count not retrieved`,
    min: 1,
    max: 1024,
  },
  {
    path: 'compute.pes_per_vault',
    dim: 'count',
    doc: 'Processing engines per vault cluster.',
    default: 4,
    defaultTag: 'ASM',
    defaultSource: 'not retrieved',
    min: 1,
    max: 1024,
  },
  {
    path: 'compute.macs_per_pe',
    dim: 'count',
    doc: 'MAC units per processing engine (one MAC = 2 FLOP per cycle).',
    default: 16,
    defaultTag: 'ASM',
    defaultSource: 'not retrieved',
    min: 1,
    max: 4096,
  },
  {
    path: 'compute.clock',
    dim: 'frequency',
    doc: 'PE clock. Peak = vaults x PEs x MACs x 2 x clock.',
    default: 1e9,
    defaultTag: 'ASM',
    defaultSource: 'not retrieved; 1 GHz in 15 nm FinFET',
    min: 1e6,
    max: 1e11,
  },
  {
    path: 'compute.fp32_rate',
    dim: 'ratio',
    doc: 'Fraction of peak when the network computes in fp32/tf32 (the MACs are 16-bit, ASM).',
    default: 0.5,
    defaultTag: 'ASM',
    defaultSource: 'not retrieved',
    min: 0.01,
    max: 1,
  },
  {
    path: 'compute.utilization',
    dim: 'ratio',
    doc: 'Fraction of peak reached by a phase whose operands fill the array (pipeline and mesh losses).',
    default: 0.85,
    defaultTag: 'ASM',
    defaultSource: 'not retrieved',
    min: 0.01,
    max: 1,
  },
  {
    path: 'compute.buffer_per_vault',
    dim: 'size',
    doc: 'On-chip buffer of one vault cluster (all its PEs). Half holds the stationary operand, half double-buffers the streams.',
    default: 256 * 1024,
    defaultTag: 'ASM',
    defaultSource: 'not retrieved',
    min: 1024,
    max: 1e9,
  },
  {
    path: 'compute.fuse_elementwise',
    dim: 'bool',
    doc: "Batchnorm, ReLU-family and add layers are applied by the PEs on the producer's output stream and move no data of their own.",
    default: true,
    defaultTag: 'ASM',
    defaultSource: 'programmable data flow [T1]; fusion itself not documented',
  },
  {
    path: 'memory.dram_size',
    dim: 'size',
    doc: 'DRAM capacity of the module (weights, gradients, optimizer state and saved activations must fit; checked on system targets).',
    default: 8 * 1024 ** 3,
    defaultTag: 'ASM',
    defaultSource: 'an HMC 2.0-class stack (4 GB and 8 GB cubes); not retrieved',
    min: 1e6,
    max: 1e13,
  },
  {
    path: 'memory.vault_bandwidth',
    dim: 'bandwidth',
    doc: 'DRAM bandwidth of one vault to its PE cluster (through-silicon vias).',
    default: 10e9,
    defaultTag: 'ASM',
    defaultSource: H2,
    min: 1e6,
    max: 1e13,
  },
  {
    path: 'memory.efficiency',
    dim: 'ratio',
    doc: 'Achievable fraction of the vault bandwidth (the state machines stream sequentially).',
    default: 0.9,
    defaultTag: 'ASM',
    defaultSource: 'sequential streams from vault-controller state machines [T2]',
    min: 0.01,
    max: 1,
  },
  {
    path: 'dataflow.fwd',
    dim: 'enum',
    values: DF,
    doc: 'Data flow of the forward pass: ws (weight-stationary), os (output-stationary) or auto (the faster of the two per layer, then the one with fewer bytes).',
    default: 'auto',
    defaultTag: 'SRC',
    defaultSource: `${T1}: programmable data flow chosen per phase`,
  },
  {
    path: 'dataflow.bwd_data',
    dim: 'enum',
    values: DF,
    doc: 'Data flow of the input-gradient pass (W^T times the output gradient).',
    default: 'auto',
    defaultTag: 'SRC',
    defaultSource: T1,
  },
  {
    path: 'dataflow.bwd_weight',
    dim: 'enum',
    values: DF,
    doc: 'Data flow of the weight-gradient pass. ws keeps the weight-gradient accumulators in the PEs; os keeps the output-gradient tiles and spills partial weight gradients.',
    default: 'auto',
    defaultTag: 'SRC',
    defaultSource: T1,
  },
  {
    path: 'dataflow.auto_scope',
    dim: 'enum',
    values: ['layer', 'network'],
    doc: 'Granularity of `auto`: layer = the faster data flow for every layer phase; network = one data flow per phase for the whole network (the faster in total), for a controller that is programmed once per phase.',
    default: 'layer',
    defaultTag: 'ASM',
    defaultSource: `${T1}: "programmable data flow"; its granularity was not retrieved`,
  },
  {
    path: 'control.program_time',
    dim: 'time',
    doc: 'Host time to write the data-flow program of one layer phase into the vault controllers.',
    default: 0.5e-6,
    defaultTag: 'ASM',
    defaultSource: 'not retrieved',
    min: 0,
    max: 1,
  },
  {
    path: 'control.stream_setup',
    dim: 'time',
    doc: 'Setup of one address/data stream of a vault-controller state machine (three streams per phase: two operands and the result).',
    default: 20e-9,
    defaultTag: 'ASM',
    defaultSource: `memory-centric state machines ${T2}; cost not retrieved`,
    min: 0,
    max: 1,
  },
  {
    path: 'energy.flop',
    dim: 'energyPerFlop',
    doc: 'PE energy per FLOP including operand registers and accumulator.',
    default: 1.5e-12,
    defaultTag: 'ASM',
    defaultSource:
      '16-bit MAC + registers in 15 nm FinFET (~3 pJ/MAC); chosen so the total is ~2 pJ/FLOP (500 GFLOPS/W, [T1])',
    min: 0,
    max: 1e-9,
  },
  {
    path: 'energy.buffer',
    dim: 'energyPerByte',
    doc: 'PE-cluster buffer energy per byte written or read (every DRAM byte is written into a buffer and read from it once).',
    default: 0.5e-12,
    defaultTag: 'ASM',
    defaultSource: 'small SRAM in 15 nm',
    min: 0,
    max: 1e-9,
  },
  {
    path: 'energy.dram',
    dim: 'energyPerByte',
    doc: 'Vault DRAM + TSV energy per byte.',
    default: 3.7e-12 * 8,
    defaultTag: 'REC',
    defaultSource: 'HMC DRAM 3.7 pJ/bit (Jeddeloh & Keeth 2012, seed-systems §1.2: commonly cited, not retrieved)',
    min: 0,
    max: 1e-9,
  },
  {
    path: 'energy.static',
    dim: 'power',
    doc: 'Static power of the logic layer, charged for the whole run.',
    default: 1,
    defaultTag: 'ASM',
    defaultSource: 'not retrieved',
    min: 0,
    max: 1e4,
  },
];

const v = presetValue;

export const neurotrainer: KindSpec = {
  kind: 'neurotrainer',
  title: 'NeuroTrainer: PE clusters per vault of a 3D memory, programmable per-phase data flow',
  params,
  presets: [
    {
      name: 'neurotrainer',
      kind: 'neurotrainer',
      description:
        'NeuroTrainer (arXiv 1710.04347): all four training phases on PE clusters in the logic layer of an HMC-like memory, 15 nm FinFET.',
      values: {
        'compute.vaults': v(32, 'ASM', `${H1}; NeuroTrainer's count not retrieved`),
        'compute.pes_per_vault': v(4, 'ASM', 'not retrieved'),
        'compute.macs_per_pe': v(16, 'ASM', 'not retrieved'),
        'compute.clock': v('1 GHz', 'ASM', 'not retrieved'),
        'compute.buffer_per_vault': v('256 KiB', 'ASM', 'not retrieved'),
        'memory.vault_bandwidth': v('10 GB/s', 'ASM', H2),
        'dataflow.fwd': v('auto', 'SRC', `${T1}: programmable data flow`),
        'dataflow.bwd_data': v('auto', 'SRC', T1),
        'dataflow.bwd_weight': v('auto', 'SRC', T1),
        'energy.flop': v('1.5 pJ/FLOP', 'ASM', 'chosen so the total lands near 500 GFLOPS/W [T1]'),
        'energy.dram': v('3.7 pJ/bit', 'REC', 'HMC DRAM energy (Jeddeloh & Keeth 2012), not retrieved'),
        'energy.static': v('1 W', 'ASM', 'not retrieved'),
      },
      notes: [
        'Only 15 nm FinFET and 500 GFLOPS/W are from the source; vaults, PEs, MACs, clock, buffers and energies are assumptions (ASM) sized for a balanced design.',
        'The weight update runs on the PEs as well (DER/ASM: the abstract says training runs in the module).',
        'Data flow per phase: ws or os, or auto = the faster per layer; the vault controllers generate the streams (control.stream_setup per stream).',
      ],
      keyFigures: [
        '~500 GFLOPS/W (SRC [T1]): the model gives 525 (ResNet-18, batch 32), 492 (2-layer LSTM 1024, batch 128), 414 (4096-wide MLP, batch 256) with the ASM energy knobs',
        '"almost similar throughput" across CNN, RNN, MLP (SRC [T1]): 3.43, 3.46, 2.97 TFLOP/s on the same three (spread 1.16x)',
      ],
    },
  ],
};
