// @vitest-environment node
// Reading reports on a phone, against a real Shulan: favorites (★ and the home tab, shared with
// the web's API), KPI change vs the previous period, and the offline copy when the network fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/testApp.js';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../../server/src/sample/seedSampleContent.js';
import { MiniApp, parseUrl, type PageInstance } from './pageHarness';
import { createWxDouble, type WxDouble } from './wxDouble';

const DOMAIN = 'https://bi.test';
const DEAD = 'http://127.0.0.1:9';
let t: TestApp;
let baseUrl: string;
let admin: Awaited<ReturnType<TestApp['user']>>;
let viewer: Awaited<ReturnType<TestApp['user']>>;
let viewer2: Awaited<ReturnType<TestApp['user']>>;
let sampleId: string;
let monthlyId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  viewer = await t.user('viewer', 'reader1');
  viewer2 = await t.user('viewer', 'reader2');
  await seedSampleContent(t.deps, admin.id);
  sampleId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  // A copy whose KPI compares March with the 31 days before it (the date filter's default).
  const detail = (await t.call({ method: 'GET', url: `/api/reports/${sampleId}`, headers: admin.headers })).json.data;
  const definition = structuredClone(detail.definition);
  definition.filters.find((f: any) => f.id === 'date').default = { from: '2025-03-01', to: '2025-03-31' };
  definition.widgets.find((w: any) => w.id === 'total_amount').options.compare = 'previous_period';
  const copy = await t.call({ method: 'POST', url: '/api/reports', headers: admin.headers, body: { name: '三月经营', definition } });
  expect(copy.status).toBe(200);
  monthlyId = copy.json.data.id;
  for (const id of [sampleId, monthlyId]) {
    const g = await t.call({ method: 'PUT', url: `/api/reports/${id}/grants`, headers: admin.headers, body: { users: [viewer.id, viewer2.id], groups: [] } });
    expect(g.status).toBe(200);
  }
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => t?.close());

/** One phone in plain WeChat whose network can be cut: storage survives relaunches. */
function phone() {
  const storage = new Map<string, unknown>([['shulan.domain', DOMAIN]]);
  const net = { hosts: { [DOMAIN]: '' }, networkType: 'wifi' };
  let wxd: WxDouble;
  return {
    storage,
    get wx() {
      return wxd;
    },
    online() {
      net.hosts[DOMAIN] = baseUrl;
      net.networkType = 'wifi';
      wxd?.setNetwork('wifi');
    },
    /** Airplane mode: requests fail and the network type says so. */
    offline() {
      net.hosts[DOMAIN] = DEAD;
      net.networkType = 'none';
      wxd?.setNetwork('none');
    },
    async launch(): Promise<MiniApp> {
      if (!net.hosts[DOMAIN]) net.hosts[DOMAIN] = baseUrl;
      wxd = createWxDouble(net, storage);
      return MiniApp.launch(wxd.wx);
    },
  };
}
type Phone = ReturnType<typeof phone>;

async function open(app: MiniApp, p: Phone, route: string, query: Record<string, string> = {}): Promise<PageInstance> {
  const page = await app.open(route, query);
  await p.wx.settled();
  return page;
}

async function signIn(p: Phone, user: { username: string; password: string }): Promise<MiniApp> {
  const app = await p.launch();
  const login = await open(app, p, 'pages/login/index');
  login.onUsername({ detail: { value: user.username } });
  login.onPassword({ detail: { value: user.password } });
  await login.onSubmit();
  expect(login.data.error).toBe('');
  expect(parseUrl(p.wx.navigations.at(-1)!).route).toBe('pages/home/index');
  return app;
}

const offlineKeys = (p: Phone) => [...p.storage.keys()].filter((k) => k.startsWith('shulan.offline'));

describe('favorites', () => {
  const p = phone();

  it('★ on a report puts it on the favorites tab, first on home; the web sees the same list', async () => {
    let app = await signIn(p, viewer);
    let home = await open(app, p, 'pages/home/index');
    expect(home.data.tab).toBe('all'); // nothing starred yet
    expect(home.data.favorites).toEqual([]);

    const report = await open(app, p, 'pages/report/index', { id: monthlyId });
    expect(report.data.favorite).toBe(false);
    await report.onToggleFavorite();
    expect(report.data.favorite).toBe(true);
    report.onUnload();

    app = await p.launch();
    home = await open(app, p, 'pages/home/index');
    expect(home.data.tab).toBe('favorites');
    expect(home.data.favorites.map((r: any) => r.name)).toEqual(['三月经营']);
    const web = await fetch(`${baseUrl}/api/favorites`, { headers: { authorization: `Bearer ${p.storage.get('shulan.token')}` } });
    expect(((await web.json()) as any).data.items.map((r: any) => r.id)).toEqual([monthlyId]);

    // The tab choice stays, and the report shows its star when opened again.
    home.onTab({ currentTarget: { dataset: { tab: 'all' } } });
    expect(home.data.tab).toBe('all');
    const again = await open(app, p, 'pages/report/index', { id: monthlyId });
    expect(again.data.favorite).toBe(true);
    again.onUnload();
  });

  it('a revoked grant takes the report off the favorites tab', async () => {
    await t.call({ method: 'PUT', url: `/api/reports/${monthlyId}/grants`, headers: admin.headers, body: { users: [viewer2.id], groups: [] } });
    try {
      const app = await p.launch();
      const home = await open(app, p, 'pages/home/index');
      expect(home.data.favorites).toEqual([]);
      expect(home.data.reports.map((r: any) => r.id)).not.toContain(monthlyId);
    } finally {
      await t.call({ method: 'PUT', url: `/api/reports/${monthlyId}/grants`, headers: admin.headers, body: { users: [viewer.id, viewer2.id], groups: [] } });
    }
  });
});

describe('KPI change', () => {
  it('shows ▲/▼ with the percentage against the previous period, coloured, from the server comparison', async () => {
    const p = phone();
    const app = await signIn(p, viewer);
    const { CHANGE_COLORS } = await import('../src/utils/kpiChange');
    const report = await open(app, p, 'pages/report/index', { id: monthlyId });
    const direct = await t.call({ method: 'POST', url: `/api/reports/${monthlyId}/widgets/total_amount/data`, headers: admin.headers, body: {} });
    const ratio: number = direct.json.data.comparison.changeRatio;
    expect(direct.json.data.comparison.previousRange).toEqual({ from: '2025-01-29', to: '2025-02-28' });
    const kpi = report.data.widgets.find((w: any) => w.id === 'total_amount').kpi;
    expect(kpi.change).toEqual({
      text: `${ratio > 0 ? '▲' : '▼'} ${(Math.abs(ratio) * 100).toFixed(Math.abs(ratio) >= 1 ? 0 : 1)}%`,
      color: ratio > 0 ? CHANGE_COLORS.up : CHANGE_COLORS.down,
      caption: '较上期',
    });
    // KPIs that do not ask for a comparison show none.
    expect(report.data.widgets.find((w: any) => w.id === 'order_count').kpi.change).toBeNull();

    // Clearing the date range leaves nothing to compare: the line goes.
    report.onApplyFilters({ detail: { items: [{ id: 'date', label: '日期', kind: 'date_range', from: '', to: '', options: [] }, { id: 'region', label: '区域', kind: 'values', from: '', to: '', options: [] }] } });
    await p.wx.settled();
    expect(report.data.widgets.find((w: any) => w.id === 'total_amount').kpi.change).toBeNull();
    report.onUnload();
  });
});

describe('offline copy', () => {
  it('network down: the report shows the last data seen, with its time; back online it refreshes', async () => {
    const p = phone();
    let app = await signIn(p, viewer);
    const online = await open(app, p, 'pages/report/index', { id: sampleId });
    const seen = JSON.parse(JSON.stringify(online.data.widgets));
    expect(seen.every((w: any) => w.error === '' && !w.loading)).toBe(true);
    expect(online.data.offlineAt).toBe('');
    online.onUnload();
    expect(offlineKeys(p).length).toBeGreaterThan(0);

    p.offline();
    app = await p.launch();
    const report = await open(app, p, 'pages/report/index', { id: sampleId });
    expect(report.data.error).toBe('');
    expect(report.data.name).toBe(SAMPLE_REPORT_NAME);
    expect(report.data.offlineAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(report.data.t.offlineSince).toBe('离线数据，更新于');
    for (const w of seen) {
      const now = report.data.widgets.find((x: any) => x.id === w.id);
      expect(now.error, w.id).toBe('');
      expect(now.kpi ?? null).toEqual(w.kpi ?? null);
      expect(now.series ?? null).toEqual(w.series ?? null);
      expect(now.table?.rows.length ?? 0).toBe(Math.min(w.table?.rows.length ?? 0, 100));
    }

    // A report never opened before has no copy: the network message, as before.
    const other = await open(app, p, 'pages/report/index', { id: monthlyId });
    expect(other.data.error).toBe('网络不可用，请检查网络后重试');
    expect(other.data.offlineAt).toBe('');

    p.online();
    await report.onPullDownRefresh();
    await p.wx.settled();
    expect(report.data.offlineAt).toBe('');
    expect(report.data.widgets.every((w: any) => w.error === '')).toBe(true);
    // Back online, live refresh starts too.
    await p.wx.waitFor(() => p.wx.socketMessages.some((m) => m.includes('"subscribed"')));
    report.onUnload();
  });

  it('logging out empties it, so the next user of the phone never sees it', async () => {
    const p = phone();
    let app = await signIn(p, viewer);
    (await open(app, p, 'pages/report/index', { id: sampleId })).onUnload();
    expect(offlineKeys(p).length).toBeGreaterThan(0);
    const me = await open(app, p, 'pages/me/index');
    await me.onLogout();
    expect(offlineKeys(p)).toEqual([]);

    app = await signIn(p, viewer2);
    p.offline();
    app = await p.launch();
    const report = await open(app, p, 'pages/report/index', { id: sampleId });
    expect(report.data.offlineAt).toBe('');
    expect(report.data.error).toBe('网络不可用，请检查网络后重试');
  });

  it('a session ended on the server (401) also empties it', async () => {
    const p = phone();
    const app = await signIn(p, viewer);
    (await open(app, p, 'pages/report/index', { id: sampleId })).onUnload();
    expect(offlineKeys(p).length).toBeGreaterThan(0);
    const res = await fetch(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${p.storage.get('shulan.token')}` } });
    expect(res.status).toBe(200);
    await open(await p.launch(), p, 'pages/home/index');
    expect(p.storage.has('shulan.token')).toBe(false);
    expect(offlineKeys(p)).toEqual([]);
  });
});
