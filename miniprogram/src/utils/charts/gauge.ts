import type { ChartSeries } from '../widgetData';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { AXIS, LABEL, PALETTE } from './palette';

/** 1, 2, 2.5, 5 × 10ⁿ above the value, as the web's gauge picks its scale when none is set. */
export function gaugeScale(value: number, max?: number): number {
  if (max && max > 0) return max;
  const v = Math.abs(value) * 1.1;
  if (!(v > 0)) return 100;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  const f = v / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

const START = Math.PI * 0.75;
const SWEEP = Math.PI * 1.5;

/** Gauge: a three-quarter dial from 0 to the scale, the value's arc coloured, the value written in the middle. */
export function drawGauge(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { max?: number; label: (v: number) => string }): Hit[] {
  const value = data.series[0]?.values[0] ?? 0;
  const max = gaugeScale(value, opts.max);
  const r = Math.max(10, Math.min(box.width / 2, box.height / 1.7) - 12);
  const cx = box.width / 2;
  const cy = box.height / 2 + r * 0.15;
  const share = Math.min(1, Math.max(0, value / max));
  ctx.lineWidth = 12;
  ctx.strokeStyle = AXIS;
  ctx.beginPath();
  ctx.arc(cx, cy, r, START, START + SWEEP);
  ctx.stroke();
  ctx.strokeStyle = PALETTE[0]!;
  ctx.beginPath();
  ctx.arc(cx, cy, r, START, START + SWEEP * share);
  ctx.stroke();
  ctx.fillStyle = '#1f2329';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = '20px sans-serif';
  ctx.fillText(opts.label(value), cx, cy);
  ctx.font = '10px sans-serif';
  ctx.fillStyle = LABEL;
  ctx.fillText(opts.label(0), cx + Math.cos(START) * r, cy + Math.sin(START) * r + 14);
  ctx.fillText(opts.label(max), cx + Math.cos(START + SWEEP) * r, cy + Math.sin(START + SWEEP) * r + 14);
  if (data.series[0]?.name) ctx.fillText(data.series[0].name, cx, cy + 22);
  return [
    { index: 0, category: data.categories[0] ?? '', series: data.series[0]?.name ?? '', value, shape: { kind: 'slice', cx, cy, r: r + 6, inner: r - 6, start: START, end: START + SWEEP * share }, color: PALETTE[0]! },
  ];
}
