import { sql, type Kysely } from 'kysely';

// The embedded data source always exists, with a fixed id, so uploads and the sample need no setup.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = new Date().toISOString();
  await sql`INSERT INTO datasources (id, name, kind, config_json, secret_enc, created_by, created_at, updated_at)
    VALUES ('embedded', '内置数据库', 'embedded', '{}', NULL, NULL, ${now}, ${now})`.execute(db);
  // Finding the datasets over a table (data_version bumps, delete checks).
  await db.schema.createIndex('datasets_source_table').on('datasets').columns(['datasource_id', 'table_name']).execute();
}
