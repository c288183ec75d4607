import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../lib/ids.js';
import { startWecomTestEnv, type WecomTestEnv } from './testing/wecomTestEnv.js';

let env: WecomTestEnv;
beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  // What the address-book sync (next step) will write: departments and one synced member.
  const synced_at = nowIso();
  await env.t.deps.db
    .insertInto('wecom_departments')
    .values([
      { id: 1, name: '测试企业', parent_id: null, synced_at },
      { id: 2, name: '销售部', parent_id: 1, synced_at },
      { id: 3, name: '研发部', parent_id: 1, synced_at },
      { id: 12, name: '十二部', parent_id: 1, synced_at },
    ])
    .execute();
  await env.t.deps.db
    .insertInto('wecom_members')
    .values({ userid: 'zhangsan', name: '张三', mobile: null, email: null, department_ids_json: '[2,3]', status: 1, left_at: null, synced_at })
    .execute();
});
afterAll(async () => env?.close());

const match = (userId: string, wecomUserid: string) =>
  env.t.call({ method: 'PUT', url: `/api/wecom/bindings/${userId}`, headers: env.admin.headers, body: { wecomUserid } });
const unmatch = (userId: string) => env.t.call({ method: 'DELETE', url: `/api/wecom/bindings/${userId}`, headers: env.admin.headers });
const view = async (userId: string) => (await env.t.call({ method: 'GET', url: `/api/users/${userId}`, headers: env.admin.headers })).json.data;

describe('manual match and unmatch', () => {
  it('shows the match in the personnel views with the member name and department names', async () => {
    const u = await env.t.user('viewer');
    expect((await view(u.id)).wecom).toBeNull();
    const res = await match(u.id, 'zhangsan');
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ userId: u.id, wecomUserid: 'zhangsan', source: 'manual' });
    const w = (await view(u.id)).wecom;
    expect(w).toMatchObject({ userid: 'zhangsan', name: '张三', source: 'manual', matchedAt: res.json.data.matchedAt });
    // Department 12 must not match inside "[2,3]" by accident, nor 1 inside 12.
    expect(w.departments).toEqual(['研发部', '销售部']);

    const page = await env.t.call({ method: 'GET', url: `/api/personnel?q=${u.username}`, headers: env.admin.headers });
    expect(page.json.data.items[0].wecom.userid).toBe('zhangsan');
  });

  it('falls back to the userid as the name while the member is not synced yet', async () => {
    const u = await env.t.user('viewer');
    await match(u.id, 'lisi');
    expect((await view(u.id)).wecom).toMatchObject({ userid: 'lisi', name: 'lisi', departments: [] });
  });

  it('matching the same pair again changes nothing; either side bound elsewhere is a 409', async () => {
    const [a, b] = [await env.t.user('viewer'), await env.t.user('viewer')];
    expect((await match(a.id, 'wangwu')).status).toBe(200);
    expect((await match(a.id, 'wangwu')).status).toBe(200);
    const taken = await match(b.id, 'wangwu');
    expect(taken.status).toBe(409);
    expect(taken.json.error.message).toContain('wangwu');
    const busy = await match(a.id, 'zhaoliu');
    expect(busy.status).toBe(409);
    expect(busy.json.error.message).toContain('已绑定企业微信成员 wangwu');
    const audit = await env.t.call({ method: 'GET', url: '/api/audit?action=wecom.match', headers: env.admin.headers });
    expect(audit.json.data.items.filter((i: { target: string }) => i.target === a.id)).toHaveLength(1);
  });

  it('unmatching ends the WeCom sessions of that user at once, keeps password sessions, and is audited', async () => {
    const u = await env.t.user('viewer'); // holds a password session
    await match(u.id, 'sunqi');
    const wecomLogin = await env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: env.sim.controls.issueLoginCode('sunqi').code } });
    expect(wecomLogin.json.data.status).toBe('ok');
    const wecomToken = { authorization: `Bearer ${wecomLogin.json.data.token}` };
    expect((await env.t.call({ method: 'GET', url: '/api/auth/me', headers: wecomToken })).status).toBe(200);

    const res = await unmatch(u.id);
    expect(res.json.data).toEqual({ ok: true, sessionsEnded: 1 });
    expect((await env.t.call({ method: 'GET', url: '/api/auth/me', headers: wecomToken })).status).toBe(401);
    expect((await env.t.call({ method: 'GET', url: '/api/auth/me', headers: u.headers })).status).toBe(200);
    expect((await view(u.id)).wecom).toBeNull();

    const audit = await env.t.call({ method: 'GET', url: '/api/audit?action=wecom.unmatch', headers: env.admin.headers });
    expect(audit.json.data.items[0]).toMatchObject({
      actor: { id: env.admin.id },
      target: u.id,
      detail: { wecomUserid: 'sunqi', username: u.username, previousSource: 'manual' },
    });
    // The next WeCom login of that member needs binding again.
    const again = await env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: env.sim.controls.issueLoginCode('sunqi').code } });
    expect(again.json.data.status).toBe('needs_binding');
  });

  it('answers 404 for an unknown user or a user without a match, 400 for a bad userid', async () => {
    expect((await match('no-such-user', 'zhangsan')).status).toBe(404);
    const u = await env.t.user('viewer');
    expect((await unmatch(u.id)).status).toBe(404);
    expect((await match(u.id, 'has space')).status).toBe(400);
    expect((await match(u.id, 'x'.repeat(65))).status).toBe(400);
  });
});
