/** Plain JSON-friendly values for query results, whatever the driver returned. */
export function normalizeValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return v;
}

/**
 * A timestamp without zone (`YYYY-MM-DD HH:MM:SS[.ffffff]`) as ISO text, reading the wall time as
 * UTC — the same form DuckDB results take, so every source answers alike. Odd values (infinity,
 * BC dates) are passed through as the database printed them.
 */
export function naiveTimestampIso(s: string): string {
  const d = new Date(`${s.replace(' ', 'T')}Z`);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}
