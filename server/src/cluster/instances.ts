import os from 'node:os';
import type { Db } from '../db/createDb.js';
import { shulanVersion } from '../lib/nodeRuntime.js';
import { INSTANCE_ID } from '../wecom/sync/syncLease.js';

/** How often a running instance says it is alive. */
export const INSTANCE_HEARTBEAT_MS = 10_000;
/** Not seen for this long: stopped (its row is swept by the next instance that starts). */
export const INSTANCE_GONE_MS = 3 * INSTANCE_HEARTBEAT_MS;

export interface InstanceRow {
  id: string;
  host: string;
  version: string;
  nodeVersion: string;
  startedAt: string;
  seenAt: string;
}

/**
 * Registers this instance in `cluster_instances` and renews it every INSTANCE_HEARTBEAT_MS, so
 * doctor can list the running instances and their versions (a half-finished upgrade shows).
 * Returns the function that removes the row at a clean stop.
 */
export async function registerInstance(db: Db, id = INSTANCE_ID): Promise<() => Promise<void>> {
  const started = new Date().toISOString();
  const beat = async () => {
    const now = new Date().toISOString();
    await db
      .insertInto('cluster_instances')
      .values({ id, host: os.hostname(), version: shulanVersion(), node_version: process.version, started_at: started, seen_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: now }))
      .execute();
  };
  await beat();
  // Rows of instances gone for an hour are only noise in the list.
  await db.deleteFrom('cluster_instances').where('seen_at', '<', new Date(Date.now() - 3_600_000).toISOString()).execute();
  const timer = setInterval(() => void beat().catch(() => undefined), INSTANCE_HEARTBEAT_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await db.deleteFrom('cluster_instances').where('id', '=', id).execute();
  };
}

/** Instances seen within INSTANCE_GONE_MS, oldest first. */
export async function liveInstances(db: Db, now = Date.now()): Promise<InstanceRow[]> {
  const rows = await db
    .selectFrom('cluster_instances')
    .selectAll()
    .where('seen_at', '>=', new Date(now - INSTANCE_GONE_MS).toISOString())
    .orderBy('started_at')
    .execute();
  return rows.map((r) => ({ id: r.id, host: r.host, version: r.version, nodeVersion: r.node_version, startedAt: r.started_at, seenAt: r.seen_at }));
}
