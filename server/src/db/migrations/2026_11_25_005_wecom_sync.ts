import type { Kysely } from 'kysely';

/**
 * WeCom address-book sync: the history of runs and a single-row lease so only one sync runs at a
 * time across every instance sharing the database. Portable schema builder only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wecom_sync_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('counts_json', 'text')
    .addColumn('error_json', 'text')
    .addColumn('progress_json', 'text')
    .execute();
  await db.schema.createIndex('wecom_sync_runs_started').on('wecom_sync_runs').column('started_at').execute();

  // One row, taken by a conditional UPDATE (expires_at in the past); released by expiring it.
  await db.schema
    .createTable('wecom_sync_lease')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await (db as Kysely<{ wecom_sync_lease: { id: string; run_id: string | null; expires_at: string } }>)
    .insertInto('wecom_sync_lease')
    .values({ id: 'sync', run_id: null, expires_at: new Date(0).toISOString() })
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('wecom_sync_lease').execute();
  await db.schema.dropTable('wecom_sync_runs').execute();
}
