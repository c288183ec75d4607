// @vitest-environment node
// Reading reports on a phone against a real Shulan: paged tables, path-based live refresh,
// drill to rows, the landscape chart. The pages' own logic runs; only `wx` is a double.
import { EMBEDDED_DATASOURCE_ID, ReportDefinitionSchema, type Field } from '@shulan/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpDataVersion, publishTableChanged } from '../../server/src/datasets/bumpDataVersion.js';
import { newId, nowIso } from '../../server/src/lib/ids.js';
import { insertReport } from '../../server/src/reports/reportRepo.js';
import { generateSampleSales } from '../../server/src/sample/sampleSales.js';
import { SAMPLE_DATASET_NAME, SAMPLE_REPORT_NAME, seedSampleContent } from '../../server/src/sample/seedSampleContent.js';
import { startWecomTestEnv, type WecomTestEnv } from '../../server/src/wecom/testing/wecomTestEnv.js';
import { MiniApp, parseUrl, type PageInstance } from './pageHarness';
import { createWxDouble, type WxDouble } from './wxDouble';

const DOMAIN = 'https://bi.test';
const SALES = generateSampleSales();
const STORES_TABLE = 'm4_stores';
const STORE_FIELDS: Field[] = [
  { name: '序号', type: 'integer' },
  { name: '区域', type: 'string' },
  { name: '门店', type: 'string' },
];
const stores = (renamed = '') =>
  Array.from({ length: 12 }, (_, i) => [i + 1, ['华东', '华南', '华北'][i % 3]!, i === 1 && renamed ? renamed : `门店${i + 1}`]);

let env: WecomTestEnv;
let baseUrl: string;
let salesId: string;
let liveId: string;
let hiddenId: string;
let viewer: { id: string; username: string; password: string };

/** A second small embedded table and dataset, so one widget's data can change alone. */
async function addStoresDataset(adminId: string): Promise<string> {
  const { deps } = env.t;
  const store = await deps.connectors.embedded();
  await store.replaceTable(STORES_TABLE, STORE_FIELDS, stores());
  const now = nowIso();
  await deps.db
    .insertInto('embedded_tables')
    .values({ id: newId(), datasource_id: EMBEDDED_DATASOURCE_ID, table_name: STORES_TABLE, display_name: '门店', source_file: null, row_count: 12, fields_json: JSON.stringify(STORE_FIELDS), created_by: adminId, created_at: now, updated_at: now })
    .execute();
  const id = newId();
  await deps.db
    .insertInto('datasets')
    .values({ id, name: '门店', datasource_id: EMBEDDED_DATASOURCE_ID, kind: 'table', table_name: STORES_TABLE, sql: null, fields_json: JSON.stringify(STORE_FIELDS), created_by: adminId, created_at: now, updated_at: now })
    .execute();
  return id;
}

beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  const { t, admin } = env;
  await seedSampleContent(t.deps, admin.id);
  salesId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  const salesDataset = (await t.deps.db.selectFrom('datasets').select('id').executeTakeFirstOrThrow()).id;
  const storesDataset = await addStoresDataset(admin.id);
  const layout = { x: 0, y: 0, w: 12, h: 4 };
  liveId = await insertReport(t.deps.db, {
      name: '实时',
      description: null,
      createdBy: admin.id,
      definition: ReportDefinitionSchema.parse({
        widgets: [
          { id: 'by_region', kind: 'bar', title: '各区域', datasetId: salesDataset, layout, query: { dimensions: [{ field: '区域' }], measures: [{ field: '销售额', agg: 'sum' }] } },
          { id: 'orders', kind: 'kpi', title: '订单数', datasetId: salesDataset, layout, query: { measures: [{ agg: 'count' }] } },
          { id: 'stores', kind: 'table', title: '门店', datasetId: storesDataset, layout, query: { columns: ['序号', '区域', '门店'], sort: [{ key: '序号', dir: 'asc' }] }, options: { pageSize: 5 } },
        ],
        filters: [],
      }),
    });
  hiddenId = await insertReport(t.deps.db, { name: '机密', description: null, createdBy: admin.id, definition: ReportDefinitionSchema.parse({ widgets: [], filters: [] }) });
  viewer = await t.user('viewer', 'm4');
  for (const id of [salesId, liveId]) {
    const grant = await t.call({ method: 'PUT', url: `/api/reports/${id}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } });
    expect(grant.status).toBe(200);
  }
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => env?.close());

/** A logged-in phone in plain WeChat. */
async function phone(): Promise<{ app: MiniApp; wx: WxDouble }> {
  const storage = new Map<string, unknown>([['shulan.domain', DOMAIN]]);
  const wx = createWxDouble({ hosts: { [DOMAIN]: baseUrl } }, storage);
  const app = await MiniApp.launch(wx.wx);
  const login = await app.open('pages/login/index');
  login.onUsername({ detail: { value: viewer.username } });
  login.onPassword({ detail: { value: viewer.password } });
  await login.onSubmit();
  expect(storage.get('shulan.token')).toBeTruthy();
  return { app, wx };
}

async function openPage(app: MiniApp, wx: WxDouble, route: string, query: Record<string, string>): Promise<PageInstance> {
  const page = await app.open(route, query);
  await wx.settled();
  return page;
}

async function follow(app: MiniApp, wx: WxDouble): Promise<{ route: string; page: PageInstance }> {
  const { route, query } = parseUrl(wx.navigations.at(-1)!);
  return { route, page: await openPage(app, wx, route, query) };
}

const widgetIndex = (page: PageInstance, id: string) => page.data.widgets.findIndex((w: any) => w.id === id);
const on = (id: string, detail: unknown = {}) => ({ currentTarget: { dataset: { id } }, detail });

/** Records the keys of every setData call the page makes. */
function spySetData(page: PageInstance): string[][] {
  const calls: string[][] = [];
  const orig = page.setData.bind(page);
  page.setData = (patch: Record<string, unknown>) => {
    calls.push(Object.keys(patch));
    orig(patch);
  };
  return calls;
}

describe('tables on the phone', () => {
  it('show the widget page size with "n / total", load the next page from the server, and start over when sorted', async () => {
    const { app, wx } = await phone();
    const report = await openPage(app, wx, 'pages/report/index', { id: salesId });
    const i = widgetIndex(report, 'detail');
    let view = report.data.widgets[i];
    expect(view.table.rows).toHaveLength(20); // options.pageSize of the sample table
    expect(view.total).toBe(SALES.length);
    const page2 = await env.t.call({ method: 'POST', url: `/api/reports/${salesId}/widgets/detail/data`, headers: env.admin.headers, body: { page: 2, pageSize: 20 } });

    await report.onMore(on('detail'));
    await wx.settled();
    view = report.data.widgets[i];
    expect(view.table.rows).toHaveLength(40);
    expect(view.pages).toBe(2);
    expect(view.table.rows.slice(20).map((r: string[]) => r[4])).toEqual(page2.json.data.rows.map((r: any) => r['产品']));

    report.onSort(on('detail', { key: '销量', dir: 'desc' }));
    await wx.settled();
    view = report.data.widgets[i];
    expect(view.pages).toBe(1);
    expect(view.table.rows).toHaveLength(20);
    expect(Number(view.table.rows[0][5])).toBe(Math.max(...SALES.map((r) => Number(r[5]))));
    report.onUnload();
  });

  it('a live refresh where one widget changed sends only the changed row of that widget, in one setData', async () => {
    const { app, wx } = await phone();
    const report = await openPage(app, wx, 'pages/report/index', { id: liveId });
    const s = widgetIndex(report, 'stores');
    expect(report.data.widgets[s].table.rows.map((r: string[]) => r[2])).toEqual(['门店1', '门店2', '门店3', '门店4', '门店5']);
    expect(report.data.widgets[s].total).toBe(12);
    await wx.waitFor(() => wx.socketMessages.some((m) => m.includes('"subscribed"')));
    const calls = spySetData(report);
    const before = wx.widgetLoads().length;

    const store = await env.t.deps.connectors.embedded();
    await store.replaceTable(STORES_TABLE, STORE_FIELDS, stores('旗舰店'));
    await bumpDataVersion(env.t.deps.db, STORES_TABLE);
    await publishTableChanged(env.t.deps.db, env.t.deps.liveEvents, STORES_TABLE);
    await wx.waitFor(() => wx.toasts.length > 0);
    await wx.settled();

    expect(wx.widgetLoads().length).toBe(before + 3); // every widget asked
    expect(calls).toEqual([[`widgets[${s}].table.rows[1]`]]); // only what changed was sent
    expect(report.data.widgets[s].table.rows[1]).toEqual(['2', '华南', '旗舰店']);
    report.onUnload();
  });
});

describe('drill to rows', () => {
  it('a tapped bar offers its rows; the drill page pages through them with the report filters', async () => {
    const { app, wx } = await phone();
    const march = { date: { from: '2025-03-01', to: '2025-03-31' } };
    const report = await openPage(app, wx, 'pages/report/index', { id: salesId, filters: encodeURIComponent(JSON.stringify(march)) });
    const bar = report.data.widgets[widgetIndex(report, 'amount_by_region')];
    const index = bar.series.categories.indexOf('华东');
    expect(index).toBeGreaterThanOrEqual(0);
    report.onSelect(on('amount_by_region', { index, category: '华东', series: bar.series.series[0].name, value: bar.series.series[0].values[index] }));
    expect(report.data.selection).toMatchObject({ widgetId: 'amount_by_region', category: '华东' });
    report.onDrill();
    const { route, page: drill } = await follow(app, wx);
    expect(route).toBe('pages/drill/index');
    const want = SALES.filter((r) => r[1] === '华东' && String(r[0]).startsWith('2025-03'));
    expect(drill.data.error).toBe('');
    expect(drill.data.total).toBe(want.length);
    expect(drill.data.title).toBe('各区域销售额 · 华东');
    expect(drill.data.rows.length).toBe(Math.min(50, want.length));
    expect(drill.data.rows.every((r: string[]) => r[1] === '华东' && r[0].startsWith('2025-03'))).toBe(true);
    expect(want.length).toBeGreaterThan(50); // so a second page exists
    await drill.onMore();
    expect(drill.data.rows.length).toBe(Math.min(100, want.length));
    expect(drill.data.rows.every((r: string[]) => r[1] === '华东' && r[0].startsWith('2025-03'))).toBe(true);
    report.onUnload();
  });

  it('a viewer without the report cannot drill into it', async () => {
    const { app, wx } = await phone();
    const drill = await openPage(app, wx, 'pages/drill/index', { id: hiddenId, widget: 'amount_by_region', value: '"华东"' });
    expect(drill.data.error).not.toBe('');
    expect(drill.data.rows).toEqual([]);
  });
});

describe('full-screen chart', () => {
  it('opens from ⤢ with the same data and filters, drills a point, and refreshes live', async () => {
    const { app, wx } = await phone();
    const filters = encodeURIComponent(JSON.stringify({ region: ['华南'] }));
    const report = await openPage(app, wx, 'pages/report/index', { id: salesId, filters });
    const line = report.data.widgets[widgetIndex(report, 'amount_by_month')];
    report.onFullscreen(on('amount_by_month'));
    const { route, page: chart } = await follow(app, wx);
    expect(route).toBe('pages/chart/index');
    expect(chart.data.kind).toBe('line');
    expect(chart.data.series).toEqual(line.series);
    expect(chart.data.height).toBeGreaterThan(0);
    report.onUnload();

    chart.onSelect({ detail: { index: 2, category: chart.data.series.categories[2], series: '销售额', value: 1 } });
    chart.onDrill();
    const { page: drill } = await follow(app, wx);
    expect(drill.data.total).toBe(SALES.filter((r) => r[1] === '华南' && String(r[0]).startsWith('2025-03')).length);

    // One socket per app: the chart page shares the report page's subscription to this report.
    await wx.waitFor(() => wx.socketMessages.some((m) => m.includes('"subscribed"')));
    const before = wx.requests.filter((r) => r.includes('/amount_by_month/data')).length;
    await publishTableChanged(env.t.deps.db, env.t.deps.liveEvents, 'sample_sales');
    await wx.waitFor(() => wx.requests.filter((r) => r.includes('/amount_by_month/data')).length > before);
    await wx.settled();
    expect(chart.data.series).toEqual(line.series);
    chart.onUnload();
  });
});

describe('the canvas layout on a phone', () => {
  it('stacks widgets in layout order (row by row, left to right) with text blocks that load nothing', async () => {
    const { t, admin } = env;
    const datasetId = (await t.deps.db.selectFrom('datasets').select('id').where('name', '=', SAMPLE_DATASET_NAME).executeTakeFirstOrThrow()).id;
    const kpi = (id: string, x: number, y: number) => ({ id, kind: 'kpi', title: id, datasetId, query: { measures: [{ agg: 'count' }] }, layout: { x, y, w: 6, h: 2 } });
    // Saved in the order they were added, not the order they sit on the canvas.
    const created = await t.call({
      method: 'POST',
      url: '/api/reports',
      headers: admin.headers,
      body: {
        name: '画布顺序',
        definition: {
          filters: [],
          widgets: [
            kpi('lower_right', 6, 3),
            { id: 'note', kind: 'text', title: '', layout: { x: 0, y: 5, w: 12, h: 2 }, options: { text: '说明：\n数据每日更新', textStyle: 'body' } },
            kpi('upper_right', 6, 1),
            kpi('lower_left', 0, 3),
            { id: 'heading', kind: 'text', title: '', layout: { x: 0, y: 0, w: 12, h: 1 }, options: { text: '经营月报', textStyle: 'title' } },
            kpi('upper_left', 0, 1),
          ],
        },
      },
    });
    expect(created.status).toBe(200);
    const id = created.json.data.id;
    expect((await t.call({ method: 'PUT', url: `/api/reports/${id}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } })).status).toBe(200);

    const { app, wx } = await phone();
    const report = await openPage(app, wx, 'pages/report/index', { id });
    expect(report.data.widgets.map((w: any) => w.id)).toEqual(['heading', 'upper_left', 'upper_right', 'lower_left', 'lower_right', 'note']);
    expect(report.data.widgets[0]).toMatchObject({ kind: 'text', text: '经营月报', textStyle: 'title', loading: false, error: '' });
    expect(report.data.widgets[5]).toMatchObject({ kind: 'text', text: '说明：\n数据每日更新', textStyle: 'body', loading: false });
    expect(report.data.widgets[1].kpi.value.replace(/,/g, '')).toBe(String(SALES.length));
    // Only the four KPI cards asked for data, all in one report data call.
    expect(wx.widgetLoads().sort()).toEqual(['lower_left', 'lower_right', 'upper_left', 'upper_right']);
    expect(wx.requests.filter((r) => r.includes(`/api/reports/${id}/`) && r.endsWith('/data'))).toEqual([`POST /api/reports/${id}/data`]);
    report.onUnload();
  });
});
