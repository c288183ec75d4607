import type { WecomSyncCounts, WecomSyncProgress, WecomSyncRunView, WecomSyncTrigger } from '@shulan/shared';
import type { Db } from '../../db/createDb.js';
import type { WecomSyncRunsTable } from '../../db/schema.js';
import type { Msg } from '../../errors.js';
import type { Lang } from '../../http/route.js';
import { nowIso } from '../../lib/ids.js';

export async function insertRun(db: Db, id: string, trigger: WecomSyncTrigger): Promise<void> {
  const progress: WecomSyncProgress = { phase: 'starting', done: 0, total: 0 };
  await db
    .insertInto('wecom_sync_runs')
    .values({ id, trigger, started_at: nowIso(), finished_at: null, status: 'running', counts_json: null, error_json: null, progress_json: JSON.stringify(progress) })
    .execute();
}

export async function saveProgress(db: Db, id: string, progress: WecomSyncProgress): Promise<void> {
  await db.updateTable('wecom_sync_runs').set({ progress_json: JSON.stringify(progress) }).where('id', '=', id).execute();
}

export async function finishRun(db: Db, id: string, outcome: { counts: WecomSyncCounts; finishedAt: string } | { error: Msg }): Promise<void> {
  if ('counts' in outcome) {
    await db
      .updateTable('wecom_sync_runs')
      .set({
        status: 'ok',
        finished_at: outcome.finishedAt,
        counts_json: JSON.stringify(outcome.counts),
        progress_json: JSON.stringify({ phase: 'done', done: 1, total: 1 } satisfies WecomSyncProgress),
      })
      .where('id', '=', id)
      .execute();
  } else {
    await db
      .updateTable('wecom_sync_runs')
      .set({ status: 'failed', finished_at: nowIso(), error_json: JSON.stringify(outcome.error) })
      .where('id', '=', id)
      .execute();
  }
}

/**
 * Runs still 'running' whose instance died (the lease was free when a new run took it): they
 * can never finish, so they are closed as failed with an explanation.
 */
export async function closeAbandonedRuns(db: Db, exceptId: string): Promise<void> {
  const error: Msg = {
    zh: '同步中断（服务器在同步过程中停止），未写入任何更改',
    en: 'The sync was interrupted (the server stopped during it); nothing was changed',
  };
  await db
    .updateTable('wecom_sync_runs')
    .set({ status: 'failed', finished_at: nowIso(), error_json: JSON.stringify(error) })
    .where('status', '=', 'running')
    .where('id', '!=', exceptId)
    .execute();
}

/** Whether a sync (of any trigger) that started at or after `since` succeeded. */
export async function succeededSince(db: Db, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('wecom_sync_runs')
    .select('id')
    .where('status', '=', 'ok')
    .where('started_at', '>=', since.toISOString())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function findRun(db: Db, id: string): Promise<WecomSyncRunsTable | undefined> {
  return db.selectFrom('wecom_sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listRuns(db: Db, limit: number): Promise<WecomSyncRunsTable[]> {
  return db.selectFrom('wecom_sync_runs').selectAll().orderBy('started_at', 'desc').orderBy('id').limit(limit).execute();
}

export function toRunView(r: WecomSyncRunsTable, lang: Lang, live?: WecomSyncProgress): WecomSyncRunView {
  const error = r.error_json ? (JSON.parse(r.error_json) as Msg) : null;
  return {
    id: r.id,
    trigger: r.trigger,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    counts: r.counts_json ? (JSON.parse(r.counts_json) as WecomSyncCounts) : null,
    error: error ? error[lang] : null,
    progress: live ?? (r.progress_json ? (JSON.parse(r.progress_json) as WecomSyncProgress) : null),
  };
}
