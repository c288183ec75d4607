import { z } from 'zod';
import { FIELD_TYPES, type Field, type FieldType } from '../types.js';

const Name = z.string().trim().min(1).max(100);
const Id = z.string().min(1).max(64);
/** Table names as listed by the source's catalog; checked against that list on the server. */
const TableName = z.string().min(1).max(256);
const Sql = z.string().trim().min(1).max(100_000);

export const CreateDatasetBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({ name: Name, datasourceId: Id, kind: z.literal('table'), table: TableName }),
  z.strictObject({ name: Name, datasourceId: Id, kind: z.literal('sql'), sql: Sql }),
]);
export type CreateDatasetBody = z.infer<typeof CreateDatasetBodySchema>;

/**
 * A calculated field: a name and an expression in Shulan's formula language over the dataset's
 * fields (`[利润] / [销售额]`, `IF([数量] > 10, '大单', '小单')`, `SUM([利润]) / SUM([销售额])`).
 */
export const CalculatedFieldSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .refine((n) => !/[[\]]/.test(n), { message: 'A calculated field name may not contain [ or ]' }),
  expression: z.string().trim().min(1).max(2000),
});
export type CalculatedField = z.infer<typeof CalculatedFieldSchema>;

/** A calculated field as the dataset shows it: its result type, or why it does not work (message in the request's language). */
export interface CalculatedFieldView extends CalculatedField {
  type?: FieldType;
  aggregate?: boolean;
  error?: { zh: string; en: string; position: number };
}

/** The source and kind are fixed at creation; the table or SQL may change. */
export const UpdateDatasetBodySchema = z.strictObject({
  name: Name.optional(),
  table: TableName.optional(),
  sql: Sql.optional(),
  /** Replaces the whole list; each is checked against the dataset's fields before saving. */
  calculatedFields: z.array(CalculatedFieldSchema).max(100).optional(),
});

/** Checks an expression against a dataset, with the calculated fields being edited (unsaved). */
export const ValidateExpressionBodySchema = z.strictObject({
  expression: z.string().max(2000),
  calculatedFields: z.array(CalculatedFieldSchema).max(100).optional(),
});
export type ValidateExpressionBody = z.infer<typeof ValidateExpressionBodySchema>;

export type ValidateExpressionResult =
  | { ok: true; type: FieldType; aggregate: boolean }
  | { ok: false; message: string; position: number };
export type UpdateDatasetBody = z.infer<typeof UpdateDatasetBodySchema>;

export const DatasetPreviewQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export interface DatasetView {
  id: string;
  name: string;
  datasourceId: string;
  datasourceName: string | null;
  kind: 'table' | 'sql';
  table: string | null;
  sql: string | null;
  /** Real fields, then the working calculated fields (flag `calculated`). */
  fields: Field[];
  calculatedFields: CalculatedFieldView[];
  dataVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface DatasetPreview {
  fields: Field[];
  rows: Record<string, unknown>[];
}

export const FieldSchema = z.strictObject({
  name: z.string().trim().min(1).max(128),
  type: z.enum(FIELD_TYPES),
  scale: z.number().int().min(0).max(30).optional(),
  precision: z.number().int().min(1).max(38).optional(),
});

export interface UploadCellError {
  /** Row number as a spreadsheet shows it: the header is row 1, the first data row is row 2. */
  row: number;
  column: string;
  message: string;
}

export interface UploadPreview {
  uploadId: string;
  fileName: string;
  rowCount: number;
  fields: Field[];
  sampleRows: Record<string, unknown>[];
  errors: UploadCellError[];
  /** An Excel workbook's worksheets in tab order (absent for CSV) and the one shown. */
  sheets?: string[];
  sheet?: string;
}

/** Preview (and later import) another worksheet of an uploaded workbook. */
export const UploadSheetBodySchema = z.strictObject({ sheet: z.string().min(1).max(255) });

export const UploadIdParamsSchema = z.strictObject({ uploadId: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/) });

/** What an import does with a value that does not fit its column: blank that cell and keep the row, or skip the row. */
export const BAD_VALUE_POLICIES = ['blank', 'skip'] as const;
export type BadValuePolicy = (typeof BAD_VALUE_POLICIES)[number];

export const ImportUploadBodySchema = z
  .strictObject({
    /** The dataset's name; ignored when appending to or replacing an existing table. */
    name: Name,
    fields: z.array(FieldSchema).min(1).max(1000).optional(),
    /** Default `blank`: the row is kept with the bad cell empty. */
    badValues: z.enum(BAD_VALUE_POLICIES).optional(),
    /** Older clients: `true` is `badValues: 'skip'`. */
    skipBadRows: z.boolean().optional(),
    /** Replace the rows of this imported table (same column names). */
    replaceTableId: Id.optional(),
    /** Add the rows to this imported table (same column names; its column types apply). */
    appendTableId: Id.optional(),
  })
  .refine((b) => !(b.replaceTableId && b.appendTableId), { message: 'replaceTableId and appendTableId exclude each other' });
export type ImportUploadBody = z.infer<typeof ImportUploadBodySchema>;

export interface ImportUploadResult {
  tableId: string;
  datasetId: string;
  /** Rows in the table after the import (with an append: old and new). */
  rowCount: number;
  /** Rows this import added. */
  imported: number;
  /** Rows left out because a value did not fit (policy `skip`). */
  skipped: number;
  /** Cells left empty because their value did not fit (policy `blank`). */
  blanked: number;
  /** The first values that did not fit. */
  errors: UploadCellError[];
}

/**
 * Import every worksheet of an uploaded workbook in one step: each becomes its own table and
 * dataset named `<file> - <sheet>`, with the types inferred from that sheet.
 */
export const ImportAllSheetsBodySchema = z.strictObject({
  /** Default `blank`: the row is kept with the bad cell empty. */
  badValues: z.enum(BAD_VALUE_POLICIES).optional(),
});
export type ImportAllSheetsBody = z.infer<typeof ImportAllSheetsBodySchema>;

/** One worksheet of an import of every sheet: imported with its counts, or left out with the reason. */
export type SheetImportOutcome =
  | ({ sheet: string; name: string; ok: true; fields: Field[] } & ImportUploadResult)
  | { sheet: string; name: string; ok: false; reason: string };

export interface ImportAllSheetsResult {
  sheets: SheetImportOutcome[];
}

/** What the server is doing with an upload: reading it for the preview, or loading it into a table. */
export type UploadPhase = 'analyzing' | 'importing';

/**
 * How far the preview pass or the import of an upload is (polled by the upload dialog);
 * `running: false` once it is done or before it starts.
 */
export interface UploadImportProgress {
  running: boolean;
  rowsRead: number;
  /** Rows the preview counted (0 while the preview itself is reading the file). */
  rowCount: number;
  /**
   * 0–99 while running: the last percent comes with the answer. null while a workbook is being
   * analysed: how many rows a sheet has is only known once it has been read.
   */
  percent: number | null;
  phase?: UploadPhase;
  /** Import of every sheet: the sheet under way, its place (1-based) and how many there are. */
  sheet?: string;
  sheetIndex?: number;
  sheetCount?: number;
}

/** Sent with the upload (query `progressId`) so the dialog can poll the preview pass before the upload has an id. */
export const UploadQuerySchema = z.strictObject({ progressId: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/).optional() });

export interface EmbeddedTableView {
  id: string;
  tableName: string;
  displayName: string;
  sourceFile: string | null;
  rowCount: number;
  fields: Field[];
  createdAt: string;
  updatedAt: string;
}
