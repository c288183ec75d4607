import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('login and sessions', () => {
  it('logs in with a cookie that is HttpOnly and SameSite, and /me answers', async () => {
    const u = await t.user('viewer');
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/shulan_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(res.json().data.token).toBeUndefined();
    const cookie = setCookie.split(';')[0]!;
    const me = await t.call({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json.data.username).toBe(u.username);
  });

  it('gives API clients a bearer token', async () => {
    const u = await t.user('viewer');
    const res = await t.call({ method: 'POST', url: '/api/auth/login', body: { username: u.username, password: u.password, mode: 'token' } });
    expect(res.status).toBe(200);
    const me = await t.call({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${res.json.data.token}` } });
    expect(me.json.data.id).toBe(u.id);
  });

  it('refuses a wrong password with a readable message, in Chinese by default and English on request', async () => {
    const u = await t.user('viewer');
    const zh = await t.call({ method: 'POST', url: '/api/auth/login', body: { username: u.username, password: 'nope' } });
    expect(zh.status).toBe(401);
    expect(zh.json.error.message).toBe('用户名或密码错误');
    const en = await t.call({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
      body: { username: u.username, password: 'nope' },
    });
    expect(en.json.error.message).toBe('Wrong username or password');
  });

  it('locks a username after 10 failures, even for the right password', async () => {
    const u = await t.user('viewer');
    for (let i = 0; i < 10; i++) {
      await t.call({ method: 'POST', url: '/api/auth/login', body: { username: u.username, password: 'wrong' } });
    }
    const res = await t.call({ method: 'POST', url: '/api/auth/login', body: { username: u.username, password: u.password } });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('refuses cookie-authenticated writes without the anti-CSRF header', async () => {
    const u = await t.user('viewer');
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const bad = await t.call({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(bad.status).toBe(403);
    const good = await t.call({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-requested-with': 'shulan' } });
    expect(good.status).toBe(200);
    const me = await t.call({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.status).toBe(401);
  });

  it('logout-all ends sessions on every device', async () => {
    const u = await t.user('viewer');
    const a = await t.call({ method: 'POST', url: '/api/auth/login', body: { username: u.username, password: u.password, mode: 'token' } });
    const b = await t.call({ method: 'POST', url: '/api/auth/login', body: { username: u.username, password: u.password, mode: 'token' } });
    const ha = { authorization: `Bearer ${a.json.data.token}` };
    const hb = { authorization: `Bearer ${b.json.data.token}` };
    expect((await t.call({ method: 'POST', url: '/api/auth/logout-all', headers: ha })).status).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/auth/me', headers: hb })).status).toBe(401);
  });

  it('stores only a hash of the session token', async () => {
    const u = await t.user('viewer');
    const res = await t.call({ method: 'POST', url: '/api/auth/login', body: { username: u.username, password: u.password, mode: 'token' } });
    const rows = await t.deps.db.selectFrom('sessions').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === res.json.data.token)).toBe(false);
    const users = await t.deps.db.selectFrom('users').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(users.password_hash).toMatch(/^\$argon2id\$/);
  });
});
