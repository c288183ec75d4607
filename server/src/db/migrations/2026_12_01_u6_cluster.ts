import type { Kysely } from 'kysely';

/**
 * Several instances (docs/scale.md):
 * - `wecom_sync_lease.locked`: the holder also holds the job's PostgreSQL advisory lock, which
 *   ends with its session; whoever gets that lock next may take the lease over at once instead of
 *   waiting for it to lapse. 0 for holders that do not (SQLite, an older instance mid-upgrade).
 * - `embedded_table_files`: the Parquet file in SHULAN_SHARED_DIR holding the current version of
 *   each uploaded table; every instance loads a file it has not loaded yet before querying.
 * - `cluster_instances`: every running instance and its version, renewed by a heartbeat, for doctor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('wecom_sync_lease').addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('embedded_table_files')
    .addColumn('table_name', 'text', (c) => c.primaryKey())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('node_version', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cluster_instances').execute();
  await db.schema.dropTable('embedded_table_files').execute();
  await db.schema.alterTable('wecom_sync_lease').dropColumn('locked').execute();
}
