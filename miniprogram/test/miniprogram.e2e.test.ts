// @vitest-environment node
// End to end without WeChat: the real pages run against a real Shulan on a port and the WeCom simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishTableChanged } from '../../server/src/datasets/bumpDataVersion.js';
import { SAMPLE_REPORT_NAME, SAMPLE_TABLE, seedSampleContent } from '../../server/src/sample/seedSampleContent.js';
import { startWecomTestEnv, type WecomTestEnv } from '../../server/src/wecom/testing/wecomTestEnv.js';
import { MiniApp, parseUrl, type PageInstance } from './pageHarness';
import { createWxDouble, type WxDouble, type WxDoubleOptions } from './wxDouble';

const DOMAIN = 'https://bi.test';
let env: WecomTestEnv;
let baseUrl: string;
let viewer: { id: string; username: string; password: string };
let grantedId: string;
let hiddenId: string;

beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  const { t, admin } = env;
  await seedSampleContent(t.deps, admin.id);
  grantedId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  const detail = await t.call({ method: 'GET', url: `/api/reports/${grantedId}`, headers: admin.headers });
  const copy = await t.call({ method: 'POST', url: '/api/reports', headers: admin.headers, body: { name: '机密报表', definition: detail.json.data.definition } });
  expect(copy.status).toBe(200);
  hiddenId = copy.json.data.id;
  viewer = await t.user('viewer', 'zs');
  const grant = await t.call({ method: 'PUT', url: `/api/reports/${grantedId}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } });
  expect(grant.status).toBe(200);
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => env?.close());

/** One phone: storage survives relaunches. */
function phone(opts: Partial<WxDoubleOptions> = {}) {
  const storage = new Map<string, unknown>();
  let wxd: WxDouble;
  return {
    storage,
    get wx() {
      return wxd;
    },
    async launch(): Promise<MiniApp> {
      wxd = createWxDouble({ hosts: { [DOMAIN]: baseUrl }, ...opts }, storage);
      return MiniApp.launch(wxd.wx);
    },
  };
}

/** Opens the page the app last navigated to, and lets its loading finish. */
async function follow(app: MiniApp, wxd: WxDouble): Promise<{ route: string; page: PageInstance }> {
  const { route, query } = parseUrl(wxd.navigations.at(-1)!);
  const page = await app.open(route, query);
  await wxd.settled();
  return { route, page };
}

const input = (value: string) => ({ detail: { value } });

describe('inside WeCom', () => {
  const p = phone({ environment: 'wxwork', qyLogin: async () => env.sim.controls.issueLoginCode('zhangsan').code });

  it('first launch: domain → WeCom login → bind with password → home lists only granted reports → report has data', async () => {
    const app = await p.launch();
    const domain = await app.open('pages/domain/index');
    expect(p.wx.navigations).toEqual([]); // no domain yet: the page stays
    domain.onInput(input('http://bi.test'));
    await domain.onSubmit();
    expect(domain.data.error).toContain('https');
    domain.onInput(input('bi.test'));
    await domain.onSubmit();
    expect(p.wx.navigations.at(-1)).toBe('/pages/login/index');

    const { page: login } = await follow(app, p.wx);
    expect(login.data.bindTicket).not.toBe('');
    expect(login.data.showForm).toBe(true);
    login.onUsername(input(viewer.username));
    login.onPassword(input('wrong-password'));
    await login.onSubmit();
    expect(login.data.error).toBe('用户名或密码错误');
    login.onPassword(input(viewer.password));
    await login.onSubmit();
    expect(login.data.error).toBe('');
    expect(p.wx.navigations.at(-1)).toBe('/pages/home/index');

    const { page: home } = await follow(app, p.wx);
    expect(home.data.reports.map((r: any) => r.id)).toEqual([grantedId]);
    expect(home.data.reports.map((r: any) => r.id)).not.toContain(hiddenId);

    home.onOpen({ currentTarget: { dataset: { id: grantedId } } });
    const { page: report } = await follow(app, p.wx);
    expect(report.data.name).toBe(SAMPLE_REPORT_NAME);
    expect(report.data.widgets.length).toBeGreaterThan(0);
    for (const w of report.data.widgets) {
      expect(w.error, w.id).toBe('');
      expect(w.loading).toBe(false);
      if (w.kind === 'kpi') expect(w.kpi.value).toMatch(/\d/);
      else if (w.kind === 'table') expect(w.table.rows.length).toBeGreaterThan(0);
      else expect(w.series.categories.length).toBeGreaterThan(0);
    }
    // Watermark on by default: display name + the last 4 characters of the user id.
    expect(report.data.watermark).toBe(`viewer zs ${viewer.id.slice(-4)}`);
    // Share keeps the report.
    expect(report.onShareAppMessage().path).toBe(`/pages/report/index?id=${encodeURIComponent(grantedId)}`);
    report.onUnload();

    // The home page now lists it as recently viewed.
    expect(p.storage.get('shulan.recent')).toEqual([grantedId]);
  });

  it('relaunch: passwordless straight to home', async () => {
    const app = await p.launch();
    await app.open('pages/domain/index');
    expect(p.wx.navigations).toEqual(['/pages/login/index']);
    const { page: login } = await follow(app, p.wx);
    expect(login.data.showForm).toBe(false);
    expect(p.wx.navigations.at(-1)).toBe('/pages/home/index');
    const me = await app.open('pages/me/index');
    await p.wx.settled();
    expect(me.data.wecomUserid).toBe('zhangsan');
    expect(me.data.user.username).toBe('zs');
  });

  it('a data change pushes a refresh over the socket', async () => {
    const app = await p.launch();
    const report = await app.open('pages/report/index', { id: grantedId });
    await p.wx.settled();
    await p.wx.waitFor(() => p.wx.socketMessages.some((m) => m.includes('"subscribed"')));
    const before = p.wx.requests.filter((r) => r.includes('/data')).length;
    await publishTableChanged(env.t.deps.db, env.t.deps.liveEvents, SAMPLE_TABLE);
    await p.wx.waitFor(() => p.wx.toasts.length > 0);
    await p.wx.settled();
    expect(p.wx.socketMessages.some((m) => m.includes('report.data_changed'))).toBe(true);
    expect(p.wx.requests.filter((r) => r.includes('/data')).length).toBeGreaterThan(before);
    expect(report.data.widgets.every((w: any) => w.error === '')).toBe(true);
    report.onUnload();
  });

  it('member disabled in WeCom and synced: the next launch is refused with the message', async () => {
    env.sim.controls.updateMember('zhangsan', { status: 2 });
    const db = env.t.deps.db;
    const row = await db.selectFrom('wecom_members').select('userid').where('userid', '=', 'zhangsan').executeTakeFirst();
    if (row) await db.updateTable('wecom_members').set({ status: 2 }).where('userid', '=', 'zhangsan').execute();
    else
      await db
        .insertInto('wecom_members')
        .values({ userid: 'zhangsan', name: '张三', mobile: null, email: null, department_ids_json: '[2]', status: 2, left_at: null, synced_at: new Date().toISOString() })
        .execute();
    const app = await p.launch();
    const login = await app.open('pages/login/index');
    await p.wx.settled();
    expect(login.data.error).toContain('停用');
    expect(login.data.showForm).toBe(false);
    expect(p.wx.navigations).not.toContain('/pages/home/index');
    expect(p.storage.has('shulan.token')).toBe(false);
  });
});

describe('inside WeCom with the integration switched off', () => {
  it('asks for the account password and says why', async () => {
    await env.configure({ enabled: false });
    try {
      const p = phone({ environment: 'wxwork', qyLogin: async () => env.sim.controls.issueLoginCode('lisi').code });
      p.storage.set('shulan.domain', DOMAIN);
      const app = await p.launch();
      const login = await app.open('pages/login/index');
      await p.wx.settled();
      expect(login.data.showForm).toBe(true);
      expect(login.data.error).toContain('企业微信登录');
    } finally {
      await env.configure();
    }
  });
});

describe('plain WeChat', () => {
  const p = phone({ language: 'en_US' });

  it('account login works alone, in English', async () => {
    const app = await p.launch();
    const domain = await app.open('pages/domain/index');
    domain.onInput(input('https://bi.test/'));
    await domain.onSubmit();
    const { page: login } = await follow(app, p.wx);
    expect(login.data.showForm).toBe(true);
    expect(login.data.bindTicket).toBe('');
    login.onUsername(input(viewer.username));
    login.onPassword(input('nope'));
    await login.onSubmit();
    expect(login.data.error).toBe('Wrong username or password');
    login.onPassword(input(viewer.password));
    await login.onSubmit();
    const { page: home } = await follow(app, p.wx);
    expect(home.data.reports.map((r: any) => r.id)).toEqual([grantedId]);
  });

  it('a revoked session sends the user back to login with a message', async () => {
    const token = p.storage.get('shulan.token') as string;
    const res = await fetch(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const app = await p.launch();
    const home = await app.open('pages/home/index');
    await p.wx.settled();
    expect(home.data.error).not.toBe('');
    expect(p.wx.navigations.at(-1)).toBe('/pages/login/index');
    const { page: login } = await follow(app, p.wx);
    expect(login.data.error).not.toBe('');
    expect(login.data.showForm).toBe(true);
  });

  it('an unreachable server and a dead network get their own messages', async () => {
    const down = phone({ hosts: { [DOMAIN]: 'http://127.0.0.1:9' } } as Partial<WxDoubleOptions>);
    let app = await down.launch();
    let domain = await app.open('pages/domain/index');
    domain.onInput(input('bi.test'));
    await domain.onSubmit();
    expect(domain.data.error).toContain('无法连接该地址');
    const offline = phone({ hosts: { [DOMAIN]: 'http://127.0.0.1:9' }, networkType: 'none' } as Partial<WxDoubleOptions>);
    app = await offline.launch();
    domain = await app.open('pages/domain/index');
    domain.onInput(input('bi.test'));
    await domain.onSubmit();
    expect(domain.data.error).toContain('网络不可用');
  });
});
