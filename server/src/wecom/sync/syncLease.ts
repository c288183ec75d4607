import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Db } from '../../db/createDb.js';

/**
 * Which lease: one row per kind of job that must run on one instance at a time (the address-book
 * sync, the report-subscription runner). Both share this table and these functions.
 */
export type LeaseId = 'sync' | 'subscriptions';

/** A lease not renewed for this long belongs to a dead instance: the next sync takes it over. */
export const LEASE_MS = 60_000;
/** How often a running sync renews its lease; several renewals may fail before it lapses. */
export const HEARTBEAT_MS = 15_000;

/**
 * This process: host, pid, and a random part because a restarted process (pid 1 in a container)
 * may get its predecessor's pid.
 */
export const INSTANCE_ID = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/**
 * Takes the single sync lease for runId if nobody holds a live one. One conditional UPDATE, so
 * two instances (or two requests) racing for it cannot both win: the database decides.
 *
 * `locked`: the caller holds the job's advisory lock (cluster/JobLocks.ts). A lease whose holder
 * also held it is then known dead, whatever its expiry says, and is taken over at once; a holder
 * without the lock (SQLite, an instance of an older version) is still waited for until it lapses.
 */
export async function acquireLease(db: Db, runId: string, now = Date.now(), owner = INSTANCE_ID, id: LeaseId = 'sync', locked = false): Promise<boolean> {
  const res = await db
    .updateTable('wecom_sync_lease')
    .set({ run_id: runId, owner, expires_at: new Date(now + LEASE_MS).toISOString(), locked: locked ? 1 : 0 })
    .where('id', '=', id)
    .where((eb) => {
      const lapsed = eb('expires_at', '<', new Date(now).toISOString());
      return locked ? eb.or([lapsed, eb('locked', '=', 1)]) : lapsed;
    })
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The heartbeat: extends the lease of a live run; false if it was lost (expired and taken). */
export async function renewLease(db: Db, runId: string, now = Date.now(), id: LeaseId = 'sync'): Promise<boolean> {
  const res = await db
    .updateTable('wecom_sync_lease')
    .set({ expires_at: new Date(now + LEASE_MS).toISOString() })
    .where('id', '=', id)
    .where('run_id', '=', runId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function releaseLease(db: Db, runId: string, id: LeaseId = 'sync'): Promise<void> {
  await db
    .updateTable('wecom_sync_lease')
    .set({ expires_at: new Date(0).toISOString() })
    .where('id', '=', id)
    .where('run_id', '=', runId)
    .execute();
}

/** Frees the lease if this process holds it (a clean shutdown). */
export async function releaseOwnLease(db: Db, id: LeaseId = 'sync'): Promise<void> {
  await db.updateTable('wecom_sync_lease').set({ expires_at: new Date(0).toISOString() }).where('id', '=', id).where('owner', '=', INSTANCE_ID).execute();
}

/**
 * At start: frees a lease still held by an earlier process on this host that is gone (crashed,
 * killed), so its successor need not wait for the lease to lapse. Returns the dead owner.
 */
export async function releaseLeaseOfDeadLocalProcess(db: Db, id: LeaseId = 'sync'): Promise<string | null> {
  const row = await db.selectFrom('wecom_sync_lease').select(['owner', 'expires_at']).where('id', '=', id).executeTakeFirst();
  if (!row?.owner || Date.parse(row.expires_at) <= Date.now() || !isDeadLocalProcess(row.owner)) return null;
  const res = await db
    .updateTable('wecom_sync_lease')
    .set({ expires_at: new Date(0).toISOString() })
    .where('id', '=', id)
    .where('owner', '=', row.owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1 ? row.owner : null;
}

function isDeadLocalProcess(owner: string): boolean {
  const m = /^(.+):(\d+):[0-9a-f]+$/.exec(owner);
  const pid = Number(m?.[2]);
  if (!m || m[1] !== os.hostname() || pid <= 0 || owner === INSTANCE_ID) return false;
  // Our own pid under another random part was a predecessor of this very process.
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
