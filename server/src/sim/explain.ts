// "Explain this number": a layer phase's (or the whole step's) time split into the terms the target model produced —
// compute, memory per level, exposed overhead — each with the arithmetic that gives it (FLOPs at the rate achieved,
// bytes at the bandwidth achieved, against the target's peaks), which term bounds it, the energy per component, and
// the knobs that move it most (sim/sensitivity.ts) with where each value came from. Shared by `accelmap explain`, the
// hover and the dashboard's Explain view (accelmap/explain), so all three say the same thing.
import type { NetworkModel, Provenance, TargetModel } from '../spec/types';
import type { ExplainPhase, ExplainReport, ExplainScope, ExplainSensitivity, PhaseResult, TargetResult } from './types';
import { sensitivities } from './sensitivity';
import { eng } from './units';
import { kindSpec } from '../kinds/params';
import { paramValueText } from '../spec/units';

/** Where a parameter's value came from, in one line. */
export function provenanceLine(p: Provenance | undefined): string {
  if (!p) return '';
  if (p.from === 'preset') return `${p.tag} preset ${p.preset}: ${p.source}`;
  if (p.from === 'default') return `${p.tag} kind default: ${p.source}`;
  return `spec: target ${p.target}, line ${p.range.start.line + 1}`;
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/** The terms of one phase with their arithmetic. */
export function explainPhase(p: PhaseResult, t: TargetResult): ExplainPhase {
  const formulas: string[] = [];
  const peak = t.peak.flops;
  if (p.computeS > 0 && p.flops > 0) {
    const rate = p.flops / p.computeS;
    formulas.push(
      `compute ${eng(p.computeS, 's')} = ${eng(p.flops, 'FLOP')} at ${eng(rate, 'FLOP/s')}${peak > 0 ? ` (${pct(rate / peak)} of the ${eng(peak, 'FLOP/s')} peak)` : ''}`,
    );
  } else if (p.computeS > 0) formulas.push(`compute ${eng(p.computeS, 's')}`);
  const levels = Object.entries(p.bytes)
    .filter(([, b]) => b > 0)
    .map(([name, bytes]) => {
      const lp = t.peak.levels.find((l) => l.name === name);
      const atPeak = lp && lp.bandwidthBps > 0 ? bytes / lp.bandwidthBps : undefined;
      return {
        name,
        bytes,
        ...(lp ? { peakBps: lp.bandwidthBps } : {}),
        ...(atPeak !== undefined ? { atPeakS: atPeak } : {}),
      };
    });
  if (p.memoryS > 0) {
    // the level the memory term is about: the slowest at its peak among those that fit in the term (a level whose
    // traffic would take longer than the term at its peak is served inside the compute term, e.g. NTX's TCDM)
    const timed = levels.filter((l) => l.atPeakS !== undefined);
    const fit = timed.filter((l) => l.atPeakS! <= p.memoryS * 1.001).sort((a, b) => b.atPeakS! - a.atPeakS!);
    const worst = fit[0] ?? timed.sort((a, b) => a.atPeakS! - b.atPeakS!)[0] ?? levels[0];
    formulas.push(
      worst?.peakBps
        ? `memory ${eng(p.memoryS, 's')} = ${eng(worst.bytes, 'B')} of ${worst.name} at ${eng(worst.bytes / p.memoryS, 'B/s')} (${pct(worst.bytes / p.memoryS / worst.peakBps)} of its ${eng(worst.peakBps, 'B/s')} peak)`
        : `memory ${eng(p.memoryS, 's')}${worst ? ` for ${eng(worst.bytes, 'B')} of ${worst.name}` : ''}`,
    );
  }
  if (p.overheadS > 0)
    formulas.push(`overhead ${eng(p.overheadS, 's')} (offload, control, launch or host time not hidden)`);
  const overlapped = Math.max(p.computeS, p.memoryS) + p.overheadS;
  formulas.push(
    Math.abs(overlapped - p.timeS) <= 1e-12 + 1e-9 * p.timeS
      ? `time ${eng(p.timeS, 's')} = max(compute, memory) + overhead: ${p.bound}-bound`
      : `time ${eng(p.timeS, 's')} (${p.bound}-bound; the model does not overlap its terms fully: max + overhead would be ${eng(overlapped, 's')})`,
  );
  return {
    phase: p.phase,
    timeS: p.timeS,
    bound: p.bound,
    computeS: p.computeS,
    memoryS: p.memoryS,
    overheadS: p.overheadS,
    flops: p.flops,
    utilization: p.utilization,
    energyJ: p.energyJ,
    energy: p.energy,
    levels,
    formulas,
    ...(p.mapping ? { mapping: p.mapping } : {}),
  };
}

/** The terms of a scope on one target's result (no sensitivities: those cost re-simulations, see explain()). */
export function explainTerms(t: TargetResult, scope: ExplainScope): ExplainPhase[] | { error: string } {
  if (!scope.layer) return [];
  const l = t.layers.find((x) => x.name === scope.layer);
  if (!l) return { error: `No layer \`${scope.layer}\` in the result of ${t.name}.` };
  const ps = l.phases.filter((p) => !scope.phase || p.phase === scope.phase);
  if (!ps.length)
    return {
      error: `Layer \`${scope.layer}\` has no ${scope.phase} phase on ${t.name} (it has ${l.phases.map((p) => p.phase).join(', ')}).`,
    };
  return ps.map((p) => explainPhase(p, t));
}

/** Terms and sensitivities of a scope (the whole step, a layer, or one phase of a layer) on a target. */
export function explain(
  net: NetworkModel,
  target: TargetModel,
  t: TargetResult,
  scope: ExplainScope,
): ExplainReport | { error: string } {
  const phases = explainTerms(t, scope);
  if ('error' in phases) return phases;
  const dims = new Map(kindSpec(target.kind)?.params.map((p) => [p.path, p.dim]) ?? []);
  const text = (path: string, v: number) => {
    const dim = dims.get(path);
    return String(dim ? paramValueText(Number(v.toPrecision(6)), dim) : Number(v.toPrecision(6)));
  };
  const sens: ExplainSensitivity[] = sensitivities(net, target, scope).map((s) => ({
    path: s.path,
    value: s.value,
    valueText: text(s.path, s.value),
    time: s.time,
    energy: s.energy,
    source: provenanceLine(s.provenance),
  }));
  const ps = scope.layer ? phases : [];
  return {
    network: net.name,
    target: t.name,
    kind: t.kind,
    scope,
    timeS: scope.layer ? ps.reduce((a, p) => a + p.timeS, 0) : t.totals.timeS,
    energyJ: scope.layer ? ps.reduce((a, p) => a + p.energyJ, 0) : t.totals.energyJ,
    phases: ps,
    ...(scope.layer
      ? {}
      : {
          totals: {
            timeS: t.totals.timeS,
            offloadOverheadS: t.totals.offloadOverheadS,
            energyJ: t.totals.energyJ,
            energy: t.totals.energy,
            bytes: t.totals.bytes,
            flops: t.totals.flops,
            utilization: t.totals.utilization,
          },
        }),
    sensitivities: sens,
  };
}
