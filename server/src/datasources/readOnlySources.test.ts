import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { newId, nowIso } from '../lib/ids.js';
import { MAX_RESULT_ROWS } from './ExternalConfig.js';
import type { SourceConnector } from './SourceConnector.js';

// An editor must not be able to change a source through dataset SQL, whatever the source
// account may do. Sources here use accounts that CAN write (postgres superuser, MariaDB root),
// so every refusal below comes from Shulan, and each case checks the canary table afterwards.

const suffix = randomBytes(5).toString('hex');
const pgDb = `shulan_ro_${suffix}`;
const pgReader = `shulan_reader_${suffix}`;
const pgWriter = `shulan_writer_${suffix}`;
const myCanary = `canary_${suffix}`;
const myReader = `shulan_r_${suffix}`;
const myPassword = `Pw-${suffix}`;
const outFile = `/tmp/shulan_${suffix}.txt`;
const programFile = `/tmp/shulan_${suffix}_program`;

const PG_ROOT = 'postgres://postgres@127.0.0.1:5432';
const MY_ROOT = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };
const pgSource = { kind: 'postgres', host: '127.0.0.1', port: 5432, database: pgDb, user: 'postgres', password: 'unused-under-trust', ssl: false };
const mySource = { kind: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: 'root', password: '', ssl: false };

let t: TestApp;
let admin: Record<string, string>;
let editor: Awaited<ReturnType<TestApp['user']>>;
let pgId: string;
let myId: string;

async function pgRun(db: string, sqlText: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: `${PG_ROOT}/${db}` });
  await c.connect();
  try {
    return await c.query(sqlText);
  } finally {
    await c.end();
  }
}

async function myRun(sqlText: string): Promise<unknown> {
  const c = await mysql.createConnection(MY_ROOT);
  try {
    return (await c.query(sqlText))[0];
  } finally {
    await c.end();
  }
}

/** Rows in each canary table; 3 unless something wrote. */
async function canaries(): Promise<{ pg: number; my: number }> {
  const p = await pgRun(pgDb, 'SELECT count(*)::int AS n FROM canary');
  const m = (await myRun(`SELECT COUNT(*) AS n FROM \`${myCanary}\``)) as { n: number }[];
  return { pg: p.rows[0].n, my: Number(m[0]!.n) };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.user('admin')).headers;
  editor = await t.user('editor');

  await pgRun('postgres', `CREATE DATABASE ${pgDb}`);
  await pgRun(
    pgDb,
    `CREATE TABLE canary (id int); INSERT INTO canary VALUES (1), (2), (3);
     CREATE ROLE ${pgReader} LOGIN; GRANT CONNECT ON DATABASE ${pgDb} TO ${pgReader};
     GRANT USAGE ON SCHEMA public TO ${pgReader}; GRANT SELECT ON canary TO ${pgReader};
     CREATE ROLE ${pgWriter} LOGIN CREATEDB; GRANT CONNECT ON DATABASE ${pgDb} TO ${pgWriter};
     GRANT USAGE, CREATE ON SCHEMA public TO ${pgWriter}; GRANT SELECT, INSERT ON canary TO ${pgWriter};`,
  );
  await myRun(`CREATE TABLE \`${myCanary}\` (id INT)`);
  await myRun(`INSERT INTO \`${myCanary}\` VALUES (1), (2), (3)`);
  await myRun(`CREATE USER '${myReader}'@'%' IDENTIFIED BY '${myPassword}'`);
  await myRun(`GRANT SELECT ON test.\`${myCanary}\` TO '${myReader}'@'%'`);

  const p = await t.call({ method: 'POST', url: '/api/datasources', headers: admin, body: { name: 'PG 可写账号', ...pgSource } });
  pgId = p.json.data.id;
  const m = await t.call({ method: 'POST', url: '/api/datasources', headers: admin, body: { name: 'MariaDB 可写账号', ...mySource } });
  myId = m.json.data.id;
});

afterAll(async () => {
  await t?.close();
  await pgRun('postgres', `DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`).catch(() => {});
  await pgRun('postgres', `DROP ROLE IF EXISTS ${pgReader}; DROP ROLE IF EXISTS ${pgWriter}`).catch(() => {});
  await myRun(`DROP TABLE IF EXISTS \`${myCanary}\``).catch(() => {});
  await myRun(`DROP USER IF EXISTS '${myReader}'@'%'`).catch(() => {});
  fs.rmSync(outFile, { force: true });
  fs.rmSync(programFile, { force: true });
});

/** Reads as PG: E'\'' is one quote, so the rest is three more statements; a naive check sees one string. */
const PG_E_STRING_SMUGGLE =
  "SELECT E'\\'' AS a) AS q; COMMIT; BEGIN TRANSACTION READ WRITE; DELETE FROM canary; COMMIT; SELECT * FROM (SELECT 'x' AS b";
/** Reads as MariaDB: '\'' is one quote, then INTO OUTFILE, then a # comment eating the wrapper. */
const MY_BACKSLASH_SMUGGLE = `SELECT '\\'' AS a) AS q INTO OUTFILE '${outFile}' #'`;

describe('dataset SQL through the API, as an editor', () => {
  const createSql = (datasourceId: string, sqlText: string) =>
    t.call({ method: 'POST', url: '/api/datasets', headers: editor.headers, body: { name: `d_${randomBytes(3).toString('hex')}`, datasourceId, kind: 'sql', sql: sqlText } });

  it.each([
    ['stacked statements', 'SELECT 1 AS a; DELETE FROM canary', /一条语句/],
    ['COMMIT and BEGIN inside', 'SELECT 1 AS a; COMMIT; BEGIN; DELETE FROM canary', /一条语句/],
    ['an E-string hiding a COMMIT', PG_E_STRING_SMUGGLE, /一条语句/],
    ['pg_read_file', "SELECT pg_read_file('/etc/hostname') AS f", /PG_READ_FILE/],
    ['COPY … TO PROGRAM', `COPY (SELECT 1) TO PROGRAM 'touch ${programFile}'`, /SELECT 或 WITH/],
    ['a data-modifying CTE', 'WITH d AS (DELETE FROM canary RETURNING *) SELECT * FROM d', /DELETE/],
    ['SET ROLE', 'SET ROLE postgres', /SELECT 或 WITH/],
    ['SELECT INTO', 'SELECT * INTO canary_copy FROM canary', /INTO/],
  ])('PostgreSQL refuses %s and nothing changes', async (_what, sqlText, why) => {
    const res = await createSql(pgId, sqlText);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(why);
    expect(await canaries()).toEqual({ pg: 3, my: 3 });
    expect(fs.existsSync(programFile)).toBe(false);
    const copy = await pgRun(pgDb, "SELECT to_regclass('canary_copy') AS c");
    expect(copy.rows[0].c).toBeNull();
  });

  it.each([
    ['stacked statements', `SELECT 1 AS a; DELETE FROM \`${myCanary}\``, /一条语句/],
    ['COMMIT inside an executable comment', `SELECT 1 AS a /*! ; COMMIT; DELETE FROM \`${myCanary}\` */`, /一条语句/],
    ['a backslash escape hiding INTO OUTFILE', MY_BACKSLASH_SMUGGLE, /INTO/],
    ['INTO OUTFILE in an executable comment', `SELECT 1 AS a /*!50000 INTO OUTFILE '${outFile}' */`, /INTO/],
    ['LOAD_FILE', "SELECT LOAD_FILE('/etc/hostname') AS f", /LOAD_FILE/],
    ['BEGIN', 'BEGIN', /SELECT 或 WITH/],
    ['SET ROLE', 'SET ROLE NONE', /SELECT 或 WITH/],
  ])('MariaDB refuses %s and nothing changes', async (_what, sqlText, why) => {
    const res = await createSql(myId, sqlText);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(why);
    expect(await canaries()).toEqual({ pg: 3, my: 3 });
    expect(fs.existsSync(outFile)).toBe(false);
  });

  it('an update to a dataset is checked the same way', async () => {
    const ok = await createSql(pgId, 'SELECT id FROM canary');
    expect(ok.status).toBe(200);
    const res = await t.call({ method: 'PUT', url: `/api/datasets/${ok.json.data.id}`, headers: editor.headers, body: { sql: PG_E_STRING_SMUGGLE } });
    expect(res.status).toBe(400);
    expect(await canaries()).toEqual({ pg: 3, my: 3 });
  });

  it('a dataset whose SQL got past the check (saved by an older version) still cannot write: preview and widget data', async () => {
    // Stored directly, as if the keyword check had missed it: only the database-level guard is left.
    const stored = async (datasourceId: string, sqlText: string) => {
      const id = newId();
      await t.deps.db
        .insertInto('datasets')
        .values({
          id,
          name: `stored_${randomBytes(3).toString('hex')}`,
          datasource_id: datasourceId,
          kind: 'sql',
          table_name: null,
          sql: sqlText,
          fields_json: JSON.stringify([{ name: 'a', type: 'string' }]),
          created_by: editor.id,
          created_at: nowIso(),
          updated_at: nowIso(),
        })
        .execute();
      return id;
    };
    const pgDataset = await stored(pgId, PG_E_STRING_SMUGGLE);
    const myDataset = await stored(myId, MY_BACKSLASH_SMUGGLE);

    for (const id of [pgDataset, myDataset]) {
      const preview = await t.call({ method: 'GET', url: `/api/datasets/${id}/preview`, headers: editor.headers });
      expect(preview.status).toBe(400);
    }
    const report = await t.call({
      method: 'POST',
      url: '/api/reports',
      headers: editor.headers,
      body: {
        name: `r_${suffix}`,
        definition: {
          widgets: [
            { id: 'pg', kind: 'kpi', title: 'pg', datasetId: pgDataset, query: { measures: [{ agg: 'count' }] }, layout: { x: 0, y: 0, w: 3, h: 3 } },
            { id: 'my', kind: 'kpi', title: 'my', datasetId: myDataset, query: { measures: [{ agg: 'count' }] }, layout: { x: 3, y: 0, w: 3, h: 3 } },
          ],
        },
      },
    });
    expect(report.status).toBe(200);
    for (const widget of ['pg', 'my']) {
      const data = await t.call({ method: 'POST', url: `/api/reports/${report.json.data.id}/widgets/${widget}/data`, headers: editor.headers, body: {} });
      expect(data.status, widget).toBe(400);
    }
    expect(await canaries()).toEqual({ pg: 3, my: 3 });
    expect(fs.existsSync(outFile)).toBe(false);
  });
});

describe('the database refuses writes when the keyword check is bypassed (connector called directly)', () => {
  let pgConn: SourceConnector;
  let myConn: SourceConnector;
  beforeAll(async () => {
    pgConn = await t.deps.connectors.forSource(pgId);
    myConn = await t.deps.connectors.forSource(myId);
  });

  it('PostgreSQL: one statement only, always in a read-only transaction the SQL cannot end', async () => {
    await expect(pgConn.query('DELETE FROM canary', [])).rejects.toThrow(/read-only transaction/);
    await expect(pgConn.query('CREATE TABLE canary_copy (a int)', [])).rejects.toThrow(/read-only transaction/);
    await expect(pgConn.query('WITH d AS (DELETE FROM canary RETURNING *) SELECT * FROM d', [])).rejects.toThrow(/read-only transaction/);
    await expect(pgConn.query('SELECT 1; DELETE FROM canary', [])).rejects.toThrow(/multiple commands/);
    await expect(pgConn.query('COMMIT; BEGIN TRANSACTION READ WRITE; DELETE FROM canary; COMMIT', [])).rejects.toThrow(/multiple commands/);
    await expect(pgConn.describeQuery(PG_E_STRING_SMUGGLE)).rejects.toThrow(/multiple commands/);
    // The dataset SQL always sits inside "SELECT * FROM (…)", so COPY cannot be its statement.
    await expect(pgConn.describeQuery(`COPY (SELECT 1) TO PROGRAM 'touch ${programFile}'`)).rejects.toThrow(/syntax error/);

    // A statement that ends the transaction or changes the session leaves nothing behind.
    await pgConn.query('COMMIT', []);
    await pgConn.query('SET default_transaction_read_only = off', []);
    await pgConn.query('SET statement_timeout = 0', []);
    const settings = await pgConn.query(
      "SELECT current_setting('transaction_read_only') AS ro, current_setting('default_transaction_read_only') AS dro, current_setting('statement_timeout') AS timeout",
      [],
    );
    expect(settings).toEqual([{ ro: 'on', dro: 'on', timeout: '30s' }]);
    await expect(pgConn.query('DELETE FROM canary', [])).rejects.toThrow(/read-only transaction/);

    expect(await canaries()).toEqual({ pg: 3, my: 3 });
    expect(fs.existsSync(programFile)).toBe(false);
  });

  it('PostgreSQL: a column named __proto__ is kept like any other', async () => {
    const rows = await pgConn.query('SELECT 1 AS "__proto__", 2 AS b', []);
    expect(Object.keys(rows[0]!)).toEqual(['__proto__', 'b']);
    expect(JSON.parse(JSON.stringify(rows))).toEqual([JSON.parse('{"__proto__":1,"b":2}')]);
  });

  it('MariaDB: one prepared statement that returns rows, in a read-only transaction', async () => {
    await expect(myConn.query(`DELETE FROM \`${myCanary}\``, [])).rejects.toThrow(/Only queries that return rows|READ ONLY/);
    // DDL would commit the read-only transaction implicitly; it is refused before it runs.
    await expect(myConn.query(`DROP TABLE \`${myCanary}\``, [])).rejects.toThrow(/Only queries that return rows/);
    await expect(myConn.query(`SELECT 1; DELETE FROM \`${myCanary}\``, [])).rejects.toThrow(/SQL syntax/);
    await expect(myConn.query('COMMIT', [])).rejects.toThrow(/Only queries that return rows/);
    await expect(myConn.query('SET SESSION max_statement_time = 0', [])).rejects.toThrow(/Only queries that return rows/);
    await expect(myConn.query(`SELECT 1 INTO OUTFILE '${outFile}'`, [])).rejects.toThrow(/Only queries that return rows/);
    // The wrapper puts the dataset SQL on lines of its own: the # comment cannot swallow its end.
    await expect(myConn.describeQuery(MY_BACKSLASH_SMUGGLE)).rejects.toThrow(/SQL syntax/);
    await expect(myConn.describeQuery(`SELECT 1 AS a) AS q INTO OUTFILE '${outFile}' -- `)).rejects.toThrow(/SQL syntax/);
    await expect(myConn.describeQuery(`SELECT 1) AS q; DELETE FROM \`${myCanary}\`; SELECT * FROM (SELECT 1`)).rejects.toThrow(/SQL syntax/);
    await expect(myConn.query(`SELECT * FROM \`${myCanary}\` FOR UPDATE`, [])).rejects.toThrow(/READ ONLY transaction/);

    expect(await canaries()).toEqual({ pg: 3, my: 3 });
    expect(fs.existsSync(outFile)).toBe(false);
  });

  it('a read-only account cannot read server files either', async () => {
    const reader = await t.call({
      method: 'POST',
      url: '/api/datasources',
      headers: admin,
      body: { name: 'PG 只读', ...pgSource, user: pgReader },
    });
    const conn = await t.deps.connectors.forSource(reader.json.data.id);
    await expect(conn.query("SELECT pg_read_file('/etc/hostname') AS f", [])).rejects.toThrow(/permission denied/);
    const myReaderSource = await t.call({
      method: 'POST',
      url: '/api/datasources',
      headers: admin,
      body: { name: 'MariaDB 只读', ...mySource, user: myReader, password: myPassword },
    });
    const myReaderConn = await t.deps.connectors.forSource(myReaderSource.json.data.id);
    expect(await myReaderConn.query("SELECT LOAD_FILE('/etc/hostname') AS f", [])).toEqual([{ f: null }]);
  });

  it(`stops reading past ${MAX_RESULT_ROWS} rows with a message, and the connection still works`, async () => {
    await expect(pgConn.query(`SELECT generate_series(1, ${MAX_RESULT_ROWS + 1}) AS n`, [])).rejects.toThrow(/more than 100000 rows/);
    expect(await pgConn.query(`SELECT count(*) AS n FROM generate_series(1, ${MAX_RESULT_ROWS + 1})`, [])).toEqual([{ n: MAX_RESULT_ROWS + 1 }]);
    expect(await pgConn.query(`SELECT generate_series(1, ${MAX_RESULT_ROWS}) AS n`, [])).toHaveLength(MAX_RESULT_ROWS);
    await expect(myConn.query(`SELECT seq FROM seq_1_to_${MAX_RESULT_ROWS + 1}`, [])).rejects.toThrow(/more than 100000 rows/);
    expect(await myConn.query(`SELECT seq FROM seq_1_to_${MAX_RESULT_ROWS}`, [])).toHaveLength(MAX_RESULT_ROWS);
  });
});

describe('test connection warns when the account can write', () => {
  const test = (body: object) => t.call({ method: 'POST', url: '/api/datasources/test', headers: admin, body });

  it('PostgreSQL: superuser, role attributes, writable tables, CREATE on a schema', async () => {
    const su = await test(pgSource);
    expect(su.json.data.ok).toBe(true);
    expect(su.json.data.warnings).toEqual(['账号 postgres 是超级用户：能改写任何数据、读写服务器上的文件、执行服务器程序']);

    const writer = await test({ ...pgSource, user: pgWriter });
    expect(writer.json.data.warnings).toEqual([
      `账号 ${pgWriter} 有角色属性 CREATEDB`,
      `账号 ${pgWriter} 能写入 1 张表或视图（INSERT/UPDATE/DELETE/TRUNCATE），例如 public.canary`,
      `账号 ${pgWriter} 能在模式 public 中建表`,
    ]);
    const en = await t.call({ method: 'POST', url: '/api/datasources/test', headers: { ...admin, 'accept-language': 'en' }, body: { ...pgSource, user: pgWriter } });
    expect(en.json.data.warnings[1]).toBe(`Account ${pgWriter} can write 1 tables or views (INSERT/UPDATE/DELETE/TRUNCATE), such as public.canary`);

    const reader = await test({ ...pgSource, user: pgReader });
    expect(reader.json.data).toMatchObject({ ok: true, warnings: [] });
  });

  it('MariaDB: anything beyond SELECT in SHOW GRANTS', async () => {
    const root = await test(mySource);
    expect(root.json.data.ok).toBe(true);
    expect(root.json.data.warnings.join('\n')).toMatch(/账号 root 在 \*\.\* 上有 ALL PRIVILEGES、GRANT OPTION 权限/);
    const reader = await test({ ...mySource, user: myReader, password: myPassword });
    expect(reader.json.data).toMatchObject({ ok: true, warnings: [] });
    await myRun(`GRANT INSERT, DELETE ON test.\`${myCanary}\` TO '${myReader}'@'%'`);
    const writer = await test({ ...mySource, user: myReader, password: myPassword });
    expect(writer.json.data.warnings).toEqual([`账号 ${myReader} 在 \`test\`.\`${myCanary}\` 上有 INSERT、DELETE 权限`]);
    await myRun(`REVOKE INSERT, DELETE ON test.\`${myCanary}\` FROM '${myReader}'@'%'`);
  });
});
