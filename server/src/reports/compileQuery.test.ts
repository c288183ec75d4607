import { randomBytes } from 'node:crypto';
import { QuerySpecSchema, type Field, type QuerySpecInput } from '@shulan/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, QueryableDataset } from '../datasources/types.js';
import { AppError } from '../errors.js';
import { compileQuery } from './compileQuery.js';
import { QueryCache } from './QueryCache.js';
import { runQuery } from './runQuery.js';
import { DuckDbStore } from '../datasources/DuckDbStore.js';
import { MysqlConnector } from '../datasources/MysqlConnector.js';
import { PostgresConnector } from '../datasources/PostgresConnector.js';
import { directMysql, directPostgres } from './testing/directConnectors.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

const FIELDS: Field[] = [
  { name: '日期', type: 'date' },
  { name: '区域', type: 'string' },
  { name: '销量', type: 'integer' },
  { name: '销售额', type: 'number' },
  { name: '备注', type: 'string' },
];
const REGIONS = ['华东', '华南', '华北'];
const NOTES = ['50% off', '50 off', 'a_b', 'axb', "O'Brien", null];
/** 30 rows over Jan–Apr 2025, fixed so every engine sees the same data. */
const ROWS = Array.from({ length: 30 }, (_, i) => {
  const d = new Date(Date.UTC(2025, 0, 1 + i * 4));
  return [d.toISOString().slice(0, 10), REGIONS[i % 3]!, (i % 7) + 1, ((i * 37) % 100) + 0.5, NOTES[i % 6]!] as const;
});

interface Engine {
  name: string;
  dataset(source?: 'table' | 'sql'): QueryableDataset;
  tableExists(): Promise<boolean>;
  close(): Promise<void>;
}

const engines: Engine[] = [];
const suffix = randomBytes(4).toString('hex');

function datasetOn(connector: Connector, table: string, kind: 'table' | 'sql'): QueryableDataset {
  return {
    id: `ds-${connector.dialect}`,
    name: '销售明细',
    dataVersion: 1,
    fields: FIELDS,
    source: kind === 'table' ? { kind: 'table', table } : { kind: 'sql', sql: `select * from ${table} where 1 = 1` },
    connector,
    external: connector.dialect !== 'duckdb',
  };
}

beforeAll(async () => {
  // PostgreSQL: a fresh schema, so the table name is schema-qualified like an external source's.
  const pgc = await directPostgres(PG_URL);
  const schema = `shulan_cq_${suffix}`;
  await pgc.query(`create schema ${schema}`, []);
  await pgc.query(`create table ${schema}.sales ("日期" date, "区域" text, "销量" integer, "销售额" numeric(12,2), "备注" text)`, []);
  for (const r of ROWS) await pgc.query(`insert into ${schema}.sales values ($1, $2, $3, $4, $5)`, [...r]);
  // Reads go through the product's own read-only connector; setup needs a writable one.
  const pgRead = new PostgresConnector({ kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres', password: '', ssl: false });
  engines.push({
    name: 'postgres',
    dataset: (k = 'table') => datasetOn(pgRead, `${schema}.sales`, k),
    tableExists: async () => (await pgc.query(`select to_regclass('${schema}.sales') as t`, []))[0]?.t !== null,
    close: async () => {
      await pgRead.close();
      await pgc.query(`drop schema ${schema} cascade`, []);
      await pgc.close();
    },
  });

  const my = await directMysql(MYSQL_URL);
  const myTable = `shulan_cq_${suffix}`;
  await my.query(
    `create table ${myTable} (\`日期\` date, \`区域\` varchar(20), \`销量\` int, \`销售额\` decimal(12,2), \`备注\` varchar(50)) character set utf8mb4`,
    [],
  );
  for (const r of ROWS) await my.query(`insert into ${myTable} values (?, ?, ?, ?, ?)`, [...r]);
  const myRead = new MysqlConnector({ kind: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: 'root', password: '', ssl: false });
  engines.push({
    name: 'mysql',
    dataset: (k = 'table') => datasetOn(myRead, myTable, k),
    tableExists: async () => (await my.query(`show tables like '${myTable}'`, [])).length === 1,
    close: async () => {
      await myRead.close();
      await my.query(`drop table if exists ${myTable}`, []);
      await my.close();
    },
  });

  const duck = await DuckDbStore.open(':memory:', { registeredTables: async () => new Set(['sales']) });
  await duck.replaceTable('sales', FIELDS, ROWS.map((r) => [...r]));
  engines.push({
    name: 'duckdb',
    dataset: (k = 'table') => datasetOn(duck, 'sales', k),
    tableExists: async () => (await duck.listTables()).includes('sales'),
    close: () => duck.close(),
  });
});

afterAll(async () => {
  for (const e of engines) await e.close();
});

const spec = (s: QuerySpecInput) => QuerySpecSchema.parse(s);
const run = (ds: QueryableDataset, s: QuerySpecInput) => runQuery(new QueryCache(), ds, spec(s));
const round = (n: unknown) => Math.round(Number(n) * 100) / 100;

function expectedByRegion() {
  const m = new Map<string, { sum: number; qty: number; n: number }>();
  for (const [, region, qty, amount] of ROWS) {
    const e = m.get(region) ?? { sum: 0, qty: 0, n: 0 };
    e.sum += amount;
    e.qty += qty;
    e.n += 1;
    m.set(region, e);
  }
  return m;
}

describe.each(['postgres', 'mysql', 'duckdb'])('compiled queries on %s', (engineName) => {
  const engine = () => engines.find((e) => e.name === engineName)!;

  it('sums, averages and counts by region like a hand computation', async () => {
    const res = await run(engine().dataset(), {
      dimensions: [{ field: '区域' }],
      measures: [{ field: '销售额', agg: 'sum' }, { field: '销量', agg: 'avg' }, { agg: 'count' }, { field: '备注', agg: 'count_distinct' }],
    });
    expect(res.columns.map((c) => c.key)).toEqual(['区域', 'sum__销售额', 'avg__销量', 'count', 'count_distinct__备注']);
    const exp = expectedByRegion();
    expect(res.rows).toHaveLength(3);
    for (const row of res.rows) {
      const e = exp.get(String(row['区域']))!;
      expect(round(row['sum__销售额'])).toBe(round(e.sum));
      expect(round(row['avg__销量'])).toBe(round(e.qty / e.n));
      expect(row['count']).toBe(e.n);
      expect(typeof row['count_distinct__备注']).toBe('number');
    }
  });

  it('groups by month and quarter as ISO dates in date order', async () => {
    const res = await run(engine().dataset(), {
      dimensions: [{ field: '日期', grain: 'month' }],
      measures: [{ agg: 'count' }],
    });
    const byMonth = new Map<string, number>();
    for (const [d] of ROWS) byMonth.set(`${d.slice(0, 7)}-01`, (byMonth.get(`${d.slice(0, 7)}-01`) ?? 0) + 1);
    expect(res.rows.map((r) => r['日期__month'])).toEqual(['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01']);
    expect(res.rows.map((r) => r['count'])).toEqual([...byMonth.values()]);

    const q = await run(engine().dataset(), { dimensions: [{ field: '日期', grain: 'quarter' }], measures: [{ agg: 'count' }] });
    expect(q.rows).toEqual([
      { 日期__quarter: '2025-01-01', count: ROWS.filter(([d]) => d < '2025-04-01').length },
      { 日期__quarter: '2025-04-01', count: ROWS.filter(([d]) => d >= '2025-04-01').length },
    ]);
    const w = await run(engine().dataset(), { dimensions: [{ field: '日期', grain: 'week' }], measures: [{ agg: 'count' }], limit: 1 });
    // 2025-01-01 is a Wednesday; weeks start on Monday.
    expect(w.rows[0]!['日期__week']).toBe('2024-12-30');
  });

  it('filters with dates, lists and numbers, and runs on a SQL dataset too', async () => {
    const res = await run(engine().dataset('sql'), {
      measures: [{ agg: 'count' }, { field: '销量', agg: 'max' }],
      filters: [
        { field: '日期', op: 'between', value: ['2025-01-10', '2025-02-28'] },
        { field: '区域', op: 'in', value: ['华东', '华南'] },
        { field: '销量', op: 'gte', value: 2 },
      ],
    });
    const match = ROWS.filter(([d, r, q]) => d >= '2025-01-10' && d <= '2025-02-28' && r !== '华北' && q >= 2);
    expect(res.rows[0]).toEqual({ count: match.length, max__销量: Math.max(...match.map((r) => r[2])) });
  });

  it('pages a detail table with a total and a stable sort', async () => {
    const res = await runQuery(
      new QueryCache(),
      engine().dataset(),
      spec({ columns: ['日期', '区域', '销量'], sort: [{ key: '日期', dir: 'desc' }], limit: 10, offset: 10 }),
      [],
      { withTotal: true },
    );
    expect(res.total).toBe(30);
    expect(res.rows).toHaveLength(10);
    const sorted = [...ROWS].sort((a, b) => (a[0] < b[0] ? 1 : -1));
    expect(res.rows[0]).toEqual({ 日期: sorted[10]![0], 区域: sorted[10]![1], 销量: sorted[10]![2] });
  });

  it('takes % and _ literally in "contains", and quotes in values are only data', async () => {
    const pct = await run(engine().dataset(), { measures: [{ agg: 'count' }], filters: [{ field: '备注', op: 'contains', value: '50%' }] });
    expect(pct.rows[0]!['count']).toBe(ROWS.filter((r) => r[4] === '50% off').length);
    const under = await run(engine().dataset(), { measures: [{ agg: 'count' }], filters: [{ field: '备注', op: 'contains', value: 'a_b' }] });
    expect(under.rows[0]!['count']).toBe(ROWS.filter((r) => r[4] === 'a_b').length);
    const quote = await run(engine().dataset(), { measures: [{ agg: 'count' }], filters: [{ field: '备注', op: 'eq', value: "O'Brien" }] });
    expect(quote.rows[0]!['count']).toBe(ROWS.filter((r) => r[4] === "O'Brien").length);
    const evil = await run(engine().dataset(), {
      measures: [{ agg: 'count' }],
      filters: [{ field: '备注', op: 'eq', value: `'; drop table sales; --` }],
    });
    expect(evil.rows[0]!['count']).toBe(0);
    expect(await engine().tableExists()).toBe(true);
  });

  it('rejects an injected field name before anything runs, and the table survives', async () => {
    const evil = 'x"; DROP TABLE t; --';
    for (const s of [
      { dimensions: [{ field: evil }] },
      { columns: [evil] },
      { measures: [{ field: evil, agg: 'sum' as const }] },
      { filters: [{ field: evil, op: 'is_null' as const }] },
    ]) {
      await expect(run(engine().dataset(), s)).rejects.toMatchObject({ status: 400, details: { field: evil } });
    }
    await expect(run(engine().dataset(), { columns: ['区域'], sort: [{ key: '区域; drop table t', dir: 'asc' }] })).rejects.toMatchObject({
      status: 400,
    });
    expect(await engine().tableExists()).toBe(true);
  });
});

describe('identifiers', () => {
  it('quotes a real column whose name looks like an injection, and the other table survives', async () => {
    const store = await DuckDbStore.open(':memory:', { registeredTables: async () => new Set(['sales', 'weird']) });
    await store.replaceTable('sales', FIELDS, ROWS.map((r) => [...r]));
    const evil: Field = { name: 'x"; drop table sales; --', type: 'integer' };
    await store.replaceTable('weird', [evil], [[1], [2]]);
    const ds: QueryableDataset = { id: 'w', name: 'w', dataVersion: 1, fields: [evil], source: { kind: 'table', table: 'weird' }, connector: store, external: false };
    const res = await run(ds, { measures: [{ field: evil.name, agg: 'sum' }] });
    expect(res.rows[0]).toEqual({ [`sum__${evil.name}`]: 3 });
    expect(await store.listTables()).toContain('sales');
    await store.close();
  });
});

describe('compile-time checks', () => {
  const ds = () => engines.find((e) => e.name === 'duckdb')!.dataset();

  it('refuses sum on text, a grain on a non-date and a number filter with text, naming the field', () => {
    const err = (s: QuerySpecInput) => {
      try {
        compileQuery(ds(), spec(s), []);
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected a validation error');
    };
    expect(err({ measures: [{ field: '区域', agg: 'sum' }] })).toMatchObject({ status: 400, details: { field: '区域' } });
    expect(err({ measures: [{ field: '区域', agg: 'sum' }] }).msg.zh).toContain('区域');
    expect(err({ dimensions: [{ field: '销量', grain: 'month' }] })).toMatchObject({ status: 400, details: { field: '销量' } });
    expect(err({ columns: ['销量'], filters: [{ field: '销量', op: 'eq', value: 'abc' }] })).toMatchObject({ status: 400, details: { field: '销量' } });
    expect(err({ columns: ['日期'], filters: [{ field: '日期', op: 'gt', value: 'yesterday' }] })).toMatchObject({ status: 400 });
    expect(err({ columns: ['备注'], filters: [{ field: '销量', op: 'contains', value: '1' }] })).toMatchObject({ status: 400 });
  });

  it('compiles MySQL with backticks and ? and PostgreSQL/DuckDB with double quotes and $1', () => {
    const s = spec({ dimensions: [{ field: '区域' }], measures: [{ agg: 'count' }], filters: [{ field: '区域', op: 'eq', value: '华东' }] });
    const my = compileQuery({ ...ds(), connector: { ...ds().connector, dialect: 'mysql' } }, s, []);
    expect(my.sql).toContain('`区域`');
    expect(my.sql).toContain('?');
    expect(my.params).toEqual(['华东']);
    const duck = compileQuery(ds(), s, []);
    expect(duck.sql).toContain('"区域" = $1');
  });
});
