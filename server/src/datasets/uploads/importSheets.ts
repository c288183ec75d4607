import { randomBytes } from 'node:crypto';
import type { BadValuePolicy, SheetImportOutcome } from '@shulan/shared';
import { audit } from '../../audit/audit.js';
import type { Deps } from '../../deps.js';
import { AppError, ConflictError, ValidationError, msg, type Msg } from '../../errors.js';
import type { Lang } from '../../http/route.js';
import { newId, nowIso } from '../../lib/ids.js';
import { importRows, newChecked, scanTracked } from './analyzeTable.js';
import { trackPass } from './importProgress.js';
import { insertEmbeddedTable, insertTableDataset } from './registerTable.js';
import { openUpload } from './uploadSource.js';

/** `销售 2024 - 一月`: the file without its extension, then the sheet; cut to the 100 characters a dataset name may have. */
export function sheetDatasetName(fileName: string, sheet: string): string {
  return `${fileName.replace(/\.[^.]+$/, '')} - ${sheet}`.trim().slice(0, 100).trim();
}

interface Job {
  uploadId: string;
  file: string;
  fileName: string;
  sheets: string[];
  badValues: BadValuePolicy;
  userId: string | null;
  lang: Lang;
  /** Where an unexpected failure of one sheet is written (the others go on). */
  logError: (err: unknown, sheet: string) => void;
}

/**
 * Every worksheet of a workbook as its own table and dataset, one after another. Each sheet is
 * analysed (types inferred from its own values) and loaded like a single-sheet import; a sheet
 * that cannot be (empty, only a header, too wide, its name taken…) is reported with the reason and
 * the others still go in.
 */
export async function importAllSheets(deps: Deps, job: Job): Promise<SheetImportOutcome[]> {
  const out: SheetImportOutcome[] = [];
  for (const [i, sheet] of job.sheets.entries()) {
    const name = sheetDatasetName(job.fileName, sheet);
    try {
      const result = await importOneSheet(deps, job, sheet, name, { name: sheet, index: i + 1, count: job.sheets.length });
      out.push({ sheet, name, ok: true, ...result });
    } catch (err) {
      if (!(err instanceof AppError)) job.logError(err, sheet);
      const why: Msg = err instanceof AppError ? err.msg : msg('服务器出错，未能导入', 'A server error stopped this sheet');
      out.push({ sheet, name, ok: false, reason: why[job.lang] });
    }
  }
  return out;
}

async function importOneSheet(deps: Deps, job: Job, sheet: string, name: string, place: { name: string; index: number; count: number }) {
  const { db } = deps;
  const taken = await db.selectFrom('datasets').select('id').where('name', '=', name).executeTakeFirst();
  if (taken) throw new ConflictError(msg(`已有名为「${name}」的数据集`, `A dataset named "${name}" already exists`));

  const scan = await scanTracked(job.uploadId, await openUpload(job.file, 'xlsx', sheet), job.lang, place);
  // A header and nothing under it is no table to report on; left out rather than made empty.
  if (scan.rowCount === 0) throw new ValidationError(msg('工作表只有表头，没有数据行', 'The sheet has a header but no data rows'));
  const fields = scan.fields;

  const store = await deps.connectors.embedded();
  const tableName = `t_${randomBytes(8).toString('hex')}`;
  const checked = newChecked();
  const rows = importRows(await openUpload(job.file, 'xlsx', sheet), fields, { lang: job.lang, badValues: job.badValues }, checked);
  const done = trackPass(job.uploadId, { phase: 'importing', counter: checked, rowCount: scan.rowCount, sheet: place });
  let imported: number;
  try {
    imported = await store.replaceTable(tableName, fields, rows);
  } finally {
    done();
  }

  const now = nowIso();
  const tableId = newId();
  const datasetId = newId();
  try {
    await db.transaction().execute(async (tx) => {
      await insertEmbeddedTable(tx, { tableId, tableName, displayName: name, sourceFile: job.fileName, rowCount: imported, fields, userId: job.userId, now });
      await insertTableDataset(tx, { datasetId, name, tableName, fields, userId: job.userId, now });
    });
  } catch (err) {
    // Keep the embedded store in step with the registry: a table nobody knows is dropped.
    await store.dropTable(tableName).catch(() => {});
    throw err;
  }
  await audit(db, job.userId, 'embedded_table.create', tableId, { file: job.fileName, sheet, rows: imported, skipped: checked.badRows, blanked: checked.blanked });
  return { fields, tableId, datasetId, rowCount: imported, imported, skipped: checked.badRows, blanked: checked.blanked, errors: checked.errors };
}
