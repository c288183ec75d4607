// @vitest-environment node
// Runtime faults a real phone shows and a lenient double hides: sockets, background, 401 storms,
// update prompt, and errors after WeChat's ES5 transform. Real Shulan on a port, strict `wx` double.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bumpDataVersion, publishTableChanged } from '../../server/src/datasets/bumpDataVersion.js';
import { SAMPLE_REPORT_NAME, SAMPLE_TABLE, seedSampleContent } from '../../server/src/sample/seedSampleContent.js';
import { SAMPLE_FIELDS, generateSampleSales } from '../../server/src/sample/sampleSales.js';
import { createTestApp, type TestApp } from '../../server/test/testApp.js';
import { buildMiniprogram } from '../build/buildPackage';
import { MiniApp, instantiate, type PageInstance } from './pageHarness';
import { BACKGROUND_GRACE_MS, createWxDouble, type WxDouble } from './wxDouble';

const DOMAIN = 'https://bi.test';
let t: TestApp;
let baseUrl: string;
let reportId: string;
let hiddenId: string;
let viewer: { id: string; username: string; password: string };

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.user('admin');
  await seedSampleContent(t.deps, admin.id);
  reportId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  const detail = await t.call({ method: 'GET', url: `/api/reports/${reportId}`, headers: admin.headers });
  hiddenId = (await t.call({ method: 'POST', url: '/api/reports', headers: admin.headers, body: { name: '机密', definition: (detail.json as any).data.definition } })).json.data.id;
  viewer = await t.user('viewer');
  const grant = await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } });
  expect(grant.status).toBe(200);
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => t?.close());

const phones: WxDouble[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const p of phones.splice(0)) p.closeSockets();
});

/** A phone with the domain saved and a fresh session of the viewer, app launched. */
async function loggedIn(): Promise<{ wxd: WxDouble; app: MiniApp; token: string }> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: viewer.username, password: viewer.password, mode: 'token' }),
  });
  const { data } = (await res.json()) as { data: { token: string; user: unknown } };
  const storage = new Map<string, unknown>([
    ['shulan.domain', DOMAIN],
    ['shulan.token', data.token],
    ['shulan.user', data.user],
  ]);
  const wxd = createWxDouble({ hosts: { [DOMAIN]: baseUrl } }, storage);
  phones.push(wxd);
  return { wxd, app: await MiniApp.launch(wxd.wx), token: data.token };
}

/** Only setTimeout & co. are faked: the double's settle turns, fetch and ws keep running. */
const fakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });

const subscribedCount = (wxd: WxDouble) => wxd.socketMessages.filter((m) => m.includes('"subscribed"')).length;
const shown = (page: PageInstance) => JSON.stringify(page.data.widgets.map((w: any) => w.kpi ?? w.series ?? w.table));

/** New rows in the sample table and a new data version; `publish` also tells live sockets. */
let seed = 1;
async function changeData(publish: boolean): Promise<void> {
  const store = await t.deps.connectors.embedded();
  await store.replaceTable(SAMPLE_TABLE, SAMPLE_FIELDS, generateSampleSales(seed++));
  await bumpDataVersion(t.deps.db, SAMPLE_TABLE);
  if (publish) await publishTableChanged(t.deps.db, t.deps.liveEvents, SAMPLE_TABLE);
}

async function openReport(app: MiniApp, wxd: WxDouble): Promise<PageInstance> {
  const page = await app.open('pages/report/index', { id: reportId });
  await wxd.settled();
  await wxd.waitFor(() => subscribedCount(wxd) > 0);
  return page;
}

describe('the wx double holds the app to WeChat rules', () => {
  it('refuses http and unlisted domains, sends GET data as the query, queues past 10 requests, refuses a 6th socket', async () => {
    const { wxd } = await loggedIn();
    const wx = wxd.wx as any;
    const outcomes: string[] = [];
    const call = (url: string, data?: Record<string, unknown>) =>
      new Promise<void>((resolve) =>
        wx.request({ url, data, success: (r: any) => (outcomes.push(`${r.statusCode}`), resolve()), fail: (e: any) => (outcomes.push(e.errMsg), resolve()) }),
      );
    await call('http://bi.test/api/site');
    await call('https://evil.test/api/site');
    expect(outcomes).toEqual(['request:fail invalid url (https only)', 'request:fail url not in domain list']);
    await call(`${DOMAIN}/api/reports`, { q: '销售' });
    expect(wxd.requests.at(-1)).toBe(`GET /api/reports?q=${encodeURIComponent('销售')}`);
    await Promise.all(Array.from({ length: 25 }, () => call(`${DOMAIN}/api/site`)));
    expect(outcomes.slice(3)).toEqual(Array(25).fill('200'));
    expect(wxd.maxConcurrentRequests).toBe(10);

    const errors: string[] = [];
    for (let i = 0; i < 6; i++) wx.connectSocket({ url: `wss://bi.test/api/live`, fail: (e: any) => errors.push(e.errMsg) });
    await wxd.waitFor(() => errors.length > 0);
    expect(errors).toEqual(['connectSocket:fail exceed max task count (5)']);
    expect(wxd.openSockets()).toBe(5);
  });

  it('5 s in the background fails in-flight requests with "interrupted"; back in front they work again', async () => {
    fakeTimers();
    const { wxd } = await loggedIn();
    const wx = wxd.wx as any;
    const call = () => new Promise<string>((resolve) => wx.request({ url: `${DOMAIN}/api/site`, success: (r: any) => resolve(`${r.statusCode}`), fail: (e: any) => resolve(e.errMsg) }));
    wxd.hideApp();
    await vi.advanceTimersByTimeAsync(BACKGROUND_GRACE_MS - 1);
    expect(await call()).toBe('200'); // still inside the grace period
    const pending = call();
    await vi.advanceTimersByTimeAsync(1);
    const late = call();
    expect([await pending, await late]).toEqual(['request:fail interrupted', 'request:fail interrupted']);
    wxd.showApp();
    expect(await call()).toBe('200');
  });
});

describe('live refresh of a report', () => {
  it('leaving a report while it loads leaves no socket open', async () => {
    const { wxd, app } = await loggedIn();
    const { page, loaded } = await app.start('pages/report/index', { id: reportId });
    page.onUnload(); // the user tapped back while the report was still loading
    await loaded;
    await wxd.settled();
    expect(wxd.socketUrls).toEqual([]);
    expect(wxd.openSockets()).toBe(0);
  });

  it('every open report shares one socket, and it closes when the last one leaves', async () => {
    const { wxd, app } = await loggedIn();
    const pages: PageInstance[] = [];
    for (let i = 0; i < 6; i++) pages.push(await openReport(app, wxd)); // WeChat refuses a 6th socket
    expect(wxd.failures).toEqual([]);
    expect(wxd.openSockets()).toBe(1);
    const before = wxd.widgetLoads().length;
    const callsBefore = wxd.requests.filter((r) => r.includes('/data')).length;
    await changeData(true);
    // Every page refreshes from the one socket.
    await wxd.waitFor(() => wxd.toasts.length >= 6);
    await wxd.settled();
    expect(wxd.widgetLoads().length - before).toBe(6 * pages[0]!.data.widgets.length);
    // Pages refreshing at once share report data calls (at most 30 widgets per call).
    expect(wxd.requests.filter((r) => r.includes('/data')).length - callsBefore).toBe(Math.ceil((6 * pages[0]!.data.widgets.length) / 30));
    for (const p of pages.slice(1)) p.onUnload();
    expect(wxd.openSockets()).toBe(1);
    pages[0]!.onUnload();
    await wxd.waitFor(() => wxd.openSockets() === 0);
  });

  it('pings every 25 s; a silent dead link is noticed, reconnected, and the report refetched', async () => {
    fakeTimers();
    const { wxd, app } = await loggedIn();
    const page = await openReport(app, wxd);
    await vi.advanceTimersByTimeAsync(25_000);
    expect(wxd.socketSent.filter((m) => m === '{"ping":true}')).toHaveLength(1);
    await wxd.waitFor(() => wxd.socketMessages.includes('{"type":"pong"}'));

    const was = shown(page);
    wxd.stallSockets(); // the phone lost its route: no close event, nothing passes
    await changeData(true); // published, but the stalled socket never hears it
    await vi.advanceTimersByTimeAsync(25_000 + 10_000 + 1000); // next ping, its pong timeout, the first backoff
    await wxd.waitFor(() => subscribedCount(wxd) === 2);
    expect(wxd.socketUrls).toHaveLength(2);
    await wxd.waitFor(() => shown(page) !== was);
    await wxd.settled();
    expect(wxd.openSockets()).toBe(1);
    page.onUnload();
  });

  it('after the network comes back, the socket reconnects and changes made meanwhile appear', async () => {
    fakeTimers();
    const { wxd, app } = await loggedIn();
    const page = await openReport(app, wxd);
    const was = shown(page);
    wxd.setNetwork('none');
    await wxd.waitFor(() => wxd.openSockets() === 0);
    await changeData(false); // nobody is told: the phone was offline
    wxd.setNetwork('wifi');
    await vi.advanceTimersByTimeAsync(1000); // a backoff-only client would be back by now too
    await wxd.waitFor(() => subscribedCount(wxd) === 2);
    await wxd.settled();
    expect(shown(page)).not.toBe(was);
    page.onUnload();
  });

  it('back from the background, the report refetches (not on its first show)', async () => {
    const { wxd, app } = await loggedIn();
    const page = await openReport(app, wxd);
    const dataCalls = () => wxd.requests.filter((r) => r.includes('/data')).length;
    const first = dataCalls();
    page.onShow();
    await wxd.settled();
    expect(dataCalls()).toBe(first);
    const was = shown(page);
    page.onHide();
    await changeData(false); // changed while the user was elsewhere; no push reached the phone
    page.onShow();
    await wxd.settled();
    expect(shown(page)).not.toBe(was);
    page.onUnload();
  });

  it('after 5 s in the background the socket is gone; back in front it reconnects at once and the report is current', async () => {
    fakeTimers();
    const { wxd, app } = await loggedIn();
    const page = await openReport(app, wxd);
    const was = shown(page);
    wxd.hideApp(); // WeChat calls the page's onHide along with the app's
    page.onHide();
    await vi.advanceTimersByTimeAsync(BACKGROUND_GRACE_MS);
    await wxd.waitFor(() => wxd.openSockets() === 0);
    await vi.advanceTimersByTimeAsync(3000); // reconnects tried in the background fail and back off
    await changeData(true); // nobody hears it
    wxd.showApp();
    page.onShow();
    // No timers advanced: the socket comes back without waiting out its backoff.
    await wxd.waitFor(() => subscribedCount(wxd) === 2);
    await wxd.settled();
    expect(shown(page)).not.toBe(was);
    expect(page.data.widgets.every((w: any) => w.error === '')).toBe(true);
    page.onUnload();
  });

  it('a session ended on the server stops the socket and relaunches to login once', async () => {
    fakeTimers();
    const { wxd, app, token } = await loggedIn();
    const page = await openReport(app, wxd);
    const res = await fetch(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    await wxd.waitFor(() => wxd.navigations.length > 0);
    await vi.advanceTimersByTimeAsync(120_000); // no reconnect attempts, however long we wait
    await wxd.settled();
    expect(wxd.navigations).toEqual(['/pages/login/index']);
    expect(wxd.socketUrls).toHaveLength(1);
    expect(wxd.storage.has('shulan.token')).toBe(false);
    page.onUnload();
  });
});

describe('sessions and errors', () => {
  it('several 401s at once lead to one relaunch to login', async () => {
    const { wxd, app, token } = await loggedIn();
    const page = await openReport(app, wxd);
    page.live.close(); // no socket in the way: the 401s come from requests alone
    page.live = null;
    await wxd.waitFor(() => wxd.openSockets() === 0);
    const res = await fetch(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    // A pull-down refresh asks for every widget at once; every answer is 401.
    await page.onPullDownRefresh();
    await wxd.settled();
    expect(page.data.widgets.length).toBeGreaterThan(3);
    expect(wxd.navigations).toEqual(['/pages/login/index']);
    expect(wxd.storage.get('shulan.notice')).toBeTruthy();
  });

  it('the update manager asks before restarting into a new version', async () => {
    const { wxd } = await loggedIn();
    wxd.modalConfirm = false;
    wxd.updateReady();
    expect(wxd.modals).toEqual([{ title: '发现新版本', content: '新版本已下载，是否重启使用？' }]);
    expect(wxd.updatesApplied()).toBe(0);
    wxd.modalConfirm = true;
    wxd.updateReady();
    expect(wxd.updatesApplied()).toBe(1);
  });
});

describe('errors after WeChat\'s ES5 transform', () => {
  it('a report the user may not see shows the server\'s message even when ApiError comes out as a plain Error', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-es5-'));
    try {
      await buildMiniprogram({ appid: 'wx0123456789abcdef', outDir: out });
      const pkg = path.join(out, 'miniprogram');
      const file = path.join(pkg, 'services/request.js');
      const js = fs.readFileSync(file, 'utf8');
      expect(js).toContain('class ApiError extends Error');
      // What "ES6 → ES5" does to `extends Error`: `Error.call(this, message)` answers a fresh plain
      // Error, and that object becomes `this`. A base constructor returning it reproduces that.
      fs.writeFileSync(file, `function ES5Error(message) { return new Error(message); }\n${js.replace('extends Error', 'extends ES5Error')}`);
      const { wxd, token } = await loggedIn();
      const load = createRequire(path.join(pkg, 'app.js'));
      const { ApiError } = load('./services/request.js');
      expect(new ApiError('forbidden', '无权限', 403) instanceof ApiError).toBe(false); // the transform's effect is really there

      let opts: Record<string, unknown> = {};
      (globalThis as any).Page = (o: Record<string, unknown>) => (opts = o);
      load('./pages/report/index.js');
      const page = instantiate(opts);
      await page.onLoad({ id: hiddenId });
      await wxd.settled();

      const res = await fetch(`${baseUrl}/api/reports/${hiddenId}`, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'zh-CN' } });
      const body = (await res.json()) as { error: { message: string } };
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(page.data.error).toBe(body.error.message);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
