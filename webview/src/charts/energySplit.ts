// SimulationResult -> chart.js config: for every target, the share of each energy component (compute, on-chip
// memory, DRAM, links, control, static) in its energy per step (100 % stacked horizontal bars; the tooltip gives the
// joules). Pure.
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { EnergyBreakdown, SimulationResult } from '../../../server/src/sim/types';
import { pct, si } from '../format';
import { chartBase, withAlpha, type Palette } from '../theme';

export const ENERGY_PARTS: (keyof EnergyBreakdown)[] = ['compute', 'sram', 'dram', 'link', 'control', 'static'];
export const ENERGY_LABEL: Record<keyof EnergyBreakdown, string> = {
  compute: 'compute',
  sram: 'on-chip memory',
  dram: 'DRAM / HBM',
  link: 'links',
  control: 'control',
  static: 'static',
};

export interface EnergyShare {
  x: number;
  y: string;
  part: keyof EnergyBreakdown;
  energyJ: number;
}

export function energySplitConfig(r: SimulationResult, pal: Palette): ChartConfiguration<'bar', EnergyShare[], string> {
  const colors = [
    pal.phase.fwd,
    pal.phase.update,
    pal.phase.bwd_data,
    pal.phase.bwd_weight,
    pal.ceilings[1],
    pal.muted,
  ];
  const datasets = ENERGY_PARTS.map((part, k) => ({
    label: ENERGY_LABEL[part],
    data: r.targets.map((t) => {
      const e = t.totals.energy,
        sum = ENERGY_PARTS.reduce((s, p) => s + (Number.isFinite(e[p]) ? e[p] : 0), 0);
      return { x: sum > 0 ? e[part] / sum : 0, y: t.name, part, energyJ: e[part] };
    }),
    backgroundColor: withAlpha(colors[k], 0.85),
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
        title: {
          display: true,
          text: 'where the energy goes: share of each component per step',
          color: pal.foreground,
        },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const p = item.raw as EnergyShare;
              return `${ENERGY_LABEL[p.part]}: ${pct(p.x)} (${si(p.energyJ, 'J')})`;
            },
          },
        },
      },
    },
  };
}
