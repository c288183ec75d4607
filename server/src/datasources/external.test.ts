import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { getQueryableDataset } from '../datasets/getQueryableDataset.js';

const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const MY_ROOT = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };

const suffix = randomBytes(5).toString('hex');
const pgDb = `shulan_ext_${suffix}`;
const myTable = `sales_${suffix}`;
const myUser = `shulan_u_${suffix}`;
const myPassword = `Pw-${suffix}-secret`;

let t: TestApp;
let admin: Record<string, string>;
let editor: Record<string, string>;

async function pgAdmin(sqlText: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.user('admin')).headers;
  editor = (await t.user('editor')).headers;

  await pgAdmin(`CREATE DATABASE ${pgDb}`);
  const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${pgDb}` });
  await c.connect();
  await c.query(`CREATE TABLE sales (id bigint, city text, amount numeric(10,2), day date, at timestamp, vip boolean)`);
  await c.query(`INSERT INTO sales VALUES
    (1, '北京', 12.50, '2024-01-05', '2024-01-05 10:00:00', true),
    (2, '上海', 7.25, '2024-01-06', '2024-01-06 11:30:00', false),
    (3, '北京', 1.00, '2024-02-01', '2024-02-01 09:00:00', true)`);
  await c.query('CREATE SCHEMA extra');
  await c.query('CREATE TABLE extra.targets (city text, goal integer)');
  await c.end();

  const m = await mysql.createConnection(MY_ROOT);
  await m.query(`CREATE TABLE \`${myTable}\` (id BIGINT, city VARCHAR(50), amount DECIMAL(10,2), day DATE, at DATETIME, vip TINYINT(1)) CHARACTER SET utf8mb4`);
  await m.query(`INSERT INTO \`${myTable}\` VALUES (1,'北京',12.50,'2024-01-05','2024-01-05 10:00:00',1),(2,'上海',7.25,'2024-01-06','2024-01-06 11:30:00',0)`);
  await m.query(`CREATE USER '${myUser}'@'%' IDENTIFIED BY '${myPassword}'`);
  await m.query(`GRANT SELECT, INSERT, DROP ON test.* TO '${myUser}'@'%'`);
  await m.end();
});

afterAll(async () => {
  await t?.close();
  await pgAdmin(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`).catch(() => {});
  const m = await mysql.createConnection(MY_ROOT);
  await m.query(`DROP TABLE IF EXISTS \`${myTable}\``).catch(() => {});
  await m.query(`DROP USER IF EXISTS '${myUser}'@'%'`).catch(() => {});
  await m.end();
});

const pgConfig = { kind: 'postgres', host: '127.0.0.1', port: 5432, database: pgDb, user: 'postgres', password: 'irrelevant-under-trust', ssl: false };
const myConfig = { kind: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: myUser, password: myPassword, ssl: false };

const test = (body: object) => t.call({ method: 'POST', url: '/api/datasources/test', headers: admin, body });

describe('test connection', () => {
  it('succeeds for PostgreSQL and MariaDB', async () => {
    const p = await test(pgConfig);
    expect(p.json.data).toMatchObject({ ok: true, message: '连接成功' });
    expect(p.json.data.version).toMatch(/PostgreSQL/);
    const m = await test(myConfig);
    expect(m.json.data).toMatchObject({ ok: true });
    expect(m.json.data.version).toMatch(/MariaDB/);
  });

  it('says what to fix: wrong port, wrong password, unknown database', async () => {
    const port = await test({ ...pgConfig, port: 1 });
    expect(port.json.data).toMatchObject({ ok: false, message: '无法连接到 127.0.0.1:1，请检查地址、端口和防火墙' });
    const pw = await test({ ...myConfig, password: 'wrong' });
    expect(pw.json.data.ok).toBe(false);
    expect(pw.json.data.message).toBe(`用户 ${myUser} 认证失败，请检查用户名和密码`);
    const db = await test({ ...pgConfig, database: 'no_such_db_here' });
    expect(db.json.data.message).toBe('数据库 no_such_db_here 不存在，请检查数据库名');
    const mdb = await test({ ...myConfig, user: 'root', password: '', database: 'no_such_db_here' });
    expect(mdb.json.data.message).toBe('数据库 no_such_db_here 不存在，请检查数据库名');
    const en = await t.call({ method: 'POST', url: '/api/datasources/test', headers: { ...admin, 'accept-language': 'en' }, body: { ...pgConfig, port: 1 } });
    expect(en.json.data.message).toBe('Cannot connect to 127.0.0.1:1; check the host, port and firewall');
  });
});

describe('saved sources, tables and datasets', () => {
  let pgId: string;
  let myId: string;

  it('stores the password encrypted and never returns it', async () => {
    const p = await t.call({ method: 'POST', url: '/api/datasources', headers: admin, body: { name: 'PG 销售库', ...pgConfig } });
    expect(p.status).toBe(200);
    pgId = p.json.data.id;
    const m = await t.call({ method: 'POST', url: '/api/datasources', headers: admin, body: { name: 'MariaDB 库', ...myConfig } });
    expect(m.status).toBe(200);
    myId = m.json.data.id;
    expect(m.json.data).toMatchObject({ kind: 'mysql', host: '127.0.0.1', user: myUser, hasPassword: true });
    expect(JSON.stringify(m.json)).not.toContain(myPassword);

    const row = await t.deps.db.selectFrom('datasources').selectAll().where('id', '=', myId).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(myPassword);
    expect(row.config_json).not.toContain(myPassword);
    expect(t.deps.secretBox.decrypt(row.secret_enc!)).toBe(myPassword);

    const list = await t.call({ method: 'GET', url: '/api/datasources', headers: editor });
    expect(list.json.data[0]).toMatchObject({ id: 'embedded', name: '内置数据库', kind: 'embedded' });
    expect(list.json.data.map((d: any) => d.name)).toEqual(expect.arrayContaining(['PG 销售库', 'MariaDB 库']));
    expect(JSON.stringify(list.json)).not.toContain(myPassword);
    const audit = await t.deps.db.selectFrom('audit_log').select('detail_json').execute();
    expect(JSON.stringify(audit)).not.toContain(myPassword);
  });

  it('keeps the password when an edit omits it, and tests the saved source', async () => {
    const res = await t.call({ method: 'PUT', url: `/api/datasources/${myId}`, headers: admin, body: { name: 'MariaDB 测试库' } });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ name: 'MariaDB 测试库', hasPassword: true });
    const saved = await t.call({ method: 'POST', url: `/api/datasources/${myId}/test`, headers: admin, body: {} });
    expect(saved.json.data.ok).toBe(true);
    const edited = await t.call({ method: 'POST', url: `/api/datasources/${myId}/test`, headers: admin, body: { password: 'nope' } });
    expect(edited.json.data.ok).toBe(false);
  });

  it('lists tables and their fields', async () => {
    const pgTables = await t.call({ method: 'GET', url: `/api/datasources/${pgId}/tables`, headers: editor });
    expect(pgTables.json.data).toEqual([{ name: 'sales' }, { name: 'extra.targets' }]);
    const pgFields = await t.call({ method: 'GET', url: `/api/datasources/${pgId}/tables/sales/fields`, headers: editor });
    expect(pgFields.json.data).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'city', type: 'string' },
      { name: 'amount', type: 'number', precision: 10, scale: 2 },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'datetime' },
      { name: 'vip', type: 'boolean' },
    ]);
    const myTables = await t.call({ method: 'GET', url: `/api/datasources/${myId}/tables`, headers: editor });
    expect(myTables.json.data).toContainEqual({ name: myTable });
    const myFields = await t.call({ method: 'GET', url: `/api/datasources/${myId}/tables/${myTable}/fields`, headers: editor });
    expect(myFields.json.data).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'city', type: 'string' },
      { name: 'amount', type: 'number', precision: 10, scale: 2 },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'datetime' },
      { name: 'vip', type: 'boolean' },
    ]);
    const missing = await t.call({ method: 'GET', url: `/api/datasources/${pgId}/tables/nope/fields`, headers: editor });
    expect(missing.status).toBe(404);
  });

  it('table and SQL datasets on PostgreSQL, previewed with plain values', async () => {
    const table = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: 'PG 销售', datasourceId: pgId, kind: 'table', table: 'sales' } });
    expect(table.status).toBe(200);
    const preview = await t.call({ method: 'GET', url: `/api/datasets/${table.json.data.id}/preview?limit=1`, headers: editor });
    expect(preview.json.data.rows).toEqual([{ id: 1, city: '北京', amount: 12.5, day: '2024-01-05', at: '2024-01-05T10:00:00', vip: true }]);

    const q = await t.call({
      method: 'POST',
      url: '/api/datasets',
      headers: editor,
      body: { name: 'PG 城市汇总', datasourceId: pgId, kind: 'sql', sql: 'SELECT city, sum(amount) AS total, count(*) AS n FROM sales GROUP BY city' },
    });
    expect(q.status).toBe(200);
    expect(q.json.data.fields).toEqual([
      { name: 'city', type: 'string' },
      { name: 'total', type: 'number' },
      { name: 'n', type: 'integer' },
    ]);
    const ds = await getQueryableDataset(t.deps, q.json.data.id, null);
    expect(ds.external).toBe(true);
    expect(ds.connector.dialect).toBe('postgres');
    const rows = await ds.connector.query(`SELECT * FROM (${ds.source.kind === 'sql' ? ds.source.sql : ''}) AS q WHERE city = $1`, ['北京']);
    expect(rows).toEqual([{ city: '北京', total: 13.5, n: 2 }]);

    const other = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: 'PG 目标', datasourceId: pgId, kind: 'table', table: 'extra.targets' } });
    expect(other.json.data.fields).toEqual([
      { name: 'city', type: 'string' },
      { name: 'goal', type: 'integer' },
    ]);
    const unknown = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: 'PG 无', datasourceId: pgId, kind: 'table', table: 'nope' } });
    expect(unknown.status).toBe(400);
  });

  it('table and SQL datasets on MariaDB', async () => {
    const table = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: 'My 销售', datasourceId: myId, kind: 'table', table: myTable } });
    expect(table.status).toBe(200);
    const preview = await t.call({ method: 'GET', url: `/api/datasets/${table.json.data.id}/preview`, headers: editor });
    expect(preview.json.data.rows[0]).toEqual({ id: 1, city: '北京', amount: 12.5, day: '2024-01-05', at: '2024-01-05T10:00:00', vip: true });

    const q = await t.call({
      method: 'POST',
      url: '/api/datasets',
      headers: editor,
      body: { name: 'My 汇总', datasourceId: myId, kind: 'sql', sql: `SELECT city, SUM(amount) AS total, COUNT(*) AS n FROM \`${myTable}\` GROUP BY city` },
    });
    expect(q.status).toBe(200);
    expect(q.json.data.fields).toEqual([
      { name: 'city', type: 'string' },
      { name: 'total', type: 'number', precision: 32, scale: 2 },
      { name: 'n', type: 'integer' },
    ]);
    const ds = await getQueryableDataset(t.deps, q.json.data.id, null);
    const rows = await ds.connector.query(`SELECT * FROM (${ds.source.kind === 'sql' ? ds.source.sql : ''}) AS q WHERE city = ?`, ['上海']);
    expect(rows).toEqual([{ city: '上海', total: 7.25, n: 1 }]);
  });

  it('SQL datasets refuse writes, even when the user could write', async () => {
    for (const [id, sqlText] of [
      [pgId, 'DELETE FROM sales'],
      [pgId, 'SELECT 1; DELETE FROM sales'],
      [pgId, 'WITH d AS (DELETE FROM sales RETURNING *) SELECT * FROM d'],
      [pgId, 'SELECT * INTO copy_of_sales FROM sales'],
      [myId, `INSERT INTO \`${myTable}\` VALUES (9,'x',1,NULL,NULL,0)`],
      [myId, `DROP TABLE \`${myTable}\``],
    ] as const) {
      const res = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: `写入${sqlText.length}`, datasourceId: id, kind: 'sql', sql: sqlText } });
      expect(res.status, sqlText).toBe(400);
    }
    // The connector itself runs in a read-only transaction, whatever SQL reaches it.
    const conn = await t.deps.connectors.forSource(myId);
    await expect(conn.query(`INSERT INTO \`${myTable}\` VALUES (9,'x',1,NULL,NULL,0)`, [])).rejects.toThrow();
    const pgConn = await t.deps.connectors.forSource(pgId);
    await expect(pgConn.query('DELETE FROM sales', [])).rejects.toThrow(/read-only/);
    expect(await pgConn.query('SELECT count(*) AS n FROM sales', [])).toEqual([{ n: 3 }]);
  });

  it('a source used by datasets cannot be deleted; the message names them', async () => {
    const res = await t.call({ method: 'DELETE', url: `/api/datasources/${pgId}`, headers: admin });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('PG 销售');
    const embedded = await t.call({ method: 'DELETE', url: '/api/datasources/embedded', headers: admin });
    expect(embedded.status).toBe(400);
  });

  it('a bad SQL is a 400 with the database message, an unreachable source a 502 with advice', async () => {
    const bad = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: '错', datasourceId: pgId, kind: 'sql', sql: 'SELECT nope FROM sales' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('nope');
    const dead = await t.call({ method: 'POST', url: '/api/datasources', headers: admin, body: { name: '关掉的库', ...pgConfig, port: 1 } });
    const tables = await t.call({ method: 'GET', url: `/api/datasources/${dead.json.data.id}/tables`, headers: editor });
    expect(tables.status).toBe(502);
    expect(tables.json.error.message).toBe('无法连接到 127.0.0.1:1，请检查地址、端口和防火墙');
    expect((await t.call({ method: 'DELETE', url: `/api/datasources/${dead.json.data.id}`, headers: admin })).status).toBe(200);
  });

  it('editors cannot manage sources; viewers cannot read them', async () => {
    const viewer = (await t.user('viewer')).headers;
    const adminOnly: [string, string, object | undefined][] = [
      ['POST', '/api/datasources', { name: 'x', ...pgConfig }],
      ['PUT', `/api/datasources/${pgId}`, { name: 'y' }],
      ['DELETE', `/api/datasources/${pgId}`, undefined],
      ['POST', '/api/datasources/test', pgConfig],
      ['POST', `/api/datasources/${pgId}/test`, {}],
    ];
    for (const [method, url, body] of adminOnly) {
      expect((await t.call({ method: method as any, url, headers: editor, body })).status, `${method} ${url}`).toBe(403);
      expect((await t.call({ method: method as any, url, headers: viewer, body })).status, `${method} ${url}`).toBe(403);
    }
    for (const url of ['/api/datasources', `/api/datasources/${pgId}`, `/api/datasources/${pgId}/tables`, `/api/datasources/${pgId}/tables/sales/fields`]) {
      expect((await t.call({ method: 'GET', url, headers: viewer })).status, url).toBe(403);
    }
  });
});
