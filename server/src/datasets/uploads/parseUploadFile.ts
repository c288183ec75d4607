import fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ValidationError, msg } from '../../errors.js';
import type { Cell } from './cellTypes.js';

export type UploadKind = 'csv' | 'xlsx';

export interface ParsedTable {
  /** Cleaned, unique column names. */
  header: string[];
  /** Data rows, each as long as the header; fully empty rows are dropped. */
  rows: Cell[][];
  /** Spreadsheet row number of each data row (the header is row 1), for error messages. */
  lineNumbers: number[];
}

/** At most this many columns: beyond that it is not a table a report can use. */
const MAX_COLUMNS = 1000;

export function uploadKindOf(fileName: string): UploadKind | null {
  const lower = fileName.toLowerCase();
  if (/\.(csv|tsv|txt)$/.test(lower)) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return null;
}

export async function parseUploadFile(file: string, kind: UploadKind): Promise<ParsedTable> {
  return kind === 'csv' ? parseCsv(await fs.readFile(file)) : parseXlsx(file);
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GB18030 (Chinese Excel exports). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The delimiter that splits the first lines into the same, largest number of columns. */
export function detectDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
  let best = ',';
  let bestScore = -1;
  for (const d of [',', ';', '\t']) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length / counts.length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

export function parseCsv(bytes: Uint8Array): ParsedTable {
  const text = decodeText(bytes);
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (err) {
    const why = String((err as Error).message).slice(0, 200);
    throw new ValidationError(msg(`无法解析 CSV 文件：${why}`, `Cannot parse the CSV file: ${why}`));
  }
  return toTable(records, (i) => i + 1);
}

/** First worksheet; formulas give their cached result, rich text its plain text. */
async function parseXlsx(file: string): Promise<ParsedTable> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch {
    throw new ValidationError(msg('无法读取 Excel 文件，请确认是 .xlsx 格式', 'Cannot read the Excel file; is it .xlsx?'));
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ValidationError(msg('Excel 文件中没有工作表', 'The Excel file has no worksheet'));
  const records: Cell[][] = [];
  const lines: number[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = [];
    const width = Math.min(row.cellCount, MAX_COLUMNS + 1);
    for (let c = 1; c <= width; c++) cells.push(excelCell(row.getCell(c).value));
    records.push(cells);
    lines.push(rowNumber);
  });
  return toTable(records, (i) => lines[i] ?? i + 1);
}

function excelCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((p) => p.text).join('');
    if ('result' in v) return excelCell((v.result ?? null) as ExcelJS.CellValue);
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('error' in v) return null;
  }
  return String(v);
}

const isEmpty = (c: Cell) => c === null || (typeof c === 'string' && c.trim() === '');

/** First record is the header; names cleaned and made unique (case-insensitively, as DuckDB compares them). */
function toTable(records: Cell[][], lineOf: (index: number) => number): ParsedTable {
  const headerRow = records[0];
  if (!headerRow) throw new ValidationError(msg('文件是空的', 'The file is empty'));
  const width = records.reduce((w, r) => Math.max(w, r.length), 0);
  if (width > MAX_COLUMNS) {
    throw new ValidationError(msg(`列数超过 ${MAX_COLUMNS}`, `More than ${MAX_COLUMNS} columns`));
  }
  const header = uniqueNames(Array.from({ length: width }, (_, i) => headerRow[i]));
  const rows: Cell[][] = [];
  const lineNumbers: number[] = [];
  for (let i = 1; i < records.length; i++) {
    const r = records[i]!;
    if (r.every(isEmpty)) continue;
    rows.push(Array.from({ length: width }, (_, c) => (r[c] === undefined || isEmpty(r[c]!) ? null : r[c]!)));
    lineNumbers.push(lineOf(i));
  }
  return { header, rows, lineNumbers };
}

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
