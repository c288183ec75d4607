import type { ReportFilterValue } from './api/reports.js';

/**
 * The mini program's link to one report with filter values: used by its share button and by the
 * report cards the server sends through WeCom. No runtime imports, so the mini program can bundle
 * this file alone (`@shulan/shared/reportLink`) without zod.
 */
export type FilterState = Record<string, ReportFilterValue>;

/** Filters in a share path (`filters=` URI-encoded JSON), so a colleague sees the same view. */
export function encodeFilters(state: FilterState): string {
  const active = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== null && v !== undefined));
  return Object.keys(active).length ? encodeURIComponent(JSON.stringify(active)) : '';
}

export function decodeFilters(s: string | undefined): FilterState | null {
  if (!s) return null;
  try {
    const v = JSON.parse(decodeURIComponent(s)) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as FilterState) : null;
  } catch {
    return null;
  }
}

/**
 * `pages/report/index?id=…&filters=…`, the page path of a report (no leading slash, as WeCom cards
 * want). Unlike a share link it keeps explicit nulls: "no filter" must override the filter's default.
 */
export function reportPagePath(reportId: string, filters: FilterState = {}): string {
  const encoded = Object.keys(filters).length ? encodeURIComponent(JSON.stringify(filters)) : '';
  return `pages/report/index?id=${encodeURIComponent(reportId)}${encoded ? `&filters=${encoded}` : ''}`;
}
