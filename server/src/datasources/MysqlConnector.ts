import type { Field, FieldType } from '@shulan/shared';
import type { Connection as CallbackConnection } from 'mysql2';
import mysql from 'mysql2/promise';
import type { FieldPacket, PoolConnection, RowDataPacket, TypeCast } from 'mysql2/promise';
import { notAQuery, sourceError, tooManyRows } from './connectionErrors.js';
import { CONNECT_TIMEOUT_MS, MAX_RESULT_ROWS, STATEMENT_TIMEOUT_MS, type ExternalConfig } from './ExternalConfig.js';
import { exactNumberText, naiveTimestampIso, normalizeValue } from './normalize.js';
import type { SourceConnector } from './SourceConnector.js';
import { fieldFromSqlType } from './sqlNames.js';
import { cannotCheckWriteAccess, mysqlWriteAccess, type SourceProbe } from './writeAccess.js';

/**
 * Decimals and 64-bit integers → numbers when exact, else their digits as text; TINYINT(1) →
 * boolean; DATE stays YYYY-MM-DD; DATETIME → wall-clock text without `Z`.
 * Works for both protocols: queries run as prepared statements (binary rows).
 */
const typeCast: TypeCast = (field, next) => {
  switch (field.type) {
    case 'TINY': {
      // TINYINT(1) is how MySQL spells BOOLEAN.
      if (field.length !== 1) return next();
      const s = field.string();
      return s === null ? null : s !== '0';
    }
    case 'NEWDECIMAL':
    case 'DECIMAL': {
      const s = field.string();
      return s === null ? null : exactNumberText(s);
    }
    case 'LONGLONG': {
      // Binary rows carry 8 bytes, not text; the driver reads them (a string when beyond 2^53).
      const v: unknown = next();
      return v === null ? null : exactNumberText(String(v));
    }
    case 'DATE':
    case 'NEWDATE':
      return field.string();
    case 'DATETIME':
    case 'DATETIME2':
    case 'TIMESTAMP':
    case 'TIMESTAMP2': {
      const s = field.string();
      return s === null || s.startsWith('0000') ? null : naiveTimestampIso(s);
    }
    default:
      return next();
  }
};

// Protocol column type codes (mysql2 FieldPacket.columnType).
function fieldTypeFromColumnType(code: number | undefined, length: number | undefined): FieldType {
  switch (code) {
    case 1: // TINY
      return length === 1 ? 'boolean' : 'integer';
    case 2: case 3: case 8: case 9: case 13: // SHORT LONG LONGLONG INT24 YEAR
      return 'integer';
    case 0: case 4: case 5: case 246: // DECIMAL FLOAT DOUBLE NEWDECIMAL
      return 'number';
    case 10: case 14: // DATE NEWDATE
      return 'date';
    case 7: case 12: case 17: case 18: // TIMESTAMP DATETIME TIMESTAMP2 DATETIME2
      return 'datetime';
    default:
      return 'string';
  }
}

function poolOptions(c: ExternalConfig): mysql.PoolOptions {
  return {
    host: c.host,
    port: c.port,
    database: c.database,
    user: c.user,
    password: c.password,
    ssl: c.ssl ? { rejectUnauthorized: false } : undefined,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionLimit: 5,
    maxIdle: 2,
    idleTimeout: 60_000,
    supportBigNumbers: true,
    typeCast,
    // Each distinct SQL text stays prepared on the server until evicted; keep well under max_prepared_stmt_count.
    maxPreparedStatements: 100,
    charset: 'utf8mb4',
  };
}

/** A pooled, read-only connection to one MySQL / MariaDB source. */
export class MysqlConnector implements SourceConnector {
  readonly dialect = 'mysql' as const;
  private readonly pool: mysql.Pool;
  /** Connections whose session statement timeout is already set. */
  private readonly prepared = new WeakSet<object>();

  constructor(private readonly config: ExternalConfig) {
    this.pool = mysql.createPool(poolOptions(config));
  }

  private async session(): Promise<PoolConnection> {
    const conn = await this.pool.getConnection();
    if (!this.prepared.has(conn.connection)) {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS v, @@SESSION.sql_mode AS m');
      const isMaria = /mariadb/i.test(String(rows[0]?.v ?? ''));
      // Quotes and backslashes must mean what the dataset SQL guard's lexer assumes.
      const sqlMode = String(rows[0]?.m ?? '')
        .split(',')
        .filter((m) => m !== '' && !['ANSI', 'ANSI_QUOTES', 'NO_BACKSLASH_ESCAPES'].includes(m))
        .join(',');
      // Server-side limit: MariaDB counts seconds, MySQL milliseconds (SELECT only).
      const timeout = isMaria
        ? `max_statement_time = ${STATEMENT_TIMEOUT_MS / 1000}`
        : `max_execution_time = ${STATEMENT_TIMEOUT_MS}`;
      await conn.query(`SET SESSION sql_mode = ?, SESSION ${timeout}`, [sqlMode]);
      this.prepared.add(conn.connection);
    }
    return conn;
  }

  private async run(sql: string, params: readonly unknown[]): Promise<{ rows: RowDataPacket[]; fields: FieldPacket[] }> {
    let conn: PoolConnection;
    try {
      conn = await this.session();
    } catch (err) {
      throw sourceError(err, this.config);
    }
    let drop = false;
    try {
      await conn.query('START TRANSACTION READ ONLY');
      // A prepared statement is exactly one statement. One without result columns (SET, CALL,
      // COMMIT, SELECT … INTO OUTFILE) is refused before it runs.
      const statement = await prepare(conn, sql);
      if (statement.columns.length === 0) throw notAQuery();
      return await executeCapped(conn, sql, params, () => (drop = true));
    } catch (err) {
      throw sourceError(err, this.config);
    } finally {
      if (drop) {
        conn.destroy();
      } else {
        await conn.query('ROLLBACK').catch(() => {});
        conn.release();
      }
    }
  }

  async query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const { rows } = await this.run(sql, params);
    return rows.map((r) => {
      // Keyed by column names from the query, so a column may be called __proto__.
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, v] of Object.entries(r)) out[k] = normalizeValue(v);
      return out;
    });
  }

  async listTables(): Promise<string[]> {
    const rows = await this.query(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name',
      [],
    );
    return rows.map((r) => String(r.t));
  }

  async listFields(table: string): Promise<Field[] | null> {
    const rows = await this.query(
      `SELECT column_name AS n, column_type AS t FROM information_schema.columns
       WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`,
      [table],
    );
    if (rows.length === 0) return null;
    return rows.map((r) => fieldFromSqlType(String(r.n), String(r.t)));
  }

  async describeQuery(sql: string): Promise<Field[]> {
    const { fields } = await this.run(`SELECT * FROM (\n${sql}\n) AS q LIMIT 0`, []);
    return fields.map((f) => {
      const type = fieldTypeFromColumnType(f.columnType ?? f.type, f.columnLength);
      // DECIMAL / NEWDECIMAL: the scale is the column's decimals; the length counts digits, sign and point.
      const code = f.columnType ?? f.type;
      if ((code === 0 || code === 246) && f.decimals !== undefined && f.columnLength !== undefined) {
        const precision = Math.max(1, Math.min(65, f.columnLength - (f.decimals > 0 ? 2 : 1)));
        return { name: f.name, type, precision, scale: f.decimals };
      }
      return { name: f.name, type };
    });
  }

  async version(): Promise<string> {
    const rows = await this.query('SELECT VERSION() AS v', []);
    return String(rows[0]?.v ?? '');
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}

/** The driver's callback connection under the promise wrapper: it can prepare and stream rows. */
const callbackConnection = (conn: PoolConnection) => conn.connection as unknown as CallbackConnection;

function prepare(conn: PoolConnection, sql: string): Promise<{ columns: unknown[] }> {
  return new Promise((resolve, reject) =>
    callbackConnection(conn).prepare(sql, (err, statement) =>
      // The typings omit `columns`, which the driver fills from the server's answer.
      err ? reject(err) : resolve(statement as unknown as { columns: unknown[] }),
    ),
  );
}

/**
 * Runs the (already prepared) statement, keeping at most MAX_RESULT_ROWS rows. Past that the
 * connection is given up (`onOverflow`) so the server stops sending.
 */
function executeCapped(
  conn: PoolConnection,
  sql: string,
  params: readonly unknown[],
  onOverflow: () => void,
): Promise<{ rows: RowDataPacket[]; fields: FieldPacket[] }> {
  return new Promise((resolve, reject) => {
    const rows: RowDataPacket[] = [];
    let fields: FieldPacket[] = [];
    let settled = false;
    const cmd = callbackConnection(conn).execute({ sql, values: [...params], timeout: STATEMENT_TIMEOUT_MS + 2_000 });
    cmd.on('fields', (f: FieldPacket[]) => (fields = f));
    cmd.on('result', (row: RowDataPacket) => {
      if (settled) return;
      rows.push(row);
      if (rows.length > MAX_RESULT_ROWS) {
        settled = true;
        onOverflow();
        reject(tooManyRows());
      }
    });
    cmd.on('error', (err: unknown) => {
      if (!settled) reject(err);
      settled = true;
    });
    cmd.on('end', () => {
      if (!settled) resolve({ rows, fields });
      settled = true;
    });
  });
}

/** Opens one connection, asks the version and what the account could write, closes: the "test connection" button. */
export async function testMysql(config: ExternalConfig): Promise<SourceProbe> {
  const { connectionLimit: _l, maxIdle: _m, idleTimeout: _i, ...opts } = poolOptions(config);
  const conn = await mysql.createConnection(opts);
  try {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS v');
    const version = String(rows[0]?.v ?? '');
    return { version, writeAccess: await mysqlWriteAccess(conn, config.user).catch(cannotCheckWriteAccess) };
  } finally {
    await conn.end().catch(() => {});
  }
}
