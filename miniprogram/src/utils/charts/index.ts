import type { NumberLang } from '../format';
import type { ChartSeries } from '../widgetData';
import { drawBar } from './bar';
import type { Box, Ctx2d } from './ctx';
import type { Hit } from './hit';
import { drawLine } from './line';
import { drawPie } from './pie';

export { hitTest, type ChartPick, type Hit } from './hit';
export { drawTooltip } from './tooltip';

export type ChartKind = 'bar' | 'line' | 'pie';
export interface ChartOptions {
  stacked?: boolean;
  donut?: boolean;
  /** Axis label units: 万/亿 in Chinese, K/M/B in English. */
  lang?: NumberLang;
}

/**
 * Clears the canvas and draws one chart; a small own renderer instead of a 500 KB library.
 * Returns where each bar, point or slice was drawn, for tap hit-testing.
 */
export function drawChart(ctx: Ctx2d, box: Box, kind: ChartKind, data: ChartSeries, opts: ChartOptions = {}): Hit[] {
  ctx.clearRect(0, 0, box.width, box.height);
  const lang = opts.lang ?? 'zh';
  if (kind === 'bar') return drawBar(ctx, box, data, { stacked: opts.stacked, lang });
  if (kind === 'line') return drawLine(ctx, box, data, { lang });
  return drawPie(ctx, box, data, opts);
}
