import type { Field, FieldType } from '@shulan/shared';
import type { SqlDialect } from './types.js';

/**
 * Quotes an identifier for a dialect. Only names that came from a source's own catalog (or that
 * we generated) reach this; quoting keeps odd-but-legal names (spaces, Chinese) working.
 */
export function quoteIdent(dialect: SqlDialect, name: string): string {
  if (dialect === 'mysql') return `\`${name.replace(/`/g, '``')}\``;
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A listed table name as its parts. Catalogs list `schema.table` (or `table` in the default
 * schema); a part that itself holds a dot or a double quote is listed in double quotes, as
 * PostgreSQL spells it (`"sales.2024"`, `public."a.b"`), so every name splits back the one way.
 */
export function splitTableName(table: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i <= table.length) {
    if (table[i] === '"') {
      let part = '';
      i++;
      while (i < table.length) {
        if (table[i] === '"' && table[i + 1] === '"') {
          part += '"';
          i += 2;
        } else if (table[i] === '"') break;
        else part += table[i++];
      }
      parts.push(part);
      i += 2; // closing quote and the dot after it
    } else {
      const dot = table.indexOf('.', i);
      const end = dot < 0 ? table.length : dot;
      parts.push(table.slice(i, end));
      i = end + 1;
    }
  }
  return parts;
}

/** The listed form of one name part: quoted only when a plain split would cut it. */
export function listedNamePart(part: string): string {
  return /[."]/.test(part) ? `"${part.replace(/"/g, '""')}"` : part;
}

/** `schema.table` or `table`, as listed by the catalog, quoted part by part. */
export function quoteTable(dialect: SqlDialect, table: string): string {
  return splitTableName(table)
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

/** A column of a catalog type: `decimal(10,2)` / `numeric(12,4)` / `DECIMAL(18,2)` keep their scale. */
export function fieldFromSqlType(name: string, raw: string): Field {
  const type = fieldTypeFromSqlType(raw);
  const m = /^(?:numeric|decimal)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/i.exec(raw.trim());
  if (type === 'number' && m) return { name, type, precision: Number(m[1]), scale: Number(m[2] ?? 0) };
  return { name, type };
}
