import {
  CreateDatasetBodySchema,
  EMBEDDED_DATASOURCE_ID,
  DatasetPreviewQuerySchema,
  UpdateDatasetBodySchema,
  ValidateExpressionBodySchema,
  type CalculatedField,
  type DatasetPreview,
  type DatasetView,
  type Field,
  type ValidateExpressionResult,
} from '@shulan/shared';
import { CalcScope } from '../calc/calcScope.js';
import { FormulaError } from '../calc/formulaError.js';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import { getDatasourceRow } from '../datasources/datasourceRepo.js';
import type { SourceConnector } from '../datasources/SourceConnector.js';
import { quoteTable } from '../datasources/sqlNames.js';
import { tableFields } from '../datasources/tableFields.js';
import type { Db } from '../db/createDb.js';
import type { DatasetsTable as DatasetsColumns } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { newId, nowIso } from '../lib/ids.js';
import { DATASET } from './getQueryableDataset.js';
import { checkReadOnlySql } from './sqlGuard.js';
import { embeddedTableNames, toDisplaySql, toPhysicalSql, type TableNames } from './sqlEditor/displayNames.js';

/** A selected dataset row. */
type DatasetsTable = Selectable<DatasetsColumns>;

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

export function datasetRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;

  async function load(id: string): Promise<DatasetsTable> {
    const row = await db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(DATASET);
    return row;
  }

  async function assertNameFree(name: string, exceptId?: string): Promise<void> {
    const other = await db.selectFrom('datasets').select('id').where('name', '=', name).executeTakeFirst();
    if (other && other.id !== exceptId) {
      throw new ConflictError(msg(`已有名为「${name}」的数据集`, `A dataset named "${name}" already exists`));
    }
  }

  async function fieldsOfTable(datasourceId: string, table: string): Promise<Field[]> {
    const fields = await tableFields(deps, datasourceId, table);
    if (!fields) throw new ValidationError(msg(`数据源中没有表 ${table}`, `The source has no table ${table}`));
    return fields;
  }

  async function fieldsOfSql(datasourceId: string, raw: string): Promise<{ sql: string; fields: Field[] }> {
    const conn = await deps.connectors.forSource(datasourceId);
    // Uploaded tables are written by their display names; stored and run by their physical ones.
    const physical = datasourceId === EMBEDDED_DATASOURCE_ID ? toPhysicalSql(raw, await embeddedTableNames(db)).sql : raw;
    const clean = checkReadOnlySql(physical, conn.dialect);
    const fields = await conn.describeQuery(clean);
    if (fields.length === 0) throw new ValidationError(msg('查询没有返回任何列', 'The query returns no columns'));
    return { sql: clean, fields };
  }

  return [
    route({
      method: 'GET',
      url: '/api/datasets',
      access: 'editor',
      tag: 'datasets',
      summary: 'List datasets',
      handler: async (): Promise<DatasetView[]> => {
        const rows = await db.selectFrom('datasets').selectAll().orderBy('name').execute();
        return toViews(db, rows);
      },
    }),
    route({
      method: 'GET',
      url: '/api/datasets/:id',
      access: 'editor',
      tag: 'datasets',
      summary: 'One dataset with its fields',
      params: IdParams,
      handler: async ({ params }): Promise<DatasetView> => (await toViews(db, [await load(params.id)]))[0]!,
    }),
    route({
      method: 'POST',
      url: '/api/datasets',
      access: 'editor',
      tag: 'datasets',
      summary: 'Create a dataset over a table or a read-only SQL query of a source',
      body: CreateDatasetBodySchema,
      handler: async ({ body, user }): Promise<DatasetView> => {
        await getDatasourceRow(db, body.datasourceId);
        await assertNameFree(body.name);
        const { fields, tableName, sqlText } =
          body.kind === 'table'
            ? { fields: await fieldsOfTable(body.datasourceId, body.table), tableName: body.table, sqlText: null }
            : await fieldsOfSql(body.datasourceId, body.sql).then((r) => ({ fields: r.fields, tableName: null, sqlText: r.sql }));
        const now = nowIso();
        const id = newId();
        await db
          .insertInto('datasets')
          .values({
            id,
            name: body.name,
            datasource_id: body.datasourceId,
            kind: body.kind,
            table_name: tableName,
            sql: sqlText,
            fields_json: JSON.stringify(fields),
            created_by: user?.id ?? null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await audit(db, user?.id ?? null, 'dataset.create', id, { name: body.name, kind: body.kind });
        return (await toViews(db, [await load(id)]))[0]!;
      },
    }),
    route({
      method: 'PUT',
      url: '/api/datasets/:id',
      access: 'editor',
      tag: 'datasets',
      summary: 'Rename a dataset or change its table / SQL (fields are read again)',
      params: IdParams,
      body: UpdateDatasetBodySchema,
      handler: async ({ params, body, user }): Promise<DatasetView> => {
        const row = await load(params.id);
        if (body.name) await assertNameFree(body.name, row.id);
        if (row.kind === 'table' && body.sql !== undefined) {
          throw new ValidationError(msg('表数据集不能设置 SQL', 'A table dataset has no SQL'));
        }
        if (row.kind === 'sql' && body.table !== undefined) {
          throw new ValidationError(msg('SQL 数据集不能设置表', 'A SQL dataset has no table'));
        }
        const changes: Partial<Pick<DatasetsColumns, 'name' | 'table_name' | 'sql' | 'fields_json'>> & { calculated_fields_json?: string } = {};
        if (body.name) changes.name = body.name;
        if (body.table !== undefined) {
          changes.table_name = body.table;
          changes.fields_json = JSON.stringify(await fieldsOfTable(row.datasource_id, body.table));
        }
        if (body.sql !== undefined) {
          const r = await fieldsOfSql(row.datasource_id, body.sql);
          changes.sql = r.sql;
          changes.fields_json = JSON.stringify(r.fields);
        }
        if (body.calculatedFields !== undefined) {
          const fields = JSON.parse(changes.fields_json ?? row.fields_json) as Field[];
          checkCalculatedFields(fields, body.calculatedFields);
          changes.calculated_fields_json = JSON.stringify(body.calculatedFields);
        }
        // New calculated fields change what cached results mean only if a report already used a
        // name now redefined; bumping the version keeps the cache honest either way.
        const dataChanged = changes.fields_json !== undefined || changes.calculated_fields_json !== undefined;
        await db
          .updateTable('datasets')
          .set({ ...changes, updated_at: nowIso(), ...(dataChanged ? { data_version: sql`data_version + 1` } : {}) })
          .where('id', '=', row.id)
          .execute();
        await audit(db, user?.id ?? null, 'dataset.update', row.id, { fields: Object.keys(body) });
        return (await toViews(db, [await load(row.id)]))[0]!;
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/datasets/:id',
      access: 'editor',
      tag: 'datasets',
      summary: 'Delete a dataset no report uses',
      params: IdParams,
      handler: async ({ params, user }) => {
        const row = await load(params.id);
        // Report definitions are JSON text; the dataset id (a UUID) appears quoted wherever it is used.
        const reports = await db
          .selectFrom('reports')
          .select(['id', 'name'])
          .where('definition_json', 'like', `%"${row.id}"%`)
          .execute();
        if (reports.length > 0) {
          throw new ConflictError(
            msg(
              `数据集正被报表使用：${reports.map((r) => `「${r.name}」`).join('、')}，请先修改或删除这些报表`,
              `Reports still use this dataset: ${reports.map((r) => r.name).join(', ')}`,
            ),
            );
        }
        await db.deleteFrom('datasets').where('id', '=', row.id).execute();
        await audit(db, user?.id ?? null, 'dataset.delete', row.id, { name: row.name });
        return { deleted: true };
      },
    }),
    route({
      method: 'POST',
      url: '/api/datasets/:id/validate-expression',
      access: 'editor',
      tag: 'datasets',
      summary: 'Check a calculated-field expression against the dataset: its type, or the error with its position',
      params: IdParams,
      body: ValidateExpressionBodySchema,
      handler: async ({ params, body, lang }): Promise<ValidateExpressionResult> => {
        const row = await load(params.id);
        const fields = JSON.parse(row.fields_json) as Field[];
        const calculated = body.calculatedFields ?? (JSON.parse(row.calculated_fields_json) as CalculatedField[]);
        try {
          const c = new CalcScope(fields, calculated).check(body.expression);
          return { ok: true, type: c.type, aggregate: c.aggregate };
        } catch (err) {
          if (!(err instanceof FormulaError)) throw err;
          return { ok: false, message: err.full[lang], position: err.position };
        }
      },
    }),
    route({
      method: 'GET',
      url: '/api/datasets/:id/preview',
      access: 'editor',
      tag: 'datasets',
      summary: 'First rows of a dataset, unaggregated',
      params: IdParams,
      query: DatasetPreviewQuerySchema,
      handler: async ({ params, query }): Promise<DatasetPreview> => {
        const row = await load(params.id);
        const conn = await deps.connectors.forSource(row.datasource_id);
        const rows = await previewRows(conn, row, query.limit);
        return { fields: JSON.parse(row.fields_json) as Field[], rows };
      },
    }),
  ];
}

function previewRows(conn: SourceConnector, row: DatasetsTable, limit: number): Promise<Record<string, unknown>[]> {
  // The dataset SQL on lines of its own, so a trailing "-- comment" cannot swallow the wrapper.
  const from = row.kind === 'table' ? quoteTable(conn.dialect, row.table_name ?? '') : `(\n${row.sql ?? ''}\n) AS q`;
  // A validated integer, inlined: MySQL rejects some numeric types for a prepared LIMIT.
  return conn.query(`SELECT * FROM ${from} LIMIT ${Math.trunc(limit)}`, []);
}

/** Refuses duplicate names, names of real fields and expressions that do not check (400 naming the field and position). */
function checkCalculatedFields(fields: Field[], calculated: CalculatedField[]): void {
  const seen = new Set<string>();
  for (const c of calculated) {
    if (fields.some((f) => f.name === c.name)) {
      throw new ValidationError(msg(`计算字段名「${c.name}」与数据集中的字段重名`, `The calculated field "${c.name}" has the name of a dataset field`), { field: c.name });
    }
    if (seen.has(c.name)) throw new ValidationError(msg(`计算字段「${c.name}」重复`, `The calculated field "${c.name}" appears twice`), { field: c.name });
    seen.add(c.name);
  }
  const scope = new CalcScope(fields, calculated);
  for (const c of calculated) {
    try {
      scope.field(c.name);
    } catch (err) {
      if (err instanceof FormulaError) throw err.toValidationError(c.name);
      throw err;
    }
  }
}

async function toViews(db: Db, rows: DatasetsTable[]): Promise<DatasetView[]> {
  const sources = await db.selectFrom('datasources').select(['id', 'name']).execute();
  const names = new Map(sources.map((s) => [s.id, s.name]));
  const tables = rows.some((r) => r.datasource_id === EMBEDDED_DATASOURCE_ID && r.sql) ? await embeddedTableNames(db) : null;
  return rows.map((r) => viewOf(r, names, tables));
}

function viewOf(r: DatasetsTable, names: Map<string, string>, tables: TableNames | null): DatasetView {
  const fields = JSON.parse(r.fields_json) as Field[];
  const calculatedFields = new CalcScope(fields, JSON.parse(r.calculated_fields_json) as CalculatedField[]).views();
  const working = calculatedFields.flatMap((c) => (c.type ? [{ name: c.name, type: c.type, calculated: true, ...(c.aggregate ? { aggregate: true } : {}) }] : []));
  return {
    id: r.id,
    name: r.name,
    datasourceId: r.datasource_id,
    datasourceName: names.get(r.datasource_id) ?? null,
    kind: r.kind,
    table: r.table_name,
    sql: r.sql && tables && r.datasource_id === EMBEDDED_DATASOURCE_ID ? toDisplaySql(r.sql, tables) : r.sql,
    fields: [...fields, ...working],
    calculatedFields,
    dataVersion: Number(r.data_version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
