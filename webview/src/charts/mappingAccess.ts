// MappingPhaseView -> chart.js config: the energy of each storage level split by tensor (stacked horizontal bars,
// outermost level first; the tooltip gives the accesses and the tile each instance holds). Pure.
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { MappingPhaseView } from '../../../server/src/sim/types';
import { num, si } from '../format';
import { chartBase, withAlpha, type Palette } from '../theme';

export interface LevelTensorBar {
  x: number;
  y: string;
  role: string;
  accesses: number;
  tileWords: number;
  instances: number;
}

export function mappingAccessConfig(
  p: MappingPhaseView,
  pal: Palette,
): ChartConfiguration<'bar', LevelTensorBar[], string> {
  const roles = [...new Set(p.levels.flatMap((l) => l.tensors.map((t) => t.role)))];
  const colors = [pal.phase.fwd, pal.phase.bwd_data, pal.phase.bwd_weight, pal.phase.update, pal.muted];
  const datasets = roles.map((role, k) => ({
    label: role,
    data: p.levels.map((l) => {
      const t = l.tensors.find((x) => x.role === role);
      return {
        x: t?.energyJ ?? 0,
        y: l.name,
        role,
        accesses: t?.accesses ?? 0,
        tileWords: t?.tileWords ?? 0,
        instances: t?.instances ?? 0,
      };
    }),
    backgroundColor: withAlpha(colors[k % colors.length], 0.85),
    borderWidth: 0,
  }));
  return {
    type: 'bar',
    data: { labels: p.levels.map((l) => l.name), datasets },
    options: {
      indexAxis: 'y',
      ...chartBase(pal),
      scales: {
        x: {
          type: 'linear',
          stacked: true,
          min: 0,
          ticks: { color: pal.muted, callback: (v) => si(Number(v), 'J') },
          grid: { color: pal.grid },
        },
        y: { type: 'category', stacked: true, ticks: { color: pal.foreground }, grid: { display: false } },
      },
      plugins: {
        legend: { labels: { color: pal.foreground } },
        title: { display: true, text: `${p.phase}: access energy per level and tensor`, color: pal.foreground },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const b = item.raw as LevelTensorBar;
              return `${b.role}: ${si(b.x, 'J')}, ${num(b.accesses)} accesses, tile ${num(b.tileWords)} words x ${b.instances}`;
            },
          },
        },
      },
    },
  };
}
