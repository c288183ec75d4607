import type { DATE_GRAINS, QueryResult } from './api/query.js';
import type { SelectionItem, WidgetInput as Widget } from './api/reports.js';

// Linkage (联动) and drill-down (下钻) as the web viewer and the mini program both do them. No
// runtime imports: the mini program bundles this file alone (`@shulan/shared/interaction`).

type Grain = (typeof DATE_GRAINS)[number];
/** The categories chosen so far down a widget's hierarchy. */
export type DrillPath = (string | number | boolean | null)[];
type Dimension = { field: string; grain?: Grain | undefined };
type Cell = QueryResult['rows'][number][string];

/** The levels a widget drills through: its first dimension, then `options.drillFields` (charts only). */
export function hierarchyOf(widget: Pick<Widget, 'kind' | 'query' | 'options'>): Dimension[] {
  const first = widget.query?.dimensions?.[0];
  if (!first || widget.kind === 'kpi') return [];
  return [first, ...(widget.kind === 'table' ? [] : (widget.options?.drillFields ?? []))];
}

/** The result column key of a level, as the server names it (`日期__month`, `区域`). */
export const levelKey = (d: Dimension) => (d.grain ? `${d.field}__${d.grain}` : d.field);

/**
 * The raw category behind the n-th bar / point / slice: charts list the first dimension's distinct
 * values in row order (a pie one slice per row).
 */
export function categoryAt(result: QueryResult, key: string, index: number, perRow: boolean): Cell | undefined {
  if (perRow) return result.rows[index]?.[key];
  const seen = new Set<Cell>();
  for (const row of result.rows) {
    const v = row[key] ?? null;
    if (seen.has(v)) continue;
    if (seen.size === index) return v;
    seen.add(v);
  }
  return undefined;
}

/** A category as people read it: a month bucket '2025-03-01' is 2025-03, the empty category ∅. */
export function categoryLabel(v: Cell | undefined, grain?: Grain): string {
  if (v === null || v === undefined) return '∅';
  if (!grain || typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return String(v);
  if (grain === 'year') return v.slice(0, 4);
  if (grain === 'month') return v.slice(0, 7);
  if (grain === 'quarter') return `${v.slice(0, 4)} Q${Math.floor((Number(v.slice(5, 7)) - 1) / 3) + 1}`;
  return v.slice(0, 10);
}

/**
 * The linkage a click makes on a drilled widget: the category clicked at the current level and
 * the categories above it, so the other widgets narrow to 华东 › 上海 › 显示器, not every 显示器.
 */
export function selectionFor(widget: Pick<Widget, 'id' | 'kind' | 'query' | 'options'>, path: DrillPath, value: Cell): SelectionItem[] {
  const levels = hierarchyOf(widget);
  const values = [...path, value];
  return values.map((v, i) => ({ widgetId: widget.id, field: levels[i]!.field, ...(levels[i]!.grain ? { grain: levels[i]!.grain } : {}), value: v ?? null }));
}

/** The most a drill path and a selection may hold (the server's DrillPathSchema / SelectionSchema). */
const MAX_DRILL = 5;
const MAX_SELECTION = 10;

/**
 * A shared link's drill paths and selection chains (viewLink.ts) applied to the report as it is
 * now: widgets that are gone are skipped, a drill path stops one level above the bottom of the
 * widget's hierarchy, a selection chain at its bottom, and the field names come from the hierarchy.
 */
export function restoreView(
  widgets: Pick<Widget, 'id' | 'kind' | 'query' | 'options'>[],
  link: { drill: Record<string, DrillPath>; sel: Record<string, DrillPath> },
): { drill: Record<string, DrillPath>; selection: SelectionItem[] } {
  const drill: Record<string, DrillPath> = {};
  let selection: SelectionItem[] = [];
  for (const w of widgets) {
    const depth = hierarchyOf(w).length;
    const path = (link.drill[w.id] ?? []).slice(0, Math.min(depth - 1, MAX_DRILL));
    if (path.length > 0) drill[w.id] = path;
    const chain = (link.sel[w.id] ?? []).slice(0, depth);
    if (chain.length > 0 && w.options?.linkage !== false) selection = [...selection, ...selectionFor(w, chain.slice(0, -1), chain[chain.length - 1]!)];
  }
  return { drill, selection: selection.slice(0, MAX_SELECTION) };
}
