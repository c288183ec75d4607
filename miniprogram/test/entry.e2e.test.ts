// @vitest-environment node
// The way in, as WeChat's review and employees see it: the first page, the domain page, the way
// back to a shared report after login, the reviewer account. Real pages, real Shulan, WeCom simulator.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../../server/src/sample/seedSampleContent.js';
import { startWecomTestEnv, type WecomTestEnv } from '../../server/src/wecom/testing/wecomTestEnv.js';
import { encodeFilters } from '../src/utils/filters';
import { MiniApp, parseUrl, type PageInstance } from './pageHarness';
import { createWxDouble, type WxDouble, type WxDoubleOptions } from './wxDouble';

const DOMAIN = 'https://bi.test';
/** An https site that answers, but is not Shulan. */
const OTHER = 'https://other.test';
/** An https site whose server is down. */
const DOWN = 'https://down.test';
const ORG = '示例科技有限公司';
let env: WecomTestEnv;
let baseUrl: string;
let otherServer: http.Server;
let otherUrl: string;
let reportId: string;
let viewer: { id: string; username: string; password: string };

beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  const { t, admin } = env;
  await seedSampleContent(t.deps, admin.id);
  reportId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  viewer = await t.user('viewer', 'ww');
  const grant = await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } });
  expect(grant.status).toBe(200);
  const org = await t.call({ method: 'PUT', url: '/api/settings/mobile', headers: admin.headers, body: { watermark: true, orgName: ORG } });
  expect(org.status).toBe(200);
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  otherServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>It works!</html>'));
  await new Promise<void>((r) => otherServer.listen(0, '127.0.0.1', r));
  otherUrl = `http://127.0.0.1:${(otherServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  otherServer?.close();
  await env?.close();
});

function phone(opts: Partial<WxDoubleOptions> = {}) {
  const storage = new Map<string, unknown>();
  let wxd: WxDouble;
  return {
    storage,
    get wx() {
      return wxd;
    },
    async launch(): Promise<MiniApp> {
      wxd = createWxDouble({ hosts: { [DOMAIN]: baseUrl, [OTHER]: otherUrl, [DOWN]: 'http://127.0.0.1:9' }, ...opts }, storage);
      return MiniApp.launch(wxd.wx);
    },
  };
}

async function follow(app: MiniApp, wxd: WxDouble): Promise<{ route: string; query: Record<string, string>; page: PageInstance }> {
  const { route, query } = parseUrl(wxd.navigations.at(-1)!);
  const page = await app.open(route, query);
  await wxd.settled();
  return { route, query, page };
}

const input = (value: string) => ({ detail: { value } });
const FILTERS = encodeFilters({ region: ['华东'] });
const SHARED = { id: '', filters: decodeURIComponent(FILTERS) };

describe('first page and domain page (generic package)', () => {
  it('asks for the address once, checks it against /api/site with a message per fault, and remembers it', async () => {
    const p = phone();
    let app = await p.launch();
    await app.open('pages/intro/index');
    expect(p.wx.navigations).toEqual(['/pages/domain/index']);
    const { page: domain } = await follow(app, p.wx);
    expect(domain.data.t.domainConsole).toContain('request 合法域名');

    domain.onInput(input('http://bi.test'));
    await domain.onSubmit();
    expect(domain.data.error).toContain('https');
    domain.onInput(input('other.test'));
    await domain.onSubmit();
    expect(domain.data.error).toBe('该地址不是数览服务器：请向贵企业管理员确认地址');
    domain.onInput(input('https://down.test'));
    await domain.onSubmit();
    expect(domain.data.error).toBe('无法连接该地址：请确认地址正确、服务器在线');
    expect(p.storage.has('shulan.domain')).toBe(false);
    expect(p.wx.navigations).toEqual(['/pages/domain/index']);

    // WeChat itself refuses an address that is not a request domain of this mini program.
    const wxRequest = p.wx.wx.request as (o: any) => void;
    p.wx.wx.request = (o: any) => (o.url.startsWith('https://elsewhere.test') ? o.fail({ errMsg: 'request:fail url not in domain list' }) : wxRequest(o));
    domain.onInput(input('elsewhere.test'));
    await domain.onSubmit();
    expect(domain.data.error).toBe('该地址不在本小程序的 request 合法域名中：只能使用管理员在小程序后台配置的域名');
    p.wx.wx.request = wxRequest;

    domain.onInput(input('bi.test'));
    await domain.onSubmit();
    expect(domain.data.error).toBe('');
    expect(p.storage.get('shulan.domain')).toBe(DOMAIN);
    expect(p.wx.navigations.at(-1)).toBe('/pages/login/index');

    // Next launch: remembered, the first page says who the app is for and waits for the user.
    app = await p.launch();
    const intro = await app.open('pages/intro/index');
    await p.wx.settled();
    expect(p.wx.navigations).toEqual([]);
    expect(intro.data.orgName).toBe(ORG);
    expect(intro.data.scope).toBe(`本小程序是${ORG}的内部数据报表工具，仅供${ORG}员工查看本企业的报表，不对外开放注册。`);
  });

  it('"暂不登录" on the login page leads to a page saying what the app is for and how to get an account, with a way back', async () => {
    const p = phone({ language: 'en_US' });
    p.storage.set('shulan.domain', DOMAIN);
    const app = await p.launch();
    const login = await app.open('pages/login/index');
    await p.wx.settled();
    expect(login.data.showForm).toBe(true);
    expect(login.data.siteName).toBe(ORG);
    expect(login.data.scope).toContain(`for ${ORG} employees only`);
    login.onNotNow();
    expect(p.wx.navigations.at(-1)).toBe('/pages/intro/index?stay=1');
    const { page: intro } = await follow(app, p.wx);
    expect(intro.data.scope).toContain(`internal reporting tool of ${ORG}`);
    expect(intro.data.t.introAccount).toContain('administrator');
    intro.onLogin();
    expect(p.wx.navigations.at(-1)).toBe('/pages/login/index');
    expect(p.storage.has('shulan.token')).toBe(false);
  });
});

describe('a shared report card opened without a session', () => {
  it('plain WeChat: the password login returns to that report with its filters', async () => {
    const p = phone();
    p.storage.set('shulan.domain', DOMAIN);
    const app = await p.launch();
    await app.open('pages/report/index', { id: reportId, filters: SHARED.filters });
    const { route, page: login } = await follow(app, p.wx);
    expect(route).toBe('pages/login/index');
    expect(login.data.error).toBe('请先登录，登录后将打开分享给你的报表');
    login.onUsername(input(viewer.username));
    login.onPassword(input(viewer.password));
    await login.onSubmit();
    expect(p.wx.navigations.at(-1)).toBe(`/pages/report/index?id=${encodeURIComponent(reportId)}&filters=${FILTERS}`);
    const { page: report } = await follow(app, p.wx);
    expect(report.data.name).toBe(SAMPLE_REPORT_NAME);
    expect(report.data.activeFilters).toBe(1);
    expect(report.onShareAppMessage().path).toContain(`filters=${FILTERS}`);
    // The widgets were asked for with the shared filter.
    expect(report.data.widgets.every((w: any) => w.error === '' && !w.loading)).toBe(true);
    report.onUnload();
    // Used once: the next login goes home.
    expect(p.storage.has('shulan.returnTo')).toBe(false);
  });

  it('inside WeCom: binds once, then passwordless, each time back to the shared report', async () => {
    const p = phone({ environment: 'wxwork', qyLogin: async () => env.sim.controls.issueLoginCode('lisi').code });
    p.storage.set('shulan.domain', DOMAIN);
    let app = await p.launch();
    // First time: the member is not bound yet, so the password is asked once.
    await app.open('pages/report/index', { id: reportId, filters: SHARED.filters });
    let { page: login } = await follow(app, p.wx);
    expect(login.data.bindTicket).not.toBe('');
    login.onUsername(input(viewer.username));
    login.onPassword(input(viewer.password));
    await login.onSubmit();
    expect(p.wx.navigations.at(-1)).toBe(`/pages/report/index?id=${encodeURIComponent(reportId)}&filters=${FILTERS}`);

    // Session gone (logged out elsewhere): the link logs in without a password and comes back.
    p.storage.delete('shulan.token');
    app = await p.launch();
    await app.open('pages/report/index', { id: reportId, filters: SHARED.filters });
    ({ page: login } = await follow(app, p.wx));
    expect(login.data.showForm).toBe(false);
    expect(p.wx.navigations.at(-1)).toBe(`/pages/report/index?id=${encodeURIComponent(reportId)}&filters=${FILTERS}`);
    const { page: report } = await follow(app, p.wx);
    expect(report.data.activeFilters).toBe(1);
    expect(report.data.widgets.every((w: any) => w.error === '')).toBe(true);
    report.onUnload();
  });
});
