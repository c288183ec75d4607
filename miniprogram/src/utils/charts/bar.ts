import type { NumberLang } from '../format';
import type { ChartSeries } from '../widgetData';
import { drawAxes, yOf } from './axes';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { drawLegend } from './legend';
import { PALETTE } from './palette';

/**
 * Per category, where a stacked series starts and ends. Positive values stack up from zero and
 * negative values stack down from zero, each on its own running total (as ECharts and FineBI do):
 * a single running total would draw a negative part on top of the positives.
 */
export function stackRanges(data: ChartSeries): { from: number; to: number }[][] {
  return data.categories.map((_, i) => {
    let up = 0;
    let down = 0;
    return data.series.map((s) => {
      const v = s.values[i] ?? 0;
      if (v >= 0) return { from: up, to: (up += v) };
      return { from: down, to: (down += v) };
    });
  });
}

/** Grouped (or stacked) vertical bars; returns where each bar was drawn. */
export function drawBar(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { stacked?: boolean; lang: NumberLang; tick?: (v: number) => string }): Hit[] {
  const legend = drawLegend(ctx, box, data.series.map((s) => s.name));
  const ranges = opts.stacked ? stackRanges(data) : data.categories.map((_, i) => data.series.map((s) => ({ from: 0, to: s.values[i] ?? 0 })));
  const ends = ranges.flatMap((r) => r.map((x) => x.to));
  const plot = drawAxes(ctx, box, data.categories, Math.min(0, ...ends), Math.max(0, ...ends), legend, opts.lang, opts.tick);
  const n = Math.max(1, data.categories.length);
  const slot = plot.width / n;
  const groups = opts.stacked ? 1 : Math.max(1, data.series.length);
  const barW = Math.max(1, (slot * 0.7) / groups);
  const hits: Hit[] = [];
  data.categories.forEach((category, i) => {
    data.series.forEach((s, si) => {
      const { from, to } = ranges[i]![si]!;
      const color = PALETTE[si % PALETTE.length]!;
      const x = plot.left + slot * i + slot * 0.15 + (opts.stacked ? 0 : barW * si);
      const y0 = yOf(plot, from);
      const y1 = yOf(plot, to);
      const shape = { kind: 'rect' as const, x, y: Math.min(y0, y1), w: barW, h: Math.abs(y0 - y1) };
      ctx.fillStyle = color;
      ctx.fillRect(shape.x, shape.y, shape.w, shape.h);
      hits.push({ index: i, category, series: s.name, value: s.values[i] ?? 0, shape, color });
    });
  });
  return hits;
}
