import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nowIso } from '../../lib/ids.js';
import { syncServiceFor } from '../sync/SyncService.js';
import { startWecomTestEnv, type WecomTestEnv } from '../testing/wecomTestEnv.js';

let env: WecomTestEnv;
let port: number;
beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  await env.t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (env.t.app.server.address() as AddressInfo).port;
});
afterAll(async () => env?.close());

const code = (userid: string) => env.sim.controls.issueLoginCode(userid).code;
const login = (c: string) => env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: c } });
const bind = (bindTicket: string, username: string, password: string, lang = 'zh') =>
  env.t.call({ method: 'POST', url: '/api/wecom/bind', headers: { 'accept-language': lang }, body: { bindTicket, username, password } });
const me = (token: string) => env.t.call({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
const manualMatch = (userId: string, wecomUserid: string) =>
  env.t.call({ method: 'PUT', url: `/api/wecom/bindings/${userId}`, headers: env.admin.headers, body: { wecomUserid } });
const binding = (userId: string) => env.t.deps.db.selectFrom('wecom_bindings').selectAll().where('user_id', '=', userId).executeTakeFirst();

/** A viewer bound to `userid` through the mini program, with its WeCom session token. */
async function wecomViewer(userid: string) {
  const u = await env.t.user('viewer');
  const ticket = (await login(code(userid))).json.data.bindTicket as string;
  const res = await bind(ticket, u.username, u.password);
  expect(res.status).toBe(200);
  return { ...u, wecomToken: res.json.data.token as string };
}

describe('first login before any sync', () => {
  it('asks WeCom for a member the local directory does not know, and refuses a disabled one', async () => {
    expect(await env.t.deps.db.selectFrom('wecom_members').selectAll().execute()).toEqual([]);
    env.sim.controls.addMember({ userid: 'gone1', name: '停用甲', department: [2] });
    const ticket = (await login(code('gone1'))).json.data.bindTicket as string;
    // Disabled in WeCom after opening the mini program, before any sync ever ran.
    env.sim.controls.updateMember('gone1', { status: 2 });
    const u = await env.t.user('viewer');
    env.sim.controls.resetCallCounts();
    const zh = await bind(ticket, u.username, u.password);
    expect(zh.status).toBe(403);
    expect(zh.json.error.message).toContain('已停用或已离开企业');
    expect(env.sim.controls.callCounts()['user/get']).toBe(1);
    const en = await bind(ticket, u.username, u.password, 'en');
    expect(en.json.error.message).toContain('disabled or has left');
    expect(await binding(u.id)).toBeUndefined();
    const audit = await env.t.call({ method: 'GET', url: '/api/audit?action=wecom.bind_refused', headers: env.admin.headers });
    expect(audit.json.data.items[0]).toMatchObject({ target: u.id, detail: { reason: 'member_inactive', wecomUserid: 'gone1' } });
  });

  it('binds an active member the directory does not know yet', async () => {
    const u = await wecomViewer('lisi');
    expect(await binding(u.id)).toMatchObject({ wecom_userid: 'lisi', source: 'first_login' });
  });

  it('refuses rather than guesses when WeCom cannot be asked', async () => {
    env.sim.controls.addMember({ userid: 'unsure1', name: '未知', department: [2] });
    const ticket = (await login(code('unsure1'))).json.data.bindTicket as string;
    env.sim.controls.injectFault({ endpoint: 'user/get', kind: 'errcode', errcode: 60020 });
    try {
      const u = await env.t.user('viewer');
      const res = await bind(ticket, u.username, u.password);
      expect(res.status).toBe(502);
      expect(res.json.error.message).toContain('请联系管理员');
      expect(await binding(u.id)).toBeUndefined();
    } finally {
      env.sim.controls.clearFaults();
    }
  });
});

/** A WebSocket on /api/live and a promise of its close code. */
async function openSocket(token: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { headers: { authorization: `Bearer ${token}` } });
  const closed = new Promise<number>((resolve) => ws.once('close', (c: number) => resolve(c)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

describe('switching the integration off', () => {
  it('ends every WeCom session at once, closing their sockets; password sessions stay', async () => {
    const a = await wecomViewer('wangwu');
    const b = await wecomViewer('zhaoliu');
    const pw = await env.t.user('viewer');
    const pwToken = pw.headers.authorization!.slice('Bearer '.length);
    const sockets = await Promise.all([openSocket(a.wecomToken), openSocket(b.wecomToken), openSocket(pwToken)]);
    try {
      const off = await env.t.call({ method: 'PUT', url: '/api/settings/wecom', headers: env.admin.headers, body: { enabled: false, corpId: null, appId: null } });
      expect(off.status).toBe(200);
      const deadline = new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 2000).unref());
      expect(await Promise.race([sockets[0]!.closed, deadline])).toBe(4401);
      expect(await Promise.race([sockets[1]!.closed, deadline])).toBe(4401);
      expect(sockets[2]!.ws.readyState).toBe(WebSocket.OPEN);
      expect((await me(a.wecomToken)).status).toBe(401);
      expect((await me(b.wecomToken)).status).toBe(401);
      // The same users' password sessions, and other users', go on.
      expect((await env.t.call({ method: 'GET', url: '/api/auth/me', headers: a.headers })).status).toBe(200);
      expect((await me(pwToken)).status).toBe(200);
      const audit = await env.t.call({ method: 'GET', url: '/api/audit?action=wecom.settings_changed', headers: env.admin.headers });
      expect(audit.json.data.items[0].detail).toMatchObject({ enabled: false, wecomSessionsEnded: 3 }); // lisi's, bound above, too
    } finally {
      for (const s of sockets) s.ws.close();
      await env.configure();
    }
  });

  it('saving other settings with the integration on leaves WeCom sessions alone', async () => {
    const a = await wecomViewer('sunqi');
    await env.configure({ allowAdminBinding: true });
    expect((await me(a.wecomToken)).status).toBe(200);
  });
});

async function syncNow() {
  const started = await syncServiceFor(env.t.deps).start('manual');
  expect((await started.done).status).toBe('ok');
}

describe('manual match', () => {
  it('refuses an unknown member and a disabled one, whether synced or only known to WeCom', async () => {
    const u = await env.t.user('viewer');
    const unknown = await manualMatch(u.id, 'nobody-here');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('企业微信中没有 userid 为 nobody-here 的成员');

    env.sim.controls.addMember({ userid: 'off2', name: '停用乙', department: [3], status: 2 });
    const offInWecom = await manualMatch(u.id, 'off2');
    expect(offInWecom.status).toBe(400);
    expect(offInWecom.json.error.message).toContain('已停用');

    // Known to the synced directory as gone: refused without asking WeCom.
    await env.t.deps.db
      .insertInto('wecom_members')
      .values({ userid: 'left3', name: '离职丙', mobile: null, email: null, department_ids_json: '[2]', status: 1, left_at: nowIso(), synced_at: nowIso() })
      .execute();
    env.sim.controls.resetCallCounts();
    const left = await manualMatch(u.id, 'left3');
    expect(left.status).toBe(400);
    expect(env.sim.controls.callCounts()['user/get']).toBeUndefined();
    expect(await binding(u.id)).toBeUndefined();

    env.sim.controls.addMember({ userid: 'new4', name: '新人丁', department: [3] });
    expect((await manualMatch(u.id, 'new4')).status).toBe(200);
    expect(await binding(u.id)).toMatchObject({ wecom_userid: 'new4', source: 'manual' });
    await env.t.deps.db.deleteFrom('wecom_members').where('userid', '=', 'left3').execute();
  });
});

describe('member search', () => {
  const search = (qs: string, headers = env.admin.headers) => env.t.call({ method: 'GET', url: `/api/wecom/members?${qs}`, headers });

  it('finds members by name, userid, department and mobile, with department path and position to tell namesakes apart', async () => {
    env.sim.controls.addDepartment({ id: 4, name: '华东区', parentid: 2 });
    env.sim.controls.addMember({ userid: 'zhangsan2', name: '张三', department: [4], position: '销售经理' });
    env.sim.controls.updateMember('zhangsan', { position: '工程师' });
    await syncNow();

    const byName = await search(`q=${encodeURIComponent('张三')}`);
    expect(byName.status).toBe(200);
    expect(byName.json.data.total).toBe(2);
    const rows = Object.fromEntries(byName.json.data.items.map((i: { userid: string }) => [i.userid, i]));
    expect(rows.zhangsan).toMatchObject({ name: '张三', position: '工程师', departments: ['测试企业 / 销售部', '测试企业 / 研发部'], status: 1, left: false });
    expect(rows.zhangsan2).toMatchObject({ position: '销售经理', departments: ['测试企业 / 销售部 / 华东区'] });

    const byDept = await search(`q=${encodeURIComponent('华东')}`);
    expect(byDept.json.data.items.map((i: { userid: string }) => i.userid)).toEqual(['zhangsan2']);
    const byUserid = await search('q=LISI');
    expect(byUserid.json.data.items[0]).toMatchObject({ userid: 'lisi', boundTo: { username: expect.any(String) } });
    // The test corp's app was created after 2022-06-20: mobiles are not readable, so none match.
    expect((await search('q=13800000003')).json.data.total).toBe(0);

    // Disabled members are left out unless asked for.
    expect((await search('q=off2')).json.data.total).toBe(0);
    expect((await search('q=off2&includeInactive=true')).json.data.items[0]).toMatchObject({ userid: 'off2', status: 2 });
  });

  it('pages, escapes wildcards, validates the query and is for admins only', async () => {
    const all = (await search('limit=50')).json.data;
    expect(all.total).toBeGreaterThan(3);
    const page2 = (await search('limit=2&offset=2')).json.data;
    expect(page2.items.map((i: { userid: string }) => i.userid)).toEqual(all.items.slice(2, 4).map((i: { userid: string }) => i.userid));
    expect((await search('q=%25')).json.data.total).toBe(0);
    expect((await search('q=_')).json.data.total).toBe(0);
    expect((await search('limit=500')).status).toBe(400);
    expect((await search('bogus=1')).status).toBe(400);
    const viewer = await env.t.user('viewer');
    expect((await search('q=a', viewer.headers)).status).toBe(403);
  });
});
