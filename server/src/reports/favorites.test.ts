import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
let viewer: Awaited<ReturnType<TestApp['user']>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  viewer = await t.user('viewer');
  for (const name of ['月报', '周报', '机密']) {
    const res = await t.call({ method: 'POST', url: '/api/reports', headers: admin.headers, body: { name, definition: { widgets: [], filters: [] } } });
    ids[name] = res.json.data.id;
  }
  for (const name of ['月报', '周报']) {
    await t.call({ method: 'PUT', url: `/api/reports/${ids[name]}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } });
  }
});
afterAll(async () => t?.close());

const star = (h: Record<string, string>, id: string, on = true) =>
  t.call({ method: on ? 'PUT' : 'DELETE', url: `/api/reports/${id}/favorite`, headers: h });
const favorites = async (h: Record<string, string>) => {
  const res = await t.call({ method: 'GET', url: '/api/favorites', headers: h });
  expect(res.status).toBe(200);
  return res.json.data.items.map((r: { name: string }) => r.name);
};

describe('favorites', () => {
  it('stars and unstars, most recent first, per user, shown on the report', async () => {
    expect(await favorites(viewer.headers)).toEqual([]);
    expect((await star(viewer.headers, ids['月报']!)).json.data).toEqual({ favorite: true });
    // Starred earlier than the next one, whatever the clock's resolution.
    await t.deps.db.updateTable('report_favorites').set({ created_at: '2020-01-01T00:00:00.000Z' }).where('report_id', '=', ids['月报']!).execute();
    expect((await star(viewer.headers, ids['周报']!)).status).toBe(200);
    expect((await star(viewer.headers, ids['周报']!)).status).toBe(200); // twice is fine
    expect(await favorites(viewer.headers)).toEqual(['周报', '月报']);
    expect(await favorites(admin.headers)).toEqual([]);

    const detail = await t.call({ method: 'GET', url: `/api/reports/${ids['月报']}`, headers: viewer.headers });
    expect(detail.json.data.favorite).toBe(true);
    expect((await t.call({ method: 'GET', url: `/api/reports/${ids['月报']}`, headers: admin.headers })).json.data.favorite).toBe(false);

    expect((await star(viewer.headers, ids['月报']!, false)).json.data).toEqual({ favorite: false });
    expect(await favorites(viewer.headers)).toEqual(['周报']);
  });

  it('cannot star a report the user may not see', async () => {
    expect((await star(viewer.headers, ids['机密']!)).status).toBe(403);
    expect((await star(viewer.headers, 'no-such-report')).status).toBe(404);
    expect(await favorites(viewer.headers)).not.toContain('机密');
  });

  it('hides a starred report once its grant is revoked, and shows it again when granted back', async () => {
    const other = await t.user('viewer');
    await t.call({ method: 'PUT', url: `/api/reports/${ids['月报']}/grants`, headers: admin.headers, body: { users: [viewer.id, other.id], groups: [] } });
    await star(other.headers, ids['月报']!);
    expect(await favorites(other.headers)).toEqual(['月报']);
    await t.call({ method: 'PUT', url: `/api/reports/${ids['月报']}/grants`, headers: admin.headers, body: { users: [viewer.id], groups: [] } });
    expect(await favorites(other.headers)).toEqual([]);
    await t.call({ method: 'PUT', url: `/api/reports/${ids['月报']}/grants`, headers: admin.headers, body: { users: [viewer.id, other.id], groups: [] } });
    expect(await favorites(other.headers)).toEqual(['月报']);
  });

  it('drops the stars of a deleted report', async () => {
    await star(admin.headers, ids['机密']!);
    expect(await favorites(admin.headers)).toEqual(['机密']);
    await t.call({ method: 'DELETE', url: `/api/reports/${ids['机密']}`, headers: admin.headers });
    expect(await favorites(admin.headers)).toEqual([]);
    const rows = await t.deps.db.selectFrom('report_favorites').selectAll().where('report_id', '=', ids['机密']!).execute();
    expect(rows).toEqual([]);
  });
});
