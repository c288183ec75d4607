import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { DuckDbStore } from './DuckDbStore.js';

let t: TestApp;
let editor: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  editor = (await t.user('editor')).headers;
});
afterAll(async () => t?.close());

async function importCsv(name: string, csv: string): Promise<string> {
  const boundary = 'b0undary';
  const payload = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}.csv"\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
  );
  const up = await t.app.inject({ method: 'POST', url: '/api/uploads', payload, headers: { ...editor, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  expect(up.statusCode).toBe(200);
  const imported = await t.call({ method: 'POST', url: `/api/uploads/${up.json().data.uploadId}/import`, headers: editor, body: { name } });
  expect(imported.status).toBe(200);
  const table = await t.deps.db.selectFrom('embedded_tables').select('table_name').where('id', '=', imported.json.data.tableId).executeTakeFirstOrThrow();
  return table.table_name;
}

/** Writes straight into the DuckDB file while Shulan has it closed, as a crash mid-import would leave it. */
async function writeBehindShulansBack(sqlText: string): Promise<void> {
  await t.deps.connectors.closeAll();
  const instance = await DuckDBInstance.create(path.join(t.dataDir, 'analytics.duckdb'));
  const c = await instance.connect();
  await c.run(sqlText);
  c.closeSync();
  instance.closeSync();
}

describe('tables nobody registered', () => {
  it('are swept when the store opens: leftover loads and strays go, imported tables stay', async () => {
    const kept = await importCsv('保留', 'a,b\n1,x\n');
    await writeBehindShulansBack(
      `CREATE TABLE ${kept}__load_0badc0de AS SELECT 1 AS secret; CREATE TABLE t_stray AS SELECT 2 AS secret; CREATE VIEW v_stray AS SELECT 3 AS secret`,
    );
    const store = await t.deps.connectors.embedded();
    const tables = await store.listTables();
    expect(tables).toContain(kept);
    expect(tables.filter((n) => n.includes('__load_') || n.endsWith('_stray'))).toEqual([]);
    expect(await store.query(`SELECT count(*) AS n FROM ${kept}`, [])).toEqual([{ n: 1 }]);
  });

  it('the sweep also runs for a store opened on its own, naming what it dropped', async () => {
    const file = path.join(t.dataDir, 'standalone.duckdb');
    const first = await DuckDbStore.open(file, { registeredTables: async () => new Set(['t_known']) });
    await first.replaceTable('t_known', [{ name: 'a', type: 'integer' }], [[1]]);
    await first.replaceTable('t_known__load_1234abcd', [{ name: 'a', type: 'integer' }], [[1]]);
    await first.close();
    const lines: string[] = [];
    const again = await DuckDbStore.open(file, { registeredTables: async () => new Set(['t_known']), log: (l) => lines.push(l) });
    expect(await again.listTables()).toEqual(['t_known']);
    expect(lines).toEqual(['embedded store: dropped table main.t_known__load_1234abcd, which no imported table or dataset registers']);
    await again.close();
  });

  it('cannot be read or listed through SQL datasets, however the query is phrased', async () => {
    const registered = await importCsv('登记表', 'a,b\n1,x\n');
    // A table in the file that no import or dataset registers, like a load in progress.
    const store = await t.deps.connectors.embedded();
    await store.replaceTable('t_unregistered', [{ name: 'salary', type: 'integer' }], [[99_000]]);

    const create = (sqlText: string) =>
      t.call({ method: 'POST', url: '/api/datasets', headers: { ...editor, 'accept-language': 'en' }, body: { name: `q${Math.random()}`, datasourceId: 'embedded', kind: 'sql', sql: sqlText } });

    for (const sqlText of [
      'SELECT * FROM duckdb_tables()',
      'SELECT table_name FROM information_schema.tables',
      'SELECT column_name FROM information_schema.columns',
      'SELECT * FROM pg_catalog.pg_tables',
      'SELECT * FROM sqlite_master',
      'SELECT * FROM (SHOW TABLES)',
      'SELECT * FROM (DESCRIBE t_unregistered)',
      "SELECT * FROM pragma_table_info('t_unregistered')",
      'WITH x AS (SELECT 1) SELECT * FROM duckdb_columns()',
    ]) {
      const res = await create(sqlText);
      expect(res.status, sqlText).toBe(400);
      expect(res.json.error.message, sqlText).toMatch(/cannot read the database catalog/);
    }
    for (const sqlText of [
      'SELECT * FROM t_unregistered',
      // The optimizer drops these scans; the check reads the plan before it does.
      'SELECT * FROM t_unregistered LIMIT 0',
      'SELECT * FROM t_unregistered WHERE false',
      `SELECT * FROM ${registered} WHERE EXISTS (SELECT 1 FROM t_unregistered)`,
      "SELECT * FROM query_table('t_unregistered')",
      "SELECT * FROM query('SELECT * FROM t_unregistered')",
    ]) {
      const res = await create(sqlText);
      expect(res.status, sqlText).toBe(400);
      expect(res.json.error.message, sqlText).toMatch(/No table .*t_unregistered/);
      expect(JSON.stringify(res.json), sqlText).not.toContain('salary');
    }

    // What a report may do still works: registered tables, CTEs, generated rows.
    const ok = await create(`WITH r AS (SELECT * FROM range(3)) SELECT a, b, (SELECT count(*) FROM r) AS n FROM ${registered}`);
    expect(ok.status).toBe(200);
    const preview = await t.call({ method: 'GET', url: `/api/datasets/${ok.json.data.id}/preview`, headers: editor });
    expect(preview.json.data.rows).toEqual([{ a: 1, b: 'x', n: 3 }]);
  });

  it('a catalog query saved before this check is refused when it runs', async () => {
    const now = new Date().toISOString();
    await t.deps.db
      .insertInto('datasets')
      .values({ id: 'old-catalog', name: '旧目录查询', datasource_id: 'embedded', kind: 'sql', table_name: null, sql: 'SELECT table_name FROM duckdb_tables()', fields_json: '[{"name":"table_name","type":"string"}]', created_by: null, created_at: now, updated_at: now })
      .execute();
    const res = await t.call({ method: 'GET', url: '/api/datasets/old-catalog/preview', headers: editor });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('不能读取数据库目录');
  });
});
