// @vitest-environment node
// The sample report on a phone against a real Shulan, the way the web viewer reads it: a tap drills
// 区域 → 城市 with breadcrumbs, a tap at the bottom filters the other widgets (联动) behind a
// clearable chip, and relative dates from the filter sheet. The pages' own logic runs; only `wx`
// is a double. Figures are checked against SQL on the embedded store.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../../server/src/sample/seedSampleContent.js';
import { startWecomTestEnv, type WecomTestEnv } from '../../server/src/wecom/testing/wecomTestEnv.js';
import { MiniApp, parseUrl, type PageInstance } from './pageHarness';
import { createWxDouble, type WxDouble } from './wxDouble';

const DOMAIN = 'https://bi.test';
let env: WecomTestEnv;
let baseUrl: string;
let reportId: string;
let viewer: { id: string; username: string; password: string };

beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  const { t, admin } = env;
  await seedSampleContent(t.deps, admin.id);
  // "Today" for relative dates: 2025-06-18 in Shanghai, inside the sample year.
  t.deps.clock = () => new Date('2025-06-18T04:00:00Z');
  reportId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  const def = (await t.call({ method: 'GET', url: `/api/reports/${reportId}`, headers: admin.headers })).json.data.definition;
  def.widgets.find((w: any) => w.id === 'amount_by_region').options.drillFields = [{ field: '城市' }];
  expect((await t.call({ method: 'PUT', url: `/api/reports/${reportId}`, headers: admin.headers, body: { definition: def } })).status).toBe(200);
  viewer = await t.user('viewer', 'mp-h5');
  expect((await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } })).status).toBe(200);
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => env?.close());

async function phone(): Promise<{ app: MiniApp; wx: WxDouble }> {
  const storage = new Map<string, unknown>([['shulan.domain', DOMAIN]]);
  const wx = createWxDouble({ hosts: { [DOMAIN]: baseUrl } }, storage);
  const app = await MiniApp.launch(wx.wx);
  const login = await app.open('pages/login/index');
  login.onUsername({ detail: { value: viewer.username } });
  login.onPassword({ detail: { value: viewer.password } });
  await login.onSubmit();
  return { app, wx };
}

async function sql(text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await env.t.deps.connectors.embedded()).query(text, params);
}
const count = async (where: string, params: unknown[] = []) => Number((await sql(`SELECT count(*) AS n FROM sample_sales WHERE ${where}`, params))[0]!.n);

const on = (id: string, detail: unknown = {}) => ({ currentTarget: { dataset: { id } }, detail });
const widget = (page: PageInstance, id: string) => page.data.widgets.find((w: any) => w.id === id);
/** The 订单数 card as a number ("1,234" → 1234). */
const orders = (page: PageInstance) => Number(String(widget(page, 'order_count').kpi.value).replace(/[^\d.]/g, ''));

/** Taps the bar of one category, as the chart component reports a tap. */
function tapBar(page: PageInstance, category: string) {
  const bar = widget(page, 'amount_by_region');
  const index = bar.series.categories.indexOf(category);
  expect(index, `${category} in ${bar.series.categories}`).toBeGreaterThanOrEqual(0);
  page.onSelect(on('amount_by_region', { index, category, series: bar.series.series[0].name, value: bar.series.series[0].values[index] }));
}

it('drills 区域 → 城市 with breadcrumbs, links the other widgets from the bottom level, and filters by 本月 / 近 7 天', async () => {
  const { app, wx } = await phone();
  const page = await app.open('pages/report/index', { id: reportId });
  await wx.settled();
  expect(widget(page, 'amount_by_region').crumbs).toEqual(['全部']);
  expect(orders(page)).toBe(await count('true'));

  // A tap one level down: the cities of 华东, with a breadcrumb.
  tapBar(page, '华东');
  await wx.settled();
  expect(widget(page, 'amount_by_region').crumbs).toEqual(['全部', '华东']);
  const cities = (await sql(`SELECT DISTINCT "城市" AS c FROM sample_sales WHERE "区域" = '华东'`)).map((r) => r.c).sort();
  expect([...widget(page, 'amount_by_region').series.categories].sort()).toEqual(cities);
  expect(orders(page)).toBe(await count('true')); // drilling one chart leaves the others

  // At the bottom a tap offers 筛选其他组件: the others narrow to 华东 › 上海, behind a chip.
  tapBar(page, '上海');
  expect(page.data.selection).toMatchObject({ widgetId: 'amount_by_region', category: '上海', canLink: true });
  page.onLink();
  await wx.settled();
  expect(page.data.links).toEqual([{ widgetId: 'amount_by_region', text: '区域 = 华东 · 城市 = 上海' }]);
  expect(orders(page)).toBe(await count(`"区域" = '华东' AND "城市" = '上海'`));
  expect(widget(page, 'detail').total).toBe(await count(`"区域" = '华东' AND "城市" = '上海'`));

  // The rows behind a tapped city keep the drill path and the linkage.
  tapBar(page, '杭州');
  page.onDrill();
  const { route, query } = parseUrl(wx.navigations.at(-1)!);
  expect(route).toBe('pages/drill/index');
  const rows = await app.open(route, query);
  await wx.settled();
  expect(rows.data.total).toBe(await count(`"区域" = '华东' AND "城市" = '杭州'`));

  // Up the breadcrumb; one tap clears the linkage.
  page.onCrumb({ currentTarget: { dataset: { id: 'amount_by_region', level: 0 } } });
  await wx.settled();
  expect(widget(page, 'amount_by_region').crumbs).toEqual(['全部']);
  expect(widget(page, 'amount_by_region').series.categories).toHaveLength(5);
  page.onClearLinks();
  await wx.settled();
  expect(page.data.links).toEqual([]);
  expect(orders(page)).toBe(await count('true'));

  // Relative dates from the filter sheet, resolved by the server's calendar.
  await page.onOpenFilters();
  const items = page.data.sheetItems.map((i: any) => (i.id === 'date' ? { ...i, preset: 'this_month' } : i));
  page.onApplyFilters({ detail: { items } });
  await wx.settled();
  expect(orders(page)).toBe(await count(`"日期" BETWEEN DATE '2025-06-01' AND DATE '2025-06-30'`));
  await page.onOpenFilters();
  expect(page.data.sheetItems.find((i: any) => i.id === 'date').preset).toBe('this_month');
  page.onApplyFilters({ detail: { items: page.data.sheetItems.map((i: any) => (i.id === 'date' ? { ...i, preset: 'last_7_days' } : i)) } });
  await wx.settled();
  expect(orders(page)).toBe(await count(`"日期" BETWEEN DATE '2025-06-12' AND DATE '2025-06-18'`));
  // A shared link carries the preset, not the days.
  expect(page.onShareAppMessage().path).toContain(encodeURIComponent('"preset":"last_7_days"'));
  page.onUnload();
});

it('full screen from a drilled, linked report shows what the cards show, titled with the level, and its rows keep both', async () => {
  const { app, wx } = await phone();
  const page = await app.open('pages/report/index', { id: reportId });
  await wx.settled();
  tapBar(page, '华东');
  await wx.settled();
  tapBar(page, '上海');
  page.onLink();
  await wx.settled();

  // The drilled chart (华东's cities) and a linked one (the months of 华东 › 上海) open as their cards.
  const open = async (id: string) => {
    page.onFullscreen(on(id));
    const { route, query } = parseUrl(wx.navigations.at(-1)!);
    expect(route).toBe('pages/chart/index');
    const chart = await app.open(route, query);
    await wx.settled();
    expect(chart.data.series).toEqual(widget(page, id).series);
    return chart;
  };
  const trend = await open('amount_by_month');
  expect(trend.data.title).toBe('月度销售额趋势');
  trend.onUnload();
  const cities = await open('amount_by_region');
  expect(cities.data.title).toBe('各区域销售额 · 华东');

  // A tapped city's rows: 华东's 杭州, not a region named 杭州.
  const index = cities.data.series.categories.indexOf('杭州');
  cities.onSelect({ detail: { index, category: '杭州', series: cities.data.series.series[0].name, value: 1 } });
  cities.onDrill();
  const { route, query } = parseUrl(wx.navigations.at(-1)!);
  const rows = await app.open(route, query);
  await wx.settled();
  expect(rows.data.total).toBe(await count(`"区域" = '华东' AND "城市" = '杭州'`));
  cities.onUnload();
  page.onUnload();
});

it('full screen drills in place like the card: a tapped region shows its cities with breadcrumbs, the bottom level offers rows, a crumb goes back', async () => {
  const { app, wx } = await phone();
  const page = await app.open('pages/report/index', { id: reportId });
  await wx.settled();
  const regions = structuredClone(widget(page, 'amount_by_region').series);
  page.onFullscreen(on('amount_by_region'));
  const { route, query } = parseUrl(wx.navigations.at(-1)!);
  const chart = await app.open(route, query);
  await wx.settled();
  expect(chart.data.crumbs).toEqual(['全部']);
  const tap = (category: string) => {
    const index = chart.data.series.categories.indexOf(category);
    expect(index, `${category} in ${chart.data.series.categories}`).toBeGreaterThanOrEqual(0);
    chart.onSelect({ detail: { index, category, series: chart.data.series.series[0].name, value: chart.data.series.series[0].values[index] } });
  };

  // One level down in place: the same chart, now 华东's cities, as the card shows them drilled.
  tap('华东');
  await wx.settled();
  expect(chart.data.title).toBe('各区域销售额 · 华东');
  expect(chart.data.crumbs).toEqual(['全部', '华东']);
  expect(chart.data.selection).toBeNull();
  tapBar(page, '华东');
  await wx.settled();
  expect(chart.data.series).toEqual(widget(page, 'amount_by_region').series);
  expect(wx.navigations.at(-1)).toMatch(/^\/pages\/chart\/index/); // nothing opened

  // The bottom level offers the rows of the tapped city.
  tap('杭州');
  expect(chart.data.selection).toMatchObject({ category: '杭州' });
  chart.onDrill();
  const rowsAt = parseUrl(wx.navigations.at(-1)!);
  const rows = await app.open(rowsAt.route, rowsAt.query);
  await wx.settled();
  expect(rows.data.total).toBe(await count(`"区域" = '华东' AND "城市" = '杭州'`));

  // 全部 goes back up to the regions.
  chart.onCrumb({ currentTarget: { dataset: { level: 0 } } });
  await wx.settled();
  expect(chart.data.title).toBe('各区域销售额');
  expect(chart.data.crumbs).toEqual(['全部']);
  expect(chart.data.series).toEqual(regions);
  chart.onUnload();
  page.onUnload();
});

/** A phone that has never logged in, as a colleague opening a shared card. */
async function colleague(): Promise<{ app: MiniApp; wx: WxDouble }> {
  const storage = new Map<string, unknown>([['shulan.domain', DOMAIN]]);
  const wx = createWxDouble({ hosts: { [DOMAIN]: baseUrl } }, storage);
  return { app: await MiniApp.launch(wx.wx), wx };
}

/** Opens a share path on a phone without a session: the login detour, then the report. */
async function openShared(path: string): Promise<{ page: PageInstance; wx: WxDouble }> {
  const { app, wx } = await colleague();
  const { route, query } = parseUrl(path);
  await app.open(route, query);
  expect(wx.navigations.at(-1)).toBe('/pages/login/index');
  const login = await app.open('pages/login/index');
  login.onUsername({ detail: { value: viewer.username } });
  login.onPassword({ detail: { value: viewer.password } });
  await login.onSubmit();
  const back = parseUrl(wx.navigations.at(-1)!);
  expect(back.route).toBe('pages/report/index');
  const page = await app.open(back.route, back.query);
  await wx.settled();
  return { page, wx };
}

it('a shared report opens drilled to 华东 with the 上海 linkage, after the login detour too', async () => {
  const { app, wx } = await phone();
  const page = await app.open('pages/report/index', { id: reportId });
  await wx.settled();
  tapBar(page, '华东');
  await wx.settled();
  tapBar(page, '上海');
  page.onLink();
  await wx.settled();
  const shared = page.onShareAppMessage();
  expect(shared.title).toBe(SAMPLE_REPORT_NAME);
  page.onUnload();

  const { page: opened, wx: theirs } = await openShared(shared.path);
  expect(widget(opened, 'amount_by_region').crumbs).toEqual(['全部', '华东']);
  const cities = (await sql(`SELECT DISTINCT "城市" AS c FROM sample_sales WHERE "区域" = '华东'`)).map((r) => r.c).sort();
  expect([...widget(opened, 'amount_by_region').series.categories].sort()).toEqual(cities);
  expect(opened.data.links).toEqual([{ widgetId: 'amount_by_region', text: '区域 = 华东 · 城市 = 上海' }]);
  expect(orders(opened)).toBe(await count(`"区域" = '华东' AND "城市" = '上海'`));
  expect(widget(opened, 'detail').total).toBe(await count(`"区域" = '华东' AND "城市" = '上海'`));
  // The colleague can go on from there (up the breadcrumb, clear the chip) and shares the same view on.
  expect(opened.onShareAppMessage().path).toBe(shared.path);
  expect(theirs.toasts).toEqual([]);
  opened.onUnload();
});

it('a share path too long for WeChat keeps the filters and the drill-down and leaves out the linkage, saying so', async () => {
  const { t, admin } = env;
  const def = (await t.call({ method: 'GET', url: `/api/reports/${reportId}`, headers: admin.headers })).json.data.definition;
  def.filters.push({ id: 'city', label: '城市', kind: 'values', field: '城市' }, { id: 'product', label: '产品', kind: 'values', field: '产品' });
  expect((await t.call({ method: 'PUT', url: `/api/reports/${reportId}`, headers: admin.headers, body: { definition: def } })).status).toBe(200);

  const { app, wx } = await phone();
  const page = await app.open('pages/report/index', { id: reportId });
  await wx.settled();
  // Every city and every product ticked in the filter sheet: a long filter list.
  await page.onOpenFilters();
  const items = page.data.sheetItems.map((i: any) => (['city', 'product'].includes(i.id) ? { ...i, options: i.options.map((o: any) => ({ ...o, selected: true })) } : i));
  page.onApplyFilters({ detail: { items } });
  await wx.settled();
  tapBar(page, '华东');
  await wx.settled();
  tapBar(page, '上海');
  page.onLink();
  await wx.settled();
  const { path } = page.onShareAppMessage();
  expect(path.length).toBeLessThanOrEqual(1024);
  expect(wx.toasts.at(-1)).toBe('分享链接过长，未包含联动筛选');
  page.onUnload();

  const { page: opened } = await openShared(path);
  expect(opened.data.activeFilters).toBe(2);
  expect(widget(opened, 'amount_by_region').crumbs).toEqual(['全部', '华东']);
  expect(opened.data.links).toEqual([]);
  expect(orders(opened)).toBe(await count('true'));
  opened.onUnload();
});
