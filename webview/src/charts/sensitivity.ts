// ExplainReport -> chart.js config: the knobs that move a result most, as horizontal bars of their time and energy
// elasticities (d ln y / d ln p: -1 = 1% more of the knob, 1% less time), largest |time| first. Pure.
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { ExplainSensitivity } from '../../../server/src/sim/types';
import { chartBase, withAlpha, type Palette } from '../theme';

export function sensitivityConfig(
  rows: ExplainSensitivity[],
  title: string,
  pal: Palette,
): ChartConfiguration<'bar', number[], string> {
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.path),
      datasets: [
        {
          label: 'time elasticity',
          data: rows.map((r) => r.time),
          backgroundColor: withAlpha(pal.phase.fwd, 0.85),
          borderWidth: 0,
        },
        {
          label: 'energy elasticity',
          data: rows.map((r) => r.energy),
          backgroundColor: withAlpha(pal.phase.bwd_weight, 0.85),
          borderWidth: 0,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      ...chartBase(pal),
      scales: {
        x: {
          type: 'linear',
          ticks: { color: pal.muted },
          grid: { color: pal.grid },
          title: { display: true, text: '% change per 1% more of the knob', color: pal.muted },
        },
        y: { type: 'category', ticks: { color: pal.foreground }, grid: { display: false } },
      },
      plugins: {
        legend: { labels: { color: pal.foreground } },
        title: { display: true, text: title, color: pal.foreground },
        tooltip: { callbacks: { afterLabel: (item: TooltipItem<'bar'>) => rows[item.dataIndex]?.source ?? '' } },
      },
    },
  };
}
