import type { NumberLang } from '../format';
import type { ChartSeries } from '../widgetData';
import { drawAxes, nums, yOf } from './axes';
import { stackRanges, type Range } from './bar';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { drawLegend } from './legend';
import { PALETTE, fade } from './palette';

/** Runs of consecutive indexes that have a value: a line breaks where one is missing (null), as ECharts draws it. */
export function runs(values: (number | null)[]): number[][] {
  const out: number[][] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    if (i > 0 && values[i - 1] !== null) out[out.length - 1]!.push(i);
    else out.push([i]);
  });
  return out;
}

/**
 * Series `si` as a polyline with point markers, broken at missing values (no point, no tap target
 * there); with `fill`, each run is also filled down to zero (area). With `stack` (stackRanges of
 * the series drawn together) the line is drawn at its stacked top and an area fills down to the
 * series under it, as ECharts stacks; a tap still reads the series' own value. Returns the points.
 */
export function drawSeriesLine(
  ctx: Ctx2d,
  data: ChartSeries,
  si: number,
  xOf: (i: number) => number,
  yAt: (v: number) => number,
  fill?: boolean,
  stack?: { ranges: Range[][]; at: number },
): Hit[] {
  const s = data.series[si]!;
  const color = PALETTE[si % PALETTE.length]!;
  const range = (i: number) => stack?.ranges[i]?.[stack.at];
  const y = (i: number) => yAt(range(i)?.to ?? s.values[i]!);
  const yBase = (i: number) => yAt(range(i)?.from ?? 0);
  const segs = runs(s.values);
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  for (const r of segs) {
    if (fill) {
      ctx.fillStyle = fade(color, 0.2);
      ctx.beginPath();
      r.forEach((i, k) => (k ? ctx.lineTo(xOf(i), y(i)) : ctx.moveTo(xOf(i), y(i))));
      [...r].reverse().forEach((i) => ctx.lineTo(xOf(i), yBase(i)));
      ctx.closePath();
      ctx.fill();
    }
    ctx.beginPath();
    r.forEach((i, k) => (k ? ctx.lineTo(xOf(i), y(i)) : ctx.moveTo(xOf(i), y(i))));
    ctx.stroke();
  }
  ctx.fillStyle = color;
  return segs.flat().map((i) => {
    ctx.beginPath();
    ctx.arc(xOf(i), y(i), 2.5, 0, Math.PI * 2);
    ctx.fill();
    return { index: i, category: data.categories[i] ?? '', series: s.name, value: s.values[i]!, shape: { kind: 'point' as const, x: xOf(i), y: y(i) }, color };
  });
}

/** The values an axis must show: each series' stacked top when stacked, else the values. */
export function axisValues(data: ChartSeries, ranges?: Range[][]): number[] {
  return nums(ranges ? ranges.flatMap((r) => r.map((x) => x?.to ?? null)) : data.series.flatMap((s) => s.values));
}

/**
 * One polyline with point markers per series (filled for an area chart), each on the one before it
 * when stacked; returns where each point was drawn.
 */
export function drawLine(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { lang: NumberLang; area?: boolean; stacked?: boolean; tick?: (v: number) => string }): Hit[] {
  const legend = drawLegend(ctx, box, data.series.map((s) => s.name));
  const ranges = opts.stacked ? stackRanges(data) : undefined;
  const values = axisValues(data, ranges);
  const plot = drawAxes(ctx, box, data.categories, Math.min(0, ...values), Math.max(0, ...values), legend, opts.lang, opts.tick);
  const n = Math.max(1, data.categories.length);
  const xOf = (i: number) => plot.left + (plot.width * (i + 0.5)) / n;
  return data.series.flatMap((_, si) => drawSeriesLine(ctx, data, si, xOf, (v) => yOf(plot, v), opts.area, ranges && { ranges, at: si }));
}
