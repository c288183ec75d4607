import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from './index.js';
import { call, smallCorp, start, tokenFor } from './testHelpers.js';

let sim: Simulator;
let mini: string;
let old: string;
let sync: string;
beforeEach(async () => {
  sim = await start();
  [mini, old, sync] = await Promise.all([tokenFor(sim, 'miniprogram'), tokenFor(sim, 'self_built'), tokenFor(sim, 'contact_sync')]);
});
afterEach(async () => {
  await sim.close();
});

/** Departments in the subtree of 2 (what the old self-built app sees). */
function subtreeOf2(): number[] {
  return sim.corp.subtree(2).map((d) => d.id);
}

describe('departments', () => {
  it('department/list returns the whole tree in the reference shape, parents first', async () => {
    const r = await call(sim, `/cgi-bin/department/list?access_token=${mini}`);
    expect(r.json.errcode).toBe(0);
    const list = r.json.department as { id: number; parentid: number; name: string; order: number; department_leader: string[] }[];
    expect(list).toHaveLength(sim.corp.departments.size);
    expect(list[0]).toMatchObject({ id: 1, parentid: 0 });
    expect(list[1]).toEqual({ id: expect.any(Number), name: expect.any(String), department_leader: [], parentid: 1, order: expect.any(Number) });
    const seen = new Set<number>();
    for (const d of list) {
      expect(d.id === 1 || seen.has(d.parentid)).toBe(true);
      seen.add(d.id);
    }
  });

  it('limits lists to the visible range and answers 60011 / 60123', async () => {
    const r = await call(sim, `/cgi-bin/department/simplelist?access_token=${old}`);
    expect((r.json.department_id as { id: number }[]).map((d) => d.id).sort()).toEqual(subtreeOf2().sort());
    expect(r.json.department_id).toContainEqual({ id: 2, parentid: 1, order: expect.any(Number) });

    expect((await call(sim, `/cgi-bin/department/list?access_token=${old}&id=3`)).json).toMatchObject({
      errcode: 60011,
      errmsg: expect.stringMatching(/^no privilege to access\/modify contact\/party\/agent, hint/),
    });
    expect((await call(sim, `/cgi-bin/department/get?access_token=${old}&id=3`)).json.errcode).toBe(60011);
    expect((await call(sim, `/cgi-bin/department/get?access_token=${old}&id=99999`)).json.errcode).toBe(60123);
    const one = await call(sim, `/cgi-bin/department/get?access_token=${old}&id=2`);
    expect(one.json.department).toMatchObject({ id: 2, parentid: 1, name: sim.corp.departments.get(2)?.name });
    const sub = await call(sim, `/cgi-bin/department/list?access_token=${mini}&id=2`);
    expect((sub.json.department as { id: number }[]).map((d) => d.id).sort()).toEqual(subtreeOf2().sort());
  });
});

describe('members', () => {
  const inDept = (id: number) => [...sim.corp.members.values()].filter((m) => m.department.includes(id));
  const busiestDept = () => [...sim.corp.departments.keys()].sort((a, b) => inDept(b).length - inDept(a).length)[0]!;

  it('user/simplelist and user/list list the members of one department', async () => {
    const dept = busiestDept();
    const simple = await call(sim, `/cgi-bin/user/simplelist?access_token=${mini}&department_id=${dept}`);
    expect(simple.json.errcode).toBe(0);
    const rows = simple.json.userlist as { userid: string; name: string; department: number[] }[];
    expect(rows.map((u) => u.userid).sort()).toEqual(inDept(dept).map((m) => m.userid).sort());
    expect(Object.keys(rows[0]!).sort()).toEqual(['department', 'name', 'userid']);

    const full = await call(sim, `/cgi-bin/user/list?access_token=${sync}&department_id=${dept}`);
    const first = (full.json.userlist as Record<string, unknown>[])[0]!;
    expect(first).toMatchObject({ userid: expect.any(String), name: expect.any(String), status: expect.any(Number), mobile: expect.stringMatching(/^1\d{10}$/) });
    expect((await call(sim, `/cgi-bin/user/list?access_token=${mini}`)).json.errcode).toBe(60123);
  });

  it('withholds mobile, email, avatar and gender from apps created after 2022-06-20', async () => {
    const m = [...sim.corp.members.values()].find((x) => x.department.some((d) => subtreeOf2().includes(d)))!;
    const fresh = await call(sim, `/cgi-bin/user/get?access_token=${mini}&userid=${m.userid}`);
    expect(fresh.json).toMatchObject({ errcode: 0, userid: m.userid, name: m.name, gender: '0', status: m.status });
    for (const field of ['mobile', 'email', 'biz_mail', 'avatar', 'thumb_avatar', 'qr_code', 'address']) {
      expect(fresh.json).not.toHaveProperty(field);
    }
    const before2022 = await call(sim, `/cgi-bin/user/get?access_token=${old}&userid=${m.userid}`);
    expect(before2022.json).toMatchObject({ mobile: m.mobile, email: m.email, gender: m.gender, avatar: m.avatar });
    const syncSecret = await call(sim, `/cgi-bin/user/get?access_token=${sync}&userid=${m.userid.toUpperCase()}`);
    expect(syncSecret.json).toMatchObject({ userid: m.userid, mobile: m.mobile });
  });

  it('user/get: 60011 outside the visible range, 60111 unknown, 41009 missing', async () => {
    const outside = [...sim.corp.members.values()].find((x) => !x.department.some((d) => subtreeOf2().includes(d)))!;
    expect((await call(sim, `/cgi-bin/user/get?access_token=${old}&userid=${outside.userid}`)).json.errcode).toBe(60011);
    expect((await call(sim, `/cgi-bin/user/list?access_token=${old}&department_id=3`)).json.errcode).toBe(60011);
    expect((await call(sim, `/cgi-bin/user/get?access_token=${mini}&userid=ghost`)).json).toMatchObject({
      errcode: 60111,
      errmsg: expect.stringMatching(/^invalid string value `ghost`\. userid not found/),
    });
    expect((await call(sim, `/cgi-bin/user/get?access_token=${mini}`)).json.errcode).toBe(41009);
    const chinese = await call(sim, `/cgi-bin/user/get?access_token=${mini}&userid=${encodeURIComponent('张三')}`);
    expect(chinese.status).toBe(200);
    expect(chinese.json.errmsg).toMatch(/^invalid string value `张三`/);
    expect(chinese.headers.get('error-code')).toBe('60111');
    // Visible by userid even though the department is not.
    sim.corp.apps.find((a) => a.kind === 'self_built')!.visible.users.push(outside.userid);
    expect((await call(sim, `/cgi-bin/user/get?access_token=${old}&userid=${outside.userid}`)).json).toMatchObject({ errcode: 0, department: [] });
  });
});

describe('user/list_id', () => {
  it('pages with a cursor until next_cursor is empty, one row per member and department', async () => {
    const rows: { userid: string; department: number }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await call(sim, `/cgi-bin/user/list_id?access_token=${sync}`, { body: cursor ? { cursor, limit: 7 } : { limit: 7 } });
      expect(r.json.errcode).toBe(0);
      const page = r.json.dept_user as typeof rows;
      expect(page.length).toBeLessThanOrEqual(7);
      rows.push(...page);
      cursor = String(r.json.next_cursor);
      pages++;
    } while (cursor !== '');
    const expected = [...sim.corp.members.values()].flatMap((m) => m.department.map((d) => `${m.userid}/${d}`));
    expect(rows.map((r) => `${r.userid}/${r.department}`).sort()).toEqual(expected.sort());
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  it('is for the contact-sync secret only, and checks limit and cursor', async () => {
    expect((await call(sim, `/cgi-bin/user/list_id?access_token=${mini}`, { body: {} })).json.errcode).toBe(48002);
    expect((await call(sim, `/cgi-bin/user/list_id?access_token=${old}`, { body: {} })).json.errcode).toBe(48002);
    expect((await call(sim, `/cgi-bin/user/list_id?access_token=${sync}`, { body: { limit: 0 } })).json.errcode).toBe(40058);
    expect((await call(sim, `/cgi-bin/user/list_id?access_token=${sync}`, { body: { limit: 10001 } })).json.errcode).toBe(40058);
    expect((await call(sim, `/cgi-bin/user/list_id?access_token=${sync}`, { body: { cursor: 'garbage' } })).json.errcode).toBe(40058);
    expect((await call(sim, `/cgi-bin/user/list_id?access_token=${sync}`, { body: '{not json' })).json.errcode).toBe(47001);
    const all = await call(sim, `/cgi-bin/user/list_id?access_token=${sync}`, { body: {} });
    expect(all.json.next_cursor).toBe('');
  });
});

describe('user/getuserid', () => {
  it('finds a member by mobile, 46004 for an unknown one, 60011 outside the range', async () => {
    const m = [...sim.corp.members.values()][0]!;
    expect((await call(sim, `/cgi-bin/user/getuserid?access_token=${mini}`, { body: { mobile: m.mobile } })).json).toMatchObject({ errcode: 0, userid: m.userid });
    expect((await call(sim, `/cgi-bin/user/getuserid?access_token=${mini}`, { body: { mobile: '10000000000' } })).json.errcode).toBe(46004);
    const outside = [...sim.corp.members.values()].find((x) => !x.department.some((d) => subtreeOf2().includes(d)))!;
    expect((await call(sim, `/cgi-bin/user/getuserid?access_token=${old}`, { body: { mobile: outside.mobile } })).json.errcode).toBe(60011);
  });

  it('bans the API for the day once failures exceed 20 % of the seats', async () => {
    await sim.close();
    let clock = Date.UTC(2026, 10, 25, 3, 0, 0);
    sim = await start({ ...smallCorp(), seats: 10 }, { now: () => clock });
    const token = await tokenFor(sim, 'miniprogram');
    const good = [...sim.corp.members.values()][0]!.mobile;
    const ask = (mobile: string) => call(sim, `/cgi-bin/user/getuserid?access_token=${token}`, { body: { mobile } });
    // 20 % of 10 seats = 2 failures allowed; the third failure tips it over.
    for (const bad of ['13900000001', '13900000002', '13900000003']) {
      expect((await ask(bad)).json.errcode).toBe(46004);
    }
    expect((await ask(good!)).json.errcode).toBe(45009);
    clock += 24 * 3600_000;
    const fresh = await tokenFor(sim, 'miniprogram');
    expect((await call(sim, `/cgi-bin/user/getuserid?access_token=${fresh}`, { body: { mobile: good } })).json.errcode).toBe(0);
  });
});
