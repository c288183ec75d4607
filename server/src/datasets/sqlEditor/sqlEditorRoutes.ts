import { EMBEDDED_DATASOURCE_ID, RunSqlBodySchema, type Field, type RunSqlResult, type SourceSchema } from '@shulan/shared';
import { z } from 'zod';
import { engineErrors } from '../../datasources/connectionErrors.js';
import { getDatasourceRow } from '../../datasources/datasourceRepo.js';
import type { Deps } from '../../deps.js';
import { QueryFailedError, ValidationError, msg } from '../../errors.js';
import { route, type RouteDef } from '../../http/route.js';
import { checkReadOnlySql } from '../sqlGuard.js';
import { embeddedTableNames, toPhysicalSql, type MappedSql, type TableNames } from './displayNames.js';
import { engineLocation, lineColumn, offsetOf, translateEngineMessage } from './sqlErrors.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

/** The schema browser lists at most this many tables (their columns read one table at a time). */
const SCHEMA_TABLES_MAX = 300;

/** The SQL editor of SQL datasets: the source's tables and columns, and "run" with a row cap. */
export function sqlEditorRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/datasources/:id/schema',
      access: 'editor',
      tag: 'datasources',
      summary: "Tables of a source with their columns and types, for the SQL editor's browser and completion",
      params: IdParams,
      handler: async ({ params }): Promise<SourceSchema> => {
        await getDatasourceRow(db, params.id);
        if (params.id === EMBEDDED_DATASOURCE_ID) {
          // Uploaded tables by the names people gave them; the physical t_<hash> never shows.
          const rows = await db.selectFrom('embedded_tables').select(['display_name', 'fields_json']).orderBy('display_name').execute();
          return { tables: rows.map((r) => ({ name: r.display_name, columns: JSON.parse(r.fields_json) as Field[] })), truncated: false };
        }
        const conn = await deps.connectors.forSource(params.id);
        const names = await conn.listTables();
        const tables: SourceSchema['tables'] = [];
        for (const name of names.slice(0, SCHEMA_TABLES_MAX)) tables.push({ name, columns: (await conn.listFields(name)) ?? [] });
        return { tables, truncated: names.length > SCHEMA_TABLES_MAX };
      },
    }),
    route({
      method: 'POST',
      url: '/api/datasources/:id/run-sql',
      access: 'editor',
      tag: 'datasources',
      summary: 'Run a read-only query and return its first rows; errors say the line and column',
      params: IdParams,
      body: RunSqlBodySchema,
      handler: async ({ params, body }): Promise<RunSqlResult> => {
        await getDatasourceRow(db, params.id);
        const conn = await deps.connectors.forSource(params.id);
        const names = params.id === EMBEDDED_DATASOURCE_ID ? await embeddedTableNames(db) : null;
        const mapped: MappedSql = names ? toPhysicalSql(body.sql, names) : { sql: body.sql, originalOffset: (o) => o };
        const clean = checkReadOnlySql(mapped.sql, conn.dialect);
        const located = (err: unknown, sent: string, prefix: string) => locateError(err, { sent, prefix, user: body.sql, mapped, names, dialect: conn.dialect });
        // On lines of its own, so a trailing "-- comment" cannot swallow the wrapper; a validated integer inlined.
        const prefix = 'SELECT * FROM (\n';
        let fields: Field[];
        try {
          fields = await conn.describeQuery(clean);
        } catch (err) {
          // PostgreSQL and MySQL describe the query inside the same wrapper (LIMIT 0); DuckDB prepares it as it is.
          throw conn.dialect === 'duckdb' ? located(err, clean, '') : located(err, `${prefix}${clean}\n) AS q LIMIT 0`, prefix);
        }
        const sent = `${prefix}${clean}\n) AS q LIMIT ${Math.trunc(body.limit) + 1}`;
        let rows: Record<string, unknown>[];
        try {
          rows = await conn.query(sent, []);
        } catch (err) {
          throw located(err, sent, prefix);
        }
        return { fields, rows: rows.slice(0, body.limit), truncated: rows.length > body.limit };
      },
    }),
  ];
}

/**
 * The engine's error, translated, with the line and column in the text the user wrote: undoes
 * the wrapper and the display-name mapping, and shows uploaded tables by their display names.
 */
function locateError(
  err: unknown,
  ctx: { sent: string; prefix: string; user: string; mapped: MappedSql; names: TableNames | null; dialect: 'duckdb' | 'postgres' | 'mysql' },
): unknown {
  if (!(err instanceof QueryFailedError) || err.status !== 400) return err;
  const engine = engineErrors.get(err);
  // The editor's own SQL may be quoted back to them (MySQL's "near '…'"), unlike in report errors.
  const raw = (engine as { message?: unknown } | undefined)?.message;
  let text = (typeof raw === 'string' ? raw : err.msg.en.replace(/^The query failed: /, '')).replace(/\s*\n\s*LINE \d+:[\s\S]*$/, '').replace(/\n\) AS q LIMIT \d+/, '').trim().slice(0, 300);
  if (ctx.names) for (const [physical, display] of ctx.names.toDisplay) text = text.split(physical).join(display);
  const base = translateEngineMessage(text);
  const loc = engineLocation(ctx.dialect, engine, ctx.sent);
  const prefixLines = ctx.prefix.split('\n').length - 1;
  let where: { line: number; column: number | null } | null = null;
  if (loc && 'offset' in loc) {
    const inMapped = loc.offset - ctx.prefix.length;
    if (inMapped >= 0 && inMapped <= ctx.mapped.sql.length) where = lineColumn(ctx.user, ctx.mapped.originalOffset(inMapped));
  } else if (loc) {
    const line = loc.line - prefixLines;
    if (line >= 1) {
      where =
        loc.column === null
          ? { line, column: null }
          : lineColumn(ctx.user, ctx.mapped.originalOffset(offsetOf(ctx.mapped.sql, line, loc.column)));
    }
  }
  if (!where) return new ValidationError(base);
  const at =
    where.column === null
      ? msg(`第 ${where.line} 行：`, `Line ${where.line}: `)
      : msg(`第 ${where.line} 行第 ${where.column} 列：`, `Line ${where.line}, column ${where.column}: `);
  return new ValidationError(msg(at.zh + base.zh, at.en + base.en), where);
}
