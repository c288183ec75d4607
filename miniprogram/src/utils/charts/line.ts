import type { NumberLang } from '../format';
import type { ChartSeries } from '../widgetData';
import { drawAxes, yOf } from './axes';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { drawLegend } from './legend';
import { PALETTE, fade } from './palette';

/** One polyline with point markers per series (filled down to zero for an area chart); returns where each point was drawn. */
export function drawLine(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { lang: NumberLang; area?: boolean; tick?: (v: number) => string }): Hit[] {
  const legend = drawLegend(ctx, box, data.series.map((s) => s.name));
  const values = data.series.flatMap((s) => s.values);
  const plot = drawAxes(ctx, box, data.categories, Math.min(0, ...values), Math.max(0, ...values), legend, opts.lang, opts.tick);
  const n = Math.max(1, data.categories.length);
  const xOf = (i: number) => plot.left + (plot.width * (i + 0.5)) / n;
  const hits: Hit[] = [];
  data.series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length]!;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2;
    if (opts.area && s.values.length > 0) {
      ctx.fillStyle = fade(color, 0.2);
      ctx.beginPath();
      ctx.moveTo(xOf(0), yOf(plot, 0));
      s.values.forEach((v, i) => ctx.lineTo(xOf(i), yOf(plot, v)));
      ctx.lineTo(xOf(s.values.length - 1), yOf(plot, 0));
      ctx.closePath();
      ctx.fill();
      ctx.fillStyle = color;
    }
    ctx.beginPath();
    s.values.forEach((v, i) => (i === 0 ? ctx.moveTo(xOf(i), yOf(plot, v)) : ctx.lineTo(xOf(i), yOf(plot, v))));
    ctx.stroke();
    s.values.forEach((v, i) => {
      ctx.beginPath();
      ctx.arc(xOf(i), yOf(plot, v), 2.5, 0, Math.PI * 2);
      ctx.fill();
      hits.push({ index: i, category: data.categories[i] ?? '', series: s.name, value: v, shape: { kind: 'point', x: xOf(i), y: yOf(plot, v) }, color });
    });
  });
  return hits;
}
