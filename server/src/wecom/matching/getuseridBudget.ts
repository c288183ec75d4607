import type { Db } from '../../db/createDb.js';
import { writeSetting } from '../../settings/settingsStore.js';

/**
 * WeCom bans user/getuserid for a whole day once the day's failed look-ups exceed 20 % of the
 * corp's seats. We stop at 10 % of the synced member count, counting every failure of the
 * (China) day in the database, so several previews in one day share one budget.
 */
export const FAILURE_SHARE = 0.1;
const KEY = 'wecom_getuserid_failures';

/** The calendar day in China, which is when WeCom's ban resets. */
export function chinaDay(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function failureLimit(syncedMembers: number): number {
  return Math.max(1, Math.floor(syncedMembers * FAILURE_SHARE));
}

export async function failuresToday(db: Db): Promise<number> {
  const row = await db.selectFrom('settings').select('value_json').where('key', '=', KEY).executeTakeFirst();
  if (!row) return 0;
  const v = JSON.parse(row.value_json) as { day?: unknown; failures?: unknown };
  return v.day === chinaDay() && typeof v.failures === 'number' ? v.failures : 0;
}

export async function recordFailure(db: Db): Promise<number> {
  const failures = (await failuresToday(db)) + 1;
  await writeSetting(db, KEY, { day: chinaDay(), failures });
  return failures;
}

/** Errcodes of a look-up that WeCom counts (or may count) as a failed attempt. */
export const FAILED_LOOKUP_ERRCODES: ReadonlySet<number> = new Set([46004, 60111, 60103, 60011, 40003]);
