import {
  ReportDefinitionSchema,
  type ReportDefinition,
  type ReportGrants,
  type ReportList,
  type ReportSummary,
} from '@shulan/shared';
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/createDb.js';
import type { ReportsTable } from '../db/schema.js';
import { NotFoundError, msg } from '../errors.js';
import { newId, nowIso } from '../lib/ids.js';
import { containsPattern } from './queryValues.js';
import { deleteSubscriptionsOfReport } from '../wecom/subscriptions/subscriptionRepo.js';

export interface ReportRecord extends ReportSummary {
  definition: ReportDefinition;
}

/** The report with its parsed definition; throws NotFoundError. */
export async function getReport(db: Db, id: string): Promise<ReportRecord> {
  const row = await db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(msg('报表', 'Report'));
  return toRecord(row);
}

/** Reports by name search; `ids` null = all, otherwise only those (the caller's visible set). */
export async function listReports(
  db: Db,
  opts: { ids: string[] | null; q?: string; limit: number; offset: number },
): Promise<ReportList> {
  if (opts.ids !== null && opts.ids.length === 0) return { items: [], total: 0 };
  let query = db.selectFrom('reports');
  if (opts.ids !== null) query = query.where('id', 'in', opts.ids);
  if (opts.q) {
    const pattern = containsPattern(opts.q.toLowerCase());
    query = query.where(sql<boolean>`lower(name) like ${pattern} escape '!'`);
  }
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  return { items: rows.map((r) => summaryOf(toRecord(r))), total: Number(count?.n ?? 0) };
}

export async function insertReport(
  db: Db,
  input: { name: string; description: string | null; definition: ReportDefinition; createdBy: string | null },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('reports')
    .values({
      id,
      name: input.name,
      description: input.description,
      definition_json: JSON.stringify(input.definition),
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function updateReport(
  db: Db,
  id: string,
  patch: { name?: string; description?: string | null; definition?: ReportDefinition },
): Promise<void> {
  await db
    .updateTable('reports')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.definition !== undefined ? { definition_json: JSON.stringify(patch.definition) } : {}),
      updated_at: nowIso(),
    })
    .where('id', '=', id)
    .execute();
}

/** Deletes the report, its grants, its stars and its card subscriptions. */
export async function deleteReport(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('report_grants').where('report_id', '=', id).execute();
    await deleteSubscriptionsOfReport(trx, id);
    await trx.deleteFrom('report_favorites').where('report_id', '=', id).execute();
    await trx.deleteFrom('reports').where('id', '=', id).execute();
  });
}

export async function getGrants(db: Db, reportId: string): Promise<ReportGrants> {
  const rows = await db
    .selectFrom('report_grants')
    .select(['subject_type', 'subject_id', 'include_sub'])
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .orderBy('subject_id')
    .execute();
  return {
    users: rows.filter((r) => r.subject_type === 'user').map((r) => r.subject_id),
    groups: rows.filter((r) => r.subject_type === 'group').map((r) => r.subject_id),
    subDepartments: rows.filter((r) => r.subject_type === 'group' && Number(r.include_sub) === 1).map((r) => r.subject_id),
  };
}

/** Replaces all grants of a report in one transaction. */
export async function replaceGrants(db: Db, reportId: string, grants: ReportGrants): Promise<void> {
  const now = nowIso();
  const values = [
    ...[...new Set(grants.users)].map((id) => ({ report_id: reportId, subject_type: 'user' as const, subject_id: id, created_at: now, include_sub: 0 })),
    ...[...new Set(grants.groups)].map((id) => ({
      report_id: reportId,
      subject_type: 'group' as const,
      subject_id: id,
      created_at: now,
      include_sub: grants.subDepartments.includes(id) ? 1 : 0,
    })),
  ];
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('report_grants').where('report_id', '=', reportId).execute();
    // Chunked: SQLite caps bound parameters per statement.
    for (let i = 0; i < values.length; i += 500) {
      await trx.insertInto('report_grants').values(values.slice(i, i + 500)).execute();
    }
  });
}

export function summaryOf(r: ReportRecord): ReportSummary {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    widgetCount: r.widgetCount,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/**
 * Parsed definitions by their stored JSON: a dashboard open asks for its report once per widget,
 * and validating the whole definition each time was the largest cost of a warm open (bench).
 * Keyed by the text itself, so an edit is a new entry. The object is shared: callers read it only.
 */
const parsedDefinitions = new LRUCache<string, ReportDefinition>({ max: 200 });

function parseDefinition(json: string): ReportDefinition {
  let definition = parsedDefinitions.get(json);
  if (!definition) {
    definition = ReportDefinitionSchema.parse(JSON.parse(json));
    parsedDefinitions.set(json, definition);
  }
  return definition;
}

function toRecord(row: ReportsTable): ReportRecord {
  const definition = parseDefinition(row.definition_json);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    widgetCount: definition.widgets.length,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    definition,
  };
}
