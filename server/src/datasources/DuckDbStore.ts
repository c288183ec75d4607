import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBDecimalType,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  StatementType,
  type DuckDBAppender,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';
import { canonicalDecimal, type Field, type FieldType } from '@shulan/shared';
import { ValidationError, msg } from '../errors.js';
import { sourceError } from './connectionErrors.js';
import { STATEMENT_TIMEOUT_MS } from './ExternalConfig.js';
import type { SourceConnector } from './SourceConnector.js';
import { exactInteger, exactNumberText, wallClockText } from './normalize.js';
import { fieldFromSqlType, quoteIdent } from './sqlNames.js';
import type { EmbeddedStore } from './types.js';

/** Physical table names we accept: generated ones (`t_…`) and fixed ones such as the sample. */
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Widest DECIMAL DuckDB stores (a 128-bit integer). */
export const MAX_DECIMAL_PRECISION = 38;

/** The column type of a field: an exact DECIMAL(p,s) when it has a scale, else by its type. */
function duckType(f: Field): string {
  if (f.type === 'number' && f.scale !== undefined) {
    const p = Math.min(MAX_DECIMAL_PRECISION, Math.max(f.precision ?? 18, f.scale + 1));
    return `DECIMAL(${p},${f.scale})`;
  }
  return DUCK_TYPE[f.type];
}

const DUCK_TYPE: Record<FieldType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  datetime: 'TIMESTAMP',
};

/** Rows appended (a few milliseconds of work) before other requests get a turn during a large import. */
const YIELD_ROWS = 2048;

const DATE_IDS = new Set<number>([DuckDBTypeId.DATE]);
const TIMESTAMP_IDS = new Set<number>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

function fieldTypeFromTypeId(id: number): FieldType {
  if (DATE_IDS.has(id)) return 'date';
  if (TIMESTAMP_IDS.has(id)) return 'datetime';
  switch (id) {
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT: case DuckDBTypeId.UHUGEINT:
      return 'integer';
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE: case DuckDBTypeId.DECIMAL:
      return 'number';
    default:
      return 'string';
  }
}

/** DuckDB's JS conversion, except that DECIMALs keep every digit (the JS one makes them doubles). */
const exactConverter: DuckDBValueConverter<unknown> = (value, type, converter) =>
  type.typeId === DuckDBTypeId.DECIMAL && value !== null ? exactNumberText(String(value)) : JSDuckDBValueConverter(value, type, converter as DuckDBValueConverter<JS>);

/**
 * Rows as plain values: integers and DECIMALs as exact JSON (a number, or the digits as text when
 * a number would round them), DATE → YYYY-MM-DD, TIMESTAMP → wall-clock text without `Z`,
 * TIMESTAMPTZ → ISO instant.
 */
function readRows(reader: DuckDBResultReader): Record<string, unknown>[] {
  const ids = reader.columnTypes().map((t) => t.typeId as number);
  const names = reader.columnNames();
  return reader.convertRows(exactConverter).map((row) => {
    // Keyed by column names users chose: a column named __proto__ must stay a column.
    const out: Record<string, unknown> = Object.create(null);
    row.forEach((v, i) => {
      const id = ids[i]!;
      let value: unknown = v;
      if (v instanceof Date) value = DATE_IDS.has(id) ? v.toISOString().slice(0, 10) : id === DuckDBTypeId.TIMESTAMP_TZ ? v.toISOString() : wallClockText(v);
      else if (typeof v === 'bigint') value = exactInteger(v);
      else if (v !== null && typeof v === 'object') value = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? exactInteger(x) : x));
      out[names[i]!] = value === undefined ? null : value;
    });
    return out;
  });
}

/**
 * JS parameter → DuckDB value. DuckDB infers each parameter's type from where it is used; a
 * number compared with a text column is sent as text, so `city = $1` with 1 matches '1' instead
 * of casting the whole column to a number. Dates travel as ISO text, DuckDB casts them.
 */
function toParam(v: unknown, expected: DuckDBTypeId): DuckDBValue {
  if (v === null || v === undefined) return null;
  if (expected === DuckDBTypeId.VARCHAR && (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean')) return String(v);
  if (expected === DuckDBTypeId.DOUBLE && typeof v === 'number') return v;
  if (typeof v === 'number' && Number.isInteger(v) && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** `2024-01-02T03:04:05.000Z` → `2024-01-02 03:04:05.000`, the text DuckDB casts to TIMESTAMP. */
const tsText = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function appendCell(ap: DuckDBAppender, field: Field, v: unknown): void {
  if (v === null || v === undefined || v === '') return ap.appendNull();
  const { type, name: column } = field;
  const bad = () => new ValidationError(msg(`列「${column}」的值 ${String(v)} 不是 ${type}`, `Column "${column}": ${String(v)} is not ${type}`));
  switch (type) {
    case 'integer': {
      if (typeof v === 'bigint') return ap.appendBigInt(v);
      if (typeof v === 'number' && Number.isInteger(v)) return ap.appendBigInt(BigInt(v));
      const big = typeof v === 'string' && /^[+-]?\d{1,19}$/.test(v.trim()) ? BigInt(v.trim()) : null;
      if (big !== null && big >= INT64_MIN && big <= INT64_MAX) return ap.appendBigInt(big);
      throw bad();
    }
    case 'number': {
      // A DECIMAL column takes the digits as text (DuckDB casts exactly); through a double they could round.
      if (field.scale !== undefined) {
        const text = typeof v === 'number' || typeof v === 'string' ? canonicalDecimal(String(v)) : null;
        if (text === null) throw bad();
        return ap.appendVarchar(text);
      }
      const n = typeof v === 'string' ? Number(v.trim()) : Number(v);
      if (typeof v === 'boolean' || !Number.isFinite(n)) throw bad();
      return ap.appendDouble(n);
    }
    case 'boolean':
      if (typeof v === 'boolean') return ap.appendBoolean(v);
      throw bad();
    case 'date':
      if (v instanceof Date) return ap.appendVarchar(v.toISOString().slice(0, 10));
      return ap.appendVarchar(String(v));
    case 'datetime':
      if (v instanceof Date) return ap.appendVarchar(tsText(v));
      return ap.appendVarchar(String(v));
    case 'string':
      return ap.appendVarchar(v instanceof Date ? v.toISOString() : String(v));
  }
}

/** Names of the tables Shulan knows: those of imported tables and of table datasets on the store. */
export type TableRegistry = () => Promise<ReadonlySet<string>>;

/**
 * Several instances (SHULAN_SHARED_DIR): each upload version is also written once as an immutable
 * Parquet file in the shared dir, and the application database names the current file of each
 * table. An instance that has not loaded that file yet loads it into its own DuckDB before the
 * next read, so an upload on one instance is queryable on all, at local DuckDB speed.
 */
export interface SharedTableFiles {
  /** The shared dir, absolute. */
  dir: string;
  /** table → file (relative to dir) of every table's current version. */
  current(): Promise<Map<string, string>>;
  /** Names `file` as the current version of `table`. */
  publish(table: string, file: string): Promise<void>;
  remove(table: string): Promise<void>;
}

export interface DuckDbStoreOptions {
  registeredTables: TableRegistry;
  /** Where the start-up sweep reports the tables it dropped. */
  log?: (line: string) => void;
  shared?: SharedTableFiles | null;
}

/** Single-quoted SQL string literal (file paths in COPY and read_parquet cannot be parameters). */
const sqlText = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** Table functions a query may call: they make rows and read nothing. Catalog functions are refused. */
const TABLE_FUNCTIONS = new Set(['RANGE', 'GENERATE_SERIES', 'UNNEST']);

interface PlanNode {
  name: string;
  children?: PlanNode[];
  extra_info?: { Table?: string; Function?: string };
}

function* planNodes(nodes: PlanNode[]): Generator<PlanNode> {
  for (const n of nodes) {
    yield n;
    yield* planNodes(n.children ?? []);
  }
}

const catalogRefused = (what: string) =>
  new ValidationError(
    msg(
      `SQL 数据集不能读取数据库目录或调用表函数（${what}），只能查询已导入的表`,
      `SQL datasets cannot read the database catalog or call table functions (${what}); query imported tables only`,
    ),
  );

/** The embedded analytics store: one DuckDB file in the data dir. */
export class DuckDbStore implements EmbeddedStore, SourceConnector {
  readonly dialect = 'duckdb' as const;
  /** DDL and loads run one at a time; reads run freely on their own connections. */
  private writing: Promise<unknown> = Promise.resolve();
  /** Shared mode: the shared file each local table was loaded from (empty after a restart: all reload once). */
  private readonly loaded = new Map<string, string>();
  private readonly loading = new Map<string, Promise<void>>();

  private constructor(
    private readonly instance: DuckDBInstance,
    /** The catalog name of the file, as query plans spell tables: `<catalog>.main.<table>`. */
    private readonly catalog: string,
    private readonly registeredTables: TableRegistry,
    private readonly shared: SharedTableFiles | null = null,
  ) {}

  static async open(file: string, opts: DuckDbStoreOptions): Promise<DuckDbStore> {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // SQL datasets run user SQL here: no reading server files (read_csv('/etc/…')), no
    // extensions, and the setting cannot be turned back on from SQL. EXPLAIN also shows the plan
    // before optimization, where every table a query reads is still visible (assertReadsRegistered).
    const shared = opts.shared ?? null;
    const instance = await DuckDBInstance.create(file, {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      explain_output: 'all',
      ...(shared ? {} : { enable_external_access: 'false', lock_configuration: 'true' }),
    });
    try {
      const c = await instance.connect();
      try {
        if (shared) {
          // The shared dir only: our own COPY and read_parquet reach it; user SQL still cannot
          // (table functions are refused by assertReadsRegistered, statements other than SELECT by type).
          fs.mkdirSync(path.join(shared.dir, 'tables'), { recursive: true, mode: 0o700 });
          await c.run(`SET allowed_directories = [${sqlText(`${path.join(shared.dir, 'tables')}/`)}]`);
          await c.run('SET enable_external_access = false');
          await c.run('SET lock_configuration = true');
        }
        const catalog = String((await c.runAndReadAll('SELECT current_database()')).getRowsJS()[0]?.[0]);
        const store = new DuckDbStore(instance, catalog, opts.registeredTables, shared);
        await store.sweep(c, opts.log ?? (() => {}));
        return store;
      } finally {
        c.closeSync();
      }
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  /**
   * Drops what a crash or a failed import left behind: tables and views no import or dataset
   * registers, and the `…__load_…` tables of imports a crash interrupted (before imports loaded
   * through temporary tables, which vanish with their connection).
   */
  private async sweep(c: DuckDBConnection, log: (line: string) => void): Promise<void> {
    const registered = await this.registeredTables();
    const found = (
      await c.runAndReadAll(
        `SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal AND NOT temporary
         UNION ALL
         SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary`,
      )
    ).getRowsJS() as [string, string, 'TABLE' | 'VIEW'][];
    for (const [schema, name, kind] of found) {
      if (schema === 'main' && registered.has(name) && !name.includes('__load_')) continue;
      await c.run(`DROP ${kind} IF EXISTS ${quoteIdent('duckdb', schema)}.${quoteIdent('duckdb', name)}`);
      log(`embedded store: dropped ${kind.toLowerCase()} ${schema}.${name}, which no imported table or dataset registers`);
    }
  }

  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>, timeoutMs: number | null = STATEMENT_TIMEOUT_MS): Promise<T> {
    const c = await this.instance.connect();
    // DuckDB has no statement_timeout setting: interrupt long reads ourselves.
    const timer = timeoutMs === null ? null : setTimeout(() => c.interrupt(), timeoutMs);
    try {
      return await fn(c);
    } finally {
      if (timer) clearTimeout(timer);
      c.closeSync();
    }
  }

  /** A read whose SQL errors (syntax, unknown column, blocked file access) are the user's to fix. */
  private async reading<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    try {
      return await this.withConnection(fn);
    } catch (err) {
      throw sourceError(err, null);
    }
  }

  /**
   * Refuses a statement that reads a table nobody registered (a load in progress, something left
   * over) or the catalog (duckdb_tables(), information_schema, DESCRIBE). Tables are read from
   * the plan before optimization, which the optimizer cannot hide (LIMIT 0, WHERE false); table
   * functions from the plan that runs.
   */
  private async assertReadsRegistered(c: DuckDBConnection, sql: string, values: DuckDBValue[]): Promise<void> {
    const explain = await c.prepare(`EXPLAIN (FORMAT JSON) ${sql}`);
    let plans: [string, string][];
    try {
      if (values.length > 0) explain.bind(values);
      plans = (await explain.runAndReadAll()).getRowsJS() as [string, string][];
    } finally {
      explain.destroySync();
    }
    const tables = new Set<string>();
    for (const [kind, json] of plans) {
      for (const node of planNodes(JSON.parse(json) as PlanNode[])) {
        if (node.extra_info?.Table !== undefined) tables.add(node.extra_info.Table);
        // DESCRIBE and SHOW are answered from the catalog while binding: a chunk of ready rows.
        if (kind === 'logical_plan' && node.name === 'CHUNK_GET') throw catalogRefused('DESCRIBE / SHOW');
        const fn = node.extra_info?.Function;
        if (kind === 'physical_plan' && fn !== undefined && !TABLE_FUNCTIONS.has(fn)) throw catalogRefused(`${fn.toLowerCase()}()`);
      }
    }
    if (tables.size === 0) return;
    const registered = await this.registeredTables();
    const prefix = `${this.catalog}.main.`;
    for (const table of tables) {
      if (!table.startsWith(prefix) || !registered.has(table.slice(prefix.length))) {
        throw new ValidationError(msg(`没有表 ${table}（SQL 数据集只能查询已导入的表）`, `No table ${table} (SQL datasets can query imported tables only)`));
      }
    }
  }

  /** Prepares one SELECT (anything else is refused by its type), binds it and checks what it reads. */
  private async prepareRead(c: DuckDBConnection, sql: string, params: readonly unknown[]): Promise<DuckDBPreparedStatement> {
    const stmt = await c.prepare(sql);
    try {
      assertSelect(stmt.statementType);
      const values = params.map((v, i) => toParam(v, stmt.parameterTypeId(i + 1)));
      if (values.length > 0) stmt.bind(values);
      await this.assertReadsRegistered(c, sql, values);
      return stmt;
    } catch (err) {
      stmt.destroySync();
      throw err;
    }
  }

  /**
   * Shared mode: loads every table version another instance published since this one last looked
   * (one primary-key scan of a small table per read; a load only after an upload elsewhere).
   */
  private async catchUp(): Promise<void> {
    if (!this.shared) return;
    const current = await this.shared.current();
    const stale = [...current].filter(([table, file]) => this.loaded.get(table) !== file);
    await Promise.all(stale.map(([table, file]) => this.loadShared(table, file)));
  }

  private loadShared(table: string, file: string): Promise<void> {
    const key = `${table}|${file}`;
    let p = this.loading.get(key);
    if (!p) {
      p = this.serially(() =>
        this.withConnection(async (c) => {
          if (this.loaded.get(table) === file || !TABLE_NAME.test(table)) return;
          const full = path.join(this.shared!.dir, file);
          await c.run(`CREATE OR REPLACE TABLE ${quoteIdent('duckdb', table)} AS SELECT * FROM read_parquet(${sqlText(full)})`);
          this.loaded.set(table, file);
        }, null),
      ).finally(() => this.loading.delete(key));
      this.loading.set(key, p);
    }
    return p;
  }

  /** Runs one SELECT over registered tables. */
  async query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    await this.catchUp();
    return this.reading(async (c) => {
      const stmt = await this.prepareRead(c, sql, params);
      try {
        return readRows(await stmt.runAndReadAll());
      } finally {
        stmt.destroySync();
      }
    });
  }

  async describeQuery(sql: string): Promise<Field[]> {
    await this.catchUp();
    return this.reading(async (c) => {
      const stmt = await this.prepareRead(c, sql, []);
      try {
        const fields: Field[] = [];
        for (let i = 0; i < stmt.columnCount; i++) {
          const type = stmt.columnType(i);
          fields.push({
            name: stmt.columnName(i),
            type: fieldTypeFromTypeId(type.typeId),
            ...(type instanceof DuckDBDecimalType ? { precision: type.width, scale: type.scale } : {}),
          });
        }
        return fields;
      } finally {
        stmt.destroySync();
      }
    });
  }

  /** Our own catalog reads, which user SQL may not make. */
  private async catalogRows(sql: string, params: DuckDBValue[]): Promise<Record<string, unknown>[]> {
    return this.withConnection(async (c) => readRows(await c.runAndReadAll(sql, params)));
  }

  /** Every table in the file, registered or not, for our own checks; routes list the registry instead. */
  async listTables(): Promise<string[]> {
    const rows = await this.catalogRows(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name",
      [],
    );
    return rows.map((r) => String(r.t));
  }

  async listFields(table: string): Promise<Field[] | null> {
    if (!TABLE_NAME.test(table) || !(await this.registeredTables()).has(table)) return null;
    await this.catchUp();
    const rows = await this.catalogRows(
      "SELECT column_name AS n, data_type AS t FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 ORDER BY ordinal_position",
      [table],
    );
    if (rows.length === 0) return null;
    return rows.map((r) => fieldFromSqlType(String(r.n), String(r.t)));
  }

  async version(): Promise<string> {
    const rows = await this.catalogRows('SELECT version() AS v', []);
    return `DuckDB ${String(rows[0]?.v ?? '')}`;
  }

  async replaceTable(
    table: string,
    fields: Field[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  ): Promise<number> {
    return this.load(table, fields, rows, 'replace');
  }

  /** Adds rows to an existing table whose columns are `fields`, in that order; all or nothing. */
  async appendTable(
    table: string,
    fields: Field[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  ): Promise<number> {
    return this.load(table, fields, rows, 'append');
  }

  private async load(
    table: string,
    fields: Field[],
    rows: Iterable<unknown[]> | AsyncIterable<unknown[]>,
    mode: 'replace' | 'append',
  ): Promise<number> {
    assertTableName(table);
    const seen = new Set<string>();
    for (const f of fields) {
      const key = f.name.toLowerCase();
      if (seen.has(key)) throw new ValidationError(msg(`列名重复：${f.name}`, `Duplicate column name: ${f.name}`));
      seen.add(key);
    }
    if (fields.length === 0) throw new ValidationError(msg('至少需要一列', 'At least one column is needed'));
    return this.serially(() =>
      this.withConnection(async (c) => {
        // Load into a temporary table, which only this connection sees and which a crash takes
        // with it; then copy it in (and swap, for a replace) in one transaction, so readers never
        // see a half-loaded table. Appending to a temporary table never compresses row groups on
        // the event loop, the copy runs on DuckDB's threads.
        const temp = `load_${randomBytes(8).toString('hex')}`;
        const cols = fields.map((f) => `${quoteIdent('duckdb', f.name)} ${duckType(f)}`).join(', ');
        await c.run(`CREATE TEMP TABLE ${temp} (${cols})`);
        let count = 0;
        try {
          const ap = await c.createAppender(temp, 'main', 'temp');
          try {
            for await (const row of rows) {
              fields.forEach((f, i) => appendCell(ap, f, row[i]));
              ap.endRow();
              if (++count % YIELD_ROWS === 0) {
                ap.flushSync();
                await nextTurn();
              }
            }
            ap.flushSync();
          } finally {
            ap.closeSync();
          }
          const sharedFile = this.shared ? `tables/${table}/${randomBytes(8).toString('hex')}.parquet` : null;
          await c.run('BEGIN TRANSACTION');
          if (mode === 'replace') {
            await c.run(`DROP TABLE IF EXISTS ${quoteIdent('duckdb', table)}`);
            await c.run(`CREATE TABLE ${quoteIdent('duckdb', table)} AS SELECT * FROM temp.main.${temp}`);
          } else {
            const names = fields.map((f) => quoteIdent('duckdb', f.name)).join(', ');
            await c.run(`INSERT INTO ${quoteIdent('duckdb', table)} (${names}) SELECT ${names} FROM temp.main.${temp}`);
          }
          // Shared mode: the version's immutable file holds the whole table as it now is (an append
          // included), written before the commit and named current after it, so the other
          // instances load it only once this instance has it.
          if (sharedFile) {
            fs.mkdirSync(path.join(this.shared!.dir, 'tables', table), { recursive: true, mode: 0o700 });
            await c.run(`COPY (SELECT * FROM ${quoteIdent('duckdb', table)}) TO ${sqlText(path.join(this.shared!.dir, sharedFile))} (FORMAT parquet, COMPRESSION zstd)`);
          }
          await c.run('COMMIT');
          if (sharedFile) {
            await this.shared!.publish(table, sharedFile);
            this.loaded.set(table, sharedFile);
          }
        } catch (err) {
          await c.run('ROLLBACK').catch(() => {});
          throw err;
        } finally {
          await c.run(`DROP TABLE IF EXISTS temp.main.${temp}`).catch(() => {});
        }
        return count;
      }, null),
    );
  }

  async dropTable(table: string): Promise<void> {
    assertTableName(table);
    await this.serially(() =>
      this.withConnection(async (c) => {
        await c.run(`DROP TABLE IF EXISTS ${quoteIdent('duckdb', table)}`);
        await this.shared?.remove(table);
        this.loaded.delete(table);
      }),
    );
  }

  async close(): Promise<void> {
    await this.writing.catch(() => {});
    this.instance.closeSync();
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.writing.then(fn, fn);
    this.writing = next.catch(() => {});
    return next;
  }
}

function assertTableName(table: string): void {
  if (!TABLE_NAME.test(table)) throw new Error(`invalid embedded table name: ${table}`);
}

function assertSelect(type: StatementType): void {
  if (type !== StatementType.SELECT) {
    throw new ValidationError(msg('只允许查询语句（SELECT）', 'Only queries (SELECT) are allowed'));
  }
}
