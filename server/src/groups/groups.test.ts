import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { newId, nowIso } from '../lib/ids.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: any, headers = admin.headers) =>
  t.call({ method, url, headers, ...(body !== undefined ? { body } : {}) });

describe('groups', () => {
  it('creates, lists with member counts, renames and refuses duplicate names with 409', async () => {
    const a = await call('POST', '/api/groups', { name: '市场部', description: '负责推广' });
    expect(a.status).toBe(200);
    expect(a.json.data).toMatchObject({ name: '市场部', description: '负责推广', memberCount: 0 });
    const b = (await call('POST', '/api/groups', { name: '客服部' })).json.data;
    const dup = await call('POST', '/api/groups', { name: '市场部' });
    expect(dup.status).toBe(409);
    expect(dup.json.error.message).toContain('市场部');
    expect((await call('PATCH', `/api/groups/${b.id}`, { name: '市场部' })).status).toBe(409);
    const renamed = await call('PATCH', `/api/groups/${b.id}`, { name: '客户服务部', description: null });
    expect(renamed.json.data).toMatchObject({ id: b.id, name: '客户服务部', description: null });
    const u1 = await t.user('viewer');
    const u2 = await t.user('viewer');
    const put = await call('PUT', `/api/groups/${a.json.data.id}/members`, { userIds: [u1.id, u2.id, u1.id] });
    expect(put.json.data).toEqual({ memberCount: 2 });
    const editor = await t.user('editor');
    const list = await call('GET', '/api/groups', undefined, editor.headers);
    expect(list.status).toBe(200);
    expect(list.json.data.map((g: any) => [g.name, g.memberCount])).toEqual(
      [
        ['市场部', 2],
        ['客户服务部', 0],
      ].sort((x, y) => ((x[0] as string) < (y[0] as string) ? -1 : 1)),
    );
    const log = (await call('GET', '/api/audit?action=group.')).json.data.items.map((e: any) => e.action);
    expect(log).toEqual(expect.arrayContaining(['group.create', 'group.rename', 'group.members']));
  });

  it('replaces members, lists them, and rejects unknown users with 400', async () => {
    const g = (await call('POST', '/api/groups', { name: '研发部' })).json.data;
    const u1 = await t.user('viewer', 'dev-b');
    const u2 = await t.user('viewer', 'dev-a');
    await call('PUT', `/api/groups/${g.id}/members`, { userIds: [u1.id, u2.id] });
    const members = await call('GET', `/api/groups/${g.id}/members`);
    expect(members.json.data).toEqual([
      { id: u2.id, username: 'dev-a', displayName: 'viewer dev-a', status: 'active' },
      { id: u1.id, username: 'dev-b', displayName: 'viewer dev-b', status: 'active' },
    ]);
    await call('PUT', `/api/groups/${g.id}/members`, { userIds: [u2.id] });
    expect((await call('GET', `/api/groups/${g.id}/members`)).json.data.map((m: any) => m.id)).toEqual([u2.id]);
    const bad = await call('PUT', `/api/groups/${g.id}/members`, { userIds: [u1.id, 'ghost'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('ghost');
    expect((await call('GET', `/api/groups/${g.id}/members`)).json.data.map((m: any) => m.id)).toEqual([u2.id]);
    const view = await t.call({ method: 'GET', url: `/api/users/${u2.id}`, headers: admin.headers });
    expect(view.json.data.groups).toEqual([{ id: g.id, name: '研发部' }]);
  });

  it('deleting a group removes its members and its report grants, nothing else', async () => {
    const g = (await call('POST', '/api/groups', { name: '临时组' })).json.data;
    const other = (await call('POST', '/api/groups', { name: '保留组' })).json.data;
    const u = await t.user('viewer');
    await call('PUT', `/api/groups/${g.id}/members`, { userIds: [u.id] });
    await call('PUT', `/api/groups/${other.id}/members`, { userIds: [u.id] });
    const reportId = newId();
    const db = t.deps.db;
    await db
      .insertInto('reports')
      .values({ id: reportId, name: 'r', description: null, definition_json: '{"widgets":[],"filters":[]}', created_by: null, created_at: nowIso(), updated_at: nowIso() })
      .execute();
    await db
      .insertInto('report_grants')
      .values([
        { report_id: reportId, subject_type: 'group', subject_id: g.id, created_at: nowIso() },
        { report_id: reportId, subject_type: 'group', subject_id: other.id, created_at: nowIso() },
        { report_id: reportId, subject_type: 'user', subject_id: u.id, created_at: nowIso() },
      ])
      .execute();
    const del = await call('DELETE', `/api/groups/${g.id}`);
    expect(del.status).toBe(200);
    expect((await call('GET', `/api/groups/${g.id}/members`)).status).toBe(404);
    expect((await call('DELETE', `/api/groups/${g.id}`)).status).toBe(404);
    const grants = await db.selectFrom('report_grants').select(['subject_type', 'subject_id']).where('report_id', '=', reportId).execute();
    expect(grants.map((x) => x.subject_id).sort()).toEqual([other.id, u.id].sort());
    expect(await db.selectFrom('group_members').select('group_id').where('user_id', '=', u.id).execute()).toEqual([{ group_id: other.id }]);
    const log = (await call('GET', '/api/audit?action=group.delete')).json.data.items[0];
    expect(log.detail).toMatchObject({ name: '临时组', members: 1, grants: 1 });
  });

  it('answers 400 for bad input and 404 for unknown groups', async () => {
    expect((await call('POST', '/api/groups', { name: '' })).status).toBe(400);
    expect((await call('POST', '/api/groups', { name: 'x'.repeat(65) })).status).toBe(400);
    expect((await call('PATCH', '/api/groups/nope', { name: 'y' })).status).toBe(404);
    expect((await call('PUT', '/api/groups/nope/members', { userIds: [] })).status).toBe(404);
  });
});
