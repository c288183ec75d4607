/**
 * Exact numbers in JSON. A result value is a JSON number when the double prints back to exactly
 * the digits the database computed (3680.97, 12, 0.5); otherwise it is the decimal text itself
 * ("9007199254740993", "12345678901234567.89"), so nothing beyond 2^53 or 15–17 significant
 * digits is silently rounded on its way to the browser, the CSV or the phone.
 *
 * No dependencies and no BigInt literals: the mini program compiles this file for its runtime.
 */

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Canonical decimal text ("-0012.500" → "-12.5", "+.5" → "0.5"); null when not plain decimal text. */
export function canonicalDecimal(text: string): string | null {
  const m = PLAIN.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const int = m[2]!.replace(/^0+(?=\d)/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return m[1] === '-' && /[1-9]/.test(body) ? `-${body}` : body;
}

/** A database's decimal or integer text as JSON: a number when that is exact, else the text. */
export function exactJson(text: string): number | string {
  const c = canonicalDecimal(text);
  if (c === null) {
    // NaN, Infinity and exponent forms (PostgreSQL numeric 'NaN', float text): a number is all there is.
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  const n = Number(c);
  return canonicalDecimal(String(n)) === c ? n : c;
}

/** True for a JSON number or a decimal text an exact value was sent as. */
export function isExactNumeric(v: unknown): v is number | string {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && canonicalDecimal(v) !== null);
}

/** Decimal text of a finite number without exponent (1e21 → "1000000000000000000000"). */
function numberText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // toFixed prints up to 100 fraction digits and exact integer digits below 1e21.
  if (Math.abs(n) < 1) return canonicalDecimal(n.toFixed(100)) ?? s;
  return typeof BigInt === 'function' ? BigInt(n).toString() : s;
}

/** "1" + "999" → "2000"-style increment of an unsigned digit string. */
function increment(digits: string): string {
  const a = digits.split('');
  for (let i = a.length - 1; i >= 0; i--) {
    if (a[i] === '9') a[i] = '0';
    else {
      a[i] = String(Number(a[i]) + 1);
      return a.join('');
    }
  }
  return `1${a.join('')}`;
}

export interface DecimalFormat {
  /** Most fraction digits shown; the value is rounded half away from zero on its digits, not on a double. */
  maxDecimals: number;
  /** Fewest fraction digits shown (zeros padded): a money column's scale shows 523.10, not 523.1. */
  minDecimals?: number;
  /** Thousands separators in the integer part. */
  group?: boolean;
}

/**
 * A number or exact decimal text rounded and printed by decimal digits, so "523.0600000000003"
 * style noise never shows and "9007199254740993" keeps every digit. Anything else is String(v).
 */
export function formatDecimal(v: number | string, f: DecimalFormat): string {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? numberText(v) : null) : v;
  const c = text === null ? null : canonicalDecimal(text);
  if (c === null) return String(v);
  const negative = c.startsWith('-');
  const [int, frac = ''] = (negative ? c.slice(1) : c).split('.') as [string, string?];
  const max = Math.max(0, f.maxDecimals);
  let kept = int + frac.slice(0, max);
  let fracLen = Math.min(max, frac.length);
  if (frac.length > max && frac.charCodeAt(max) >= 53) kept = increment(kept); // '5'
  let intPart = kept.slice(0, kept.length - fracLen) || '0';
  let fracPart = kept.slice(kept.length - fracLen);
  fracPart = fracPart.replace(/0+$/, '');
  const min = f.minDecimals ?? 0;
  if (fracPart.length < min) fracPart = fracPart.padEnd(min, '0');
  fracLen = fracPart.length;
  if (f.group) intPart = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = fracLen > 0 ? `${intPart}.${fracPart}` : intPart;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}
