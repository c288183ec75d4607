import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso } from '../lib/ids.js';
import { CORP_ID, startWecomTestEnv, type WecomTestEnv } from './testing/wecomTestEnv.js';

let env: WecomTestEnv;
beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
});
afterAll(async () => env?.close());

const code = (userid: string) => env.sim.controls.issueLoginCode(userid).code;
const login = (c: string) => env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: c } });
const bind = (bindTicket: string, username: string, password: string) =>
  env.t.call({ method: 'POST', url: '/api/wecom/bind', body: { bindTicket, username, password } });
const me = (token: string) => env.t.call({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });

async function syncMember(userid: string, status: number, leftAt: string | null = null) {
  await env.t.deps.db
    .insertInto('wecom_members')
    .values({ userid, name: userid, mobile: null, email: null, department_ids_json: '[1]', status, left_at: leftAt, synced_at: nowIso() })
    .onConflict((oc) => oc.column('userid').doUpdateSet({ status, left_at: leftAt }))
    .execute();
}

describe('mini program login through WeCom', () => {
  it('first login needs binding; binding with the password logs in; the next login is passwordless', async () => {
    const user = await env.t.user('viewer');
    const first = await login(code('zhangsan'));
    expect(first.status).toBe(200);
    expect(first.json.data).toMatchObject({ status: 'needs_binding', wecomUserid: 'zhangsan' });
    expect(first.json.data.bindTicket).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(JSON.stringify(first.json)).not.toContain('session_key');

    const bound = await bind(first.json.data.bindTicket, user.username, user.password);
    expect(bound.status).toBe(200);
    expect(bound.json.data.user).toMatchObject({ id: user.id, username: user.username });
    expect((await me(bound.json.data.token)).json.data.id).toBe(user.id);

    const second = await login(code('zhangsan'));
    expect(second.json.data).toMatchObject({ status: 'ok', user: { id: user.id } });
    expect((await me(second.json.data.token)).json.data).toMatchObject({ id: user.id });
    expect(JSON.stringify(second.json)).not.toContain('session_key');

    // Sessions say how they were opened; the bind ticket is stored only as a hash.
    const sessions = await env.t.deps.db.selectFrom('sessions').select(['via', 'client']).where('user_id', '=', user.id).where('via', '=', 'wecom').execute();
    expect(sessions).toEqual([
      { via: 'wecom', client: 'api' },
      { via: 'wecom', client: 'api' },
    ]);
    const tickets = await env.t.deps.db.selectFrom('wecom_bind_tickets').selectAll().execute();
    expect(JSON.stringify(tickets)).not.toContain(first.json.data.bindTicket);

    const binding = await env.t.deps.db.selectFrom('wecom_bindings').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(binding).toMatchObject({ wecom_userid: 'zhangsan', source: 'first_login', matched_by: user.id });
    const audit = await env.t.call({ method: 'GET', url: '/api/audit?action=wecom.bind', headers: env.admin.headers });
    expect(audit.json.data.items[0]).toMatchObject({
      actor: { id: user.id },
      target: user.id,
      detail: { wecomUserid: 'zhangsan', username: user.username, source: 'first_login' },
    });
  });

  it('a bind ticket works once', async () => {
    const a = await env.t.user('viewer');
    const first = await login(code('lisi'));
    const ticket = first.json.data.bindTicket as string;
    expect((await bind(ticket, a.username, a.password)).status).toBe(200);
    const again = await bind(ticket, a.username, a.password);
    expect(again.status).toBe(401);
    expect(again.json.error.message).toContain('绑定凭证无效');
  });

  it('an expired bind ticket is refused', async () => {
    const u = await env.t.user('viewer');
    const first = await login(code('sunqi'));
    await env.t.deps.db.updateTable('wecom_bind_tickets').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('userid', '=', 'sunqi').execute();
    const res = await bind(first.json.data.bindTicket, u.username, u.password);
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain('10 分钟');
  });

  it('wrong passwords on bind count toward the same lock as the login page', async () => {
    const u = await env.t.user('viewer');
    const ticket = (await login(code('zhaoliu'))).json.data.bindTicket as string;
    for (let i = 0; i < 10; i++) {
      const res = await bind(ticket, u.username, 'wrong-password');
      expect(res.status).toBe(401);
      expect(res.json.error.message).toBe('用户名或密码错误');
    }
    const locked = await bind(ticket, u.username, u.password);
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBeDefined();
    const plain = await env.t.call({ method: 'POST', url: '/api/auth/login', body: { username: u.username, password: u.password, mode: 'token' } });
    expect(plain.status).toBe(429);
  });

  it('refuses a member already bound to someone else, and a user already bound to another member', async () => {
    const [owner, other] = [await env.t.user('viewer'), await env.t.user('viewer')];
    // wangwu logs in for the first time, but an admin matches wangwu to `owner` before the bind.
    const ticket = (await login(code('wangwu'))).json.data.bindTicket as string;
    const match = await env.t.call({ method: 'PUT', url: `/api/wecom/bindings/${owner.id}`, headers: env.admin.headers, body: { wecomUserid: 'wangwu' } });
    expect(match.status).toBe(200);
    const memberTaken = await bind(ticket, other.username, other.password);
    expect(memberTaken.status).toBe(409);
    expect(memberTaken.json.error.message).toContain('wangwu 已绑定其他数览账号');

    // `owner` is bound to wangwu, so a new member cannot bind to that account too.
    env.sim.controls.addMember({ userid: 'qianba', name: '钱八', department: [2] });
    const t2 = (await login(code('qianba'))).json.data.bindTicket as string;
    const userTaken = await bind(t2, owner.username, owner.password);
    expect(userTaken.status).toBe(409);
    expect(userTaken.json.error.message).toContain('已绑定企业微信成员 wangwu');
  });

  it('refuses a member WeCom reports as disabled or gone, even when bound', async () => {
    const u = await env.t.user('viewer');
    env.sim.controls.addMember({ userid: 'disabled1', name: '停用', department: [2] });
    await syncMember('disabled1', 2);
    const res = await login(code('disabled1'));
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('已停用或已离开企业');

    // Bound first while active, then the sync sees the member leave.
    env.sim.controls.addMember({ userid: 'leaver', name: '离职', department: [2] });
    await syncMember('leaver', 1);
    const ticket = (await login(code('leaver'))).json.data.bindTicket as string;
    expect((await bind(ticket, u.username, u.password)).status).toBe(200);
    await syncMember('leaver', 1, nowIso());
    expect((await login(code('leaver'))).status).toBe(403);
  });

  it('refuses a member bound to a disabled Shulan account', async () => {
    const u = await env.t.user('viewer');
    env.sim.controls.addMember({ userid: 'boundoff', name: '停号', department: [2] });
    await env.t.call({ method: 'PUT', url: `/api/wecom/bindings/${u.id}`, headers: env.admin.headers, body: { wecomUserid: 'boundoff' } });
    await env.t.deps.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', u.id).execute();
    const res = await login(code('boundoff'));
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('已被停用');
  });

  it('an expired code and a replayed code are refused with what to do', async () => {
    const expired = code('lisi');
    env.sim.controls.advanceTime(5 * 60_000 + 1000);
    const late = await login(expired);
    expect(late.status).toBe(401);
    expect(late.json.error.message).toContain('请重新打开小程序');

    const once = code('lisi');
    expect((await login(once)).status).toBe(200);
    const replay = await env.t.call({ method: 'POST', url: '/api/wecom/login', headers: { 'accept-language': 'en' }, body: { code: once } });
    expect(replay.status).toBe(401);
    expect(replay.json.error.message).toContain('a code works once');
  });

  it('refuses a login from another WeCom enterprise than the configured one', async () => {
    expect((await login(code('lisi'))).status).toBe(200); // token cached for the configured corp
    const corp = env.sim.corp as unknown as { corpid: string };
    // The same mini program associated with a second corp: jscode2session answers that corp's id.
    corp.corpid = 'ww00000000000000aa';
    try {
      const res = await login(code('lisi'));
      expect(res.status).toBe(403);
      expect(res.json.error.message).toContain('另一个企业');
    } finally {
      corp.corpid = CORP_ID;
    }
  });

  it('says so when the integration is switched off', async () => {
    await env.configure({ enabled: false });
    try {
      const res = await login(code('lisi'));
      expect(res.status).toBe(403);
      expect(res.json.error.message).toContain('企业微信登录未开启');
      const b = await bind('some-ticket', 'x', 'y');
      expect(b.status).toBe(403);
    } finally {
      await env.configure();
    }
  });

  it('reports a configuration problem to the user without WeCom details', async () => {
    env.sim.controls.injectFault({ endpoint: 'miniprogram/jscode2session', kind: 'errcode', errcode: 60020 });
    const res = await login(code('lisi'));
    expect(res.status).toBe(502);
    expect(res.json.error.message).toContain('60020');
    expect(res.json.error.message).toContain('请联系管理员');
  });

  it('validates the body', async () => {
    expect((await env.t.call({ method: 'POST', url: '/api/wecom/login', body: {} })).status).toBe(400);
    expect((await env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: 'x'.repeat(300) } })).status).toBe(400);
    expect((await env.t.call({ method: 'POST', url: '/api/wecom/bind', body: { bindTicket: 'x', username: 'u' } })).status).toBe(400);
  });
});
