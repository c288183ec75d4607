import { formatCompact, type NumberLang } from '../format';
import type { ChartSeries } from '../widgetData';
import { nums, scale } from './axes';
import { barRanges } from './bar';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { drawLegend } from './legend';
import { AXIS, LABEL, PALETTE } from './palette';

/** Horizontal bars: categories down the left (long names fit), values to the right; stacked or grouped. */
export function drawHBar(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { stacked?: boolean; lang: NumberLang; tick?: (v: number) => string }): Hit[] {
  const legend = drawLegend(ctx, box, data.series.map((s) => s.name));
  const ranges = barRanges(data, opts.stacked);
  const ends = nums(ranges.flatMap((r) => r.map((x) => x?.to ?? null)));
  const { min, max, step } = scale(Math.min(0, ...ends), Math.max(0, ...ends));
  const tick = opts.tick ?? ((v: number) => formatCompact(v, opts.lang));
  const plot = { left: 72, top: 8 + legend, width: box.width - 84, height: box.height - 28 - legend };
  const xOf = (v: number) => plot.left + ((v - min) / (max - min)) * plot.width;
  ctx.font = '10px sans-serif';
  ctx.lineWidth = 0.5;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const n = Math.round((max - min) / step);
  for (let i = 0; i <= n; i++) {
    const v = min + step * i;
    ctx.strokeStyle = AXIS;
    ctx.beginPath();
    ctx.moveTo(xOf(v), plot.top);
    ctx.lineTo(xOf(v), plot.top + plot.height);
    ctx.stroke();
    ctx.fillStyle = LABEL;
    ctx.fillText(tick(Math.abs(v) < step / 1e6 ? 0 : v), xOf(v), plot.top + plot.height + 4);
  }
  const count = Math.max(1, data.categories.length);
  const slot = plot.height / count;
  const groups = opts.stacked ? 1 : Math.max(1, data.series.length);
  const barH = Math.max(1, (slot * 0.7) / groups);
  // Category names: every one that has room (12 px a line), cut when long.
  const every = Math.max(1, Math.ceil(12 / Math.max(slot, 1)));
  const hits: Hit[] = [];
  data.categories.forEach((category, i) => {
    if (i % every === 0) {
      ctx.fillStyle = LABEL;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(category.length > 6 ? `${category.slice(0, 6)}…` : category, plot.left - 4, plot.top + slot * (i + 0.5));
    }
    data.series.forEach((s, si) => {
      const range = ranges[i]![si];
      if (!range) return;
      const { from, to } = range;
      const color = PALETTE[si % PALETTE.length]!;
      const y = plot.top + slot * i + slot * 0.15 + (opts.stacked ? 0 : barH * si);
      const x0 = xOf(from);
      const x1 = xOf(to);
      const shape = { kind: 'rect' as const, x: Math.min(x0, x1), y, w: Math.abs(x1 - x0), h: barH };
      ctx.fillStyle = color;
      ctx.fillRect(shape.x, shape.y, shape.w, shape.h);
      hits.push({ index: i, category, series: s.name, value: s.values[i]!, shape, color });
    });
  });
  return hits;
}
