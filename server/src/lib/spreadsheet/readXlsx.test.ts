import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readXlsxRows } from './readXlsx.js';
import type { XlsxLimits } from './xlsxProtocol.js';

/** A workbook written by hand, so a test can make it as hostile as it likes. */
function workbook(sheetXml: string, sharedStrings: string[] = []): Uint8Array {
  const sst = sharedStrings.map((s) => `<si><t>${s}</t></si>`).join('');
  return zipSync({
    // First, so the size check meets it before anything else.
    'xl/worksheets/sheet1.xml': strToU8(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetXml}</sheetData></worksheet>`),
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    'xl/workbook.xml': strToU8('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    'xl/sharedStrings.xml': strToU8(`<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${sst}</sst>`),
  });
}

const row = (r: number, cells: string) => `<row r="${r}">${cells}</row>`;
const num = (ref: string, v: number) => `<c r="${ref}"><v>${v}</v></c>`;

async function read(bytes: Uint8Array, limits: Partial<XlsxLimits> = {}, heapMb?: number) {
  const rows = [];
  for await (const batch of readXlsxRows({ bytes }, limits, heapMb)) rows.push(...batch);
  return rows;
}

describe('reading XLSX in a worker', () => {
  it('gives typed cells, spreadsheet line numbers and skips empty rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.addRow(['城市', '数量', '日期', '会员']);
    ws.addRow([]);
    ws.getRow(3).values = ['北京', 3, new Date(Date.UTC(2024, 0, 5)), true];
    ws.getRow(4).values = [{ richText: [{ text: '上' }, { text: '海' }] }, { formula: '1+1', result: 2 }];
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(await read(bytes)).toEqual([
      { line: 1, cells: ['城市', '数量', '日期', '会员'] },
      { line: 3, cells: ['北京', 3, new Date(Date.UTC(2024, 0, 5)), true] },
      { line: 4, cells: ['上海', 2] },
    ]);
  });

  it('refuses a zip bomb by its declared size, and by its actual size when the declaration lies', async () => {
    const bomb = workbook(' '.repeat(20 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200 * 1024);
    await expect(read(bomb, { maxUncompressedBytes: 10 * 1024 * 1024 })).rejects.toMatchObject({
      status: 400,
      msg: { zh: 'Excel 文件解压后超过 10 MB，请另存为 CSV 后上传' },
    });
    // The sheet is the first entry: its local header's uncompressed size (offset 22) now says 1 byte.
    const liar = bomb.slice();
    new DataView(liar.buffer).setUint32(22, 1, true);
    await expect(read(liar, { maxUncompressedBytes: 10 * 1024 * 1024 })).rejects.toMatchObject({ status: 400, msg: { en: expect.stringContaining('unpacks to more than 10 MB') } });
  });

  it('refuses too many rows, columns or cells, counting the header apart', async () => {
    const sheet = [1, 2, 3, 4].map((r) => row(r, num(`A${r}`, r) + num(`B${r}`, r))).join('');
    expect(await read(workbook(sheet), { maxDataRows: 3 })).toHaveLength(4);
    await expect(read(workbook(sheet), { maxDataRows: 2 })).rejects.toMatchObject({ status: 400, msg: { zh: '工作表超过 2 行数据' } });
    await expect(read(workbook(row(1, num('A1', 1) + num('XFD1', 2))), { maxColumns: 1000 })).rejects.toMatchObject({
      status: 400,
      msg: { en: 'The sheet has more than 1,000 columns' },
    });
    await expect(read(workbook(sheet), { maxCells: 7 })).rejects.toMatchObject({ status: 400, msg: { zh: expect.stringContaining('超过 7 个非空单元格') } });
  });

  it('reads every sheet of a workbook written by exceljs (workbook.xml stored last) on every read', async () => {
    // exceljs#3064: its streaming reader can meet the worksheets before workbook.xml and fail at
    // random (uploadSheets.test.ts, a five-sheet exceljs workbook, failed in most runs on Node 24
    // before the worker read again). This one guards the reads; it did not hit the race itself.
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('一月').addRows([['城市', '金额'], ['北京', 1.5]]);
    wb.addWorksheet('二月').addRows([['城市', '金额'], ['上海', 2]]);
    wb.addWorksheet('三月').addRows([['城市', '金额'], ['广州', 3]]);
    // From a file, as uploads are read.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-xlsx-')), 'ledger.xlsx');
    fs.writeFileSync(file, new Uint8Array(await wb.xlsx.writeBuffer()));
    // Each read starts a worker that loads tsx when run from source (1–2 s on a loaded machine):
    // three rounds, not more, so the test stays within its time on CI.
    for (let i = 0; i < 3; i++) {
      for (const [sheet, city] of [['一月', '北京'], ['三月', '广州']] as const) {
        const rows = [];
        for await (const batch of readXlsxRows({ file }, {}, undefined, { sheet })) rows.push(...batch);
        expect(rows.map((r) => r.cells[0]), `read ${i + 1} of ${sheet}`).toEqual(['城市', city]);
      }
    }
  });

  it('refuses a file that is no workbook', async () => {
    await expect(read(strToU8('not a zip at all'))).rejects.toMatchObject({ status: 400, msg: { zh: '无法读取 Excel 文件，请确认是 .xlsx 格式' } });
  });

  it('a workbook that exhausts the worker heap is refused while the server lives on', async () => {
    // One cell of 80 MB text: small on disk, beyond a 64 MB heap once read.
    const huge = workbook(row(1, `<c r="A1" t="inlineStr"><is><t>${'x'.repeat(80 * 1024 * 1024)}</t></is></c>`));
    await expect(read(huge, {}, 64)).rejects.toMatchObject({ status: 400, msg: { en: expect.stringContaining('needs too much memory') } });
    expect(await read(workbook(row(1, num('A1', 7))))).toEqual([{ line: 1, cells: [7] }]);
  });
});
