import type { QueryResult, Widget, WidgetData } from '@shulan/shared';
import { categoryLabel, hierarchyOf, type DrillPath } from '@shulan/shared/interaction';
import { isCanvasKind, type ChartOptions } from './charts/index';
import { currentLang, t } from './i18n';
import { toKpiChange } from './kpiChange';
import { splitColumns, toCartesian, toKpi, toSeries, toTable, type CellFormats, type ChartSeries } from './widgetData';

/** Rows per table page on a phone when the widget sets none; a screenful or two. */
export const PHONE_PAGE_SIZE = 20;
/** The server's own cap for one data call. */
const SERVER_MAX_PAGE_SIZE = 1000;
/** A cell longer than this is cut: the phone shows one line of it anyway. */
const CELL_MAX_CHARS = 200;

/** Rows per page for a table widget: its own `pageSize`, at most what a phone should hold per page. */
export function pageSizeOf(w: Widget): number {
  return Math.min(w.options?.pageSize ?? PHONE_PAGE_SIZE, 100);
}

/**
 * Widgets in the order a phone shows them: the web canvas read row by row, top to bottom and
 * left to right within a row (by `y`, then `x`), stacked one per line.
 */
export function inLayoutOrder<W extends Pick<Widget, 'layout'>>(widgets: readonly W[]): W[] {
  return [...widgets].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
}

/** Kinds with a category axis: one point per distinct first-dimension value (pie, funnel, scatter: per row). */
export function isCartesian(kind: string): boolean {
  return kind === 'bar' || kind === 'line' || kind === 'area' || kind === 'combo';
}

/** Breadcrumbs of a drill-down path: 全部, then each category chosen, as people read it (none without a hierarchy). */
export function crumbsOf(w: Widget, path: DrillPath): string[] {
  const levels = hierarchyOf(w);
  return levels.length > 1 ? [t('drillAll'), ...path.map((v, i) => categoryLabel(v, levels[i]?.grain))] : [];
}

/** Text and title blocks: nothing to load, the card is its text. */
export function isTextWidget(w: Pick<Widget, 'kind'>): boolean {
  return w.kind === 'text';
}

/** A refresh reloads every page the user has already loaded, in one call. */
export function refreshPaging(pageSize: number, pages: number): { page: number; pageSize: number } {
  return { page: 1, pageSize: Math.min(SERVER_MAX_PAGE_SIZE, pageSize * Math.max(1, pages)) };
}

const cut = (s: string) => (s.length > CELL_MAX_CHARS ? `${s.slice(0, CELL_MAX_CHARS)}…` : s);

/** Table cells as display strings, long cells cut. */
export function tableOf(r: QueryResult, f: CellFormats = {}): ReturnType<typeof toTable> {
  const t = toTable(r, f);
  return { columns: t.columns, rows: t.rows.map((row) => row.map(cut)) };
}

/** The shown part of one widget card for a data result (what setData carries). */
export function resultView(w: Widget, r: WidgetData): Record<string, unknown> {
  const base = { loading: false, error: '', empty: r.rows.length === 0, total: r.total };
  const f: CellFormats = { formats: w.options?.formats, lang: currentLang() };
  if (w.kind === 'kpi') {
    const kpi = toKpi(r, w.options?.prefix, w.options?.suffix, f);
    // The card's title already names the figure; its column label only helps when it says more.
    // The trend as a one-series chart for the canvas renderer's sparkline (`options.sparkline`).
    const points = w.options?.sparkline ? (r.sparkline?.points ?? []) : [];
    const spark = points.length > 1 ? { categories: points.map((p) => p.date), series: [{ name: '', values: points.map((p) => p.value ?? 0) }] } : null;
    return { ...base, kpi: { ...kpi, label: kpi.label === w.title ? '' : kpi.label, change: toKpiChange(r.comparison, w.options?.compare), spark } };
  }
  // Map and pivot are drawn on the web only; the phone lists their numbers (with a note saying so).
  if (w.kind === 'table' || !isCanvasKind(w.kind)) return { ...base, table: tableOf(r, f) };
  const series = isCartesian(w.kind) ? toCartesian(r, w.query?.dimensions?.length, f) : toSeries(r, f);
  return { ...base, series, chartOpts: chartOptsOf(w, r, series) };
}

/**
 * The drawing options of a chart card (plain data for setData): combo lines named by their series
 * label as the renderer sees them, and the first measure's format for funnel and gauge labels.
 * A combo split by a second dimension (`series`: one per value, all of the one measure) follows
 * the web: every series is a line on the right axis when that measure is a line measure, else a bar.
 */
export function chartOptsOf(w: Widget, r: QueryResult, series?: ChartSeries): ChartOptions {
  const o = w.options ?? {};
  const label = (key: string) => r.columns.find((c) => c.key === key)?.label ?? key;
  const { dims, measures } = splitColumns(r, w.query?.dimensions?.length);
  const split = w.kind === 'combo' && series && dims.length > 1 && measures.length === 1;
  const secondary = split ? (o.secondaryMeasures?.includes(measures[0]!.key) ? series.series.map((s) => s.name) : []) : (o.secondaryMeasures?.map(label) ?? []);
  const firstMeasure = r.columns.find((c) => c.type === 'number' || c.type === 'integer');
  const format = firstMeasure ? o.formats?.[firstMeasure.key] : undefined;
  return {
    ...(o.horizontal ? { horizontal: true } : {}),
    ...(o.percent ? { percent: true } : {}),
    ...(secondary.length ? { secondary } : {}),
    ...(o.gaugeMax ? { gaugeMax: o.gaugeMax } : {}),
    ...(format ? { format } : {}),
  };
}

/**
 * The raw values of the widget's first dimension, row by row: what a drill sends back to the
 * server (the chart shows formatted labels). The key rule is the server's (`dimensionKey`).
 */
export function rawCategories(w: Widget, r: QueryResult, level?: { field: string; grain?: string | undefined }): (string | number | boolean | null)[] {
  // A drilled-down widget shows the level it is at (interaction.ts hierarchyOf), not its first dimension.
  const dim = level ?? w.query?.dimensions?.[0];
  if (!dim) return [];
  const key = dim.grain ? `${dim.field}__${dim.grain}` : dim.field;
  const raw = r.rows.map((row) => row[key] ?? null);
  // Bars and lines show each category once (toCartesian), so the n-th bar is the n-th distinct value.
  return isCartesian(w.kind) ? [...new Set(raw)] : raw;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The setData paths that turn `shown` into `next`, nothing for what is unchanged: arrays of the
 * same length and objects are compared element by element down to `depth` levels
 * (`widgets[3].table.rows[7]`), below that a changed value is sent whole.
 */
export function diffPaths(path: string, shown: unknown, next: unknown, depth = 3, out: Record<string, unknown> = {}): Record<string, unknown> {
  if (same(shown, next)) return out;
  if (depth > 0 && Array.isArray(shown) && Array.isArray(next) && shown.length === next.length) {
    next.forEach((v, i) => diffPaths(`${path}[${i}]`, shown[i], v, depth - 1, out));
  } else if (depth > 0 && isObject(shown) && isObject(next)) {
    for (const [k, v] of Object.entries(next)) diffPaths(`${path}.${k}`, shown[k], v, depth - 1, out);
  } else out[path] = next;
  return out;
}
