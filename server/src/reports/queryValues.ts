import type { Field, FieldType } from '@shulan/shared';
import { sql, type RawBuilder } from 'kysely';
import type { SqlDialect } from '../datasources/types.js';
import { ValidationError, msg } from '../errors.js';

// Filter values come from users; each is checked against the field's type here so the
// database never sees, say, 'abc' compared with an integer column (that would be a 5xx).

const DATE_RE = /^(\d{4}-\d{2}-\d{2})$/;
const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

export const isNumericType = (t: FieldType): boolean => t === 'integer' || t === 'number';
export const isDateType = (t: FieldType): boolean => t === 'date' || t === 'datetime';

/** A scalar filter value as a bound parameter of the field's type; throws ValidationError. */
export function paramFor(field: Field, value: unknown, dialect: SqlDialect): RawBuilder<unknown> {
  const bad = () =>
    new ValidationError(
      msg(`字段「${field.name}」的筛选值「${String(value)}」类型不符`, `Filter value "${String(value)}" does not fit field "${field.name}" (${field.type})`),
      { field: field.name },
    );
  switch (field.type) {
    case 'integer':
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw bad();
      return sql.val(n);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return sql.val(value);
      if (value === 'true' || value === 'false') return sql.val(value === 'true');
      throw bad();
    }
    case 'date': {
      const m = typeof value === 'string' ? (DATE_RE.exec(value) ?? DATETIME_RE.exec(value)) : null;
      if (!m) throw bad();
      if (!isCalendarDate(m[1]!)) throw notADate(field, value);
      return sql`cast(${m[1]} as date)`;
    }
    case 'datetime': {
      const m = typeof value === 'string' ? DATETIME_RE.exec(value) : null;
      if (!m) throw bad();
      if (!isCalendarDate(m[1]!) || !isClockTime(m[2], m[3])) throw notADate(field, value);
      // One neutral text form every engine casts the same way (MySQL rejects the ISO 'T…Z').
      const text = `${m[1]} ${m[2] ?? '00:00'}:${m[3] ?? '00'}`;
      return dialect === 'mysql' ? sql`cast(${text} as datetime)` : sql`cast(${text} as timestamp)`;
    }
    case 'string': {
      if (typeof value === 'string') return sql.val(value);
      if (typeof value === 'number') return sql.val(String(value));
      throw bad();
    }
  }
}

/** A real day of years 1–9999: the shape alone lets 2025-13-45 through to the database. */
export function isCalendarDate(ymd: string): boolean {
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd && !ymd.startsWith('0000');
}

function isClockTime(hm: string | undefined, s: string | undefined): boolean {
  if (hm === undefined) return true;
  const [h, m] = hm.split(':').map(Number);
  return h! <= 23 && m! <= 59 && Number(s ?? 0) <= 59;
}

function notADate(field: Field, value: unknown): ValidationError {
  return new ValidationError(
    msg(`字段「${field.name}」的筛选值「${String(value)}」不是有效的日期或时间`, `Filter value "${String(value)}" of field "${field.name}" is not a valid date or time`),
    { field: field.name },
  );
}

/** LIKE pattern for "contains", with the wildcards in the user's text taken literally ('!' escapes). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
