import type { ChartSeries } from '../widgetData';
import { drawBar } from './bar';
import type { Box, Ctx2d } from './ctx';
import { drawLine } from './line';
import { drawPie } from './pie';

export type ChartKind = 'bar' | 'line' | 'pie';
export interface ChartOptions {
  stacked?: boolean;
  donut?: boolean;
}

/** Clears the canvas and draws one chart; a small own renderer instead of a 500 KB library. */
export function drawChart(ctx: Ctx2d, box: Box, kind: ChartKind, data: ChartSeries, opts: ChartOptions = {}): void {
  ctx.clearRect(0, 0, box.width, box.height);
  if (kind === 'bar') drawBar(ctx, box, data, opts);
  else if (kind === 'line') drawLine(ctx, box, data);
  else drawPie(ctx, box, data, opts);
}
