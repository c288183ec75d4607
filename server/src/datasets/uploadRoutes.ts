import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import {
  EMBEDDED_DATASOURCE_ID,
  ImportAllSheetsBodySchema,
  ImportUploadBodySchema,
  UploadIdParamsSchema,
  UploadQuerySchema,
  UploadSheetBodySchema,
  type EmbeddedTableView,
  type Field,
  type ImportAllSheetsResult,
  type ImportUploadResult,
  type UploadImportProgress,
  type UploadPreview,
} from '@shulan/shared';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { AppError, ConflictError, NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { newId, nowIso } from '../lib/ids.js';
import { bumpDataVersion, publishTableChanged } from './bumpDataVersion.js';
import { importRows, newChecked, scanTracked } from './uploads/analyzeTable.js';
import { importAllSheets } from './uploads/importSheets.js';
import { insertEmbeddedTable, insertTableDataset } from './uploads/registerTable.js';
import { importProgress, trackImport } from './uploads/importProgress.js';
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
      query: UploadQuerySchema,
      handler: async ({ req, query, user, lang }): Promise<UploadPreview> => {
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
          // The dialog polls the preview pass by the progress id it sent: the upload id is not known to it yet.
          const scan = await scanTracked(query.progressId ?? id, source, lang);
          const sheets = source.sheets() ?? undefined;
          const sheet = sheets?.[0];
          await writeUploadMeta(root, id, {
            fileName,
            kind,
            fields: scan.fields,
            rowCount: scan.rowCount,
            ...(sheets ? { sheets, sheet } : {}),
            uploadedBy: user?.id ?? null,
            uploadedAt: nowIso(),
          });
          return { uploadId: id, fileName, rowCount: scan.rowCount, fields: scan.fields, sampleRows: scan.sampleRows, errors: scan.errors, ...(sheets ? { sheets, sheet } : {}) };
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
      url: '/api/uploads/:uploadId/sheet',
      access: 'editor',
      tag: 'uploads',
      summary: 'Preview another worksheet of an uploaded Excel workbook; the import then reads that sheet',
      params: UploadIdParamsSchema,
      body: UploadSheetBodySchema,
      handler: async ({ params, body, lang }): Promise<UploadPreview> => {
        const meta = await readUploadMeta(root, params.uploadId);
        if (meta.kind !== 'xlsx' || !meta.sheets?.includes(body.sheet)) {
          throw new ValidationError(msg(`文件中没有工作表「${body.sheet}」`, `The file has no worksheet "${body.sheet}"`));
        }
        const scan = await scanTracked(params.uploadId, await openUpload(uploadPath(root, params.uploadId), 'xlsx', body.sheet), lang);
        await writeUploadMeta(root, params.uploadId, { ...meta, fields: scan.fields, rowCount: scan.rowCount, sheet: body.sheet });
        return {
          uploadId: params.uploadId,
          fileName: meta.fileName,
          rowCount: scan.rowCount,
          fields: scan.fields,
          sampleRows: scan.sampleRows,
          errors: scan.errors,
          sheets: meta.sheets,
          sheet: body.sheet,
        };
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
        const targetId = body.replaceTableId ?? body.appendTableId;
        const target = targetId ? await db.selectFrom('embedded_tables').selectAll().where('id', '=', targetId).executeTakeFirst() : undefined;
        if (targetId && !target) throw new NotFoundError(msg(body.appendTableId ? '要追加数据的表' : '要替换的表', body.appendTableId ? 'Table to append to' : 'Table to replace'));
        const appending = body.appendTableId !== undefined;
        const replacing = target && !appending ? target : undefined;

        // An append loads into the table's own columns and types; the file's columns are matched by name.
        const tableFields = target ? (JSON.parse(target.fields_json) as Field[]) : null;
        if (target && tableFields) sameColumns(meta.fields, tableFields, target.display_name);
        const fields = appending ? tableFields! : (body.fields ?? meta.fields);
        checkFields(body.fields ?? meta.fields, meta.fields.length);
        const order = appending ? fields.map((f) => meta.fields.findIndex((m) => m.name === f.name)) : undefined;

        const existingDataset = target
          ? await db
              .selectFrom('datasets')
              .select(['id'])
              .where('datasource_id', '=', EMBEDDED_DATASOURCE_ID)
              .where('table_name', '=', target.table_name)
              .orderBy('created_at')
              .executeTakeFirst()
          : undefined;
        const sameName = await db.selectFrom('datasets').select(['id']).where('name', '=', body.name).executeTakeFirst();
        if (!target && sameName) {
          throw new ConflictError(msg(`已有名为「${body.name}」的数据集`, `A dataset named "${body.name}" already exists`));
        }

        const store = await deps.connectors.embedded();
        const tableName = target?.table_name ?? `t_${randomBytes(8).toString('hex')}`;
        const source = await openUpload(uploadPath(root, params.uploadId), meta.kind, meta.sheet);
        // Checked while loading (one pass over the file): a value that does not fit blanks its
        // cell (default) or skips its row, and is listed for the last step of the dialog.
        const checked = newChecked();
        const badValues = body.badValues ?? (body.skipBadRows ? 'skip' : 'blank');
        const rows = importRows(source, fields, { lang, badValues, order, width: meta.fields.length }, checked);
        const done = trackImport(params.uploadId, checked, meta.rowCount ?? 0);
        let imported: number;
        try {
          imported = appending ? await store.appendTable(tableName, fields, rows) : await store.replaceTable(tableName, fields, rows);
        } finally {
          done();
        }
        const rowCount = appending ? Number(target!.row_count) + imported : imported;
        const now = nowIso();
        const tableId = target?.id ?? newId();
        const datasetId = existingDataset?.id ?? newId();
        try {
          await db.transaction().execute(async (tx) => {
            if (target) {
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
              await insertEmbeddedTable(tx, {
                tableId,
                tableName,
                displayName: body.name,
                sourceFile: meta.fileName,
                rowCount,
                fields,
                userId: user?.id ?? null,
                now,
              });
            }
            if (!existingDataset) {
              const name = target ? target.display_name : body.name;
              await insertTableDataset(tx, { datasetId, name, tableName, fields, userId: user?.id ?? null, now });
            }
          });
        } catch (err) {
          // Keep the embedded store in step with the registry: a new table nobody knows is dropped.
          if (!target) await store.dropTable(tableName).catch(() => {});
          throw err;
        }
        if (target) await publishTableChanged(db, deps.liveEvents, tableName);
        // A workbook with several sheets stays until its other sheets are imported too (or a day passes).
        if ((meta.sheets?.length ?? 0) <= 1) await removeUpload(root, params.uploadId);
        await audit(db, user?.id ?? null, appending ? 'embedded_table.append' : replacing ? 'embedded_table.replace' : 'embedded_table.create', tableId, { file: meta.fileName, rows: imported, skipped: checked.badRows, blanked: checked.blanked });
        return { tableId, datasetId, rowCount, imported, skipped: checked.badRows, blanked: checked.blanked, errors: checked.errors };
      },
    }),
    route({
      method: 'POST',
      url: '/api/uploads/:uploadId/import-sheets',
      access: 'editor',
      tag: 'uploads',
      summary: 'Import every worksheet of an uploaded workbook, each as its own table and dataset; a sheet that fails is reported, the others go on',
      params: UploadIdParamsSchema,
      body: ImportAllSheetsBodySchema,
      handler: async ({ params, body, user, lang, req }): Promise<ImportAllSheetsResult> => {
        const meta = await readUploadMeta(root, params.uploadId);
        if (meta.kind !== 'xlsx' || !meta.sheets?.length) {
          throw new ValidationError(msg('只有 Excel 工作簿可以导入全部工作表', 'Only an Excel workbook can have every sheet imported'));
        }
        const sheets = await importAllSheets(deps, {
          uploadId: params.uploadId,
          file: uploadPath(root, params.uploadId),
          fileName: meta.fileName,
          sheets: meta.sheets,
          badValues: body.badValues ?? 'blank',
          userId: user?.id ?? null,
          lang,
          logError: (err, sheet) => req.log.error({ err, sheet }, 'sheet import failed'),
        });
        // Every sheet in: the workbook is done with. Otherwise it stays (a day) for another try.
        if (sheets.every((s) => s.ok)) await removeUpload(root, params.uploadId);
        return { sheets };
      },
    }),
    route({
      method: 'GET',
      url: '/api/uploads/:uploadId/progress',
      access: 'editor',
      tag: 'uploads',
      summary: 'How far the preview pass (by upload or progress id) or the import of an upload has got, and in which phase',
      params: UploadIdParamsSchema,
      handler: async ({ params }): Promise<UploadImportProgress> => importProgress(params.uploadId),
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

/**
 * Appending or replacing needs the file to have the table's columns, by name: reports over the
 * table would otherwise lose fields. Says which are missing and which are extra.
 */
function sameColumns(file: Field[], table: Field[], tableName: string): void {
  const fileNames = new Set(file.map((f) => f.name));
  const tableNames = new Set(table.map((f) => f.name));
  const missing = table.filter((f) => !fileNames.has(f.name)).map((f) => f.name);
  const extra = file.filter((f) => !tableNames.has(f.name)).map((f) => f.name);
  if (missing.length === 0 && extra.length === 0) return;
  const zh = [missing.length ? `缺少列：${missing.join('、')}` : '', extra.length ? `多出列：${extra.join('、')}` : ''].filter(Boolean).join('；');
  const en = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `extra ${extra.join(', ')}` : ''].filter(Boolean).join('; ');
  throw new ValidationError(
    msg(`文件的列与表「${tableName}」不一致（${zh}），请使用相同列名的文件`, `The file's columns differ from table "${tableName}" (${en}); use a file with the same column names`),
    { missing, extra },
  );
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
