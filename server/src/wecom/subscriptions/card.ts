import { DATE_PRESET_LABELS, isDataWidget, reportPagePath, type DateRangeValue, type KpiComparison, type ReportFilterValue } from '@shulan/shared';
import type { Deps } from '../../deps.js';
import { kpiFigure } from '../../reports/kpiComparison.js';
import type { ReportRecord } from '../../reports/reportRepo.js';
import type { Viewer } from '../../permissions/viewer.js';
import { SUBSCRIPTION_TIMEZONE } from './schedule.js';

/** What goes on a miniprogram_notice card, within WeCom's limits (reference §7). */
export interface Card {
  title: string;
  description: string;
  page: string;
  items: { key: string; value: string }[];
}

/** Headline figures per card: "two or three", from the report's first KPI widgets. */
const MAX_FIGURES = 3;
export const PAGE_MAX_BYTES = 1024;

const cut = (s: string, n: number) => ([...s].length <= n ? s : `${[...s].slice(0, n - 1).join('')}…`);

/** The report name as a 4–12 character title. */
export function defaultTitle(reportName: string): string {
  const name = reportName.trim();
  return [...name].length >= 4 ? cut(name, 12) : cut(`${name}数据推送`, 12);
}

/** "12月1日 08:00" in China time: 10–11 characters, within the description's 4–12. */
function describeTime(now: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: SUBSCRIPTION_TIMEZONE, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${Number(parts.month)}月${Number(parts.day)}日 ${parts.hour}:${parts.minute}`;
}

const isNumeric = (type: string) => type === 'number' || type === 'integer' || type === 'float' || type === 'decimal';

/** At most two decimals, as the report's KPI card shows it on the web and in the mini program the card opens. */
function formatNumber(v: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 0 });
}

/** The change against the earlier period when the KPI widget compares (`options.compare`); else nothing. */
export function changeText(comparison: KpiComparison | null): string {
  const ratio = comparison?.changeRatio;
  if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return '';
  const pct = Math.abs(ratio * 100).toFixed(1);
  return ratio > 0 ? ` ↑${pct}%` : ratio < 0 ? ` ↓${pct}%` : ' 持平';
}

function describeFilterValue(v: ReportFilterValue): string | null {
  if (v === null) return null;
  if (Array.isArray(v)) return v.length ? v.map(String).join('、') : null;
  const r = v as DateRangeValue;
  if (r.preset) return DATE_PRESET_LABELS[r.preset].zh;
  if (!r.from && !r.to) return null;
  return `${r.from ?? '…'}~${r.to ?? '…'}`;
}

/** The filter values a viewer opening the link sees: the subscription's, else each filter's default. */
export function effectiveFilters(report: ReportRecord, filters: Record<string, ReportFilterValue>): Record<string, ReportFilterValue> {
  const out: Record<string, ReportFilterValue> = {};
  for (const f of report.definition.filters) out[f.id] = f.id in filters ? (filters[f.id] ?? null) : (f.default ?? null);
  return out;
}

/**
 * The card of a report: its KPI figures (with the change vs the previous period where the data has
 * it) under the subscription's filters, the active filters, and the link that opens the same view.
 */
export async function buildCard(
  deps: Deps,
  report: ReportRecord,
  sub: { title: string | null; filters: Record<string, ReportFilterValue> },
  now: Date,
  /** The recipient whose row permissions the figures follow (null: the report's datasets have none). */
  viewer: Viewer | null,
): Promise<Card> {
  // Only filters the report still has: one removed since the subscription was saved is ignored.
  const known = new Set(report.definition.filters.map((f) => f.id));
  const linkFilters = Object.fromEntries(Object.entries(sub.filters).filter(([id]) => known.has(id)));
  const values = effectiveFilters(report, linkFilters);
  const items: Card['items'] = [];
  for (const w of cardWidgets(report)) {
    let value = '—';
    let label = w.title;
    try {
      // The same figure and comparison the report's KPI card shows under these filters.
      const figure = await kpiFigure(deps, report, w, values, viewer);
      const res = figure.result;
      const col = res.columns.find((c) => isNumeric(c.type)) ?? res.columns[0];
      const raw = col ? (res.rows[0]?.[col.key] ?? null) : null;
      label = label || col?.label || '';
      if (raw !== null) {
        const num = typeof raw === 'number' ? formatNumber(raw) : String(raw);
        value = `${w.options?.prefix ?? ''}${num}${w.options?.suffix ?? ''}${changeText(figure.comparison)}`;
      }
    } catch {
      // A broken widget (dataset gone, source down) still leaves the rest of the card useful.
      value = '—';
    }
    items.push({ key: cut(label || '指标', 10), value: cut(value, 30) });
  }
  for (const f of report.definition.filters) {
    const text = describeFilterValue(values[f.id] ?? null);
    if (text && items.length < 10) items.push({ key: cut(f.label, 10), value: cut(text, 30) });
  }
  return {
    title: sub.title ?? defaultTitle(report.name),
    description: describeTime(now),
    page: reportPagePath(report.id, linkFilters),
    items,
  };
}

/** The KPI widgets a card shows. */
export const cardWidgets = (report: ReportRecord) => report.definition.widgets.filter(isDataWidget).filter((x) => x.kind === 'kpi').slice(0, MAX_FIGURES);
