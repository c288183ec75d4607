import { exactJson } from '@shulan/shared';

/** A 64-bit (or wider) integer as JSON: a number when exact, its digits beyond 2^53. */
export const exactInteger = (v: bigint): number | string => (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString());

/** Plain JSON-friendly values for query results, whatever the driver returned. */
export function normalizeValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return exactInteger(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return v;
}

/** Decimal and 64-bit integer text from a driver: exact (see exactJson in @shulan/shared). */
export const exactNumberText = (s: string): number | string => exactJson(s);

const NAIVE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/;

/**
 * A timestamp without zone (`YYYY-MM-DD HH:MM:SS[.ffffff]`) as the wall-clock text
 * `YYYY-MM-DDTHH:MM:SS[.ffffff]`, with no `Z`: the database does not know the zone, and a `Z`
 * would tell the browser it was UTC and shift it by the viewer's offset. Fractions are kept as
 * printed (dropped when zero). Odd values (infinity, BC dates) pass through as printed.
 */
export function naiveTimestampIso(s: string): string {
  const m = NAIVE.exec(s);
  if (!m) return s;
  const frac = (m[3] ?? '').replace(/\.?0+$/, '');
  return `${m[1]}T${m[2]}${frac}`;
}

/** A Date holding a wall-clock time read as UTC (drivers without zone info) as that wall-clock text. */
export const wallClockText = (d: Date): string => naiveTimestampIso(d.toISOString().slice(0, 23).replace('T', ' '));
