import type { Field, WidgetKind } from '@shulan/shared';
import type { ReportDefinition, Widget } from '../../api/types';

/** Ids for widgets and filters; crypto.randomUUID is missing on plain-http LAN addresses, hence the fallback. */
export function newId(prefix: string): string {
  const rand = typeof crypto !== 'undefined' && 'randomUUID' in crypto && window.isSecureContext
    ? crypto.randomUUID().replace(/-/g, '').slice(0, 12)
    : Math.random().toString(36).slice(2, 14);
  return `${prefix}_${rand}`;
}

export const DEFAULT_SIZE: Record<WidgetKind, { w: number; h: number }> = {
  kpi: { w: 3, h: 2 },
  bar: { w: 6, h: 4 },
  line: { w: 6, h: 4 },
  pie: { w: 6, h: 4 },
  table: { w: 12, h: 5 },
  area: { w: 6, h: 4 },
  combo: { w: 6, h: 4 },
  scatter: { w: 6, h: 4 },
  funnel: { w: 6, h: 4 },
  gauge: { w: 4, h: 3 },
  map: { w: 6, h: 5 },
  pivot: { w: 12, h: 5 },
};

export function newWidget(kind: WidgetKind, datasetId: string, fields: Field[]): Widget {
  return { id: newId('w'), kind, title: '', datasetId, query: defaultQuery(kind, fields), layout: { x: 0, y: 0, ...DEFAULT_SIZE[kind] } };
}

/**
 * A first query that already draws something once a dataset is picked: charts group by the first
 * text or date field and sum the first number (or count rows); tables list the first columns.
 */
export function defaultQuery(kind: WidgetKind, fields: Field[]): Widget['query'] {
  if (fields.length === 0) return { dimensions: [], measures: [], filters: [], sort: [], limit: 1000 };
  const numeric = fields.find((f) => f.type === 'number' || f.type === 'integer');
  const category = fields.find((f) => f.type === 'string') ?? fields.find((f) => f.type === 'date' || f.type === 'datetime');
  const measure = numeric ? { field: numeric.name, agg: 'sum' as const } : { agg: 'count' as const };
  if (kind === 'table') return { dimensions: [], measures: [], columns: fields.slice(0, 12).map((f) => f.name), filters: [], sort: [], limit: 1000 };
  if (kind === 'kpi' || kind === 'gauge') return { dimensions: [], measures: [measure], filters: [], sort: [], limit: 1 };
  const dimension = category ? { field: category.name, ...(category.type.startsWith('date') ? { grain: 'month' as const } : {}) } : null;
  const dimensions = dimension ? [dimension] : [];
  if (kind === 'pivot') {
    // Rows by the first text field, columns by the second (or the month), as a first cross-tab.
    const across = fields.find((f) => f.type === 'string' && f.name !== category?.name) ?? fields.find((f) => f.type.startsWith('date') && f.name !== category?.name);
    if (across) dimensions.push({ field: across.name, ...(across.type.startsWith('date') ? { grain: 'month' as const } : {}) });
  }
  const measures: Widget['query']['measures'] = [measure];
  if (kind === 'scatter') {
    // x and y: two numbers (the second defaults to a row count).
    const second = fields.find((f) => (f.type === 'number' || f.type === 'integer') && f.name !== numeric?.name);
    measures.push(second ? { field: second.name, agg: 'sum' } : { agg: 'count' });
  }
  return { dimensions, measures, filters: [], sort: [], limit: kind === 'pie' || kind === 'funnel' ? 20 : 1000 };
}

/** Flows widgets left to right in list order, wrapping rows on the 12-column grid, so reordering is just moving in the list. */
export function autoLayout(widgets: Widget[]): Widget[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((w) => {
    const width = Math.min(12, Math.max(1, w.layout.w));
    const height = Math.max(1, w.layout.h);
    if (x + width > 12) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed = { ...w, layout: { x, y, w: width, h: height } };
    x += width;
    rowHeight = Math.max(rowHeight, height);
    return placed;
  });
}

export function emptyDefinition(): ReportDefinition {
  return { widgets: [], filters: [] };
}
