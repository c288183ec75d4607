import type { Kysely } from 'kysely';

/**
 * Contact-change events WeCom delivered to the callback URL: a queue (answered at once, applied
 * right after) and their history, shown next to the sync runs. content_hash is unique so a
 * delivery WeCom repeats is stored, and applied, once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('wecom_callback_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('content_hash', 'text', (c) => c.notNull().unique())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('change_type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text')
    .addColumn('applied_at', 'text')
    .execute();
  await db.schema.createIndex('wecom_callback_events_received').on('wecom_callback_events').column('received_at').execute();
  await db.schema.createIndex('wecom_callback_events_status').on('wecom_callback_events').column('status').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('wecom_callback_events').execute();
}
