import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
const suffix = randomBytes(3).toString('hex');

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin', `auditor_${suffix}`);
});
afterAll(async () => t?.close());

const log = async (query = '') => (await t.call({ method: 'GET', url: `/api/audit?limit=200${query}`, headers: admin.headers })).json.data;
const entry = (page: any, action: string, target: string) => page.items.find((e: any) => e.action === action && e.target === target);
const EMPTY_REPORT = { widgets: [], filters: [] };

describe('the audit log names people and objects', () => {
  it('names the actor, the user acted on and the report, even after the report is deleted and the user removed', async () => {
    const created = await t.call({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      body: { username: `zhang_${suffix}`, displayName: '张三', role: 'viewer', password: 'password-123' },
    });
    const userId = created.json.data.id;
    const report = await t.call({ method: 'POST', url: '/api/reports', headers: admin.headers, body: { name: '月度销售', definition: EMPTY_REPORT } });
    const reportId = report.json.data.id;
    await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: admin.headers, body: { users: [userId], groups: [] } });

    const before = await log();
    expect(entry(before, 'user.create', userId)).toMatchObject({
      actor: { id: admin.id, username: admin.username, displayName: `admin ${admin.username}` },
      targetKind: 'user',
      targetName: `张三 (zhang_${suffix})`,
    });
    expect(entry(before, 'report.create', reportId)).toMatchObject({ targetKind: 'report', targetName: '月度销售' });
    // Ids inside the details come with names too.
    expect(entry(before, 'report.grants.update', reportId).detail.addedUsers).toEqual([userId]);
    expect(before.names[userId]).toBe(`张三 (zhang_${suffix})`);

    // A rename shows on older entries too: the log names the object as it is called now.
    await t.call({ method: 'PUT', url: `/api/reports/${reportId}`, headers: admin.headers, body: { name: '月度销售（新）' } });
    expect(entry(await log(), 'report.create', reportId).targetName).toBe('月度销售（新）');

    await t.call({ method: 'DELETE', url: `/api/reports/${reportId}`, headers: admin.headers });
    await t.deps.db.deleteFrom('users').where('id', '=', userId).execute();
    const after = await log();
    expect(entry(after, 'report.create', reportId)).toMatchObject({ targetKind: 'report', targetName: '月度销售' });
    expect(entry(after, 'report.update', reportId).targetName).toBe('月度销售（新）');
    expect(entry(after, 'report.delete', reportId).targetName).toBe('月度销售（新）');
    expect(entry(after, 'user.create', userId)).toMatchObject({ targetKind: 'user', targetName: `张三 (zhang_${suffix})` });
  });

  it('filters by the actor’s username or name', async () => {
    const other = await t.user('admin', `other_${suffix}`);
    await t.call({ method: 'POST', url: '/api/groups', headers: other.headers, body: { name: `组-${suffix}` } });
    const mine = await log(`&actor=${admin.username.toUpperCase()}`);
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((e: any) => e.actor?.id === admin.id)).toBe(true);
    const theirs = await log(`&actor=${encodeURIComponent(`admin other_${suffix}`)}`);
    expect(theirs.items.map((e: any) => e.action)).toEqual(['group.create']);
    expect(theirs.items[0]).toMatchObject({ targetKind: 'group', targetName: `组-${suffix}` });
  });
});
