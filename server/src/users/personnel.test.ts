import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';

const N = 100_000;
const CHUNK = 1000;
let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
const groupA = 'group-a';
const groupB = 'group-b';

// created_at is 2026-01-01 plus i seconds, so the expected order is the insertion order.
const createdAt = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
const pad = (i: number) => String(i).padStart(6, '0');

beforeAll(async () => {
  t = await createTestApp();
  const db = t.deps.db;
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('groups').values([
      { id: groupA, name: 'A 组', description: null, created_at: createdAt(0) },
      { id: groupB, name: 'B 组', description: null, created_at: createdAt(0) },
    ]).execute();
    for (let start = 0; start < N; start += CHUNK) {
      const users = [];
      const members = [];
      const bindings = [];
      for (let i = start; i < start + CHUNK; i++) {
        users.push({
          id: `u${pad(i)}`,
          username: `user${pad(i)}`,
          username_key: `user${pad(i)}`,
          // Every 1000th user is a 张; one user has a wildcard in the name.
          display_name: i === 4242 ? '100%_真' : i % 1000 === 7 ? `张${pad(i)}` : `员工${pad(i)}`,
          mobile: `139${String(i).padStart(8, '0')}`,
          email: i % 2 === 0 ? `user${pad(i)}@example.com` : null,
          role: i % 10 === 0 ? ('editor' as const) : ('viewer' as const),
          status: i % 3 === 0 ? ('disabled' as const) : ('active' as const),
          password_hash: 'x',
          created_at: createdAt(i),
          updated_at: createdAt(i),
        });
        if (i % 5 === 0) members.push({ group_id: groupA, user_id: `u${pad(i)}` });
        // Every 4th user (from u000001) is matched with a WeCom member.
        if (i % 4 === 1) bindings.push({ user_id: `u${pad(i)}`, wecom_userid: `wm${pad(i)}`, source: 'name' as const, matched_at: createdAt(i), matched_by: null });
        if (i % 10 === 0) members.push({ group_id: groupB, user_id: `u${pad(i)}` });
      }
      await trx.insertInto('users').values(users).execute();
      await trx.insertInto('group_members').values(members).execute();
      await trx.insertInto('wecom_bindings').values(bindings).execute();
    }
  });
  // Created after the seed, so it sorts last.
  admin = await t.user('admin', 'zz-admin');
}, 120_000);
afterAll(async () => t?.close());

const page = async (qs: string) => {
  const res = await t.call({ method: 'GET', url: `/api/personnel?${qs}`, headers: admin.headers });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data as { items: any[]; total: number };
};

describe('personnel list with 100k users', () => {
  it('pages everyone in creation order with their groups', async () => {
    const first = await page('limit=3');
    expect(first.total).toBe(N + 1);
    expect(first.items.map((u) => u.username)).toEqual(['user000000', 'user000001', 'user000002']);
    expect(first.items[0]).toMatchObject({
      id: 'u000000',
      displayName: '员工000000',
      mobile: '13900000000',
      email: 'user000000@example.com',
      role: 'editor',
      status: 'disabled',
      wecom: null,
    });
    expect(first.items[0].groups).toEqual([
      { id: groupA, name: 'A 组' },
      { id: groupB, name: 'B 组' },
    ]);
    expect(first.items[1].groups).toEqual([]);
    const deep = await page('limit=200&offset=50000');
    expect(deep.items).toHaveLength(200);
    expect(deep.items[0].username).toBe('user050000');
    expect(deep.items[199].username).toBe('user050199');
    expect(deep.items[5].groups).toEqual([{ id: groupA, name: 'A 组' }]);
    const last = await page(`limit=50&offset=${N}`);
    expect(last.items.map((u) => u.username)).toEqual(['zz-admin']);
  });

  it('searches by username, name, mobile and email prefix', async () => {
    const byUsername = await page('q=USER01234');
    expect(byUsername.total).toBe(10);
    expect(byUsername.items[0].username).toBe('user012340');
    const byName = await page(`q=${encodeURIComponent('张')}&limit=5`);
    expect(byName.total).toBe(100);
    expect(byName.items.map((u) => u.displayName)).toEqual(['张000007', '张001007', '张002007', '张003007', '张004007']);
    const byMobile = await page('q=1390009999');
    expect(byMobile.items.map((u) => u.username)).toEqual(['user099990', 'user099991', 'user099992', 'user099993', 'user099994', 'user099995', 'user099996', 'user099997', 'user099998', 'user099999']);
    const byEmail = await page(`q=${encodeURIComponent('user099998@')}`);
    expect(byEmail.items.map((u) => u.username)).toEqual(['user099998']);
    // Not a substring search: the middle of a mobile number does not match.
    expect((await page('q=00099999')).total).toBe(0);
  });

  it('treats % and _ in the search literally', async () => {
    expect((await page('q=%25')).total).toBe(0);
    expect((await page('q=_')).total).toBe(0);
    const literal = await page(`q=${encodeURIComponent('100%_')}`);
    expect(literal.items.map((u) => u.username)).toEqual(['user004242']);
  });

  it('filters by status, role and group, combined with search and paging', async () => {
    const disabled = await page('status=disabled&limit=2');
    expect(disabled.total).toBe(Math.ceil(N / 3));
    expect(disabled.items.map((u) => u.username)).toEqual(['user000000', 'user000003']);
    const editors = await page('role=editor&status=active&limit=2&offset=1');
    // i % 10 === 0 and i % 3 !== 0: 10, 20, 40, 50, ...
    expect(editors.total).toBe(N / 10 - Math.ceil(N / 30));
    expect(editors.items.map((u) => u.username)).toEqual(['user000020', 'user000040']);
    const inA = await page(`groupId=${groupA}&limit=3`);
    expect(inA.total).toBe(N / 5);
    expect(inA.items.map((u) => u.username)).toEqual(['user000000', 'user000005', 'user000010']);
    const combined = await page(`groupId=${groupB}&q=user0001&status=active`);
    // user000100..user000199, i % 10 === 0 and i % 3 !== 0: 100, 110, 130, 140, 160, 170, 190
    expect(combined.items.map((u) => u.username)).toEqual(['user000100', 'user000110', 'user000130', 'user000140', 'user000160', 'user000170', 'user000190']);
    expect(combined.total).toBe(7);
    expect((await page('groupId=no-such-group')).total).toBe(0);
  });

  it('filters by WeCom match, combined with the other filters and a manual match', async () => {
    const matched = await page('wecom=matched&limit=2');
    expect(matched.total).toBe(N / 4);
    expect(matched.items.map((u) => u.username)).toEqual(['user000001', 'user000005']);
    expect(matched.items[0].wecom).toMatchObject({ userid: 'wm000001', source: 'name' });
    const unmatched = await page('wecom=unmatched&limit=2');
    // Everyone else, including the admin created after the seed.
    expect(unmatched.total).toBe(N - N / 4 + 1);
    expect(unmatched.items.map((u) => u.username)).toEqual(['user000000', 'user000002']);
    expect(unmatched.items[0].wecom).toBeNull();
    // i % 4 === 1 and i % 3 === 0: 9, 21, 33, ...
    const matchedDisabled = await page('wecom=matched&status=disabled&limit=3');
    expect(matchedDisabled.items.map((u) => u.username)).toEqual(['user000009', 'user000021', 'user000033']);

    // A manual match needs the member active in the synced directory (or confirmed by WeCom).
    await t.deps.db
      .insertInto('wecom_members')
      .values({ userid: 'wm-manual', name: '手动', mobile: null, email: null, department_ids_json: '[1]', status: 1, left_at: null, synced_at: new Date().toISOString() })
      .execute();
    const res = await t.call({ method: 'PUT', url: '/api/wecom/bindings/u000000', headers: admin.headers, body: { wecomUserid: 'wm-manual' } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect((await page('wecom=matched&limit=1')).items.map((u) => u.username)).toEqual(['user000000']);
    expect((await page('wecom=matched')).total).toBe(N / 4 + 1);
    const del = await t.call({ method: 'DELETE', url: '/api/wecom/bindings/u000000', headers: admin.headers });
    expect(del.status).toBe(200);
    expect((await page('wecom=unmatched&limit=1')).items.map((u) => u.username)).toEqual(['user000000']);
  });

  it('answers 400 for a bad filter value', async () => {
    const res = await t.call({ method: 'GET', url: '/api/personnel?status=gone&limit=9999', headers: admin.headers });
    expect(res.status).toBe(400);
    const badWecom = await t.call({ method: 'GET', url: '/api/personnel?wecom=maybe', headers: admin.headers });
    expect(badWecom.status).toBe(400);
  });
});
