// NTX (Schuiki et al., IEEE TC 2019) training model: clusters of one RISC-V core + E NTX FP32 engines on the HMC
// logic base; all four phases run on the engines (seed-systems.md §1.4, §6). Parameters: params.ts.
//
// Per phase (f = clock, E = engines per cluster, Cl = clusters, b = 4 bytes, FP32 only):
//   peak       = Cl * E * mac_flops_per_cycle * f                                    (20 Gflop/s per cluster [N3])
//   tiling     half the TCDM is the working buffer, half the next tiles (double-buffered DMA, ASM):
//              buf = tcdm/2; output tile T x T with T = floor(sqrt(buf / (2 b))) (half the buffer for the
//              accumulators); reduction chunk Lc = floor((buf/2) / (b (Tm + Tn))) (the other half for the panels)
//   vault B    MVM: max(compulsory, b * (M N K g (1/Tm + 1/Tn) + M N g))   (output-stationary blocking, gemm.ts)
//              element-wise / update: compulsory bytes (streamed once)
// loop nest  MVM conv fwd [Tk, Tp, Tq | Cc, R, S], bwd_data [Tc, Th, Tw | Kc, R, S], bwd_weight [Tk, Tc, R, S | Pc, Q],
//              GEMM [Tm, Tn | Lc]; element-wise [chunk]; pooling [Tp, Tq, R, S]. The outermost loops beyond
//              control.hw_loops run in software: each of their iterations is one more command (seed §1.5).
//   u_loop     = L / (L + 1): one init cycle per accumulation of length L (InitCycleLut [N4]); L = the reduction
//              extent left inside a command
//   T_comp     = cmds_per_cluster * (MACs per cmd / E) * (1 + 1/L) / (u_tcdm f)       (MVM)
//              = flops / (Cl E eltwise_flops_per_cycle u_tcdm f)                       (element-wise, update)
//   T_mem      = vault bytes / (dram_bandwidth * dram_efficiency)
//   cfg        = words * c_wr + setup  with broadcast: words_common once + 3 AGU bases per engine;
//                without broadcast: every engine gets all words:  words * E * c_wr + setup          (ASM)
//   T_ctrl     job queue depth >= 1: cfg + (cmds - 1) * max(0, cfg - exec_per_cmd)  (next command staged [N4])
//              depth 0: cmds * cfg (the core waits for each command)
//   T_phase    = max(T_comp, T_mem) + T_ctrl                                            (seed §1.5)
//   E_phase    = flops * e_flop + vault B * e_dram + cfg cycles (all clusters) * e_ctrl + P_static * T_phase
import { exceedsDevice, finding, stateParts, type FindingDraft } from '../../sim/findings';
import type { TargetModel } from '../../spec/types';
import type { TargetResult } from '../../sim/types';
import type { LayerWork, PhaseWork, Workload } from '../../sim/workload';
import { lower } from '../../sim/lower';
import { blockedTraffic, gemmShape } from '../../sim/gemm';
import { Recorder, bool, num, pos, trainingOrder, type SimContext, type TargetSimulator } from '../../sim/target';
import { grouped } from '../../sim/units';

const B = 4; // FP32 bytes

export interface NtxParams {
  clusters: number;
  engines: number;
  clock: number;
  macFlops: number;
  eltFlops: number;
  uTcdm: number;
  tcdm: number;
  bw: number;
  bwEff: number;
  dramSize: number;
  hwLoops: number;
  words: number;
  cpw: number;
  setup: number;
  broadcast: boolean;
  queue: number;
  eFlop: number;
  eDram: number;
  eCtrl: number;
  pStatic: number;
}

export function ntxParams(t: TargetModel): NtxParams {
  return {
    clusters: Math.max(1, Math.round(num(t, 'compute.clusters'))),
    engines: Math.max(1, Math.round(num(t, 'compute.engines_per_cluster'))),
    clock: pos(t, 'compute.clock'),
    macFlops: pos(t, 'compute.mac_flops_per_cycle'),
    eltFlops: pos(t, 'compute.eltwise_flops_per_cycle'),
    uTcdm: Math.min(1, Math.max(0.01, num(t, 'compute.tcdm_efficiency'))),
    tcdm: Math.max(1024, num(t, 'memory.tcdm_size')),
    bw: pos(t, 'memory.dram_bandwidth'),
    bwEff: Math.min(1, Math.max(0.01, num(t, 'memory.dram_efficiency'))),
    dramSize: num(t, 'memory.dram_size'),
    hwLoops: Math.max(1, Math.round(num(t, 'control.hw_loops'))),
    words: Math.max(1, num(t, 'control.config_words')),
    cpw: Math.max(0, num(t, 'control.cycles_per_word')),
    setup: Math.max(0, num(t, 'control.setup_cycles')),
    broadcast: bool(t, 'control.broadcast'),
    queue: Math.max(0, Math.round(num(t, 'control.job_queue_depth'))),
    eFlop: num(t, 'energy.flop'),
    eDram: num(t, 'energy.dram'),
    eCtrl: num(t, 'energy.control_cycle'),
    pStatic: num(t, 'energy.static_power'),
  };
}

/** Configuration cycles the core spends on one command group (one command for each engine of the cluster). */
export function configCycles(q: NtxParams): number {
  const perEngine = 3; // AGU base addresses differ per engine (3 AGUs) [N4]
  return q.broadcast
    ? (q.words + perEngine * (q.engines - 1)) * q.cpw + q.setup
    : q.words * q.engines * q.cpw + q.setup;
}

export interface NtxPhaseCost {
  computeS: number;
  memoryS: number;
  overheadS: number;
  vaultBytes: number;
  tcdmBytes: number;
  /** Command groups in the phase (all clusters) and the configuration cycles they cost the cores in total. */
  commands: number;
  cfgCycles: number;
  /** Reduction length inside one command (u_loop = L/(L+1)); 0 for element-wise work. */
  innerLength: number;
  /** MVM: the output tile (Tm x Tn), the reduction chunk per TCDM fill and the loops run in software on the core. */
  tile?: { m: number; n: number; chunk: number; softwareLoops: number };
}

/** The phase's mapping in NTX's terms (PhaseResult.mapping). */
export function ntxMappingText(c: Pick<NtxPhaseCost, 'commands' | 'tile'>): string {
  const cmds = `${grouped(c.commands)} command${c.commands === 1 ? '' : 's'}`;
  if (!c.tile) return c.commands ? `streamed through the TCDM, ${cmds}` : 'no work';
  const sw = c.tile.softwareLoops
    ? `, ${c.tile.softwareLoops} outer loop${c.tile.softwareLoops === 1 ? '' : 's'} in software`
    : '';
  return `output tile ${c.tile.m}x${c.tile.n}, reduction chunk ${c.tile.chunk}, ${cmds}${sw}`;
}

/** The mapping text of a phase, built when first read (PhaseInput.mapping). */
const mappingOf = (commands: number, tile: NtxPhaseCost['tile']) => (): string => ntxMappingText({ commands, tile });

/** Split `loops` (outermost first) at the hardware loop count: software iterations and the hardware part. */
function softwareIterations(loops: number[], hw: number): { mult: number; dropped: number } {
  // Loops of extent 1 need no hardware loop (e.g. R and S of a 1x1 convolution).
  let used = 0;
  for (const x of loops) if (x > 1) used++;
  let k = 0;
  for (let i = 0, over = Math.max(0, used - hw); i < loops.length && over > 0; i++, k++) if (loops[i] > 1) over--;
  let mult = 1;
  for (let i = 0; i < k; i++) mult *= Math.max(1, loops[i]);
  return { mult, dropped: k };
}

export function ntxPhaseCost(l: LayerWork, p: PhaseWork, q: NtxParams): NtxPhaseCost {
  const f = q.clock,
    E = q.engines,
    Cl = q.clusters;
  const buf = q.tcdm / 2;
  const bwEff = q.bw * q.bwEff;
  const cfg = configCycles(q);
  let computeS: number,
    vaultBytes: number,
    tcdmBytes: number,
    groups: number,
    inner = 0;
  let tile: NtxPhaseCost['tile'];

  if (p.kind === 'mvm' && p.macs > 0) {
    const s = gemmShape(l, p);
    const T = Math.max(1, Math.floor(Math.sqrt(buf / (2 * B))));
    const tr = blockedTraffic(s, T);
    const { Tm, Tn } = tr;
    const Lc = Math.max(1, Math.floor(buf / 2 / (B * (Tm + Tn))));
    const d = l.dims;
    let outLoops: number[], redLoops: number[];
    if (l.cls === 'conv') {
      const RS = (d.R || 1) * (d.S || 1);
      const cc = Math.max(1, Math.min(Math.ceil(s.K / RS), Math.floor(Lc / RS)));
      if (p.phase === 'bwd_weight') {
        const q2 = Math.min(d.Q || 1, Lc);
        outLoops = [Tm, Math.ceil(Tn / RS), d.R || 1, d.S || 1];
        redLoops = [Math.max(1, Math.floor(Math.min(s.K, Lc) / q2)), q2];
      } else {
        const wq = p.phase === 'fwd' ? d.Q || 1 : d.W || 1;
        const tq = Math.min(wq, Tn);
        outLoops = [Tm, Math.ceil(Tn / tq), tq];
        redLoops = [cc, d.R || 1, d.S || 1];
      }
    } else {
      outLoops = [Tm, Tn];
      redLoops = [Math.min(s.K, Lc)];
    }
    const loops = [...outLoops, ...redLoops];
    const sw = softwareIterations(loops, q.hwLoops);
    // Reduction extent left inside one command (software loops may have eaten the outer reduction loops).
    inner = 1;
    for (let i = Math.max(sw.dropped, outLoops.length); i < loops.length; i++) inner *= Math.max(1, loops[i]);
    let red = 1;
    for (const r of redLoops) red *= Math.max(1, r);
    const tiles = s.groups * Math.ceil(s.M / Tm) * Math.ceil(s.N / Tn);
    const chunks = Math.ceil(s.K / Math.max(1, red));
    groups = tiles * chunks * sw.mult;
    const perCluster = Math.ceil(groups / Cl);
    const macsPerGroup = p.macs / groups;
    computeS = ((perCluster * (macsPerGroup / E) * (1 + 1 / inner)) / (q.uTcdm * f)) * (2 / q.macFlops);
    computeS += Math.max(0, p.flops - 2 * p.macs) / (Cl * E * q.eltFlops * q.uTcdm * f); // bias adds etc.
    vaultBytes = Math.max(p.minBytes, B * (tr.inWords + tr.outWords));
    tcdmBytes = B * (2 * p.macs + tr.outWords);
    tile = { m: Tm, n: Tn, chunk: Math.min(s.K, Lc), softwareLoops: sw.dropped };
  } else {
    // Streaming element-wise work: one command per TCDM buffer of operands; pooling windows need 4 loops.
    const chunkCmds = Math.max(1, Math.ceil(p.minBytes / buf));
    let mult = 1;
    if (l.cls === 'pool' && !l.op.startsWith('global') && p.phase === 'fwd') {
      const R = l.dims.R || 1,
        S = l.dims.S || 1;
      const perChunk = Math.max(1, Math.floor(buf / (B * (R * S + 1))));
      const tq = Math.min(perChunk, 56);
      mult = softwareIterations([Math.ceil(perChunk / tq), tq, R, S], q.hwLoops).mult;
    }
    groups = p.flops > 0 || p.minBytes > 0 ? chunkCmds * mult : 0;
    computeS = p.flops / (Cl * E * q.eltFlops * q.uTcdm * f);
    vaultBytes = p.minBytes;
    tcdmBytes = 2 * p.minBytes; // DMA writes into the TCDM, engines read it back (and the reverse for results)
  }
  const memoryS = vaultBytes / bwEff;
  const perCluster = Math.ceil(groups / Cl);
  let ctrlCycles = 0;
  if (perCluster > 0) {
    const exec = (Math.max(computeS, memoryS) * f) / perCluster;
    ctrlCycles = q.queue >= 1 ? cfg + (perCluster - 1) * Math.max(0, cfg - exec) : perCluster * cfg;
  }
  return {
    computeS,
    memoryS,
    overheadS: ctrlCycles / f,
    vaultBytes,
    tcdmBytes,
    commands: groups,
    cfgCycles: groups * cfg,
    innerLength: inner,
    tile,
  };
}

// NTX is FP32-only: a network in another precision is re-lowered at fp32 (cached per workload).
const fp32Cache = new WeakMap<Workload, Workload>();
export function asFp32(w: Workload): Workload {
  if (w.precision === 'fp32' && w.gradPrecision === 'fp32') return w;
  let x = fp32Cache.get(w);
  if (!x) {
    x = lower({ ...w.network, masterWeights: null, gradientPrecision: 'fp32' }, { batch: w.batch, precision: 'fp32' });
    fp32Cache.set(w, x);
  }
  return x;
}

/** Offload statistics of a whole iteration (the "7x" comparison uses cfgCycles / flops). */
export function ntxOffloadStats(
  w0: Workload,
  t: TargetModel,
): { commands: number; cfgCycles: number; flops: number; exposedS: number } {
  const w = asFp32(w0),
    q = ntxParams(t);
  let commands = 0,
    cfgCycles = 0,
    flops = 0,
    exposedS = 0;
  for (const l of w.layers)
    for (const p of l.phases) {
      const c = ntxPhaseCost(l, p, q);
      commands += c.commands;
      cfgCycles += c.cfgCycles;
      flops += p.flops;
      exposedS += c.overheadS;
    }
  return { commands, cfgCycles, flops, exposedS };
}

export const ntxSim: TargetSimulator = {
  kind: 'ntx',
  simulate(w0: Workload, t: TargetModel, ctx: SimContext): TargetResult {
    const w = asFp32(w0);
    const q = ntxParams(t);
    const peak = q.clusters * q.engines * q.macFlops * q.clock;
    const rec = new Recorder(w, ctx);
    const lanes = { compute: 'engine:ntx', dma: 'dma', config: 'offload' };
    for (let i = 0, order = trainingOrder(w); i < order.length; i++) {
      const li = order.layer[i],
        p = order.work[i];
      const l = w.layers[li];
      const c = ntxPhaseCost(l, p, q);
      const time = Math.max(c.computeS, c.memoryS) + c.overheadS;
      rec.addPlaced(
        li,
        {
          phase: p.phase,
          engine: 'accelerator',
          flops: p.flops,
          bytes: { dram: c.vaultBytes, tcdm: c.tcdmBytes },
          outer: 'dram',
          computeS: c.computeS,
          memoryS: c.memoryS,
          overheadS: c.overheadS,
          peakFlops: peak,
          energy: {
            compute: p.flops * q.eFlop,
            dram: c.vaultBytes * q.eDram,
            control: c.cfgCycles * q.eCtrl,
            static: q.pStatic * time,
          },
          // (built when read; keeps the two fields it needs, not the whole cost)
          mapping: ctx.layers ? mappingOf(c.commands, c.tile) : undefined,
        },
        lanes,
      );
    }
    const notes: FindingDraft[] = [];
    if (w0.precision !== 'fp32')
      notes.push(
        finding(
          'precision.substituted',
          'info',
          `NTX computes in FP32 only: the ${w0.precision} network was simulated in FP32 (4-byte tensors, no master copy).`,
        ),
      );
    const need = w.footprint.weights + w.footprint.gradients + w.footprint.saved + w.footprint.optimizer;
    if (need > q.dramSize) notes.push(exceedsDevice("the cube's DRAM", q.dramSize, stateParts(w)));
    const bw = q.bw * q.bwEff;
    const tcdmBw = q.clusters * q.engines * 3 * B * q.clock; // 2 operand reads + 1 write per engine per cycle [N4]
    return rec.result(
      {
        name: t.name,
        kind: t.kind,
        peak: {
          flops: peak,
          bandwidth: { dram: bw, tcdm: tcdmBw },
          levels: [
            { name: 'dram', bandwidthBps: bw, sizeB: q.dramSize },
            { name: 'tcdm', bandwidthBps: tcdmBw, sizeB: q.tcdm * q.clusters },
          ],
        },
      },
      rec.rows.totals(peak, w.batch),
      notes,
      t.notes,
    );
  },
};
