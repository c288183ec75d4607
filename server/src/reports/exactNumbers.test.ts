import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../test/multipart.js';
import { createTestApp, type TestApp } from '../../test/testApp.js';

// Issue 12: the same Chinook-shaped invoice lines in PostgreSQL, in MariaDB and uploaded as CSV.
// Sums and averages per country through Shulan must equal SQL run directly on the source, to the
// last digit, and the CSV export must print them so. Also: integers and decimals beyond 2^53,
// timestamps without zone, and a PostgreSQL table whose name holds a dot.

const suffix = randomBytes(4).toString('hex');
const pgTable = `chinook_${suffix}.invoice_line`; // one table whose name holds a dot
const pgBig = `big_${suffix}`;
const myTable = `chinook_${suffix}_invoice_line`;
const myBig = `big_${suffix}`;
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const MY = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };

const COUNTRIES = ['USA', 'Canada', 'France', 'Brazil', 'Germany', 'United Kingdom', 'Czech Republic', 'Portugal', 'India', 'Chile', 'Ireland', 'Hungary', 'Austria', 'Finland', 'Netherlands', 'Norway', 'Sweden', 'Spain', 'Poland', 'Italy', 'Denmark', 'Belgium', 'Australia', 'Argentina'];
const PRICES = ['0.99', '1.99', '0.99', '0.99', '1.99', '0.89', '1.29'];

interface Line {
  id: number;
  country: string;
  at: string;
  price: string;
  qty: number;
  total: string;
}

/** 2,240 invoice lines, as many as Chinook has, from a fixed seed. */
function invoiceLines(): Line[] {
  let seed = 12;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: 2240 }, (_, i) => {
    const country = COUNTRIES[Math.floor(((next() / 2147483648) ** 2) * COUNTRIES.length)]!;
    const price = PRICES[next() % PRICES.length]!;
    const qty = 1 + (next() % 3);
    const cents = Math.round(Number(price) * 100) * qty;
    const at = new Date(Date.UTC(2021, 0, 1) + i * 3_600_000 * 7).toISOString().slice(0, 19).replace('T', ' ');
    return { id: i + 1, country, at, price, qty, total: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}` };
  });
}

const lines = invoiceLines();
let t: TestApp;
let admin: Record<string, string>;
let pgClient: pg.Client;
let my: mysql.Connection;

beforeAll(async () => {
  pgClient = new pg.Client({ connectionString: PG_URL });
  await pgClient.connect();
  await pgClient.query(`CREATE TABLE "${pgTable}" (invoice_line_id integer, billing_country varchar(40), invoice_date timestamp, unit_price numeric(10,2), quantity integer, line_total numeric(10,2))`);
  await pgClient.query(`CREATE TABLE ${pgBig} (id bigint, amount numeric(30,2), at timestamp)`);
  my = await mysql.createConnection(MY);
  await my.query(`CREATE TABLE ${myTable} (invoice_line_id int, billing_country varchar(40), invoice_date datetime, unit_price decimal(10,2), quantity int, line_total decimal(10,2)) CHARACTER SET utf8mb4`);
  await my.query(`CREATE TABLE ${myBig} (id bigint, amount decimal(30,2), at datetime)`);
  const values = lines.map((l) => `(${l.id}, '${l.country}', '${l.at}', ${l.price}, ${l.qty}, ${l.total})`).join(',');
  await pgClient.query(`INSERT INTO "${pgTable}" VALUES ${values}`);
  await my.query(`INSERT INTO ${myTable} VALUES ${values}`);
  const big = `(9007199254740993, 12345678901234567890.12, '2024-03-10 08:30:00'), (42, 0.5, '2024-03-10 23:59:59')`;
  await pgClient.query(`INSERT INTO ${pgBig} VALUES ${big}`);
  await my.query(`INSERT INTO ${myBig} VALUES ${big}`);
  t = await createTestApp();
  admin = (await t.user('admin')).headers;
});

afterAll(async () => {
  await t?.close();
  await pgClient?.query(`DROP TABLE IF EXISTS "${pgTable}", ${pgBig}`).catch(() => {});
  await pgClient?.end();
  await my?.query(`DROP TABLE IF EXISTS ${myTable}, ${myBig}`).catch(() => {});
  await my?.end();
});

const call = (method: 'GET' | 'POST', url: string, body?: object) => t.call({ method, url, headers: admin, body });

const sources = new Map<string, string>();
async function source(kind: 'postgres' | 'mysql'): Promise<string> {
  if (sources.has(kind)) return sources.get(kind)!;
  const body =
    kind === 'postgres'
      ? { name: `pg ${suffix}`, kind, host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', password: 'trust' }
      : { name: `my ${suffix}`, kind, host: '127.0.0.1', port: 3306, database: 'test', user: 'root', password: '' };
  const res = await call('POST', '/api/datasources', body);
  expect(res.status).toBe(200);
  sources.set(kind, res.json.data.id);
  return res.json.data.id;
}

async function tableDataset(datasourceId: string, table: string, name: string): Promise<string> {
  const res = await call('POST', '/api/datasets', { name, datasourceId, kind: 'table', table });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data.id;
}

async function uploadDataset(fileName: string, csv: string, name: string) {
  const mp = multipart(fileName, csv);
  const up = await t.app.inject({ method: 'POST', url: '/api/uploads', payload: mp.payload, headers: { ...admin, ...mp.headers } });
  expect(up.statusCode).toBe(200);
  const preview = up.json().data;
  const imported = await call('POST', `/api/uploads/${preview.uploadId}/import`, { name });
  expect(imported.status, JSON.stringify(imported.json)).toBe(200);
  return { datasetId: imported.json.data.datasetId as string, fields: preview.fields as unknown[] };
}

const BY_COUNTRY = {
  dimensions: [{ field: 'billing_country' }],
  measures: [
    { field: 'unit_price', agg: 'sum' },
    { field: 'unit_price', agg: 'avg' },
    { field: 'line_total', agg: 'sum' },
  ],
  filters: [],
  sort: [],
};

type Row = Record<string, string | number | null>;

async function preview(datasetId: string, query: object): Promise<{ columns: { key: string; scale?: number }[]; rows: Row[] }> {
  const res = await call('POST', '/api/query/preview', { datasetId, query });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data;
}

/** The value as the digits it stands for, whether JSON sent a number or exact text. */
const digits = (v: unknown) => {
  const s = String(v);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
};

/** Per country: exact sum and average (rounded to scale + 4 = 6 digits) as the source computes them. */
async function pgTruth(): Promise<Map<string, { sum: string; avg: string; total: string }>> {
  const res = await pgClient.query<{ c: string; s: string; a: string; t: string }>(
    `SELECT billing_country AS c, sum(unit_price)::text AS s, round(avg(unit_price), 6)::text AS a, sum(line_total)::text AS t
     FROM "${pgTable}" GROUP BY 1`,
  );
  return new Map(res.rows.map((r) => [r.c, { sum: r.s, avg: r.a, total: r.t }]));
}

async function myTruth(): Promise<Map<string, { sum: string; avg: string; total: string }>> {
  const [rows] = await my.query<mysql.RowDataPacket[]>(
    `SELECT billing_country AS c, CAST(SUM(unit_price) AS CHAR) AS s, CAST(ROUND(AVG(unit_price), 6) AS CHAR) AS a, CAST(SUM(line_total) AS CHAR) AS t
     FROM ${myTable} GROUP BY 1`,
  );
  return new Map(rows.map((r) => [String(r.c), { sum: String(r.s), avg: String(r.a), total: String(r.t) }]));
}

function expectMatches(rows: Row[], truth: Map<string, { sum: string; avg: string; total: string }>) {
  expect(rows).toHaveLength(truth.size);
  for (const r of rows) {
    const want = truth.get(String(r.billing_country))!;
    expect({ country: r.billing_country, sum: digits(r.sum__unit_price), avg: digits(r.avg__unit_price), total: digits(r.sum__line_total) }).toEqual({
      country: r.billing_country,
      sum: digits(want.sum),
      avg: digits(want.avg),
      total: digits(want.total),
    });
  }
}

const csvText = (lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;
/** Money in the export: every digit, at least the column's two decimals. */
const money = (text: string) => {
  const d = digits(text);
  const [int, frac = ''] = d.split('.');
  return `${int}.${frac.padEnd(2, '0')}`;
};

describe('exact numbers from PostgreSQL, MariaDB and an uploaded CSV (Chinook-shaped invoices)', () => {
  it('the data would show the bug: summing the prices as doubles misses the cent digits', () => {
    const noisy = COUNTRIES.filter((c) => {
      const sum = lines.filter((l) => l.country === c).reduce((s, l) => s + Number(l.price), 0);
      return String(sum) !== digits(sum.toFixed(2));
    });
    expect(noisy.length).toBeGreaterThan(0);
  });

  it('sums and averages per country equal SQL run on each source, through the API and the CSV export', async () => {
    const truth = await pgTruth();
    // Both sources hold the same rows, so they agree with each other too.
    const norm = (m: Map<string, { sum: string; avg: string; total: string }>) =>
      new Map([...m].map(([c, v]) => [c, { sum: digits(v.sum), avg: digits(v.avg), total: digits(v.total) }]));
    expect(norm(await myTruth())).toEqual(norm(truth));

    const pgId = await source('postgres');
    const listed = await call('GET', `/api/datasources/${pgId}/tables`);
    expect(listed.json.data).toContainEqual({ name: `"${pgTable}"` });
    const fields = await call('GET', `/api/datasources/${pgId}/tables/${encodeURIComponent(`"${pgTable}"`)}/fields`);
    expect(fields.json.data).toContainEqual({ name: 'unit_price', type: 'number', precision: 10, scale: 2 });
    const pgDataset = await tableDataset(pgId, `"${pgTable}"`, `PG 发票明细 ${suffix}`);
    const myDataset = await tableDataset(await source('mysql'), myTable, `MariaDB 发票明细 ${suffix}`);
    const csv = ['invoice_line_id,billing_country,invoice_date,unit_price,quantity,line_total', ...lines.map((l) => `${l.id},${l.country},${l.at},${l.price},${l.qty},${l.total}`)].join('\n');
    const upload = await uploadDataset('invoice_line.csv', csv, `上传发票明细 ${suffix}`);
    expect(upload.fields).toContainEqual({ name: 'unit_price', type: 'number', precision: 18, scale: 2 });

    for (const datasetId of [pgDataset, myDataset, upload.datasetId]) {
      const result = await preview(datasetId, BY_COUNTRY);
      expectMatches(result.rows, truth);
      // Sums and averages of money show the field's two decimals.
      expect(result.columns.filter((c) => c.key !== 'billing_country').map((c) => c.scale)).toEqual([2, 2, 2]);
    }

    const report = await call('POST', '/api/reports', {
      name: `发票 ${suffix}`,
      definition: {
        filters: [],
        widgets: [
          { id: 'w', kind: 'table', title: '按国家', datasetId: upload.datasetId, query: { ...BY_COUNTRY, sort: [{ key: 'billing_country', dir: 'asc' }] }, layout: { x: 0, y: 0, w: 12, h: 6 } },
        ],
      },
    });
    expect(report.status, JSON.stringify(report.json)).toBe(200);
    const exported = await t.app.inject({ method: 'GET', url: `/api/reports/${report.json.data.id}/widgets/w/export.csv`, headers: admin });
    const sorted = [...truth].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(exported.rawPayload.toString('utf8')).toBe(
      csvText(['billing_country,unit_price 合计,unit_price 平均,line_total 合计', ...sorted.map(([c, v]) => `${c},${money(v.sum)},${money(v.avg)},${money(v.total)}`)]),
    );
  });

  it('keeps integers and decimals beyond 2^53 and wall-clock timestamps exact on every source', async () => {
    const detail = { dimensions: [], measures: [], columns: ['id', 'amount', 'at'], filters: [], sort: [{ key: 'id', dir: 'desc' }] };
    const total = { dimensions: [], measures: [{ field: 'amount', agg: 'sum' }], filters: [], sort: [] };
    const pgId = await tableDataset(await source('postgres'), pgBig, `PG 大数 ${suffix}`);
    const myId = await tableDataset(await source('mysql'), myBig, `MariaDB 大数 ${suffix}`);
    const up = await uploadDataset(
      'big.csv',
      'id,amount,at\n9007199254740993,12345678901234567890.12,2024-03-10 08:30:00\n42,0.5,2024-03-10 23:59:59\n',
      `上传大数 ${suffix}`,
    );
    expect(up.fields).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'amount', type: 'number', precision: 38, scale: 2 },
      { name: 'at', type: 'datetime' },
    ]);
    for (const id of [pgId, myId, up.datasetId]) {
      const rows = (await preview(id, detail)).rows;
      expect(rows.map((r) => [r.id, digits(r.amount), r.at])).toEqual([
        ['9007199254740993', '12345678901234567890.12', '2024-03-10T08:30:00'],
        [42, '0.5', '2024-03-10T23:59:59'],
      ]);
      expect((await preview(id, total)).rows).toEqual([{ sum__amount: '12345678901234567890.62' }]);
    }
  });
});
