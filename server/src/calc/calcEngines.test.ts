import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { getQueryableDataset } from '../datasets/getQueryableDataset.js';
import { quoteIdent, quoteTable } from '../datasources/sqlNames.js';
import type { SqlDialect } from '../datasources/types.js';

// A report over calculated fields must give the numbers the same SQL written by hand gives, on
// each engine: DuckDB (an uploaded file), PostgreSQL and MariaDB.

const suffix = randomBytes(5).toString('hex');
const pgDb = `shulan_calc_${suffix}`;
const myTable = `calc_${suffix}`;
const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const MY_ROOT = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };

const ROWS: [number, string, string, number, string, string, boolean][] = [
  [1, '2024-01-05', '北京', 3, '120.00', '30.00', true],
  [2, '2024-02-10', '上海', 1, '50.00', '5.50', false],
  [3, '2024-03-15', '北京', 5, '200.00', '44.00', false],
  [4, '2024-05-20', '广州', 0, '10.00', '-2.00', true],
  [5, '2024-07-01', '上海', 4, '160.00', '20.00', true],
  [6, '2024-12-29', '北京', 2, '80.00', '12.00', true],
];
const EVIL = "x'); DROP TABLE users; --";

const CALCULATED = [
  { name: '利润率', expression: 'SUM([利润]) / SUM([销售额])' },
  { name: '单价', expression: '[销售额] / [数量]' },
  { name: '规模', expression: "CASE WHEN [数量] >= 3 THEN '大' WHEN [数量] = 0 THEN '无' ELSE '小' END" },
  { name: '天数', expression: "DATEDIFF('2024-01-01', [日期])" },
  { name: '标签', expression: "CONCAT([城市], '-', IF([会员], 'VIP', '普通'))" },
  { name: '月', expression: 'MONTH([日期])' },
  { name: '季度', expression: 'QUARTER([日期])' },
  { name: '星期', expression: 'WEEKDAY([日期])' },
  { name: '年', expression: 'YEAR([日期])' },
  { name: '日', expression: 'DAY([日期])' },
  { name: '利润额', expression: 'ROUND(ABS(COALESCE([利润], 0)) * 1.5, 1)' },
  { name: '恶意', expression: `CONCAT([城市], '${EVIL.replace(/'/g, "''")}')` },
];

let t: TestApp;
let editor: Record<string, string>;
const datasets: Partial<Record<SqlDialect, string>> = {};

beforeAll(async () => {
  t = await createTestApp();
  editor = (await t.user('editor')).headers;
  const admin = (await t.user('admin')).headers;

  // DuckDB: an uploaded CSV.
  const csv = ['编号,日期,城市,数量,销售额,利润,会员', ...ROWS.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6] ? '是' : '否'].join(','))].join('\n');
  const boundary = `----calc${suffix}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="销售.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const up = await t.app.inject({ method: 'POST', url: '/api/uploads', payload, headers: { ...editor, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  const imported = await t.call({ method: 'POST', url: `/api/uploads/${up.json().data.uploadId}/import`, headers: editor, body: { name: '计算字段销售' } });
  datasets.duckdb = imported.json.data.datasetId;

  // PostgreSQL.
  const a = new pg.Client({ connectionString: PG_ADMIN });
  await a.connect();
  await a.query(`CREATE DATABASE ${pgDb}`);
  await a.end();
  const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${pgDb}` });
  await c.connect();
  await c.query('CREATE TABLE "销售" ("编号" integer, "日期" date, "城市" text, "数量" integer, "销售额" numeric(10,2), "利润" numeric(10,2), "会员" boolean)');
  for (const r of ROWS) await c.query('INSERT INTO "销售" VALUES ($1, $2, $3, $4, $5, $6, $7)', r);
  await c.end();
  const pgSource = await t.call({
    method: 'POST',
    url: '/api/datasources',
    headers: admin,
    body: { name: `PG calc ${suffix}`, kind: 'postgres', host: '127.0.0.1', port: 5432, database: pgDb, user: 'postgres', password: 'x', ssl: false },
  });
  const pgDs = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: 'PG 计算', datasourceId: pgSource.json.data.id, kind: 'table', table: '销售' } });
  datasets.postgres = pgDs.json.data.id;

  // MariaDB.
  const m = await mysql.createConnection(MY_ROOT);
  await m.query(`CREATE TABLE \`${myTable}\` (编号 INT, 日期 DATE, 城市 VARCHAR(20), 数量 INT, 销售额 DECIMAL(10,2), 利润 DECIMAL(10,2), 会员 TINYINT(1)) CHARACTER SET utf8mb4`);
  for (const r of ROWS) await m.execute(`INSERT INTO \`${myTable}\` VALUES (?, ?, ?, ?, ?, ?, ?)`, [...r.slice(0, 6), r[6] ? 1 : 0]);
  await m.end();
  const mySource = await t.call({
    method: 'POST',
    url: '/api/datasources',
    headers: admin,
    body: { name: `My calc ${suffix}`, kind: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: 'root', password: '', ssl: false },
  });
  const myDs = await t.call({ method: 'POST', url: '/api/datasets', headers: editor, body: { name: 'My 计算', datasourceId: mySource.json.data.id, kind: 'table', table: myTable } });
  datasets.mysql = myDs.json.data.id;

  for (const id of Object.values(datasets)) {
    const res = await t.call({ method: 'PUT', url: `/api/datasets/${id}`, headers: editor, body: { calculatedFields: CALCULATED } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
  const a = new pg.Client({ connectionString: PG_ADMIN });
  await a.connect();
  await a.query(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`).catch(() => {});
  await a.end();
  const m = await mysql.createConnection(MY_ROOT);
  await m.query(`DROP TABLE IF EXISTS \`${myTable}\``).catch(() => {});
  await m.end();
});

const preview = (datasetId: string, query: object) => t.call({ method: 'POST', url: '/api/query/preview', headers: editor, body: { datasetId, query } });

/** Numbers to 6 places (DECIMAL vs DOUBLE), every value as the engines return it. */
const norm = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.values(r).map((v) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Math.round(Number(v) * 1e6) / 1e6 : v)));

/** The same questions written by hand in each engine's SQL. */
function handWritten(dialect: SqlDialect, table: string) {
  const q = (n: string) => quoteIdent(dialect, n);
  const from = quoteTable(dialect, table);
  const days = dialect === 'mysql' ? `datediff(${q('日期')}, '2024-01-01')` : dialect === 'duckdb' ? `datediff('day', DATE '2024-01-01', ${q('日期')})` : `(${q('日期')} - DATE '2024-01-01')`;
  const real = dialect === 'postgres' ? 'numeric' : dialect === 'duckdb' ? 'double' : 'decimal(30,10)';
  const byCity = `SELECT ${q('城市')} AS a, sum(${q('利润')}) / sum(${q('销售额')}) AS b, sum(cast(${q('销售额')} as ${real}) / nullif(${q('数量')}, 0)) AS c, max(${days}) AS d, count(*) AS e
    FROM ${from} WHERE ${q('数量')} >= 3 OR ${q('数量')} = 0 GROUP BY ${q('城市')} ORDER BY ${q('城市')}`;
  const weekday = dialect === 'mysql' ? `weekday(${q('日期')}) + 1` : `extract(isodow from ${q('日期')})`;
  const month = dialect === 'mysql' ? `month(${q('日期')})` : `extract(month from ${q('日期')})`;
  const detail = `SELECT ${q('编号')} AS a, cast(${q('销售额')} as ${real}) / nullif(${q('数量')}, 0) AS b, concat(${q('城市')}, '-', CASE WHEN ${q('会员')} THEN 'VIP' ELSE '普通' END) AS c, ${month} AS d, ${weekday} AS e, round(abs(${q('利润')}) * 1.5, 1) AS f
    FROM ${from} ORDER BY ${q('编号')}`;
  return { byCity, detail };
}

describe.each(['duckdb', 'postgres', 'mysql'] as const)('calculated fields on %s', (dialect) => {
  it('a report over calculated fields gives the numbers of hand-written SQL', async () => {
    const id = datasets[dialect]!;
    const ds = await getQueryableDataset(t.deps, id, null);
    expect(ds.connector.dialect).toBe(dialect);
    const hand = handWritten(dialect, ds.source.kind === 'table' ? ds.source.table : '');

    const byCity = await preview(id, {
      dimensions: [{ field: '城市' }],
      measures: [{ field: '利润率', agg: 'calc' }, { field: '单价', agg: 'sum' }, { field: '天数', agg: 'max' }, { agg: 'count' }],
      filters: [{ field: '规模', op: 'in', value: ['大', '无'] }],
    });
    expect(byCity.status, JSON.stringify(byCity.json)).toBe(200);
    expect(byCity.json.data.columns.map((c: { key: string }) => c.key)).toEqual(['城市', 'calc__利润率', 'sum__单价', 'max__天数', 'count']);
    const expected = norm(await ds.connector.query(hand.byCity, []));
    expect(expected).toHaveLength(3);
    expect(norm(byCity.json.data.rows)).toEqual(expected);

    const detail = await preview(id, { columns: ['编号', '单价', '标签', '月', '星期', '利润额'], sort: [{ key: '编号', dir: 'asc' }] });
    expect(detail.status, JSON.stringify(detail.json)).toBe(200);
    expect(norm(detail.json.data.rows)).toEqual(norm(await ds.connector.query(hand.detail, [])));
    // Division by zero is NULL, not an error.
    expect(detail.json.data.rows[3]).toMatchObject({ 编号: 4, 单价: null, 标签: '广州-VIP' });
  });

  it('date parts and text compare as calculated dimensions', async () => {
    const res = await preview(datasets[dialect]!, {
      dimensions: [{ field: '年' }, { field: '季度' }],
      measures: [{ field: '日', agg: 'sum' }],
      filters: [{ field: '标签', op: 'contains', value: 'vip' }],
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    // VIP rows: 01-05 (Q1), 05-20 (Q2), 07-01 (Q3), 12-29 (Q4).
    expect(norm(res.json.data.rows)).toEqual([
      [2024, 1, 5],
      [2024, 2, 20],
      [2024, 3, 1],
      [2024, 4, 29],
    ]);
  });

  it('groups by a calculated dimension whose expression has literals', async () => {
    const res = await preview(datasets[dialect]!, { dimensions: [{ field: '规模' }], measures: [{ agg: 'count' }], sort: [{ key: 'count', dir: 'desc' }] });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data.rows).toEqual([
      { 规模: '大', count: 3 },
      { 规模: '小', count: 2 },
      { 规模: '无', count: 1 },
    ]);
  });

  it('an injection attempt in a text literal stays text', async () => {
    const res = await preview(datasets[dialect]!, { columns: ['编号', '恶意'], sort: [{ key: '编号', dir: 'asc' }], limit: 1 });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data.rows).toEqual([{ 编号: 1, 恶意: `北京${EVIL}` }]);
  });
});

describe('calculated fields in a saved report', () => {
  it('report filters and drill-down work on calculated fields', async () => {
    const datasetId = datasets.postgres!;
    const report = await t.call({
      method: 'POST',
      url: '/api/reports',
      headers: editor,
      body: {
        name: `计算字段报表 ${suffix}`,
        definition: {
          filters: [{ id: 'tag', label: '标签', kind: 'values', field: '标签' }],
          widgets: [
            {
              id: 'by_size',
              kind: 'bar',
              title: '按规模',
              datasetId,
              query: { dimensions: [{ field: '规模' }], measures: [{ field: '利润率', agg: 'calc' }, { agg: 'count' }] },
              layout: { x: 0, y: 0, w: 12, h: 6 },
            },
          ],
        },
      },
    });
    expect(report.status, JSON.stringify(report.json)).toBe(200);
    const id = report.json.data.id;
    const data = await t.call({ method: 'POST', url: `/api/reports/${id}/widgets/by_size/data`, headers: editor, body: { filters: { tag: ['北京-VIP', '上海-VIP'] } } });
    expect(data.status, JSON.stringify(data.json)).toBe(200);
    // VIP rows in 北京/上海: #1 (3 → 大, 30/120), #5 (4 → 大, 20/160), #6 (2 → 小, 12/80).
    expect(norm(data.json.data.rows)).toEqual([
      ['大', 0.178571, 2],
      ['小', 0.15, 1],
    ]);
    const drill = await t.call({ method: 'POST', url: `/api/reports/${id}/widgets/by_size/drill`, headers: editor, body: { value: '大', filters: { tag: ['北京-VIP', '上海-VIP'] } } });
    expect(drill.status, JSON.stringify(drill.json)).toBe(200);
    expect(drill.json.data.rows.map((r: { 编号: number }) => r.编号).sort()).toEqual([1, 5]);
  });
});

describe('calculated fields through the API', () => {
  it('lists calculated fields beside real ones, with their types', async () => {
    const res = await t.call({ method: 'GET', url: `/api/datasets/${datasets.postgres}`, headers: editor });
    const fields = res.json.data.fields as { name: string; type: string; calculated?: boolean; aggregate?: boolean }[];
    expect(fields.slice(0, 7).every((f) => !f.calculated)).toBe(true);
    expect(fields.find((f) => f.name === '利润率')).toEqual({ name: '利润率', type: 'number', calculated: true, aggregate: true });
    expect(fields.find((f) => f.name === '规模')).toEqual({ name: '规模', type: 'string', calculated: true });
    expect(res.json.data.calculatedFields).toHaveLength(CALCULATED.length);
  });

  it('validate-expression answers the type or the error with its position, in the asked language', async () => {
    const url = `/api/datasets/${datasets.mysql}/validate-expression`;
    const ok = await t.call({ method: 'POST', url, headers: editor, body: { expression: 'SUM([利润]) / SUM([销售额])' } });
    expect(ok.json.data).toEqual({ ok: true, type: 'number', aggregate: true });
    const bad = await t.call({ method: 'POST', url, headers: editor, body: { expression: '[销售额] * [销量]' } });
    expect(bad.json.data).toEqual({ ok: false, message: '第 9 个字符：未知字段 [销量]', position: 9 });
    const en = await t.call({ method: 'POST', url, headers: { ...editor, 'accept-language': 'en' }, body: { expression: '[销售额] * [销量]' } });
    expect(en.json.data.message).toBe('At character 9: Unknown field [销量]');
    // The unsaved list being edited is what other calculated fields resolve against.
    const draft = await t.call({ method: 'POST', url, headers: editor, body: { expression: '[新字段] * 2', calculatedFields: [{ name: '新字段', expression: '[数量] + 1' }] } });
    expect(draft.json.data).toEqual({ ok: true, type: 'integer', aggregate: false });
  });

  it('refuses to save an expression that does not check, naming the field and position', async () => {
    const res = await t.call({
      method: 'PUT',
      url: `/api/datasets/${datasets.duckdb}`,
      headers: editor,
      body: { calculatedFields: [{ name: '坏', expression: "[利润]; DROP TABLE users" }] },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('计算字段 [坏] 第 5 个字符：无法识别的字符「;」');
    expect(res.json.error.details).toEqual({ position: 5, field: '坏' });
    const clash = await t.call({ method: 'PUT', url: `/api/datasets/${datasets.duckdb}`, headers: editor, body: { calculatedFields: [{ name: '利润', expression: '1' }] } });
    expect(clash.status).toBe(400);
  });

  it('an aggregate calculated field is only a measure with agg calc', async () => {
    const asDim = await preview(datasets.duckdb!, { dimensions: [{ field: '利润率' }], measures: [{ agg: 'count' }] });
    expect(asDim.status).toBe(400);
    expect(asDim.json.error.message).toContain('只能作为指标');
    const summed = await preview(datasets.duckdb!, { measures: [{ field: '利润率', agg: 'sum' }] });
    expect(summed.status).toBe(400);
    const calcOnRow = await preview(datasets.duckdb!, { measures: [{ field: '单价', agg: 'calc' }] });
    expect(calcOnRow.status).toBe(400);
  });
});
