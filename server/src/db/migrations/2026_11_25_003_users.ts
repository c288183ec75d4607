import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Indexes that let the personnel search (prefix `LIKE 'q%'`) use an index with 100k users.
 * - PostgreSQL uses a btree for LIKE only under the C collation or with text_pattern_ops;
 *   the database's collation is not ours to choose, so the indexes say text_pattern_ops.
 * - SQLite's LIKE is case-insensitive, so its LIKE optimisation needs NOCASE indexes.
 */
const COLUMNS = ['username_key', 'display_name', 'mobile', 'email'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const col of COLUMNS) {
    const expr = pg ? sql`${sql.ref(col)} text_pattern_ops` : sql`${sql.ref(col)} collate nocase`;
    await db.schema.createIndex(`users_${col}_prefix`).on('users').expression(expr).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const col of COLUMNS) await db.schema.dropIndex(`users_${col}_prefix`).execute();
}
