import type { BadValuePolicy, Field, UploadCellError } from '@shulan/shared';
import { ValidationError, msg } from '../../errors.js';
import { ColumnStats, convertCell, fitsDecimal, type Cell } from './cellTypes.js';
import { trackPass, type RowCounter, type TrackedPass } from './importProgress.js';
import { MAX_COLUMNS, type UploadSource } from './uploadSource.js';

export const MAX_REPORTED_ERRORS = 100;
const SAMPLE_ROWS = 50;
const tooManyColumns = () => new ValidationError(msg(`列数超过 ${MAX_COLUMNS}`, `More than ${MAX_COLUMNS} columns`));

const isEmpty = (c: Cell | undefined) => c === undefined || c === null || (typeof c === 'string' && c.trim() === '');

/** Data rows (after the header, blank rows skipped), padded or cut to `width` cells. */
async function* dataRows(source: UploadSource, width: number): AsyncGenerator<{ cells: Cell[]; line: number }> {
  let first = true;
  for await (const batch of source.records()) {
    for (const rec of batch) {
      if (first) {
        first = false;
        continue;
      }
      if (rec.cells.every(isEmpty)) continue;
      yield { cells: Array.from({ length: width }, (_, c) => (isEmpty(rec.cells[c]) ? null : rec.cells[c]!)), line: rec.line };
    }
  }
}

export interface Scan {
  /** Cleaned, unique column names. */
  header: string[];
  /** Types inferred from every value. */
  fields: Field[];
  rowCount: number;
  sampleRows: Record<string, unknown>[];
  /** The first values that do not fit their inferred type. */
  errors: UploadCellError[];
}

/**
 * One pass over the file: column names, inferred types, row count, the first rows and the first
 * bad values. `counter` counts the data rows as they are read, for the progress of a large file.
 */
export async function scanUpload(
  source: UploadSource,
  lang: 'zh' | 'en',
  counter: RowCounter = { read: 0 },
  /** What the refusals call it: one worksheet of an import of every sheet is "the sheet". */
  subject: 'file' | 'sheet' = 'file',
): Promise<Scan> {
  let headerCells: Cell[] | null = null;
  const stats: ColumnStats[] = [];
  const sample: Cell[][] = [];
  let rowCount = 0;
  for await (const batch of source.records()) {
    for (const rec of batch) {
      if (!headerCells) {
        // Checked here too: a file with a wide header and no data rows is no usable table either.
        if (rec.cells.length > MAX_COLUMNS) throw tooManyColumns();
        headerCells = rec.cells;
        continue;
      }
      if (rec.cells.every(isEmpty)) continue;
      if (rec.cells.length > MAX_COLUMNS) throw tooManyColumns();
      rowCount++;
      counter.read = rowCount;
      rec.cells.forEach((v, c) => (stats[c] ??= new ColumnStats()).add(isEmpty(v) ? null : v, rec.line));
      if (sample.length < SAMPLE_ROWS) sample.push(rec.cells);
    }
  }
  const [zh, en] = subject === 'sheet' ? ['工作表', 'The sheet'] : ['文件', 'The file'];
  if (!headerCells) throw new ValidationError(msg(`${zh}是空的`, `${en} is empty`));
  // Trailing empty header cells with no data under them are not columns.
  let width = Math.max(stats.length, headerCells.length);
  while (width > 0 && isEmpty(headerCells[width - 1]) && !stats[width - 1]) width--;
  if (width === 0) throw new ValidationError(msg(`${zh}没有列`, `${en} has no columns`));
  const header = uniqueNames(Array.from({ length: width }, (_, i) => headerCells![i]));
  const fields: Field[] = header.map((name, c) => stats[c]?.field(name) ?? { name, type: 'string' });
  const sampleRows = sample.map((r) => {
    // Keyed by column names from the file: a column named __proto__ must stay a column.
    const o: Record<string, unknown> = Object.create(null);
    header.forEach((h, c) => {
      const v = isEmpty(r[c]) ? null : r[c]!;
      o[h] = v instanceof Date ? v.toISOString() : v;
    });
    return o;
  });
  const errors = fields
    .flatMap((f, c) =>
      (stats[c]?.failuresFor(f.type) ?? []).map((x) => ({ row: x.line, col: c, column: f.name, message: explain(x.value, f.type, lang) })),
    )
    .sort((a, b) => a.row - b.row || a.col - b.col)
    .slice(0, MAX_REPORTED_ERRORS)
    .map(({ row, column, message }) => ({ row, column, message }));
  return { header, fields, rowCount, sampleRows, errors };
}

/** scanUpload, polled as the `analyzing` phase under `key` (the upload id, or the dialog's progress id). */
export async function scanTracked(key: string, source: UploadSource, lang: 'zh' | 'en', sheet?: TrackedPass['sheet']): Promise<Scan> {
  const counter: RowCounter = { read: 0 };
  const done = trackPass(key, { phase: 'analyzing', counter, rowCount: 0, ...(source.bytes ? { bytes: source.bytes } : {}), ...(sheet ? { sheet } : {}) });
  try {
    return await scanUpload(source, lang, counter, sheet ? 'sheet' : 'file');
  } finally {
    done();
  }
}

export interface Checked {
  /** The first values that do not fit their column. */
  errors: UploadCellError[];
  /** Rows left out (policy `skip`): at least one value did not fit. */
  badRows: number;
  /** Cells left empty (policy `blank`). */
  blanked: number;
  /** Data rows read so far, for the progress of a large import. */
  read: number;
}

export const newChecked = (): Checked => ({ errors: [], badRows: 0, blanked: 0, read: 0 });

/**
 * The rows converted to the fields' types, one at a time, for the store's loader. A value that
 * does not fit is listed in `checked` and, by the policy, its cell left empty (`blank`, the row
 * kept) or its row left out (`skip`). `order[i]` is the file column of field i (an append maps
 * the file's columns onto the table's).
 */
export async function* importRows(
  source: UploadSource,
  fields: Field[],
  opts: { lang: 'zh' | 'en'; badValues: BadValuePolicy; order?: number[]; width?: number },
  checked: Checked,
): AsyncGenerator<unknown[]> {
  for await (const { cells, line } of dataRows(source, opts.width ?? fields.length)) {
    checked.read++;
    const out: unknown[] = new Array(fields.length);
    let ok = true;
    fields.forEach((f, c) => {
      const cell = cells[opts.order?.[c] ?? c] ?? null;
      const conv = convertCell(cell, f.type);
      const tooPrecise = conv.ok && f.type === 'number' && conv.value !== null && !fitsDecimal(conv.value as string | number, f);
      if (conv.ok && !tooPrecise) {
        out[c] = conv.value;
        return;
      }
      ok = false;
      out[c] = null;
      if (opts.badValues === 'blank') checked.blanked++;
      if (checked.errors.length < MAX_REPORTED_ERRORS) {
        const message = tooPrecise ? explainDecimal(cell, f, opts.lang) : explain(cell, f.type, opts.lang);
        checked.errors.push({ row: line, column: f.name, message });
      }
    });
    if (ok || opts.badValues === 'blank') yield out;
    else checked.badRows++;
  }
}

/** Header names trimmed, empty → 列N, duplicates (case-insensitive, as DuckDB compares) suffixed. */
export function uniqueNames(raw: readonly (Cell | undefined)[]): string[] {
  const used = new Set<string>();
  return raw.map((v, i) => {
    let base = (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? ''))
      .replace(/[\u0000-\u001f]/g, ' ')
      .trim()
      .slice(0, 120);
    if (base === '') base = `列${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

function explain(cell: unknown, type: Field['type'], lang: 'zh' | 'en'): string {
  const shown = String(cell instanceof Date ? cell.toISOString() : cell).slice(0, 100);
  return lang === 'zh' ? `「${shown}」不是${TYPE_ZH[type]}` : `"${shown}" is not ${TYPE_EN[type]}`;
}

/** A number the column's DECIMAL(p,s) would round or cannot hold: never rounded silently. */
function explainDecimal(cell: unknown, f: Field, lang: 'zh' | 'en'): string {
  const shown = String(cell).slice(0, 100);
  const p = f.precision ?? 18;
  const s = f.scale ?? 0;
  return lang === 'zh'
    ? `「${shown}」超出该列的精度（整数最多 ${p - s} 位，小数最多 ${s} 位）`
    : `"${shown}" does not fit the column (at most ${p - s} digits before and ${s} after the point)`;
}

const TYPE_ZH: Record<Field['type'], string> = {
  string: '文本',
  integer: '整数',
  number: '数字',
  boolean: '是/否',
  date: '日期',
  datetime: '日期时间',
};

const TYPE_EN: Record<Field['type'], string> = {
  string: 'text',
  integer: 'an integer',
  number: 'a number',
  boolean: 'yes/no',
  date: 'a date',
  datetime: 'a date and time',
};
