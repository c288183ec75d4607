import type { ChartSeries } from '../widgetData';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { PALETTE, fade } from './palette';

/** A KPI's trend: one line edge to edge, no axes, the last point marked. */
export function drawSparkline(ctx: Ctx2d, box: Box, data: ChartSeries): Hit[] {
  const values = (data.series[0]?.values ?? []).map((v) => v ?? 0);
  if (values.length < 2) return [];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const xOf = (i: number) => 2 + (i / (values.length - 1)) * (box.width - 4);
  const yOf = (v: number) => (hi === lo ? box.height / 2 : box.height - 3 - ((v - lo) / (hi - lo)) * (box.height - 6));
  const color = PALETTE[0]!;
  ctx.fillStyle = fade(color, 0.1);
  ctx.beginPath();
  ctx.moveTo(xOf(0), box.height);
  values.forEach((v, i) => ctx.lineTo(xOf(i), yOf(v)));
  ctx.lineTo(xOf(values.length - 1), box.height);
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  values.forEach((v, i) => (i === 0 ? ctx.moveTo(xOf(i), yOf(v)) : ctx.lineTo(xOf(i), yOf(v))));
  ctx.stroke();
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(xOf(values.length - 1), yOf(values[values.length - 1]!), 2.5, 0, Math.PI * 2);
  ctx.fill();
  return [];
}
