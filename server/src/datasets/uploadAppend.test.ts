import { setImmediate } from 'node:timers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { multipart } from '../../test/multipart.js';
import { createTestApp, type TestApp } from '../../test/testApp.js';

// Getting data in (issue 12): appending to and replacing an uploaded table with the same
// columns, a clear refusal otherwise, exact decimals kept on append, and the progress of a large import.

let t: TestApp;
let editor: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  editor = (await t.user('editor')).headers;
});
afterAll(async () => t?.close());

async function upload(fileName: string, content: string) {
  const mp = multipart(fileName, content);
  const res = await t.app.inject({ method: 'POST', url: '/api/uploads', payload: mp.payload, headers: { ...editor, ...mp.headers } });
  expect(res.statusCode).toBe(200);
  return res.json().data as { uploadId: string; fields: { name: string; type: string; scale?: number }[]; rowCount: number };
}
const importUpload = (uploadId: string, body: Record<string, unknown>) =>
  t.call({ method: 'POST', url: `/api/uploads/${uploadId}/import`, headers: editor, body });

async function sumByCity(datasetId: string) {
  const res = await t.call({
    method: 'POST',
    url: '/api/query/preview',
    headers: editor,
    body: { datasetId, query: { dimensions: [{ field: '城市' }], measures: [{ field: '金额', agg: 'sum' }, { agg: 'count' }], filters: [], sort: [] } },
  });
  expect(res.status).toBe(200);
  return res.json.data.rows;
}

describe('append and replace an uploaded table', () => {
  it('appends rows by column name (any order) with the table types; a value its DECIMAL would round is blanked and counted', async () => {
    const first = await upload('门店.csv', '城市,金额\n北京,10.25\n上海,0.10\n');
    expect(first.fields).toEqual([{ name: '城市', type: 'string' }, { name: '金额', type: 'number', precision: 18, scale: 2 }]);
    const created = await importUpload(first.uploadId, { name: `门店 ${Date.now()}` });
    expect(created.status).toBe(200);
    const { tableId, datasetId } = created.json.data;
    const versionBefore = (await t.call({ method: 'GET', url: `/api/datasets/${datasetId}`, headers: editor })).json.data.dataVersion;

    // Columns in another order; 0.125 has three decimals: the table's DECIMAL(18,2) would round it.
    const more = await upload('门店-2.csv', '金额,城市\n5.50,北京\n0.125,广州\n0.20,上海\n');
    const appended = await importUpload(more.uploadId, { name: 'ignored', appendTableId: tableId });
    expect(appended.status, JSON.stringify(appended.json)).toBe(200);
    expect(appended.json.data).toMatchObject({ tableId, datasetId, rowCount: 5, imported: 3, skipped: 0, blanked: 1 });
    expect(appended.json.data.errors).toEqual([{ row: 3, column: '金额', message: '「0.125」超出该列的精度（整数最多 16 位，小数最多 2 位）' }]);

    expect(await sumByCity(datasetId)).toEqual([
      { 城市: '上海', sum__金额: 0.3, count: 2 },
      { 城市: '北京', sum__金额: 15.75, count: 2 },
      { 城市: '广州', sum__金额: null, count: 1 },
    ]);
    const after = await t.call({ method: 'GET', url: `/api/datasets/${datasetId}`, headers: editor });
    expect(after.json.data.dataVersion).toBeGreaterThan(versionBefore);
    const listed = (await t.call({ method: 'GET', url: '/api/embedded-tables', headers: editor })).json.data.find((x: { id: string }) => x.id === tableId);
    expect(listed.rowCount).toBe(5);
  });

  it('refuses to append or replace with other columns, naming the missing and the extra ones', async () => {
    const first = await upload('a.csv', '城市,金额\n北京,1\n');
    const created = await importUpload(first.uploadId, { name: `列检查 ${Date.now()}` });
    const { tableId, datasetId } = created.json.data;
    const other = await upload('b.csv', '城市,销量\n北京,3\n');
    const append = await importUpload(other.uploadId, { name: 'x', appendTableId: tableId });
    expect(append.status).toBe(400);
    expect(append.json.error.message).toMatch(/缺少列：金额；多出列：销量/);
    expect(append.json.error.details).toEqual({ missing: ['金额'], extra: ['销量'] });
    const replace = await t.call({ method: 'POST', url: `/api/uploads/${other.uploadId}/import`, headers: { ...editor, 'accept-language': 'en' }, body: { name: 'x', replaceTableId: tableId } });
    expect(replace.status).toBe(400);
    expect(replace.json.error.message).toMatch(/missing 金额; extra 销量/);
    // Nothing changed.
    expect(await sumByCity(datasetId)).toEqual([{ 城市: '北京', sum__金额: 1, count: 1 }]);

    const both = await importUpload(other.uploadId, { name: 'x', appendTableId: tableId, replaceTableId: tableId });
    expect(both.status).toBe(400);
  });

  it('replaces the rows of a table with a file of the same columns', async () => {
    const first = await upload('r.csv', '城市,金额\n北京,1\n上海,2\n');
    const created = await importUpload(first.uploadId, { name: `替换 ${Date.now()}` });
    const next = await upload('r2.csv', '城市,金额\n深圳,7.77\n');
    const replaced = await importUpload(next.uploadId, { name: 'x', replaceTableId: created.json.data.tableId });
    expect(replaced.status).toBe(200);
    expect(replaced.json.data).toMatchObject({ rowCount: 1, imported: 1, datasetId: created.json.data.datasetId });
    expect(await sumByCity(created.json.data.datasetId)).toEqual([{ 城市: '深圳', sum__金额: 7.77, count: 1 }]);
  });
});

describe('progress of a large import', () => {
  it('reports rows read of the rows the preview counted while the import runs', async () => {
    const rows = 30_000;
    const csv = ['城市,金额', ...Array.from({ length: rows }, (_, i) => `c${i % 50},${i % 1000}.${String(i % 100).padStart(2, '0')}`)].join('\n');
    const up = await upload('big.csv', csv);
    expect(up.rowCount).toBe(rows);
    const progress = () => t.call({ method: 'GET', url: `/api/uploads/${up.uploadId}/progress`, headers: editor });
    expect((await progress()).json.data).toEqual({ running: false, rowsRead: 0, rowCount: 0, percent: 0 });

    const importing = importUpload(up.uploadId, { name: `大文件 ${Date.now()}` });
    let seen: { running: boolean; rowsRead: number; rowCount: number; percent: number } | null = null;
    let finished = false;
    void importing.then(() => (finished = true));
    while (!finished) {
      // The import runs in this process: give its turn back before asking again.
      await new Promise((resolve) => setImmediate(resolve));
      const p = (await progress()).json.data;
      if (p.running && p.rowsRead > 0) {
        seen = p;
        break;
      }
    }
    const res = await importing;
    expect(res.status).toBe(200);
    expect(res.json.data.imported).toBe(rows);
    expect(seen).not.toBeNull();
    expect(seen!.rowCount).toBe(rows);
    expect(seen!.percent).toBe(Math.floor((seen!.rowsRead / rows) * 100));
    expect((await progress()).json.data.running).toBe(false);
  });
});

describe('Excel workbooks with several sheets', () => {
  it('previews the first tab, switches to another sheet, and imports each sheet as its own table', async () => {
    const wb = new ExcelJS.Workbook();
    const jan = wb.addWorksheet('一月');
    jan.addRow(['城市', '金额']);
    jan.addRow(['北京', 1.5]);
    const feb = wb.addWorksheet('二月 & 三月');
    feb.addRow(['城市', '金额', '备注']);
    feb.addRow(['上海', 2.25, 'a']);
    feb.addRow(['上海', 3, 'b']);
    const mp = multipart('账本.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const res = await t.app.inject({ method: 'POST', url: '/api/uploads', payload: mp.payload, headers: { ...editor, ...mp.headers } });
    expect(res.statusCode).toBe(200);
    const first = res.json().data;
    expect(first).toMatchObject({ sheets: ['一月', '二月 & 三月'], sheet: '一月', rowCount: 1 });
    expect(first.fields.map((f: { name: string }) => f.name)).toEqual(['城市', '金额']);

    const sheet = (name: string) => t.call({ method: 'POST', url: `/api/uploads/${first.uploadId}/sheet`, headers: editor, body: { sheet: name } });
    const second = await sheet('二月 & 三月');
    expect(second.status).toBe(200);
    expect(second.json.data).toMatchObject({ sheet: '二月 & 三月', rowCount: 2 });
    expect(second.json.data.fields).toEqual([
      { name: '城市', type: 'string' },
      { name: '金额', type: 'number', precision: 18, scale: 2 },
      { name: '备注', type: 'string' },
    ]);
    const febTable = await importUpload(first.uploadId, { name: `二月 ${Date.now()}` });
    expect(febTable.status).toBe(200);
    expect(await sumByCity(febTable.json.data.datasetId)).toEqual([{ 城市: '上海', sum__金额: 5.25, count: 2 }]);

    // The workbook stays so that its other sheet can be imported as another table.
    const back = await sheet('一月');
    expect(back.status).toBe(200);
    expect(back.json.data).toMatchObject({ sheet: '一月', rowCount: 1 });

    const missing = await sheet('四月');
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toBe('文件中没有工作表「四月」');
    // Each read of a workbook starts a worker thread: slow on a busy machine.
  }, 90_000);
});
