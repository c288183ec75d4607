import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import type { Connector } from '../datasources/types.js';
import { directMysql } from './testing/directConnectors.js';

// The whole path on an external source: data source and dataset created through the API,
// a report over a SQL dataset on MariaDB, widget data with a report filter, cache, CSV.

const table = `shulan_er_${randomBytes(4).toString('hex')}`;
let my: Connector;
let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;

beforeAll(async () => {
  my = await directMysql('mysql://root@127.0.0.1:3306/test');
  await my.query(`create table ${table} (\`下单日期\` date, \`门店\` varchar(20), \`金额\` decimal(10,2)) character set utf8mb4`, []);
  await my.query(
    `insert into ${table} values ('2025-01-05','静安店',100.50),('2025-01-20','徐汇店',200),('2025-02-03','静安店',50.25),('2025-03-09','浦东店',10)`,
    [],
  );
  t = await createTestApp();
  admin = await t.user('admin');
});
afterAll(async () => {
  await t?.close();
  await my?.query(`drop table if exists ${table}`, []);
  await my?.close();
});

describe('report over an external MariaDB source', () => {
  it('runs widgets with report filters, caches them, and exports CSV', async () => {
    const h = admin.headers;
    const src = await t.call({
      method: 'POST',
      url: '/api/datasources',
      headers: h,
      body: { name: '门店库', kind: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: 'root', password: '' },
    });
    expect(src.status).toBe(200);
    const ds = await t.call({
      method: 'POST',
      url: '/api/datasets',
      headers: h,
      body: { name: '门店销售', datasourceId: src.json.data.id, kind: 'sql', sql: `select * from ${table}` },
    });
    expect(ds.status).toBe(200);
    const datasetId = ds.json.data.id;

    const report = await t.call({
      method: 'POST',
      url: '/api/reports',
      headers: h,
      body: {
        name: '门店月报',
        definition: {
          filters: [
            { id: 'd', label: '日期', kind: 'date_range', field: '下单日期' },
            { id: 's', label: '门店', kind: 'values', field: '门店' },
          ],
          widgets: [
            {
              id: 'by_month',
              kind: 'line',
              title: '按月金额',
              datasetId,
              query: { dimensions: [{ field: '下单日期', grain: 'month' }], measures: [{ field: '金额', agg: 'sum' }] },
              layout: { x: 0, y: 0, w: 12, h: 6 },
            },
          ],
        },
      },
    });
    expect(report.status).toBe(200);
    const url = `/api/reports/${report.json.data.id}/widgets/by_month/data`;

    const all = await t.call({ method: 'POST', url, headers: h, body: {} });
    expect(all.json.data.rows).toEqual([
      { 下单日期__month: '2025-01-01', sum__金额: 300.5 },
      { 下单日期__month: '2025-02-01', sum__金额: 50.25 },
      { 下单日期__month: '2025-03-01', sum__金额: 10 },
    ]);
    expect(all.json.data.cached).toBe(false);
    expect((await t.call({ method: 'POST', url, headers: h, body: {} })).json.data.cached).toBe(true);

    const filtered = await t.call({ method: 'POST', url, headers: h, body: { filters: { d: { from: '2025-01-10', to: '2025-02-28' }, s: ['静安店'] } } });
    expect(filtered.json.data.rows).toEqual([{ 下单日期__month: '2025-02-01', sum__金额: 50.25 }]);

    const values = await t.call({ method: 'GET', url: `/api/reports/${report.json.data.id}/filters/s/values?q=${encodeURIComponent('店')}`, headers: h });
    expect(values.json.data.values).toHaveLength(3);

    const csv = await t.app.inject({ method: 'GET', url: `/api/reports/${report.json.data.id}/widgets/by_month/export.csv`, headers: h });
    expect(csv.rawPayload.toString('utf8')).toBe('\uFEFF下单日期（月）,金额 合计\r\n2025-01-01,300.50\r\n2025-02-01,50.25\r\n2025-03-01,10.00\r\n');
  });
});
