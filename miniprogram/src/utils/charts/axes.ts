import { formatCompact, type NumberLang } from '../format';
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

/** A "nice" step (1, 2, 5 × 10^n) at least `v`, so ticks are round numbers. */
export function niceStep(v: number): number {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  const f = v / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

const TICKS = 4;

/**
 * The value range of the axis: always includes zero (bars grow from it) and both the lowest and
 * the highest value, rounded out to whole steps so zero is one of the grid lines.
 */
export function scale(lo: number, hi: number): { min: number; max: number; step: number } {
  const min0 = Math.min(0, lo);
  const max0 = Math.max(0, hi);
  if (min0 === max0) return { min: 0, max: 1, step: 0.25 };
  let step = niceStep((max0 - min0) / TICKS);
  // Rounding both ends out can need one more step than planned; widen the step until it fits.
  while (Math.ceil(max0 / step) - Math.floor(min0 / step) > TICKS + 1) step = niceStep(step * 1.01);
  return { min: Math.floor(min0 / step) * step, max: Math.ceil(max0 / step) * step, step };
}

/** Draws the value grid and category labels for values within [lo, hi]; returns the plot area. */
export function drawAxes(
  ctx: Ctx2d,
  box: Box,
  categories: string[],
  lo: number,
  hi: number,
  legendHeight: number,
  lang: NumberLang,
  /** Tick text; default 万 / 亿 (K / M) short numbers. */
  tick: (v: number) => string = (v) => formatCompact(v, lang),
  /** Room kept on the right, for a second axis. */
  right = 8,
): Plot {
  const { min, max, step } = scale(lo, hi);
  const plot: Plot = { left: 44, top: 8 + legendHeight, width: box.width - 44 - right, height: box.height - 32 - legendHeight, max, min };
  ctx.font = '10px sans-serif';
  ctx.fillStyle = LABEL;
  ctx.lineWidth = 0.5;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const n = Math.round((max - min) / step);
  for (let i = 0; i <= n; i++) {
    const v = min + step * i;
    const y = yOf(plot, v);
    // The zero line is darker: with negative values it is where bars start.
    ctx.strokeStyle = Math.abs(v) < step / 1e6 && min < 0 ? LABEL : AXIS;
    ctx.beginPath();
    ctx.moveTo(plot.left, y);
    ctx.lineTo(plot.left + plot.width, y);
    ctx.stroke();
    ctx.fillText(tick(Math.abs(v) < step / 1e6 ? 0 : v), plot.left - 4, y);
  }
  // Category labels: skip some when they would overlap.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const count = categories.length;
  const every = Math.max(1, Math.ceil((count * 40) / Math.max(plot.width, 1)));
  categories.forEach((c, i) => {
    if (i % every !== 0) return;
    const x = plot.left + (plot.width * (i + 0.5)) / count;
    ctx.fillText(c.length > 6 ? `${c.slice(0, 6)}…` : c, x, plot.top + plot.height + 4);
  });
  return plot;
}

/** The values that are there: a null is a category without a value (a gap, as on the web). */
export const nums = (values: (number | null)[]): number[] => values.filter((v): v is number => v !== null);

export function yOf(plot: Plot, v: number): number {
  return plot.top + plot.height - ((v - plot.min) / (plot.max - plot.min)) * plot.height;
}
