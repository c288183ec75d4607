/**
 * Per-field display formats (`WidgetOptions.formats`) and the one function that applies them, in
 * the web app, the CSV export (`?formatted=1`) and the mini program alike. No runtime imports: the
 * mini program vendors this file alone (`@shulan/shared/format`).
 *
 * Numbers are rounded on their decimal digits, never through floating point or toLocaleString
 * (some Android runtimes ignore its options): 1.005 rounds half-up to 1.01, and a 20-digit sum that
 * a database returns as a string keeps every digit.
 */

export const FORMAT_KINDS = ['number', 'percent', 'currency', 'date'] as const;
export type FormatKind = (typeof FORMAT_KINDS)[number];

/** none = as is; wan = ÷10⁴ with 万; yi = ÷10⁸ with 亿; auto = 万 or 亿 (K/M/B in English) by size. */
export const FORMAT_UNITS = ['none', 'wan', 'yi', 'auto'] as const;
export type FormatUnit = (typeof FORMAT_UNITS)[number];

export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'GBP', 'JPY'] as const;
export type Currency = (typeof CURRENCIES)[number];
const CURRENCY_SYMBOL: Record<Currency, string> = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$', GBP: '£', JPY: 'JP¥' };

export const FORMAT_DATE_GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type FormatDateGrain = (typeof FORMAT_DATE_GRAINS)[number];

export interface FieldFormat {
  kind: FormatKind;
  /** Digits after the point, padded with zeros. Unset: number ≤ 2 (trailing zeros dropped), percent 1, currency 2. */
  decimals?: number;
  /** Thousands separators; default on. */
  thousands?: boolean;
  unit?: FormatUnit;
  /** Currency symbol before the number (kind 'currency'); default CNY. */
  currency?: Currency;
  /** Dates: how much of the date to show; default the grain in the column key (`日期__month`), else day. */
  dateGrain?: FormatDateGrain;
}

export type FormatLang = 'zh' | 'en';
export type FormatCell = string | number | boolean | null | undefined;

/** Shown for a missing value (null, empty, not a number where one was due). */
export const EMPTY_VALUE = '—';

// ---------------------------------------------------------------- exact decimal strings

/** An unsigned decimal: integer digits (no leading zeros, at least "0") and fraction digits. */
interface Dec {
  neg: boolean;
  int: string;
  frac: string;
}

/** Parses 123, -1.5, "12345678901234567890.125", "1e21", "-2.5E-7"; null when not a finite number. */
export function toDecimal(v: unknown): Dec | null {
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    s = String(v);
  } else if (typeof v === 'bigint') s = v.toString();
  else if (typeof v === 'string') s = v.trim();
  else return null;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  let digits = `${m[2]}${m[3] ?? ''}`;
  let point = m[2]!.length + Number(m[4] ?? 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const int = digits.slice(0, point).replace(/^0+/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  return { neg: m[1] === '-' && /[1-9]/.test(digits), int, frac };
}

/** Moves the decimal point: shift(+2) multiplies by 100, shift(-4) divides by 10⁴. Exact. */
function shift(d: Dec, by: number): Dec {
  const digits = d.int + d.frac;
  return toDecimal(`${d.neg ? '-' : ''}${digits}e${by - d.frac.length}`)!;
}

/** Rounds half away from zero (四舍五入, what accountants and Excel's ROUND do) to `n` decimals. */
function round(d: Dec, n: number): Dec {
  if (d.frac.length <= n) return d;
  const keep = d.int + d.frac.slice(0, n);
  const up = d.frac.charCodeAt(n) >= 53; // '5'
  let digits = keep;
  if (up) {
    const arr = keep.split('');
    let i = arr.length - 1;
    while (i >= 0) {
      if (arr[i] === '9') {
        arr[i] = '0';
        i--;
      } else {
        arr[i] = String(Number(arr[i]) + 1);
        break;
      }
    }
    digits = (i < 0 ? '1' : '') + arr.join('');
  }
  const intLen = digits.length - n;
  const int = digits.slice(0, intLen).replace(/^0+/, '') || '0';
  const frac = digits.slice(intLen);
  return { neg: d.neg && /[1-9]/.test(int + frac), int, frac };
}

/** Size class for the auto unit: the number of integer digits. */
const intDigits = (d: Dec) => (d.int === '0' ? 0 : d.int.length);

function render(d: Dec, decimals: number | undefined, defaultMax: number, thousands: boolean): string {
  const fixed = decimals !== undefined;
  let r = round(d, fixed ? decimals : defaultMax);
  let frac = r.frac;
  if (fixed) frac = frac.padEnd(decimals, '0');
  else frac = frac.replace(/0+$/, '');
  const int = thousands ? r.int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : r.int;
  const body = frac ? `${int}.${frac}` : int;
  r = { ...r, frac };
  return r.neg && /[1-9]/.test(r.int + r.frac) ? `-${body}` : body;
}

/** Divides for the unit; returns the scaled number and the unit's text. */
function applyUnit(d: Dec, unit: FormatUnit | undefined, lang: FormatLang): { d: Dec; suffix: string } {
  if (unit === 'wan') return { d: shift(d, -4), suffix: '万' };
  if (unit === 'yi') return { d: shift(d, -8), suffix: '亿' };
  if (unit === 'auto') {
    const n = intDigits(d);
    if (lang === 'en') {
      if (n > 9) return { d: shift(d, -9), suffix: 'B' };
      if (n > 6) return { d: shift(d, -6), suffix: 'M' };
      if (n > 3) return { d: shift(d, -3), suffix: 'K' };
      return { d, suffix: '' };
    }
    if (n > 8) return { d: shift(d, -8), suffix: '亿' };
    if (n > 4) return { d: shift(d, -4), suffix: '万' };
  }
  return { d, suffix: '' };
}

/** A number by the format: unit, rounding, separators, currency symbol or percent sign. */
export function formatNumberValue(v: unknown, fmt: Omit<FieldFormat, 'kind'> & { kind?: FormatKind } = {}, lang: FormatLang = 'zh'): string {
  const d0 = toDecimal(v);
  if (!d0) return typeof v === 'string' && v !== '' ? v : EMPTY_VALUE;
  const thousands = fmt.thousands !== false;
  const kind = fmt.kind ?? 'number';
  if (kind === 'percent') {
    const { d, suffix } = applyUnit(shift(d0, 2), fmt.unit, lang);
    return `${render(d, fmt.decimals ?? 1, 2, thousands)}${suffix}%`;
  }
  const { d, suffix } = applyUnit(d0, fmt.unit, lang);
  // With a unit, 2 decimals are the useful default (1.23万); money keeps its cents.
  const decimals = fmt.decimals ?? (kind === 'currency' && !suffix ? 2 : undefined);
  const text = `${render(d, decimals, 2, thousands)}${suffix}`;
  if (kind !== 'currency') return text;
  const symbol = CURRENCY_SYMBOL[fmt.currency ?? 'CNY'];
  return text.startsWith('-') ? `-${symbol}${text.slice(1)}` : `${symbol}${text}`;
}

// ---------------------------------------------------------------- dates

/** The grain in a date bucket's column key (`日期__month` → month). */
export function grainOfKey(key: string | undefined): FormatDateGrain | undefined {
  const m = key ? /__(day|week|month|quarter|year)$/.exec(key) : null;
  return m ? (m[1] as FormatDateGrain) : undefined;
}

const DAY_MS = 86_400_000;

/** ISO week (Monday first, week 1 holds the year's first Thursday) of y-m-d. */
function isoWeek(y: number, m: number, d: number): { year: number; week: number } {
  const t = Date.UTC(y, m - 1, d);
  const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday 0
  const thursday = t + (3 - dow) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return { year, week };
}

/** A date (bucket start such as '2025-03-01', or a timestamp) shown at its grain. */
export function formatDateValue(v: unknown, grain: FormatDateGrain | undefined, lang: FormatLang = 'zh'): string {
  if (v === null || v === undefined || v === '') return EMPTY_VALUE;
  let s: string;
  if (typeof v === 'number' && Number.isFinite(v)) s = new Date(v).toISOString();
  else if (v instanceof Date) s = v.toISOString();
  else s = String(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return s;
  const [, ys, ms, ds] = m as unknown as [string, string, string, string];
  const y = Number(ys);
  const mo = Number(ms);
  const zh = lang === 'zh';
  switch (grain) {
    case 'year':
      return zh ? `${ys}年` : ys;
    case 'quarter': {
      const q = Math.floor((mo - 1) / 3) + 1;
      return zh ? `${ys}年第${q}季度` : `${ys} Q${q}`;
    }
    case 'month':
      return zh ? `${ys}年${mo}月` : `${ys}-${ms}`;
    case 'week': {
      const w = isoWeek(y, mo, Number(ds));
      return zh ? `${w.year}年第${w.week}周` : `${w.year} W${String(w.week).padStart(2, '0')}`;
    }
    default:
      return `${ys}-${ms}-${ds}`;
  }
}

// ---------------------------------------------------------------- one entry point

/**
 * A cell as text. With a format, by the format; without one: a date bucket at its key's grain,
 * numbers with at most two decimals and separators, everything else as it is.
 */
export function formatValue(value: FormatCell, fmt?: FieldFormat, lang: FormatLang = 'zh', key?: string): string {
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  if (fmt?.kind === 'date' || (!fmt && typeof value === 'string' && grainOfKey(key))) {
    return formatDateValue(value, fmt?.dateGrain ?? grainOfKey(key), lang);
  }
  if (typeof value === 'boolean') return String(value);
  if (fmt) return formatNumberValue(value, fmt, lang);
  if (typeof value === 'number') return formatNumberValue(value, {}, lang);
  return value;
}
