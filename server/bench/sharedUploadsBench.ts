// Which store for uploads in a cluster (docs/scale.md): the report-open queries of reportOpen.ts
// over 1M rows, on (a) a PostgreSQL table (a `shulan_data` schema, queried there), (b) DuckDB
// reading the shared Parquet file directly, and (b') DuckDB on a local table loaded from that file
// (what Shulan does), plus the cost of that load, paid once per instance per upload version.
// `npx tsx server/bench/sharedUploadsBench.ts [rows]`; prints medians of 5 in ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { freshPostgres } from '../test/testDb.js';

const n = Number(process.argv[2] ?? 1_000_000);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-uploads-bench-'));
const file = path.join(tmp, 'sales.parquet');

const QUERIES = [
  'SELECT sum(amount) FROM sales',
  'SELECT region, sum(amount), count(DISTINCT city) FROM sales GROUP BY region',
  "SELECT date_trunc('month', order_date) AS m, sum(amount) FROM sales GROUP BY m ORDER BY m",
  'SELECT order_date, region, city, amount FROM sales ORDER BY amount DESC LIMIT 50',
];

async function median5(fn: () => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[2]!;
}

const duck = await DuckDBInstance.create(':memory:');
const c = await duck.connect();
await c.run(`CREATE TABLE gen AS SELECT DATE '2024-01-01' + CAST(floor(random() * 730) AS INTEGER) AS order_date,
  (['华东','华南','华北','西南','东北'])[1 + (i % 5)] AS region, '城市' || CAST(floor(random() * 60) AS INTEGER) AS city,
  1 + CAST(floor(random() * 20) AS BIGINT) AS quantity, round(random() * 500, 2) AS amount FROM range(${n}) t(i)`);
await c.run(`COPY gen TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
const loadMs = await median5(() => c.run(`CREATE OR REPLACE TABLE sales AS SELECT * FROM read_parquet('${file}')`));
const open = (conn: { run: (sql: string) => Promise<unknown> }) => Promise.all(QUERIES.map((q) => conn.run(q)));
const conns = await Promise.all(QUERIES.map(() => duck.connect()));
const parallel = (sqls: string[]) => Promise.all(sqls.map((q, i) => conns[i]!.run(q)));
await parallel(QUERIES);
const localMs = await median5(() => parallel(QUERIES));
const parquetQueries = QUERIES.map((q) => q.replace(/FROM sales/, `FROM read_parquet('${file}')`));
await parallel(parquetQueries);
const parquetMs = await median5(() => parallel(parquetQueries));
void open;

const db = await freshPostgres();
const pool = new pg.Pool({ connectionString: db.url, max: 4 });
await pool.query('CREATE SCHEMA shulan_data');
await pool.query('CREATE TABLE shulan_data.sales (order_date date, region text, city text, quantity bigint, amount double precision)');
const csv = path.join(tmp, 'sales.csv');
await c.run(`COPY gen TO '${csv}' (HEADER false)`);
const pgLoad0 = performance.now();
await pool.query(`COPY shulan_data.sales FROM '${csv}' WITH (FORMAT csv)`).catch(async () => {
  // The server cannot read our temp file (another host/user): insert from DuckDB in chunks instead.
  const rows = (await c.runAndReadAll('SELECT CAST(order_date AS VARCHAR), region, city, quantity, amount FROM gen')).getRowsJS();
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const values = chunk.map((_, j) => `($${j * 5 + 1},$${j * 5 + 2},$${j * 5 + 3},$${j * 5 + 4},$${j * 5 + 5})`).join(',');
    await pool.query(`INSERT INTO shulan_data.sales VALUES ${values}`, chunk.flat().map((v) => (typeof v === 'bigint' ? Number(v) : v)));
  }
});
await pool.query('ANALYZE shulan_data.sales');
const pgLoadMs = performance.now() - pgLoad0;
const pgQueries = QUERIES.map((q) => q.replace(/FROM sales/, 'FROM shulan_data.sales'));
await Promise.all(pgQueries.map((q) => pool.query(q)));
const pgMs = await median5(() => Promise.all(pgQueries.map((q) => pool.query(q))));
await pool.end();
await db.drop();
fs.rmSync(tmp, { recursive: true, force: true });

console.log(`rows ${n}; 4 report-open queries in parallel, median of 5 (ms); load = making the upload queryable`);
console.log(`(a)  PostgreSQL table shulan_data.sales : open ${pgMs.toFixed(1)}  load ${pgLoadMs.toFixed(0)}`);
console.log(`(b)  DuckDB over the shared Parquet file : open ${parquetMs.toFixed(1)}  load 0`);
console.log(`(b') DuckDB local table loaded from it   : open ${localMs.toFixed(1)}  load ${loadMs.toFixed(0)} (once per instance per version)`);
process.exit(0);
