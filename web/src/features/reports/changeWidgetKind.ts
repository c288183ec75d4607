import { dimensionKey, isStaticWidgetKind, measureKey, type Field, type WidgetKind, type WidgetOptions } from '@shulan/shared';
import type { Widget } from '../../api/types';
import { resultColumns } from './components/resultColumns';
import { defaultQuery, isNumericField, maxDimensions, sizeOf, type Dimension, type Measure, type Query } from './reportDraft';

const CHART_KINDS: readonly WidgetKind[] = ['bar', 'line', 'area', 'combo', 'pie', 'scatter', 'funnel', 'map', 'pivot'];

/**
 * The kinds each display option means something on (what WidgetOptionsEditor, ChartOptionsPanel
 * and the chart builders read). An option absent here is kept on every data kind.
 */
const OPTION_KINDS: Partial<Record<keyof WidgetOptions, readonly WidgetKind[]>> = {
  stacked: ['bar', 'line', 'area', 'combo'],
  showLabels: ['bar', 'line', 'area', 'combo', 'pie', 'scatter', 'map'],
  donut: ['pie'],
  smooth: ['line', 'area', 'combo'],
  horizontal: ['bar'],
  percent: ['bar', 'line', 'area'],
  prefix: ['kpi'],
  suffix: ['kpi'],
  compare: ['kpi'],
  sparkline: ['kpi'],
  pageSize: ['table'],
  secondaryMeasures: ['combo'],
  gaugeMax: ['gauge'],
  pivotColumns: ['pivot'],
  subtotals: ['pivot'],
  text: ['text'],
  textStyle: ['text'],
  // Drill levels hang below the first dimension of a chart (tables and KPI cards do not drill).
  drillFields: CHART_KINDS,
  linkage: ['table', ...CHART_KINDS],
};

/** Rows a new query of the kind asks for: one figure for KPI/gauge, top 20 for pie/funnel. */
const defaultLimit = (kind: WidgetKind) => (kind === 'kpi' || kind === 'gauge' ? 1 : kind === 'pie' || kind === 'funnel' ? 20 : 1000);

/** KPI cards and gauges draw one figure: no dimension. */
const dimensionsOf = (kind: WidgetKind) => (kind === 'gauge' ? 0 : maxDimensions(kind));

/**
 * A widget turned into another kind, keeping what the new kind can still use: the dataset and
 * query (filters, dimensions, measures and their labels, sort, a limit the user set), the title,
 * per-column formats and the display options the new kind has. Only what it cannot draw goes —
 * a KPI keeps one measure, a gauge drops its dimensions, a detail table's columns become
 * dimensions and sums. A size the user chose stays; a default size becomes the new kind's.
 * A text widget has neither dataset nor query, so turning into or out of one starts afresh.
 */
export function changeWidgetKind(w: Widget, kind: WidgetKind, fields: Field[], fallbackDatasetId: string): Widget {
  if (kind === w.kind) return w;
  const layout = resize(w, kind);
  const { options: _o, datasetId, query: _q, ...rest } = w;
  if (isStaticWidgetKind(kind)) return { ...rest, kind, layout, options: { text: '', textStyle: 'title' } };
  if (isStaticWidgetKind(w.kind) || !w.query) return { ...rest, kind, layout, datasetId: datasetId ?? fallbackDatasetId, query: defaultQuery(kind, fields) };

  const { query, renamed } = adaptQuery(w.kind, w.query, kind, fields);
  const options = adaptOptions(w.options, kind, query, renamed);
  return { ...rest, kind, layout, datasetId: datasetId ?? fallbackDatasetId, query, ...(options ? { options } : {}) };
}

/** Keeps a size the user chose; a widget still at its kind's default size takes the new kind's. */
function resize(w: Widget, kind: WidgetKind): Widget['layout'] {
  const was = sizeOf(w.kind);
  if (w.layout.w !== was.w || w.layout.h !== was.h) return w.layout;
  const size = sizeOf(kind);
  return { ...w.layout, ...size, x: Math.min(w.layout.x, 12 - size.w) };
}

/**
 * The query reshaped for the new kind. `renamed` maps old result-column keys to new ones (a
 * detail column `销售额` becomes `sum__销售额`) so formats and sort follow the column.
 */
function adaptQuery(from: WidgetKind, q: Query, kind: WidgetKind, fields: Field[]): { query: Query; renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  let dimensions: Dimension[] = q.dimensions ?? [];
  let measures: Measure[] = q.measures ?? [];
  const { columns, ...restQuery } = q;
  const detail = columns !== undefined;
  // A detail table stays one; any other kind aggregates, so its columns become dimensions and sums.
  if (detail && kind === 'table') return { query: q, renamed };
  if (detail) {
    dimensions = [];
    measures = [];
    for (const name of columns) {
      const f = fields.find((x) => x.name === name);
      if (!f) continue;
      if (isNumericField(f) || f.aggregate) {
        const m: Measure = { field: f.name, agg: f.aggregate ? 'calc' : 'sum' };
        measures.push(m);
        renamed.set(f.name, measureKey(m));
      } else {
        // Date columns stay day-level values, as the detail table showed them.
        dimensions.push({ field: f.name });
      }
    }
  }
  const fresh = defaultQuery(kind, fields);
  dimensions = dimensions.slice(0, dimensionsOf(kind));
  // A chart needs a category to draw along; a KPI card turned into a chart takes the default one.
  if (dimensions.length === 0 && CHART_KINDS.includes(kind)) dimensions = fresh.dimensions ?? [];
  if (kind === 'kpi' || kind === 'gauge') measures = measures.slice(0, 1);
  if (measures.length === 0) measures = (fresh.measures ?? []).slice(0, 1);
  if (kind === 'scatter' && measures.length < 2) {
    const extra = (fresh.measures ?? []).find((m) => !measures.some((x) => measureKey(x) === measureKey(m))) ?? { agg: 'count' as const };
    if (!measures.some((x) => measureKey(x) === measureKey(extra))) measures = [...measures, extra];
  }
  const keys = new Set([...dimensions.map(dimensionKey), ...measures.map(measureKey)]);
  const sort = (q.sort ?? []).map((s) => ({ ...s, key: renamed.get(s.key) ?? s.key })).filter((s) => keys.has(s.key));
  // A limit the user set stays; the old kind's default becomes the new kind's default.
  const limit = kind === 'kpi' || kind === 'gauge' || q.limit === undefined || q.limit === defaultLimit(from) ? defaultLimit(kind) : q.limit;
  return { query: { ...restQuery, dimensions, measures, filters: q.filters ?? [], sort, limit }, renamed };
}

/** The options the new kind reads; formats and combo axes only for columns the query still returns. */
function adaptOptions(options: WidgetOptions | undefined, kind: WidgetKind, query: Query, renamed: Map<string, string>): WidgetOptions | undefined {
  if (!options) return undefined;
  const keys = new Set(resultColumns(query, String).map((c) => c.key));
  const next: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options) as [keyof WidgetOptions, unknown][]) {
    const kinds = OPTION_KINDS[k];
    if (kinds && !kinds.includes(kind)) continue;
    next[k] = v;
  }
  if (options.formats) {
    const formats = Object.fromEntries(
      Object.entries(options.formats)
        .map(([key, f]) => [renamed.get(key) ?? key, f] as const)
        .filter(([key]) => keys.has(key)),
    );
    if (Object.keys(formats).length) next.formats = formats;
    else delete next.formats;
  }
  if (next.secondaryMeasures) {
    const kept = (next.secondaryMeasures as string[]).filter((key) => keys.has(key));
    if (kept.length) next.secondaryMeasures = kept;
    else delete next.secondaryMeasures;
  }
  // Drill levels hang below the first dimension: none without one.
  if (!query.dimensions?.length) delete next.drillFields;
  return Object.keys(next).length ? (next as WidgetOptions) : undefined;
}
