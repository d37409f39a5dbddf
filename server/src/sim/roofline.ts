// Fallback model for target kinds whose simulator has not landed yet (and a reference for the simplest model):
// a two-level roofline over the lowered workload. ASM throughout, documented in the result's notes.
//   peak  = the largest `flopRate` parameter of the target (else 1 TFLOP/s, ASM)
//   bw    = `memory.dram_bandwidth` if present, else the largest `bandwidth` parameter (else 100 GB/s, ASM)
//   T     = max(flops / peak, minBytes / bw)                (compulsory traffic only: a lower bound)
//   E     = flops * e_flop + bytes * e_byte                 (first energyPerFlop / energyPerByte parameter, else
//                                                            10 pJ/flop and 100 pJ/B, ASM)
import { finding } from './findings';
import type { TargetModel } from '../spec/types';
import { KINDS } from '../kinds/params';
import type { TargetResult } from './types';
import type { Workload } from './workload';
import { Recorder, num, trainingOrder, type SimContext, type TargetSimulator } from './target';

function firstOf(t: TargetModel, dim: string, pick: 'max' | 'first'): number | undefined {
  const spec = KINDS.find((k) => k.kind === t.kind);
  let best: number | undefined;
  for (const p of spec?.params ?? []) {
    if (p.dim !== dim) continue;
    const v = num(t, p.path);
    if (!Number.isFinite(v) || v <= 0) continue;
    if (pick === 'first') return v;
    best = best === undefined ? v : Math.max(best, v);
  }
  return best;
}

const LANES = { compute: 'engine:roofline', dma: 'dma' };

export function rooflineFallback(kind: TargetModel['kind']): TargetSimulator {
  return {
    kind,
    simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult {
      const peak = firstOf(t, 'flopRate', 'max') ?? 1e12;
      const bw =
        num(t, 'memory.dram_bandwidth') > 0
          ? num(t, 'memory.dram_bandwidth')
          : (firstOf(t, 'bandwidth', 'max') ?? 100e9);
      const eF = firstOf(t, 'energyPerFlop', 'first') ?? 10e-12;
      const eB = firstOf(t, 'energyPerByte', 'first') ?? 100e-12;
      const rec = new Recorder(w, ctx);
      for (let i = 0, order = trainingOrder(w); i < order.length; i++) {
        const li = order.layer[i],
          p = order.work[i];
        rec.addPlaced(
          li,
          {
            phase: p.phase,
            engine: 'accelerator',
            flops: p.flops,
            bytes: { dram: p.minBytes },
            outer: 'dram',
            computeS: p.flops / peak,
            memoryS: p.minBytes / bw,
            overheadS: 0,
            peakFlops: peak,
            energy: { compute: p.flops * eF, dram: p.minBytes * eB },
          },
          LANES,
        );
      }
      return rec.result(
        {
          name: t.name,
          kind: t.kind,
          peak: { flops: peak, bandwidth: { dram: bw }, levels: [{ name: 'dram', bandwidthBps: bw, sizeB: 0 }] },
        },
        rec.rows.totals(peak, w.batch),
        [
          finding(
            'model.generic-roofline',
            'info',
            `No ${t.kind} simulator is registered yet: a generic roofline (compulsory traffic only) was used.`,
          ),
        ],
        t.notes,
      );
    },
  };
}
