import type { ReportFilter, ReportFilterValue, SelectionItem } from '@shulan/shared';

/**
 * What a viewer has done to a report — filter values, linkage selection (联动), drill-down paths
 * (下钻) — kept in the URL query so a copied link reproduces the view:
 * `?f=<filters JSON>&sel=<selection JSON>&drill=<{widgetId: path} JSON>`.
 */
export type { DrillPath } from '@shulan/shared/interaction';
import type { DrillPath } from '@shulan/shared/interaction';

export interface ViewState {
  filters: Record<string, ReportFilterValue>;
  selection: SelectionItem[];
  drill: Record<string, DrillPath>;
}

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * The view a URL describes. Filters missing from it start at the report's defaults; anything
 * malformed (a hand-edited link) is dropped rather than breaking the page; the server validates the rest.
 */
export function readViewState(params: URLSearchParams, reportFilters: ReportFilter[]): ViewState {
  const f = parseJson(params.get('f'));
  const filters: Record<string, ReportFilterValue> = {};
  for (const rf of reportFilters) {
    if (isRecord(f) && rf.id in f) filters[rf.id] = f[rf.id] as ReportFilterValue;
    else if (rf.default != null) filters[rf.id] = rf.default;
  }
  const s = parseJson(params.get('sel'));
  const selection = Array.isArray(s)
    ? s.filter((i): i is SelectionItem => isRecord(i) && typeof i.widgetId === 'string' && typeof i.field === 'string' && isScalar(i.value))
    : [];
  const d = parseJson(params.get('drill'));
  const drill: Record<string, DrillPath> = {};
  if (isRecord(d)) {
    for (const [id, path] of Object.entries(d)) if (Array.isArray(path) && path.length > 0 && path.every(isScalar)) drill[id] = path;
  }
  return { filters, selection, drill };
}

/** The URL query of a view; empty parts are left out so an untouched report keeps a clean URL. */
export function writeViewState(state: ViewState, reportFilters: ReportFilter[]): URLSearchParams {
  const params = new URLSearchParams();
  const atDefaults = reportFilters.every((rf) => JSON.stringify(state.filters[rf.id] ?? null) === JSON.stringify(rf.default ?? null));
  if (!atDefaults) params.set('f', JSON.stringify(state.filters));
  if (state.selection.length) params.set('sel', JSON.stringify(state.selection));
  const drill = Object.fromEntries(Object.entries(state.drill).filter(([, p]) => p.length > 0));
  if (Object.keys(drill).length) params.set('drill', JSON.stringify(drill));
  return params;
}

/**
 * Clicking a category of a widget (its items: the category and, when drilled, those above it):
 * it replaces that widget's earlier selection; clicking the same again clears it.
 */
export function toggleSelection(selection: SelectionItem[], items: SelectionItem[]): SelectionItem[] {
  const widgetId = items[0]?.widgetId;
  const mine = selection.filter((s) => s.widgetId === widgetId);
  const rest = selection.filter((s) => s.widgetId !== widgetId);
  const key = (l: SelectionItem[]) => JSON.stringify(l.map((s) => [s.field, s.grain ?? null, s.value]));
  return key(mine) === key(items) ? rest : [...rest, ...items];
}
