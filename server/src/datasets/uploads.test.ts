import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { quoteTable } from '../datasources/sqlNames.js';
import { getQueryableDataset } from './getQueryableDataset.js';

let t: TestApp;
let editor: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  editor = (await t.user('editor')).headers;
});
afterAll(async () => t?.close());

function multipart(fileName: string, content: Buffer | string) {
  const boundary = `----shulan${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return {
    payload: Buffer.concat([head, body, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(fileName: string, content: Buffer | string, headers = editor) {
  const mp = multipart(fileName, content);
  const res = await t.app.inject({ method: 'POST', url: '/api/uploads', payload: mp.payload, headers: { ...headers, ...mp.headers } });
  return { status: res.statusCode, json: res.json() };
}

const importUpload = (uploadId: string, body: Record<string, unknown>) =>
  t.call({ method: 'POST', url: `/api/uploads/${uploadId}/import`, headers: editor, body });

const typeMap = (fields: { name: string; type: string }[]) => Object.fromEntries(fields.map((f) => [f.name, f.type]));

const SALES_CSV = [
  '日期,城市,数量,金额,会员,下单时间,编号',
  '2024/1/5,北京,3,12.50,是,2024-01-05 10:00:00,00123',
  '2024-01-06,上海,1,"1,200.00",否,2024-01-06 11:30,00456',
  '2024/2/1,北京,2,8,是,2024-02-01 09:15:00,00789',
].join('\n');

describe('upload preview', () => {
  it('infers integer, number, boolean, date, datetime and keeps codes with leading zeros as text', async () => {
    const res = await upload('销售.csv', SALES_CSV);
    expect(res.status).toBe(200);
    const p = res.json.data;
    expect(p.fileName).toBe('销售.csv');
    expect(p.rowCount).toBe(3);
    expect(typeMap(p.fields)).toEqual({
      日期: 'date',
      城市: 'string',
      数量: 'integer',
      金额: 'number',
      会员: 'boolean',
      下单时间: 'datetime',
      编号: 'string',
    });
    expect(p.errors).toEqual([]);
    expect(p.sampleRows[0]).toMatchObject({ 城市: '北京', 编号: '00123' });
  });

  it('writes nothing before import', async () => {
    await upload('x.csv', SALES_CSV);
    const tables = await t.call({ method: 'GET', url: '/api/embedded-tables', headers: editor });
    const datasets = await t.call({ method: 'GET', url: '/api/datasets', headers: editor });
    const before = tables.json.data.length;
    expect(datasets.json.data.filter((d: any) => d.name === 'x')).toEqual([]);
    await upload('y.csv', SALES_CSV);
    const after = await t.call({ method: 'GET', url: '/api/embedded-tables', headers: editor });
    expect(after.json.data.length).toBe(before);
  });

  it('reads a UTF-8 file with BOM and semicolons', async () => {
    const res = await upload('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name;qty\nA;1\nB;2\n')]));
    expect(res.status).toBe(200);
    expect(res.json.data.fields).toEqual([
      { name: 'name', type: 'string' },
      { name: 'qty', type: 'integer' },
    ]);
  });

  it('reads a GBK file (Chinese Excel export) and tab-separated values', async () => {
    // "城市,金额\n北京,12\n" in GBK.
    const gbk = Buffer.from('b3c7cad02cbdf0b6ee0ab1b1bea92c31320a', 'hex');
    const res = await upload('gbk.csv', gbk);
    expect(res.status).toBe(200);
    expect(res.json.data.fields).toEqual([
      { name: '城市', type: 'string' },
      { name: '金额', type: 'integer' },
    ]);
    expect(res.json.data.sampleRows).toEqual([{ 城市: '北京', 金额: '12' }]);
    const tsv = await upload('t.tsv', 'a\tb\n1\t2\n');
    expect(tsv.json.data.fields.map((f: any) => f.name)).toEqual(['a', 'b']);
  });

  it('streams a large GBK file whose first Chinese text comes after the first 64 KB', async () => {
    const lines = ['id,city,amount'];
    for (let i = 1; i <= 50_000; i++) lines.push(`${i},c${i % 7},${(i % 100) + 0.5}`);
    // "北京" in GBK on the last row.
    const gbk = Buffer.concat([Buffer.from(`${lines.join('\n')}\n50001,`), Buffer.from('b1b1bea9', 'hex'), Buffer.from(',1.5\n')]);
    const up = await upload('big.csv', gbk);
    expect(up.status).toBe(200);
    expect(up.json.data.rowCount).toBe(50_001);
    expect(typeMap(up.json.data.fields)).toEqual({ id: 'integer', city: 'string', amount: 'number' });
    const res = await importUpload(up.json.data.uploadId, { name: '大文件' });
    expect(res.json.data.rowCount).toBe(50_001);
    const ds = await getQueryableDataset(t.deps, res.json.data.datasetId, null);
    const table = ds.source.kind === 'table' ? ds.source.table : '';
    expect(await ds.connector.query(`SELECT city FROM ${quoteTable('duckdb', table)} WHERE id = $1`, [50_001])).toEqual([{ city: '北京' }]);
  });

  it('reports errors by the line a spreadsheet shows, also after a multi-line cell', async () => {
    const up = await upload('multi.csv', 'note,n\n"two\nlines",1\nok,x\n' + Array.from({ length: 8 }, (_, i) => `r${i},${i}`).join('\n'));
    expect(up.json.data.errors).toEqual([{ row: 4, column: 'n', message: '「x」不是整数' }]);
  });

  it('reads the first sheet of an XLSX, naming empty and duplicate headers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.addRow(['日期', '', '金额', '金额', '时间']);
    ws.addRow([new Date(Date.UTC(2024, 0, 5)), 'x', 10, 1.5, new Date(Date.UTC(2024, 0, 5, 8, 30))]);
    ws.addRow([new Date(Date.UTC(2024, 0, 6)), 'y', 20, 2.5, new Date(Date.UTC(2024, 0, 6, 9, 0))]);
    wb.addWorksheet('ignored').addRow(['z']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload('book.xlsx', buf);
    expect(res.status).toBe(200);
    expect(res.json.data.fields).toEqual([
      { name: '日期', type: 'date' },
      { name: '列2', type: 'string' },
      { name: '金额', type: 'integer' },
      { name: '金额_2', type: 'number', precision: 18, scale: 1 },
      { name: '时间', type: 'datetime' },
    ]);
    expect(res.json.data.rowCount).toBe(2);
  });

  it('keeps a column named __proto__, in the preview and in the imported table', async () => {
    const up = await upload('proto.csv', 'id,__proto__,constructor\n1,x,z\n');
    expect(up.status).toBe(200);
    expect(up.json.data.fields.map((f: { name: string }) => f.name)).toEqual(['id', '__proto__', 'constructor']);
    expect(Object.entries(up.json.data.sampleRows[0])).toEqual([
      ['id', '1'],
      ['__proto__', 'x'],
      ['constructor', 'z'],
    ]);
    const imported = await importUpload(up.json.data.uploadId, { name: '原型列' });
    const preview = await t.call({ method: 'GET', url: `/api/datasets/${imported.json.data.datasetId}/preview`, headers: editor });
    expect(Object.entries(preview.json.data.rows[0])).toEqual([
      ['id', 1],
      ['__proto__', 'x'],
      ['constructor', 'z'],
    ]);
  });

  it('applies the 1,000-column cap to the header, also when no data rows follow', async () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    for (const content of [header, `${header}\n`]) {
      const res = await upload('wide.csv', content);
      expect(res.status).toBe(400);
      expect(res.json.error.message).toBe('列数超过 1000');
    }
    expect((await upload('ok.csv', Array.from({ length: 1000 }, (_, i) => `c${i}`).join(','))).status).toBe(200);
  });

  it('refuses a binary file renamed to .csv, saying it is no CSV text file', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR'), Buffer.alloc(64, 0)]);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRows([['a'], [1]]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    // No NUL bytes, but neither valid UTF-8 nor valid GB18030.
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => 0x80 + ((i * 37) % 0x7f) + 1));
    for (const [name, content] of [['image.csv', png], ['workbook.csv', xlsx], ['noise.csv', noise]] as const) {
      const res = await upload(name, content);
      expect(res.status, name).toBe(400);
      expect(res.json.error.message, name).toContain('文件看起来不是 CSV 文本文件');
    }
    // Text in the encodings Excel exports still reads: GBK, and UTF-16 with a BOM (Unicode text).
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('城市\t数量\n北京\t1\n', 'utf16le')]);
    const read = await upload('unicode.txt', utf16);
    expect(read.status).toBe(200);
    expect(read.json.data.sampleRows).toEqual([{ 城市: '北京', 数量: '1' }]);
  });

  it('refuses other file types', async () => {
    const res = await upload('a.pdf', 'x');
    expect(res.status).toBe(400);
  });
});

describe('import', () => {
  const withBadRow = ['城市,金额', ...Array.from({ length: 9 }, (_, i) => `c${i},${i + 0.5}`), 'bad,N/A'].join('\n');

  it('lists values that do not fit; the import blanks those cells by default, or skips their rows on request', async () => {
    const up = await upload('bad.csv', withBadRow);
    expect(typeMap(up.json.data.fields)).toEqual({ 城市: 'string', 金额: 'number' });
    expect(up.json.data.errors).toEqual([{ row: 11, column: '金额', message: '「N/A」不是数字' }]);

    const blanked = await importUpload(up.json.data.uploadId, { name: '坏数据' });
    expect(blanked.status).toBe(200);
    expect(blanked.json.data).toMatchObject({ rowCount: 10, imported: 10, skipped: 0, blanked: 1, errors: [{ row: 11, column: '金额', message: '「N/A」不是数字' }] });
    const kept = await getQueryableDataset(t.deps, blanked.json.data.datasetId, null);
    expect(await kept.connector.query(`SELECT "金额" AS v FROM ${quoteTable('duckdb', (kept.source as { table: string }).table)} WHERE "城市" = 'bad'`, [])).toEqual([{ v: null }]);

    const again = await upload('bad.csv', withBadRow);
    const skipped = await importUpload(again.json.data.uploadId, { name: '坏数据（跳过）', badValues: 'skip' });
    expect(skipped.status).toBe(200);
    expect(skipped.json.data).toMatchObject({ rowCount: 9, imported: 9, skipped: 1, blanked: 0 });
  });

  it('imports into a table whose rows are queryable through the dataset', async () => {
    const up = await upload('销售.csv', SALES_CSV);
    const res = await importUpload(up.json.data.uploadId, { name: '销售明细' });
    expect(res.status).toBe(200);
    const { datasetId, tableId, rowCount } = res.json.data;
    expect(rowCount).toBe(3);

    const tables = await t.call({ method: 'GET', url: '/api/embedded-tables', headers: editor });
    const table = tables.json.data.find((x: any) => x.id === tableId);
    expect(table).toMatchObject({ displayName: '销售明细', sourceFile: '销售.csv', rowCount: 3 });
    expect(table.tableName).toMatch(/^t_[0-9a-f]+$/);

    const ds = await getQueryableDataset(t.deps, datasetId, null);
    expect(ds.external).toBe(false);
    expect(ds.source).toEqual({ kind: 'table', table: table.tableName });
    const rows = await ds.connector.query(
      `SELECT "城市", sum("数量") AS n, sum("金额") AS amount, min("日期") AS first, min("下单时间") AS at
       FROM ${quoteTable('duckdb', table.tableName)} WHERE "会员" = $1 GROUP BY "城市"`,
      [true],
    );
    expect(rows).toEqual([{ 城市: '北京', n: 5, amount: 20.5, first: '2024-01-05', at: '2024-01-05T10:00:00' }]);

    const preview = await t.call({ method: 'GET', url: `/api/datasets/${datasetId}/preview?limit=2`, headers: editor });
    expect(preview.status).toBe(200);
    expect(preview.json.data.rows).toHaveLength(2);
    expect(preview.json.data.rows[0]).toMatchObject({ 编号: '00123', 数量: 3 });
  });

  it('replacing a table bumps the data version of every dataset over it', async () => {
    const first = await importUpload((await upload('v1.csv', 'k,v\na,1\n')).json.data.uploadId, { name: '版本表' });
    const { tableId, datasetId } = first.json.data;
    const table = (await t.call({ method: 'GET', url: '/api/embedded-tables', headers: editor })).json.data.find((x: any) => x.id === tableId);
    const second = await t.call({
      method: 'POST',
      url: '/api/datasets',
      headers: editor,
      body: { name: '版本表-副本', datasourceId: 'embedded', kind: 'table', table: table.tableName },
    });
    expect(second.status).toBe(200);
    expect(second.json.data.dataVersion).toBe(1);

    const up2 = await upload('v2.csv', 'k,v\na,1\nb,2\nc,3\n');
    const rep = await importUpload(up2.json.data.uploadId, { name: '版本表', replaceTableId: tableId });
    expect(rep.status).toBe(200);
    expect(rep.json.data).toMatchObject({ tableId, datasetId, rowCount: 3 });

    const a = await getQueryableDataset(t.deps, datasetId, null);
    const b = await getQueryableDataset(t.deps, second.json.data.id, null);
    expect(a.dataVersion).toBe(2);
    expect(b.dataVersion).toBe(2);
    const rows = await b.connector.query(`SELECT count(*) AS n FROM ${quoteTable('duckdb', table.tableName)}`, []);
    expect(rows).toEqual([{ n: 3 }]);
  });

  it('an imported table can be deleted once no dataset uses it', async () => {
    const res = await importUpload((await upload('del.csv', 'a\n1\n')).json.data.uploadId, { name: '待删' });
    const { tableId, datasetId } = res.json.data;
    const refused = await t.call({ method: 'DELETE', url: `/api/embedded-tables/${tableId}`, headers: editor });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain('待删');
    expect((await t.call({ method: 'DELETE', url: `/api/datasets/${datasetId}`, headers: editor })).status).toBe(200);
    expect((await t.call({ method: 'DELETE', url: `/api/embedded-tables/${tableId}`, headers: editor })).status).toBe(200);
    const tables = await t.call({ method: 'GET', url: '/api/embedded-tables', headers: editor });
    expect(tables.json.data.map((x: any) => x.id)).not.toContain(tableId);
  });

  it('forgets uploads never imported after a day', async () => {
    const old = await upload('old.csv', 'a\n1\n');
    const id = old.json.data.uploadId;
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
    for (const f of [id, `${id}.json`]) fs.utimesSync(path.join(t.dataDir, 'uploads', f), dayAgo, dayAgo);
    await upload('new.csv', 'a\n1\n');
    expect((await importUpload(id, { name: '过期' })).status).toBe(404);
  });

  it('an upload is imported once', async () => {
    const up = await upload('once.csv', 'a\n1\n');
    expect((await importUpload(up.json.data.uploadId, { name: '一次' })).status).toBe(200);
    expect((await importUpload(up.json.data.uploadId, { name: '两次' })).status).toBe(404);
  });
});

describe('embedded SQL datasets', () => {
  it('accepts a query, refuses writes, several statements and reading server files', async () => {
    const ok = await t.call({
      method: 'POST',
      url: '/api/datasets',
      headers: editor,
      body: { name: '常量', datasourceId: 'embedded', kind: 'sql', sql: "SELECT 1 AS a, DATE '2024-01-02' AS d;" },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.data.fields).toEqual([
      { name: 'a', type: 'integer' },
      { name: 'd', type: 'date' },
    ]);
    expect(ok.json.data.sql).toBe("SELECT 1 AS a, DATE '2024-01-02' AS d");
    const preview = await t.call({ method: 'GET', url: `/api/datasets/${ok.json.data.id}/preview`, headers: editor });
    expect(preview.json.data.rows).toEqual([{ a: 1, d: '2024-01-02' }]);

    for (const sqlText of ['DROP TABLE x', 'SELECT 1; DROP TABLE x', 'CREATE TABLE x AS SELECT 1', "SELECT * FROM read_csv('/etc/passwd')"]) {
      const res = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: `w${sqlText.length}`, datasourceId: 'embedded', kind: 'sql', sql: sqlText } });
      expect(res.status, sqlText).toBe(400);
    }
  });

  it('deleting a dataset used by a report answers 409 naming the report', async () => {
    const ds = await t.call({
      method: 'POST',
      url: '/api/datasets',
      headers: editor,
      body: { name: '被引用', datasourceId: 'embedded', kind: 'sql', sql: 'SELECT 1 AS a' },
    });
    const now = new Date().toISOString();
    await t.deps.db
      .insertInto('reports')
      .values({ id: 'r1', name: '月报', description: null, definition_json: JSON.stringify({ widgets: [{ datasetId: ds.json.data.id }] }), created_by: null, created_at: now, updated_at: now })
      .execute();
    const res = await t.call({ method: 'DELETE', url: `/api/datasets/${ds.json.data.id}`, headers: editor });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('月报');
    await t.deps.db.deleteFrom('reports').where('id', '=', 'r1').execute();
    expect((await t.call({ method: 'DELETE', url: `/api/datasets/${ds.json.data.id}`, headers: editor })).status).toBe(200);
  });
});

describe('access', () => {
  it('viewers get 403 on uploads, embedded tables and datasets', async () => {
    const viewer = (await t.user('viewer')).headers;
    expect((await upload('a.csv', 'a\n1\n', viewer)).status).toBe(403);
    const calls: [string, string][] = [
      ['POST', '/api/uploads/abcdefghijklmnop/import'],
      ['GET', '/api/embedded-tables'],
      ['DELETE', '/api/embedded-tables/x'],
      ['GET', '/api/datasets'],
      ['POST', '/api/datasets'],
      ['GET', '/api/datasets/x'],
      ['PUT', '/api/datasets/x'],
      ['DELETE', '/api/datasets/x'],
      ['GET', '/api/datasets/x/preview'],
      ['GET', '/api/datasources'],
      ['GET', '/api/datasources/embedded/tables'],
    ];
    for (const [method, url] of calls) {
      const res = await t.call({ method: method as any, url, headers: viewer, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect(res.status, `${method} ${url}`).toBe(403);
    }
  });
});
