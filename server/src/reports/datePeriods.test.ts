import { randomBytes } from 'node:crypto';
import { QuerySpecSchema, type Field, type QuerySpecInput } from '@shulan/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../datasources/DuckDbStore.js';
import { PostgresConnector } from '../datasources/PostgresConnector.js';
import type { Connector, QueryableDataset } from '../datasources/types.js';
import { QueryCache } from './QueryCache.js';
import { runQuery } from './runQuery.js';
import { directPostgres } from './testing/directConnectors.js';

// Periods are grouped by a cheap key and shown as the period's first day: the same answers on
// every engine, for dates and date-times, before 1970 too (weeks start on Monday).
const FIELDS: Field[] = [
  { name: '日期', type: 'date' },
  { name: '时间', type: 'datetime' },
  { name: '金额', type: 'integer' },
];
const ROWS: [string, string, number][] = [
  ['1969-12-28', '1969-12-28 23:59:59', 1], // a Sunday: week of Monday 1969-12-22
  ['1969-12-31', '1969-12-31 00:00:01', 2], // a Wednesday: week of 1969-12-29
  ['1970-01-01', '1970-01-01 12:00:00', 4], // the same week
  ['2024-02-29', '2024-02-29 08:30:00', 8],
  ['2024-03-31', '2024-03-31 23:00:00', 16],
  ['2024-04-01', '2024-04-01 00:00:00', 32],
  ['2025-12-29', '2025-12-29 10:00:00', 64], // a Monday, in ISO week 1 of 2026
];

const suffix = randomBytes(4).toString('hex');
const engines: { name: string; connector: Connector; table: string; close: () => Promise<void> }[] = [];

beforeAll(async () => {
  const duck = await DuckDbStore.open(':memory:', { registeredTables: async () => new Set(['periods']) });
  await duck.replaceTable('periods', FIELDS, ROWS.map((r) => [...r]));
  engines.push({ name: 'duckdb', connector: duck, table: 'periods', close: () => duck.close() });

  const pgc = await directPostgres('postgres://postgres@127.0.0.1:5432/postgres');
  const schema = `shulan_dp_${suffix}`;
  await pgc.query(`create schema ${schema}`, []);
  await pgc.query(`create table ${schema}.periods ("日期" date, "时间" timestamp, "金额" integer)`, []);
  for (const r of ROWS) await pgc.query(`insert into ${schema}.periods values ($1, $2, $3)`, [...r]);
  const pg = new PostgresConnector({ kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres', password: '', ssl: false });
  engines.push({
    name: 'postgres',
    connector: pg,
    table: `${schema}.periods`,
    close: async () => {
      await pg.close();
      await pgc.query(`drop schema ${schema} cascade`, []);
      await pgc.close();
    },
  });
});

afterAll(async () => {
  for (const e of engines) await e.close();
});

const EXPECTED: Record<string, [string, number][]> = {
  day: [['1969-12-28', 1], ['1969-12-31', 2], ['1970-01-01', 4], ['2024-02-29', 8], ['2024-03-31', 16], ['2024-04-01', 32], ['2025-12-29', 64]],
  week: [['1969-12-22', 1], ['1969-12-29', 6], ['2024-02-26', 8], ['2024-03-25', 16], ['2024-04-01', 32], ['2025-12-29', 64]],
  month: [['1969-12-01', 3], ['1970-01-01', 4], ['2024-02-01', 8], ['2024-03-01', 16], ['2024-04-01', 32], ['2025-12-01', 64]],
  quarter: [['1969-10-01', 3], ['1970-01-01', 4], ['2024-01-01', 24], ['2024-04-01', 32], ['2025-10-01', 64]],
  year: [['1969-01-01', 3], ['1970-01-01', 4], ['2024-01-01', 56], ['2025-01-01', 64]],
};

describe.each(['duckdb', 'postgres'])('date periods on %s', (name) => {
  const dataset = (): QueryableDataset => {
    const e = engines.find((x) => x.name === name)!;
    return { id: `dp-${name}`, name: 'periods', dataVersion: 1, fields: FIELDS, source: { kind: 'table', table: e.table }, connector: e.connector, external: name !== 'duckdb' };
  };
  const run = (s: QuerySpecInput) => runQuery(new QueryCache(), dataset(), QuerySpecSchema.parse(s));

  for (const grain of ['day', 'week', 'month', 'quarter', 'year'] as const) {
    it(`sums by ${grain} of a date and of a date-time alike`, async () => {
      for (const field of ['日期', '时间']) {
        const res = await run({ dimensions: [{ field, grain }], measures: [{ field: '金额', agg: 'sum' }] });
        expect(res.rows.map((r) => [r[`${field}__${grain}`], Number(r['sum__金额'])]), `${field} by ${grain}`).toEqual(EXPECTED[grain]);
      }
    });
  }

  it('sorts periods by their sum, and a plain date groups by day', async () => {
    const res = await run({ dimensions: [{ field: '日期', grain: 'year' }], measures: [{ field: '金额', agg: 'sum' }], sort: [{ key: 'sum__金额', dir: 'desc' }], limit: 2 });
    expect(res.rows).toEqual([
      { 日期__year: '2025-01-01', sum__金额: 64 },
      { 日期__year: '2024-01-01', sum__金额: 56 },
    ]);
    const plain = await run({ dimensions: [{ field: '日期' }], measures: [{ agg: 'count' }], limit: 3 });
    expect(plain.rows.map((r) => r['日期'])).toEqual(['1969-12-28', '1969-12-31', '1970-01-01']);
  });
});
