import type { Kysely } from 'kysely';

/**
 * Reports a user starred (★), shared by the web viewer and the mini program. A row says nothing
 * about access: listing joins it with the user's grants, so a revoked grant hides the report.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_favorites')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_favorites_pk', ['user_id', 'report_id'])
    .execute();
  // Deleting a report removes its stars.
  await db.schema.createIndex('report_favorites_report').on('report_favorites').column('report_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('report_favorites').execute();
}
