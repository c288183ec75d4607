import { formatPercent } from '../format';
import type { ChartSeries } from '../widgetData';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { LABEL, PALETTE } from './palette';

/** Pie (or ring) of the first series, with a legend listing share per category; returns the slices. */
export function drawPie(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { donut?: boolean } = {}): Hit[] {
  const raw = data.series[0]?.values ?? [];
  const values = raw.map((v) => Math.max(0, v ?? 0));
  const total = values.reduce((a, b) => a + b, 0);
  const r = Math.min(box.height / 2 - 8, box.width / 4);
  const inner = opts.donut ? r * 0.55 : 0;
  const cx = r + 12;
  const cy = box.height / 2;
  let angle = -Math.PI / 2;
  const hits: Hit[] = [];
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
      hits.push({ index: i, category: data.categories[i] ?? '', series: data.series[0]?.name ?? '', value: raw[i] ?? 0, shape: { kind: 'slice', cx, cy, r, inner, start: angle, end }, color });
      angle = end;
    }
    const ly = 12 + i * 18;
    if (ly < box.height - 6) {
      ctx.fillStyle = color;
      ctx.fillRect(cx + r + 20, ly - 5, 10, 10);
      ctx.fillStyle = LABEL;
      const pct = total > 0 ? formatPercent(v / total) : '0%';
      ctx.fillText(`${data.categories[i] ?? ''} ${pct}`, cx + r + 36, ly);
    }
  });
  if (opts.donut) {
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.arc(cx, cy, inner, 0, Math.PI * 2);
    ctx.fill();
  }
  return hits;
}
