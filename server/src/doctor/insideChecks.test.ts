import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../lib/ids.js';
import { createReviewer, removeReviewer } from '../reviewer/reviewerService.js';
import { writeSchedule } from '../wecom/sync/scheduleSync.js';
import { startWecomTestEnv, type WecomTestEnv } from '../wecom/testing/wecomTestEnv.js';
import { DoctorContext, type DoctorOptions } from './DoctorContext.js';
import { reviewerCheck } from './reviewerCheck.js';
import type { DoctorCheck } from './types.js';
import { wecomIntegrationCheck, wecomSyncCheck } from './wecomChecks.js';

/**
 * The checks that read Shulan's own data, case by case (the deploy test runs them all against
 * nginx; here each branch gets its own situation, without a network).
 */

let env: WecomTestEnv;
beforeAll(async () => {
  env = await startWecomTestEnv();
});
afterAll(async () => env?.close());

const HOUR = 3_600_000;
const run = (check: DoctorCheck, opts: Partial<DoctorOptions> = {}) => check.run(new DoctorContext(env.t.deps, { url: 'https://bi.example.com', ...opts }));

async function syncRun(trigger: 'schedule' | 'manual', status: 'ok' | 'failed', hoursAgo: number): Promise<void> {
  const at = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  await env.t.deps.db
    .insertInto('wecom_sync_runs')
    .values({
      id: newId(),
      trigger,
      started_at: at,
      finished_at: at,
      status,
      counts_json: status === 'ok' ? JSON.stringify({ membersSeen: 5 }) : null,
      error_json: status === 'failed' ? JSON.stringify({ zh: '企业微信拒绝了本服务器的 IP', en: "WeCom refused this server's IP" }) : null,
      progress_json: null,
    })
    .execute();
}

describe('wecom_integration', () => {
  it('fails while the integration is off, naming what is missing', async () => {
    await env.configure({ enabled: false, corpId: null, appId: null });
    const o = await run(wecomIntegrationCheck);
    expect(o.status).toBe('fail');
    expect(o.detail.en).toBe('WeCom integration: switched off, no Corp ID, no AppID');
  });

  it("fails with WeCom's reason when a connection check fails, passes when all do", async () => {
    await env.configure();
    env.t.deps.wecom.tokens.clear();
    env.sim.controls.injectFault({ endpoint: 'gettoken', kind: 'errcode', errcode: 40001 });
    const bad = await run(wecomIntegrationCheck);
    expect(bad.status).toBe('fail');
    expect(bad.fix?.zh).toContain('测试连接');
    const good = await run(wecomIntegrationCheck);
    expect(good.status).toBe('ok');
    // The simulator's app was made after 2022-06-20: mobiles are unreadable, which does not block going live.
    expect(good.detail.en).toMatch(/^6 connection checks pass \(note: Members' mobiles are not readable/);
  });
});

describe('wecom_sync', () => {
  beforeEach(async () => {
    await env.configure();
    await env.t.deps.db.deleteFrom('wecom_sync_runs').execute();
    await writeSchedule(env.t.deps.db, { cron: '0 2 * * *', timezone: 'Asia/Shanghai' });
  });

  it('is skipped while the integration is off', async () => {
    await env.configure({ enabled: false });
    expect((await run(wecomSyncCheck)).status).toBe('skip');
  });

  it('fails when nothing ever synced, warns when only a manual sync did', async () => {
    const never = await run(wecomSyncCheck);
    expect(never.status).toBe('fail');
    expect(never.detail.en).toContain('never been synced on schedule');
    await syncRun('manual', 'ok', 1);
    expect((await run(wecomSyncCheck)).status).toBe('warn');
  });

  it('passes for a scheduled sync 25 hours ago, fails for one 27 hours ago (daily: 26 h)', async () => {
    await syncRun('schedule', 'ok', 25);
    const fresh = await run(wecomSyncCheck);
    expect(fresh.status).toBe('ok');
    expect(fresh.detail.en).toContain('(5 members)');
    await env.t.deps.db.deleteFrom('wecom_sync_runs').execute();
    await syncRun('schedule', 'ok', 27);
    const stale = await run(wecomSyncCheck);
    expect(stale.status).toBe('fail');
    expect(stale.detail.en).toContain('27 hours ago');
    expect(stale.fix?.en).toContain('Keep Shulan running');
  });

  it('follows the saved schedule: hourly allows 3 hours', async () => {
    await writeSchedule(env.t.deps.db, { cron: '0 * * * *', timezone: 'Asia/Shanghai' });
    await syncRun('schedule', 'ok', 4);
    expect((await run(wecomSyncCheck)).status).toBe('fail');
    await syncRun('schedule', 'ok', 2);
    expect((await run(wecomSyncCheck)).status).toBe('ok');
  });

  it('fails with the reason when the last scheduled sync failed; a later manual success makes it a warning', async () => {
    await syncRun('schedule', 'ok', 30);
    await syncRun('schedule', 'failed', 5);
    const failed = await run(wecomSyncCheck);
    expect(failed.status).toBe('fail');
    expect(failed.detail.zh).toContain('的定时同步失败：企业微信拒绝了本服务器的 IP');
    await syncRun('manual', 'ok', 1);
    const recovered = await run(wecomSyncCheck);
    expect(recovered.status).toBe('warn');
    expect(recovered.detail.en).toContain('a manual sync succeeded since');
  });
});

describe('reviewer', () => {
  it('before release: missing is ✗, present and least-privilege is ✓, widened is ✗; after release the opposite', async () => {
    const missing = await run(reviewerCheck);
    expect(missing.status).toBe('fail');
    expect(missing.fix?.en).toContain('shulan reviewer create');

    const { username } = await createReviewer(env.t.deps, { actorId: env.admin.id, via: 'admin' });
    expect((await run(reviewerCheck)).status).toBe('ok');
    const present = await run(reviewerCheck, { released: true });
    expect(present.status).toBe('fail');
    expect(present.detail.en).toContain(`${username} still exists`);

    await env.t.deps.db.updateTable('users').set({ role: 'editor' }).where('username', '=', username).execute();
    const widened = await run(reviewerCheck);
    expect(widened.status).toBe('fail');
    expect(widened.detail.en).toBe(`Reviewer account ${username}: its role is editor, not viewer, it can see more than its own report`);
    await env.t.deps.db.updateTable('users').set({ role: 'viewer' }).where('username', '=', username).execute();

    await removeReviewer(env.t.deps, { actorId: env.admin.id, via: 'admin' });
    // Removed: the settings now expect "released".
    expect((await run(reviewerCheck)).status).toBe('ok');
    expect((await run(reviewerCheck, { released: false })).status).toBe('fail');
  });
});
