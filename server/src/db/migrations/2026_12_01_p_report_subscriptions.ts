import type { Kysely } from 'kysely';

/**
 * Report cards (订阅推送): subscriptions, one row per send, one row per recipient of a send (the
 * per-member counts behind WeCom's 30-a-minute limit come from it), and a second lease row so one
 * instance at a time runs the due subscriptions. Portable schema builder only (SQLite and PostgreSQL).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('title', 'text')
    .addColumn('schedule_json', 'text', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('recipients_json', 'text', (c) => c.notNull())
    .addColumn('filters_json', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('next_run_at', 'text')
    .addColumn('last_run_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_subscriptions_report').on('report_subscriptions').column('report_id').execute();
  await db.schema.createIndex('report_subscriptions_due').on('report_subscriptions').columns(['enabled', 'next_run_at']).execute();

  await db.schema
    .createTable('report_subscription_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('report_subscriptions.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('card_json', 'text')
    .addColumn('error_json', 'text')
    .execute();
  await db.schema.createIndex('report_subscription_sends_sub').on('report_subscription_sends').columns(['subscription_id', 'started_at']).execute();

  await db.schema
    .createTable('report_subscription_recipients')
    .addColumn('send_id', 'text', (c) => c.notNull().references('report_subscription_sends.id').onDelete('cascade'))
    .addColumn('user_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('wecom_userid', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_subscription_recipients_send').on('report_subscription_recipients').column('send_id').execute();
  await db.schema.createIndex('report_subscription_recipients_member').on('report_subscription_recipients').columns(['wecom_userid', 'at']).execute();

  await (db as Kysely<{ wecom_sync_lease: { id: string; run_id: string | null; expires_at: string } }>)
    .insertInto('wecom_sync_lease')
    .values({ id: 'subscriptions', run_id: null, expires_at: new Date(0).toISOString() })
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await (db as Kysely<{ wecom_sync_lease: { id: string } }>).deleteFrom('wecom_sync_lease').where('id', '=', 'subscriptions').execute();
  await db.schema.dropTable('report_subscription_recipients').execute();
  await db.schema.dropTable('report_subscription_sends').execute();
  await db.schema.dropTable('report_subscriptions').execute();
}
