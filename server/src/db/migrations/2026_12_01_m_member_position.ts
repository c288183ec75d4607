import type { Kysely } from 'kysely';

/** The member's job title (职务) from WeCom, so the manual-match dialog can tell namesakes apart. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('wecom_members').addColumn('position', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('wecom_members').dropColumn('position').execute();
}
