import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBinding } from './bindingRepo.js';
import { WecomIntegration } from './WecomIntegration.js';
import { writeWecomSettings } from './wecomSettings.js';
import { nowIso } from '../lib/ids.js';
import { APP_ID, CORP_ID, MP_SECRET, startWecomTestEnv, type WecomTestEnv } from './testing/wecomTestEnv.js';

// The login burst caches the active integration and writes session + audit line together: these
// are what a user or an admin would notice if that went wrong.
let env: WecomTestEnv;
let userId: string;
let username: string;
beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  const u = await env.t.user('viewer', '李四');
  userId = u.id;
  username = u.username;
  await insertBinding(env.t.deps.db, { userId, wecomUserid: 'lisi', source: 'manual', matchedBy: env.admin.id });
});
afterAll(async () => env?.close());

const code = (userid: string) => env.sim.controls.issueLoginCode(userid).code;
const login = (c: string) => env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: c } });

describe('passwordless login hot path', () => {
  it('opens a working session and writes its audit line with the user named', async () => {
    const res = await login(code('lisi'));
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ status: 'ok', user: { id: userId, username } });
    const me = await env.t.call({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${res.json.data.token}` } });
    expect(me.json.data.id).toBe(userId);
    const audit = await env.t.call({ method: 'GET', url: `/api/audit?action=auth.login`, headers: env.admin.headers });
    expect(audit.json.data.items[0]).toMatchObject({ actor: { id: userId }, target: userId, detail: { via: 'wecom', client: 'api', wecomUserid: 'lisi', username } });
    const row = await env.t.deps.db.selectFrom('audit_log').select('target_name').where('action', '=', 'auth.login').where('target', '=', userId).executeTakeFirstOrThrow();
    expect(row.target_name).toContain(username);
  });

  it('a burst of simultaneous logins: each gets its own working session and its own audit line', async () => {
    const before = await env.t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'auth.login').executeTakeFirstOrThrow();
    const results = await Promise.all(Array.from({ length: 25 }, () => login(code('lisi'))));
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
    const tokens = new Set(results.map((r) => r.json.data.token as string));
    expect(tokens.size).toBe(25);
    for (const token of tokens) {
      const me = await env.t.call({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.json.data.id).toBe(userId);
    }
    const after = await env.t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'auth.login').executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(25);
  });

  it('a member disabled in the synced directory is refused though bound', async () => {
    await env.t.deps.db
      .insertInto('wecom_members')
      .values({ userid: 'lisi', name: '李四', mobile: null, email: null, department_ids_json: '[2]', status: 2, left_at: null, synced_at: nowIso() })
      .execute();
    const refused = await login(code('lisi'));
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('停用');
    await env.t.deps.db.updateTable('wecom_members').set({ status: 1 }).where('userid', '=', 'lisi').execute();
    expect((await login(code('lisi'))).status).toBe(200);
  });

  it('a settings change saved here is seen by the very next login', async () => {
    expect((await login(code('lisi'))).status).toBe(200); // the integration is now cached
    await env.configure({ enabled: false });
    const off = await login(code('lisi'));
    expect(off.status).toBe(403);
    expect(off.json.error.message).toContain('企业微信登录未开启');
    await env.configure();
    expect((await login(code('lisi'))).status).toBe(200);
    // A wrong Secret saved here is used at once too (WeCom refuses the token).
    await env.configure({ secret: 'wrong-Secret-0123456789-abcdefghijklmnopq' });
    expect((await login(code('lisi'))).status).toBe(502);
    await env.configure({ secret: MP_SECRET });
    expect((await login(code('lisi'))).status).toBe(200);
  });

  it('a change saved by another instance is seen once the recheck interval has passed', async () => {
    let now = Date.now();
    const other = new WecomIntegration(env.t.deps.db, env.t.deps.secretBox, { baseUrl: env.sim.url, now: () => now, recheckMs: 1000 });
    try {
      expect((await other.active()).corpId).toBe(CORP_ID);
      // Saved through another process: this instance only learns it from the database.
      await writeWecomSettings(env.t.deps.db, { enabled: false, corpId: CORP_ID, appId: APP_ID, secretEnc: env.t.deps.secretBox.encrypt(MP_SECRET) });
      now += 1001;
      await expect(other.active()).rejects.toThrow(/switched off/);
      await writeWecomSettings(env.t.deps.db, { enabled: true, corpId: CORP_ID, appId: APP_ID, secretEnc: env.t.deps.secretBox.encrypt(MP_SECRET) });
      now += 1001;
      expect((await other.active()).appId).toBe(APP_ID);
    } finally {
      await other.close();
    }
  });
});
