/**
 * The one number formatter of the mini program. Built on `toFixed` and string work only:
 * `toLocaleString` options (grouping, fraction digits) are ignored by some Android runtimes,
 * which printed "1234.5678" where "1,234.57" was meant.
 */
import { formatDecimal, isExactNumeric } from '@shulan/shared/exactNumber';

export type NumberLang = 'zh' | 'en';

/** Thousands separators in the integer part of an unsigned decimal string ("1234567.5" → "1,234,567.5"). */
function group(digits: string): string {
  const [int, frac] = digits.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

/** Fixed decimals, then trailing zeros dropped ("12.50" → "12.5", "3.00" → "3"). */
function trimmed(abs: number, maxDecimals: number): string {
  const s = abs.toFixed(maxDecimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

const sign = (v: number, body: string) => (v < 0 && /[1-9]/.test(body) ? `-${body}` : body);

/**
 * A value for a card or table cell: thousands separators; integers without decimals, other values
 * with at most `decimals` (default: 1 from 100 up, 2 below — enough for ratios). A column with an
 * exact scale (money) passes it as both `decimals` and `minDecimals`: 523.10, never 523.1.
 * Exact decimal text from the API (values beyond 2^53) is rounded on its digits, never through a double.
 */
export function formatNumber(v: number | string, decimals?: number, minDecimals = 0): string {
  if (typeof v === 'string') {
    if (!isExactNumeric(v)) return v;
    return formatDecimal(v, { maxDecimals: decimals ?? (v.includes('.') ? 2 : 0), minDecimals, group: true });
  }
  if (!Number.isFinite(v)) return String(v);
  if (decimals !== undefined && minDecimals > 0) return formatDecimal(v, { maxDecimals: decimals, minDecimals, group: true });
  const abs = Math.abs(v);
  const digits = decimals ?? (Number.isInteger(v) ? 0 : abs >= 100 ? 1 : 2);
  return sign(v, group(trimmed(abs, digits)));
}

/** Short form for axis ticks and tooltips: 1.2万 / 3.5亿 in Chinese, 12K / 3.5M / 1.2B in English. */
export function formatCompact(v: number, lang: NumberLang = 'zh'): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const units: [number, string][] = lang === 'zh' ? [[1e8, '亿'], [1e4, '万']] : [[1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [size, unit] of units) {
    if (abs >= size) return sign(v, `${group(trimmed(abs / size, 1))}${unit}`);
  }
  return formatNumber(v, Number.isInteger(v) ? 0 : 2);
}

/** A share as a percentage with fixed decimals (0.1667 → "16.7%"). */
export function formatPercent(ratio: number, decimals = 1): string {
  if (!Number.isFinite(ratio)) return '—';
  return `${sign(ratio, (Math.abs(ratio) * 100).toFixed(decimals))}%`;
}
