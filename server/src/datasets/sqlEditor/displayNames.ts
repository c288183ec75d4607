import type { Db } from '../../db/createDb.js';
import { ValidationError, msg } from '../../errors.js';
import { tokenizeSql, type SqlToken } from '../sqlTokens.js';

/**
 * Uploaded tables are stored as `t_<hash>` in DuckDB but people know them by their display names
 * (`销售明细`). SQL on the embedded store is written and shown with display names; these map it
 * to the physical names before it runs, and back for display, token by token (never inside
 * strings or comments).
 */
export interface TableNames {
  /** display name → physical name; null when two uploads share the display name. */
  toPhysical: Map<string, string | null>;
  /** physical name → display name */
  toDisplay: Map<string, string>;
}

export async function embeddedTableNames(db: Db): Promise<TableNames> {
  const rows = await db.selectFrom('embedded_tables').select(['table_name', 'display_name']).execute();
  const toPhysical = new Map<string, string | null>();
  const toDisplay = new Map<string, string>();
  for (const r of rows) {
    toPhysical.set(r.display_name, toPhysical.has(r.display_name) ? null : r.table_name);
    toDisplay.set(r.table_name, r.display_name);
  }
  return { toPhysical, toDisplay };
}

/** A replaced span: where it was in the text written and in the text run. */
interface Edit {
  from: number;
  fromLength: number;
  to: number;
  toLength: number;
}

export interface MappedSql {
  sql: string;
  /** Maps an offset in `sql` back to the offset in the text the user wrote. */
  originalOffset: (offset: number) => number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** The name a word or quoted-name token stands for (quoted names as written, words as typed). */
const nameOf = (sqlText: string, t: SqlToken): string | null => {
  if (t.kind === 'quoted_name') return t.text.slice(1, -1).replace(/""/g, '"');
  if (t.kind === 'word') return sqlText.slice(t.at, t.at + t.text.length);
  return null;
};

/**
 * Replaces display names used as tables (after FROM / JOIN, or qualifying a column as
 * `"销售明细"."金额"`) with physical names. A name that is not a display name stays as written.
 */
export function toPhysicalSql(sqlText: string, names: TableNames): MappedSql {
  const tokens = tokenizeSql(sqlText, 'duckdb');
  const edits: Edit[] = [];
  let out = '';
  let last = 0;
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const asTable = (prev?.kind === 'word' && (prev.text === 'from' || prev.text === 'join')) || (next?.text === '.' && prev?.text !== '.');
    if (!asTable) return;
    const name = nameOf(sqlText, t);
    if (name === null || !names.toPhysical.has(name)) return;
    const physical = names.toPhysical.get(name);
    if (physical === null) {
      throw new ValidationError(
        msg(`有多张上传的表都叫「${name}」，请先在数据源中给它们改成不同的名字`, `Several uploaded tables are named "${name}"; rename them apart first`),
      );
    }
    const replacement = quote(physical!);
    out += sqlText.slice(last, t.at);
    edits.push({ from: t.at, fromLength: t.text.length, to: out.length, toLength: replacement.length });
    out += replacement;
    last = t.at + t.text.length;
  });
  out += sqlText.slice(last);
  return {
    sql: out,
    originalOffset: (offset) => {
      let shift = 0;
      for (const e of edits) {
        if (offset < e.to) break;
        // Inside a replaced name: point at its start.
        if (offset < e.to + e.toLength) return e.from;
        shift = e.from + e.fromLength - (e.to + e.toLength);
      }
      return offset + shift;
    },
  };
}

/** The stored SQL with physical table names shown as display names. */
export function toDisplaySql(sqlText: string, names: TableNames): string {
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(sqlText, 'duckdb');
  } catch {
    return sqlText;
  }
  let out = '';
  let last = 0;
  for (const t of tokens) {
    const name = nameOf(sqlText, t);
    const display = name === null ? undefined : names.toDisplay.get(name);
    if (display === undefined) continue;
    out += sqlText.slice(last, t.at) + quote(display);
    last = t.at + t.text.length;
  }
  return out + sqlText.slice(last);
}
