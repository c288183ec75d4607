/**
 * Which engine backs the embedded analytics store: SQLite (better-sqlite3) or DuckDB.
 * 1M generated sales rows; times the load, a month+region aggregate and a count-distinct;
 * median of 5 runs each. Run: `npx tsx server/bench/engineBench.ts` (not part of the tests).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import SQLite from 'better-sqlite3';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = 5;
const REGIONS = ['华东', '华南', '华北', '西南', '西北', '东北'];
const CITIES = Array.from({ length: 60 }, (_, i) => `城市${i}`);
const CATEGORIES = ['家电', '食品', '服装', '数码', '家居', '美妆', '图书', '运动'];

type Row = [string, string, string, string, number, number];

/** Deterministic generator (LCG) so both engines get the same rows. */
function generate(n: number): Row[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const start = Date.UTC(2024, 0, 1);
  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const date = new Date(start + Math.floor(rnd() * 730) * 86_400_000).toISOString().slice(0, 10);
    const qty = 1 + Math.floor(rnd() * 20);
    rows[i] = [
      date,
      REGIONS[Math.floor(rnd() * REGIONS.length)]!,
      CITIES[Math.floor(rnd() * CITIES.length)]!,
      CATEGORIES[Math.floor(rnd() * CATEGORIES.length)]!,
      qty,
      Math.round(qty * rnd() * 50000) / 100,
    ];
  }
  return rows;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const AGG_SQLITE = `SELECT substr(date, 1, 7) AS month, region, sum(amount) AS s, count(*) AS n, avg(qty) AS a
  FROM sales GROUP BY month, region ORDER BY month, region`;
const AGG_DUCK = `SELECT date_trunc('month', date) AS month, region, sum(amount) AS s, count(*) AS n, avg(qty) AS a
  FROM sales GROUP BY month, region ORDER BY month, region`;
const DISTINCT = `SELECT region, count(DISTINCT city) AS cities, count(DISTINCT date) AS days FROM sales GROUP BY region`;

async function benchSqlite(rows: Row[], dir: string) {
  const load: number[] = [];
  const agg: number[] = [];
  const distinct: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const file = path.join(dir, `s${r}.sqlite`);
    const db = new SQLite(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    load.push(
      await time(() => {
        db.exec('CREATE TABLE sales (date TEXT, region TEXT, city TEXT, category TEXT, qty INTEGER, amount REAL)');
        const ins = db.prepare('INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?)');
        db.transaction(() => {
          for (const row of rows) ins.run(row);
        })();
      }),
    );
    agg.push(await time(() => db.prepare(AGG_SQLITE).all()));
    distinct.push(await time(() => db.prepare(DISTINCT).all()));
    db.close();
  }
  return { load: median(load), agg: median(agg), distinct: median(distinct) };
}

async function benchDuck(rows: Row[], dir: string) {
  const load: number[] = [];
  const agg: number[] = [];
  const distinct: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const inst = await DuckDBInstance.create(path.join(dir, `d${r}.duckdb`));
    const c = await inst.connect();
    load.push(
      await time(async () => {
        await c.run('CREATE TABLE sales (date DATE, region VARCHAR, city VARCHAR, category VARCHAR, qty BIGINT, amount DOUBLE)');
        const ap = await c.createAppender('sales');
        for (const row of rows) {
          ap.appendVarchar(row[0]);
          ap.appendVarchar(row[1]);
          ap.appendVarchar(row[2]);
          ap.appendVarchar(row[3]);
          ap.appendBigInt(BigInt(row[4]));
          ap.appendDouble(row[5]);
          ap.endRow();
        }
        ap.flushSync();
        ap.closeSync();
        await c.run('CHECKPOINT');
      }),
    );
    agg.push(await time(async () => (await c.runAndReadAll(AGG_DUCK)).getRowObjectsJS()));
    distinct.push(await time(async () => (await c.runAndReadAll(DISTINCT)).getRowObjectsJS()));
    c.closeSync();
    inst.closeSync();
  }
  return { load: median(load), agg: median(agg), distinct: median(distinct) };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-bench-'));
try {
  const rows = generate(ROWS);
  console.log(`${ROWS} rows, median of ${RUNS} runs, ms (node ${process.version}, ${os.cpus().length} cores)`);
  const s = await benchSqlite(rows, dir);
  const d = await benchDuck(rows, dir);
  const fmt = (n: number) => n.toFixed(1).padStart(9);
  console.log('             sqlite     duckdb   sqlite/duckdb');
  for (const k of ['load', 'agg', 'distinct'] as const) {
    console.log(`${k.padEnd(10)}${fmt(s[k])}  ${fmt(d[k])}   ${(s[k] / d[k]).toFixed(1)}x`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
