import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/testApp.js';

const suffix = randomBytes(5).toString('hex');
const pgDb = `shulan_sqled_${suffix}`;
const myTable = `sqled_${suffix}`;
const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const MY_ROOT = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };

let t: TestApp;
let editor: Record<string, string>;
let pgId: string;
let myId: string;

beforeAll(async () => {
  t = await createTestApp();
  editor = (await t.user('editor')).headers;
  const admin = (await t.user('admin')).headers;
  const csv = '日期,城市,金额\n2024-01-05,北京,10\n2024-01-06,上海,5\n2024-02-01,北京,2.5\n';
  const boundary = `----sqled${suffix}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const up = await t.app.inject({ method: 'POST', url: '/api/uploads', payload, headers: { ...editor, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  const imported = await t.call({ method: 'POST', url: `/api/uploads/${up.json().data.uploadId}/import`, headers: editor, body: { name: '销售明细' } });
  expect(imported.status).toBe(200);

  const a = new pg.Client({ connectionString: PG_ADMIN });
  await a.connect();
  await a.query(`CREATE DATABASE ${pgDb}`);
  await a.end();
  const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${pgDb}` });
  await c.connect();
  await c.query(`CREATE TABLE sales (id integer, city text, amount numeric(10,2)); INSERT INTO sales VALUES (1, '北京', 3.5), (2, '上海', 1)`);
  await c.end();
  pgId = (
    await t.call({ method: 'POST', url: '/api/datasources', headers: admin, body: { name: `PG sqled ${suffix}`, kind: 'postgres', host: '127.0.0.1', port: 5432, database: pgDb, user: 'postgres', password: 'x', ssl: false } })
  ).json.data.id;

  const m = await mysql.createConnection(MY_ROOT);
  await m.query(`CREATE TABLE \`${myTable}\` (id INT, city VARCHAR(20)) CHARACTER SET utf8mb4`);
  await m.query(`INSERT INTO \`${myTable}\` VALUES (1, '北京')`);
  await m.end();
  myId = (
    await t.call({ method: 'POST', url: '/api/datasources', headers: admin, body: { name: `My sqled ${suffix}`, kind: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: 'root', password: '', ssl: false } })
  ).json.data.id;
}, 60_000);

afterAll(async () => {
  await t?.close();
  const a = new pg.Client({ connectionString: PG_ADMIN });
  await a.connect();
  await a.query(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`).catch(() => {});
  await a.end();
  const m = await mysql.createConnection(MY_ROOT);
  await m.query(`DROP TABLE IF EXISTS \`${myTable}\``).catch(() => {});
  await m.end();
});

const run = (id: string, sql: string, extra: object = {}, headers = editor) => t.call({ method: 'POST', url: `/api/datasources/${id}/run-sql`, headers, body: { sql, ...extra } });

describe('SQL editor on the embedded store: uploads by their display names', () => {
  it('the schema lists uploaded tables by display name with their columns, never t_<hash>', async () => {
    const res = await t.call({ method: 'GET', url: '/api/datasources/embedded/schema', headers: editor });
    expect(res.status).toBe(200);
    expect(res.json.data.tables).toContainEqual({
      name: '销售明细',
      columns: [
        { name: '日期', type: 'date' },
        { name: '城市', type: 'string' },
        // Exact decimals: the upload inferred DECIMAL(18,1) from 10, 5 and 2.5.
        { name: '金额', type: 'number', precision: 18, scale: 1 },
      ],
    });
    expect(JSON.stringify(res.json)).not.toMatch(/"t_[0-9a-f]/);
  });

  it('runs SQL written with display names, capped at the row limit', async () => {
    const res = await run('embedded', 'SELECT "城市", sum("金额") AS total FROM "销售明细" GROUP BY 1 ORDER BY 1');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data).toEqual({
      fields: [
        { name: '城市', type: 'string' },
        { name: 'total', type: 'number', precision: 38, scale: 1 },
      ],
      rows: [
        { 城市: '上海', total: 5 },
        { 城市: '北京', total: 12.5 },
      ],
      truncated: false,
    });
    const capped = await run('embedded', 'SELECT * FROM 销售明细 ORDER BY "日期"', { limit: 2 });
    expect(capped.json.data.rows).toHaveLength(2);
    expect(capped.json.data.truncated).toBe(true);
    // A string that happens to read like the table name stays a string.
    const literal = await run('embedded', `SELECT '销售明细' AS n FROM "销售明细" LIMIT 1`);
    expect(literal.json.data.rows).toEqual([{ n: '销售明细' }]);
  });

  it('a SQL dataset is saved with display names shown and physical names run', async () => {
    const res = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: '北京销售', datasourceId: 'embedded', kind: 'sql', sql: `SELECT * FROM "销售明细" WHERE "城市" = '北京'` } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data.sql).toBe(`SELECT * FROM "销售明细" WHERE "城市" = '北京'`);
    const stored = await t.deps.db.selectFrom('datasets').select('sql').where('id', '=', res.json.data.id).executeTakeFirstOrThrow();
    expect(stored.sql).toMatch(/FROM "t_[0-9a-z_]+"/);
    const q = await t.call({ method: 'POST', url: '/api/query/preview', headers: editor, body: { datasetId: res.json.data.id, query: { measures: [{ field: '金额', agg: 'sum' }] } } });
    expect(q.json.data.rows).toEqual([{ sum__金额: 12.5 }]);
  });

  it('errors are translated and say the line and column in the text written', async () => {
    const res = await run('embedded', 'SELECT "城市",\n  "数量"\nFROM "销售明细"');
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('第 2 行第 3 列：列「数量」不存在');
    expect(res.json.error.details).toEqual({ line: 2, column: 3 });
    const en = await run('embedded', 'SELECT "城市",\n  "数量"\nFROM "销售明细"', {}, { ...editor, 'accept-language': 'en' });
    expect(en.json.error.message).toBe('Line 2, column 3: Column "数量" does not exist');
    // DuckDB shows a long line as an excerpt; the column is still the one in the text written.
    const long = `SELECT "城市", "金额", "日期", "城市" AS a, "金额" AS b, "日期" AS c, "城市" AS d FROM "销售明细" ORDER BY 1 nope`;
    const far = await run('embedded', long);
    expect(far.json.error.message).toBe(`第 1 行第 ${long.indexOf('nope') + 1} 列：「nope」附近有语法错误`);
    const table = await run('embedded', 'SELECT * FROM "销售明细2"');
    expect(table.status).toBe(400);
    expect(table.json.error.message).not.toMatch(/t_[0-9a-f]/);
  });
});

describe('SQL editor on external sources', () => {
  it('PostgreSQL: schema with types, rows, and errors at their position', async () => {
    const schema = await t.call({ method: 'GET', url: `/api/datasources/${pgId}/schema`, headers: editor });
    expect(schema.json.data).toEqual({
      tables: [{ name: 'sales', columns: [{ name: 'id', type: 'integer' }, { name: 'city', type: 'string' }, { name: 'amount', type: 'number', precision: 10, scale: 2 }] }],
      truncated: false,
    });
    const ok = await run(pgId, 'SELECT city FROM sales ORDER BY id');
    expect(ok.json.data.rows).toEqual([{ city: '北京' }, { city: '上海' }]);
    const bad = await run(pgId, 'SELECT id,\n    nope\nFROM sales');
    expect(bad.json.error.message).toBe('第 2 行第 5 列：列「nope」不存在');
    const syntax = await run(pgId, 'SELECT id\nFORM sales');
    expect(syntax.json.error.message).toBe('第 2 行第 6 列：「sales」附近有语法错误');
  });

  it('MariaDB: the line of a syntax error', async () => {
    const ok = await run(myId, `SELECT city FROM \`${myTable}\``);
    expect(ok.json.data.rows).toEqual([{ city: '北京' }]);
    const bad = await run(myId, `SELECT id\nFORM \`${myTable}\``);
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^第 2 行：「.*」附近有语法错误$/);
    const col = await run(myId, `SELECT nope FROM \`${myTable}\``);
    expect(col.json.error.message).toContain('列「nope」不存在');
  });

  it('writes are refused before they reach the database', async () => {
    const res = await run(pgId, 'DELETE FROM sales');
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('SQL 数据集只能是查询语句');
  });
});
