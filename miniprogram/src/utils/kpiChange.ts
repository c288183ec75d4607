import type { KpiComparison, WidgetOptions } from '@shulan/shared';
import { t } from './i18n';
import { formatPercent } from './format';

/**
 * Colours of a KPI change. Chinese convention (as in stock quotes and FineBI): a rise is red and
 * a fall is green — the opposite of Western dashboards. Change it here only; nothing else colours
 * a change.
 */
export const CHANGE_COLORS = { up: '#d54941', down: '#2ba471', flat: '#8b8b8b' } as const;

/** What a KPI card shows under its figure: "▲ 12.5% 较上期", coloured. Plain data for setData. */
export interface KpiChangeView {
  text: string;
  color: string;
  caption: string;
}

/**
 * The change line of a KPI card, or null when there is nothing to compare (no comparison asked
 * for, or no closed date range in effect). Percentages come from utils/format (some Android
 * runtimes ignore the options of the built-in locale formatting).
 */
export function toKpiChange(comparison: KpiComparison | null | undefined, mode: WidgetOptions['compare']): KpiChangeView | null {
  if (!comparison || !mode) return null;
  const caption = mode === 'previous_year' ? t('vsPreviousYear') : t('vsPreviousPeriod');
  const r = comparison.changeRatio;
  if (r === null || !Number.isFinite(r)) return { text: '—', color: CHANGE_COLORS.flat, caption };
  const digits = Math.abs(r) >= 1 ? 0 : 1;
  const shown = formatPercent(Math.abs(r), digits);
  if (parseFloat(shown) === 0) return { text: shown, color: CHANGE_COLORS.flat, caption };
  return r > 0
    ? { text: `▲ ${shown}`, color: CHANGE_COLORS.up, caption }
    : { text: `▼ ${shown}`, color: CHANGE_COLORS.down, caption };
}
