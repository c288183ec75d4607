import type { ChartSeries } from '../widgetData';
import { drawAxes, yOf } from './axes';
import type { Box, Ctx2d } from './ctx';
import { drawLegend } from './legend';
import { PALETTE } from './palette';

/** Grouped (or stacked) vertical bars. */
export function drawBar(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { stacked?: boolean } = {}): void {
  const legend = drawLegend(ctx, box, data.series.map((s) => s.name));
  const stackedData: ChartSeries = opts.stacked
    ? { categories: data.categories, series: [{ name: '', values: data.categories.map((_, i) => data.series.reduce((n, s) => n + (s.values[i] ?? 0), 0)) }] }
    : data;
  const plot = drawAxes(ctx, box, stackedData, legend);
  const n = Math.max(1, data.categories.length);
  const slot = plot.width / n;
  const groups = opts.stacked ? 1 : Math.max(1, data.series.length);
  const barW = Math.max(1, (slot * 0.7) / groups);
  data.categories.forEach((_, i) => {
    let base = 0;
    data.series.forEach((s, si) => {
      const v = s.values[i] ?? 0;
      ctx.fillStyle = PALETTE[si % PALETTE.length]!;
      const x = plot.left + slot * i + slot * 0.15 + (opts.stacked ? 0 : barW * si);
      const y0 = yOf(plot, opts.stacked ? base : 0);
      const y1 = yOf(plot, opts.stacked ? base + v : v);
      ctx.fillRect(x, Math.min(y0, y1), barW, Math.abs(y0 - y1));
      if (opts.stacked) base += v;
    });
  });
}
