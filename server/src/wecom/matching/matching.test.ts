import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../auth/passwords.js';
import { insertUser } from '../../users/userRepo.js';
import { WecomIntegration } from '../WecomIntegration.js';
import { startWecomTestEnv, type WecomTestEnv } from '../testing/wecomTestEnv.js';
import { syncServiceFor } from '../sync/SyncService.js';
import { normalizeMobile } from './mobile.js';

let env: WecomTestEnv;
afterEach(async () => env?.close());

/** Test corp plus a second 张三, switched on and synced. The mini program cannot read mobiles. */
async function setup(extraMembers = 0): Promise<WecomTestEnv> {
  env = await startWecomTestEnv();
  await env.configure();
  const { db, secretBox } = env.t.deps;
  env.t.deps.wecom = new WecomIntegration(db, secretBox, { baseUrl: env.sim.url, retryBaseMs: 1, timeoutMs: 1000 });
  env.sim.controls.addMember({ userid: 'zhangsan2', name: '张三', mobile: '13800000006', department: [3] });
  for (let i = 0; i < extraMembers; i++) env.sim.controls.addMember({ userid: `extra${i}`, name: `员工${i}`, mobile: `1370000${String(i).padStart(4, '0')}`, department: [2] });
  const { done } = await syncServiceFor(env.t.deps).start('manual');
  expect((await done).status).toBe('ok');
  return env;
}

const hash = await hashPassword('irrelevant-password');
const user = (username: string, displayName: string, mobile: string | null = null) =>
  insertUser(env.t.deps.db, { username, displayName, mobile, role: 'viewer', passwordHash: hash });
const bind = (userId: string, wecomUserid: string) =>
  env.t.call({ method: 'PUT', url: `/api/wecom/bindings/${userId}`, headers: env.admin.headers, body: { wecomUserid } });
const page = async (body: Record<string, unknown>, lang?: string) => {
  const headers = lang ? { ...env.admin.headers, 'accept-language': lang } : env.admin.headers;
  const res = await env.t.call({ method: 'POST', url: '/api/wecom/matching/preview', headers, body });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data;
};
/** Every category read page by page, ambiguous rows joined with their group as the UI shows them. */
const preview = async (by: 'name' | 'mobile', lang?: string) => {
  const out: any = { sure: [], ambiguous: [], conflicts: [], noMatch: [] };
  let first: any;
  for (const category of Object.keys(out)) {
    for (let offset = 0; ; offset += 2) {
      const p = await page({ by, category, offset, limit: 2, ...(first ? { snapshot: first.snapshot } : {}) }, lang);
      first ??= p;
      expect(p.snapshot).toBe(first.snapshot);
      expect(p.counts).toEqual(first.counts);
      for (const item of p.page.items) {
        if (category !== 'ambiguous') out[category].push(item);
        else {
          const g = p.page.groups.find((x: { key: string }) => x.key === item.group);
          out.ambiguous.push({ ...item, reason: g.reason, candidates: g.candidates });
        }
      }
      if (offset + 2 >= p.page.total) break;
    }
    // The pages add up to the count shown on the tab.
    expect(out[category]).toHaveLength(first.counts[category]);
  }
  return { ...out, counts: first.counts, stopped: first.stopped };
};
const confirm = (by: 'name' | 'mobile', pairs: { userId: string; wecomUserid: string }[]) =>
  env.t.call({ method: 'POST', url: '/api/wecom/matching/confirm', headers: env.admin.headers, body: { by, pairs } });
const find = (list: any[], userId: string): any => list.find((x) => x.userId === userId);

describe('matching preview by name', () => {
  it('sorts users into sure, ambiguous (duplicate names on either side), conflicts and no match, with reasons', async () => {
    await setup();
    const zhang = await user('zhang', '张三');
    const li = await user('li', '李四');
    const wangA = await user('wang-a', '王五');
    const wangB = await user('wang-b', '王五');
    const zhao = await user('zhao', '赵六');
    const holder = await user('holder', '另一个人');
    const nobody = await user('nobody', '路人甲');
    expect((await bind(holder, 'zhaoliu')).status).toBe(200);

    const p = await preview('name');
    expect(p.sure).toEqual([{ userId: li, username: 'li', displayName: '李四', wecomUserid: 'lisi', wecomName: '李四', departments: expect.any(Array) }]);
    const amb = find(p.ambiguous, zhang);
    expect(amb.reason).toContain('2 个名为“张三”的成员');
    expect(amb.candidates.map((c: { wecomUserid: string }) => c.wecomUserid).sort()).toEqual(['zhangsan', 'zhangsan2']);
    for (const w of [wangA, wangB]) expect(find(p.ambiguous, w).reason).toContain('2 个数览用户名为“王五”');
    expect(find(p.conflicts, zhao)).toMatchObject({ wecomUserid: 'zhaoliu', boundUserId: holder });
    expect(find(p.conflicts, zhao).reason).toContain('holder');
    expect(find(p.noMatch, nobody).reason).toContain('路人甲');
    // Matched users are not in the preview at all; nothing was written.
    expect([...p.sure, ...p.ambiguous, ...p.conflicts, ...p.noMatch].some((x: { userId: string }) => x.userId === holder)).toBe(false);
    expect(await env.t.deps.db.selectFrom('wecom_bindings').selectAll().execute()).toHaveLength(1);
  });

  it('answers in English when asked', async () => {
    await setup();
    await user('nobody', '路人甲');
    const p = await preview('name', 'en');
    expect(p.noMatch.map((n: { reason: string }) => n.reason)).toContain('No WeCom member is called "路人甲"');
  });

  it('asks for a sync first when no address book is stored, and validates the body', async () => {
    env = await startWecomTestEnv();
    await env.configure();
    const res = await env.t.call({ method: 'POST', url: '/api/wecom/matching/preview', headers: env.admin.headers, body: { by: 'name' } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('同步');
    expect((await env.t.call({ method: 'POST', url: '/api/wecom/matching/preview', headers: env.admin.headers, body: { by: 'email' } })).status).toBe(400);
    expect((await confirm('name', [])).status).toBe(400);
  });
});

describe('matching preview pages', () => {
  it('lists namesakes as one group whose candidates come once per page, pages add up, and filters by name or department', async () => {
    await setup();
    // 30 users called 张三 against the two WeCom members called 张三, and a few others.
    const zhangs: string[] = [];
    for (let i = 0; i < 30; i++) zhangs.push(await user(`zhang${String(i).padStart(2, '0')}`, '张三'));
    const li = await user('li', '李四');
    await user('nobody', '路人甲');

    const first = await page({ by: 'name', category: 'ambiguous', limit: 10 });
    // noMatch: 路人甲 and the test admin.
    expect(first.counts).toEqual({ sure: 1, ambiguous: 30, conflicts: 0, noMatch: 2 });
    expect(first.page).toMatchObject({ category: 'ambiguous', total: 30, offset: 0 });
    expect(first.page.items).toHaveLength(10);
    // Ten ambiguous users, one group: the two candidates are sent once, with their departments.
    expect(first.page.groups).toHaveLength(1);
    expect(first.page.groups[0].reason).toContain('2 个名为“张三”的成员');
    const cands = first.page.groups[0].candidates;
    expect(cands.map((c: { wecomUserid: string }) => c.wecomUserid).sort()).toEqual(['zhangsan', 'zhangsan2']);
    expect(cands.find((c: { wecomUserid: string }) => c.wecomUserid === 'zhangsan').departments).toEqual(['销售部', '研发部']);
    expect(first.page.items.every((i: { group: string }) => i.group === first.page.groups[0].key)).toBe(true);

    const all = await preview('name');
    expect(all.ambiguous.map((a: { userId: string }) => a.userId).sort()).toEqual([...zhangs].sort());
    expect(new Set(all.ambiguous.map((a: { userId: string }) => a.userId)).size).toBe(30);

    // A filter on the user's account, or on a candidate's department, narrows the page and its total.
    const byAccount = await page({ by: 'name', category: 'ambiguous', q: 'ZHANG0' });
    expect(byAccount.page.total).toBe(10);
    expect(byAccount.counts.ambiguous).toBe(30);
    const byDept = await page({ by: 'name', category: 'sure', q: '销售' });
    expect(byDept.page.items.map((s: { userId: string }) => s.userId)).toEqual([li]);
    expect((await page({ by: 'name', category: 'sure', q: '研发' })).page.total).toBe(0);
    // Past the end: an empty page, not an error.
    expect((await page({ by: 'name', category: 'noMatch', offset: 50 })).page).toMatchObject({ total: 2, items: [] });
    // Pages of one snapshot stay as they were when it was taken; a new preview sees the change,
    // and a snapshot this server no longer has is simply taken again.
    const before = await page({ by: 'name', category: 'ambiguous' });
    await user('zhang99', '张三');
    expect((await page({ by: 'name', category: 'ambiguous', offset: 10, snapshot: before.snapshot })).counts.ambiguous).toBe(30);
    expect((await page({ by: 'name', category: 'ambiguous' })).counts.ambiguous).toBe(31);
    const gone = await page({ by: 'name', category: 'ambiguous', snapshot: 'no-such-snapshot' });
    expect(gone.counts.ambiguous).toBe(31);
    expect(gone.snapshot).not.toBe('no-such-snapshot');
    // Pages are bounded.
    const tooBig = await env.t.call({ method: 'POST', url: '/api/wecom/matching/preview', headers: env.admin.headers, body: { by: 'name', limit: 10_000 } });
    expect(tooBig.status).toBe(400);
  });
});

describe('matching preview by mobile (app created after 2022-06-20: through user/getuserid)', () => {
  it('looks each mobile up in WeCom, normalising +86 and spaces; two users with one mobile are ambiguous without asking', async () => {
    await setup();
    env.sim.controls.resetCallCounts();
    const li = await user('li', '李四', '+86 138-0000-0002');
    const sameA = await user('same-a', '甲', '13800000003');
    const sameB = await user('same-b', '乙', '0086 138 0000 0003');
    const zhao = await user('zhao', '赵六', '13800000004');
    const holder = await user('holder', '持有者');
    const none = await user('no-mobile', '无');
    const unknown = await user('zz-unknown', '查无此人', '13900000000');
    await bind(holder, 'zhaoliu');

    const p = await preview('mobile');
    expect(p.sure).toEqual([{ userId: li, username: 'li', displayName: '李四', wecomUserid: 'lisi', wecomName: '李四', departments: expect.any(Array) }]);
    for (const u of [sameA, sameB]) expect(find(p.ambiguous, u).reason).toContain('2 个数览用户使用同一手机号 13800000003');
    expect(find(p.conflicts, zhao)).toMatchObject({ wecomUserid: 'zhaoliu', boundUserId: holder });
    expect(find(p.noMatch, none).reason).toContain('没有填写手机号');
    expect(find(p.noMatch, unknown).reason).toContain('13900000000');
    expect(p.stopped).toBeNull();
    // li, zhao, unknown: the two sharing a mobile were never asked.
    expect(env.sim.controls.callCounts()['user/getuserid']).toBe(3);
  });

  it('stops well before the daily failure ban, says how far it got, and remembers the day\'s failures', async () => {
    // 26 synced members: at most 2 failed look-ups a day (10 %, WeCom bans at 20 %).
    await setup(20);
    env.sim.controls.resetCallCounts();
    const wrong = [];
    for (let i = 1; i <= 4; i++) wrong.push(await user(`wrong${i}`, `错${i}`, `1390000000${i}`));
    const p = await preview('mobile');
    expect(p.stopped).toMatchObject({ checked: 2, total: 4 });
    expect(p.stopped.message).toContain('20%');
    expect(find(p.noMatch, wrong[3]!).reason).toContain('未检查');
    expect(env.sim.controls.callCounts()['user/getuserid']).toBe(2);

    // Again (and every page above): the answers already given are reused, the day's failures
    // stored in the database still stop the third look-up, and WeCom is not asked again.
    const again = await preview('mobile');
    expect(again.stopped).toMatchObject({ checked: 2, total: 4 });
    expect(find(again.noMatch, wrong[0]!).reason).toContain('13900000001');
    expect(env.sim.controls.callCounts()['user/getuserid']).toBe(2);
  });
});

describe('confirming matches', () => {
  it('binds confirmed pairs with source name, re-checks each, reports per pair and audits', async () => {
    await setup();
    const zhang = await user('zhang', '张三');
    const li = await user('li', '李四');
    const zhao = await user('zhao', '赵六');
    const holder = await user('holder', '另一个人');
    const nobody = await user('nobody', '路人甲');
    await bind(holder, 'zhaoliu');

    const res = await confirm('name', [
      { userId: li, wecomUserid: 'lisi' },
      // Picked by hand among the two 张三.
      { userId: zhang, wecomUserid: 'zhangsan2' },
      { userId: nobody, wecomUserid: 'sunqi' },
      { userId: zhao, wecomUserid: 'zhaoliu' },
      { userId: 'no-such-user', wecomUserid: 'wangwu' },
    ]);
    expect(res.status).toBe(200);
    expect(res.json.data.bound).toBe(2);
    const r = res.json.data.results;
    expect(r.map((x: { ok: boolean }) => x.ok)).toEqual([true, true, false, false, false]);
    expect(r[2].message).toContain('姓名已不一致');
    expect(r[3].message).toContain('zhaoliu');
    expect(r[4].message).toContain('不存在');

    const view = (await env.t.call({ method: 'GET', url: `/api/users/${zhang}`, headers: env.admin.headers })).json.data;
    expect(view.wecom).toMatchObject({ userid: 'zhangsan2', source: 'name' });
    const audit = await env.t.call({ method: 'GET', url: '/api/audit?action=wecom.match', headers: env.admin.headers });
    const mine = audit.json.data.items.filter((i: { detail: { source: string } }) => i.detail.source === 'name');
    expect(mine.map((i: { target: string }) => i.target).sort()).toEqual([li, zhang].sort());

    // Confirmed pairs are matched now: confirming again is refused, and the preview no longer lists them.
    const again = await confirm('name', [{ userId: li, wecomUserid: 'lisi' }]);
    expect(again.json.data.results[0]).toMatchObject({ ok: false });
    expect(again.json.data.results[0].message).toContain('已匹配企业微信成员 lisi');
    const p = await preview('name');
    expect(find(p.sure, li)).toBeUndefined();
  });

  it('by mobile, asks WeCom again and refuses a pair whose mobile changed since the preview', async () => {
    await setup();
    const li = await user('li', '李四', '13800000002');
    const wang = await user('wang', '王五', '13800000003');
    const p = await preview('mobile');
    expect(p.sure.map((s: { userId: string }) => s.userId).sort()).toEqual([li, wang].sort());
    await env.t.deps.db.updateTable('users').set({ mobile: '13800000005' }).where('id', '=', wang).execute();
    const res = await confirm('mobile', p.sure.map((s: { userId: string; wecomUserid: string }) => ({ userId: s.userId, wecomUserid: s.wecomUserid })));
    const byUser = Object.fromEntries(res.json.data.results.map((x: { userId: string }) => [x.userId, x]));
    expect(byUser[li]).toMatchObject({ ok: true });
    expect(byUser[wang]).toMatchObject({ ok: false });
    expect(byUser[wang].message).toContain('sunqi');
    const view = (await env.t.call({ method: 'GET', url: `/api/users/${li}`, headers: env.admin.headers })).json.data;
    expect(view.wecom).toMatchObject({ userid: 'lisi', source: 'mobile' });
  });
});

describe('normalizeMobile', () => {
  it('reduces Chinese numbers to 11 digits and refuses junk', () => {
    expect(normalizeMobile('+86 138 0000 0001')).toBe('13800000001');
    expect(normalizeMobile('0086-13800000001')).toBe('13800000001');
    expect(normalizeMobile('8613800000001')).toBe('13800000001');
    expect(normalizeMobile('(138) 0000-0001')).toBe('13800000001');
    expect(normalizeMobile('+1 415 555 0100')).toBe('+14155550100');
    expect(normalizeMobile('abc')).toBeNull();
    expect(normalizeMobile('')).toBeNull();
    expect(normalizeMobile(null)).toBeNull();
  });
});
