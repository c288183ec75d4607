import { formatCompact, type NumberLang } from '../format';
import type { ChartSeries } from '../widgetData';
import { drawAxes, nums, scale } from './axes';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { LABEL, PALETTE, fade } from './palette';

/** Scatter: the first series along x, the second up y, one point per category (named on tap). */
export function drawScatter(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { lang: NumberLang }): Hit[] {
  const xs = data.series[0]?.values ?? [];
  const ys = data.series[1]?.values ?? [];
  const plot = drawAxes(ctx, box, [], Math.min(0, ...nums(ys)), Math.max(0, ...nums(ys)), 0, opts.lang);
  const sx = scale(Math.min(0, ...nums(xs)), Math.max(0, ...nums(xs)));
  const xOf = (v: number) => plot.left + ((v - sx.min) / (sx.max - sx.min)) * plot.width;
  const yOf = (v: number) => plot.top + plot.height - ((v - plot.min) / (plot.max - plot.min)) * plot.height;
  ctx.fillStyle = LABEL;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const n = Math.round((sx.max - sx.min) / sx.step);
  for (let i = 0; i <= n; i++) {
    const v = sx.min + sx.step * i;
    ctx.fillText(formatCompact(Math.abs(v) < sx.step / 1e6 ? 0 : v, opts.lang), xOf(v), plot.top + plot.height + 4);
  }
  const color = PALETTE[0]!;
  const name = `${data.series[0]?.name ?? ''} / ${data.series[1]?.name ?? ''}`;
  const hits: Hit[] = [];
  ctx.fillStyle = fade(color, 0.7);
  xs.forEach((x, i) => {
    const y = ys[i] ?? null;
    if (x === null || y === null) return;
    ctx.beginPath();
    ctx.arc(xOf(x), yOf(y), 4, 0, Math.PI * 2);
    ctx.fill();
    hits.push({ index: i, category: data.categories[i] ?? '', series: name, value: y, shape: { kind: 'point', x: xOf(x), y: yOf(y) }, color });
  });
  return hits;
}
