import type { ChartSeries } from '../widgetData';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { PALETTE } from './palette';

/** Funnel: stages widest first, each as wide as its share of the largest, named inside. */
export function drawFunnel(ctx: Ctx2d, box: Box, data: ChartSeries, opts: { label: (v: number) => string }): Hit[] {
  const values = (data.series[0]?.values ?? []).map((v) => v ?? 0);
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const max = Math.max(1e-9, ...values.map((v) => Math.abs(v)));
  const n = Math.max(1, order.length);
  const rowH = (box.height - 8) / n;
  const mid = box.width / 2;
  const full = box.width - 24;
  const hits: Hit[] = [];
  ctx.font = '11px sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  order.forEach(({ v, i }, k) => {
    const top = 4 + rowH * k;
    const w = Math.max(4, (Math.max(0, v) / max) * full);
    const next = order[k + 1];
    const wNext = next ? Math.max(4, (Math.max(0, next.v) / max) * full) : w * 0.6;
    const color = PALETTE[k % PALETTE.length]!;
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.moveTo(mid - w / 2, top);
    ctx.lineTo(mid + w / 2, top);
    ctx.lineTo(mid + wNext / 2, top + rowH - 2);
    ctx.lineTo(mid - wNext / 2, top + rowH - 2);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = '#1f2329';
    ctx.fillText(`${data.categories[i] ?? ''} ${opts.label(v)}`, mid, top + rowH / 2);
    hits.push({ index: i, category: data.categories[i] ?? '', series: data.series[0]?.name ?? '', value: v, shape: { kind: 'rect', x: mid - w / 2, y: top, w, h: rowH - 2 }, color });
  });
  return hits;
}
