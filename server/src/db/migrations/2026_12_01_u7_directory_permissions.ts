import type { Kysely } from 'kysely';

/**
 * The WeCom org chart as permissions: department groups kept by the sync, grants that include
 * sub-departments, dataset row/column rules, admin-set attributes, and the directory fields row
 * rules read (main department, custom fields).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('groups').addColumn('source', 'text', (c) => c.notNull().defaultTo('manual')).execute();
  await db.schema.alterTable('groups').addColumn('wecom_department_id', 'integer').execute();
  // Several NULLs are allowed by both engines: one group per department, any number of manual ones.
  await db.schema.createIndex('groups_wecom_department').unique().on('groups').column('wecom_department_id').execute();
  await db.schema.alterTable('report_grants').addColumn('include_sub', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('datasets').addColumn('permissions_json', 'text').execute();
  await db.schema.alterTable('wecom_members').addColumn('main_department', 'integer').execute();
  await db.schema.alterTable('wecom_members').addColumn('extattr_json', 'text').execute();
  await db.schema
    .createTable('subject_attributes')
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('attributes_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subject_attributes_pk', ['subject_type', 'subject_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('subject_attributes').execute();
  await db.schema.alterTable('wecom_members').dropColumn('extattr_json').execute();
  await db.schema.alterTable('wecom_members').dropColumn('main_department').execute();
  await db.schema.alterTable('datasets').dropColumn('permissions_json').execute();
  await db.schema.alterTable('report_grants').dropColumn('include_sub').execute();
  await db.schema.dropIndex('groups_wecom_department').execute();
  await db.schema.alterTable('groups').dropColumn('wecom_department_id').execute();
  await db.schema.alterTable('groups').dropColumn('source').execute();
}
