import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWecomTestEnv, type WecomTestEnv } from './testing/wecomTestEnv.js';

// Counts every argon2 verification the server runs, whoever calls it.
const verifications = vi.hoisted(() => ({ n: 0 }));
vi.mock('../auth/passwords.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../auth/passwords.js')>();
  return {
    ...orig,
    verifyPassword: (stored: string | null, plain: string) => {
      verifications.n++;
      return orig.verifyPassword(stored, plain);
    },
  };
});

let env: WecomTestEnv;
beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
});
afterAll(async () => env?.close());

let members = 0;
/** A new member of the simulated corp, and the bind ticket of its first login. */
async function firstLogin(): Promise<{ userid: string; ticket: string }> {
  const userid = `member${++members}`;
  env.sim.controls.addMember({ userid, name: userid, department: [2] });
  const res = await login(userid);
  expect(res.json.data.status).toBe('needs_binding');
  return { userid, ticket: res.json.data.bindTicket as string };
}
const login = (userid: string) => env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: env.sim.controls.issueLoginCode(userid).code } });
const bind = (bindTicket: string, username: string, password: string, remoteAddress = '127.0.0.1') =>
  env.t.call({ method: 'POST', url: '/api/wecom/bind', remoteAddress, body: { bindTicket, username, password } });
const me = (token: string) => env.t.call({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
const auditOf = async (action: string) =>
  (await env.t.call({ method: 'GET', url: `/api/audit?action=${action}&limit=200`, headers: env.admin.headers })).json.data.items as {
    action: string;
    target: string | null;
    detail: Record<string, unknown>;
  }[];

/** A viewer bound through the mini program, with a WeCom session token. */
async function boundViewer() {
  const u = await env.t.user('viewer');
  const { userid, ticket } = await firstLogin();
  const bound = await bind(ticket, u.username, u.password);
  expect(bound.status).toBe(200);
  return { ...u, wecomUserid: userid, wecomToken: bound.json.data.token as string };
}

describe('mini program bind under the login limits', () => {
  it('sixty concurrent wrong passwords run at most ten password checks', async () => {
    const u = await env.t.user('viewer');
    const { ticket } = await firstLogin();
    verifications.n = 0;
    const res = await Promise.all(Array.from({ length: 60 }, () => bind(ticket, u.username, 'wrong-password', '10.20.0.1')));
    expect(verifications.n).toBe(10);
    expect(res.filter((r) => r.status === 401)).toHaveLength(10);
    expect(res.filter((r) => r.status === 429)).toHaveLength(50);
    expect((await bind(ticket, u.username, u.password, '10.20.0.1')).status).toBe(429);
  });
});

describe('a new password ends what the old one allowed through WeCom', () => {
  it('an admin reset ends WeCom sessions and removes a binding made at first login', async () => {
    const u = await boundViewer();
    const reset = await env.t.call({ method: 'PATCH', url: `/api/users/${u.id}`, headers: env.admin.headers, body: { password: 'reset-by-admin-1' } });
    expect(reset.status).toBe(200);
    expect((await me(u.wecomToken)).status).toBe(401);
    // The next WeCom login asks for the (new) password again.
    expect((await login(u.wecomUserid)).json.data.status).toBe('needs_binding');

    expect((await auditOf('wecom.binding_removed')).find((e) => e.target === u.id)).toMatchObject({
      detail: { username: u.username, wecomUserid: u.wecomUserid, source: 'first_login', reason: 'password_reset' },
    });
    expect((await auditOf('user.password_reset')).find((e) => e.target === u.id)).toMatchObject({ detail: { by: 'admin', wecomSessionsEnded: 1 } });
  });

  it('changing one\'s own password does the same', async () => {
    const u = await boundViewer();
    const changed = await env.t.call({
      method: 'POST',
      url: '/api/auth/password',
      headers: u.headers,
      body: { currentPassword: u.password, newPassword: 'my-new-password-1' },
    });
    expect(changed.status).toBe(200);
    expect((await me(u.wecomToken)).status).toBe(401);
    expect((await login(u.wecomUserid)).json.data.status).toBe('needs_binding');
    expect((await auditOf('wecom.binding_removed')).find((e) => e.target === u.id)).toMatchObject({ detail: { reason: 'password_changed' } });
  });

  it('a match an admin made stays after a reset', async () => {
    const u = await env.t.user('viewer');
    const { userid } = await firstLogin();
    const match = await env.t.call({ method: 'PUT', url: `/api/wecom/bindings/${u.id}`, headers: env.admin.headers, body: { wecomUserid: userid } });
    expect(match.status).toBe(200);
    const wecomToken = (await login(userid)).json.data.token as string;
    await env.t.call({ method: 'PATCH', url: `/api/users/${u.id}`, headers: env.admin.headers, body: { password: 'reset-by-admin-2' } });
    // The session ends with the reset, but the admin's match still logs the member in.
    expect((await me(wecomToken)).status).toBe(401);
    expect((await login(userid)).json.data).toMatchObject({ status: 'ok', user: { id: u.id } });
  });
});

describe('binding an admin account in the mini program', () => {
  it('is refused with a clear message unless the WeCom settings allow it', async () => {
    const a = await env.t.user('admin');
    const { ticket } = await firstLogin();
    const refused = await bind(ticket, a.username, a.password);
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('管理员账号不能在小程序中绑定企业微信');
    expect(await env.t.deps.db.selectFrom('wecom_bindings').selectAll().where('user_id', '=', a.id).execute()).toEqual([]);
    expect((await auditOf('wecom.bind_refused')).find((e) => e.target === a.id)).toMatchObject({ detail: { reason: 'admin_account' } });

    const allowed = await env.t.call({ method: 'PUT', url: '/api/settings/wecom', headers: env.admin.headers, body: { ...(await settingsBody()), allowAdminBinding: true } });
    expect(allowed.status).toBe(200);
    expect(allowed.json.data.allowAdminBinding).toBe(true);
    try {
      const ok = await bind(ticket, a.username, a.password);
      expect(ok.status).toBe(200);
      expect(ok.json.data.user).toMatchObject({ id: a.id, role: 'admin' });
    } finally {
      await env.t.call({ method: 'PUT', url: '/api/settings/wecom', headers: env.admin.headers, body: { ...(await settingsBody()), allowAdminBinding: false } });
    }
  });
});

describe('a viewer who bound themselves and is then made admin', () => {
  it('loses the WeCom session and cannot log in passwordless as admin until an admin matches them', async () => {
    const u = await boundViewer();
    expect((await me(u.wecomToken)).status).toBe(200);
    const promoted = await env.t.call({ method: 'PATCH', url: `/api/users/${u.id}`, headers: env.admin.headers, body: { role: 'admin' } });
    expect(promoted.status).toBe(200);
    expect((await me(u.wecomToken)).status).toBe(401);
    const refused = await login(u.wecomUserid);
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('企业微信匹配');
    expect((await auditOf('wecom.bind_refused')).find((e) => e.target === u.id)).toMatchObject({ detail: { reason: 'admin_account' } });

    // An admin's own match is a deliberate decision, so it logs in.
    await env.t.deps.db.updateTable('wecom_bindings').set({ source: 'manual' }).where('user_id', '=', u.id).execute();
    expect((await login(u.wecomUserid)).json.data).toMatchObject({ status: 'ok', user: { id: u.id, role: 'admin' } });
  });
});

async function settingsBody() {
  const view = (await env.t.call({ method: 'GET', url: '/api/settings/wecom', headers: env.admin.headers })).json.data;
  return { enabled: view.enabled, corpId: view.corpId, appId: view.appId };
}
