// chart.js, registered tree-shaken: only the controllers, elements, scales and plugins the two charts use.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(BarController, BarElement, ScatterController, LineController, LineElement, PointElement, CategoryScale, LinearScale, LogarithmicScale, Legend, Title, Tooltip);

const live = new Set<Chart>();

export function mountChart(canvas: HTMLCanvasElement, config: ChartConfiguration<any, any, any>): Chart {
  const c = new Chart(canvas, config);
  live.add(c);
  return c;
}

export function destroyCharts(): void {
  for (const c of live) c.destroy();
  live.clear();
}

/** For tests and debugging: the data of the charts on screen (lengths of each dataset, by label). */
export function chartSummary(): { type: string; labels: unknown[]; datasets: { label: string; points: number }[] }[] {
  return [...live].map((c) => ({
    type: String((c.config as { type?: string }).type),
    labels: [...(c.data.labels ?? [])],
    datasets: c.data.datasets.map((d) => ({ label: String(d.label), points: d.data.length })),
  }));
}
