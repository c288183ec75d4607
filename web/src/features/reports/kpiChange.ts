import type { KpiComparison, WidgetOptions } from '@shulan/shared';

/**
 * Colours of a KPI change. Chinese convention (as in stock quotes and FineBI): a rise is red and
 * a fall is green — the opposite of Western dashboards. Change it here only; nothing else on the
 * web colours a change. (The mini program keeps the same choice in its utils/kpiChange.ts: it is
 * built file by file and cannot import code from this package.)
 */
export const CHANGE_COLORS = { up: '#d54941', down: '#2ba471', flat: 'rgba(0,0,0,0.45)' } as const;

export interface KpiChangeView {
  direction: 'up' | 'down' | 'flat';
  /** "▲ 12.5%", "▼ 3.0%", "0.0%", or "—" when the earlier figure is missing or zero. */
  text: string;
  color: string;
  /** i18n key of "vs previous period" / "vs same period last year". */
  captionKey: 'kpiChange.previous_period' | 'kpiChange.previous_year';
}

/** The change line under a KPI figure, or null when there is nothing to compare. */
export function kpiChange(comparison: KpiComparison | null | undefined, mode: WidgetOptions['compare']): KpiChangeView | null {
  if (!comparison || !mode) return null;
  const captionKey = mode === 'previous_year' ? 'kpiChange.previous_year' : 'kpiChange.previous_period';
  const r = comparison.changeRatio;
  if (r === null || !Number.isFinite(r)) return { direction: 'flat', text: '—', color: CHANGE_COLORS.flat, captionKey };
  const pct = Math.abs(r) * 100;
  const digits = pct >= 100 ? 0 : 1;
  const shown = pct.toFixed(digits);
  if (Number(shown) === 0) return { direction: 'flat', text: `${(0).toFixed(digits)}%`, color: CHANGE_COLORS.flat, captionKey };
  return r > 0
    ? { direction: 'up', text: `▲ ${shown}%`, color: CHANGE_COLORS.up, captionKey }
    : { direction: 'down', text: `▼ ${shown}%`, color: CHANGE_COLORS.down, captionKey };
}
