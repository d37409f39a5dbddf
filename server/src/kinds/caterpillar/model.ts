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
import type { Workload } from '../../sim/workload';
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

export const caterpillarSim: TargetSimulator = {
  kind: 'caterpillar',
  area: caterpillarArea,
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult {
    const q = catParams(t, w.batch);
    const f = q.clock,
      c = q.cores,
      nr = q.nr;
    const pes = c * nr * nr;
    const peak = pes * q.flopsPerPe * f;
    const fit = catFit(w, q);
    const offBw = c * nr * q.wordsPerRow * f; // words/s
    const redCycles = q.links ? Math.max(0, Math.log2(nr) - 1) : Math.max(0, nr - 1);
    const passes = w.batch / q.b; // weight passes in this iteration
    const rec = new Recorder(w, ctx);
    const lanes = { compute: 'engine:pe-array', dma: 'offcore', config: 'ring', configKind: 'ring' };
    // the phase's mapping in CATERPILLAR's terms: GEMV per sample (SGD, continuous propagation) or GEMM over b
    const modeText =
      q.mode === 'minibatch'
        ? `GEMM over b = ${q.b} samples (minibatch)`
        : `GEMV per sample (${q.mode === 'cp' ? 'continuous propagation, layers pipelined over the cores' : 'SGD'})`;
    const where = fit.fits ? 'weights resident in the local SRAMs' : 'weights streamed from the off-core SRAM';
    for (let i = 0, order = trainingOrder(w, true); i < order.length; i++) {
      const li = order.layer[i],
        p = order.work[i];
      const l = w.layers[li];
      let computeS = 0,
        memoryS = 0,
        overheadS = 0,
        streamWords = 0,
        localWords = 0,
        flops = p.flops;
      if (p.phase === 'update') {
        flops = 0; // fused into bwd_weight (W -= eta delta x^T)
      } else if (p.kind === 'mvm' && p.macs > 0) {
        const g = gemmShape(l, p);
        computeS = (p.macs / (pes * f)) * (2 / q.flopsPerPe) + Math.max(0, p.flops - 2 * p.macs) / (pes * f);
        let comm: number;
        if (p.phase === 'bwd_weight') comm = ((g.M + g.N) * g.K * g.groups * (1 - 1 / c)) / nr;
        else {
          const outs = g.M * g.N * g.groups;
          comm = Math.ceil(outs / (c * nr)) * redCycles + (outs * (1 - 1 / c)) / nr;
        }
        const commS = comm / f;
        if (!fit.fits) {
          streamWords = l.params * passes * (STREAM_SHARE[q.mode][p.phase] ?? 0);
          memoryS = streamWords / offBw;
        }
        if (q.mode !== 'sgd') {
          // cp: layers pipelined across cores; minibatch: the all-gather of one block overlaps the GEMM of the
          // next (ASM). Only communication exceeding both compute and streaming is exposed.
          overheadS = Math.max(0, commS - Math.max(computeS, memoryS));
        } else overheadS = commS;
        localWords = p.macs * q.aMac;
      } else {
        computeS = p.flops / (pes * f);
        localWords = p.minBytes / Math.max(0.5, w.bytes.act);
      }
      const time = Math.max(computeS, memoryS) + overheadS;
      rec.addPlaced(
        li,
        {
          phase: p.phase,
          engine: 'accelerator',
          flops,
          bytes: { local: localWords * q.word, offcore: streamWords * q.word },
          outer: 'local',
          computeS,
          memoryS,
          overheadS,
          peakFlops: peak,
          energy: {
            compute: flops * q.eFpu,
            sram: localWords * q.eLocal + streamWords * q.eOff,
            static: q.pStatic * time,
          },
          mapping: !ctx.layers
            ? undefined
            : p.phase === 'update'
              ? 'fused into bwd_weight (W -= eta delta x^T)'
              : p.kind === 'mvm' && p.macs > 0
                ? `${l.cls === 'conv' ? 'im2col, ' : ''}${modeText}, ${where}`
                : 'element-wise on the PE array',
        },
        lanes,
      );
    }
    const notes: FindingDraft[] = [];
    notes.push(
      finding(
        fit.fits ? 'memory.fits-on-chip' : 'memory.weights-streamed',
        fit.fits ? 'info' : 'warning',
        `Mode ${q.mode}${q.mode === 'minibatch' ? ` (b = ${q.b})` : ''}; the network needs ${fit.wordsPerPe.toFixed(0)} words per PE of ${fit.capacity.toFixed(0)}: ${fit.fits ? 'fits in the local SRAMs' : 'does NOT fit: weights are streamed from the off-core SRAM (lower utilization, off-core energy)'}.`,
        { wordsPerPe: fit.wordsPerPe, capacityWords: fit.capacity, ...(q.mode === 'minibatch' ? { b: q.b } : {}) },
      ),
    );
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
    const localBw = pes * 3 * q.word * f; // ASM: 3 local accesses per PE per cycle at most
    return rec.result(
      {
        name: t.name,
        kind: t.kind,
        peak: {
          flops: peak,
          bandwidth: { local: localBw, offcore: offBw * q.word },
          levels: [
            { name: 'local', bandwidthBps: localBw, sizeB: q.local * pes },
            { name: 'offcore', bandwidthBps: offBw * q.word, sizeB: q.offcore * c },
          ],
        },
      },
      rec.rows.totals(peak, w.batch),
      notes,
      t.notes,
    );
  },
};
