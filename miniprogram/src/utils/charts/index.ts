import { formatValue, type FieldFormat } from '@shulan/shared/format';
import { formatNumber, formatPercent, type NumberLang } from '../format';
import type { ChartSeries } from '../widgetData';
import { drawBar } from './bar';
import { drawCombo } from './combo';
import type { Box, Ctx2d } from './ctx';
import { drawFunnel } from './funnel';
import { drawGauge } from './gauge';
import { drawHBar } from './hbar';
import type { Hit } from './hit';
import { drawLine } from './line';
import { drawPie } from './pie';
import { drawScatter } from './scatter';
import { drawSparkline } from './sparkline';

export { hitTest, type ChartPick, type Hit } from './hit';
export { drawTooltip } from './tooltip';

/** Kinds this renderer draws; map and pivot are web-only and shown as a table on the phone. */
export const CANVAS_KINDS = ['bar', 'line', 'pie', 'area', 'combo', 'scatter', 'funnel', 'gauge'] as const;
/** Plus the KPI card's trend line. */
export type ChartKind = (typeof CANVAS_KINDS)[number] | 'sparkline';

export function isCanvasKind(kind: string): kind is (typeof CANVAS_KINDS)[number] {
  return (CANVAS_KINDS as readonly string[]).includes(kind);
}

export interface ChartOptions {
  stacked?: boolean;
  donut?: boolean;
  /** Bar: categories down the side. */
  horizontal?: boolean;
  /** Bar / line / area: each category as shares of its total (a 100% stack). */
  percent?: boolean;
  /** Combo: names of the series drawn as lines on the right axis. */
  secondary?: string[];
  /** Gauge: full scale. */
  gaugeMax?: number;
  /** The first measure's format (funnel and gauge labels). */
  format?: FieldFormat;
  /** Axis label units: 万/亿 in Chinese, K/M/B in English. */
  lang?: NumberLang;
}

/** Each category's values as shares of the category's total (absolute values); a missing value stays missing. */
export function toShares(data: ChartSeries): ChartSeries {
  const totals = data.categories.map((_, i) => data.series.reduce((s, x) => s + Math.abs(x.values[i] ?? 0), 0));
  return { categories: data.categories, series: data.series.map((s) => ({ name: s.name, values: s.values.map((v, i) => (v === null || !totals[i] ? null : v / totals[i]!)) })) };
}

/** How a tapped value reads: a share for 100% stacks, else the first measure's format. */
export function valueText(opts: ChartOptions): (v: number) => string {
  if (opts.percent) return (v) => formatPercent(v);
  const f = opts.format;
  return f ? (v) => formatValue(v, f, opts.lang ?? 'zh') : (v) => formatNumber(v);
}

/**
 * Clears the canvas and draws one chart; a small own renderer instead of a 500 KB library.
 * Returns where each bar, point or slice was drawn, for tap hit-testing.
 */
export function drawChart(ctx: Ctx2d, box: Box, kind: ChartKind, data: ChartSeries, opts: ChartOptions = {}): Hit[] {
  ctx.clearRect(0, 0, box.width, box.height);
  const lang = opts.lang ?? 'zh';
  const label = valueText({ ...opts, percent: false });
  const percentTick = (v: number) => formatPercent(v, 0);
  const shown = opts.percent ? toShares(data) : data;
  const tick = opts.percent ? percentTick : undefined;
  // Stacked, or a 100% stack, as the web draws them (ECharts `stack`).
  const stacked = opts.stacked || opts.percent;
  if (kind === 'bar') {
    if (opts.horizontal) return drawHBar(ctx, box, shown, { stacked, lang, tick });
    return drawBar(ctx, box, shown, { stacked, lang, tick });
  }
  if (kind === 'line' || kind === 'area') return drawLine(ctx, box, shown, { lang, area: kind === 'area', stacked, tick });
  // The web has no 100% combo; stacking is per axis (bars on the left, lines on the right).
  if (kind === 'combo') return drawCombo(ctx, box, data, { secondary: opts.secondary ?? [], stacked: opts.stacked, lang });
  if (kind === 'scatter') return drawScatter(ctx, box, data, { lang });
  if (kind === 'funnel') return drawFunnel(ctx, box, data, { label });
  if (kind === 'gauge') return drawGauge(ctx, box, data, { max: opts.gaugeMax, label });
  if (kind === 'sparkline') return drawSparkline(ctx, box, data);
  return drawPie(ctx, box, data, opts);
}
