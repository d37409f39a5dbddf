// Parameters and presets of the 'system' kind: many devices of one target (`device`: a preset name), connected in a
// two-level hierarchy — `node` (devices sharing a fast fabric: NVLink / NVSwitch, an HMC mesh) and `network`
// (between nodes: InfiniBand) — trained with data, tensor and pipeline parallelism, sharded optimizer state (ZeRO)
// and activation recomputation. Model: server/src/kinds/system/ (collectives.ts, parallel.ts).
import type { KindSpec, ParamSpec, PresetValue } from '../../spec/params';
import { presetValue } from '../../spec/params';

const TOPO = ['switch', 'ring', 'torus2d', 'mesh2d'];
const NVL4 =
  '[NV1] NVIDIA H100 datasheet: NVLink 4 at 900 GB/s per GPU (both directions), NVSwitch (recalled, not re-verified)';
const NVL3 =
  '[NV2] NVIDIA A100 datasheet: NVLink 3 at 600 GB/s per GPU (both directions), NVSwitch (recalled, not re-verified)';
const MEG =
  '[MG1] Narayanan et al., "Efficient large-scale language model training on GPU clusters using Megatron-LM", SC 2021: DGX A100 nodes, 8 x 200 Gb/s HDR InfiniBand per node (recalled, not re-verified)';
const NCCL =
  '[NC1] nccl-tests all_reduce_perf on 8-GPU NVSwitch nodes: bus bandwidth ~80% of the NVLink peak for large messages (recalled: ~235 GB/s on DGX A100, ~360-370 GB/s on DGX H100 without NVLS)';
const HMC = '[H1] HMC 2.0: 4 links, 480 GB/s aggregate (seed-systems.md)';

const link = (lvl: 'node' | 'network', bw: number, lat: number, eff: number, e: number, topo: string): ParamSpec[] => [
  {
    path: `${lvl}.topology`,
    dim: 'enum',
    values: TOPO,
    doc: `How the ${lvl === 'node' ? 'devices of a node' : 'nodes'} connect: switch (all-to-all, full bisection: NVSwitch, a fat tree), ring, torus2d or mesh2d (a 2-D grid, with or without wrap-around links). Sets the collective algorithms (ring; 2-D for grids; hierarchical across the two levels).`,
    default: topo,
    defaultTag: 'ASM',
    defaultSource: 'a switched fabric',
  },
  {
    path: `${lvl}.bandwidth`,
    dim: 'bandwidth',
    doc: `Bandwidth per link per direction on the ${lvl} fabric; a device drives \`${lvl}.links\` of them at once (a grid: the links to each neighbour).`,
    default: bw,
    defaultTag: 'ASM',
    defaultSource: lvl === 'node' ? `${NVL4}: one NVLink 4 link` : 'one 400 Gb/s NIC per GPU',
    min: 1e3,
    max: 1e15,
  },
  {
    path: `${lvl}.links`,
    dim: 'count',
    doc: `Links per device on the ${lvl} fabric that a collective drives at once: the device's bandwidth is links x bandwidth (on a grid: parallel links to each neighbour).`,
    default: lvl === 'node' ? 18 : 1,
    defaultTag: lvl === 'node' ? 'REC' : 'ASM',
    defaultSource: lvl === 'node' ? `${NVL4}: 18 NVLink 4 links per H100` : 'one NIC per GPU',
    min: 1,
    max: 1e4,
  },
  {
    path: `${lvl}.algorithm`,
    dim: 'enum',
    values: ['auto', 'ring', 'tree', 'halving_doubling'],
    doc: `Collective algorithm on the ${lvl} fabric: auto (on a switch the faster of ring and tree per message, as NCCL picks; ring on a ring; 2-D on a grid), ring, tree (pipelined double binary tree, all-reduce) or halving_doubling (Rabenseifner, as MPI and Gloo use). tree and halving_doubling need a switch; elsewhere the topology's own algorithm is used.`,
    default: 'auto',
    defaultTag: 'ASM',
    defaultSource: 'NCCL-like selection',
  },
  {
    path: `${lvl}.latency`,
    dim: 'time',
    doc: `Latency per step of a collective on the ${lvl} fabric (per hop on a grid).`,
    default: lat,
    defaultTag: 'ASM',
    defaultSource: 'NCCL-like per-step latency',
    min: 0,
    max: 1,
  },
  {
    path: `${lvl}.efficiency`,
    dim: 'ratio',
    doc: `Fraction of the ${lvl} bandwidth a large collective reaches.`,
    default: eff,
    defaultTag: 'REC',
    defaultSource: NCCL,
    min: 0.01,
    max: 1,
  },
  {
    path: `${lvl}.energy`,
    dim: 'energyPerByte',
    doc: `Energy per byte sent over the ${lvl} fabric (SerDes, switches).`,
    default: e,
    defaultTag: 'ASM',
    defaultSource: lvl === 'node' ? '~1.3 pJ/bit for NVLink-class links' : '~10 pJ/bit with NICs and switches',
    min: 0,
    max: 1e-6,
  },
];

const params: ParamSpec[] = [
  {
    path: 'device',
    dim: 'string',
    doc: 'The device: a target of this or another hardware file (any kind but system), or a built-in preset name (h100-sxm, a100-sxm, ntx, ...).',
    default: 'h100-sxm',
    defaultTag: 'ASM',
    defaultSource: 'the GPU baseline',
  },
  {
    path: 'device_overrides',
    dim: 'string',
    doc: 'Parameters of the device changed for this system, as `path=value` pairs separated by commas, values in SI units (e.g. `framework.autocast=false, memory.hbm_size=40e9`).',
    default: '',
    defaultTag: 'ASM',
    defaultSource: 'the device preset as it is',
  },
  {
    path: 'devices',
    dim: 'count',
    doc: 'Devices in the system.',
    default: 8,
    defaultTag: 'ASM',
    defaultSource: 'one node',
    min: 1,
    max: 1e7,
  },
  {
    path: 'node.devices',
    dim: 'count',
    doc: 'Devices per node (sharing the node fabric).',
    default: 8,
    defaultTag: 'ASM',
    defaultSource: 'an 8-GPU node',
    min: 1,
    max: 1e7,
  },
  ...link('node', 25e9, 3e-6, 0.8, 10e-12, 'switch'),
  ...link('network', 50e9, 8e-6, 0.8, 80e-12, 'switch'),
  {
    path: 'parallel.tp',
    dim: 'count',
    doc: 'Tensor-parallel degree: each linear layer and attention head group is split over tp devices (Megatron column/row splits; two all-reduces per transformer block forward and two backward). Convolutions are not split.',
    default: 1,
    defaultTag: 'ASM',
    defaultSource: 'no tensor parallelism',
    min: 1,
    max: 1e5,
  },
  {
    path: 'parallel.pp',
    dim: 'count',
    doc: 'Pipeline stages: the layers are cut into pp contiguous stages of about equal time.',
    default: 1,
    defaultTag: 'ASM',
    defaultSource: 'no pipeline',
    min: 1,
    max: 1e5,
  },
  {
    path: 'parallel.dp',
    dim: 'count',
    doc: 'Data-parallel replicas; 0 = devices / (tp x pp).',
    default: 0,
    defaultTag: 'ASM',
    defaultSource: 'all remaining devices',
    min: 0,
    max: 1e7,
  },
  {
    path: 'parallel.micro_batches',
    dim: 'count',
    doc: 'Micro-batches per step per replica (pipeline parallelism and gradient accumulation): micro-batch size = batch / (dp x micro_batches).',
    default: 1,
    defaultTag: 'ASM',
    defaultSource: 'one micro-batch per step (no pipeline overlap) until the spec says otherwise',
    min: 1,
    max: 1e6,
  },
  {
    path: 'parallel.schedule',
    dim: 'enum',
    values: ['1f1b', 'gpipe'],
    doc: 'Pipeline schedule: 1F1B (at most pp micro-batches of activations in flight) or GPipe (all of them). Both have a bubble of (pp - 1) micro-batch slots.',
    default: '1f1b',
    defaultTag: 'ASM',
    defaultSource: 'PipeDream-Flush / Megatron default',
  },
  {
    path: 'parallel.zero',
    dim: 'count',
    doc: 'ZeRO stage: 1 shards optimizer state over the data-parallel group, 2 also gradients (reduce-scatter), 3 also the weights (all-gathered before each use).',
    default: 0,
    defaultTag: 'ASM',
    defaultSource: 'no sharding',
    min: 0,
    max: 3,
  },
  {
    path: 'parallel.recompute',
    dim: 'bool',
    doc: "Activation recomputation: keep only the residual-stream checkpoints and recompute each block's forward in the backward pass.",
    default: false,
    defaultTag: 'ASM',
    defaultSource: 'off: activations kept, as frameworks train by default',
  },
  {
    path: 'parallel.overlap',
    dim: 'bool',
    doc: 'Overlap the data-parallel gradient all-reduce with the backward pass (bucketed, as DDP / FSDP do; without a pipeline).',
    default: true,
    defaultTag: 'ASM',
    defaultSource: 'PyTorch DDP default',
  },
  {
    path: 'parallel.bucket',
    dim: 'size',
    doc: "Gradient bucket size: the last bucket's all-reduce is always exposed.",
    default: 25e6,
    defaultTag: 'REC',
    defaultSource: 'PyTorch DDP bucket_cap_mb = 25',
    min: 1,
    max: 1e12,
  },
];

const v = presetValue;
const nodeH100: Record<string, PresetValue> = {
  device: v('h100-sxm', 'SRC', NVL4),
  'node.devices': v(8, 'REC', `${NVL4}: DGX H100 has 8 GPUs`),
  'node.topology': v('switch', 'REC', NVL4),
  'node.bandwidth': v('25 GB/s', 'DER', `${NVL4}: 18 links, 900 GB/s both directions = 25 GB/s per link per direction`),
  'node.links': v(18, 'REC', NVL4),
  'node.efficiency': v(0.8, 'REC', NCCL),
};
const nodeA100: Record<string, PresetValue> = {
  device: v('a100-sxm', 'REC', MEG),
  device_overrides: v(
    'framework.autocast=false',
    'REC',
    `${MEG}: fp16 mixed precision with Megatron's own fused scale-mask-softmax and element-wise kernels, not torch.autocast`,
  ),
  'node.devices': v(8, 'REC', MEG),
  'node.topology': v('switch', 'REC', NVL3),
  'node.bandwidth': v('25 GB/s', 'DER', `${NVL3}: 12 links, 600 GB/s both directions = 25 GB/s per link per direction`),
  'node.links': v(12, 'REC', NVL3),
  'node.efficiency': v(0.8, 'REC', NCCL),
  'network.topology': v('switch', 'REC', `${MEG}: a three-level fat tree`),
  'network.bandwidth': v('25 GB/s', 'DER', `${MEG}: 8 x 200 Gb/s per 8-GPU node = 25 GB/s per GPU`),
};

export const system: KindSpec = {
  kind: 'system',
  title: 'Many devices: data / tensor / pipeline parallelism and ZeRO over a node fabric and a network',
  params,
  presets: [
    {
      name: 'dgx-h100',
      kind: 'system',
      description: 'One DGX H100-style node: 8 H100 SXM on NVLink 4 through NVSwitch.',
      values: { ...nodeH100, devices: v(8, 'REC', NVL4) },
      notes: ['NVLink SHARP (in-switch reduction) is not modelled: all-reduce runs as a ring at the link bandwidth.'],
    },
    {
      name: 'h100-cluster',
      kind: 'system',
      description: '32 DGX H100-style nodes (256 GPUs) on a 400 Gb/s-per-GPU InfiniBand fat tree.',
      values: {
        ...nodeH100,
        devices: v(256, 'ASM', 'a 32-node cluster'),
        'network.topology': v('switch', 'ASM', 'a non-blocking fat tree'),
        'network.bandwidth': v('50 GB/s', 'REC', '8 x 400 Gb/s ConnectX-7 per DGX H100 node (recalled)'),
      },
      notes: ['Network latency and efficiency are assumptions; congestion and adaptive routing are not modelled.'],
    },
    {
      name: 'a100-cluster',
      kind: 'system',
      description:
        'Selene-like: DGX A100 nodes (8 x A100 80GB on NVLink 3), 8 x 200 Gb/s HDR InfiniBand per node — the cluster of the Megatron-LM scaling study.',
      values: { ...nodeA100, devices: v(1024, 'ASM', 'any size; the Megatron study used 32 to 3072 GPUs') },
      notes: ['Used to reproduce the Megatron-LM per-GPU throughputs (test/unit/system/megatron.test.ts).'],
    },
    {
      name: 'ntx-mesh',
      kind: 'system',
      description: 'NTX cubes in a 2-D mesh, exchanging gradients over their HMC serial links (data parallel).',
      values: {
        device: v('ntx', 'SRC', '[N1] NTX: many HMCs form a mesh for data-parallel training (seed-systems.md)'),
        devices: v(16, 'ASM', "a 4 x 4 mesh; the paper's mesh size was not retrieved"),
        'node.devices': v(16, 'ASM', 'the whole mesh is one fabric'),
        'node.topology': v('mesh2d', 'SRC', '[N1] a mesh of HMCs'),
        'node.links': v(1, 'ASM', 'one serial link to each mesh neighbour (an HMC has 4)'),
        'node.bandwidth': v('60 GB/s', 'DER', `${HMC}: 120 GB/s per link over both directions`),
        'node.latency': v('1 us', 'ASM', 'serial-link hop with packet processing in the logic die'),
        'node.energy': v('40 pJ/B', 'ASM', '~5 pJ/bit HMC SerDes'),
      },
      notes: [
        "The paper's mesh size, batch per cube and link protocol were not retrieved; the >95% parallel-efficiency claim is checked on a 4 x 4 mesh with these link figures.",
      ],
    },
    {
      name: 'neurotrainer-mesh',
      kind: 'system',
      description:
        'NeuroTrainer memory modules as the building block of a scalable system: modules in a 2-D mesh on their HMC serial links (data parallel).',
      values: {
        device: v(
          'neurotrainer',
          'SRC',
          '[T1] NeuroTrainer: "an intelligent memory module ... that forms the building block of a scalable architecture" (seed-systems.md §4)',
        ),
        devices: v(16, 'ASM', 'a 4 x 4 mesh; the paper gives no module count (not retrieved)'),
        'node.devices': v(16, 'ASM', 'the whole mesh is one fabric'),
        'node.topology': v('mesh2d', 'ASM', "HMC-style modules chained over their serial links, as NTX's mesh [N1]"),
        'node.links': v(1, 'ASM', 'one serial link to each mesh neighbour (an HMC has 4)'),
        'node.bandwidth': v(
          '60 GB/s',
          'DER',
          `${HMC}: 120 GB/s per link over both directions (an HMC-style module's link; NeuroTrainer's link was not retrieved)`,
        ),
        'node.latency': v('1 us', 'ASM', 'serial-link hop with packet processing in the logic die'),
        'node.energy': v('40 pJ/B', 'ASM', '~5 pJ/bit HMC SerDes'),
      },
      notes: [
        "NeuroTrainer's paper calls the module the building block of a scalable architecture but its scale-out figures (module count, links, efficiency) were not retrieved: every fabric value here is the HMC link's, an assumption.",
      ],
    },
  ],
};
