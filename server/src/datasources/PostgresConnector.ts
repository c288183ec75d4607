import type { Field, FieldType } from '@shulan/shared';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { sourceError, tooManyRows } from './connectionErrors.js';
import { CONNECT_TIMEOUT_MS, MAX_RESULT_ROWS, STATEMENT_TIMEOUT_MS, type ExternalConfig } from './ExternalConfig.js';
import { exactNumberText, naiveTimestampIso, normalizeValue } from './normalize.js';
import type { SourceConnector } from './SourceConnector.js';
import { fieldFromSqlType, listedNamePart, splitTableName } from './sqlNames.js';
import { cannotCheckWriteAccess, postgresWriteAccess, type SourceProbe } from './writeAccess.js';

// Type OIDs whose text form we turn into plain JS values (per pool, not pg's global parsers).
const OID = { int8: 20, int2: 21, int4: 23, float4: 700, float8: 701, numeric: 1700, bool: 16, date: 1082, timestamp: 1114, timestamptz: 1184 };

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    // Exact: a JSON number when that keeps every digit, else the digits as text (beyond 2^53).
    if (oid === OID.int8 || oid === OID.numeric) return exactNumberText;
    // Date-only stays YYYY-MM-DD; timestamps without zone keep their wall time, with no `Z`.
    if (oid === OID.date) return (v: string) => v;
    if (oid === OID.timestamp) return naiveTimestampIso;
    if (oid === OID.timestamptz) return (v: string) => new Date(v).toISOString();
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

/** A numeric column's declared precision and scale, from the type modifier the server sends (-1: unconstrained). */
function numericTypmod(mod: number): Pick<Field, 'precision' | 'scale'> {
  if (mod < 4) return {};
  return { precision: ((mod - 4) >> 16) & 0xffff, scale: (mod - 4) & 0xffff };
}

function fieldTypeFromOid(oid: number): FieldType {
  if (oid === OID.int2 || oid === OID.int4 || oid === OID.int8) return 'integer';
  if (oid === OID.float4 || oid === OID.float8 || oid === OID.numeric) return 'number';
  if (oid === OID.bool) return 'boolean';
  if (oid === OID.date) return 'date';
  if (oid === OID.timestamp || oid === OID.timestamptz) return 'datetime';
  return 'string';
}

/**
 * Opens the transaction every query runs in: read-only (so is any transaction it might chain
 * into), a statement timeout, and standard strings so the dataset SQL guard lexes as the server does.
 */
const READ_ONLY_TRANSACTION = [
  'BEGIN TRANSACTION READ ONLY',
  'SET LOCAL transaction_read_only = on',
  'SET LOCAL default_transaction_read_only = on',
  `SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`,
  'SET LOCAL standard_conforming_strings = on',
].join('; ');

function clientConfig(c: ExternalConfig): pg.ClientConfig {
  return {
    host: c.host,
    port: c.port,
    database: c.database,
    user: c.user,
    password: c.password,
    ssl: c.ssl ? { rejectUnauthorized: false } : false,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    // Every session starts read-only; each query also runs in a READ ONLY transaction.
    options: '-c default_transaction_read_only=on',
    application_name: 'shulan',
    types,
  };
}

/** A pooled, read-only connection to one PostgreSQL source. */
export class PostgresConnector implements SourceConnector {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(private readonly config: ExternalConfig) {
    this.pool = new pg.Pool({ ...clientConfig(config), max: 5, idleTimeoutMillis: 60_000 });
    // An idle client dropped by the server must not crash the process.
    this.pool.on('error', () => {});
  }

  private async run(sql: string, params: readonly unknown[]): Promise<{ rows: Record<string, unknown>[]; fields: pg.FieldDef[] }> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw sourceError(err, this.config);
    }
    try {
      await client.query(READ_ONLY_TRANSACTION);
      // A cursor always uses the extended protocol, whose Parse message takes exactly one
      // statement; with the simple protocol "…; COMMIT; DELETE …" would run as three.
      const cursor = client.query(new Cursor(sql, [...params], { types }));
      const result = await new Promise<{ rows: Record<string, unknown>[]; fields: pg.FieldDef[] }>((resolve, reject) =>
        cursor.read(MAX_RESULT_ROWS + 1, (err, rows: Record<string, unknown>[], res) =>
          err ? reject(err) : resolve({ rows, fields: res.fields }),
        ),
      );
      await cursor.close();
      if (result.rows.length > MAX_RESULT_ROWS) throw tooManyRows();
      return result;
    } catch (err) {
      throw sourceError(err, this.config);
    } finally {
      // Whatever the statement did (even COMMIT AND CHAIN), nothing of it is kept.
      await client.query('ROLLBACK').catch(() => {});
      client.release();
    }
  }

  async query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const res = await this.run(sql, params);
    return res.rows.map((r: Record<string, unknown>) => {
      // Keyed by column names from the query, so a column may be called __proto__.
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, v] of Object.entries(r)) out[k] = normalizeValue(v);
      return out;
    });
  }

  async listTables(): Promise<string[]> {
    const rows = await this.query(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'
       ORDER BY (table_schema = 'public') DESC, table_schema, table_name`,
      [],
    );
    // A name holding a dot is listed quoted (`"sales.2024"`), so it splits back into the right parts.
    return rows.map((r) => {
      const t = listedNamePart(String(r.t));
      return r.s === 'public' ? t : `${listedNamePart(String(r.s))}.${t}`;
    });
  }

  async listFields(table: string): Promise<Field[] | null> {
    const parts = splitTableName(table);
    if (parts.length > 2) return null;
    const [schema, name] = parts.length === 1 ? ['public', parts[0]!] : [parts[0]!, parts[1]!];
    const rows = await this.query(
      `SELECT column_name AS n,
              CASE WHEN data_type = 'numeric' AND numeric_precision IS NOT NULL
                   THEN 'numeric(' || numeric_precision || ',' || coalesce(numeric_scale, 0) || ')' ELSE data_type END AS t
       FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, name],
    );
    if (rows.length === 0) return null;
    return rows.map((r) => fieldFromSqlType(String(r.n), String(r.t)));
  }

  async describeQuery(sql: string): Promise<Field[]> {
    const res = await this.run(`SELECT * FROM (\n${sql}\n) AS q LIMIT 0`, []);
    return res.fields.map((f) => ({
      name: f.name,
      type: fieldTypeFromOid(f.dataTypeID),
      ...(f.dataTypeID === OID.numeric ? numericTypmod(f.dataTypeModifier) : {}),
    }));
  }

  async version(): Promise<string> {
    const rows = await this.query('SELECT version() AS v', []);
    return String(rows[0]?.v ?? '');
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }

}

/** Opens one connection, asks the version and what the account could write, closes: the "test connection" button. */
export async function testPostgres(config: ExternalConfig): Promise<SourceProbe> {
  const client = new pg.Client(clientConfig(config));
  client.on('error', () => {});
  try {
    await client.connect();
    const res = await client.query('SELECT version() AS v');
    const version = String((res.rows[0] as { v?: unknown } | undefined)?.v ?? '');
    return { version, writeAccess: await postgresWriteAccess(client, config.user).catch(cannotCheckWriteAccess) };
  } finally {
    await client.end().catch(() => {});
  }
}
