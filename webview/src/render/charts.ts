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
  BasicPlatform,
  type ChartConfiguration,
} from 'chart.js';
import { Context as SvgContext } from 'svgcanvas';

Chart.register(
  BarController,
  BarElement,
  ScatterController,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Legend,
  Title,
  Tooltip,
);

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

/**
 * The chart drawn on `canvas`, drawn again as SVG: the same config rendered through svgcanvas's Canvas 2D context
 * (which records every path, fill and text as SVG elements) at the chart's size, without animation. A data URL.
 */
export function chartSvgDataUrl(canvas: HTMLCanvasElement): string | undefined {
  const chart = Chart.getChart(canvas);
  if (!chart) return undefined;
  const width = Math.max(1, Math.round(chart.width)),
    height = Math.max(1, Math.round(chart.height));
  const ctx = new SvgContext({ width, height });
  // chart.js takes a context through its `canvas` (svgcanvas points that back at the context) and asks it for a 2D
  // context again
  (ctx as unknown as { getContext(): unknown }).getContext = () => ctx;
  const cfg = chart.config as unknown as {
    type: string;
    data: { datasets: object[] };
    options: Record<string, unknown>;
    plugins?: unknown[];
  };
  // Lines are stroked through a cached Path2D, which svgcanvas cannot record; a `segment` option makes chart.js draw
  // them segment by segment on the context instead (it styles nothing here).
  const data = { ...cfg.data, datasets: cfg.data.datasets.map((d) => ({ segment: {}, ...d })) };
  // The view's background under the chart, so the file looks as the chart does on screen in this theme.
  const bg = getComputedStyle(document.body).backgroundColor || 'transparent';
  const background = {
    id: 'svgBackground',
    beforeDraw: (c: Chart) => {
      c.ctx.save();
      c.ctx.fillStyle = bg;
      c.ctx.fillRect(0, 0, c.width, c.height);
      c.ctx.restore();
    },
  };
  const copy = new Chart(ctx as unknown as CanvasRenderingContext2D, {
    type: cfg.type as never,
    data: data as never,
    plugins: [...(cfg.plugins ?? []), background] as never,
    platform: BasicPlatform,
    options: {
      ...cfg.options,
      animation: false,
      responsive: false,
      maintainAspectRatio: false,
      devicePixelRatio: 1,
    } as never,
  });
  try {
    const svg = ctx.getSerializedSvg(true);
    return `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;
  } finally {
    copy.destroy();
  }
}
