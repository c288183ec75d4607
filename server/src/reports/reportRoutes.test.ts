import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { newId, nowIso } from '../lib/ids.js';
import { generateSampleSales, SAMPLE_FIELDS } from '../sample/sampleSales.js';
import { seedSampleContent } from '../sample/seedSampleContent.js';

let t: TestApp;
let editor: Awaited<ReturnType<TestApp['user']>>;
let reportId: string;
let datasetId: string;
const SALES = generateSampleSales();
const sumAmount = (rows: unknown[][]) => Math.round(rows.reduce((s, r) => s + Number(r[6]), 0) * 100) / 100;

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.user('editor');
  await seedSampleContent(t.deps, editor.id);
  const report = await t.deps.db.selectFrom('reports').select('id').where('name', '=', '销售概览').executeTakeFirstOrThrow();
  reportId = report.id;
  const ds = await t.deps.db.selectFrom('datasets').select('id').executeTakeFirstOrThrow();
  datasetId = ds.id;
});
afterAll(async () => t?.close());

const data = (headers: Record<string, string>, widgetId: string, body: object = {}) =>
  t.call({ method: 'POST', url: `/api/reports/${reportId}/widgets/${widgetId}/data`, headers, body });

describe('sample content', () => {
  it('is seeded once, and running the seed again adds nothing', async () => {
    await seedSampleContent(t.deps, editor.id);
    const count = async (table: 'reports' | 'datasets' | 'embedded_tables') =>
      Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('reports')).toBe(1);
    expect(await count('datasets')).toBe(1);
    expect(await count('embedded_tables')).toBe(1);
  });

  it('has working widgets: KPI total, five regions, twelve months and a paged detail table', async () => {
    const detail = await t.call({ method: 'GET', url: `/api/reports/${reportId}`, headers: editor.headers });
    expect(detail.status).toBe(200);
    expect(detail.json.data.name).toBe('销售概览');
    const kinds = detail.json.data.definition.widgets.map((w: any) => w.kind);
    expect(kinds).toEqual(expect.arrayContaining(['kpi', 'bar', 'line', 'table']));

    const kpi = await data(editor.headers, 'total_amount');
    expect(kpi.status).toBe(200);
    expect(Math.round(kpi.json.data.rows[0]['sum__销售额'] * 100) / 100).toBe(sumAmount(SALES));

    const bar = await data(editor.headers, 'amount_by_region');
    expect(bar.json.data.rows.map((r: any) => r['区域']).sort()).toEqual(['东北', '华东', '华北', '华南', '西南'].sort());
    const amounts = bar.json.data.rows.map((r: any) => r['sum__销售额']);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));

    const line = await data(editor.headers, 'amount_by_month');
    expect(line.json.data.rows).toHaveLength(12);
    expect(line.json.data.rows[0]['日期__month']).toBe('2025-01-01');

    const table = await data(editor.headers, 'detail', { page: 2, pageSize: 10 });
    expect(table.json.data.total).toBe(SALES.length);
    expect(table.json.data.rows).toHaveLength(10);
    expect(table.json.data.columns.map((c: any) => c.key)).toEqual(SAMPLE_FIELDS.map((f) => f.name));
  });

  it('applies the report date range and region filters to the widgets', async () => {
    const march = SALES.filter((r) => String(r[0]).startsWith('2025-03'));
    const res = await data(editor.headers, 'total_amount', { filters: { date: { from: '2025-03-01', to: '2025-03-31' } } });
    expect(Math.round(res.json.data.rows[0]['sum__销售额'] * 100) / 100).toBe(sumAmount(march));
    const east = await data(editor.headers, 'order_count', { filters: { region: ['华东'] } });
    expect(east.json.data.rows[0].count).toBe(SALES.filter((r) => r[1] === '华东').length);
    const bad = await data(editor.headers, 'order_count', { filters: { nope: ['x'] } });
    expect(bad.status).toBe(400);
  });

  it('lists the distinct values of the region filter, and refuses it for a date filter', async () => {
    const res = await t.call({ method: 'GET', url: `/api/reports/${reportId}/filters/region/values`, headers: editor.headers });
    expect(res.status).toBe(200);
    expect(res.json.data.values).toHaveLength(5);
    expect(res.json.data.truncated).toBe(false);
    const date = await t.call({ method: 'GET', url: `/api/reports/${reportId}/filters/date/values`, headers: editor.headers });
    expect(date.status).toBe(400);
  });
});

describe('CSV export', () => {
  it('sends UTF-8 with BOM, a Chinese file name and the filtered rows', async () => {
    const filters = encodeURIComponent(JSON.stringify({ date: { from: '2025-03-01', to: '2025-03-31' } }));
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/reports/${reportId}/widgets/detail/export.csv?filters=${filters}`,
      headers: editor.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const cd = String(res.headers['content-disposition']);
    expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent('销售概览-销售明细.csv')}`);
    expect(cd).toMatch(/filename="[\x20-\x7e]+"/);
    const body = res.rawPayload.toString('utf8');
    expect(body.startsWith('\uFEFF日期,区域,城市,产品类别,产品,销量,销售额,省份\r\n')).toBe(true);
    const lines = body.trim().split('\r\n');
    expect(lines).toHaveLength(1 + SALES.filter((r) => String(r[0]).startsWith('2025-03')).length);
    expect(lines[1]).toMatch(/^2025-03-31,/);
  });

  it('answers 400 for malformed filter JSON', async () => {
    const res = await t.call({ method: 'GET', url: `/api/reports/${reportId}/widgets/detail/export.csv?filters=%7Bnope`, headers: editor.headers });
    expect(res.status).toBe(400);
  });
});

describe('report access', () => {
  it('gives a viewer without a grant 403 on the report, its data, export and filter values, and hides it from the list', async () => {
    const viewer = await t.user('viewer');
    const h = viewer.headers;
    expect((await t.call({ method: 'GET', url: `/api/reports/${reportId}`, headers: h })).status).toBe(403);
    expect((await data(h, 'total_amount')).status).toBe(403);
    expect((await t.call({ method: 'GET', url: `/api/reports/${reportId}/widgets/detail/export.csv`, headers: h })).status).toBe(403);
    expect((await t.call({ method: 'GET', url: `/api/reports/${reportId}/filters/region/values`, headers: h })).status).toBe(403);
    const list = await t.call({ method: 'GET', url: '/api/reports', headers: h });
    expect(list.json.data).toEqual({ items: [], total: 0 });
    expect((await t.call({ method: 'GET', url: `/api/reports/missing`, headers: h })).status).toBe(404);
  });

  it('lets a viewer in through a user grant, and only lists granted reports', async () => {
    const viewer = await t.user('viewer');
    const other = await createReport('另一张报表');
    const put = await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: editor.headers, body: { users: [viewer.id], groups: [] } });
    expect(put.status).toBe(200);
    expect((await data(viewer.headers, 'total_amount')).status).toBe(200);
    const list = await t.call({ method: 'GET', url: '/api/reports', headers: viewer.headers });
    expect(list.json.data.items.map((r: any) => r.id)).toEqual([reportId]);
    const all = await t.call({ method: 'GET', url: '/api/reports', headers: editor.headers });
    expect(all.json.data.items.map((r: any) => r.id)).toEqual(expect.arrayContaining([reportId, other]));
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'report.grants.update').execute();
    expect(audit.some((a) => a.target === reportId && String(a.detail_json).includes(viewer.id))).toBe(true);
  });

  it('lets a viewer in through a group grant', async () => {
    const viewer = await t.user('viewer');
    const groupId = newId();
    await t.deps.db.insertInto('groups').values({ id: groupId, name: `销售部-${groupId}`, description: null, created_at: nowIso() }).execute();
    await t.deps.db.insertInto('group_members').values({ group_id: groupId, user_id: viewer.id }).execute();
    expect((await t.call({ method: 'GET', url: `/api/reports/${reportId}`, headers: viewer.headers })).status).toBe(403);
    const put = await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: editor.headers, body: { users: [], groups: [groupId] } });
    expect(put.json.data).toEqual({ users: [], groups: [groupId], subDepartments: [] });
    expect((await t.call({ method: 'GET', url: `/api/reports/${reportId}`, headers: viewer.headers })).status).toBe(200);
    const csv = await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}/widgets/detail/export.csv`, headers: viewer.headers });
    expect(csv.statusCode).toBe(200);
  });

  it('keeps grants, preview and report writes to editors, and refuses unknown grant subjects', async () => {
    const viewer = await t.user('viewer');
    const h = viewer.headers;
    expect((await t.call({ method: 'GET', url: `/api/reports/${reportId}/grants`, headers: h })).status).toBe(403);
    expect((await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: h, body: { users: [viewer.id], groups: [] } })).status).toBe(403);
    expect((await t.call({ method: 'POST', url: '/api/query/preview', headers: h, body: { datasetId, query: {} } })).status).toBe(403);
    expect((await t.call({ method: 'DELETE', url: `/api/reports/${reportId}`, headers: h })).status).toBe(403);
    const bad = await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: editor.headers, body: { users: ['no-such-user'], groups: [] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('no-such-user');
  });
});

describe('report editing', () => {
  it('refuses a widget with an unknown field or a sum over text, naming the widget and the field', async () => {
    const unknown = await postReport({ dimensions: [{ field: '不存在' }], measures: [{ agg: 'count' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('不存在');
    expect(unknown.json.error.message).toContain('测试组件');
    expect(unknown.json.error.details).toMatchObject({ widgetId: 'w1', field: '不存在' });
    const sumText = await postReport({ measures: [{ field: '区域', agg: 'sum' }] });
    expect(sumText.status).toBe(400);
    expect(sumText.json.error.details).toMatchObject({ widgetId: 'w1', field: '区域' });
    const en = await t.call({
      method: 'POST',
      url: '/api/reports',
      headers: { ...editor.headers, 'accept-language': 'en' },
      body: reportBody('x', { measures: [{ field: '区域', agg: 'avg' }] }),
    });
    expect(en.json.error.message).toMatch(/Widget "测试组件".*区域.*not numeric/);
  });

  it('creates, renames, searches and deletes a report', async () => {
    const id = await createReport('华东周报');
    const put = await t.call({ method: 'PUT', url: `/api/reports/${id}`, headers: editor.headers, body: { name: '华东月报' } });
    expect(put.status).toBe(200);
    expect(put.json.data.name).toBe('华东月报');
    const found = await t.call({ method: 'GET', url: `/api/reports?q=${encodeURIComponent('华东')}`, headers: editor.headers });
    expect(found.json.data.items.map((r: any) => r.name)).toEqual(['华东月报']);
    expect((await t.call({ method: 'DELETE', url: `/api/reports/${id}`, headers: editor.headers })).status).toBe(200);
    expect((await t.call({ method: 'GET', url: `/api/reports/${id}`, headers: editor.headers })).status).toBe(404);
  });

  it('previews a query for the editor with a total', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/api/query/preview',
      headers: editor.headers,
      body: { datasetId, query: { dimensions: [{ field: '产品类别' }], measures: [{ agg: 'count' }] } },
    });
    expect(res.status).toBe(200);
    expect(res.json.data.rows.reduce((s: number, r: any) => s + r.count, 0)).toBe(SALES.length);
    const bad = await t.call({ method: 'POST', url: '/api/query/preview', headers: editor.headers, body: { datasetId, query: { columns: ['x"; DROP TABLE t; --'] } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.field).toBe('x"; DROP TABLE t; --');
  });
});

describe('query cache', () => {
  it('serves the second call from the cache and fresh data after the data version is bumped', async () => {
    const store = await t.deps.connectors.embedded();
    await store.replaceTable('cache_probe', [{ name: 'n', type: 'integer' }], [[1], [2]]);
    const dsId = newId();
    await t.deps.db
      .insertInto('datasets')
      .values({
        id: dsId,
        name: '缓存探针',
        datasource_id: 'embedded',
        kind: 'table',
        table_name: 'cache_probe',
        sql: null,
        fields_json: JSON.stringify([{ name: 'n', type: 'integer' }]),
        created_by: null,
        created_at: nowIso(),
        updated_at: nowIso(),
      })
      .execute();
    const id = await createReport('缓存', { measures: [{ field: 'n', agg: 'sum' }] }, dsId);
    const call = () => t.call({ method: 'POST', url: `/api/reports/${id}/widgets/w1/data`, headers: editor.headers, body: {} });
    const first = await call();
    expect(first.json.data).toMatchObject({ cached: false, rows: [{ sum__n: 3 }] });
    expect((await call()).json.data).toMatchObject({ cached: true, rows: [{ sum__n: 3 }] });

    await store.replaceTable('cache_probe', [{ name: 'n', type: 'integer' }], [[10], [20]]);
    await t.deps.db.updateTable('datasets').set((eb) => ({ data_version: eb('data_version', '+', 1) })).where('id', '=', dsId).execute();
    expect((await call()).json.data).toMatchObject({ cached: false, rows: [{ sum__n: 30 }] });
  });
});

describe('query errors never show SQL', () => {
  /** Words of the compiled SQL that must never reach a client. */
  const SQL_TEXT = /LINE \d|\bselect\b|"src"|cast\(|sample_sales|__c0/i;

  it('a viewer sending a day that does not exist gets a 400 naming the filter, not the database error', async () => {
    const viewer = await t.user('viewer');
    await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: editor.headers, body: { users: [viewer.id], groups: [] } });
    for (const range of [{ from: '2025-13-45' }, { to: '2025-02-30' }, { from: '2025-01-01', to: '2025-00-10' }]) {
      const res = await data(viewer.headers, 'total_amount', { filters: { date: range } });
      expect(res.status, JSON.stringify(range)).toBe(400);
      expect(res.json.error.message).toMatch(/^筛选器「日期」的日期「2025-\d\d-\d\d」不存在/);
      expect(JSON.stringify(res.json)).not.toMatch(SQL_TEXT);
    }
    const preview = await t.call({
      method: 'POST',
      url: '/api/query/preview',
      headers: editor.headers,
      body: { datasetId, query: { measures: [{ agg: 'count' }], filters: [{ field: '日期', op: 'gte', value: '2025-02-29' }] } },
    });
    expect(preview.status).toBe(400);
    expect(preview.json.error.message).toBe('字段「日期」的筛选值「2025-02-29」不是有效的日期或时间');
  });

  it('a failing query tells an editor what the database said, a viewer only that it failed; neither sees SQL', async () => {
    // Prepares fine; fails at run time with an engine message that quotes the SQL around the cast.
    const ds = await t.call({
      method: 'POST',
      url: '/api/datasets',
      headers: editor.headers,
      body: { name: '坏转换', datasourceId: 'embedded', kind: 'sql', sql: 'SELECT CAST(区域 AS INTEGER) + 1 AS n FROM sample_sales' },
    });
    expect(ds.status).toBe(200);
    const id = await createReport('坏转换报表', { measures: [{ field: 'n', agg: 'sum' }] }, ds.json.data.id);
    const viewer = await t.user('viewer');
    await t.call({ method: 'PUT', url: `/api/reports/${id}/grants`, headers: editor.headers, body: { users: [viewer.id], groups: [] } });
    const url = `/api/reports/${id}/widgets/w1/data`;

    const asEditor = await t.call({ method: 'POST', url, headers: editor.headers, body: {} });
    expect(asEditor.status).toBe(400);
    expect(asEditor.json.error.message).toMatch(/^查询出错：Conversion Error: Could not convert string/);
    expect(JSON.stringify(asEditor.json)).not.toMatch(SQL_TEXT);

    const asViewer = await t.call({ method: 'POST', url, headers: viewer.headers, body: {} });
    expect(asViewer.status).toBe(400);
    expect(asViewer.json.error.message).toBe('查询数据时出错，请联系报表的编辑者检查数据集');
  });
});

function reportBody(name: string, query: unknown, dsId = datasetId) {
  return {
    name,
    definition: {
      widgets: [{ id: 'w1', kind: 'table', title: '测试组件', datasetId: dsId, query, layout: { x: 0, y: 0, w: 6, h: 4 } }],
      filters: [],
    },
  };
}

function postReport(query: unknown) {
  return t.call({ method: 'POST', url: '/api/reports', headers: editor.headers, body: reportBody('测试', query) });
}

async function createReport(name: string, query: unknown = { measures: [{ agg: 'count' }] }, dsId = datasetId): Promise<string> {
  const res = await t.call({ method: 'POST', url: '/api/reports', headers: editor.headers, body: reportBody(name, query, dsId) });
  expect(res.status).toBe(200);
  return res.json.data.id;
}
