import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ValidationError, msg } from '../errors.js';

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

/** Reads a CSV (UTF-8 with/without BOM, or GBK) or XLSX (first sheet) into rows keyed by column. */
export async function readUserFile(buf: Buffer, filename: string): Promise<RawUserRow[]> {
  assertImportSize(buf.length);
  const isZip = buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xls') && !isZip) {
    throw new ValidationError(msg('不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV', 'Old .xls files are not supported; save as .xlsx or CSV'));
  }
  const table = isZip ? await xlsxTable(buf) : csvTable(buf);
  return toRows(table);
}

/** Decodes text: UTF-8 when valid (a BOM is dropped), otherwise GB18030, a superset of GBK. */
export function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

function csvTable(buf: Buffer): string[][] {
  const text = decodeText(buf);
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true, to: IMPORT_MAX_ROWS + 2 }) as string[][];
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ValidationError(msg(`CSV 文件格式有误：${why}`, `The CSV file is malformed: ${why}`));
  }
}

async function xlsxTable(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs's typings predate Buffer becoming generic in @types/node.
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw new ValidationError(msg('无法读取该 Excel 文件，请确认是 .xlsx 格式', 'Cannot read this Excel file; make sure it is .xlsx'));
  }
  const ws = wb.worksheets[0];
  if (!ws) return [];
  if (ws.rowCount > IMPORT_MAX_ROWS + 1) throw tooManyRows();
  const table: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    table[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(table, (r) => r ?? []);
}

/** Excel cells may hold numbers (mobiles!), rich text, hyperlinks (emails) or formula results. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v && typeof v.text === 'string') return v.text;
  if ('result' in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
  return '';
}

const tooManyRows = () =>
  new ValidationError(
    msg(`文件超过 ${IMPORT_MAX_ROWS} 行上限，请拆分后分批导入`, `The file has more than ${IMPORT_MAX_ROWS} rows; split it and import in parts`),
  );

function toRows(table: string[][]): RawUserRow[] {
  const header = table[0];
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
  for (let i = 1; i < table.length; i++) {
    const cells = table[i] ?? [];
    if (cells.every((c) => c.trim() === '')) continue;
    if (rows.length >= IMPORT_MAX_ROWS) throw tooManyRows();
    const values: RawUserRow['values'] = {};
    for (const [col, idx] of colIndex) values[col] = (cells[idx] ?? '').trim();
    rows.push({ row: i + 1, values });
  }
  return rows;
}
