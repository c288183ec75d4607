import type { FieldType } from '@shulan/shared';
import type { SqlDialect } from './types.js';

/**
 * Quotes an identifier for a dialect. Only names that came from a source's own catalog (or that
 * we generated) reach this; quoting keeps odd-but-legal names (spaces, Chinese) working.
 */
export function quoteIdent(dialect: SqlDialect, name: string): string {
  if (dialect === 'mysql') return `\`${name.replace(/`/g, '``')}\``;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` or `table`, as listed by the catalog, quoted part by part. */
export function quoteTable(dialect: SqlDialect, table: string): string {
  return table
    .split('.')
    .map((p) => quoteIdent(dialect, p))
    .join('.');
}

/** Maps a catalog type name (information_schema / DuckDB DESCRIBE) to the shared FieldType. */
export function fieldTypeFromSqlType(raw: string): FieldType {
  const t = raw.toLowerCase().trim();
  if (t === 'tinyint(1)' || t === 'bool' || t === 'boolean') return 'boolean';
  if (/^(big|small|tiny|medium|huge|u)?int(eger)?\d*\b|^u?(big|small|tiny|huge)int|^(big|small)?serial|^int[248]\b/.test(t)) return 'integer';
  if (/^(numeric|decimal|real|double|float|money)/.test(t)) return 'number';
  if (t === 'date') return 'date';
  if (/^(timestamp|datetime)/.test(t)) return 'datetime';
  return 'string';
}
