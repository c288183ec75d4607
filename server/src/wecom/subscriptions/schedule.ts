import type { SubscriptionSchedule } from '@shulan/shared';
import { Cron } from 'croner';
import { ValidationError, msg } from '../../errors.js';
import { validateSchedule } from '../sync/scheduleSync.js';

/** Subscriptions run on China time, like the address-book sync. */
export const SUBSCRIPTION_TIMEZONE = 'Asia/Shanghai';

/** Cards more often than this would be spam (WeCom itself allows 30 a minute per member). */
const MIN_INTERVAL_MS = 60 * 60_000;

/** The croner expression of a schedule chosen in the UI. */
export function toCron(s: SubscriptionSchedule): string {
  if (s.kind === 'cron') return s.cron;
  const [h, m] = s.time.split(':').map(Number);
  if (s.kind === 'daily') return `${m} ${h} * * *`;
  if (s.kind === 'weekly') return `${m} ${h} * * ${s.weekday % 7}`;
  return `${m} ${h} ${s.day === 'last' ? 'L' : s.day} * *`;
}

/** Refuses (400) an expression croner cannot parse, one that never fires, or fires more than hourly. */
export function validateSubscriptionSchedule(s: SubscriptionSchedule): string {
  const cron = toCron(s);
  validateSchedule({ cron, timezone: SUBSCRIPTION_TIMEZONE });
  const runs = new Cron(cron, { timezone: SUBSCRIPTION_TIMEZONE, paused: true }).nextRuns(6);
  for (let i = 1; i < runs.length; i++) {
    if (runs[i]!.getTime() - runs[i - 1]!.getTime() < MIN_INTERVAL_MS) {
      throw new ValidationError(
        msg(`推送过于频繁：${cron} 两次推送间隔不足 1 小时`, `Too frequent: ${cron} would send cards less than an hour apart`),
      );
    }
  }
  return cron;
}

/** The first run strictly after `from`, as ISO, or null if the expression never fires again. */
export function nextRunAfter(cron: string, from: Date): string | null {
  try {
    return new Cron(cron, { timezone: SUBSCRIPTION_TIMEZONE, paused: true }).nextRun(from)?.toISOString() ?? null;
  } catch {
    return null;
  }
}

/** The latest scheduled time at or before `at` (the one a late or retried send is for). */
export function previousRunAtOrBefore(cron: string, at: Date): Date | null {
  try {
    return new Cron(cron, { timezone: SUBSCRIPTION_TIMEZONE, paused: true }).previousRuns(1, new Date(at.getTime() + 1))[0] ?? null;
  } catch {
    return null;
  }
}
