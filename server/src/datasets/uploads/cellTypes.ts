import { canonicalDecimal, type Field, type FieldType } from '@shulan/shared';
import type { SheetCell } from '../../lib/spreadsheet/readXlsx.js';

/** One cell as parsed: CSV gives text; XLSX also numbers, booleans and dates (wall time in UTC). */
export type Cell = SheetCell;

const INT = /^[+-]?\d+$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const DATETIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?$/;
const TRUE = new Set(['true', 'yes', '是', 'y']);
const FALSE = new Set(['false', 'no', '否', 'n']);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Most decimals an inferred DECIMAL gets; more (0.30000000000000004) means computed floats: DOUBLE. */
export const MAX_INFERRED_SCALE = 12;
/** Widest DECIMAL DuckDB stores. */
export const MAX_PRECISION = 38;

/** Digits before and after the point of a plain decimal value; null for exponent forms and non-finite numbers. */
export function decimalDigits(v: string | number): { int: number; frac: number } | null {
  const c = canonicalDecimal(typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'x') : v.replace(/,/g, ''));
  if (c === null) return null;
  const [int, frac = ''] = c.replace('-', '').split('.') as [string, string?];
  return { int: int === '0' ? 0 : int.length, frac: frac.length };
}

/** Whether a converted value fits a DECIMAL field without rounding (the store would round it silently). */
export function fitsDecimal(value: string | number, field: Field): boolean {
  if (field.scale === undefined) return true;
  const d = decimalDigits(value);
  const precision = field.precision ?? 18;
  return d !== null && d.frac <= field.scale && d.int <= precision - field.scale;
}

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Codes such as 00123 or phone numbers keep their leading zeros as text. */
const hasLeadingZero = (s: string) => /^[+-]?0\d/.test(s);

export type Converted = { ok: true; value: string | number | boolean | null } | { ok: false };

const FAIL: Converted = { ok: false };

/** Converts a cell to a type: numbers, booleans, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.fff]`, text. */
export function convertCell(cell: Cell, type: FieldType): Converted {
  if (cell === null) return { ok: true, value: null };
  if (typeof cell === 'string' && cell.trim() === '') return { ok: true, value: null };
  switch (type) {
    case 'string':
      return { ok: true, value: cell instanceof Date ? dateTimeText(cell, true) : String(cell) };
    case 'integer': {
      if (typeof cell === 'number') return Number.isSafeInteger(cell) ? { ok: true, value: cell } : FAIL;
      if (typeof cell !== 'string') return FAIL;
      const s = cell.trim();
      const plain = GROUPED.test(s) && !s.includes('.') ? s.replace(/,/g, '') : s;
      if (!INT.test(plain) || hasLeadingZero(plain)) return FAIL;
      const n = Number(plain);
      if (Number.isSafeInteger(n)) return { ok: true, value: n };
      // Beyond 2^53 but within BIGINT: kept as its digits, which the store loads exactly.
      const big = BigInt(plain);
      return big >= INT64_MIN && big <= INT64_MAX ? { ok: true, value: canonicalDecimal(plain)! } : FAIL;
    }
    case 'number': {
      if (typeof cell === 'number') return Number.isFinite(cell) ? { ok: true, value: cell } : FAIL;
      if (typeof cell !== 'string') return FAIL;
      const s = cell.trim();
      const plain = GROUPED.test(s) ? s.replace(/,/g, '') : s;
      if (!NUM.test(plain) || hasLeadingZero(plain.split('.')[0]!)) return FAIL;
      // The digits as written: a DECIMAL column loads them exactly, a DOUBLE one parses them.
      return { ok: true, value: canonicalDecimal(plain) ?? Number(plain) };
    }
    case 'boolean': {
      if (typeof cell === 'boolean') return { ok: true, value: cell };
      if (typeof cell !== 'string') return FAIL;
      const s = cell.trim().toLowerCase();
      if (TRUE.has(s)) return { ok: true, value: true };
      if (FALSE.has(s)) return { ok: true, value: false };
      return FAIL;
    }
    case 'date': {
      if (cell instanceof Date) return isMidnight(cell) ? { ok: true, value: dateTimeText(cell, false) } : FAIL;
      if (typeof cell !== 'string') return FAIL;
      const m = DATE.exec(cell.trim());
      if (!m) return FAIL;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      return validDate(y, mo, d) ? { ok: true, value: `${y}-${pad(mo)}-${pad(d)}` } : FAIL;
    }
    case 'datetime': {
      if (cell instanceof Date) return { ok: true, value: dateTimeText(cell, true) };
      if (typeof cell !== 'string') return FAIL;
      const s = cell.trim();
      const asDate = convertCell(s, 'date');
      if (asDate.ok) return { ok: true, value: `${String(asDate.value)} 00:00:00` };
      const m = DATETIME.exec(s);
      if (!m) return FAIL;
      const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
      if (!validDate(y, mo, d) || h > 23 || mi > 59 || se > 59) return FAIL;
      return { ok: true, value: `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(se)}${m[7] ?? ''}` };
    }
  }
}

const isMidnight = (d: Date) => d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;

function dateTimeText(d: Date, withTime: boolean): string {
  const iso = d.toISOString();
  if (!withTime) return iso.slice(0, 10);
  return iso.slice(0, 19).replace('T', ' ');
}

const ORDER: FieldType[] = ['integer', 'number', 'boolean', 'date', 'datetime'];

/** Share of non-empty values that must fit a type for it to be chosen; the rest become row errors. */
const FIT = 0.8;
/** Values kept per column and type that do not fit it, to list row errors once the type is known. */
const KEEP_FAILURES = 100;

/**
 * The types a value fits, in one or two conversions instead of five: an integer is also a number,
 * a date also a datetime, and text starting with a letter is no number or date.
 */
export function typesOf(v: Cell): FieldType[] {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? ['integer', 'number'] : Number.isFinite(v) ? ['number'] : [];
  if (typeof v === 'boolean') return ['boolean'];
  if (v instanceof Date) return convertCell(v, 'date').ok ? ['date', 'datetime'] : ['datetime'];
  if (v === null) return [];
  const s = v.trim();
  const c0 = s.charCodeAt(0);
  const numeric = (c0 >= 48 && c0 <= 57) || c0 === 43 || c0 === 45 || c0 === 46; // digit + - .
  if (numeric) {
    if (convertCell(s, 'integer').ok) return ['integer', 'number'];
    if (convertCell(s, 'number').ok) return ['number'];
    if (convertCell(s, 'date').ok) return ['date', 'datetime'];
    if (convertCell(s, 'datetime').ok) return ['datetime'];
    return [];
  }
  return convertCell(s, 'boolean').ok ? ['boolean'] : [];
}

export interface CellFailure {
  line: number;
  value: Cell;
}

/** How many non-empty values of a column fit each type, counted one value at a time. */
export class ColumnStats {
  private n = 0;
  private readonly fits: Record<string, number> = { integer: 0, number: 0, boolean: 0, date: 0, datetime: 0 };
  private readonly failures: Record<string, CellFailure[]> = { integer: [], number: [], boolean: [], date: [], datetime: [] };
  /** Most digits before and after the point among numeric values; null once one has an exponent. */
  private digits: { int: number; frac: number } | null = { int: 0, frac: 0 };

  add(v: Cell, line: number): void {
    if (v === null || (typeof v === 'string' && v.trim() === '')) return;
    this.n++;
    const fit = typesOf(v);
    if (this.digits && fit.includes('number') && (typeof v === 'string' || typeof v === 'number')) {
      const d = decimalDigits(typeof v === 'string' ? v.trim() : v);
      this.digits = d && { int: Math.max(this.digits.int, d.int), frac: Math.max(this.digits.frac, d.frac) };
    }
    for (const t of ORDER) {
      if (fit.includes(t)) this.fits[t]!++;
      else if (this.failures[t]!.length < KEEP_FAILURES) this.failures[t]!.push({ line, value: v });
    }
  }

  /**
   * The most specific type most values fit. Integers with some decimals → number, dates with
   * some times → datetime, so a clean column never yields row errors.
   */
  type(): FieldType {
    const { n, fits } = this;
    if (n === 0) return 'string';
    const enough = (t: FieldType) => fits[t]! >= FIT * n;
    if (enough('integer') && fits.integer === fits.number) return 'integer';
    if (enough('number')) return 'number';
    if (enough('boolean')) return 'boolean';
    if (enough('date') && fits.date === fits.datetime) return 'date';
    if (enough('datetime')) return 'datetime';
    return 'string';
  }

  /**
   * The column as a field: a `number` column whose values are plain decimals with at most
   * MAX_INFERRED_SCALE decimals becomes an exact DECIMAL — scale = the most decimals seen,
   * precision 18 when the digits fit (room to grow on later appends), else 38.
   */
  field(name: string): Field {
    const type = this.type();
    const d = this.digits;
    if (type !== 'number' || !d || d.frac > MAX_INFERRED_SCALE) return { name, type };
    const needed = Math.max(1, d.int + d.frac);
    if (needed > MAX_PRECISION) return { name, type };
    return { name, type, precision: needed <= 18 ? 18 : MAX_PRECISION, scale: d.frac };
  }

  /** The first values (in file order) that do not fit a type. */
  failuresFor(type: FieldType): CellFailure[] {
    return type === 'string' ? [] : this.failures[type]!;
  }
}
