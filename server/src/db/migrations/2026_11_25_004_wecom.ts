import type { Kysely } from 'kysely';

/**
 * WeCom integration: bindings between WeCom members and Shulan users, the local copy of the
 * address book (filled by the daily sync), one-time bind tickets and domain verification files.
 * Portable schema builder only; timestamps are ISO text, JSON is text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One WeCom member <-> one Shulan user, enforced by both unique keys.
  await db.schema
    .createTable('wecom_bindings')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('wecom_userid', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('matched_at', 'text', (c) => c.notNull())
    .addColumn('matched_by', 'text')
    .execute();

  await db.schema
    .createTable('wecom_members')
    .addColumn('userid', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mobile', 'text')
    .addColumn('email', 'text')
    // Compact JSON.stringify(number[]) — wecomOfUsers() joins departments on this exact form.
    .addColumn('department_ids_json', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('left_at', 'text')
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .execute();
  // Matching by name and by mobile (next step of the integration) looks members up by these.
  await db.schema.createIndex('wecom_members_name').on('wecom_members').column('name').execute();
  await db.schema.createIndex('wecom_members_mobile').on('wecom_members').column('mobile').execute();

  await db.schema
    .createTable('wecom_departments')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer')
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('wecom_bind_tickets')
    .addColumn('ticket_hash', 'text', (c) => c.primaryKey())
    .addColumn('corpid', 'text', (c) => c.notNull())
    .addColumn('userid', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('wecom_bind_tickets_expires').on('wecom_bind_tickets').column('expires_at').execute();

  await db.schema
    .createTable('wecom_verification_files')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['wecom_verification_files', 'wecom_bind_tickets', 'wecom_departments', 'wecom_members', 'wecom_bindings']) {
    await db.schema.dropTable(t).execute();
  }
}
