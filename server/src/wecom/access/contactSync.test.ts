import { afterEach, describe, expect, it } from 'vitest';
import { WecomIntegration } from '../WecomIntegration.js';
import { fetchListing } from '../sync/addressBook.js';
import { syncServiceFor } from '../sync/SyncService.js';
import { CORP_ID, OTHER_APP_SECRET, SYNC_SECRET, startWecomTestEnv, type WecomTestEnv } from '../testing/wecomTestEnv.js';

let env: WecomTestEnv;
/** Every response body, to prove no Secret ever comes back. */
const bodies: string[] = [];
afterEach(async () => {
  for (const s of [SYNC_SECRET, OTHER_APP_SECRET]) expect(bodies.join('\n')).not.toContain(s);
  await env?.close();
});

/**
 * The mini program sees 销售部 (lisi, zhangsan) and wangwu added to its visible range on his own
 * (研发部 is not visible, so sunqi and zhaoliu are outside the range).
 */
async function setup(): Promise<WecomTestEnv> {
  env = await startWecomTestEnv();
  await env.configure();
  const { db, secretBox } = env.t.deps;
  env.t.deps.wecom = new WecomIntegration(db, secretBox, { baseUrl: env.sim.url, retryBaseMs: 1, timeoutMs: 300 });
  const mini = env.sim.corp.apps.find((a) => a.kind === 'miniprogram')!;
  mini.visible = { departments: [2], users: ['wangwu'] };
  return env;
}

async function call(method: 'GET' | 'PUT' | 'POST', url: string, body?: object) {
  const res = await env.t.call({ method, url, headers: env.admin.headers, ...(body !== undefined ? { body } : {}) });
  bodies.push(JSON.stringify(res.json));
  return res;
}

async function syncNow() {
  const res = await call('POST', '/api/wecom/sync');
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  await syncServiceFor(env.t.deps).whenDone(res.json.data.runId);
  return (await call('GET', `/api/wecom/sync/runs/${res.json.data.runId}`)).json.data;
}

const activeMembers = async () =>
  (await env.t.deps.db.selectFrom('wecom_members').select('userid').where('left_at', 'is', null).orderBy('userid').execute()).map((m) => m.userid);
const syncCheck = async (body: object = {}) => (await call('POST', '/api/settings/wecom/test', body)).json.data.checks.find((c: { check: string }) => c.check === 'sync_mode');

describe('contact-sync Secret', () => {
  it('without it, the sync lists departments and misses a member visible on his own; test connection says so', async () => {
    await setup();
    const run = await syncNow();
    expect(run.status).toBe('ok');
    expect(await activeMembers()).toEqual(['lisi', 'zhangsan']);
    expect(env.sim.controls.callCounts()['user/list_id']).toBeUndefined();
    const check = await syncCheck();
    expect(check).toMatchObject({ severity: 'ok' });
    expect(check.message).toContain('按部门同步');
    expect(check.message).toContain('会漏掉单独加入可见范围');
  });

  it('with it, the sync pages user/list_id and reads the individually visible member, and no one outside the range', async () => {
    await setup();
    const saved = await call('PUT', '/api/settings/wecom', { enabled: true, corpId: CORP_ID, appId: 'wx0123456789abcdef', syncSecret: SYNC_SECRET });
    expect(saved.status).toBe(200);
    expect(saved.json.data).toMatchObject({ secretSet: true, syncSecretSet: true, syncSecretHint: `••••${SYNC_SECRET.slice(-4)}` });
    // Stored encrypted, like the app Secret.
    const row = await env.t.deps.db.selectFrom('settings').select('value_json').where('key', '=', 'wecom').executeTakeFirstOrThrow();
    expect(row.value_json).not.toContain(SYNC_SECRET);
    const audit = await call('GET', '/api/audit?action=wecom.settings_changed');
    expect(audit.json.data.items[0].detail).toMatchObject({ syncSecretChanged: true });

    env.sim.controls.resetCallCounts();
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'ok', counts: { membersAdded: 3 } });
    expect(await activeMembers()).toEqual(['lisi', 'wangwu', 'zhangsan']);
    // Only the ids the department listing missed were read one by one (wangwu, sunqi, zhaoliu).
    expect(env.sim.controls.callCounts()['user/get']).toBe(3);
    const wangwu = await env.t.deps.db.selectFrom('wecom_members').selectAll().where('userid', '=', 'wangwu').executeTakeFirstOrThrow();
    // The app sees none of wangwu's departments, so WeCom lists none for it.
    expect(wangwu).toMatchObject({ name: '王五', status: 1, department_ids_json: '[]' });

    const check = await syncCheck();
    expect(check).toMatchObject({ severity: 'ok' });
    expect(check.message).toContain('按成员 ID 同步');

    // null removes it: back to the department listing.
    const removed = await call('PUT', '/api/settings/wecom', { enabled: true, corpId: CORP_ID, appId: 'wx0123456789abcdef', syncSecret: null });
    expect(removed.json.data).toMatchObject({ syncSecretSet: false, syncSecretHint: null });
    expect((await syncCheck()).message).toContain('按部门同步');
  });

  it('follows the cursor page by page', async () => {
    await setup();
    const { client, syncClient } = await env.t.deps.wecom.active().then(async (a) => ({
      client: a.client,
      syncClient: env.t.deps.wecom.client({ corpId: CORP_ID, secret: SYNC_SECRET }),
    }));
    env.sim.controls.resetCallCounts();
    const listing = await fetchListing(client, new Map(), async () => undefined, syncClient, { listIdLimit: 2 });
    // 6 (member, department) rows (zhangsan is in two) at 2 a page.
    expect(env.sim.controls.callCounts()['user/list_id']).toBe(3);
    expect([...listing.seen.keys()].sort()).toEqual(['lisi', 'wangwu', 'zhangsan']);
  });

  it('a failed sync changes nothing: no member marked left, no match removed', async () => {
    await setup();
    await call('PUT', '/api/settings/wecom', { enabled: true, corpId: CORP_ID, appId: 'wx0123456789abcdef', syncSecret: SYNC_SECRET });
    expect((await syncNow()).status).toBe('ok');
    const viewer = await env.t.user('viewer');
    expect((await call('PUT', `/api/wecom/bindings/${viewer.id}`, { wecomUserid: 'wangwu' })).status).toBe(200);

    for (const endpoint of ['user/list_id', 'user/get']) {
      env.sim.controls.injectFault({ endpoint, kind: 'errcode', errcode: 60020, times: 10 });
      const run = await syncNow();
      env.sim.controls.clearFaults();
      expect(run.status).toBe('failed');
      expect(run.error).toContain('可信IP');
      expect(await activeMembers()).toEqual(['lisi', 'wangwu', 'zhangsan']);
      expect(await env.t.deps.db.selectFrom('wecom_bindings').select('wecom_userid').where('user_id', '=', viewer.id).executeTakeFirst()).toEqual({ wecom_userid: 'wangwu' });
    }
  });

  it("test connection refuses another app's Secret as the contact-sync Secret", async () => {
    await setup();
    const check = await syncCheck({ syncSecret: OTHER_APP_SECRET });
    expect(check).toMatchObject({ severity: 'error', ok: false });
    expect(check.message).toContain('不是通讯录同步的 Secret');
    const wrong = await syncCheck({ syncSecret: 'not-the-right-secret-at-all' });
    expect(wrong).toMatchObject({ severity: 'error' });
  });
});
