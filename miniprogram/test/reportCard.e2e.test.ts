// @vitest-environment node
// A WeCom report card (订阅推送) opens in the mini program: the page path the server put on the card
// loads that report with the subscription's filters, showing the figures the card showed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../../server/src/sample/seedSampleContent.js';
import { insertBinding } from '../../server/src/wecom/bindingRepo.js';
import { runDueSubscriptions } from '../../server/src/wecom/subscriptions/runner.js';
import { startWecomTestEnv, type WecomTestEnv } from '../../server/src/wecom/testing/wecomTestEnv.js';
import { MiniApp, parseUrl } from './pageHarness';
import { createWxDouble } from './wxDouble';

const DOMAIN = 'https://bi.test';
let env: WecomTestEnv;
let baseUrl: string;
let reportId: string;

beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  const { t, admin } = env;
  await seedSampleContent(t.deps, admin.id);
  reportId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  const viewer = await t.user('viewer', 'card-reader');
  await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } });
  await t.deps.db.transaction().execute((trx) => insertBinding(trx, { userId: viewer.id, wecomUserid: 'lisi', source: 'manual', matchedBy: null }));
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => env?.close());

describe('report card in WeCom', () => {
  it("the card's page opens the subscribed report with its filters and the card's figures", async () => {
    const filters = { region: ['华南'], date: { from: '2025-03-01', to: '2025-06-30' } };
    const created = await env.t.call({
      method: 'POST',
      url: `/api/reports/${reportId}/subscriptions`,
      headers: env.admin.headers,
      body: { schedule: { kind: 'weekly', time: '08:00', weekday: 1 }, recipients: { users: [(await env.t.deps.db.selectFrom('users').select('id').where('username', '=', 'card-reader').executeTakeFirstOrThrow()).id] }, filters },
    });
    expect(created.status).toBe(200);
    await runDueSubscriptions(env.t.deps, new Date(Date.parse(created.json.data.nextRunAt) + 1000));
    const [sent] = env.sim.controls.sentMessages();
    expect(sent!.delivered).toEqual(['lisi']);
    const card = (sent!.request as any).miniprogram_notice;

    // The member taps the card inside WeCom: the mini program logs in without a password and opens the page.
    const storage = new Map<string, unknown>();
    const wxd = createWxDouble({ hosts: { [DOMAIN]: baseUrl }, environment: 'wxwork', qyLogin: async () => env.sim.controls.issueLoginCode('lisi').code }, storage);
    const app = await MiniApp.launch(wxd.wx);
    const domain = await app.open('pages/domain/index');
    domain.onInput({ detail: { value: 'bi.test' } });
    await domain.onSubmit();
    const login = await app.open('pages/login/index');
    await wxd.settled();
    expect(wxd.navigations.at(-1)).toBe('/pages/home/index');
    expect(login.data.showForm).toBe(false);

    const { route, query } = parseUrl(card.page);
    const page = await app.open(route, query);
    await wxd.settled();
    expect(page.data.id).toBe(reportId);
    expect(page.data.name).toBe(SAMPLE_REPORT_NAME);
    expect(page.filterState).toEqual(filters);
    expect(page.data.activeFilters).toBe(2);
    const kpis = page.data.widgets.filter((w: any) => w.kind === 'kpi').map((w: any) => w.kpi.value);
    expect(kpis).toHaveLength(3);
    expect(card.content_item.slice(0, 3).map((i: any) => i.value)).toEqual(kpis);
    page.onUnload();
  });
});
