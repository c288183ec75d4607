import { Migrator, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { WecomMatchBy, WecomMatchCategory } from '@shulan/shared';
import { createTestApp, type TestApp } from '../../../test/testApp.js';
import { freshDatabase } from '../../../test/testDb.js';
import { createDb } from '../../db/createDb.js';
import { migrations } from '../../db/migrations/index.js';
import { nowIso } from '../../lib/ids.js';
import { importUsers } from '../../users/importUsers.js';
import { insertUser } from '../../users/userRepo.js';
import { insertBinding } from '../bindingRepo.js';
import { WecomIntegration } from '../WecomIntegration.js';
import { syncServiceFor } from '../sync/SyncService.js';
import { startWecomTestEnv, type WecomTestEnv } from '../testing/wecomTestEnv.js';
import { previewMatchingBefore } from '../testing/previewBefore.js';
import { memberMatchKeys, userMatchKeys } from './matchKeys.js';
import { normalizeMobile } from './mobile.js';
import { memberBookTuning } from './memberBook.js';
import { previewMatching } from './preview.js';

let t: TestApp | undefined;
let env: WecomTestEnv | undefined;
afterEach(async () => {
  await t?.close();
  await env?.close();
  t = env = undefined;
});

const userKeys = async (app: TestApp, id: string) =>
  app.deps.db.selectFrom('users').select(['match_name_key', 'match_mobile_key']).where('id', '=', id).executeTakeFirstOrThrow();

describe('stored matching keys', () => {
  it('follow a user through creation, a rename and a new mobile, and an import that creates and updates', async () => {
    t = await createTestApp();
    const admin = await t.user('admin');
    const id = await insertUser(t.deps.db, { username: 'zhang', displayName: ' 张\u3000 三 ', mobile: '+86 138-0000-0001', role: 'viewer', passwordHash: 'x' });
    expect(await userKeys(t, id)).toEqual({ match_name_key: '张 三', match_mobile_key: '13800000001' });

    const patch = (body: object) => t!.call({ method: 'PATCH', url: `/api/users/${id}`, headers: admin.headers, body });
    expect((await patch({ displayName: '李  四' })).status).toBe(200);
    expect(await userKeys(t, id)).toEqual({ match_name_key: '李 四', match_mobile_key: '13800000001' });
    expect((await patch({ mobile: '0086 139 0000 0002' })).status).toBe(200);
    expect(await userKeys(t, id)).toEqual({ match_name_key: '李 四', match_mobile_key: '13900000002' });
    expect((await patch({ mobile: null })).status).toBe(200);
    expect(await userKeys(t, id)).toEqual({ match_name_key: '李 四', match_mobile_key: null });
    // A change of something else leaves the keys as they are.
    expect((await patch({ role: 'editor' })).status).toBe(200);
    expect(await userKeys(t, id)).toEqual({ match_name_key: '李 四', match_mobile_key: null });

    const source = { via: 'cli' as const, file: 'keys.csv' };
    const report = await importUsers(
      t.deps.db,
      [
        { row: 2, values: { username: 'zhang', name: '王 五 ', mobile: '+8613700000003', email: undefined, group: undefined } },
        { row: 3, values: { username: 'newbie', name: ' 赵六', mobile: '13800000004', email: undefined, group: undefined } },
      ],
      { dryRun: false, actorId: admin.id, lang: 'en', source },
    );
    expect(report.counts, JSON.stringify(report.rows)).toMatchObject({ created: 1, updated: 1 });
    expect(await userKeys(t, id)).toEqual({ match_name_key: '王 五', match_mobile_key: '13700000003' });
    const newbie = await t.deps.db.selectFrom('users').select('id').where('username', '=', 'newbie').executeTakeFirstOrThrow();
    expect(await userKeys(t, newbie.id)).toEqual({ match_name_key: '赵六', match_mobile_key: '13800000004' });
    // An import row with only a new name keeps the stored mobile's key.
    await importUsers(t.deps.db, [{ row: 2, values: { username: 'newbie', name: '赵 七', mobile: undefined, email: undefined, group: undefined } }], { dryRun: false, actorId: admin.id, lang: 'en', source });
    expect(await userKeys(t, newbie.id)).toEqual({ match_name_key: '赵 七', match_mobile_key: '13800000004' });
  });

  it('follow a member through the first sync and a rename in a later sync', async () => {
    env = await startWecomTestEnv();
    await env.configure();
    const { deps } = env.t;
    deps.wecom = new WecomIntegration(deps.db, deps.secretBox, { baseUrl: env.sim.url, retryBaseMs: 1, timeoutMs: 1000 });
    env.sim.controls.addMember({ userid: 'spaced', name: ' 孙  七 ', mobile: '13800000009', department: [2] });
    const sync = async () => expect((await (await syncServiceFor(deps).start('manual')).done).status).toBe('ok');
    const keys = (userid: string) => deps.db.selectFrom('wecom_members').select(['name', 'mobile', 'match_name_key', 'match_mobile_key']).where('userid', '=', userid).executeTakeFirstOrThrow();
    await sync();
    const first = await keys('spaced');
    // (This app reads no mobiles: the key follows whatever mobile is stored.)
    expect(first).toMatchObject({ name: ' 孙  七 ', match_name_key: '孙 七', match_mobile_key: normalizeMobile(first.mobile) });
    env.sim.controls.updateMember('spaced', { name: '周\t八' });
    await sync();
    expect(await keys('spaced')).toMatchObject({ name: '周\t八', match_name_key: '周 八' });
    // And a preview by name finds the member under its new name.
    await insertUser(deps.db, { username: 'zhou', displayName: '周 八', role: 'viewer', passwordHash: 'x' });
    const p = await previewMatching(deps, { by: 'name', category: 'sure', offset: 0, limit: 50 }, 'zh');
    expect(p.page.items).toContainEqual(expect.objectContaining({ username: 'zhou', wecomUserid: 'spaced' }));
  });
});

describe('the migration adding the keys', () => {
  it('fills them for the users and members already stored, in batches, with the same normalisation', async () => {
    const fresh = await freshDatabase();
    const db = createDb(fresh.database);
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, nameComparator: (a, b) => (a < b ? -1 : a > b ? 1 : 0) });
      const names = Object.keys(migrations);
      const mine = names.indexOf('2026_12_01_w3_match_keys');
      expect((await migrator.migrateTo(names[mine - 1]!)).error).toBeUndefined();
      // Written as before the upgrade: no key columns yet. More rows than one batch.
      const old = db as unknown as Kysely<any>;
      const now = nowIso();
      const n = 1203;
      const names4 = [' 张  三', '李四', '\u3000', 'Bob '];
      const mobiles = ['+86 138 0000 0001', null, 'abc', '0086-13900000002'];
      for (let i = 0; i < n; i += 200) {
        const range = Array.from({ length: Math.min(200, n - i) }, (_, j) => i + j);
        await old.insertInto('users').values(range.map((j) => ({ id: `id${j}`, username: `u${j}`, username_key: `u${j}`, display_name: names4[j % 4], mobile: mobiles[j % 4], email: null, role: 'viewer', status: 'active', password_hash: 'x', created_at: now, updated_at: now }))).execute();
        await old.insertInto('wecom_members').values(range.map((j) => ({ userid: `m${j}`, name: names4[(j + 1) % 4], mobile: mobiles[(j + 1) % 4], email: null, department_ids_json: '[1]', status: 1, left_at: null, synced_at: now }))).execute();
      }
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const users = await db.selectFrom('users').select(['display_name', 'mobile', 'match_name_key', 'match_mobile_key']).execute();
      expect(users).toHaveLength(n);
      for (const u of users) expect({ match_name_key: u.match_name_key, match_mobile_key: u.match_mobile_key }).toEqual(userMatchKeys(u));
      const members = await db.selectFrom('wecom_members').select(['name', 'mobile', 'match_name_key', 'match_mobile_key']).execute();
      expect(members).toHaveLength(n);
      for (const m of members) expect({ match_name_key: m.match_name_key, match_mobile_key: m.match_mobile_key }).toEqual(memberMatchKeys(m));
      expect(new Set(users.map((u) => u.match_name_key))).toEqual(new Set(['张 三', '李四', null, 'Bob']));
    } finally {
      await db.destroy();
      await fresh.drop();
    }
  });
});

/** A small deterministic random source, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

// Names in spelling variants nameKey folds together (or keeps apart), including a blank one,
// characters past the BMP and full-width letters (JS string order differs from code-point order there).
const NAMES = ['张三', '张 三', ' 张三 ', '张\u3000三', '李四', '王伟', '王  伟', '赵六', '𠮷野', 'Ａlice', 'alice', 'Bob', '钱七', '孙八', '周九', '吴十', '郑一', '冯二', '陈三', '   '];
const MOBILES = [null, '13800000001', '+86 138 0000 0001', '0086-13800000002', '(138) 0000-0003', '13800000004', '+1 415 555 0100', 'abc', '13800000005', '8613800000006'];

/** A mixed company: namesakes on either side, matched users and members, disabled and departed ones. */
async function seedMixed(app: TestApp, seed: number): Promise<void> {
  const r = rng(seed);
  const db = app.deps.db;
  const now = nowIso();
  await db.insertInto('wecom_departments').values(Array.from({ length: 6 }, (_, i) => ({ id: i + 1, name: i === 5 ? 'Sales Ä' : `部门${i + 1}`, parent_id: i === 0 ? null : 1, synced_at: now }))).execute();
  const members = Array.from({ length: 90 }, (_, i) => {
    const name = NAMES[r(NAMES.length - 1)]!;
    const mobile = MOBILES[r(MOBILES.length)]!;
    return {
      userid: `${['m', 'M', 'w_'][r(3)]}${String(i).padStart(3, '0')}`,
      name,
      mobile,
      email: null,
      department_ids_json: JSON.stringify(r(4) === 0 ? [2, 99] : [1 + r(6)]),
      status: r(10) === 0 ? 2 : 1,
      left_at: r(12) === 0 ? now : null,
      synced_at: now,
      ...memberMatchKeys({ name, mobile }),
    };
  });
  // Members with a name and a mobile of their own: a user may match them surely (or in conflict).
  const fmt = ['', '+86 ', '0086-', '86'];
  for (let i = 0; i < 40; i++) {
    const name = `独${i}`;
    const mobile = `${fmt[r(fmt.length)]}1390000${String(i).padStart(4, '0')}`;
    members.push({ ...members[r(members.length)]!, userid: `solo${i}`, name, mobile, status: r(15) === 0 ? 2 : 1, left_at: null, ...memberMatchKeys({ name, mobile }) });
  }
  await db.insertInto('wecom_members').values(members).execute();
  const userIds: string[] = [];
  for (let i = 0; i < 140; i++) {
    // Usernames whose database order may differ from JS order (case, punctuation).
    const username = `${['u', 'U', 'a-', 'a_', 'Zed', 'b.'][r(6)]}${String(i).padStart(3, '0')}`;
    const solo = r(3) === 0 ? r(50) : null;
    const displayName = solo !== null ? `独${solo}` : r(15) === 0 ? `无名${i}` : NAMES[r(NAMES.length)]!;
    const mobile = solo !== null ? `${fmt[r(fmt.length)]}1390000${String(solo).padStart(4, '0')}` : MOBILES[r(MOBILES.length)]!;
    const id = await insertUser(db, { username, displayName, mobile, role: 'viewer', status: r(12) === 0 ? 'disabled' : 'active', passwordHash: 'x' });
    userIds.push(id);
  }
  // Some users already matched (some of their members are namesakes of unmatched users: conflicts).
  const taken = new Set<string>();
  for (let i = 0; i < 25; i++) {
    const userId = userIds[r(userIds.length)]!;
    const m = members[r(members.length)]!;
    if (taken.has(userId) || taken.has(m.userid)) continue;
    taken.add(userId).add(m.userid);
    await insertBinding(db, { userId, wecomUserid: m.userid, source: 'manual', matchedBy: null });
  }
}

type Pages = Record<string, unknown>;

/** Every page of every category (with and without filters), as one comparable value. */
async function everyPage(preview: typeof previewMatching, app: TestApp, by: WecomMatchBy, lang: 'zh' | 'en'): Promise<Pages> {
  const out: Pages = {};
  const first = await preview(app.deps, { by, category: 'sure', offset: 0, limit: 7 }, lang);
  const { snapshot, ...rest } = first;
  out.first = rest;
  for (const category of ['sure', 'ambiguous', 'conflicts', 'noMatch'] as WecomMatchCategory[]) {
    for (const q of [undefined, '张', 'ALICE', 'u0', '部门3', 'sales ä', '99', '无名', 'm00', '𠮷']) {
      for (let offset = 0; ; offset += 7) {
        const p = await preview(app.deps, { by, category, offset, limit: 7, q, snapshot }, lang);
        expect(p.snapshot).toBe(snapshot);
        out[`${category}/${q}/${offset}`] = p.page;
        if (offset + 7 >= p.page.total) break;
      }
    }
  }
  return out;
}

describe('matching preview on stored keys', () => {
  it('answers exactly as the preview that classified every row in JS, by name and by synced mobile', async () => {
    t = await createTestApp();
    for (const seed of [1, 2]) {
      if (seed === 2) {
        await t.close();
        t = await createTestApp();
      }
      await seedMixed(t, seed);
      for (const by of ['name', 'mobile'] as const) {
        for (const [lang, wholeBookAbove] of [['zh', 2000], ['en', 0]] as const) {
          const before = await everyPage(previewMatchingBefore, t, by, lang);
          // Filters read the members they look at by key / userid, or (above a size) the whole book.
          memberBookTuning.wholeBookAbove = wholeBookAbove;
          const now = await everyPage(previewMatching, t, by, lang).finally(() => (memberBookTuning.wholeBookAbove = 2000));
          expect(now).toEqual(before);
          // Not a vacuous comparison: the company has rows in every category.
          const counts = (now.first as { counts: Record<string, number> }).counts;
          for (const n of Object.values(counts)) expect(n, JSON.stringify(counts)).toBeGreaterThan(0);
        }
      }
    }
  });
});
