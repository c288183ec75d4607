import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';

// Counts every argon2 verification the server runs, whoever calls it.
const verifications = vi.hoisted(() => ({ n: 0 }));
vi.mock('./passwords.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('./passwords.js')>();
  return {
    ...orig,
    verifyPassword: (stored: string | null, plain: string) => {
      verifications.n++;
      return orig.verifyPassword(stored, plain);
    },
  };
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const login = (username: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  t.call({ method: 'POST', url: '/api/auth/login', remoteAddress, headers, body: { username, password, mode: 'token' } });

const statuses = (rs: { status: number }[]) => rs.map((r) => r.status).sort();
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

async function auditOf(action: string, app = t) {
  const admin = await app.user('admin');
  const res = await app.call({ method: 'GET', url: `/api/audit?action=${action}&limit=200`, headers: admin.headers });
  return res.json.data.items as { action: string; actor: { id: string } | null; target: string | null; detail: Record<string, unknown> }[];
}

describe('login limits under concurrency', () => {
  it('sixty concurrent wrong passwords run at most ten password checks, then even the right one waits', async () => {
    const u = await t.user('viewer');
    verifications.n = 0;
    const res = await Promise.all(times(60, () => login(u.username, 'wrong-password', '10.1.0.1')));
    expect(verifications.n).toBe(10);
    expect(statuses(res)).toEqual([...times(10, () => 401), ...times(50, () => 429)]);
    const right = await login(u.username, u.password, '10.1.0.1');
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(verifications.n).toBe(10);
  });

  it('sixty concurrent wrong current passwords on change-password run at most ten checks', async () => {
    const u = await t.user('viewer');
    const change = (currentPassword: string) =>
      t.call({ method: 'POST', url: '/api/auth/password', remoteAddress: '10.2.0.1', headers: u.headers, body: { currentPassword, newPassword: 'a-new-password-1' } });
    verifications.n = 0;
    const res = await Promise.all(times(60, () => change('wrong-password')));
    expect(verifications.n).toBe(10);
    expect(statuses(res)).toEqual([...times(10, () => 400), ...times(50, () => 429)]);
    expect((await change(u.password)).status).toBe(429);
    // The same lock guards the login page.
    expect((await login(u.username, u.password, '10.2.0.1')).status).toBe(429);
  });

  it('a right password gives its attempt back and forgives earlier mistakes from that address', async () => {
    const u = await t.user('viewer');
    for (let i = 0; i < 9; i++) expect((await login(u.username, 'wrong', '10.7.0.1')).status).toBe(401);
    expect((await login(u.username, u.password, '10.7.0.1')).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login(u.username, 'wrong', '10.7.0.1')).status).toBe(401);
    expect((await login(u.username, u.password, '10.7.0.1')).status).toBe(200);
  });
});

describe('who gets locked', () => {
  it('ten failures from one address do not lock the right password out from another', async () => {
    const u = await t.user('admin');
    await Promise.all(times(10, () => login(u.username, 'wrong', '10.3.0.1')));
    expect((await login(u.username, u.password, '10.3.0.1')).status).toBe(429);
    expect((await login(u.username, u.password, '10.3.0.2')).status).toBe(200);
  });

  it('failures spread over many addresses reach the slower per-user limit; an admin reset lifts it', async () => {
    const u = await t.user('viewer');
    for (let ip = 0; ip < 10; ip++) {
      const res = await Promise.all(times(10, () => login(u.username, 'wrong', `10.4.1.${ip}`)));
      expect(statuses(res)).toEqual(times(10, () => 401));
    }
    const fresh = await login(u.username, u.password, '10.4.2.1');
    expect(fresh.status).toBe(429);
    expect(Number(fresh.headers['retry-after'])).toBeGreaterThan(15 * 60);

    const admin = await t.user('admin');
    const reset = await t.call({ method: 'PATCH', url: `/api/users/${u.id}`, headers: admin.headers, body: { password: 'reset-by-admin-1' } });
    expect(reset.status).toBe(200);
    expect((await login(u.username, 'reset-by-admin-1', '10.4.1.0')).status).toBe(200);
  });

  it('one address trying many usernames is stopped by the per-address limit', async () => {
    const u = await t.user('viewer');
    const res = await Promise.all(times(50, (i) => login(`nobody-${i}`, 'guess', '10.5.0.1')));
    expect(statuses(res)).toEqual(times(50, () => 401));
    expect((await login(u.username, u.password, '10.5.0.1')).status).toBe(429);
    expect((await login(u.username, u.password, '10.5.0.2')).status).toBe(200);
  });
});

describe('X-Forwarded-For', () => {
  it('is ignored by default: rotating it neither escapes the per-address limit nor changes the logged address', async () => {
    const u = await t.user('viewer');
    const res = await Promise.all(times(50, (i) => login(`ghost-${i}`, 'guess', '10.6.0.1', { 'x-forwarded-for': `203.0.113.${i}` })));
    expect(statuses(res)).toEqual(times(50, () => 401));
    expect((await login(u.username, u.password, '10.6.0.1', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);

    expect((await login(u.username, u.password, '10.6.0.2', { 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
    const entry = (await auditOf('auth.login')).find((e) => e.detail.username === u.username);
    expect(entry?.detail.ip).toBe('10.6.0.2');
  });

  it('is honoured from SHULAN_TRUSTED_PROXIES only', async () => {
    const p = await createTestApp({ trustedProxies: ['127.0.0.1'] });
    try {
      const u = await p.user('viewer');
      const via = (remoteAddress: string, xff: string, password: string) =>
        p.call({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { 'x-forwarded-for': xff }, body: { username: u.username, password, mode: 'token' } });

      // Behind the trusted proxy, each client has its own lock.
      for (let i = 0; i < 10; i++) expect((await via('127.0.0.1', '203.0.113.20', 'wrong')).status).toBe(401);
      expect((await via('127.0.0.1', '203.0.113.20', u.password)).status).toBe(429);
      expect((await via('127.0.0.1', '203.0.113.21', u.password)).status).toBe(200);
      // Anyone else's header is ignored, so rotating it does not escape the lock.
      for (let i = 0; i < 10; i++) expect((await via('10.8.0.1', `203.0.113.${100 + i}`, 'wrong')).status).toBe(401);
      expect((await via('10.8.0.1', '203.0.113.200', u.password)).status).toBe(429);

      const ips = (await auditOf('auth.', p)).filter((e) => e.detail.username === u.username).map((e) => e.detail.ip);
      expect(new Set(ips)).toEqual(new Set(['203.0.113.20', '203.0.113.21', '10.8.0.1']));
    } finally {
      await p.close();
    }
  });
});

describe('audit log', () => {
  it('records logins, failures (without the password), lockouts, password changes and resets', async () => {
    const u = await t.user('viewer');
    const admin = await t.user('admin');
    expect((await login(u.username, u.password, '10.9.0.1')).status).toBe(200);
    for (let i = 0; i < 10; i++) await login(u.username, 'Secret-Guess-42', '10.9.0.2');
    await login('no-such-user', 'Secret-Guess-42', '10.9.0.3');
    const changed = await t.call({
      method: 'POST',
      url: '/api/auth/password',
      remoteAddress: '10.9.0.1',
      headers: u.headers,
      body: { currentPassword: u.password, newPassword: 'changed-password-1' },
    });
    expect(changed.status).toBe(200);
    await t.call({ method: 'PATCH', url: `/api/users/${u.id}`, headers: admin.headers, body: { password: 'reset-password-1' } });

    const res = await t.call({ method: 'GET', url: '/api/audit?limit=200', headers: admin.headers });
    expect(res.status).toBe(200);
    const items = res.json.data.items as { action: string; actor: { id: string } | null; target: string | null; detail: Record<string, unknown> }[];
    expect(JSON.stringify(items)).not.toContain('Secret-Guess-42');
    const mine = (action: string) => items.filter((e) => e.action === action && e.detail.username === u.username);

    expect(mine('auth.login')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: u.id }), target: u.id, detail: expect.objectContaining({ ip: '10.9.0.1', via: 'password' }) }),
    ]);
    const failed = mine('auth.login_failed');
    expect(failed).toHaveLength(10);
    expect(failed[0]).toMatchObject({ target: u.id, detail: { ip: '10.9.0.2', reason: 'wrong_password', via: 'login' } });
    expect(items.find((e) => e.action === 'auth.login_failed' && e.detail.username === 'no-such-user')).toMatchObject({
      target: null,
      detail: { ip: '10.9.0.3', reason: 'unknown_user' },
    });
    expect(mine('auth.locked')).toEqual([expect.objectContaining({ target: u.id, detail: expect.objectContaining({ scope: 'user_ip', ip: '10.9.0.2' }) })]);
    expect(mine('user.password_changed')).toEqual([expect.objectContaining({ actor: expect.objectContaining({ id: u.id }), target: u.id })]);
    expect(mine('user.password_reset')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: admin.id }), target: u.id, detail: expect.objectContaining({ by: 'admin' }) }),
    ]);
  });
});
