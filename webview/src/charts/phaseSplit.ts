// SimulationResult -> chart.js config: for every target, the share of each training phase in the summed phase time
// (100 % stacked horizontal bars). Shares, not absolute times: targets differ by orders of magnitude. Pure.
//   share(target, phase) = sum over layers of timeS(phase) / sum over layers and phases of timeS
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import { PHASES, type Phase, type SimulationResult, type TargetResult } from '../../../server/src/sim/types';
import { pct, si } from '../format';
import { PHASE_LABEL, chartBase, withAlpha, type Palette } from '../theme';

export interface PhaseShare {
  x: number;
  y: string;
  phase: Phase;
  timeS: number;
}

/** The target's time per phase: its totals' (results from before they carried it: summed over the layers). */
export function phaseTimes(t: TargetResult): Record<Phase, number> {
  const given = (t.totals as Partial<typeof t.totals>).phaseS;
  if (given && PHASES.every((p) => Number.isFinite(given[p]))) return { ...given };
  const out = { fwd: 0, bwd_data: 0, bwd_weight: 0, update: 0 } as Record<Phase, number>;
  for (const l of t.layers)
    for (const p of l.phases) if (p.phase in out && Number.isFinite(p.timeS)) out[p.phase] += p.timeS;
  return out;
}

export function phaseSplitConfig(r: SimulationResult, pal: Palette): ChartConfiguration<'bar', PhaseShare[], string> {
  const times = r.targets.map((t) => ({ name: t.name, ph: phaseTimes(t) }));
  const datasets = PHASES.map((phase) => ({
    label: PHASE_LABEL[phase],
    data: times.map(({ name, ph }) => {
      const sum = PHASES.reduce((s, p) => s + ph[p], 0);
      return { x: sum > 0 ? ph[phase] / sum : 0, y: name, phase, timeS: ph[phase] };
    }),
    backgroundColor: withAlpha(pal.phase[phase], 0.85),
    borderWidth: 0,
  }));
  return {
    type: 'bar',
    data: { labels: r.targets.map((t) => t.name), datasets },
    options: {
      indexAxis: 'y',
      ...chartBase(pal),
      scales: {
        x: {
          type: 'linear',
          stacked: true,
          min: 0,
          max: 1,
          ticks: { color: pal.muted, callback: (v) => pct(Number(v), 2) },
          grid: { color: pal.grid },
        },
        y: { type: 'category', stacked: true, ticks: { color: pal.foreground }, grid: { display: false } },
      },
      plugins: {
        legend: { labels: { color: pal.foreground } },
        title: { display: true, text: 'where the time goes: share of each training phase', color: pal.foreground },
        tooltip: { callbacks: { label: (item: TooltipItem<'bar'>) => phaseShareTooltip(item.raw as PhaseShare) } },
      },
    },
  };
}

export function phaseShareTooltip(p: PhaseShare): string {
  return `${PHASE_LABEL[p.phase]}: ${pct(p.x)} (${si(p.timeS, 's')})`;
}
