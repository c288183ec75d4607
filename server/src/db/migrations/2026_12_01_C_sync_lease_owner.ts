import type { Kysely } from 'kysely';

/**
 * Who holds the sync lease (`host:pid:random` of the process), so a restarted process can free a
 * lease its dead predecessor on the same host left behind. Portable schema builder only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('wecom_sync_lease').addColumn('owner', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('wecom_sync_lease').dropColumn('owner').execute();
}
