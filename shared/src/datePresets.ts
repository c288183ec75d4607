/**
 * Relative dates of a date-range filter (本月, 上月, 近 7 天, 本年至今…). The server resolves them
 * in its time zone (SHULAN_TIME_ZONE), so the web, the mini program and the report cards sent at
 * 08:00 all mean the same days. No runtime imports: the mini program bundles this file alone
 * (`@shulan/shared/datePresets`).
 */
export const DATE_PRESETS = [
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'last_7_days',
  'last_30_days',
  'this_quarter',
  'this_year',
  'ytd',
  'last_year',
] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

export const DATE_PRESET_LABELS: Record<DatePreset, { zh: string; en: string }> = {
  today: { zh: '今天', en: 'Today' },
  yesterday: { zh: '昨天', en: 'Yesterday' },
  this_week: { zh: '本周', en: 'This week' },
  last_week: { zh: '上周', en: 'Last week' },
  this_month: { zh: '本月', en: 'This month' },
  last_month: { zh: '上月', en: 'Last month' },
  last_7_days: { zh: '近 7 天', en: 'Last 7 days' },
  last_30_days: { zh: '近 30 天', en: 'Last 30 days' },
  this_quarter: { zh: '本季度', en: 'This quarter' },
  this_year: { zh: '本年', en: 'This year' },
  ytd: { zh: '本年至今', en: 'Year to date' },
  last_year: { zh: '去年', en: 'Last year' },
};

export function isDatePreset(v: unknown): v is DatePreset {
  return typeof v === 'string' && (DATE_PRESETS as readonly string[]).includes(v);
}

// Building an Intl.DateTimeFormat costs far more than using one; a server asks on every widget query.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date ('YYYY-MM-DD') on the wall clock of `timeZone` (an IANA name such as Asia/Shanghai). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(now);
}

const DAY_MS = 86_400_000;
const toDay = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / DAY_MS;
const fromDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const ymd = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
/** Last day of month `m` (1-12) of year `y`; month 0 / 13 roll over. */
const monthEnd = (y: number, m: number) => ymd(y, m + 1, 0);

/**
 * The days a preset stands for, both ends inclusive, given today's date. Weeks start on Monday
 * (the Chinese calendar week). 本周/本月/本季度/本年 are the whole period (days to come have no data
 * yet); 本年至今 ends today; 近 7 天 is the 7 days ending today.
 */
export function resolveDatePreset(preset: DatePreset, today: string): { from: string; to: string } {
  const t = toDay(today);
  const [y, m] = today.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(t * DAY_MS).getUTCDay() + 6) % 7; // Monday = 0
  const q = Math.floor((m - 1) / 3) * 3 + 1; // first month of the quarter
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: fromDay(t - 1), to: fromDay(t - 1) };
    case 'this_week':
      return { from: fromDay(t - weekday), to: fromDay(t - weekday + 6) };
    case 'last_week':
      return { from: fromDay(t - weekday - 7), to: fromDay(t - weekday - 1) };
    case 'this_month':
      return { from: ymd(y, m, 1), to: monthEnd(y, m) };
    case 'last_month':
      return { from: ymd(y, m - 1, 1), to: monthEnd(y, m - 1) };
    case 'last_7_days':
      return { from: fromDay(t - 6), to: today };
    case 'last_30_days':
      return { from: fromDay(t - 29), to: today };
    case 'this_quarter':
      return { from: ymd(y, q, 1), to: monthEnd(y, q + 2) };
    case 'this_year':
      return { from: ymd(y, 1, 1), to: ymd(y, 12, 31) };
    case 'ytd':
      return { from: ymd(y, 1, 1), to: today };
    case 'last_year':
      return { from: ymd(y - 1, 1, 1), to: ymd(y - 1, 12, 31) };
  }
}
