import type { NumberLang } from '../format';
import type { ChartSeries } from '../widgetData';
import { drawAxes, nums, yOf } from './axes';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { drawLegend } from './legend';
import { PALETTE } from './palette';

export type Range = { from: number; to: number } | null;

/**
 * Per category, where a stacked series starts and ends. Positive values stack up from zero and
 * negative values stack down from zero, each on its own running total (as ECharts and FineBI do):
 * a single running total would draw a negative part on top of the positives. A missing value
 * (null) is nothing: no bar, and the next series starts where the last one ended.
 */
export function stackRanges(data: ChartSeries): Range[][] {
  return data.categories.map((_, i) => {
    let up = 0;
    let down = 0;
    return data.series.map((s) => {
      const v = s.values[i] ?? null;
      if (v === null) return null;
      if (v >= 0) return { from: up, to: (up += v) };
      return { from: down, to: (down += v) };
    });
  });
}

/** Stacked, or each bar from zero; null where a series has no value (nothing drawn, no tap target). */
export function barRanges(data: ChartSeries, stacked?: boolean): Range[][] {
  if (stacked) return stackRanges(data);
  return data.categories.map((_, i) => data.series.map((s) => (typeof s.values[i] === 'number' ? { from: 0, to: s.values[i]! } : null)));
}

/** Grouped (or stacked) vertical bars; returns where each bar was drawn. */
export function drawBar(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { stacked?: boolean; lang: NumberLang; tick?: (v: number) => string }): Hit[] {
  const legend = drawLegend(ctx, box, data.series.map((s) => s.name));
  const ranges = barRanges(data, opts.stacked);
  const ends = nums(ranges.flatMap((r) => r.map((x) => x?.to ?? null)));
  const plot = drawAxes(ctx, box, data.categories, Math.min(0, ...ends), Math.max(0, ...ends), legend, opts.lang, opts.tick);
  const n = Math.max(1, data.categories.length);
  const slot = plot.width / n;
  const groups = opts.stacked ? 1 : Math.max(1, data.series.length);
  const barW = Math.max(1, (slot * 0.7) / groups);
  const hits: Hit[] = [];
  data.categories.forEach((category, i) => {
    data.series.forEach((s, si) => {
      const range = ranges[i]![si];
      if (!range) return;
      const { from, to } = range;
      const color = PALETTE[si % PALETTE.length]!;
      const x = plot.left + slot * i + slot * 0.15 + (opts.stacked ? 0 : barW * si);
      const y0 = yOf(plot, from);
      const y1 = yOf(plot, to);
      const shape = { kind: 'rect' as const, x, y: Math.min(y0, y1), w: barW, h: Math.abs(y0 - y1) };
      ctx.fillStyle = color;
      ctx.fillRect(shape.x, shape.y, shape.w, shape.h);
      hits.push({ index: i, category, series: s.name, value: s.values[i]!, shape, color });
    });
  });
  return hits;
}
