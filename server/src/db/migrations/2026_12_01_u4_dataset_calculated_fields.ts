import type { Kysely } from 'kysely';

/** Calculated fields of a dataset (`[{name, expression}]` as JSON), checked when saved and again at query time. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('datasets').addColumn('calculated_fields_json', 'text', (c) => c.notNull().defaultTo('[]')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('datasets').dropColumn('calculated_fields_json').execute();
}
