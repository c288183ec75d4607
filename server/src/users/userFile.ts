import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse';
import { ValidationError, msg } from '../errors.js';
import { readXlsxRows, type SheetCell } from '../lib/spreadsheet/readXlsx.js';
import { detectTextEncoding, notTextFile } from '../lib/textEncoding.js';

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 100_000;

export type ImportColumn = 'username' | 'name' | 'mobile' | 'email' | 'group';

/** One data row of the file; `row` is its number in the file (the header is row 1). */
export interface RawUserRow {
  row: number;
  values: Partial<Record<ImportColumn, string>>;
}

/** Header spellings we accept, compared after trimming and lower-casing. */
const HEADERS: Record<ImportColumn, string[]> = {
  username: ['username', 'user', 'login', 'account', '用户名', '账号', '帐号', '登录名'],
  name: ['name', 'display name', 'displayname', '姓名', '名字', '显示名'],
  mobile: ['mobile', 'phone', 'mobile phone', '手机号', '手机', '手机号码', '电话'],
  email: ['email', 'e-mail', 'mail', '邮箱', '电子邮箱', '邮件'],
  group: ['group', 'groups', 'department', 'dept', '部门', '用户组', '分组'],
};

const tooBig = () =>
  new ValidationError(
    msg(`文件超过 ${IMPORT_MAX_BYTES / 1024 / 1024} MB 上限，请拆分后分批导入`, `The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB; split it and import in parts`),
  );

export function assertImportSize(bytes: number): void {
  if (bytes > IMPORT_MAX_BYTES) throw tooBig();
}
export const importTooBigError = tooBig;

/** One record of the file with its row number (the header is row 1). */
interface Line {
  cells: string[];
  line: number;
}

/** Reads a CSV (UTF-8 with/without BOM, GBK, UTF-16) or XLSX (first sheet) into rows keyed by column. */
export async function readUserFile(buf: Buffer, filename: string): Promise<RawUserRow[]> {
  assertImportSize(buf.length);
  const isZip = buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xls') && !isZip) {
    throw new ValidationError(msg('不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV', 'Old .xls files are not supported; save as .xlsx or CSV'));
  }
  return await toRows(isZip ? await xlsxLines(buf) : await csvLines(buf));
}

/** Text per chunk given to the CSV parser before letting other requests run. */
const CSV_CHUNK = 256 * 1024;

async function csvLines(buf: Buffer): Promise<Line[]> {
  const encoding = await detectTextEncoding(() => [buf]);
  if (!encoding) throw notTextFile();
  const text = new TextDecoder(encoding).decode(buf);
  const lines: Line[] = [];
  const parser = parse({ relax_column_count: true, skip_empty_lines: false, bom: true });
  parser.on('data', (cells: string[]) => lines.push({ cells, line: lines.length + 1 }));
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  try {
    for (let i = 0; i < text.length; i += CSV_CHUNK) {
      parser.write(text.slice(i, i + CSV_CHUNK));
      await nextTurn();
    }
    parser.end();
    await done;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ValidationError(msg(`CSV 文件格式有误：${why}`, `The CSV file is malformed: ${why}`));
  }
  return lines;
}

async function xlsxLines(buf: Buffer): Promise<Line[]> {
  const lines: Line[] = [];
  for await (const batch of readXlsxRows({ bytes: buf }, { maxDataRows: IMPORT_MAX_ROWS })) {
    for (const row of batch) lines.push({ cells: row.cells.map(cellText), line: row.line });
  }
  return lines;
}

/** Mobiles come as numbers from Excel: whole numbers keep all digits. */
function cellText(v: SheetCell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

const tooManyRows = () =>
  new ValidationError(
    msg(`文件超过 ${IMPORT_MAX_ROWS} 行上限，请拆分后分批导入`, `The file has more than ${IMPORT_MAX_ROWS} rows; split it and import in parts`),
  );

async function toRows(lines: Line[]): Promise<RawUserRow[]> {
  const header = lines[0]?.cells;
  if (!header) throw new ValidationError(msg('文件是空的', 'The file is empty'));
  const colIndex = new Map<ImportColumn, number>();
  header.forEach((h, i) => {
    const key = h.replace(/^\uFEFF/, '').trim().toLowerCase();
    for (const [col, names] of Object.entries(HEADERS) as [ImportColumn, string[]][]) {
      if (names.includes(key) && !colIndex.has(col)) colIndex.set(col, i);
    }
  });
  if (!colIndex.has('username') || !colIndex.has('name')) {
    throw new ValidationError(
      msg(
        '表头需要包含“用户名”(或 账号/username) 和 “姓名”(或 name) 列；可选：手机号、邮箱、部门',
        'The header row needs a "username" (用户名/账号) and a "name" (姓名) column; optional: mobile, email, group',
      ),
    );
  }
  const rows: RawUserRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    // 100k rows take a while: other requests get a turn now and then.
    if (i % 5000 === 0) await nextTurn();
    const { cells, line } = lines[i]!;
    if (cells.every((c) => c.trim() === '')) continue;
    if (rows.length >= IMPORT_MAX_ROWS) throw tooManyRows();
    const values: RawUserRow['values'] = {};
    for (const [col, idx] of colIndex) values[col] = (cells[idx] ?? '').trim();
    rows.push({ row: line, values });
  }
  return rows;
}
