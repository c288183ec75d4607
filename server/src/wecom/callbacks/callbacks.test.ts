import { once } from 'node:events';
import { encrypt, getSignature } from '@wecom/crypto';
import { WebSocket } from 'ws';
import { SOCKET_SESSION_ENDED } from '../../http/socketAuth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncServiceFor } from '../sync/SyncService.js';
import { CORP_ID, startWecomTestEnv, type WecomTestEnv } from '../testing/wecomTestEnv.js';
import { callbackQueueFor } from './callbackQueue.js';

const TOKEN = 'cbToken2026';
const AES_KEY = 'Zx81abcdefghijklmnopqrstuvwxyz0123456789ABC';

let env: WecomTestEnv;
let base: string;

beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure({ callbackToken: TOKEN, callbackAesKey: AES_KEY });
  base = await env.t.app.listen({ host: '127.0.0.1', port: 0 });
  // WeCom's side: saving the callback in the admin verifies the URL (GET echostr) first.
  await env.sim.controls.setCallback({ url: `${base}/api/wecom/callback`, token: TOKEN, encodingAesKey: AES_KEY, timeoutMs: 5000, retryDelayMs: 50 });
  const { done } = await syncServiceFor(env.t.deps).start('manual');
  expect((await done).status).toBe('ok');
});
afterAll(async () => {
  await env?.sim.controls.callbacksIdle();
  await callbackQueueFor(env.t.deps).idle();
  await env?.close();
});

const dbOf = () => env.t.deps.db;
const member = (userid: string) => dbOf().selectFrom('wecom_members').selectAll().where('userid', '=', userid).executeTakeFirst();
const me = (token: string) => fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
const syncRuns = async () => (await dbOf().selectFrom('wecom_sync_runs').select('id').execute()).length;
const events = async () => (await env.t.call({ method: 'GET', url: '/api/wecom/sync/events', headers: env.admin.headers })).json.data as { changeType: string; subject: string; status: string; result: string }[];

/** Polls until `check` holds, failing after `ms` (no sleeping for a fixed time). */
async function until<T>(what: string, ms: number, check: () => Promise<T | false | undefined | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** A mini program login as the member (first time: bound with the user's password). */
async function wecomSession(userid: string, user: { username: string; password: string }): Promise<string> {
  const login = await env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: env.sim.controls.issueLoginCode(userid).code } });
  if (login.json.data.status === 'ok') return login.json.data.token as string;
  const bound = await env.t.call({ method: 'POST', url: '/api/wecom/bind', body: { bindTicket: login.json.data.bindTicket, username: user.username, password: user.password } });
  expect(bound.status).toBe(200);
  return bound.json.data.token as string;
}

/** Posts one event as WeCom would (encrypted, signed, XML), straight to the callback. */
async function post(inner: string, opts: { token?: string; corpId?: string } = {}) {
  const enc = encrypt(AES_KEY, inner, opts.corpId ?? CORP_ID);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const sig = getSignature(opts.token ?? TOKEN, timestamp, nonce, enc);
  return fetch(`${base}/api/wecom/callback?msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`,
  });
}
const changeContact = (changeType: string, fields: string, createTime = 1764550000) =>
  `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType>${changeType}</ChangeType>${fields}</xml>`;

describe('WeCom contact callbacks, end to end with the simulator', () => {
  let db: ReturnType<typeof dbOf>;
  beforeAll(() => {
    db = dbOf();
  });

  it('a member disabled in WeCom loses its open passwordless session within 2 s, without a sync', async () => {
    const user = await env.t.user('viewer');
    const token = await wecomSession('lisi', user);
    expect((await me(token)).status).toBe(200);
    const runsBefore = await syncRuns();

    env.sim.controls.updateMember('lisi', { status: 2 });
    const started = Date.now();
    await until('the session is refused', 2000, async () => (await me(token)).status === 401);
    expect(Date.now() - started).toBeLessThan(2000);

    expect(await syncRuns()).toBe(runsBefore);
    expect(await member('lisi')).toMatchObject({ status: 2 });
    // Password sessions stay; a new WeCom login is refused.
    expect((await me(user.headers.authorization!.slice(7))).status).toBe(200);
    const again = await env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: env.sim.controls.issueLoginCode('lisi').code } });
    expect(again.status).toBe(403);
    expect((await events()).find((e) => e.subject === 'lisi')).toMatchObject({ changeType: 'update_user', status: 'applied' });
  });

  it('a member deleted in WeCom is marked gone, its WeCom sessions end and its open socket closes', async () => {
    const user = await env.t.user('viewer');
    const token = await wecomSession('wangwu', user);
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/live`, { headers: { authorization: `Bearer ${token}` } });
    const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
    await once(ws, 'open');
    env.sim.controls.deleteMember('wangwu');
    expect(await closed).toBe(SOCKET_SESSION_ENDED);
    await until('the session is refused', 2000, async () => (await me(token)).status === 401);
    expect((await member('wangwu'))?.left_at).not.toBeNull();
  });

  it('a new hire is in the local directory at once, ready to be matched', async () => {
    env.sim.controls.addMember({ userid: 'newhire', name: '新同事', department: [2] });
    const m = await until('the member is stored', 2000, () => member('newhire'));
    expect(m).toMatchObject({ name: '新同事', status: 1, department_ids_json: '[2]', left_at: null });
    // Matched by hand by an admin, or by the new hire at first login in the mini program.
    const user = await env.t.user('viewer');
    const token = await wecomSession('newhire', user);
    expect((await me(token)).status).toBe(200);
  });

  it('a member renamed in WeCom is matched under the new name at once: its stored match key follows', async () => {
    env.sim.controls.addMember({ userid: 'renamed', name: '王 小明', department: [2] });
    const first = await until('the member is stored', 2000, () => member('renamed'));
    expect(first.match_name_key).toBe('王 小明');
    env.sim.controls.updateMember('renamed', { name: '王  晓明 ' });
    const after = await until('the rename is applied', 2000, async () => {
      const m = await member('renamed');
      return m?.name === '王  晓明 ' && m;
    });
    // The same normalisation as a user's display name (spaces collapsed, ends trimmed).
    expect(after.match_name_key).toBe('王 晓明');
  });

  it('departments follow create, rename and delete', async () => {
    env.sim.controls.addDepartment({ id: 77, name: '市场部', parentid: 1 });
    await until('created', 2000, () => db.selectFrom('wecom_departments').selectAll().where('id', '=', 77).executeTakeFirst());
    env.sim.controls.updateDepartment(77, { name: '品牌部' });
    await until('renamed', 2000, async () => (await db.selectFrom('wecom_departments').select('name').where('id', '=', 77).executeTakeFirst())?.name === '品牌部');
    env.sim.controls.deleteDepartment(77);
    await until('deleted', 2000, async () => !(await db.selectFrom('wecom_departments').select('id').where('id', '=', 77).executeTakeFirst()));
  });

  it('applies a delivery WeCom repeats once (idempotent by content)', async () => {
    const inner = changeContact('update_user', '<UserID><![CDATA[zhaoliu]]></UserID><Name><![CDATA[赵六六]]></Name><Status>1</Status>', 1764551111);
    expect((await post(inner)).status).toBe(200);
    expect((await post(inner)).status).toBe(200); // a retry: same event, encrypted anew
    await callbackQueueFor(env.t.deps).idle();
    const rows = await db.selectFrom('wecom_callback_events').selectAll().where('subject', '=', 'zhaoliu').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'applied' });
    expect(await member('zhaoliu')).toMatchObject({ name: '赵六六' });
  });

  it('asks WeCom (user/get) about a member never seen, or when the event carries no status', async () => {
    // In WeCom, not yet in the local copy.
    env.sim.corp.members.set('qianba', { ...env.sim.corp.getMember('sunqi')!, userid: 'qianba', name: '钱八', status: 2 });
    env.sim.corp.invalidate();
    env.sim.controls.resetCallCounts();
    expect((await post(changeContact('create_user', '<UserID><![CDATA[qianba]]></UserID><Department><![CDATA[3]]></Department>'))).status).toBe(200);
    await callbackQueueFor(env.t.deps).idle();
    expect(await member('qianba')).toMatchObject({ name: '钱八', status: 2 });
    expect(env.sim.controls.callCounts()['user/get']).toBe(1);

    // A reduced event (URLs set after 2022-08-15: UserID and Department only) of a disable.
    const user = await env.t.user('viewer');
    const token = await wecomSession('sunqi', user);
    env.sim.corp.getMember('sunqi')!.status = 2;
    expect((await post(changeContact('update_user', '<UserID><![CDATA[sunqi]]></UserID><Department><![CDATA[3]]></Department>'))).status).toBe(200);
    await until('the session is refused', 2000, async () => (await me(token)).status === 401);
    expect(env.sim.controls.callCounts()['user/get']).toBe(2);
  });

  it('takes up events left behind by an instance that stopped (stored, or claimed but not applied)', async () => {
    const q = callbackQueueFor(env.t.deps);
    expect(await q.enqueue(changeContact('update_user', '<UserID>zhangsan</UserID><Name>张三丰</Name><Status>1</Status>', 1764553333))).toBe(true);
    expect(await q.enqueue(changeContact('create_party', '<Id>88</Id><Name>法务部</Name><ParentId>1</ParentId>', 1764553334))).toBe(true);
    await db
      .updateTable('wecom_callback_events')
      .set({ status: 'applying', applied_at: new Date(Date.now() - 10 * 60_000).toISOString() })
      .where('subject', '=', 'zhangsan')
      .where('status', '=', 'pending')
      .execute();
    q.kick();
    await q.idle();
    expect(await member('zhangsan')).toMatchObject({ name: '张三丰' });
    expect(await db.selectFrom('wecom_departments').select('name').where('id', '=', 88).executeTakeFirst()).toEqual({ name: '法务部' });
  });

  it('refuses a wrong signature, another corp and a bad envelope, and stores nothing', async () => {
    const before = (await db.selectFrom('wecom_callback_events').select('id').execute()).length;
    const inner = changeContact('delete_user', '<UserID><![CDATA[zhangsan]]></UserID>', 1764552222);
    expect((await post(inner, { token: 'someoneElse' })).status).toBe(403);
    expect((await post(inner, { corpId: 'ww9999999999999999' })).status).toBe(403);
    const junk = await fetch(`${base}/api/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=1&nonce=1`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<xml></xml>' });
    expect(junk.status).toBe(400);
    expect((await db.selectFrom('wecom_callback_events').select('id').execute()).length).toBe(before);
    expect((await member('zhangsan'))?.left_at).toBeNull();
  });

  it('records tag events without changing anything, and shows every event in the sync history', async () => {
    expect((await post(changeContact('update_tag', '<TagId>1</TagId><AddUserItems><![CDATA[zhangsan]]></AddUserItems>'))).status).toBe(200);
    await callbackQueueFor(env.t.deps).idle();
    const list = await events();
    expect(list[0]).toMatchObject({ changeType: 'update_tag', status: 'ignored' });
    expect(list.map((e) => e.changeType)).toEqual(expect.arrayContaining(['update_user', 'delete_user', 'create_user', 'create_party', 'update_party', 'delete_party']));
    const zh = (await env.t.call({ method: 'GET', url: '/api/wecom/sync/events', headers: { ...env.admin.headers, 'accept-language': 'zh-CN' } })).json.data;
    expect(zh.find((e: { subject: string }) => e.subject === 'lisi').result).toMatch(/已停用.*已结束其 1 个企业微信登录会话/);
  });

  it('a full sync puts back what WeCom lists after an event WeCom no longer agrees with (out of order, or undone since)', async () => {
    const inner = changeContact('update_user', '<UserID><![CDATA[zhaoliu]]></UserID><Name><![CDATA[赵老六]]></Name><Status>1</Status>', 1764552222);
    expect((await post(inner)).status).toBe(200);
    await callbackQueueFor(env.t.deps).idle();
    expect(await member('zhaoliu')).toMatchObject({ name: '赵老六' });
    // The sync compares content hashes: the event's write must not leave the old hash behind,
    // or the listing (unchanged since the last sync) would look unchanged and be skipped.
    const { done } = await syncServiceFor(env.t.deps).start('manual');
    expect((await done).status).toBe('ok');
    expect(await member('zhaoliu')).toMatchObject({ name: env.sim.corp.getMember('zhaoliu')!.name, left_at: null });
  });
});
