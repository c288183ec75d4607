import { formatCompact, type NumberLang } from '../format';
import type { ChartSeries } from '../widgetData';
import { drawAxes, scale, yOf, type Plot } from './axes';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { drawLegend } from './legend';
import { stackRanges } from './bar';
import { axisValues, drawSeriesLine } from './line';
import { LABEL, PALETTE } from './palette';

/**
 * Bars on the left axis and, for the series named in `secondary`, lines on a right axis with its
 * own scale (sales in 万 next to a count of orders). A missing value (null) is a gap: no bar, a
 * break in the line. Stacked, the bars stack on the left axis and the lines on the right one, as
 * the web's ECharts draws it (one stack per axis).
 */
export function drawCombo(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { secondary: string[]; stacked?: boolean; lang: NumberLang }): Hit[] {
  const legend = drawLegend(ctx, box, data.series.map((s) => s.name));
  const isLine = (name: string) => opts.secondary.includes(name);
  const bars = data.series.filter((s) => !isLine(s.name));
  const lines = data.series.filter((s) => isLine(s.name));
  const barData = { categories: data.categories, series: bars };
  const lineData = { categories: data.categories, series: lines };
  const barStack = opts.stacked ? stackRanges(barData) : undefined;
  const lineStack = opts.stacked ? stackRanges(lineData) : undefined;
  const barValues = axisValues(barData, barStack);
  // Every series a line (a split combo whose measure is a line measure): the left scale has nothing to read.
  const tick = bars.length ? undefined : () => '';
  const plot = drawAxes(ctx, box, data.categories, Math.min(0, ...barValues), Math.max(0, ...barValues), legend, opts.lang, tick, lines.length ? 40 : 8);
  const lineValues = axisValues(lineData, lineStack);
  const r = scale(Math.min(0, ...lineValues), Math.max(0, ...lineValues));
  const right: Plot = { ...plot, min: r.min, max: r.max };
  if (lines.length) {
    ctx.fillStyle = LABEL;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    const n = Math.round((r.max - r.min) / r.step);
    for (let i = 0; i <= n; i++) {
      const v = r.min + r.step * i;
      ctx.fillText(formatCompact(Math.abs(v) < r.step / 1e6 ? 0 : v, opts.lang), plot.left + plot.width + 4, yOf(right, v));
    }
  }
  const count = Math.max(1, data.categories.length);
  const slot = plot.width / count;
  const barW = Math.max(1, (slot * 0.7) / (barStack ? 1 : Math.max(1, bars.length)));
  const hits: Hit[] = [];
  data.series.forEach((s, si) => {
    if (isLine(s.name)) {
      const stack = lineStack && { ranges: lineStack, at: lines.indexOf(s) };
      hits.push(...drawSeriesLine(ctx, data, si, (i) => plot.left + slot * (i + 0.5), (v) => yOf(right, v), false, stack));
      return;
    }
    const color = PALETTE[si % PALETTE.length]!;
    const bi = bars.indexOf(s);
    s.values.forEach((v, i) => {
      if (v === null) return;
      const range = barStack?.[i]?.[bi];
      const x = plot.left + slot * i + slot * 0.15 + (barStack ? 0 : barW * bi);
      const y0 = yOf(plot, range?.from ?? 0);
      const y1 = yOf(plot, range?.to ?? v);
      const shape = { kind: 'rect' as const, x, y: Math.min(y0, y1), w: barW, h: Math.abs(y1 - y0) };
      ctx.fillStyle = color;
      ctx.fillRect(shape.x, shape.y, shape.w, shape.h);
      hits.push({ index: i, category: data.categories[i] ?? '', series: s.name, value: v, shape, color });
    });
  });
  return hits;
}
