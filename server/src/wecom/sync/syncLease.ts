import type { Db } from '../../db/createDb.js';

/** How long a lease holds without renewal; a crashed instance frees the sync after this. */
export const LEASE_MS = 10 * 60_000;

/**
 * Takes the single sync lease for runId if nobody holds a live one. One conditional UPDATE, so
 * two instances (or two requests) racing for it cannot both win: the database decides.
 */
export async function acquireLease(db: Db, runId: string, now = Date.now()): Promise<boolean> {
  const res = await db
    .updateTable('wecom_sync_lease')
    .set({ run_id: runId, expires_at: new Date(now + LEASE_MS).toISOString() })
    .where('id', '=', 'sync')
    .where('expires_at', '<', new Date(now).toISOString())
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Extends the lease while the run makes progress; false if it was lost (expired and taken). */
export async function renewLease(db: Db, runId: string, now = Date.now()): Promise<boolean> {
  const res = await db
    .updateTable('wecom_sync_lease')
    .set({ expires_at: new Date(now + LEASE_MS).toISOString() })
    .where('id', '=', 'sync')
    .where('run_id', '=', runId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function releaseLease(db: Db, runId: string): Promise<void> {
  await db
    .updateTable('wecom_sync_lease')
    .set({ expires_at: new Date(0).toISOString() })
    .where('id', '=', 'sync')
    .where('run_id', '=', runId)
    .execute();
}
