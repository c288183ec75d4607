import type { Kysely } from 'kysely';

/**
 * The audit log keeps the name its object had when the entry was written, so an entry still says
 * which report or user it was about after that object is deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('target_name', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('target_name').execute();
}
