import type { Box, Ctx2d } from './ctx';
import { LABEL, PALETTE } from './palette';

/** One row of coloured squares with names at the top; returns the height used (0 for one series). */
export function drawLegend(ctx: Ctx2d, box: Box, names: string[]): number {
  if (names.length < 2) return 0;
  ctx.font = '10px sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  let x = 8;
  names.forEach((name, i) => {
    if (x > box.width - 40) return;
    ctx.fillStyle = PALETTE[i % PALETTE.length]!;
    ctx.fillRect(x, 4, 8, 8);
    ctx.fillStyle = LABEL;
    ctx.fillText(name, x + 12, 8);
    x += 20 + name.length * 10;
  });
  return 16;
}
