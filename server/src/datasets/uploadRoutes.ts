import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import {
  EMBEDDED_DATASOURCE_ID,
  ImportUploadBodySchema,
  UploadIdParamsSchema,
  type EmbeddedTableView,
  type Field,
  type ImportUploadResult,
  type UploadPreview,
} from '@shulan/shared';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { AppError, ConflictError, NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { newId, nowIso } from '../lib/ids.js';
import { bumpDataVersion, publishTableChanged } from './bumpDataVersion.js';
import { importRows, scanUpload, type Checked } from './uploads/analyzeTable.js';
import { openUpload, uploadKindOf } from './uploads/uploadSource.js';
import {
  newUploadId,
  readUploadMeta,
  removeUpload,
  sweepOldUploads,
  uploadDir,
  uploadPath,
  writeUploadMeta,
} from './uploads/uploadFiles.js';

export function uploadRoutes(deps: Deps): RouteDef[] {
  const { db, config } = deps;
  // Several instances: the preview and the import may reach different instances behind the load
  // balancer, so a file waiting for its import lives in the shared dir.
  const root = config.sharedDir ?? config.dataDir;
  return [
    route({
      method: 'POST',
      url: '/api/uploads',
      access: 'editor',
      tag: 'uploads',
      summary: 'Upload a CSV or XLSX file; answers a preview with inferred types, imports nothing',
      multipart: true,
      handler: async ({ req, user, lang }): Promise<UploadPreview> => {
        if (!req.isMultipart()) {
          throw new ValidationError(msg('请以 multipart/form-data 上传一个文件', 'Upload one file as multipart/form-data'));
        }
        const part = await req.file();
        if (!part) throw new ValidationError(msg('没有收到文件', 'No file received'));
        const fileName = part.filename.slice(0, 255);
        const kind = uploadKindOf(fileName);
        if (!kind) {
          part.file.resume();
          throw new ValidationError(msg('只支持 CSV 和 XLSX 文件', 'Only CSV and XLSX files are supported'));
        }
        const id = newUploadId();
        fs.mkdirSync(uploadDir(root), { recursive: true, mode: 0o700 });
        await sweepOldUploads(root);
        try {
          await pipeline(part.file, fs.createWriteStream(uploadPath(root, id), { mode: 0o600 }));
          if (part.file.truncated) throw new AppError(413, 'payload_too_large', msg('文件超过 200 MB', 'The file is over 200 MB'));
          const source = await openUpload(uploadPath(root, id), kind);
          const scan = await scanUpload(source, lang);
          await writeUploadMeta(root, id, { fileName, kind, fields: scan.fields, uploadedBy: user?.id ?? null, uploadedAt: nowIso() });
          return { uploadId: id, fileName, rowCount: scan.rowCount, fields: scan.fields, sampleRows: scan.sampleRows, errors: scan.errors };
        } catch (err) {
          await removeUpload(root, id);
          const fe = err as { code?: string };
          if (fe.code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new AppError(413, 'payload_too_large', msg('文件超过 200 MB', 'The file is over 200 MB'));
          }
          throw err;
        }
      },
    }),
    route({
      method: 'POST',
      url: '/api/uploads/:uploadId/import',
      access: 'editor',
      tag: 'uploads',
      summary: 'Import an uploaded file into the embedded store as a table plus a dataset',
      params: UploadIdParamsSchema,
      body: ImportUploadBodySchema,
      handler: async ({ params, body, user, lang }): Promise<ImportUploadResult> => {
        const meta = await readUploadMeta(root, params.uploadId);
        const fields = body.fields ?? meta.fields;
        checkFields(fields, meta.fields.length);

        const replacing = body.replaceTableId
          ? await db.selectFrom('embedded_tables').selectAll().where('id', '=', body.replaceTableId).executeTakeFirst()
          : undefined;
        if (body.replaceTableId && !replacing) throw new NotFoundError(msg('要替换的表', 'Table to replace'));
        const existingDataset = replacing
          ? await db
              .selectFrom('datasets')
              .select(['id'])
              .where('datasource_id', '=', EMBEDDED_DATASOURCE_ID)
              .where('table_name', '=', replacing.table_name)
              .orderBy('created_at')
              .executeTakeFirst()
          : undefined;
        const sameName = await db.selectFrom('datasets').select(['id']).where('name', '=', body.name).executeTakeFirst();
        if (!existingDataset && sameName) {
          throw new ConflictError(msg(`已有名为「${body.name}」的数据集`, `A dataset named "${body.name}" already exists`));
        }

        const store = await deps.connectors.embedded();
        const tableName = replacing?.table_name ?? `t_${randomBytes(8).toString('hex')}`;
        const source = await openUpload(uploadPath(root, params.uploadId), meta.kind);
        // Checked while loading (one pass over the file); bad rows without skipBadRows abort the
        // load and the store drops the half-loaded table, so nothing is written.
        const checked: Checked = { errors: [], badRows: 0 };
        const rows = importRows(source, fields, { lang, skipBadRows: body.skipBadRows ?? false }, checked);
        const rowCount = await store.replaceTable(tableName, fields, rows);
        const now = nowIso();
        const tableId = replacing?.id ?? newId();
        const datasetId = existingDataset?.id ?? newId();
        try {
          await db.transaction().execute(async (tx) => {
            if (replacing) {
              await tx
                .updateTable('embedded_tables')
                .set({ row_count: rowCount, fields_json: JSON.stringify(fields), source_file: meta.fileName, updated_at: now })
                .where('id', '=', tableId)
                .execute();
              await tx
                .updateTable('datasets')
                .set({ fields_json: JSON.stringify(fields) })
                .where('datasource_id', '=', EMBEDDED_DATASOURCE_ID)
                .where('table_name', '=', tableName)
                .execute();
              await bumpDataVersion(tx, tableName);
            } else {
              await tx
                .insertInto('embedded_tables')
                .values({
                  id: tableId,
                  datasource_id: EMBEDDED_DATASOURCE_ID,
                  table_name: tableName,
                  display_name: body.name,
                  source_file: meta.fileName,
                  row_count: rowCount,
                  fields_json: JSON.stringify(fields),
                  created_by: user?.id ?? null,
                  created_at: now,
                  updated_at: now,
                })
                .execute();
            }
            if (!existingDataset) {
              await tx
                .insertInto('datasets')
                .values({
                  id: datasetId,
                  name: body.name,
                  datasource_id: EMBEDDED_DATASOURCE_ID,
                  kind: 'table',
                  table_name: tableName,
                  sql: null,
                  fields_json: JSON.stringify(fields),
                  created_by: user?.id ?? null,
                  created_at: now,
                  updated_at: now,
                })
                .execute();
            }
          });
        } catch (err) {
          // Keep the embedded store in step with the registry: a new table nobody knows is dropped.
          if (!replacing) await store.dropTable(tableName).catch(() => {});
          throw err;
        }
        if (replacing) await publishTableChanged(db, deps.liveEvents, tableName);
        await removeUpload(root, params.uploadId);
        await audit(db, user?.id ?? null, replacing ? 'embedded_table.replace' : 'embedded_table.create', tableId, {
          file: meta.fileName,
          rows: rowCount,
        });
        return { tableId, datasetId, rowCount, skipped: checked.badRows };
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/embedded-tables/:id',
      access: 'editor',
      tag: 'uploads',
      summary: 'Delete an imported table no dataset uses',
      params: z.strictObject({ id: z.string().min(1).max(64) }),
      handler: async ({ params, user }) => {
        const row = await db.selectFrom('embedded_tables').selectAll().where('id', '=', params.id).executeTakeFirst();
        if (!row) throw new NotFoundError(msg('表', 'Table'));
        const used = await db
          .selectFrom('datasets')
          .select('name')
          .where('datasource_id', '=', EMBEDDED_DATASOURCE_ID)
          .where('table_name', '=', row.table_name)
          .execute();
        if (used.length > 0) {
          throw new ConflictError(
            msg(
              `表正被数据集使用：${used.map((d) => `「${d.name}」`).join('、')}，请先删除这些数据集`,
              `Datasets still use this table: ${used.map((d) => d.name).join(', ')}`,
            ),
          );
        }
        await db.deleteFrom('embedded_tables').where('id', '=', row.id).execute();
        await (await deps.connectors.embedded()).dropTable(row.table_name);
        await audit(db, user?.id ?? null, 'embedded_table.delete', row.id, { name: row.display_name });
        return { deleted: true };
      },
    }),
    route({
      method: 'GET',
      url: '/api/embedded-tables',
      access: 'editor',
      tag: 'uploads',
      summary: 'Tables imported into the embedded store',
      handler: async (): Promise<EmbeddedTableView[]> => {
        const rows = await db.selectFrom('embedded_tables').selectAll().orderBy('display_name').execute();
        return rows.map((r) => ({
          id: r.id,
          tableName: r.table_name,
          displayName: r.display_name,
          sourceFile: r.source_file,
          rowCount: Number(r.row_count),
          fields: JSON.parse(r.fields_json) as Field[],
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        }));
      },
    }),
  ];
}

/** User-adjusted fields must match the file's columns and stay unique. */
function checkFields(fields: Field[], columns: number): void {
  if (fields.length !== columns) {
    throw new ValidationError(
      msg(`字段数 ${fields.length} 与文件列数 ${columns} 不一致`, `${fields.length} fields given but the file has ${columns} columns`),
    );
  }
  const seen = new Set<string>();
  for (const f of fields) {
    const key = f.name.toLowerCase();
    if (seen.has(key)) throw new ValidationError(msg(`列名重复：${f.name}`, `Duplicate column name: ${f.name}`));
    seen.add(key);
  }
}
