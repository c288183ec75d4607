import type { WecomSyncCounts } from '@shulan/shared';
import type { WecomSyncRunsTable } from '../db/schema.js';
import { msg, type Msg } from '../errors.js';
import { checkWecomConnection } from '../wecom/testWecomConnection.js';
import { nextRuns, readSchedule } from '../wecom/sync/scheduleSync.js';
import { isLoginReady } from '../wecom/wecomSettings.js';
import { fail, ok, skip, warn, type DoctorCheck } from './types.js';

const HOUR = 3_600_000;
/** How late a scheduled run may be on top of the schedule's own interval (26 h for the daily 02:00). */
const GRACE = 2 * HOUR;

const SETTINGS = msg('系统设置 → 企业微信集成设置', 'Settings → WeCom integration');

export const wecomIntegrationCheck: DoctorCheck = {
  id: 'wecom_integration',
  title: msg('企业微信集成已开启，测试连接全部通过', 'WeCom integration on, every connection check passes'),
  async run(ctx) {
    const { wecom } = ctx.deps;
    const s = await wecom.settings();
    const secret = wecom.storedSecret(s);
    if (!isLoginReady(s) || !s.corpId || secret === null) {
      const missing = [!s.enabled && msg('未开启', 'switched off'), !s.corpId && msg('缺企业ID', 'no Corp ID'), secret === null && msg('缺 Secret', 'no Secret'), !s.appId && msg('缺 AppID', 'no AppID')].filter(
        (m): m is Msg => m !== false,
      );
      return fail(
        msg(`企业微信集成：${missing.map((m) => m.zh).join('、')}`, `WeCom integration: ${missing.map((m) => m.en).join(', ')}`),
        msg(`在 ${SETTINGS.zh} 填写企业ID、Secret 和 AppID，开启集成并保存`, `Under ${SETTINGS.en}, fill in the Corp ID, the Secret and the AppID, switch the integration on and save`),
      );
    }
    const checks = await checkWecomConnection(wecom.client({ corpId: s.corpId, secret }));
    const errors = checks.filter((c) => c.severity === 'error');
    if (errors.length) {
      return fail(
        msg(errors.map((c) => c.message.zh).join('；'), errors.map((c) => c.message.en).join('; ')),
        msg(`按提示处理后，在 ${SETTINGS.zh} 点“测试连接”确认`, `Fix what it says, then press Test connection under ${SETTINGS.en}`),
      );
    }
    const notes = checks.filter((c) => c.severity === 'warning');
    const passed = msg(`${checks.length} 项连接检查通过`, `${checks.length} connection checks pass`);
    if (notes.length === 0) return ok(passed);
    return ok(msg(`${passed.zh}（提示：${notes.map((c) => c.message.zh).join('；')}）`, `${passed.en} (note: ${notes.map((c) => c.message.en).join('; ')})`));
  },
};

export const wecomSyncCheck: DoctorCheck = {
  id: 'wecom_sync',
  title: msg('最近一次定时通讯录同步（每天 02:00）成功，且不超过 26 小时', 'The last scheduled address-book sync (daily 02:00) succeeded, less than 26 h ago'),
  async run(ctx) {
    const { db } = ctx.deps;
    if (!isLoginReady(await ctx.deps.wecom.settings())) return skip(msg('企业微信集成未开启，定时同步不会运行：见上一项', 'The integration is off, so no scheduled sync runs: see above'));
    const schedule = await readSchedule(db);
    const [next, after] = nextRuns(schedule, 2);
    const maxAge = Date.parse(after!) - Date.parse(next!) + GRACE;
    const at = (iso: string) => `${new Intl.DateTimeFormat('sv-SE', { timeZone: schedule.timezone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso))} (${schedule.timezone})`;
    const nextText = msg(`下一次定时同步：${at(next!)}`, `next scheduled sync: ${at(next!)}`);
    const runs = await db.selectFrom('wecom_sync_runs').selectAll().where('status', '!=', 'running').orderBy('started_at', 'desc').limit(100).execute();
    const scheduled = runs.find((r) => r.trigger === 'schedule');
    const laterManual = runs.find((r) => r.trigger !== 'schedule' && r.status === 'ok' && (!scheduled || r.started_at > scheduled.started_at));
    const keepRunning = msg(
      `让数览持续运行（如用 systemd 管理），定时同步按 通讯录同步 → 同步计划（${schedule.cron}，${schedule.timezone}）执行；现在可以点“立即同步”或运行 shulan wecom sync`,
      `Keep Shulan running (e.g. under systemd): the scheduled sync follows 通讯录同步 → sync schedule (${schedule.cron}, ${schedule.timezone}); press Sync now or run shulan wecom sync for now`,
    );

    if (!scheduled) {
      if (laterManual && Date.now() - Date.parse(laterManual.started_at) < maxAge) {
        return warn(
          msg(`还没有定时同步；${at(laterManual.started_at)} 的手动同步成功；${nextText.zh}`, `No scheduled sync yet; a manual sync succeeded at ${at(laterManual.started_at)}; ${nextText.en}`),
          msg('定时同步之后再检查一次', 'Check again after the scheduled sync'),
        );
      }
      return fail(msg(`通讯录从未定时同步过；${nextText.zh}`, `The address book has never been synced on schedule; ${nextText.en}`), keepRunning);
    }
    if (scheduled.status === 'failed') {
      const error = scheduled.error_json ? (JSON.parse(scheduled.error_json) as Msg) : msg('原因未记录', 'no reason recorded');
      const detail = msg(`${at(scheduled.started_at)} 的定时同步失败：${error.zh}`, `The scheduled sync of ${at(scheduled.started_at)} failed: ${error.en}`);
      if (laterManual) {
        return warn(
          msg(`${detail.zh}；之后 ${at(laterManual.started_at)} 的手动同步成功`, `${detail.en}; a manual sync succeeded since, at ${at(laterManual.started_at)}`),
          msg(`留意下一次定时同步（${at(next!)}）`, `Watch the next scheduled sync (${at(next!)})`),
        );
      }
      return fail(
        detail,
        msg(
          `按错误提示处理（${SETTINGS.zh} → 测试连接 逐项检查），再点“立即同步”；${nextText.zh}`,
          `Fix what the error says (${SETTINGS.en} → Test connection checks each prerequisite), then press Sync now; ${nextText.en}`,
        ),
      );
    }
    const age = Date.now() - Date.parse(scheduled.started_at);
    if (age > maxAge) {
      return fail(
        msg(`最近一次定时同步在 ${at(scheduled.started_at)}，已过去 ${Math.floor(age / HOUR)} 小时`, `The last scheduled sync was at ${at(scheduled.started_at)}, ${Math.floor(age / HOUR)} hours ago`),
        keepRunning,
      );
    }
    return ok(msg(`${at(scheduled.started_at)} 定时同步成功${membersText(scheduled, 'zh')}；${nextText.zh}`, `Synced on schedule at ${at(scheduled.started_at)}${membersText(scheduled, 'en')}; ${nextText.en}`));
  },
};

function membersText(run: WecomSyncRunsTable, lang: 'zh' | 'en'): string {
  if (!run.counts_json) return '';
  const counts = JSON.parse(run.counts_json) as Partial<WecomSyncCounts>;
  if (typeof counts.membersSeen !== 'number') return '';
  return lang === 'zh' ? `（成员 ${counts.membersSeen} 人）` : ` (${counts.membersSeen} members)`;
}
