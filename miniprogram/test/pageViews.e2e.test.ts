// @vitest-environment node
// What a user sees on each page: the page's own logic runs (Page() options from src) against a real
// Shulan and the WeCom simulator through the strict `wx` double, and its own template is rendered
// with miniprogram-simulate from the page's actual data, components included (chart, data-table,
// filter-sheet, watermark, built as they ship). Taps go through the rendered view.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleSales } from '../../server/src/sample/sampleSales.js';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../../server/src/sample/seedSampleContent.js';
import { startWecomTestEnv, type WecomTestEnv } from '../../server/src/wecom/testing/wecomTestEnv.js';
import { buildMiniprogram } from '../build/buildPackage';
import { loadSimulate } from './domInNode';
import { MiniApp, parseUrl, type PageInstance } from './pageHarness';
import { mountPage, unboundNames, type PageView } from './pageView';
import { createWxDouble, type WxDouble, type WxDoubleOptions } from './wxDouble';

const DOMAIN = 'https://bi.test';
/** The same company's server under a second configured domain (e.g. after a move). */
const DOMAIN2 = 'https://bi2.test';
const ORG = '示例科技有限公司';
const SALES = generateSampleSales();
let env: WecomTestEnv;
let baseUrl: string;
let pkg: string;
let out: string;
let viewer: { id: string; username: string; password: string };
let salesId: string;
/** A second report granted to the viewer, named to sort after the sample one. */
let copyId: string;
const COPY_NAME = '销售概览（副本）';

beforeAll(async () => {
  // simulate first: it merges its own `wx` into the global once, before any phone installs ours.
  await loadSimulate();
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-views-'));
  await buildMiniprogram({ appid: 'wx0123456789abcdef', outDir: out });
  pkg = path.join(out, 'miniprogram');
  env = await startWecomTestEnv();
  await env.configure();
  const { t, admin } = env;
  expect((await t.call({ method: 'PUT', url: '/api/settings/mobile', headers: admin.headers, body: { watermark: true, orgName: ORG } })).status).toBe(200);
  await seedSampleContent(t.deps, admin.id);
  salesId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  viewer = await t.user('viewer', 'views');
  const detail = await t.call({ method: 'GET', url: `/api/reports/${salesId}`, headers: admin.headers });
  const copy = await t.call({ method: 'POST', url: '/api/reports', headers: admin.headers, body: { name: COPY_NAME, description: '副本', definition: detail.json.data.definition } });
  expect(copy.status).toBe(200);
  copyId = copy.json.data.id;
  for (const id of [salesId, copyId]) {
    const grant = await t.call({ method: 'PUT', url: `/api/reports/${id}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } });
    expect(grant.status).toBe(200);
  }
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await env?.close();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

interface Phone {
  app: MiniApp;
  wx: WxDouble;
  storage: Map<string, unknown>;
}

/** A phone with the company's address saved (the generic package, after the domain page). */
async function phone(opts: Partial<WxDoubleOptions> = {}, stored: Record<string, unknown> = { 'shulan.domain': DOMAIN }): Promise<Phone> {
  const storage = new Map<string, unknown>(Object.entries(stored));
  const wx = createWxDouble({ hosts: { [DOMAIN]: baseUrl, [DOMAIN2]: baseUrl }, ...opts }, storage);
  return { app: await MiniApp.launch(wx.wx), wx, storage };
}

/** A phone whose viewer has logged in with the account form (plain WeChat). */
async function loggedIn(): Promise<Phone> {
  const p = await phone();
  const login = await p.app.open('pages/login/index');
  await p.wx.settled();
  login.onUsername({ detail: { value: viewer.username } });
  login.onPassword({ detail: { value: viewer.password } });
  await login.onSubmit();
  expect(p.storage.get('shulan.token')).toBeTruthy();
  return p;
}

/** Opens `route` as WeChat would, rendered from the start, and waits until its loading is done. */
async function show(p: Phone, route: string, query: Record<string, string> = {}): Promise<{ page: PageInstance; view: PageView }> {
  const page = await p.app.instance(route);
  const view = await mountPage(pkg, route, page);
  await page.onLoad?.(query);
  await p.wx.settled();
  // Everything the template binds is something this page sets (else it shows nothing, silently).
  expect(unboundNames(route, page.data)).toEqual([]);
  return { page, view };
}

/** Opens the page the app last navigated to. */
async function follow(p: Phone): Promise<{ route: string; page: PageInstance; view: PageView }> {
  const { route, query } = parseUrl(p.wx.navigations.at(-1)!);
  return { route, ...(await show(p, route, query)) };
}

/** Polls `pred` (taps and renders are delivered on microtasks and the network) until a deadline. */
async function until(p: Phone, pred: () => boolean, deadlineMs = 5000): Promise<void> {
  await p.wx.waitFor(pred, deadlineMs);
}

describe('home', () => {
  it('lists the granted reports; a tap opens one, and back home it comes first as recently viewed', async () => {
    const p = await loggedIn();
    const home = await show(p, 'pages/home/index');
    const names = () => home.view.comp.querySelectorAll('.report-name').map((n) => n.dom.textContent!.replace(/\s+/g, ''));
    expect([...names()].sort()).toEqual([SAMPLE_REPORT_NAME, COPY_NAME].sort());
    expect(home.view.text()).not.toContain('最近查看');
    expect(home.view.text()).not.toContain('暂无可查看的报表');
    const second = names()[1]!;
    const secondId = second === COPY_NAME ? copyId : salesId;
    home.view.comp.querySelectorAll('.report')[1]!.dispatchEvent('tap');
    await until(p, () => p.wx.navigations.length > 1);
    expect(p.wx.navigations.at(-1)).toBe(`/pages/report/index?id=${encodeURIComponent(secondId)}`);
    const report = await follow(p);
    expect(report.view.find('#report-name')!.dom.textContent).toBe(second);
    report.page.onUnload();

    home.page.onShow();
    await p.wx.settled();
    expect(names()).toEqual([`${second}最近查看`, names()[1]]);
    expect(home.view.text().match(/最近查看/g)).toHaveLength(1);
  });

  it('a viewer with no report granted is told so', async () => {
    const nobody = await env.t.user('viewer', 'nothing');
    const p = await phone();
    const login = await p.app.open('pages/login/index');
    login.onUsername({ detail: { value: nobody.username } });
    login.onPassword({ detail: { value: nobody.password } });
    await login.onSubmit();
    const { view } = await show(p, 'pages/home/index');
    expect(view.find('#empty')!.dom.textContent).toBe('暂无可查看的报表');
    expect(view.comp.querySelectorAll('.report')).toHaveLength(0);
  });
});

describe('the binding check', () => {
  it('names what a template binds and the page does not set (so the check above can fail)', () => {
    expect(unboundNames('pages/me/index', { t: {}, user: {} })).toEqual(['roleName', 'wecomUserid', 'domain', 'error', 'canChangeDomain']);
  });
});

describe('intro', () => {
  it('names the company the app is for before any login, and its button leads to the login page', async () => {
    const p = await phone();
    const { view } = await show(p, 'pages/intro/index');
    expect(p.wx.navigations).toEqual([]);
    expect(view.text()).toContain(ORG);
    expect(view.text()).toContain(`仅供${ORG}员工`);
    expect(view.text()).toContain(DOMAIN);
    view.tap('#login');
    await until(p, () => p.wx.navigations.length > 0);
    expect(p.wx.navigations).toEqual(['/pages/login/index']);
  });
});

describe('domain', () => {
  it('checks what is typed against the server before remembering it', async () => {
    const p = await phone({}, {});
    const { view } = await show(p, 'pages/domain/index');
    expect(p.wx.navigations).toEqual([]);
    expect(view.text()).toContain('服务器域名');
    expect(view.text()).toContain('暂不登录');
    view.fire('#domain', 'input', { value: 'http://bi.test' });
    view.tap('#connect');
    await until(p, () => view.text().includes('https'));
    // A domain the console does not list: WeChat refuses it, and the page says why.
    view.fire('#domain', 'input', { value: 'https://elsewhere.test' });
    await until(p, () => !view.comp.querySelector('#error'));
    view.tap('#connect');
    await until(p, () => !!view.comp.querySelector('#error'));
    expect(view.find('#error')!.dom.textContent).toContain('不在本小程序的 request 合法域名中');
    expect(p.storage.has('shulan.domain')).toBe(false);
    view.fire('#domain', 'input', { value: 'bi.test' });
    view.tap('#connect');
    await until(p, () => p.wx.navigations.length > 0);
    expect(p.wx.navigations).toEqual(['/pages/login/index']);
    expect(p.storage.get('shulan.domain')).toBe(DOMAIN);
  });
});

describe('login', () => {
  it('plain WeChat: who it is for, the server message for a wrong password, 暂不登录, then in', async () => {
    const p = await phone();
    const { view } = await show(p, 'pages/login/index');
    expect(view.text()).toContain(ORG);
    expect(view.text()).toContain(`仅供${ORG}员工`);
    expect(view.comp.querySelector('#bind-hint')).toBeFalsy();
    view.fire('#username', 'input', { value: viewer.username });
    view.fire('#password', 'input', { value: 'wrong-password' });
    view.tap('#submit');
    await until(p, () => !!view.comp.querySelector('#error'));
    await p.wx.settled();
    expect(view.comp.querySelector('#error')!.dom.textContent).toBe('用户名或密码错误');
    view.tap('#not-now');
    await until(p, () => p.wx.navigations.length > 0);
    expect(p.wx.navigations).toEqual(['/pages/intro/index?stay=1']);
    view.fire('#password', 'input', { value: viewer.password });
    view.tap('#submit');
    await until(p, () => p.wx.navigations.length > 1);
    expect(p.wx.navigations.at(-1)).toBe('/pages/home/index');
    expect(view.comp.querySelector('#error')).toBeFalsy();
  });

  it('inside WeCom: a member not yet linked sees the bind hint, links once, and "me" shows the member', async () => {
    const p = await phone({ environment: 'wxwork', qyLogin: async () => env.sim.controls.issueLoginCode('zhangsan').code });
    const { page, view } = await show(p, 'pages/login/index');
    expect(page.data.bindTicket).not.toBe('');
    expect(view.text()).toContain('首次在企业微信中使用');
    expect(view.text()).not.toContain('正在'); // the WeCom login is over
    view.fire('#username', 'input', { value: viewer.username });
    view.fire('#password', 'input', { value: viewer.password });
    view.tap('#submit');
    await until(p, () => p.wx.navigations.length > 0);
    expect(p.wx.navigations.at(-1)).toBe('/pages/home/index');

    const me = await show(p, 'pages/me/index');
    expect(me.view.comp.querySelector('#name')!.dom.textContent).toBe(me.page.data.user.displayName);
    expect(me.page.data.user.username).toBe(viewer.username);
    expect(me.view.text()).toContain(viewer.username);
    expect(me.view.comp.querySelector('#wecom')!.dom.textContent).toBe('zhangsan');
    expect(me.view.comp.querySelector('#domain')!.dom.textContent).toBe(DOMAIN);
    expect(me.view.find('#role')!.dom.textContent).toBe('查看者'); // the role in words, not `viewer`
    expect(me.view.text()).toContain('切换地址');
    me.view.tap('#logout');
    await until(p, () => p.wx.navigations.at(-1) === '/pages/login/index?manual=1');
    expect(p.storage.get('shulan.token') || null).toBeNull();
  });
});

/** The calls of the chart's latest drawing (each starts by clearing the canvas). */
const lastDrawing = (calls: string[]) => calls.slice(calls.map((c) => c.startsWith('clearRect(')).lastIndexOf(true));
/** The `fillRect` calls of a drawing as [x, y, w, h]. */
const rects = (calls: string[]) => calls.filter((c) => c.startsWith('fillRect(')).map((c) => c.slice(9, -1).split(',').map(Number));
/** The texts a drawing wrote. */
const texts = (calls: string[]) => calls.filter((c) => c.startsWith('fillText(')).map((c) => c.slice(9, -1).split(',')[0]!);
/** Taps the chart's canvas at (x, y), as a finger does: touchstart then touchend on the spot. */
function tapCanvas(view: PageView, chartSelector: string, x: number, y: number) {
  const canvas = view.find(chartSelector)!.querySelector('#c')!;
  canvas.dispatchEvent('touchstart', { touches: [{ x, y }] });
  canvas.dispatchEvent('touchend', { touches: [], changedTouches: [{ x, y }] });
}

describe('me', () => {
  it('after switching server and logging in again, shows the new server (not the one of the first visit)', async () => {
    const p = await loggedIn();
    const first = await show(p, 'pages/me/index');
    expect(first.view.find('#domain')!.dom.textContent).toBe(DOMAIN);
    first.view.tap('#switch-domain');
    await until(p, () => p.wx.navigations.at(-1) === '/pages/domain/index?change=1');
    const domain = await follow(p);
    domain.view.fire('#domain', 'input', { value: DOMAIN2 });
    domain.view.tap('#connect');
    await until(p, () => p.wx.navigations.at(-1) === '/pages/login/index');
    const login = await follow(p);
    expect(login.view.find('.server')!.dom.textContent).toBe(DOMAIN2);
    login.view.fire('#username', 'input', { value: viewer.username });
    login.view.fire('#password', 'input', { value: viewer.password });
    login.view.tap('#submit');
    await until(p, () => p.wx.navigations.at(-1) === '/pages/home/index');

    // The same app run: WeChat does not evaluate the page's code again.
    const again = await show(p, 'pages/me/index');
    expect(again.view.find('#domain')!.dom.textContent).toBe(DOMAIN2);
  });
});

describe('a refused WeCom member', () => {
  it('sees only the server’s message and 暂不登录: no account form', async () => {
    env.sim.controls.updateMember('wangwu', { status: 2 });
    await env.t.deps.db
      .insertInto('wecom_members')
      .values({ userid: 'wangwu', name: '王五', mobile: null, email: null, department_ids_json: '[3]', status: 2, left_at: null, synced_at: new Date().toISOString() })
      .execute();
    const p = await phone({ environment: 'wxwork', qyLogin: async () => env.sim.controls.issueLoginCode('wangwu').code });
    const { view } = await show(p, 'pages/login/index');
    expect(view.find('#error')!.dom.textContent).toContain('停用');
    expect(view.find('#submit')).toBeUndefined();
    expect(view.find('#username')).toBeUndefined();
    view.tap('#not-now');
    await until(p, () => p.wx.navigations.length > 0);
    expect(p.wx.navigations).toEqual(['/pages/intro/index?stay=1']);
  });
});

describe('report', () => {
  it('shows KPI cards, a drawn bar chart, a paged table and the watermark from the server’s data', async () => {
    const p = await loggedIn();
    const { page, view } = await show(p, 'pages/report/index', { id: salesId });
    const w = (id: string) => page.data.widgets.find((x: any) => x.id === id);
    expect(view.find('#report-name')!.dom.textContent).toBe(SAMPLE_REPORT_NAME);
    expect(view.find('#open-filters')!.dom.textContent).toBe('筛选');

    // KPI: the server's count of order lines, formatted.
    expect(view.find('#w-order_count .kpi-value')!.dom.textContent).toBe(SALES.length.toLocaleString('en-US'));
    expect(view.find('#w-total_amount .kpi-value')!.dom.textContent).toMatch(/^¥[\d,]+/);
    expect(view.text()).not.toContain('加载中');
    // Each KPI card names its figure once (title), not again as a label under the value.
    const card = view.find('#w-total_amount')!.dom.textContent ?? '';
    const title = w('total_amount').title as string;
    expect(card.split(title).length - 1, card).toBe(1);

    // The bar chart: one bar per region, tallest first (sorted by amount), each region labelled.
    const regions = w('amount_by_region').series.categories as string[];
    expect(regions.length).toBeGreaterThan(3);
    await until(p, () => (view.canvas('#w-amount_by_region chart')?.calls.length ?? 0) > 0);
    const bar = view.canvas('#w-amount_by_region chart')!;
    expect(bar.node).toMatchObject({ width: 327 * 2, height: 220 * 2 }); // the phone's pixel ratio
    const drawn = lastDrawing(bar.calls);
    for (const r of regions) expect(texts(drawn)).toContain(r);
    const bars = rects(drawn).filter((r) => r[2]! > 10);
    expect(bars).toHaveLength(regions.length);
    const heights = bars.map((r) => r[3]!);
    expect(heights).toEqual([...heights].sort((a, b) => b - a));
    const values = w('amount_by_region').series.series[0].values as number[];
    expect(heights[regions.length - 1]! / heights[0]!).toBeCloseTo(values[regions.length - 1]! / values[0]!, 1);

    // The line chart is drawn too.
    await until(p, () => (view.canvas('#w-amount_by_month chart')?.calls.length ?? 0) > 0);
    expect(view.canvas('#w-amount_by_month chart')!.calls.filter((c) => c.startsWith('lineTo(') || c.startsWith('bezierCurveTo(')).length).toBeGreaterThan(5);

    // The table: 20 rows of the newest lines, "20 / all", and "load more" fetches the next page.
    const table = view.find('#w-detail data-table')!;
    const count = () => view.find('.count', view.find('#w-detail data-table'))!.dom.textContent;
    expect(count()).toBe(`20 / ${SALES.length}`);
    const firstRow = Array.from(table.querySelectorAll('.tr')[1]!.dom.children).map((c) => c.textContent!.trim());
    expect(firstRow).toEqual(w('detail').table.rows[0]);
    expect(firstRow[0]).toBe(SALES.map((r) => String(r[0])).sort().at(-1));
    view.tap('.more-btn', view.find('#w-detail data-table'));
    await until(p, () => count() === `40 / ${SALES.length}`);
    expect(view.find('#w-detail data-table')!.querySelectorAll('.tr')).toHaveLength(41);

    // The watermark names the viewer.
    const mark = view.find('watermark')!;
    expect(mark.dom.querySelectorAll('.watermark--cell').length).toBeGreaterThan(4);
    expect(mark.dom.textContent).toContain(`viewer views ${viewer.id.slice(-4)}`);
    page.onUnload();
  });

  it('the filter sheet opens with the server’s values; applying a region narrows every widget', async () => {
    const p = await loggedIn();
    const { page, view } = await show(p, 'pages/report/index', { id: salesId });
    expect(view.find('filter-sheet .sheet-title')).toBeFalsy();
    view.tap('#open-filters');
    await until(p, () => page.data.sheetOpen === true);
    const sheet = view.find('filter-sheet')!;
    expect(sheet.querySelector('.sheet-title')!.dom.textContent).toBe('筛选');
    const chips = sheet.querySelectorAll('.value-chip');
    const labels = chips.map((c) => c.dom.textContent);
    const regions = [...new Set(SALES.map((r) => String(r[1])))].sort();
    expect([...labels].sort()).toEqual(regions);
    chips[labels.indexOf('华南')]!.dispatchEvent('tap');
    const on = () => sheet.querySelectorAll('.value-chip').filter((c) => c.dom.className.includes('--on')).map((c) => c.dom.textContent);
    await until(p, () => on().length > 0);
    expect(on()).toEqual(['华南']);
    sheet.querySelector('#apply')!.dispatchEvent('tap');
    await until(p, () => page.data.sheetOpen === false);
    await p.wx.settled();

    const south = SALES.filter((r) => r[1] === '华南');
    expect(view.find('#open-filters')!.dom.textContent!.replace(/\s/g, '')).toBe('筛选·1');
    expect(view.find('#w-order_count .kpi-value')!.dom.textContent).toBe(south.length.toLocaleString('en-US'));
    expect(view.find('.count', view.find('#w-detail data-table'))!.dom.textContent).toBe(`20 / ${south.length}`);
    await until(p, () => (view.canvas('#w-amount_by_region chart')?.calls.length ?? 0) > 0);
    const bar = lastDrawing(view.canvas('#w-amount_by_region chart')!.calls);
    expect(rects(bar).filter((r) => r[2]! > 10)).toHaveLength(1);
    expect(texts(bar)).toContain('华南');
    expect(texts(bar)).not.toContain('华东');
    page.onUnload();
  });

  it('a tapped bar drills down with breadcrumbs; at the bottom 筛选其他组件 shows a chip that one tap clears', async () => {
    // A report of its own with a drill hierarchy, for a viewer of its own (the lists above stay as they are).
    const { t, admin } = env;
    const reader = await t.user('viewer', 'drill-reader');
    const definition = (await t.call({ method: 'GET', url: `/api/reports/${salesId}`, headers: admin.headers })).json.data.definition;
    definition.widgets.find((w: any) => w.id === 'amount_by_region').options.drillFields = [{ field: '城市' }];
    const created = await t.call({ method: 'POST', url: '/api/reports', headers: admin.headers, body: { name: '下钻', definition } });
    await t.call({ method: 'PUT', url: `/api/reports/${created.json.data.id}/grants`, headers: admin.headers, body: { users: [reader.id], groups: [] } });
    const p = await phone();
    const login = await p.app.open('pages/login/index');
    login.onUsername({ detail: { value: reader.username } });
    login.onPassword({ detail: { value: reader.password } });
    await login.onSubmit();
    const { page, view } = await show(p, 'pages/report/index', { id: created.json.data.id });
    try {
      const crumbs = () => view.find('#crumbs-amount_by_region')!.dom.textContent!.replace(/\s+/g, '');
      expect(crumbs()).toBe('全部');

      /** Taps the n-th bar where it is drawn, once the chart shows `category` there. */
      const tapBar = async (category: string) => {
        await until(p, () => page.data.widgets.find((v: any) => v.id === 'amount_by_region').series?.categories.includes(category));
        const n = page.data.widgets.find((v: any) => v.id === 'amount_by_region').series.categories.indexOf(category);
        await until(p, () => rects(lastDrawing(view.canvas('#w-amount_by_region chart')?.calls ?? [])).filter((r) => r[2]! > 10).length > n);
        const [x, y, w, h] = rects(lastDrawing(view.canvas('#w-amount_by_region chart')!.calls)).filter((r) => r[2]! > 10)[n]!;
        tapCanvas(view, '#w-amount_by_region chart', x! + w! / 2, y! + h! / 2);
      };
      await tapBar('华南');
      await until(p, () => crumbs() === '全部›华南');
      await tapBar('深圳');
      await until(p, () => page.data.selection !== null);
      view.tap('#link-amount_by_region');
      await until(p, () => !!view.find('#links'));
      expect(view.find('#links')!.dom.textContent).toContain('区域 = 华南 · 城市 = 深圳 ×');
      const want = SALES.filter((r) => r[1] === '华南' && r[2] === '深圳').length;
      await until(p, () => view.find('#w-order_count .kpi-value')?.dom.textContent === want.toLocaleString('en-US'));

      view.tap('#clear-links');
      await until(p, () => !view.find('#links'));
      await until(p, () => view.find('#w-order_count .kpi-value')?.dom.textContent === SALES.length.toLocaleString('en-US'));
      view.tap('.crumb');
      await until(p, () => crumbs() === '全部');
    } finally {
      page.onUnload(); // closes its live socket, so the server can stop
    }
  }, 90_000);

  it('a tapped bar offers its rows; the drill page shows them in a table', async () => {
    const p = await loggedIn();
    const { page, view } = await show(p, 'pages/report/index', { id: salesId });
    await until(p, () => (view.canvas('#w-amount_by_region chart')?.calls.length ?? 0) > 0);
    const bar = view.canvas('#w-amount_by_region chart')!;
    const [x, y, w, h] = rects(lastDrawing(bar.calls)).filter((r) => r[2]! > 10)[1]!;
    const region = page.data.widgets.find((v: any) => v.id === 'amount_by_region').series.categories[1];
    tapCanvas(view, '#w-amount_by_region chart', x! + w! / 2, y! + h! / 2);
    await until(p, () => page.data.selection !== null);
    expect(view.find('#w-amount_by_region .drill-point')!.dom.textContent).toBe(`${region} · 销售额`);
    view.tap('#drill-amount_by_region');
    await until(p, () => (p.wx.navigations.at(-1) ?? '').startsWith('/pages/drill/index'));
    page.onUnload();

    const drill = await follow(p);
    const want = SALES.filter((r) => r[1] === region);
    expect(drill.view.find('#drill-title')!.dom.textContent).toBe(`各区域销售额 · ${region}`);
    const count = () => drill.view.find('.count', drill.view.find('data-table'))!.dom.textContent;
    expect(count()).toBe(`50 / ${want.length}`);
    const rows = drill.view.find('data-table')!.querySelectorAll('.tr');
    expect(rows).toHaveLength(51);
    expect(rows.slice(1).every((r) => r.dom.children[1]!.textContent!.trim() === region)).toBe(true);
    drill.view.tap('.more-btn', drill.view.find('data-table'));
    await until(p, () => count() === `${Math.min(100, want.length)} / ${want.length}`);
  });

  it('⤢ opens the chart full screen, drawn to the page’s height, and a tapped point drills', async () => {
    const p = await loggedIn();
    const { page, view } = await show(p, 'pages/report/index', { id: salesId });
    view.tap('#w-amount_by_month .fullscreen-btn');
    await until(p, () => (p.wx.navigations.at(-1) ?? '').startsWith('/pages/chart/index'));
    page.onUnload();

    const full = await follow(p);
    expect(full.page.data.kind).toBe('line');
    await until(p, () => (full.view.canvas('chart')?.calls.length ?? 0) > 0);
    const canvas = full.view.canvas('chart')!;
    const drawn = lastDrawing(canvas.calls);
    expect(canvas.cssHeight).toBe(full.page.data.height);
    expect(canvas.node.height).toBe(full.page.data.height * 2);
    const months = full.page.data.series.categories as string[];
    expect(months.length).toBe(12);
    // Each month is a point on the line; tap the third one.
    const points = drawn.filter((c) => c.startsWith('arc(')).map((c) => c.slice(4, -1).split(',').map(Number));
    expect(points.length).toBeGreaterThanOrEqual(12);
    tapCanvas(full.view, 'chart', points[2]![0]!, points[2]![1]!);
    await until(p, () => full.page.data.selection !== null);
    expect(full.view.find('.drill-bar')!.dom.textContent).toContain(`${months[2]} · 销售额`);
    full.view.tap('#drill');
    await until(p, () => (p.wx.navigations.at(-1) ?? '').startsWith('/pages/drill/index'));
    full.page.onUnload();
    const drill = await follow(p);
    expect(drill.view.find('.count', drill.view.find('data-table'))!.dom.textContent).toMatch(new RegExp(`/ ${SALES.filter((r) => String(r[0]).startsWith('2025-03')).length}$`));
  });
});
