import type { Kysely } from 'kysely';

/**
 * Login attempt counters in the application database, so a separate process (`shulan admin
 * reset-password`) can clear a lock and several server instances share one count.
 * One row per counter; fixed windows that restart when reset_at has passed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_attempts')
    .addColumn('key', 'text', (c) => c.primaryKey())
    // Lower-cased username of per-user counters (null for per-IP ones): a reset clears by it.
    .addColumn('username_key', 'text')
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_username').on('login_attempts').column('username_key').execute();
  await db.schema.createIndex('login_attempts_reset').on('login_attempts').column('reset_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_attempts').execute();
}
