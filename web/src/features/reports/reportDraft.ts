import { isStaticWidgetKind, type Field, type WidgetKind } from '@shulan/shared';
import type { ReportDefinition, Widget } from '../../api/types';

/** Ids for widgets and filters; crypto.randomUUID is missing on plain-http LAN addresses, hence the fallback. */
export function newId(prefix: string): string {
  const rand = typeof crypto !== 'undefined' && 'randomUUID' in crypto && globalThis.isSecureContext
    ? crypto.randomUUID().replace(/-/g, '').slice(0, 12)
    : Math.random().toString(36).slice(2, 14);
  return `${prefix}_${rand}`;
}

/** Size a new widget of each kind takes on the 12-column canvas (rows are 80 px). */
export const DEFAULT_SIZE: Partial<Record<WidgetKind, { w: number; h: number }>> = {
  kpi: { w: 4, h: 2 },
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
  text: { w: 12, h: 1 },
};
/** Fallback for kinds added later without a size here. */
const SIZE_FALLBACK = { w: 6, h: 4 };
export const sizeOf = (kind: WidgetKind) => DEFAULT_SIZE[kind] ?? SIZE_FALLBACK;

export type Query = NonNullable<Widget['query']>;
export type Dimension = NonNullable<Query['dimensions']>[number];
export type Measure = NonNullable<Query['measures']>[number];

export function newWidget(kind: WidgetKind, datasetId: string, fields: Field[]): Widget {
  const layout = { x: 0, y: 0, ...sizeOf(kind) };
  if (isStaticWidgetKind(kind)) return { id: newId('w'), kind, title: '', layout, options: { text: '', textStyle: 'title' } };
  return { id: newId('w'), kind, title: '', datasetId, query: defaultQuery(kind, fields), layout };
}

/**
 * A first query that already draws something once a dataset is picked: charts group by the first
 * text or date field and sum the first number (or count rows); tables list the first columns.
 */
export function defaultQuery(kind: WidgetKind, fields: Field[]): Query {
  if (fields.length === 0) return { dimensions: [], measures: [], filters: [], sort: [], limit: 1000 };
  const numeric = fields.find(isNumericField);
  const category = fields.find((f) => f.type === 'string') ?? fields.find(isDateField);
  const measure = numeric ? { field: numeric.name, agg: 'sum' as const } : { agg: 'count' as const };
  if (kind === 'table') return { dimensions: [], measures: [], columns: fields.slice(0, 12).map((f) => f.name), filters: [], sort: [], limit: 1000 };
  if (kind === 'kpi' || kind === 'gauge') return { dimensions: [], measures: [measure], filters: [], sort: [], limit: 1 };
  const dimension = category ? { field: category.name, ...(isDateField(category) ? { grain: 'month' as const } : {}) } : null;
  const dimensions = dimension ? [dimension] : [];
  if (kind === 'pivot') {
    // Rows by the first text field, columns by the second (or the month), as a first cross-tab.
    const across = fields.find((f) => f.type === 'string' && f.name !== category?.name) ?? fields.find((f) => f.type.startsWith('date') && f.name !== category?.name);
    if (across) dimensions.push({ field: across.name, ...(across.type.startsWith('date') ? { grain: 'month' as const } : {}) });
  }
  const measures: Query['measures'] = [measure];
  if (kind === 'scatter') {
    // x and y: two numbers (the second defaults to a row count).
    const second = fields.find((f) => (f.type === 'number' || f.type === 'integer') && f.name !== numeric?.name);
    measures.push(second ? { field: second.name, agg: 'sum' } : { agg: 'count' });
  }
  return { dimensions, measures, filters: [], sort: [], limit: kind === 'pie' || kind === 'funnel' ? 20 : 1000 };
}

export const isNumericField = (f: Field) => f.type === 'number' || f.type === 'integer';
export const isDateField = (f: Field) => f.type === 'date' || f.type === 'datetime';

// ---- Fields dropped on the slots of the side panel ----------------------------------------

export type Slot = 'dimension' | 'measure' | 'filter' | 'column';

/** Most dimensions a chart draws (series × category); tables may group by more. */
export const maxDimensions = (kind: WidgetKind) => (kind === 'table' ? 5 : kind === 'kpi' ? 0 : 2);

/**
 * The query after a field lands on a slot (drag or click): dimensions get a month grain for dates,
 * measures sum numbers and count anything else, filters start as "is not empty", columns append.
 * A field already in the slot is not added twice; a KPI keeps its single measure.
 */
export function dropField(kind: WidgetKind, query: Query, field: Field, slot: Slot): Query {
  const dims = query.dimensions ?? [];
  const measures = query.measures ?? [];
  // An aggregate calculated field (SUM(…)/SUM(…)) brings its own aggregation: a measure only, agg 'calc'.
  if (field.aggregate && slot !== 'measure') return query;
  if (slot === 'dimension') {
    if (dims.some((d) => d.field === field.name) || dims.length >= maxDimensions(kind)) return query;
    const dim: Dimension = { field: field.name, ...(isDateField(field) ? { grain: 'month' } : {}) };
    return { ...query, dimensions: [...dims, dim] };
  }
  if (slot === 'measure') {
    const measure: Measure = { field: field.name, agg: field.aggregate ? 'calc' : isNumericField(field) ? 'sum' : 'count' };
    if (kind === 'kpi') return { ...query, measures: [measure] };
    if (measures.some((m) => m.field === field.name && m.agg === measure.agg) || measures.length >= 10) return query;
    return { ...query, measures: [...measures, measure] };
  }
  if (slot === 'column') {
    const columns = query.columns ?? [];
    return columns.includes(field.name) ? query : { ...query, columns: [...columns, field.name] };
  }
  return { ...query, filters: [...(query.filters ?? []), { field: field.name, op: 'not_null' }] };
}

// ---- The canvas -----------------------------------------------------------------------------

/** The first free row below everything: where a new widget goes. */
export function bottomOf(widgets: readonly Widget[]): number {
  return widgets.reduce((y, w) => Math.max(y, w.layout.y + w.layout.h), 0);
}

/**
 * Adds a widget below the others; a title goes on top (where report titles sit), the rest moving
 * down by its height.
 */
export function addWidget(widgets: readonly Widget[], w: Widget): Widget[] {
  if (w.kind === 'text' && w.options?.textStyle === 'title') {
    const h = w.layout.h;
    return [{ ...w, layout: { ...w.layout, x: 0, y: 0 } }, ...widgets.map((x) => ({ ...x, layout: { ...x.layout, y: x.layout.y + h } }))];
  }
  return [...widgets, { ...w, layout: { ...w.layout, x: 0, y: bottomOf(widgets) } }];
}

/**
 * A copy of the widget (new id, same settings) right below it; the grid pushes what was
 * there further down. Returns the new list and the copy's id.
 */
export function duplicateWidget(widgets: readonly Widget[], id: string): { widgets: Widget[]; id: string | null } {
  const i = widgets.findIndex((w) => w.id === id);
  const src = widgets[i];
  if (!src) return { widgets: [...widgets], id: null };
  const copy: Widget = { ...structuredClone(src), id: newId('w'), layout: { ...src.layout, y: src.layout.y + src.layout.h } };
  return { widgets: [...widgets.slice(0, i + 1), copy, ...widgets.slice(i + 1)], id: copy.id };
}

export interface GridItem {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The widgets with the positions the grid reports after a drag or resize; the same array when
 * nothing moved, so a click that moved nothing adds no undo step.
 */
export function applyGrid(widgets: Widget[], items: readonly GridItem[]): Widget[] {
  const byId = new Map(items.map((l) => [l.i, l]));
  let changed = false;
  const next = widgets.map((w) => {
    const l = byId.get(w.id);
    if (!l) return w;
    const layout = { x: clamp(l.x, 0, 11), y: clamp(l.y, 0, 1000), w: clamp(l.w, 1, 12), h: clamp(l.h, 1, 40) };
    layout.x = Math.min(layout.x, 12 - layout.w);
    if (layout.x === w.layout.x && layout.y === w.layout.y && layout.w === w.layout.w && layout.h === w.layout.h) return w;
    changed = true;
    return { ...w, layout };
  });
  return changed ? next : widgets;
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(n)));

export function emptyDefinition(): ReportDefinition {
  return { widgets: [], filters: [] };
}

// ---- Undo / redo -----------------------------------------------------------------------------

/** Steps kept for undo: a long session of edits, not unbounded memory. */
export const HISTORY_LIMIT = 100;

/**
 * The draft's definitions over time. `mark` names the last step when it came from typing
 * (e.g. `title:w_1`): the next change with the same mark folds into it, so undo takes back a
 * word typed, not one letter.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  mark: string | null;
}

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], mark: null };
}

export function record<T>(h: History<T>, next: T, mark: string | null = null): History<T> {
  if (next === h.present) return h;
  if (mark !== null && mark === h.mark) return { ...h, present: next, future: [] };
  return { past: [...h.past, h.present].slice(-HISTORY_LIMIT), present: next, future: [], mark };
}

export function undo<T>(h: History<T>): History<T> {
  const prev = h.past.at(-1);
  if (prev === undefined) return h;
  return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future], mark: null };
}

export function redo<T>(h: History<T>): History<T> {
  const next = h.future[0];
  if (next === undefined) return h;
  return { past: [...h.past, h.present], present: next, future: h.future.slice(1), mark: null };
}
