import type { ChartSeries } from '../widgetData';
import type { Box, Ctx2d } from './ctx';
import { LABEL, PALETTE } from './palette';

/** Pie (or ring) of the first series, with a legend listing share per category. */
export function drawPie(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { donut?: boolean } = {}): void {
  const values = (data.series[0]?.values ?? []).map((v) => Math.max(0, v));
  const total = values.reduce((a, b) => a + b, 0);
  const r = Math.min(box.height / 2 - 8, box.width / 4);
  const cx = r + 12;
  const cy = box.height / 2;
  let angle = -Math.PI / 2;
  ctx.font = '11px sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  values.forEach((v, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    if (total > 0 && v > 0) {
      const end = angle + (v / total) * Math.PI * 2;
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.moveTo(cx, cy);
      ctx.arc(cx, cy, r, angle, end);
      ctx.closePath();
      ctx.fill();
      angle = end;
    }
    const ly = 12 + i * 18;
    if (ly < box.height - 6) {
      ctx.fillStyle = color;
      ctx.fillRect(cx + r + 20, ly - 5, 10, 10);
      ctx.fillStyle = LABEL;
      const pct = total > 0 ? `${((v / total) * 100).toFixed(1)}%` : '0%';
      ctx.fillText(`${data.categories[i] ?? ''} ${pct}`, cx + r + 36, ly);
    }
  });
  if (opts.donut) {
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.arc(cx, cy, r * 0.55, 0, Math.PI * 2);
    ctx.fill();
  }
}
