import { setImmediate } from 'node:timers';
import ExcelJS from 'exceljs';
import type { ImportAllSheetsResult, UploadImportProgress } from '@shulan/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../test/multipart.js';
import { createTestApp, type TestApp } from '../../test/testApp.js';

// Importing every sheet of a workbook in one step, and the progress of the preview pass.

let t: TestApp;
let editor: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  editor = (await t.user('editor')).headers;
});
afterAll(async () => t?.close());

async function upload(fileName: string, content: Buffer | string, url = '/api/uploads') {
  const mp = multipart(fileName, content);
  const res = await t.app.inject({ method: 'POST', url, payload: mp.payload, headers: { ...editor, ...mp.headers } });
  return { status: res.statusCode, json: res.json() };
}
const importSheets = (uploadId: string, body: Record<string, unknown>, headers = editor) =>
  t.call({ method: 'POST', url: `/api/uploads/${uploadId}/import-sheets`, headers, body });
const progress = async (key: string) => (await t.call({ method: 'GET', url: `/api/uploads/${key}/progress`, headers: editor })).json.data as UploadImportProgress;

/** Asks for the progress between turns of the event loop until `work` answers; every running answer seen. */
async function pollWhile<T>(key: string, work: Promise<T>): Promise<{ result: T; seen: UploadImportProgress[] }> {
  let finished = false;
  void work.then(
    () => (finished = true),
    () => (finished = true),
  );
  const seen: UploadImportProgress[] = [];
  while (!finished) {
    await new Promise((resolve) => setImmediate(resolve));
    const p = await progress(key);
    if (p.running) seen.push(p);
  }
  return { result: await work, seen };
}

async function rowsOf(datasetId: string) {
  const res = await t.call({
    method: 'POST',
    url: '/api/query/preview',
    headers: editor,
    body: { datasetId, query: { dimensions: [{ field: '城市' }], measures: [{ field: '金额', agg: 'sum' }], filters: [], sort: [] } },
  });
  expect(res.status).toBe(200);
  return res.json.data.rows;
}

async function ledger(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const jan = wb.addWorksheet('一月');
  jan.addRows([
    ['城市', '金额'],
    ['北京', 1.5],
    ['上海', 2],
    ['广州', 3],
    ['深圳', 4],
    ['深圳', '待定'],
  ]);
  wb.addWorksheet('空白');
  wb.addWorksheet('只有表头').addRow(['城市', '金额']);
  wb.addWorksheet('太宽').addRow(Array.from({ length: 1001 }, (_, i) => `c${i + 1}`));
  const feb = wb.addWorksheet('二月');
  feb.addRows([
    ['城市', '金额', '日期'],
    ['北京', 10, new Date(Date.UTC(2024, 1, 1))],
    ['北京', 5, new Date(Date.UTC(2024, 1, 2))],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('import every sheet of a workbook', () => {
  it('makes a table and dataset per sheet named <file> - <sheet>, reports failing sheets with their reason, and the others still go in', async () => {
    const up = await upload('账本.xlsx', await ledger());
    expect(up.status, JSON.stringify(up.json)).toBe(200);
    const uploadId = up.json.data.uploadId as string;

    const { result: res, seen } = await pollWhile(uploadId, importSheets(uploadId, { badValues: 'skip' }));
    expect(res.status).toBe(200);
    const out = (res.json.data as ImportAllSheetsResult).sheets;
    expect(out.map((s) => [s.sheet, s.name, s.ok])).toEqual([
      ['一月', '账本 - 一月', true],
      ['空白', '账本 - 空白', false],
      ['只有表头', '账本 - 只有表头', false],
      ['太宽', '账本 - 太宽', false],
      ['二月', '账本 - 二月', true],
    ]);
    const [jan, empty, headerOnly, wide, feb] = out;
    // Same inference and bad-value policy as one sheet: 待定 is no number, its row skipped.
    expect(jan).toMatchObject({ ok: true, imported: 4, skipped: 1, blanked: 0, rowCount: 4 });
    expect(jan!.ok && jan!.errors).toEqual([{ row: 6, column: '金额', message: '「待定」不是数字' }]);
    expect(feb).toMatchObject({ ok: true, imported: 2, skipped: 0, blanked: 0 });
    expect(feb!.ok && feb!.fields.map((f) => f.type)).toEqual(['string', 'integer', 'date']);
    expect(empty!.ok === false && empty!.reason).toMatch(/空/);
    expect(headerOnly!.ok === false && headerOnly!.reason).toBe('工作表只有表头，没有数据行');
    expect(wide!.ok === false && wide!.reason).toMatch(/1,?000 列/);

    // Each imported sheet is its own dataset with its own rows.
    expect(await rowsOf(jan!.ok ? jan!.datasetId : '')).toEqual(
      expect.arrayContaining([expect.objectContaining({ 城市: '深圳', sum__金额: 4 })]),
    );
    expect(await rowsOf(feb!.ok ? feb!.datasetId : '')).toEqual([{ 城市: '北京', sum__金额: 15 }]);
    const tables = (await t.call({ method: 'GET', url: '/api/embedded-tables', headers: editor })).json.data as { displayName: string; sourceFile: string }[];
    expect(tables.filter((x) => x.sourceFile === '账本.xlsx').map((x) => x.displayName).sort()).toEqual(['账本 - 一月', '账本 - 二月']);

    // The dialog could follow the run: both phases, sheet by sheet, percent never going back.
    expect(seen.some((p) => p.phase === 'analyzing' && p.sheetCount === 5)).toBe(true);
    expect(seen.some((p) => p.phase === 'importing' && p.sheet === '二月' && p.sheetIndex === 5)).toBe(true);
    const percents = seen.map((p) => p.percent!);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(Math.max(...percents)).toBeLessThanOrEqual(99);
    expect((await progress(uploadId)).running).toBe(false);

    // Some sheets failed: the workbook stays for another try, where the names now taken are reported.
    const again = await importSheets(uploadId, {});
    expect(again.status).toBe(200);
    const second = (again.json.data as ImportAllSheetsResult).sheets;
    expect(second[0]).toMatchObject({ ok: false, reason: '已有名为「账本 - 一月」的数据集' });
    expect(second[4]).toMatchObject({ ok: false, reason: '已有名为「账本 - 二月」的数据集' });
  }, 120_000);

  it('answers reasons in English when asked', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('only header').addRow(['a']);
    wb.addWorksheet('data').addRows([['a'], [1]]);
    const up = await upload('book en.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const res = await importSheets(up.json.data.uploadId, {}, { ...editor, 'accept-language': 'en' });
    expect(res.status).toBe(200);
    expect(res.json.data.sheets).toMatchObject([
      { sheet: 'only header', name: 'book en - only header', ok: false, reason: 'The sheet has a header but no data rows' },
      { sheet: 'data', name: 'book en - data', ok: true, imported: 1 },
    ]);
    // Every sheet that could go in did; the one refused keeps the workbook, so it is still there.
    expect((await t.call({ method: 'POST', url: `/api/uploads/${up.json.data.uploadId}/sheet`, headers: editor, body: { sheet: 'data' } })).status).toBe(200);
  }, 60_000);

  it('removes the workbook once every sheet is in', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('甲').addRows([['x'], [1]]);
    wb.addWorksheet('乙').addRows([['y'], ['b']]);
    const up = await upload(`全部 ${Date.now()}.xlsx`, Buffer.from(await wb.xlsx.writeBuffer()));
    const res = await importSheets(up.json.data.uploadId, {});
    expect(res.json.data.sheets.map((s: { ok: boolean }) => s.ok)).toEqual([true, true]);
    const gone = await importSheets(up.json.data.uploadId, {});
    expect(gone.status).toBe(404);
  }, 60_000);

  it('refuses a CSV and a bad policy with a message a person understands', async () => {
    const csv = await upload('单表.csv', 'a,b\n1,2\n');
    const res = await importSheets(csv.json.data.uploadId, {});
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('只有 Excel 工作簿可以导入全部工作表');

    const bad = await importSheets(csv.json.data.uploadId, { badValues: 'drop' });
    expect(bad.status).toBe(400);
    const extra = await importSheets(csv.json.data.uploadId, { name: 'x' });
    expect(extra.status).toBe(400);
  });
});

describe('progress of the preview pass', () => {
  it('reports the analysing phase of a large CSV by the progress id sent with it, as a percent of the bytes read', async () => {
    const rows = 40_000;
    const csv = ['城市,金额', ...Array.from({ length: rows }, (_, i) => `c${i % 50},${i % 1000}.${String(i % 100).padStart(2, '0')}`)].join('\n');
    const progressId = `p${Date.now()}abcdef`;
    const { result, seen } = await pollWhile(progressId, upload('big.csv', csv, `/api/uploads?progressId=${progressId}`));
    expect(result.status).toBe(200);
    expect(result.json.data.rowCount).toBe(rows);
    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) {
      expect(p).toMatchObject({ running: true, phase: 'analyzing', rowCount: 0 });
      expect(p.percent).toBeGreaterThanOrEqual(0);
      expect(p.percent).toBeLessThanOrEqual(99);
    }
    expect(seen.some((p) => p.rowsRead > 0 && p.percent! > 0)).toBe(true);
    expect((await progress(progressId)).running).toBe(false);
  });

  it('refuses a malformed progress id', async () => {
    const res = await upload('x.csv', 'a\n1\n', '/api/uploads?progressId=../../etc');
    expect(res.status).toBe(400);
  });
});
