import {
  CreateDatasourceBodySchema,
  DatasourceConnectionSchema,
  EMBEDDED_DATASOURCE_ID,
  UpdateDatasourceBodySchema,
  type DatasourceView,
  type Field,
  type SourceTable,
} from '@shulan/shared';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import { uploadRoutes } from '../datasets/uploadRoutes.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { newId, nowIso } from '../lib/ids.js';
import { DATASOURCE, getDatasourceRow, storedConfig, toDatasourceView } from './datasourceRepo.js';
import type { ExternalConfig } from './ExternalConfig.js';
import { tableFields } from './tableFields.js';
import { testConnection } from './testConnection.js';

/** Settings that decide where the stored password is sent; the kind cannot be edited at all. */
const RETARGETING_FIELDS = ['host', 'port', 'database', 'user', 'ssl'] as const;

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const TableParams = z.strictObject({ id: z.string().min(1).max(64), table: z.string().min(1).max(256) });

export function datasourceRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;

  async function assertNameFree(name: string, exceptId?: string): Promise<void> {
    const other = await db.selectFrom('datasources').select('id').where('name', '=', name).executeTakeFirst();
    if (other && other.id !== exceptId) {
      throw new ConflictError(msg(`已有名为「${name}」的数据源`, `A data source named "${name}" already exists`));
    }
  }

  function assertExternal(id: string): void {
    if (id === EMBEDDED_DATASOURCE_ID) {
      throw new ValidationError(msg('内置数据库不能修改或删除', 'The embedded database cannot be changed or deleted'));
    }
  }

  /**
   * Saved settings with edits applied; an omitted password keeps the stored one, but only for the
   * place it was saved for: otherwise an admin could point a saved source at a server of their own
   * and read the write-only password off the wire.
   */
  async function mergedConfig(id: string, edits: z.infer<typeof UpdateDatasourceBodySchema>): Promise<ExternalConfig> {
    const row = await getDatasourceRow(db, id);
    const cfg = storedConfig(row);
    if (!cfg || row.kind === 'embedded') throw new NotFoundError(DATASOURCE);
    const retargeted = RETARGETING_FIELDS.filter((k) => edits[k] !== undefined && edits[k] !== cfg[k]);
    if (retargeted.length > 0 && edits.password === undefined && row.secret_enc) {
      throw new ValidationError(
        msg('修改了主机、端口、数据库、用户名或 SSL 设置，请重新输入密码', 'Host, port, database, user or SSL changed: enter the password again'),
        { fields: retargeted },
      );
    }
    const password = edits.password ?? (row.secret_enc ? deps.secretBox.decrypt(row.secret_enc) : '');
    return {
      kind: row.kind,
      host: edits.host ?? cfg.host,
      port: edits.port ?? cfg.port,
      database: edits.database ?? cfg.database,
      user: edits.user ?? cfg.user,
      ssl: edits.ssl ?? cfg.ssl,
      password,
    };
  }

  return [
    route({
      method: 'GET',
      url: '/api/datasources',
      access: 'editor',
      tag: 'datasources',
      summary: 'List data sources (the embedded one first); passwords are never returned',
      handler: async (): Promise<DatasourceView[]> => {
        const rows = await db.selectFrom('datasources').selectAll().orderBy('created_at').orderBy('name').execute();
        rows.sort((a, b) => Number(b.id === EMBEDDED_DATASOURCE_ID) - Number(a.id === EMBEDDED_DATASOURCE_ID));
        return rows.map(toDatasourceView);
      },
    }),
    route({
      method: 'GET',
      url: '/api/datasources/:id',
      access: 'editor',
      tag: 'datasources',
      summary: 'One data source',
      params: IdParams,
      handler: async ({ params }): Promise<DatasourceView> => toDatasourceView(await getDatasourceRow(db, params.id)),
    }),
    route({
      method: 'POST',
      url: '/api/datasources',
      access: 'admin',
      tag: 'datasources',
      summary: 'Add an external PostgreSQL or MySQL/MariaDB source',
      body: CreateDatasourceBodySchema,
      handler: async ({ body, user }): Promise<DatasourceView> => {
        await assertNameFree(body.name);
        const now = nowIso();
        const id = newId();
        const { name, kind, password, ...cfg } = body;
        await db
          .insertInto('datasources')
          .values({
            id,
            name,
            kind,
            config_json: JSON.stringify(cfg),
            secret_enc: password ? deps.secretBox.encrypt(password) : null,
            created_by: user?.id ?? null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await audit(db, user?.id ?? null, 'datasource.create', id, { name, kind, host: cfg.host, database: cfg.database });
        return toDatasourceView(await getDatasourceRow(db, id));
      },
    }),
    route({
      method: 'PUT',
      url: '/api/datasources/:id',
      access: 'admin',
      tag: 'datasources',
      summary: 'Edit a source; an omitted password keeps the stored one',
      params: IdParams,
      body: UpdateDatasourceBodySchema,
      handler: async ({ params, body, user }): Promise<DatasourceView> => {
        assertExternal(params.id);
        const row = await getDatasourceRow(db, params.id);
        if (body.name) await assertNameFree(body.name, params.id);
        const merged = await mergedConfig(params.id, body);
        const { kind: _k, password, ...cfg } = merged;
        await db
          .updateTable('datasources')
          .set({
            name: body.name ?? row.name,
            config_json: JSON.stringify(cfg),
            secret_enc: body.password !== undefined ? (password ? deps.secretBox.encrypt(password) : null) : row.secret_enc,
            updated_at: nowIso(),
          })
          .where('id', '=', params.id)
          .execute();
        await deps.connectors.invalidate(params.id);
        await audit(db, user?.id ?? null, 'datasource.update', params.id, {
          fields: Object.keys(body).filter((k) => k !== 'password'),
          passwordChanged: body.password !== undefined,
        });
        return toDatasourceView(await getDatasourceRow(db, params.id));
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/datasources/:id',
      access: 'admin',
      tag: 'datasources',
      summary: 'Delete a source no dataset uses',
      params: IdParams,
      handler: async ({ params, user }) => {
        assertExternal(params.id);
        const row = await getDatasourceRow(db, params.id);
        const used = await db.selectFrom('datasets').select(['id', 'name']).where('datasource_id', '=', params.id).execute();
        if (used.length > 0) {
          const names = used.map((d) => `「${d.name}」`).join('、');
          throw new ConflictError(
            msg(`数据源正被数据集使用：${names}，请先删除这些数据集`, `Datasets still use this source: ${used.map((d) => d.name).join(', ')}`),
          );
        }
        await db.deleteFrom('datasources').where('id', '=', params.id).execute();
        await deps.connectors.invalidate(params.id);
        await audit(db, user?.id ?? null, 'datasource.delete', params.id, { name: row.name });
        return { deleted: true };
      },
    }),
    route({
      method: 'POST',
      url: '/api/datasources/test',
      access: 'admin',
      tag: 'datasources',
      summary: 'Test connection settings before saving them',
      body: DatasourceConnectionSchema,
      handler: async ({ body, lang }) => testConnection({ ...body, password: body.password ?? '' }, lang),
    }),
    route({
      method: 'POST',
      url: '/api/datasources/:id/test',
      access: 'admin',
      tag: 'datasources',
      summary: 'Test a saved source, optionally with unsaved edits (omitted password = the stored one)',
      params: IdParams,
      body: UpdateDatasourceBodySchema.omit({ name: true }),
      handler: async ({ params, body, lang }) => {
        assertExternal(params.id);
        return testConnection(await mergedConfig(params.id, body), lang);
      },
    }),
    route({
      method: 'GET',
      url: '/api/datasources/:id/tables',
      access: 'editor',
      tag: 'datasources',
      summary: 'Tables and views of a source, for the dataset form',
      params: IdParams,
      handler: async ({ params }): Promise<SourceTable[]> => {
        await getDatasourceRow(db, params.id);
        if (params.id === EMBEDDED_DATASOURCE_ID) {
          const rows = await db
            .selectFrom('embedded_tables')
            .select(['table_name', 'display_name', 'row_count'])
            .orderBy('display_name')
            .execute();
          return rows.map((r) => ({ name: r.table_name, displayName: r.display_name, rowCount: r.row_count }));
        }
        const conn = await deps.connectors.forSource(params.id);
        return (await conn.listTables()).map((name) => ({ name }));
      },
    }),
    route({
      method: 'GET',
      url: '/api/datasources/:id/tables/:table/fields',
      access: 'editor',
      tag: 'datasources',
      summary: 'Columns of one table with their types',
      params: TableParams,
      handler: async ({ params }): Promise<Field[]> => {
        await getDatasourceRow(db, params.id);
        const fields = await tableFields(deps, params.id, params.table);
        if (!fields) throw new NotFoundError(msg(`表 ${params.table}`, `Table ${params.table}`));
        return fields;
      },
    }),
    ...uploadRoutes(deps),
  ];
}
