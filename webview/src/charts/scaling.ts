// Scaling points -> chart.js config: speed-up against device count (log-log), the ideal line, and the parallel
// efficiency on a second axis. Pure.
import type { ChartConfiguration } from 'chart.js';
import type { ScalingPoint } from '../../../server/src/kinds/system/scaling';
import { pct } from '../format';
import { chartBase, withAlpha, type Palette } from '../theme';

export function scalingConfig(
  points: ScalingPoint[],
  pal: Palette,
): ChartConfiguration<'line', { x: number; y: number }[], number> {
  const base = points[0]?.devices ?? 1;
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'speed-up',
          data: points.map((p) => ({ x: p.devices, y: p.speedup })),
          borderColor: pal.phase.fwd,
          backgroundColor: pal.phase.fwd,
          yAxisID: 'y',
        },
        {
          label: 'ideal',
          data: points.map((p) => ({ x: p.devices, y: p.devices / base })),
          borderColor: withAlpha(pal.muted, 0.7),
          borderDash: [4, 4],
          pointRadius: 0,
          yAxisID: 'y',
        },
        {
          label: 'efficiency',
          data: points.map((p) => ({ x: p.devices, y: p.efficiency })),
          borderColor: pal.phase.bwd_data,
          backgroundColor: pal.phase.bwd_data,
          yAxisID: 'eff',
        },
      ],
    },
    options: {
      ...chartBase(pal),
      parsing: false,
      scales: {
        x: {
          type: 'logarithmic',
          title: { display: true, text: 'devices', color: pal.muted },
          ticks: { color: pal.muted },
          grid: { color: pal.grid },
        },
        y: {
          type: 'logarithmic',
          title: { display: true, text: 'speed-up', color: pal.muted },
          ticks: { color: pal.muted },
          grid: { color: pal.grid },
        },
        eff: {
          type: 'linear',
          position: 'right',
          min: 0,
          max: 1.05,
          title: { display: true, text: 'parallel efficiency', color: pal.muted },
          ticks: { color: pal.muted, callback: (v) => pct(Number(v), 2) },
          grid: { display: false },
        },
      },
      plugins: {
        legend: { labels: { color: pal.foreground } },
        title: {
          display: true,
          text: 'weak scaling: speed-up and parallel efficiency against device count',
          color: pal.foreground,
        },
      },
    },
  };
}
