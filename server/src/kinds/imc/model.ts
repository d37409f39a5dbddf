// Radix-4 IMC training target (Grimm & Verma, arXiv 2203.04821): the three training MVMs on charge-domain SRAM IMC
// arrays or on a digital MVM engine (mapping.<phase>), element-wise layers and the weight update on the digital
// periphery. Closed-form pieces: engine.ts. Parameters and sources: params.ts.
//
// Formats (SRC [I3]): INT4 weights and activations, radix-4 FP4 gradients, FP16 accumulation — whatever the
// network precision says. Tensor bytes of the lowered workload are rescaled by role to these formats (masters and
// optimizer state keep the network's format: the update is digital).
// Per MVM phase on IMC (engine 'in-memory'):
//   T = max(array time, DRAM bytes / BW) + operand write time + control.phase_config
//   energy: compute = array energy (ADC + drivers + cells), control = operand write energy, sram/dram = phase
//   tensors through the activation buffer and DRAM, digital periphery ops (bias) in compute.
// Per MVM phase on the digital engine (engine 'digital'): T = max(MACs / digital rate, DRAM bytes / BW) + config;
//   compute = MACs * (energy.digital_mac + digital.weight_bytes_per_mac * energy.sram).
// Element-wise phases and the update (engine 'digital'): ops / (digital.macs_per_cycle * digital.clock) and
//   energy.digital_op per op, streaming their tensors.
// The "training-MVM energy" compared with the digital baseline is the MVM-engine energy only: IMC array + operand
// writes vs digital MACs + stationary-operand fetch; activation I/O is the same in both and left out.
import { finding, type FindingDraft } from '../../sim/findings';
import type { TargetModel } from '../../spec/types';
import type { Phase, TargetResult } from '../../sim/types';
import type { LayerWork, PhaseWork, Workload } from '../../sim/workload';
import { Recorder, trainingOrder, type PhaseInput, type SimContext, type TargetSimulator } from '../../sim/target';
import { amdahlSaving, digitalMvm, imcConfig, imcMacEnergy, imcMvm, mvmShape, slices, type ImcConfig } from './engine';
import { grouped } from '../../sim/units';

type MvmPhase = 'fwd' | 'bwd_data' | 'bwd_weight';
const isMvmPhase = (p: Phase): p is MvmPhase => p === 'fwd' || p === 'bwd_data' || p === 'bwd_weight';

/** Bytes of a lowered phase rescaled to the IMC formats (per role; element counts from the lowered byte sizes). */
export function imcBytes(w: Workload, c: ImcConfig, p: PhaseWork): number {
  const act = c.inputBits / 8,
    grad = c.inputBits / 8,
    wt = c.weightBits / 8;
  // optimizer state, masters
  const other = p.minBytes - p.activationBytes - p.gradientBytes - p.weightRoleBytes - p.weightGradBytes;
  return (
    p.activationBytes * (act / w.bytes.act) +
    p.gradientBytes * (grad / w.bytes.grad) +
    p.weightRoleBytes * (wt / w.bytes.weight) +
    p.weightGradBytes * (c.accBytes / w.bytes.grad) +
    other
  );
}

/** MVM-engine energy of one MAC phase on `engine` (the quantity the >400x / ~3x figures compare). */
export function mvmEngineEnergy(c: ImcConfig, l: LayerWork, p: PhaseWork, engine: 'imc' | 'digital'): number {
  if (engine === 'digital') return digitalMvm(c, p.macs).energyJ;
  const m = imcMvm(c, mvmShape(l.cls, l.dims, p.phase, p.macs));
  return m.arrayJ + m.writeJ;
}

/** Training-MVM energy of a workload under the target's mapping and under an all-digital mapping. */
export function trainingMvmEnergy(w: Workload, c: ImcConfig): { mapped: number; digital: number; onImc: number } {
  let mapped = 0,
    digital = 0;
  for (const l of w.layers)
    for (const p of l.phases) {
      if (!isMvmPhase(p.phase) || p.kind !== 'mvm' || p.macs <= 0) continue;
      mapped += mvmEngineEnergy(c, l, p, c.mapping[p.phase]);
      digital += mvmEngineEnergy(c, l, p, 'digital');
    }
  const onImc = (['fwd', 'bwd_data', 'bwd_weight'] as const).filter((ph) => c.mapping[ph] === 'imc').length;
  return { mapped, digital, onImc };
}

function phaseResult(c: ImcConfig, w: Workload, l: LayerWork, p: PhaseWork, peak: number, text: boolean): PhaseInput {
  const bytes = imcBytes(w, c, p);
  const memoryS = bytes / c.dramBandwidth;
  const io = { sram: bytes * c.eSram, dram: bytes * c.eDram };
  const digitalRate = c.digitalMacsPerCycle * c.digitalClock;
  if (isMvmPhase(p.phase) && p.kind === 'mvm' && p.macs > 0) {
    const extraOps = Math.max(0, p.flops - 2 * p.macs); // bias adds on the periphery
    const engine = c.mapping[p.phase];
    if (engine === 'imc') {
      const m = imcMvm(c, mvmShape(l.cls, l.dims, p.phase, p.macs));
      const computeS = m.computeS + extraOps / digitalRate;
      const overheadS = m.writeS + c.phaseConfig;
      const timeS = Math.max(computeS, memoryS) + overheadS;
      return {
        phase: p.phase,
        engine: 'in-memory',
        flops: p.flops,
        bytes: { dram: bytes, sram: bytes },
        outer: 'dram',
        computeS,
        memoryS,
        overheadS,
        peakFlops: peak,
        timeS,
        energy: {
          compute: m.arrayJ + extraOps * c.eDigitalOp,
          control: m.writeJ,
          ...io,
          static: c.staticPower * timeS,
        },
        mapping: text
          ? () =>
              `in the arrays (mapping.${p.phase}: imc): ${grouped(m.tiles)} array tile${m.tiles === 1 ? '' : 's'} of ${c.rows}x${c.cols}, ${slices(c)} input slice${slices(c) === 1 ? '' : 's'} per vector`
          : undefined,
      };
    }
    const d = digitalMvm(c, p.macs);
    const computeS = d.computeS + extraOps / digitalRate;
    const timeS = Math.max(computeS, memoryS) + c.phaseConfig;
    return {
      phase: p.phase,
      engine: 'digital',
      flops: p.flops,
      bytes: { dram: bytes, sram: bytes + p.macs * c.digitalWeightBytesPerMac },
      outer: 'dram',
      computeS,
      memoryS,
      overheadS: c.phaseConfig,
      peakFlops: peak,
      timeS,
      energy: { compute: d.energyJ + extraOps * c.eDigitalOp, ...io, static: c.staticPower * timeS },
      mapping: text ? `on the digital MVM engine (mapping.${p.phase}: digital)` : undefined,
    };
  }
  // element-wise layers and the optimizer update: digital periphery, one op per lane per cycle (ASM)
  const computeS = p.flops / digitalRate;
  const overheadS = p.flops > 0 || bytes > 0 ? c.phaseConfig : 0;
  const timeS = Math.max(computeS, memoryS) + overheadS;
  return {
    phase: p.phase,
    engine: 'digital',
    flops: p.flops,
    bytes: { dram: bytes, sram: bytes },
    outer: 'dram',
    computeS,
    memoryS,
    overheadS,
    peakFlops: peak,
    timeS,
    energy: { compute: p.flops * c.eDigitalOp, ...io, static: c.staticPower * timeS },
    mapping:
      text && (p.flops > 0 || bytes > 0)
        ? p.phase === 'update'
          ? 'optimizer update on the digital periphery'
          : 'element-wise on the digital periphery'
        : undefined,
  };
}

const IMC_LANES = { compute: 'in-memory', dma: 'dma', config: 'config' };
const DIGITAL_LANES = { compute: 'digital', dma: 'dma', config: 'config' };

export const imcSim: TargetSimulator = {
  kind: 'imc',
  simulate(w: Workload, t: TargetModel, ctx: SimContext): TargetResult {
    const c = imcConfig(t);
    // IMC peak: 2 * arrays * rows * (cols / w_bits) 4-bit MACs per (slices / clock).
    const imcPeak = (2 * c.arrays * c.rows * Math.floor(c.cols / c.weightBits) * c.clock) / slices(c);
    const digitalPeak = 2 * c.digitalMacsPerCycle * c.digitalClock;
    const anyImc = Object.values(c.mapping).includes('imc');
    const peak = anyImc ? imcPeak : digitalPeak;
    const rec = new Recorder(w, ctx);
    for (let i = 0, order = trainingOrder(w); i < order.length; i++) {
      const li = order.layer[i],
        sw = order.work[i];
      const l = w.layers[li];
      const r = phaseResult(c, w, l, sw, peak, ctx.layers);
      rec.addPlaced(li, r, r.engine === 'in-memory' ? IMC_LANES : DIGITAL_LANES);
    }
    const e = trainingMvmEnergy(w, c);
    const S = e.mapped > 0 ? e.digital / e.mapped : 0;
    const notes: FindingDraft[] = [
      finding(
        'imc.energy-saving',
        'info',
        `Training-MVM energy (fwd + bwd_data + bwd_weight, MVM engines only): ${(e.mapped * 1e3).toPrecision(3)} mJ on ${e.onImc} of 3 MVMs in memory vs ${(e.digital * 1e3).toPrecision(3)} mJ on the digital engine: ${S.toPrecision(3)}x saving.`,
        { mappedJ: e.mapped, digitalJ: e.digital, saving: S, mvmsInMemory: e.onImc },
      ),
      finding(
        'imc.energy-saving',
        'info',
        `IMC 4b x 4b MAC on a full array: ${(imcMacEnergy(c) * 1e15).toPrecision(3)} fJ; digital baseline MAC + operand fetch: ${((c.eDigitalMac + c.digitalWeightBytesPerMac * c.eSram) * 1e12).toPrecision(3)} pJ (knobs energy.digital_mac, digital.weight_bytes_per_mac, energy.sram).`,
      ),
    ];
    if (e.onImc > 0 && e.onImc < 3) {
      const all = { ...c, mapping: { fwd: 'imc', bwd_data: 'imc', bwd_weight: 'imc' } as ImcConfig['mapping'] };
      const Sall = trainingMvmEnergy(w, all);
      const s3 = Sall.mapped > 0 ? Sall.digital / Sall.mapped : 0;
      notes.push(
        finding(
          'imc.amdahl',
          'info',
          `With all three MVMs in memory the saving would be ${s3.toPrecision(3)}x; Amdahl with ${e.onImc} of 3 equal-MAC MVMs: 3 / (${e.onImc}/S + ${3 - e.onImc}) = ${amdahlSaving(s3, e.onImc).toPrecision(3)}x.`,
          { savingAllInMemory: s3, amdahl: amdahlSaving(s3, e.onImc) },
        ),
      );
    }
    return rec.result(
      {
        name: t.name,
        kind: t.kind,
        peak: {
          flops: peak,
          bandwidth: { dram: c.dramBandwidth },
          levels: [
            { name: 'dram', bandwidthBps: c.dramBandwidth, sizeB: 0 },
            { name: 'sram', bandwidthBps: 0, sizeB: c.sramSize },
          ],
        },
      },
      rec.rows.totals(peak, w.batch),
      notes,
      t.notes,
    );
  },
};
