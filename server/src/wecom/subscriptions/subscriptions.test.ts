import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.js';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../../sample/seedSampleContent.js';
import { insertBinding } from '../bindingRepo.js';
import { acquireLease, releaseLease } from '../sync/syncLease.js';
import { syncServiceFor } from '../sync/SyncService.js';
import { APP_ID, startWecomTestEnv, type WecomTestEnv } from '../testing/wecomTestEnv.js';
import { runDueSubscriptions } from './runner.js';
import { PER_MEMBER_PER_MINUTE, sendSubscription } from './sendSubscription.js';

let env: WecomTestEnv;
let reportId: string;
let editor: Awaited<ReturnType<WecomTestEnv['t']['user']>>;
const users: Record<string, string> = {};

const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: object) => env.t.call({ method, url, headers: editor.headers, body });
const bind = (userId: string, wecomUserid: string) => env.t.deps.db.transaction().execute((trx) => insertBinding(trx, { userId, wecomUserid, source: 'manual', matchedBy: null }));
const messages = () => env.sim.controls.sentMessages();
const subscribe = async (recipients: object, extra: object = {}) => {
  const res = await api('POST', `/api/reports/${reportId}/subscriptions`, { schedule: { kind: 'daily', time: '08:00' }, recipients, ...extra });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data as { id: string; nextRunAt: string };
};
const history = async (subId: string) => (await api('GET', `/api/reports/${reportId}/subscriptions/${subId}/sends`)).json.data as any[];
const byName = (send: any) => Object.fromEntries(send.recipients.map((r: any) => [r.wecomUserid ?? r.name, r]));

beforeAll(async () => {
  env = await startWecomTestEnv({ retryBaseMs: 1 });
  await env.configure();
  editor = await env.t.user('editor', 'ed');
  await seedSampleContent(env.t.deps, env.admin.id);
  reportId = (await env.t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  for (const name of ['granted', 'notGranted', 'noWecom', 'ghost']) users[name] = (await env.t.user('viewer', name)).id;
  const grant = await api('PUT', `/api/reports/${reportId}/grants`, { users: [users.granted, users.noWecom, users.ghost], groups: [] });
  expect(grant.status).toBe(200);
  await bind(editor.id, 'zhangsan');
  await bind(users.granted!, 'lisi');
  await bind(users.notGranted!, 'wangwu');
  await bind(users.ghost!, 'ghost-member'); // bound once, no longer in WeCom: WeCom answers invaliduser
});
afterAll(async () => env?.close());

describe('report cards', () => {
  it('at its time sends the KPI card with the filtered link; skips and reports who may not view it or has no WeCom; records invaliduser', async () => {
    const sub = await subscribe(
      { users: [editor.id, users.granted, users.notGranted, users.noWecom, users.ghost] },
      { filters: { region: ['华东'] } },
    );
    const due = new Date(sub.nextRunAt);
    expect(due.toISOString()).toMatch(/T00:00:00.000Z$/); // 08:00 China time

    // A minute early: nothing.
    expect(await runDueSubscriptions(env.t.deps, new Date(due.getTime() - 60_000))).toEqual({ ran: true, sends: [] });
    expect(messages()).toHaveLength(0);

    const out = await runDueSubscriptions(env.t.deps, new Date(due.getTime() + 5_000));
    expect(out.sends).toHaveLength(1);
    const [m] = messages();
    const req = m!.request as any;
    expect(req.msgtype).toBe('miniprogram_notice');
    expect(req.touser.split('|').sort()).toEqual(['ghost-member', 'lisi', 'zhangsan']);
    expect(m!.delivered.sort()).toEqual(['lisi', 'zhangsan']);

    // The figures are those the report shows with the same filter.
    const kpi = await api('POST', `/api/reports/${reportId}/widgets/total_amount/data`, { filters: { region: ['华东'] } });
    const total = Object.values(kpi.json.data.rows[0])[0] as number;
    const card = req.miniprogram_notice;
    expect(card).toMatchObject({
      appid: APP_ID,
      title: SAMPLE_REPORT_NAME,
      emphasis_first_item: true,
      page: `pages/report/index?id=${reportId}&filters=${encodeURIComponent(JSON.stringify({ region: ['华东'] }))}`,
    });
    const china = new Date(due.getTime() + 8 * 3600_000);
    expect(card.description).toBe(`${china.getUTCMonth() + 1}月${china.getUTCDate()}日 08:00`);
    expect(card.content_item.map((i: any) => i.key)).toEqual(['总销售额', '总销量', '订单数', '区域']);
    // The figure as the web's KPI card prints it (at most two decimals), not one decimal fewer.
    expect(card.content_item[0].value).toBe(`¥${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(total)}`);
    expect(card.content_item[3].value).toBe('华东');

    const [send] = await history(sub.id);
    expect(send).toMatchObject({ trigger: 'schedule', status: 'partial', sent: 2, skipped: 3 });
    const r = byName(send);
    expect(r.zhangsan.status).toBe('sent');
    expect(r.lisi.status).toBe('sent');
    expect(r['ghost-member']).toMatchObject({ status: 'invalid', detail: 'invaliduser' });
    expect(r.wangwu).toMatchObject({ status: 'no_access', userId: users.notGranted });
    expect(send.recipients.find((x: any) => x.userId === users.noWecom)).toMatchObject({ status: 'no_wecom', wecomUserid: null });

    // Moved to the next day: the same minute again sends nothing more.
    expect((await runDueSubscriptions(env.t.deps, new Date(due.getTime() + 30_000))).sends).toEqual([]);
    const view = (await api('GET', `/api/reports/${reportId}/subscriptions`)).json.data.find((s: any) => s.id === sub.id);
    expect(Date.parse(view.nextRunAt) - due.getTime()).toBe(24 * 3600_000);
    expect(view.lastSend).toMatchObject({ status: 'partial', sent: 2 });
    await api('DELETE', `/api/reports/${reportId}/subscriptions/${sub.id}`);
  });

  it('a WeCom department reaches its bound members (sub-departments too) and reports members without an account', async () => {
    const { runId } = await syncServiceFor(env.t.deps).start('manual');
    await syncServiceFor(env.t.deps).whenDone(runId);
    const depts = (await api('GET', '/api/wecom/subscription-departments')).json.data;
    expect(depts).toContainEqual({ id: 3, name: '研发部', parentId: 1 });
    const sub = await subscribe({ departments: [1] }, { title: '研发日报推送' });
    const before = messages().length;
    const send = (await api('POST', `/api/reports/${reportId}/subscriptions/${sub.id}/send`)).json.data;
    expect(send).toMatchObject({ trigger: 'manual', status: 'partial', sent: 2 });
    const r = byName(send);
    expect(r.zhangsan.status).toBe('sent');
    expect(r.lisi.status).toBe('sent');
    expect(r.wangwu.status).toBe('no_access');
    expect(r.zhaoliu).toMatchObject({ status: 'no_account', userId: null, name: '赵六' });
    const m = messages()[before]!;
    expect((m.request as any).miniprogram_notice.title).toBe('研发日报推送');
    expect(m.delivered.sort()).toEqual(['lisi', 'zhangsan']);
    await api('DELETE', `/api/reports/${reportId}/subscriptions/${sub.id}`);
  });

  it('retries WeCom being busy (-1) but not a permanent refusal, which is recorded', async () => {
    const sub = await subscribe({ users: [users.granted] });
    const c = env.sim.controls;
    c.resetCallCounts();
    c.injectFault({ endpoint: 'message/send', kind: 'errcode', errcode: -1 });
    const ok = (await api('POST', `/api/reports/${reportId}/subscriptions/${sub.id}/send`)).json.data;
    expect(ok).toMatchObject({ status: 'ok', sent: 1 });
    expect(c.callCounts()['message/send']).toBe(2);

    c.resetCallCounts();
    c.injectFault({ endpoint: 'message/send', kind: 'errcode', errcode: 60020, errmsg: 'not allow to access from your ip, from ip: 203.0.113.9' });
    const refused = (await api('POST', `/api/reports/${reportId}/subscriptions/${sub.id}/send`)).json.data;
    expect(c.callCounts()['message/send']).toBe(1);
    expect(refused).toMatchObject({ status: 'failed', sent: 0, error: { en: expect.stringContaining('203.0.113.9') } });
    expect(byName(refused).lisi).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^60020: /) });
    await api('DELETE', `/api/reports/${reportId}/subscriptions/${sub.id}`);
  });

  it('a scheduled send WeCom could not take is tried again 5 minutes later; a refusal waits for the next day', async () => {
    const sub = await subscribe({ users: [users.granted] });
    const due = Date.parse(sub.nextRunAt);
    const c = env.sim.controls;
    const nextRunAt = async () => (await env.t.deps.db.selectFrom('report_subscriptions').select('next_run_at').where('id', '=', sub.id).executeTakeFirstOrThrow()).next_run_at;
    c.injectFault({ endpoint: 'message/send', kind: 'http5xx', times: 50 });
    await runDueSubscriptions(env.t.deps, new Date(due + 1000));
    expect(await nextRunAt()).toBe(new Date(due + 1000 + 5 * 60_000).toISOString());
    c.clearFaults();
    const before = messages().length;
    await runDueSubscriptions(env.t.deps, new Date(due + 1000 + 5 * 60_000));
    expect(messages().length).toBe(before + 1);
    expect(await nextRunAt()).toBe(new Date(due + 24 * 3600_000).toISOString());
    const [retry, first] = await history(sub.id);
    expect([first.status, retry.status]).toEqual(['failed', 'ok']);

    c.injectFault({ endpoint: 'message/send', kind: 'errcode', errcode: 60020, times: 50 });
    await runDueSubscriptions(env.t.deps, new Date(due + 24 * 3600_000 + 1000));
    c.clearFaults();
    expect(await nextRunAt()).toBe(new Date(due + 48 * 3600_000).toISOString());
    await api('DELETE', `/api/reports/${reportId}/subscriptions/${sub.id}`);
  });

  it(`keeps to WeCom's ${PER_MEMBER_PER_MINUTE} cards a minute per member: the next one is skipped and reported`, async () => {
    const sub = await subscribe({ users: [users.granted] });
    const row = await env.t.deps.db.selectFrom('report_subscriptions').selectAll().where('id', '=', sub.id).executeTakeFirstOrThrow();
    const now = new Date('2031-01-01T00:00:00Z');
    for (let i = 0; i < PER_MEMBER_PER_MINUTE; i++) await sendSubscription(env.t.deps, row, 'manual', new Date(now.getTime() + i * 1000));
    const before = messages().length;
    await sendSubscription(env.t.deps, row, 'manual', new Date(now.getTime() + 40_000));
    expect(messages().length).toBe(before);
    const [last] = await history(sub.id);
    expect(last).toMatchObject({ status: 'skipped', sent: 0 });
    expect(byName(last).lisi).toMatchObject({ status: 'rate_limited', detail: '30/min' });
    // A minute after the first, there is room again.
    await sendSubscription(env.t.deps, row, 'manual', new Date(now.getTime() + 61_000));
    expect(messages().length).toBe(before + 1);
    await api('DELETE', `/api/reports/${reportId}/subscriptions/${sub.id}`);
  });

  it('runs on one instance at a time (its own lease, independent of the sync lease)', async () => {
    const sub = await subscribe({ users: [users.granted] });
    const at = new Date(Date.parse(sub.nextRunAt) + 1000);
    const other = newId();
    expect(await acquireLease(env.t.deps.db, other, at.getTime(), 'other-host:1:ab', 'subscriptions')).toBe(true);
    expect(await runDueSubscriptions(env.t.deps, at)).toEqual({ ran: false, sends: [] });
    await releaseLease(env.t.deps.db, other, 'subscriptions');
    // A running sync does not hold the cards back.
    const sync = newId();
    expect(await acquireLease(env.t.deps.db, sync, at.getTime(), 'other-host:1:ab', 'sync')).toBe(true);
    expect((await runDueSubscriptions(env.t.deps, at)).sends).toHaveLength(1);
    await releaseLease(env.t.deps.db, sync, 'sync');
    await api('DELETE', `/api/reports/${reportId}/subscriptions/${sub.id}`);
  });

  it('refuses what WeCom or the report cannot take, with a message', async () => {
    const post = (body: object) => api('POST', `/api/reports/${reportId}/subscriptions`, { schedule: { kind: 'daily', time: '08:00' }, recipients: { users: [users.granted] }, ...body });
    expect((await post({ title: '短' })).status).toBe(400);
    expect((await post({ title: '这个标题实在是太长了超过十二个字' })).status).toBe(400);
    expect((await post({ recipients: {} })).status).toBe(400);
    const often = await post({ schedule: { kind: 'cron', cron: '*/5 * * * *' } });
    expect(often.status).toBe(400);
    expect(often.json.error.message).toContain('1 小时');
    expect((await post({ filters: { nope: ['x'] } })).status).toBe(400);
    expect((await post({ filters: { region: { from: '2025-01-01' } } })).status).toBe(400);
    expect((await post({ filters: { date: ['2025'] } })).status).toBe(400);
    const viewer = await env.t.user('viewer');
    expect((await env.t.call({ method: 'GET', url: `/api/reports/${reportId}/subscriptions`, headers: viewer.headers })).status).toBe(403);
  });

  it('weekly and monthly schedules land on the chosen day in China time', async () => {
    const weekly = await subscribe({ users: [users.granted] }, { schedule: { kind: 'weekly', time: '09:30', weekday: 1 } });
    const w = new Date(Date.parse(weekly.nextRunAt) + 8 * 3600_000);
    expect([w.getUTCDay(), w.getUTCHours(), w.getUTCMinutes()]).toEqual([1, 9, 30]);
    const monthly = await subscribe({ users: [users.granted] }, { schedule: { kind: 'monthly', time: '07:00', day: 'last' } });
    const mo = new Date(Date.parse(monthly.nextRunAt) + 8 * 3600_000);
    expect(new Date(mo.getTime() + 86_400_000).getUTCDate()).toBe(1);
    // Deleting the report takes its subscriptions along.
    const copy = await env.t.call({ method: 'POST', url: '/api/reports', headers: editor.headers, body: { name: '临时', definition: { widgets: [], filters: [] } } });
    const sub = await env.t.call({ method: 'POST', url: `/api/reports/${copy.json.data.id}/subscriptions`, headers: editor.headers, body: { schedule: { kind: 'daily', time: '08:00' }, recipients: { users: [users.granted] } } });
    expect(sub.status).toBe(200);
    expect((await env.t.call({ method: 'DELETE', url: `/api/reports/${copy.json.data.id}`, headers: editor.headers })).status).toBe(200);
    expect(await env.t.deps.db.selectFrom('report_subscriptions').select('id').where('id', '=', sub.json.data.id).executeTakeFirst()).toBeUndefined();
  });

  it('a KPI that compares with the previous period shows the same change on the card as in the report', async () => {
    const detail = (await api('GET', `/api/reports/${reportId}`)).json.data;
    const definition = {
      ...detail.definition,
      widgets: detail.definition.widgets.map((w: any) => (w.id === 'total_amount' ? { ...w, options: { ...w.options, compare: 'previous_period' } } : w)),
    };
    expect((await api('PUT', `/api/reports/${reportId}`, { definition })).status).toBe(200);
    const march = { date: { from: '2025-03-01', to: '2025-03-31' } };
    const kpi = (await api('POST', `/api/reports/${reportId}/widgets/total_amount/data`, { filters: march })).json.data;
    const ratio = kpi.comparison.changeRatio as number;
    expect(Number.isFinite(ratio)).toBe(true);

    const sub = await subscribe({ users: [users.granted] }, { filters: march });
    const before = messages().length;
    expect((await api('POST', `/api/reports/${reportId}/subscriptions/${sub.id}/send`)).status).toBe(200);
    const card = (messages()[before]!.request as any).miniprogram_notice;
    const arrow = ratio > 0 ? '↑' : '↓';
    expect(card.content_item[0].value).toContain(`${arrow}${Math.abs(ratio * 100).toFixed(1)}%`);
    // Figures that do not compare stay plain.
    expect(card.content_item[1].value).not.toMatch(/[↑↓]/);
    expect((await api('PUT', `/api/reports/${reportId}`, { definition: detail.definition })).status).toBe(200);
  });
});
