// CATERPILLAR (Li & Pedram, ASAP 2017) training model: 2C cores of n_r x n_r FP16 FMAC PEs on a ring; every phase
// runs on the PE array (seed-systems.md §2.3, §6). Parameters: params.ts.
//
// Notation: c = cores, N_PE = c n_r^2, f = clock, s = samples per weight pass (b in minibatch mode, else 1),
// W_l = weights of layer l, words = 2-byte FP16 words.
//   peak       = N_PE * 2 * f
//   fit        words/PE = [sum_i (L-i+1)(m_i + n_i + max(m_i, n_i))  (minibatch: sum_i (L-i+1)(m_i + n_i) b)
//              + sum_i m_i n_i] / N_PE
//              <= local_sram / word_bytes                                  ([C1] §3.4; reading in the preset notes)
//   MVM phase  (GEMM view, gemm.ts; conv through im2col)
//     T_comp   = MACs / (N_PE f)
//     reduce   = ceil(outputs / (c n_r)) * (log2 n_r - 1) cycles with neighbour links, (n_r - 1) without ([C1] §3.3)
//     ring     = outputs * (1 - 1/c) / n_r cycles                          ([C1] §3.3 all-gather / reduce-scatter)
//                bwd_weight: outputs stay in place; the two vectors are all-gathered: (M + N) K (1 - 1/c) / n_r
//     stream   (network does not fit) weight words per sample: sgd fwd 1, bwd_data 1/2, bwd_weight 1/2 (2 per
//              sample, [C1] §3.4), cp 1/3 each (1 per sample), minibatch as sgd per minibatch (2/b per sample);
//              T_stream = words / (c n_r offcore_words_per_row f)
//     time     sgd: max(T_comp, T_stream) + reduce + ring (GEMV: nothing to overlap with)
//              cp, minibatch: max(T_comp, T_stream, reduce + ring) (continuous propagation pipelines layers across
//              cores [C1] §2; a GEMM overlaps one block's all-gather with the next block, ASM)
//   element-wise phases (activations via FPU/LUT): flops / (N_PE f), one flop per PE cycle (ASM)
//   update     fused into the rank-1 / rank-b weight-gradient MACs: no separate time, flops or energy
//   energy     = flops e_fpu + MACs a_mode e_local + streamed words e_offcore (+ element-wise words e_local)
//                a_mode = energy.local_per_mac_<mode> (calibrated, ASM)                   ([C1] §3.4, Table 1)
import { finding, type FindingDraft } from '../../sim/findings';
import type { TargetModel } from '../../spec/types';
import type { AreaBreakdown, TargetResult } from '../../sim/types';
import type { LayerWork, PhaseWork, Workload } from '../../sim/workload';
import { gemmShape } from '../../sim/gemm';
import { Recorder, bool, num, pos, str, trainingOrder, type SimContext, type TargetSimulator } from '../../sim/target';

export type CaterpillarMode = 'sgd' | 'cp' | 'minibatch';

export interface CatParams {
  cores: number;
  nr: number;
  clock: number;
  flopsPerPe: number;
  local: number;
  offcore: number;
  word: number;
  wordsPerRow: number;
  links: boolean;
  mode: CaterpillarMode;
  b: number;
  eFpu: number;
  eLocal: number;
  eOff: number;
  aMac: number;
  pStatic: number;
}

export function catParams(t: TargetModel, batch: number): CatParams {
  const m = str(t, 'control.mode');
  const mode: CaterpillarMode = m === 'cp' || m === 'minibatch' ? m : 'sgd';
  return {
    cores: Math.max(1, Math.round(num(t, 'compute.cores'))),
    nr: Math.max(1, Math.round(num(t, 'compute.pe_rows'))),
    clock: pos(t, 'compute.clock'),
    flopsPerPe: pos(t, 'compute.flops_per_pe_cycle'),
    local: num(t, 'memory.local_sram'),
    offcore: num(t, 'memory.offcore_sram'),
    word: pos(t, 'memory.word_bytes'),
    wordsPerRow: pos(t, 'memory.offcore_words_per_row'),
    links: bool(t, 'compute.neighbour_links'),
    mode,
    b: mode === 'minibatch' ? (batch > 1 ? batch : Math.max(1, num(t, 'control.minibatch'))) : 1,
    eFpu: num(t, 'energy.fpu'),
    eLocal: num(t, 'energy.local_access'),
    eOff: num(t, 'energy.offcore_access'),
    aMac: num(t, `energy.local_per_mac_${mode}`),
    pStatic: num(t, 'energy.static_power'),
  };
}

/** Words per PE the network needs on chip ([C1] §3.4, read as in the preset notes) and whether it fits. */
export function catFit(w: Workload, q: CatParams): { wordsPerPe: number; capacity: number; fits: boolean } {
  const mvm = w.layers.filter((l) => l.cls === 'conv' || l.cls === 'matmul' || l.cls === 'rnn');
  const L = mvm.length;
  let act = 0,
    weights = 0;
  mvm.forEach((l, i) => {
    const fwd = l.phases[0];
    const s = gemmShape(l, fwd);
    const perSample = Math.max(1, w.batch);
    const m = (s.K * s.N * s.groups) / perSample,
      n = (s.M * s.N * s.groups) / perSample; // in / out words per sample
    // SGD/CP: (L-i+1)(m + n + max(m, n)); minibatch: (L-i+1)(m + n) b  ([C1] §3.4)
    act += q.mode === 'minibatch' ? (L - i) * (m + n) * q.b : (L - i) * (m + n + Math.max(m, n));
    weights += l.params;
  });
  const pes = q.cores * q.nr * q.nr;
  const wordsPerPe = (act + weights) / pes;
  const capacity = q.local / q.word;
  return { wordsPerPe, capacity, fits: wordsPerPe <= capacity };
}

const STREAM_SHARE: Record<CaterpillarMode, Record<string, number>> = {
  sgd: { fwd: 1, bwd_data: 0.5, bwd_weight: 0.5 },
  minibatch: { fwd: 1, bwd_data: 0.5, bwd_weight: 0.5 },
  cp: { fwd: 1 / 3, bwd_data: 1 / 3, bwd_weight: 1 / 3 },
};

/**
 * Silicon area ([C1] §4.1, Table 1; 45 nm): per PE an FPU, its local SRAM and the rest (registers, control, bus and
 * ring share), per core the off-core SRAM. With the presets: 2x16 cores of 4x4 PEs 103.2 mm2, 2x4 cores of 16x16
 * PEs 178.9 mm2, as reported.
 */
export function caterpillarArea(t: TargetModel): AreaBreakdown {
  const cores = Math.max(1, Math.round(num(t, 'compute.cores'))),
    nr = Math.max(1, Math.round(num(t, 'compute.pe_rows')));
  const pes = cores * nr * nr,
    KiB = 1024;
  const parts = [
    { name: 'FPUs', m2: pes * num(t, 'area.fpu') },
    { name: 'local SRAM', m2: pes * (num(t, 'memory.local_sram') / KiB) * num(t, 'area.local_sram_per_kib') },
    { name: 'PE registers, control and buses', m2: pes * num(t, 'area.pe_other') },
    { name: 'off-core SRAM', m2: cores * (num(t, 'memory.offcore_sram') / KiB) * num(t, 'area.offcore_sram_per_kib') },
  ];
  return { m2: parts.reduce((a, p) => a + p.m2, 0), parts };
}

/** The array's derived figures for one run: PEs, peak, off-core bandwidth, reduction cycles, weight passes. */
interface Array2D {
  q: CatParams;
  fit: ReturnType<typeof catFit>;
  pes: number;
  peak: number;
  /** Off-core SRAM bandwidth, words/s. */
  offBw: number;
  /** Cycles of one output's reduction across a core's rows (log-depth with links, else linear). */
  redCycles: number;
  /** Weight passes in this iteration (batch / b). */
  passes: number;
}

/** One phase's terms and traffic (words) on the array. */
interface PhaseCost {
  computeS: number;
  memoryS: number;
  overheadS: number;
  streamWords: number;
  localWords: number;
  flops: number;
}

function arrayOf(w: Workload, q: CatParams): Array2D {
  const pes = q.cores * q.nr * q.nr;
  return {
    q,
    fit: catFit(w, q),
    pes,
    peak: pes * q.flopsPerPe * q.clock,
    offBw: q.cores * q.nr * q.wordsPerRow * q.clock,
    redCycles: q.links ? Math.max(0, Math.log2(q.nr) - 1) : Math.max(0, q.nr - 1),
    passes: w.batch / q.b,
  };
}

/**
 * A phase on the array: MVM phases at the PEs' MAC rate plus their communication (all-gathers of bwd_weight,
 * reductions of the others), exposed in SGD and only beyond compute and streaming in cp / minibatch (ASM); weights
 * streamed from the off-core SRAM when they do not fit; element-wise phases at one flop per PE cycle; the update
 * fused into bwd_weight.
 */
function phaseCost(w: Workload, m: Array2D, l: LayerWork, p: PhaseWork): PhaseCost {
  const { q, pes } = m;
  const f = q.clock;
  if (p.phase === 'update') return { computeS: 0, memoryS: 0, overheadS: 0, streamWords: 0, localWords: 0, flops: 0 }; // W -= eta delta x^T
  if (p.kind !== 'mvm' || p.macs <= 0)
    return {
      computeS: p.flops / (pes * f),
      memoryS: 0,
      overheadS: 0,
      streamWords: 0,
      localWords: p.minBytes / Math.max(0.5, w.bytes.act),
      flops: p.flops,
    };
  const g = gemmShape(l, p);
  const computeS = (p.macs / (pes * f)) * (2 / q.flopsPerPe) + Math.max(0, p.flops - 2 * p.macs) / (pes * f);
  let comm: number;
  if (p.phase === 'bwd_weight') comm = ((g.M + g.N) * g.K * g.groups * (1 - 1 / q.cores)) / q.nr;
  else {
    const outs = g.M * g.N * g.groups;
    comm = Math.ceil(outs / (q.cores * q.nr)) * m.redCycles + (outs * (1 - 1 / q.cores)) / q.nr;
  }
  const commS = comm / f;
  const streamWords = m.fit.fits ? 0 : l.params * m.passes * (STREAM_SHARE[q.mode][p.phase] ?? 0);
  const memoryS = streamWords / m.offBw;
  // cp: layers pipelined across cores; minibatch: the all-gather of one block overlaps the GEMM of the next (ASM).
  // Only communication exceeding both compute and streaming is exposed.
  const overheadS = q.mode !== 'sgd' ? Math.max(0, commS - Math.max(computeS, memoryS)) : commS;
  return { computeS, memoryS, overheadS, streamWords, localWords: p.macs * q.aMac, flops: p.flops };
}

/** The phase's mapping in CATERPILLAR's terms: GEMV per sample (SGD, continuous propagation) or GEMM over b. */
function mappingText(m: Array2D, l: LayerWork, p: PhaseWork): string {
  const { q } = m;
  if (p.phase === 'update') return 'fused into bwd_weight (W -= eta delta x^T)';
  if (p.kind !== 'mvm' || p.macs <= 0) return 'element-wise on the PE array';
  const mode =
    q.mode === 'minibatch'
      ? `GEMM over b = ${q.b} samples (minibatch)`
      : `GEMV per sample (${q.mode === 'cp' ? 'continuous propagation, layers pipelined over the cores' : 'SGD'})`;
  const where = m.fit.fits ? 'weights resident in the local SRAMs' : 'weights streamed from the off-core SRAM';
  return `${l.cls === 'conv' ? 'im2col, ' : ''}${mode}, ${where}`;
}

function caterpillarFindings(w: Workload, m: Array2D): FindingDraft[] {
  const { q, fit } = m;
  const notes: FindingDraft[] = [
    finding(
      fit.fits ? 'memory.fits-on-chip' : 'memory.weights-streamed',
      fit.fits ? 'info' : 'warning',
      `Mode ${q.mode}${q.mode === 'minibatch' ? ` (b = ${q.b})` : ''}; the network needs ${fit.wordsPerPe.toFixed(0)} words per PE of ${fit.capacity.toFixed(0)}: ${fit.fits ? 'fits in the local SRAMs' : 'does NOT fit: weights are streamed from the off-core SRAM (lower utilization, off-core energy)'}.`,
      { wordsPerPe: fit.wordsPerPe, capacityWords: fit.capacity, ...(q.mode === 'minibatch' ? { b: q.b } : {}) },
    ),
  ];
  if (w.precision !== 'fp16' && w.precision !== 'bf16')
    notes.push(
      finding(
        'precision.substituted',
        'info',
        `CATERPILLAR computes in FP16; the ${w.precision} network is simulated with 2-byte words.`,
      ),
    );
  if (w.layers.some((l) => l.cls === 'conv'))
    notes.push(
      finding(
        'mapping.im2col',
        'info',
        'This network has convolutions: they are lowered to GEMM (im2col) on the PE array.',
      ),
    );
  return notes;
}

export const caterpillarSim: TargetSimulator = {
  kind: 'caterpillar',
  area: caterpillarArea,
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult {
    const q = catParams(t, w.batch);
    const m = arrayOf(w, q);
    const rec = new Recorder(w, ctx);
    const lanes = { compute: 'engine:pe-array', dma: 'offcore', config: 'ring', configKind: 'ring' };
    for (let i = 0, order = trainingOrder(w, true); i < order.length; i++) {
      const li = order.layer[i],
        p = order.work[i];
      const l = w.layers[li];
      const c = phaseCost(w, m, l, p);
      const time = Math.max(c.computeS, c.memoryS) + c.overheadS;
      rec.addPlaced(
        li,
        {
          phase: p.phase,
          engine: 'accelerator',
          flops: c.flops,
          bytes: { local: c.localWords * q.word, offcore: c.streamWords * q.word },
          outer: 'local',
          computeS: c.computeS,
          memoryS: c.memoryS,
          overheadS: c.overheadS,
          peakFlops: m.peak,
          energy: {
            compute: c.flops * q.eFpu,
            sram: c.localWords * q.eLocal + c.streamWords * q.eOff,
            static: q.pStatic * time,
          },
          mapping: ctx.layers ? () => mappingText(m, l, p) : undefined,
        },
        lanes,
      );
    }
    const localBw = m.pes * 3 * q.word * q.clock; // ASM: 3 local accesses per PE per cycle at most
    return rec.result(
      {
        name: t.name,
        kind: t.kind,
        peak: {
          flops: m.peak,
          bandwidth: { local: localBw, offcore: m.offBw * q.word },
          levels: [
            { name: 'local', bandwidthBps: localBw, sizeB: q.local * m.pes },
            { name: 'offcore', bandwidthBps: m.offBw * q.word, sizeB: q.offcore * q.cores },
          ],
        },
      },
      rec.rows.totals(m.peak, w.batch),
      caterpillarFindings(w, m),
      t.notes,
    );
  },
};
