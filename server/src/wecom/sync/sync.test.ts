import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { WecomIntegration } from '../WecomIntegration.js';
import { startWecomTestEnv, type WecomTestEnv } from '../testing/wecomTestEnv.js';
import { startScheduler } from './scheduleSync.js';
import { WecomSyncService, syncServiceFor } from './SyncService.js';
import { INSTANCE_ID, acquireLease } from './syncLease.js';

let env: WecomTestEnv;
afterEach(async () => env?.close());

/** The test corp, switched on, with a client that retries fast and gives up on a silent WeCom after 300 ms. */
async function setup(): Promise<WecomTestEnv> {
  env = await startWecomTestEnv();
  await env.configure();
  const { db, secretBox } = env.t.deps;
  env.t.deps.wecom = new WecomIntegration(db, secretBox, { baseUrl: env.sim.url, retryBaseMs: 1, timeoutMs: 300 });
  return env;
}

/** "Sync now" as the admin, waiting for the run to end; returns the run as the API shows it. */
async function syncNow() {
  const res = await env.t.call({ method: 'POST', url: '/api/wecom/sync', headers: env.admin.headers });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const { runId } = res.json.data;
  await syncServiceFor(env.t.deps).whenDone(runId);
  return (await env.t.call({ method: 'GET', url: `/api/wecom/sync/runs/${runId}`, headers: env.admin.headers })).json.data;
}

const tables = async () => ({
  departments: await env.t.deps.db.selectFrom('wecom_departments').selectAll().orderBy('id').execute(),
  members: await env.t.deps.db.selectFrom('wecom_members').selectAll().orderBy('userid').execute(),
});
const member = (userid: string) => env.t.deps.db.selectFrom('wecom_members').selectAll().where('userid', '=', userid).executeTakeFirstOrThrow();
const login = (userid: string) => env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: env.sim.controls.issueLoginCode(userid).code } });
const me = (token: string) => env.t.call({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });

describe('address-book sync', () => {
  it('first sync stores the visible departments and members and records the run', async () => {
    await setup();
    const run = await syncNow();
    expect(run).toMatchObject({
      trigger: 'manual',
      status: 'ok',
      error: null,
      progress: { phase: 'done' },
      counts: { departmentsAdded: 3, membersAdded: 5, membersSeen: 5, membersLeft: 0, membersChanged: 0 },
    });
    const { departments, members } = await tables();
    expect(departments.map((d) => [d.id, d.name, d.parent_id])).toEqual([
      [1, '测试企业', null],
      [2, '销售部', 1],
      [3, '研发部', 1],
    ]);
    expect(members.map((m) => m.userid)).toEqual(['lisi', 'sunqi', 'wangwu', 'zhangsan', 'zhaoliu']);
    // The mini program was created after 2022-06-20: WeCom gives no mobiles, stored as null.
    expect(await member('zhangsan')).toMatchObject({ name: '张三', department_ids_json: '[2,3]', status: 1, mobile: null, left_at: null });

    const history = await env.t.call({ method: 'GET', url: '/api/wecom/sync/runs', headers: env.admin.headers });
    expect(history.json.data).toHaveLength(1);
    expect(history.json.data[0].id).toBe(run.id);
  });

  it('a re-sync with no change in WeCom writes no rows', async () => {
    await setup();
    await syncNow();
    const before = await tables();
    const run = await syncNow();
    expect(run.status).toBe('ok');
    expect(run.counts).toEqual({
      departmentsAdded: 0,
      departmentsChanged: 0,
      departmentsRemoved: 0,
      membersAdded: 0,
      membersChanged: 0,
      membersLeft: 0,
      membersDisabled: 0,
      membersSeen: 5,
    });
    // synced_at included: unchanged rows are not even touched.
    expect(await tables()).toEqual(before);
  });

  it('reflects corp changes between syncs: add, rename, move, disable, delete', async () => {
    await setup();
    await syncNow();
    const c = env.sim.controls;
    c.addDepartment({ id: 4, name: '市场部', parentid: 1 });
    c.updateDepartment(2, { name: '销售中心' });
    c.addMember({ userid: 'qianba', name: '钱八', department: [4] });
    c.updateMember('lisi', { name: '李思' });
    c.updateMember('wangwu', { department: [2] });
    c.updateMember('zhaoliu', { status: 2 });
    c.deleteMember('sunqi');
    const run = await syncNow();
    expect(run.counts).toMatchObject({
      departmentsAdded: 1,
      departmentsChanged: 1,
      membersAdded: 1,
      membersChanged: 3,
      membersDisabled: 1,
      membersLeft: 1,
      membersSeen: 5,
    });
    expect((await env.t.deps.db.selectFrom('wecom_departments').select('name').where('id', '=', 2).executeTakeFirstOrThrow()).name).toBe('销售中心');
    expect(await member('qianba')).toMatchObject({ name: '钱八', department_ids_json: '[4]', left_at: null });
    expect((await member('lisi')).name).toBe('李思');
    expect((await member('wangwu')).department_ids_json).toBe('[2]');
    expect((await member('zhaoliu')).status).toBe(2);
    expect((await member('sunqi')).left_at).not.toBeNull();
    // Deleting the now-empty department removes it locally too.
    c.updateMember('qianba', { department: [3] });
    c.deleteDepartment(4);
    expect((await syncNow()).counts).toMatchObject({ departmentsRemoved: 1, membersChanged: 1 });
  });

  it("ends a disabled member's WeCom sessions at once and lets the member in again once re-enabled", async () => {
    await setup();
    await syncNow();
    const u = await env.t.user('viewer');
    await env.t.call({ method: 'PUT', url: `/api/wecom/bindings/${u.id}`, headers: env.admin.headers, body: { wecomUserid: 'wangwu' } });
    const first = await login('wangwu');
    expect(first.json.data.status).toBe('ok');
    expect((await me(first.json.data.token)).status).toBe(200);

    env.sim.controls.updateMember('wangwu', { status: 2 });
    expect((await syncNow()).counts.membersDisabled).toBe(1);
    expect((await me(first.json.data.token)).status).toBe(401);
    // The password session is not WeCom's to end.
    expect((await env.t.call({ method: 'GET', url: '/api/auth/me', headers: u.headers })).status).toBe(200);
    expect((await login('wangwu')).status).toBe(403);

    env.sim.controls.updateMember('wangwu', { status: 1 });
    await syncNow();
    const again = await login('wangwu');
    expect(again.json.data.status).toBe('ok');
    expect((await me(again.json.data.token)).status).toBe(200);
  });

  it('a member who left loses passwordless access when the complete listing no longer has them', async () => {
    await setup();
    await syncNow();
    const u = await env.t.user('viewer');
    await env.t.call({ method: 'PUT', url: `/api/wecom/bindings/${u.id}`, headers: env.admin.headers, body: { wecomUserid: 'lisi' } });
    const s = await login('lisi');
    env.sim.controls.deleteMember('lisi');
    expect((await syncNow()).counts.membersLeft).toBe(1);
    expect((await me(s.json.data.token)).status).toBe(401);
  });

  describe('faults', () => {
    const recovers: [string, Record<string, unknown>][] = [
      ['a system-busy storm', { endpoint: 'user/list', kind: 'errcode', errcode: -1, nth: 1, times: 3 }],
      ['42001 mid-run', { endpoint: 'user/list', kind: 'errcode', errcode: 42001, nth: 2, times: 1 }],
      ['HTTP 5xx', { endpoint: 'department/list', kind: 'http5xx', times: 2 }],
      ['a timeout', { endpoint: 'user/list', kind: 'timeout', nth: 2, times: 1 }],
      ['truncated JSON', { endpoint: 'user/list', kind: 'truncated', nth: 3, times: 1 }],
    ];
    for (const [name, fault] of recovers) {
      it(`gets through ${name} with retries`, async () => {
        await setup();
        env.sim.controls.injectFault(fault as never);
        const run = await syncNow();
        expect(run.status, run.error).toBe('ok');
        expect(run.counts.membersAdded).toBe(5);
      });
    }

    const fails: [string, Record<string, unknown>, string][] = [
      ['system busy that does not stop', { endpoint: 'user/list', kind: 'errcode', errcode: -1, nth: 2, times: 50 }, '繁忙'],
      ['42001 even with a fresh token', { endpoint: 'user/list', kind: 'errcode', errcode: 42001, nth: 2, times: 50 }, 'access_token'],
      ['5xx that does not stop', { endpoint: 'user/list', kind: 'http5xx', nth: 3, times: 50 }, 'HTTP 502'],
      ['a WeCom that never answers', { endpoint: 'user/list', kind: 'timeout', nth: 2, times: 50 }, '超时'],
      ['truncated JSON every time', { endpoint: 'user/list', kind: 'truncated', nth: 2, times: 50 }, '无法识别'],
    ];
    for (const [name, fault, message] of fails) {
      it(`fails on ${name} with a translated error, losing nothing and marking nobody left`, async () => {
        await setup();
        await syncNow();
        const before = await tables();
        // Changes the failed run must not half-apply: one gone, one renamed.
        env.sim.controls.deleteMember('sunqi');
        env.sim.controls.updateMember('lisi', { name: '李思' });
        env.sim.controls.injectFault(fault as never);
        const run = await syncNow();
        expect(run.status).toBe('failed');
        expect(run.counts).toBeNull();
        expect(run.error).toContain(message);
        expect(await tables()).toEqual(before);
        // The lease is free again: the next run (fault gone) applies everything.
        env.sim.controls.clearFaults();
        const next = await syncNow();
        expect(next.counts).toMatchObject({ membersLeft: 1, membersChanged: 1 });
      });
    }
  });

  it('stops at the first 45009, says WeCom is paused and for how long, and syncs again once the pause is over', async () => {
    await setup();
    let now = Date.now();
    const { db, secretBox } = env.t.deps;
    env.t.deps.wecom = new WecomIntegration(db, secretBox, { baseUrl: env.sim.url, retryBaseMs: 1, timeoutMs: 300, now: () => now });
    env.sim.controls.resetCallCounts();
    env.sim.controls.injectFault({ endpoint: 'user/list', kind: 'errcode', errcode: 45009, nth: 2, times: 50 });
    const run = await syncNow();
    expect(run.status).toBe('failed');
    expect(run.error).toContain('企业微信接口调用过于频繁（45009）');
    expect(run.error).toContain('1 分钟');
    // The three departments are asked at once; none is asked again (no retry of a 45009).
    expect(env.sim.controls.callCounts()['user/list']).toBe(3);

    const paused = await syncNow();
    expect(paused.status).toBe('failed');
    expect(env.sim.controls.callCounts()['user/list']).toBe(3); // paused: WeCom not asked

    env.sim.controls.clearFaults();
    now += 60_000;
    expect((await syncNow()).status).toBe('ok');
  });

  it('shows a running run with its live progress, then its result', async () => {
    await setup();
    // WeCom is slow on the second department, so the run is caught in the middle.
    env.sim.controls.injectFault({ endpoint: 'user/list', kind: 'latency', latencyMs: 250, nth: 2, times: 1 });
    const service = syncServiceFor(env.t.deps);
    const midway = new Promise<void>((resolve) => {
      service.on('progress', (e) => {
        if (e.progress.phase === 'members' && e.progress.done === 1) resolve();
      });
    });
    const res = await env.t.call({ method: 'POST', url: '/api/wecom/sync', headers: env.admin.headers });
    const { runId } = res.json.data;
    await midway;
    const running = (await env.t.call({ method: 'GET', url: `/api/wecom/sync/runs/${runId}`, headers: env.admin.headers })).json.data;
    // Departments are listed at once: the quick ones may be done too, the slow one is not.
    expect(running).toMatchObject({ status: 'running', finishedAt: null, counts: null, progress: { phase: 'members', total: 3 } });
    expect(running.progress.done).toBeGreaterThanOrEqual(1);
    expect(running.progress.done).toBeLessThan(3);
    await service.whenDone(runId);
    const done = (await env.t.call({ method: 'GET', url: `/api/wecom/sync/runs/${runId}`, headers: env.admin.headers })).json.data;
    expect(done).toMatchObject({ status: 'ok', progress: { phase: 'done' } });
    expect(Date.parse(done.finishedAt)).toBeGreaterThanOrEqual(Date.parse(done.startedAt));
  });

  it('two syncs started at once run once; the second is told one is running', async () => {
    await setup();
    env.sim.controls.resetCallCounts();
    // WeCom slow to list members: the first sync is surely still running when the second request
    // gets to it (a small address book synced in less time than a loaded machine took to
    // authenticate the second request, and both were 200).
    env.sim.controls.injectFault({ endpoint: 'user/list', kind: 'latency', latencyMs: 500, times: 1000 });
    const post = () => env.t.call({ method: 'POST', url: '/api/wecom/sync', headers: env.admin.headers });
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? a : b;
    expect(loser.json.error.message).toContain('同步正在进行中');
    await syncServiceFor(env.t.deps).whenDone(winner.json.data.runId);
    env.sim.controls.clearFaults();
    expect(env.sim.controls.callCounts()['department/list']).toBe(1);
    // Finished: the next one may start.
    expect((await syncNow()).status).toBe('ok');
  });

  it('the scheduled job syncs only while the integration is switched on, and follows a saved schedule', async () => {
    await setup();
    // 01:00 in Shanghai: today's 02:00 is still ahead, so starting catches nothing up.
    const scheduler = await startScheduler(env.t.deps, undefined, () => new Date('2026-11-25T17:00:00Z'));
    await scheduler.caughtUp;
    try {
      await env.configure({ enabled: false });
      await scheduler.fire();
      expect(await env.t.deps.db.selectFrom('wecom_sync_runs').selectAll().execute()).toEqual([]);
      await env.configure({ enabled: true });
      await scheduler.fire();
      const runs = (await env.t.call({ method: 'GET', url: '/api/wecom/sync/runs', headers: env.admin.headers })).json.data;
      expect(runs).toMatchObject([{ trigger: 'schedule', status: 'ok' }]);
      const put = await env.t.call({ method: 'PUT', url: '/api/wecom/sync/schedule', headers: env.admin.headers, body: { cron: '15 1 * * *', timezone: 'Asia/Shanghai' } });
      expect(put.json.data).toMatchObject({ active: true, cron: '15 1 * * *' });
    } finally {
      scheduler.stop();
    }
  });

  describe('the lease after a crash', () => {
    const lease = () => env.t.deps.db.selectFrom('wecom_sync_lease').selectAll().where('id', '=', 'sync').executeTakeFirstOrThrow();
    const post = () => env.t.call({ method: 'POST', url: '/api/wecom/sync', headers: env.admin.headers });
    const deadRun = () =>
      env.t.deps.db
        .insertInto('wecom_sync_runs')
        .values({ id: 'dead', trigger: 'schedule', started_at: new Date(Date.now() - 61_000).toISOString(), finished_at: null, status: 'running', counts_json: null, error_json: null, progress_json: null })
        .execute();

    it('a new sync starts at once when the owner stopped renewing a minute ago; the dead run is closed as interrupted', async () => {
      await setup();
      await deadRun();
      // Another instance took the lease 61 s ago, then died: no heartbeat since.
      expect(await acquireLease(env.t.deps.db, 'dead', Date.now() - 61_000, 'other-host:4242:0badf00d')).toBe(true);
      expect((await syncNow()).status).toBe('ok');
      const dead = (await env.t.call({ method: 'GET', url: '/api/wecom/sync/runs/dead', headers: env.admin.headers })).json.data;
      expect(dead).toMatchObject({ status: 'failed', error: expect.stringContaining('中断') });
    });

    it("a live owner's lease is respected", async () => {
      await setup();
      expect(await acquireLease(env.t.deps.db, 'alive', Date.now() - 5_000, 'other-host:4243:0badf00d')).toBe(true);
      const res = await post();
      expect(res.status).toBe(409);
      expect(res.json.error.message).toContain('同步正在进行中');
    });

    it('a running sync renews its lease on a heartbeat, and releases it at the end', async () => {
      await setup();
      const service = new WecomSyncService(env.t.deps, 10);
      // The first member page hangs until the client gives up, so the run outlives many heartbeats.
      env.sim.controls.injectFault({ endpoint: 'user/list', kind: 'timeout' });
      const { runId, done } = await service.start('manual');
      const taken = await lease();
      expect(taken).toMatchObject({ run_id: runId, owner: INSTANCE_ID });
      expect(Date.parse(taken.expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
      let now = taken;
      // Waits for the next heartbeat (yielding to the event loop, so its timer can fire).
      while (now.expires_at === taken.expires_at) {
        await new Promise((resolve) => setImmediate(resolve));
        now = await lease();
      }
      expect(Date.parse(now.expires_at)).toBeGreaterThan(Date.parse(taken.expires_at));
      expect((await done).status).toBe('ok');
      expect(Date.parse((await lease()).expires_at)).toBeLessThan(Date.now());
    });

    it('a restarted process frees the lease its dead predecessor on this host left, without waiting', async () => {
      await setup();
      const host = os.hostname();
      const exited = spawnSync(process.execPath, ['-e', '']).pid;
      for (const predecessor of [`${host}:${exited}:0badf00d`, `${host}:${process.pid}:0badf00d`]) {
        expect(await acquireLease(env.t.deps.db, 'dead', Date.now(), predecessor)).toBe(true);
        expect((await post()).status).toBe(409);
        const lines: string[] = [];
        const scheduler = await startScheduler(env.t.deps, (l) => lines.push(l), () => new Date('2026-11-25T17:00:00Z'));
        scheduler.stop();
        expect(lines).toContainEqual(expect.stringContaining(predecessor));
        expect((await syncNow()).status).toBe('ok');
      }
      // A process of this host that still runs keeps its lease.
      expect(await acquireLease(env.t.deps.db, 'alive', Date.now(), `${host}:${process.ppid}:0badf00d`)).toBe(true);
      (await startScheduler(env.t.deps, undefined, () => new Date('2026-11-25T17:00:00Z'))).stop();
      expect((await post()).status).toBe(409);
    });
  });

  describe('catching up a missed scheduled run at start', () => {
    // 09:00 on 26 Nov in Shanghai; that day's 02:00 there was 18:00 UTC on the 25th.
    const nineAm = () => new Date('2026-11-26T01:00:00Z');
    const run = (status: 'ok' | 'failed', startedAt: string) =>
      env.t.deps.db
        .insertInto('wecom_sync_runs')
        .values({ id: `r-${status}`, trigger: 'schedule', started_at: startedAt, finished_at: startedAt, status, counts_json: null, error_json: null, progress_json: null })
        .execute();
    const runs = async () => (await env.t.call({ method: 'GET', url: '/api/wecom/sync/runs', headers: env.admin.headers })).json.data;
    const startAt = async (now: () => Date) => {
      const scheduler = await startScheduler(env.t.deps, undefined, now);
      await scheduler.caughtUp;
      scheduler.stop();
    };

    it('runs at once when the scheduler starts at 09:00 and nothing ran since 02:00', async () => {
      await setup();
      await startAt(nineAm);
      expect(await runs()).toMatchObject([{ trigger: 'schedule', status: 'ok' }]);
    });

    it('also when the 02:00 run was cut short (it failed)', async () => {
      await setup();
      await run('failed', '2026-11-25T18:00:02.000Z');
      await startAt(nineAm);
      expect((await runs()).map((r: { status: string }) => r.status)).toEqual(['ok', 'failed']);
    });

    it('not when a sync succeeded since 02:00', async () => {
      await setup();
      await run('ok', '2026-11-25T18:00:02.000Z');
      await startAt(nineAm);
      expect(await runs()).toHaveLength(1);
    });

    it('not when the last scheduled time was yesterday (01:30, before today\'s 02:00)', async () => {
      await setup();
      await startAt(() => new Date('2026-11-25T17:30:00Z'));
      expect(await runs()).toEqual([]);
    });

    it('not while the integration is switched off', async () => {
      await setup();
      await env.configure({ enabled: false });
      await startAt(nineAm);
      expect(await runs()).toEqual([]);
    });
  });

  it('refuses to sync while the integration is switched off', async () => {
    await setup();
    await env.configure({ enabled: false });
    const res = await env.t.call({ method: 'POST', url: '/api/wecom/sync', headers: env.admin.headers });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('企业微信');
  });

  it('streams progress to an admin over the WebSocket and refuses viewers', async () => {
    await setup();
    const ws = await env.t.app.injectWS('/api/wecom/sync/progress', { headers: env.admin.headers });
    const events: { status: string; progress: { phase: string } }[] = [];
    const ended = new Promise<void>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const e = JSON.parse(data.toString());
        events.push(e);
        if (e.status !== 'running') resolve();
      });
    });
    await syncNow();
    await ended;
    ws.terminate();
    expect(events.map((e) => e.progress.phase)).toEqual(expect.arrayContaining(['departments', 'members', 'saving', 'done']));
    expect(events.at(-1)).toMatchObject({ status: 'ok', counts: { membersAdded: 5 } });

    const viewer = await env.t.user('viewer');
    expect((await env.t.call({ method: 'GET', url: '/api/wecom/sync/progress', headers: viewer.headers })).status).toBe(403);
    expect((await env.t.call({ method: 'GET', url: '/api/wecom/sync/progress' })).status).toBe(401);
  });

  it('viewers get 403 on every sync and matching route', async () => {
    await setup();
    const viewer = await env.t.user('viewer');
    const calls: [string, string, object?][] = [
      ['POST', '/api/wecom/sync'],
      ['GET', '/api/wecom/sync/runs'],
      ['GET', '/api/wecom/sync/runs/x'],
      ['GET', '/api/wecom/sync/schedule'],
      ['PUT', '/api/wecom/sync/schedule', { cron: '0 3 * * *', timezone: 'Asia/Shanghai' }],
      ['POST', '/api/wecom/matching/preview', { by: 'name' }],
      ['POST', '/api/wecom/matching/confirm', { by: 'name', pairs: [{ userId: viewer.id, wecomUserid: 'lisi' }] }],
    ];
    for (const [method, url, body] of calls) {
      const res = await env.t.call({ method: method as 'GET', url, headers: viewer.headers, body });
      expect(res.status, `${method} ${url}`).toBe(403);
    }
    expect(await env.t.deps.db.selectFrom('wecom_sync_runs').selectAll().execute()).toEqual([]);
  });
});
