import type { WecomSyncScheduleBody, WecomSyncScheduleView } from '@shulan/shared';
import { Cron } from 'croner';
import { z } from 'zod';
import type { Db } from '../../db/createDb.js';
import type { Deps } from '../../deps.js';
import { ValidationError, msg } from '../../errors.js';
import { isLoginReady, readWecomSettings } from '../wecomSettings.js';
import { syncServiceFor } from './SyncService.js';
import { releaseLeaseOfDeadLocalProcess } from './syncLease.js';
import { succeededSince } from './syncRuns.js';
import { writeSetting } from '../../settings/settingsStore.js';

const KEY = 'wecom_sync_schedule';
/** The help page's promise: the address book is synced every day at 02:00 (China time). */
export const DEFAULT_SCHEDULE: WecomSyncScheduleBody = { cron: '0 2 * * *', timezone: 'Asia/Shanghai' };

const StoredSchema = z.object({ cron: z.string(), timezone: z.string() });

export async function readSchedule(db: Db): Promise<WecomSyncScheduleBody> {
  const row = await db.selectFrom('settings').select('value_json').where('key', '=', KEY).executeTakeFirst();
  if (!row) return DEFAULT_SCHEDULE;
  const parsed = StoredSchema.safeParse(JSON.parse(row.value_json));
  return parsed.success ? parsed.data : DEFAULT_SCHEDULE;
}

/** Refuses (400) an expression croner cannot parse or a zone that is not an IANA time zone. */
export function validateSchedule(s: WecomSyncScheduleBody): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: s.timezone });
  } catch {
    throw new ValidationError(msg(`未知的时区：${s.timezone}（例如 Asia/Shanghai）`, `Unknown time zone: ${s.timezone} (e.g. Asia/Shanghai)`));
  }
  // Intl also accepts offsets such as "+08:00"; only region names follow daylight-saving rules.
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(s.timezone)) {
    throw new ValidationError(msg(`时区应为 IANA 名称（例如 Asia/Shanghai）：${s.timezone}`, `The time zone must be an IANA name (e.g. Asia/Shanghai): ${s.timezone}`));
  }
  let next: Date | null;
  try {
    next = new Cron(s.cron, { timezone: s.timezone, paused: true }).nextRun();
  } catch (e) {
    const why = e instanceof Error ? e.message.slice(0, 200) : '';
    throw new ValidationError(msg(`无法识别的 cron 表达式：${s.cron}（${why}）`, `Cannot parse the cron expression ${s.cron} (${why})`));
  }
  if (!next) throw new ValidationError(msg(`该 cron 表达式不会再触发：${s.cron}`, `This cron expression never fires again: ${s.cron}`));
}

export async function writeSchedule(db: Db, s: WecomSyncScheduleBody): Promise<void> {
  validateSchedule(s);
  await writeSetting(db, KEY, { cron: s.cron, timezone: s.timezone });
  for (const reload of reloaders) await reload();
}

/** The next `count` run times of a schedule after `from`, as ISO UTC. */
export function nextRuns(s: WecomSyncScheduleBody, count = 3, from?: Date): string[] {
  return new Cron(s.cron, { timezone: s.timezone, paused: true }).nextRuns(count, from).map((d) => d.toISOString());
}

export async function scheduleView(db: Db): Promise<WecomSyncScheduleView> {
  const s = await readSchedule(db);
  return { ...s, active: isLoginReady(await readWecomSettings(db)), nextRuns: nextRuns(s) };
}

/**
 * The scheduled time before `now` if it fell on the same calendar day in the schedule's zone: a
 * run the server may have missed while it was down (for the default schedule, today's 02:00).
 */
export function dueEarlierToday(s: WecomSyncScheduleBody, now: Date): Date | null {
  let previous: Date | undefined;
  try {
    [previous] = new Cron(s.cron, { timezone: s.timezone, paused: true }).previousRuns(1, now);
  } catch {
    return null;
  }
  if (!previous) return null;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: s.timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return day.format(previous) === day.format(now) ? previous : null;
}

/** Schedulers of this process, told when the schedule is saved here. */
const reloaders = new Set<() => Promise<void>>();
/** Other instances pick a changed schedule up within this long. */
const RELOAD_EVERY_MS = 5 * 60_000;

export interface Scheduler {
  /** What the cron job runs (exposed so tests need not wait for 02:00). */
  fire(): Promise<void>;
  /** Settles when the start-up catch-up (running today's missed run, if any) is over. */
  caughtUp: Promise<void>;
  stop(): void;
}

/**
 * Runs the address-book sync on the saved schedule (default 02:00 Asia/Shanghai) while the
 * integration is switched on. Several instances may all fire: the sync lease lets one run.
 * At start it frees a lease its crashed predecessor left, and runs today's scheduled sync if the
 * server was down at its time and no sync has succeeded since. `now` is the clock of that check.
 */
export async function startScheduler(
  deps: Pick<Deps, 'db' | 'wecom' | 'sessions'>,
  log: (line: string) => void = () => {},
  now: () => Date = () => new Date(),
): Promise<Scheduler> {
  let job: Cron | null = null;
  let current = '';
  const fire = async () => {
    if (!isLoginReady(await readWecomSettings(deps.db))) return;
    try {
      const { runId, done } = await syncServiceFor(deps).start('schedule');
      const outcome = await done;
      log(`wecom sync ${runId}: ${outcome.status === 'ok' ? JSON.stringify(outcome.counts) : outcome.error.en}`);
    } catch (e) {
      // 409: another instance took this run; 403: switched off meanwhile. Nothing to do.
      log(`wecom sync skipped: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const load = async () => {
    const s = await readSchedule(deps.db);
    const key = `${s.cron}|${s.timezone}`;
    if (key === current) return;
    job?.stop();
    try {
      job = new Cron(s.cron, { timezone: s.timezone, protect: true }, fire);
      current = key;
    } catch {
      // A stored schedule is validated on save; fall back to the default if it went bad anyway.
      job = new Cron(DEFAULT_SCHEDULE.cron, { timezone: DEFAULT_SCHEDULE.timezone, protect: true }, fire);
      current = key;
    }
  };
  await load();
  reloaders.add(load);
  const dead = await releaseLeaseOfDeadLocalProcess(deps.db);
  if (dead) log(`wecom sync: freed the lease of ${dead}, which no longer runs`);
  const catchUp = async () => {
    if (!isLoginReady(await readWecomSettings(deps.db))) return;
    const due = dueEarlierToday(await readSchedule(deps.db), now());
    if (!due || (await succeededSince(deps.db, due))) return;
    log(`wecom sync: the run due at ${due.toISOString()} did not happen (server down?); running it now`);
    await fire();
  };
  const caughtUp = catchUp().catch((e: unknown) => log(`wecom sync catch-up failed: ${e instanceof Error ? e.message : String(e)}`));
  const timer = setInterval(() => void load().catch(() => undefined), RELOAD_EVERY_MS);
  timer.unref();
  return {
    fire,
    caughtUp,
    stop() {
      clearInterval(timer);
      reloaders.delete(load);
      job?.stop();
    },
  };
}
