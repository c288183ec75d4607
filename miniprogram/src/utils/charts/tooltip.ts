import { formatNumber } from '../format';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';

const PAD = 6;
const LINE = 14;

/** Where the tooltip points: top centre of a bar, the point itself, the middle of a slice's rim. */
function anchor(h: Hit): { x: number; y: number } {
  const s = h.shape;
  if (s.kind === 'rect') return { x: s.x + s.w / 2, y: s.y };
  if (s.kind === 'point') return { x: s.x, y: s.y };
  const mid = (s.start + s.end) / 2;
  const rr = (s.r + s.inner) / 2;
  return { x: s.cx + Math.cos(mid) * rr, y: s.cy + Math.sin(mid) * rr };
}

/** Outlines the tapped element and draws a box with its category, series and full value. */
export function drawTooltip(ctx: Ctx2d, box: Box, h: Hit, format: (v: number) => string = formatNumber): void {
  const s = h.shape;
  ctx.strokeStyle = '#1f2329';
  ctx.lineWidth = 1.5;
  if (s.kind === 'rect') {
    ctx.beginPath();
    ctx.moveTo(s.x, s.y);
    ctx.lineTo(s.x + s.w, s.y);
    ctx.lineTo(s.x + s.w, s.y + s.h);
    ctx.lineTo(s.x, s.y + s.h);
    ctx.closePath();
    ctx.stroke();
  } else if (s.kind === 'point') {
    ctx.beginPath();
    ctx.arc(s.x, s.y, 5, 0, Math.PI * 2);
    ctx.stroke();
  }
  const lines = [h.category, `${h.series ? `${h.series}: ` : ''}${format(h.value)}`];
  ctx.font = '11px sans-serif';
  // Width estimated from the text (CJK glyphs are about twice as wide as digits); measureText is
  // not on every runtime's 2d context.
  const textW = Math.max(...lines.map((l) => l.split('').reduce((w, c) => w + (c.charCodeAt(0) > 255 ? 11 : 6.5), 0)));
  const w = textW + PAD * 2;
  const hgt = LINE * lines.length + PAD * 2 - 4;
  const a = anchor(h);
  const x = Math.min(Math.max(2, a.x - w / 2), box.width - w - 2);
  const y = a.y - hgt - 8 >= 2 ? a.y - hgt - 8 : Math.min(a.y + 8, box.height - hgt - 2);
  ctx.fillStyle = 'rgba(31, 35, 41, 0.88)';
  ctx.fillRect(x, y, w, hgt);
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  lines.forEach((l, i) => ctx.fillText(l, x + PAD, y + PAD + i * LINE));
}
