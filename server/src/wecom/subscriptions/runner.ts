import { Cron } from 'croner';
import type { Deps } from '../../deps.js';
import { newId } from '../../lib/ids.js';
import { isLoginReady, readWecomSettings } from '../wecomSettings.js';
import { localJobLocks } from '../../cluster/JobLocks.js';
import { acquireLease, releaseLease, releaseLeaseOfDeadLocalProcess, renewLease } from '../sync/syncLease.js';
import { SUBSCRIPTION_TIMEZONE, nextRunAfter, previousRunAtOrBefore } from './schedule.js';
import { sendSubscription } from './sendSubscription.js';

/** A scheduled send nobody got for a passing reason is tried again this often… */
export const RETRY_EVERY_MS = 5 * 60_000;
/** …until this long after its scheduled time; then the next scheduled time is the next chance. */
export const RETRY_WITHIN_MS = 30 * 60_000;

export interface RunOutcome {
  /** false: the integration is off, or another instance holds the lease right now. */
  ran: boolean;
  /** Send ids, one per subscription that was due. */
  sends: string[];
}

/**
 * Sends every enabled subscription whose time has come by `now`, once, then moves it to its next
 * time after `now` (a run missed while the server was down is sent once, late, not repeated).
 * A scheduled send that reached nobody for a reason that may pass (WeCom busy or unreachable) is
 * tried again every RETRY_EVERY_MS for RETRY_WITHIN_MS after its time; a refusal is not.
 * One instance at a time: the 'subscriptions' lease, the same mechanism as the address-book sync.
 */
export async function runDueSubscriptions(deps: Deps, now: Date = new Date()): Promise<RunOutcome> {
  if (!isLoginReady(await readWecomSettings(deps.db))) return { ran: false, sends: [] };
  // Most minutes nothing is due: no need to write the lease for that.
  const anyDue = await deps.db.selectFrom('report_subscriptions').select('id').where('enabled', '=', 1).where('next_run_at', '<=', now.toISOString()).limit(1).executeTakeFirst();
  if (!anyDue) return { ran: true, sends: [] };
  const runId = newId();
  // Several instances: the advisory lock says at once whether a live instance is sending.
  const locks = deps.cluster?.locks ?? localJobLocks;
  const held = await locks.tryHold('subscriptions');
  if (!held) return { ran: false, sends: [] };
  if (!(await acquireLease(deps.db, runId, now.getTime(), undefined, 'subscriptions', locks.proves))) {
    await held.release();
    return { ran: false, sends: [] };
  }
  const sends: string[] = [];
  try {
    const due = await deps.db
      .selectFrom('report_subscriptions')
      .selectAll()
      .where('enabled', '=', 1)
      .where('next_run_at', '<=', now.toISOString())
      .orderBy('next_run_at')
      .execute();
    for (const sub of due) {
      // Moved on first, so a crash mid-send cannot make the next instance send it again and again.
      const next = nextRunAfter(sub.cron, now);
      await deps.db.updateTable('report_subscriptions').set({ next_run_at: next, last_run_at: now.toISOString() }).where('id', '=', sub.id).execute();
      const out = await sendSubscription(deps, sub, 'schedule', now);
      sends.push(out.sendId);
      const scheduledAt = previousRunAtOrBefore(sub.cron, now);
      if (out.retryable && scheduledAt && now.getTime() + RETRY_EVERY_MS <= scheduledAt.getTime() + RETRY_WITHIN_MS) {
        const retryAt = new Date(now.getTime() + RETRY_EVERY_MS).toISOString();
        if (!next || retryAt < next) await deps.db.updateTable('report_subscriptions').set({ next_run_at: retryAt }).where('id', '=', sub.id).execute();
      }
      if (!(await renewLease(deps.db, runId, now.getTime(), 'subscriptions'))) break;
    }
  } finally {
    await releaseLease(deps.db, runId, 'subscriptions');
    await held.release();
  }
  return { ran: true, sends };
}

export interface SubscriptionScheduler {
  /** What the minute tick runs (exposed for tests). */
  tick(now?: Date): Promise<RunOutcome>;
  stop(): void;
}

/** Checks for due subscriptions at the start of every minute (China time, like the schedules). */
export async function startSubscriptionScheduler(deps: Deps, log: (line: string) => void = () => {}): Promise<SubscriptionScheduler> {
  const dead = await releaseLeaseOfDeadLocalProcess(deps.db, 'subscriptions');
  if (dead) log(`report subscriptions: freed the lease of ${dead}, which no longer runs`);
  const tick = async (now = new Date()) => {
    try {
      const out = await runDueSubscriptions(deps, now);
      if (out.sends.length) log(`report subscriptions: ${out.sends.length} card send(s)`);
      return out;
    } catch (e) {
      log(`report subscriptions failed: ${e instanceof Error ? e.message : String(e)}`);
      return { ran: false, sends: [] };
    }
  };
  const job = new Cron('* * * * *', { timezone: SUBSCRIPTION_TIMEZONE, protect: true }, () => void tick());
  return { tick, stop: () => job.stop() };
}
