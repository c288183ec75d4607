import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
});
afterAll(async () => t?.close());

const create = (body: Record<string, unknown>, headers = admin.headers) => t.call({ method: 'POST', url: '/api/users', headers, body });
const patch = (id: string, body: Record<string, unknown>, headers = admin.headers) =>
  t.call({ method: 'PATCH', url: `/api/users/${id}`, headers, body });
const login = async (username: string, password: string) => {
  const res = await t.call({ method: 'POST', url: '/api/auth/login', body: { username, password, mode: 'token' } });
  return res.status === 200 ? { authorization: `Bearer ${res.json.data.token}` } : null;
};
const me = (headers: Record<string, string>) => t.call({ method: 'GET', url: '/api/auth/me', headers });

describe('users', () => {
  it('creates a user who can log in, and shows it with groups and an empty WeCom identity', async () => {
    const g = await t.call({ method: 'POST', url: '/api/groups', headers: admin.headers, body: { name: '销售部' } });
    const res = await create({ username: 'Li.Lei', displayName: '李雷', mobile: '13800138000', email: 'li@example.com', role: 'editor', password: 'secret-pass-1', groupIds: [g.json.data.id] });
    expect(res.status).toBe(200);
    const u = res.json.data;
    expect(u).toMatchObject({ username: 'Li.Lei', displayName: '李雷', mobile: '13800138000', role: 'editor', status: 'active', wecom: null });
    expect(u.groups).toEqual([{ id: g.json.data.id, name: '销售部' }]);
    expect(JSON.stringify(u)).not.toMatch(/secret-pass|argon/);
    expect(await login('li.lei', 'secret-pass-1')).not.toBeNull();
    const got = await t.call({ method: 'GET', url: `/api/users/${u.id}`, headers: admin.headers });
    expect(got.json.data).toEqual(u);
  });

  it('refuses a duplicate username regardless of case with 409', async () => {
    await create({ username: 'hanmeimei', displayName: '韩梅梅', password: 'secret-pass-1' });
    const dup = await create({ username: 'HanMeiMei', displayName: '另一个', password: 'secret-pass-1' });
    expect(dup.status).toBe(409);
    expect(dup.json.error.message).toContain('HanMeiMei');
    // Two admins at the same moment: one wins, the other gets 409, not a 500.
    const both = await Promise.all([
      create({ username: 'twin', displayName: 'A', password: 'secret-pass-1' }),
      create({ username: 'TWIN', displayName: 'B', password: 'secret-pass-1' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('answers 400 with a message for bad input and unknown groups, 404 for an unknown user', async () => {
    const bad = await create({ username: '有空格 的名字', displayName: 'x', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/输入有误/);
    const extra = await create({ username: 'extra1', displayName: 'x', password: 'secret-pass-1', isRoot: true });
    expect(extra.status).toBe(400);
    const noGroup = await create({ username: 'nogroup', displayName: 'x', password: 'secret-pass-1', groupIds: ['nope'] });
    expect(noGroup.status).toBe(400);
    expect(noGroup.json.error.message).toContain('nope');
    expect((await t.call({ method: 'GET', url: '/api/users/nope', headers: admin.headers })).status).toBe(404);
    expect((await patch('nope', { displayName: 'x' })).status).toBe(404);
  });

  it('updates profile, role and groups, and records each change in the audit log', async () => {
    const u = (await create({ username: 'wang', displayName: '王', password: 'secret-pass-1' })).json.data;
    const g = (await t.call({ method: 'POST', url: '/api/groups', headers: admin.headers, body: { name: '财务部' } })).json.data;
    const res = await patch(u.id, { displayName: '王五', mobile: null, email: 'w@example.com', role: 'editor', groupIds: [g.id] });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ displayName: '王五', email: 'w@example.com', role: 'editor', groups: [{ id: g.id, name: '财务部' }] });
    const log = await t.call({ method: 'GET', url: '/api/audit?action=user.', headers: admin.headers });
    const forU = log.json.data.items.filter((e: any) => e.target === u.id).map((e: any) => e.action);
    expect(forU).toEqual(expect.arrayContaining(['user.create', 'user.update', 'user.role_change']));
    const role = log.json.data.items.find((e: any) => e.target === u.id && e.action === 'user.role_change');
    expect(role.detail).toMatchObject({ from: 'viewer', to: 'editor' });
    expect(role.actor).toEqual({ id: admin.id, username: admin.username, displayName: `admin ${admin.username}` });
  });

  it('disabling a user ends their sessions at once; enabling lets them log in again', async () => {
    await create({ username: 'zhao', displayName: '赵', password: 'secret-pass-1' });
    const h = (await login('zhao', 'secret-pass-1'))!;
    expect((await me(h)).status).toBe(200);
    const id = (await me(h)).json.data.id;
    expect((await patch(id, { status: 'disabled' })).json.data.status).toBe('disabled');
    expect((await me(h)).status).toBe(401);
    expect(await login('zhao', 'secret-pass-1')).toBeNull();
    const sessions = await t.deps.db.selectFrom('sessions').select('token_hash').where('user_id', '=', id).execute();
    expect(sessions).toEqual([]);
    await patch(id, { status: 'active' });
    expect(await login('zhao', 'secret-pass-1')).not.toBeNull();
    const log = await t.call({ method: 'GET', url: '/api/audit?action=user.', headers: admin.headers });
    const actions = log.json.data.items.filter((e: any) => e.target === id).map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disable', 'user.enable']));
  });

  it('a password reset by an admin ends sessions and only the new password works', async () => {
    await create({ username: 'qian', displayName: '钱', password: 'secret-pass-1' });
    const h = (await login('qian', 'secret-pass-1'))!;
    const id = (await me(h)).json.data.id;
    expect((await patch(id, { password: 'brand-new-pass' })).status).toBe(200);
    expect((await me(h)).status).toBe(401);
    expect(await login('qian', 'secret-pass-1')).toBeNull();
    expect(await login('qian', 'brand-new-pass')).not.toBeNull();
    const log = await t.call({ method: 'GET', url: '/api/audit?action=user.password_reset', headers: admin.headers });
    expect(log.json.data.items.some((e: any) => e.target === id)).toBe(true);
    expect(JSON.stringify(log.json)).not.toContain('brand-new-pass');
  });

  it('logout-all ends every session of a user', async () => {
    await create({ username: 'sun', displayName: '孙', password: 'secret-pass-1' });
    const a = (await login('sun', 'secret-pass-1'))!;
    const b = (await login('sun', 'secret-pass-1'))!;
    const id = (await me(a)).json.data.id;
    const res = await t.call({ method: 'POST', url: `/api/users/${id}/logout-all`, headers: admin.headers });
    expect(res.json.data.closed).toBe(2);
    expect((await me(a)).status).toBe(401);
    expect((await me(b)).status).toBe(401);
  });

  it('protects the last active admin from being disabled or demoted (409), but not when another admin exists', async () => {
    const t2 = await createTestApp();
    try {
      const only = await t2.user('admin');
      const demote = await t2.call({ method: 'PATCH', url: `/api/users/${only.id}`, headers: only.headers, body: { role: 'editor' } });
      expect(demote.status).toBe(409);
      expect(demote.json.error.message).toMatch(/最后一位/);
      const disable = await t2.call({
        method: 'PATCH',
        url: `/api/users/${only.id}`,
        headers: { ...only.headers, 'accept-language': 'en' },
        body: { status: 'disabled' },
      });
      expect(disable.status).toBe(409);
      expect(disable.json.error.message).toMatch(/last active administrator/);
      // A disabled admin does not count.
      const off = await t2.user('admin');
      await t2.call({ method: 'PATCH', url: `/api/users/${off.id}`, headers: only.headers, body: { status: 'disabled' } });
      expect((await t2.call({ method: 'PATCH', url: `/api/users/${only.id}`, headers: only.headers, body: { role: 'viewer' } })).status).toBe(409);
      const second = await t2.user('admin');
      const ok = await t2.call({ method: 'PATCH', url: `/api/users/${only.id}`, headers: second.headers, body: { role: 'editor' } });
      expect(ok.status).toBe(200);
      expect(ok.json.data.role).toBe('editor');
    } finally {
      await t2.close();
    }
  });

  it('offers up to 50 active users for grant pickers to editors', async () => {
    const editor = await t.user('editor');
    const res = await t.call({ method: 'GET', url: '/api/users/options?q=li', headers: editor.headers });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual([expect.objectContaining({ username: 'Li.Lei', displayName: '李雷' })]);
    expect(Object.keys(res.json.data[0]).sort()).toEqual(['displayName', 'id', 'username']);
    const byName = await t.call({ method: 'GET', url: `/api/users/options?q=${encodeURIComponent('韩')}`, headers: editor.headers });
    expect(byName.json.data.map((u: any) => u.username)).toEqual(['hanmeimei']);
    // zhao was re-enabled; a disabled user is not offered.
    const zhao = (await t.call({ method: 'GET', url: '/api/users/options?q=zhao', headers: editor.headers })).json.data[0];
    await patch(zhao.id, { status: 'disabled' });
    expect((await t.call({ method: 'GET', url: '/api/users/options?q=zhao', headers: editor.headers })).json.data).toEqual([]);
    const all = await t.call({ method: 'GET', url: '/api/users/options', headers: editor.headers });
    expect(all.json.data.length).toBeLessThanOrEqual(50);
    expect((await t.call({ method: 'GET', url: '/api/users/options?q=%25', headers: editor.headers })).json.data).toEqual([]);
  });
});

describe('site info', () => {
  it('is public and tells the version and that WeCom login is off', async () => {
    const res = await t.call({ method: 'GET', url: '/api/site' });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ name: '数览 Shulan', version: expect.stringMatching(/^\d+\.\d+\.\d+/), wecomLogin: false, watermark: true, orgName: '' });
  });
});

describe('audit log', () => {
  it('pages newest first and filters by action prefix', async () => {
    const all = await t.call({ method: 'GET', url: '/api/audit?limit=5', headers: admin.headers });
    expect(all.status).toBe(200);
    expect(all.json.data.items).toHaveLength(5);
    expect(all.json.data.total).toBeGreaterThan(5);
    const ats = all.json.data.items.map((e: any) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const next = await t.call({ method: 'GET', url: '/api/audit?limit=5&offset=5', headers: admin.headers });
    expect(next.json.data.items[0].id).not.toBe(all.json.data.items[4].id);
    const groups = await t.call({ method: 'GET', url: '/api/audit?action=group.', headers: admin.headers });
    expect(groups.json.data.items.length).toBeGreaterThan(0);
    expect(groups.json.data.items.every((e: any) => e.action.startsWith('group.'))).toBe(true);
    const none = await t.call({ method: 'GET', url: '/api/audit?action=user_', headers: admin.headers });
    expect(none.json.data.total).toBe(0);
  });
});

describe('only admins', () => {
  it('viewer and editor get 403 on every admin route of users, groups, personnel and audit', async () => {
    const anyUser = (await t.call({ method: 'GET', url: '/api/personnel?limit=1', headers: admin.headers })).json.data.items[0].id;
    const group = (await t.call({ method: 'POST', url: '/api/groups', headers: admin.headers, body: { name: '权限测试组' } })).json.data.id;
    const adminRoutes: [string, string, unknown?][] = [
      ['GET', '/api/personnel'],
      ['POST', '/api/users', { username: 'x1', displayName: 'x', password: 'secret-pass-1' }],
      ['GET', `/api/users/${anyUser}`],
      ['PATCH', `/api/users/${anyUser}`, { displayName: 'hacked' }],
      ['POST', `/api/users/${anyUser}/logout-all`],
      ['POST', '/api/users/import'],
      ['POST', '/api/groups', { name: 'x' }],
      ['PATCH', `/api/groups/${group}`, { name: 'y' }],
      ['DELETE', `/api/groups/${group}`],
      ['GET', `/api/groups/${group}/members`],
      ['PUT', `/api/groups/${group}/members`, { userIds: [] }],
      ['GET', '/api/audit'],
    ];
    for (const role of ['viewer', 'editor'] as const) {
      const u = await t.user(role);
      for (const [method, url, body] of adminRoutes) {
        const res = await t.call({ method: method as any, url, headers: u.headers, ...(body ? { body } : {}) });
        expect(res.status, `${role} ${method} ${url}`).toBe(403);
      }
    }
    const viewer = await t.user('viewer');
    expect((await t.call({ method: 'GET', url: '/api/groups', headers: viewer.headers })).status).toBe(403);
    expect((await t.call({ method: 'GET', url: '/api/users/options', headers: viewer.headers })).status).toBe(403);
    expect((await t.call({ method: 'GET', url: '/api/personnel' })).status).toBe(401);
  });
});
