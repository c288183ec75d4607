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
import { mountPage, type PageView } from './pageView';
import { createWxDouble, type WxDouble, type WxDoubleOptions } from './wxDouble';

const DOMAIN = 'https://bi.test';
const ORG = '示例科技有限公司';
const SALES = generateSampleSales();
let env: WecomTestEnv;
let baseUrl: string;
let pkg: string;
let out: string;
let viewer: { id: string; username: string; password: string };
let salesId: string;

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
  const grant = await t.call({ method: 'PUT', url: `/api/reports/${salesId}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } });
  expect(grant.status).toBe(200);
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
  const wx = createWxDouble({ hosts: { [DOMAIN]: baseUrl }, ...opts }, storage);
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
  it('lists the reports the server grants, and a tap on one opens it', async () => {
    const p = await loggedIn();
    const { page, view } = await show(p, 'pages/home/index');
    expect(page.data.reports.map((r: any) => r.id)).toEqual([salesId]);
    expect(view.text()).toContain(SAMPLE_REPORT_NAME);
    expect(view.text()).not.toContain('暂无可查看的报表');
    const before = p.wx.navigations.length;
    view.tap('.report');
    await until(p, () => p.wx.navigations.length > before);
    expect(p.wx.navigations.at(-1)).toBe(`/pages/report/index?id=${encodeURIComponent(salesId)}`);
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
    expect(me.view.text()).toContain('切换地址');
    me.view.tap('#logout');
    await until(p, () => p.wx.navigations.at(-1) === '/pages/login/index?manual=1');
    expect(p.storage.get('shulan.token') || null).toBeNull();
  });
});
