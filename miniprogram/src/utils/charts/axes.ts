import type { ChartSeries } from '../widgetData';
import type { Box, Ctx2d } from './ctx';
import { AXIS, LABEL } from './palette';

export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
  max: number;
  min: number;
}

/** A "nice" axis maximum (1, 2, 5 × 10^n) so ticks are round numbers. */
export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  const f = v / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function short(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e8) return `${+(v / 1e8).toFixed(1)}亿`;
  if (a >= 1e4) return `${+(v / 1e4).toFixed(1)}万`;
  return String(+v.toFixed(2));
}

/** Draws the value grid and category labels; returns the plot area. */
export function drawAxes(ctx: Ctx2d, box: Box, data: ChartSeries, legendHeight: number): Plot {
  const values = data.series.flatMap((s) => s.values);
  const max = niceMax(Math.max(0, ...values));
  const min = Math.min(0, ...values) < 0 ? -niceMax(-Math.min(...values)) : 0;
  const plot: Plot = { left: 44, top: 8 + legendHeight, width: box.width - 52, height: box.height - 32 - legendHeight, max, min };
  ctx.font = '10px sans-serif';
  ctx.fillStyle = LABEL;
  ctx.strokeStyle = AXIS;
  ctx.lineWidth = 0.5;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const v = min + ((max - min) * i) / ticks;
    const y = plot.top + plot.height - (plot.height * i) / ticks;
    ctx.beginPath();
    ctx.moveTo(plot.left, y);
    ctx.lineTo(plot.left + plot.width, y);
    ctx.stroke();
    ctx.fillText(short(v), plot.left - 4, y);
  }
  // Category labels: skip some when they would overlap.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const n = data.categories.length;
  const step = Math.max(1, Math.ceil((n * 40) / Math.max(plot.width, 1)));
  data.categories.forEach((c, i) => {
    if (i % step !== 0) return;
    const x = plot.left + (plot.width * (i + 0.5)) / n;
    ctx.fillText(c.length > 6 ? `${c.slice(0, 6)}…` : c, x, plot.top + plot.height + 4);
  });
  return plot;
}

export function yOf(plot: Plot, v: number): number {
  return plot.top + plot.height - ((v - plot.min) / (plot.max - plot.min)) * plot.height;
}
