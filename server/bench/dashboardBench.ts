// Dashboard open (issue 12): 12 widgets over a 10M-row uploaded table, cold (right after a data
// change, so no cached result) and warm, in one report data call as the web viewer and the mini
// program send it, next to a bare Fastify handler answering one request in the same run. Two widgets ask the same query
// (a bar and a pie by category), as dashboards often do: the single flight runs it once.
// `npx tsx server/bench/dashboardBench.ts [--quick]` runs it alone.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { EMBEDDED_DATASOURCE_ID, ReportDefinitionSchema, type Field } from '@shulan/shared';
import { bumpDataVersion } from '../src/datasets/bumpDataVersion.js';
import { newId, nowIso } from '../src/lib/ids.js';
import { insertReport } from '../src/reports/reportRepo.js';
import type { BenchRow } from './benchRow.js';
import { fmt, median, medianMs, startBareServer, startBenchApp } from './harness.js';

const FIELDS: Field[] = [
  { name: 'order_date', type: 'date' },
  { name: 'region', type: 'string' },
  { name: 'city', type: 'string' },
  { name: 'category', type: 'string' },
  { name: 'quantity', type: 'integer' },
  { name: 'amount', type: 'number' },
];
const TABLE = 'bench_dashboard';

/**
 * The table an upload of n rows makes (same DuckDB types as DuckDbStore.replaceTable), generated
 * by DuckDB itself: appending 10M rows from JS takes minutes and is the import bench's business.
 * Written into the store's file before Shulan opens it, registered as a table dataset so the
 * start-up sweep keeps it. Deterministic: every value derives from the row number.
 */
async function createTable(dataDir: string, n: number): Promise<void> {
  const db = await DuckDBInstance.create(path.join(dataDir, 'analytics.duckdb'));
  const c = await db.connect();
  await c.run(`CREATE TABLE ${TABLE} AS
    SELECT DATE '2024-01-01' + CAST(hash(i) % 730 AS INTEGER) AS order_date,
           (['华东', '华南', '华北', '西南', '东北'])[1 + i % 5] AS region,
           '城市' || CAST(hash(i + 1) % 60 AS VARCHAR) AS city,
           (['家电', '数码', '服装', '食品', '家居', '图书'])[1 + CAST(hash(i + 2) % 6 AS INTEGER)] AS category,
           CAST(1 + hash(i + 3) % 20 AS BIGINT) AS quantity,
           CAST(hash(i + 4) % 50000 AS DOUBLE) / 100 AS amount
    FROM range(${n}) t(i)`);
  c.closeSync();
  db.closeSync();
}

/** The 12 widgets: KPIs, bars, lines, a pie, tables, the way a sales dashboard is built. */
function widgets(datasetId: string) {
  const at = (i: number) => ({ x: (i % 4) * 3, y: Math.floor(i / 4) * 6, w: 3, h: 6 });
  const byCategory = { dimensions: [{ field: 'category' }], measures: [{ field: 'amount', agg: 'sum' }] };
  return [
    { kind: 'kpi', query: { measures: [{ field: 'amount', agg: 'sum' }] } },
    { kind: 'kpi', query: { measures: [{ field: 'quantity', agg: 'sum' }] } },
    { kind: 'kpi', query: { measures: [{ agg: 'count' }] } },
    { kind: 'kpi', query: { measures: [{ field: 'city', agg: 'count_distinct' }] } },
    { kind: 'bar', query: { dimensions: [{ field: 'region' }], measures: [{ field: 'amount', agg: 'sum' }], sort: [{ key: 'sum__amount', dir: 'desc' }] } },
    { kind: 'bar', query: byCategory },
    { kind: 'pie', query: byCategory },
    { kind: 'line', query: { dimensions: [{ field: 'order_date', grain: 'month' }], measures: [{ field: 'amount', agg: 'sum' }] } },
    { kind: 'line', query: { dimensions: [{ field: 'order_date', grain: 'week' }], measures: [{ field: 'quantity', agg: 'sum' }] } },
    { kind: 'bar', query: { dimensions: [{ field: 'region' }, { field: 'category' }], measures: [{ field: 'amount', agg: 'avg' }] } },
    { kind: 'table', query: { dimensions: [{ field: 'city' }], measures: [{ field: 'amount', agg: 'sum' }, { agg: 'count' }], sort: [{ key: 'sum__amount', dir: 'desc' }], limit: 20 } },
    { kind: 'table', query: { columns: ['order_date', 'region', 'city', 'amount'], sort: [{ key: 'amount', dir: 'desc' }], limit: 50 } },
  ].map((w, i) => ({ id: `w${i}`, title: `w${i}`, datasetId, layout: at(i), ...w }));
}

export async function benchDashboard(opts: { quick: boolean }): Promise<BenchRow[]> {
  const n = opts.quick ? 20_000 : Number(process.env.BENCH_DASHBOARD_ROWS ?? 10_000_000);
  const label = n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
  const b = await startBenchApp({ db: 'sqlite' });
  try {
    const { deps, url } = b;
    const datasetId = newId();
    await deps.db
      .insertInto('datasets')
      .values({ id: datasetId, name: 'bench', datasource_id: EMBEDDED_DATASOURCE_ID, kind: 'table', table_name: TABLE, sql: null, fields_json: JSON.stringify(FIELDS), created_by: null, created_at: nowIso(), updated_at: nowIso() })
      .execute();
    const t0 = performance.now();
    await createTable(b.dataDir, n);
    console.error(`  made ${label} rows in ${fmt.ms(performance.now() - t0)}`);
    const store = await deps.connectors.embedded();
    const [{ n: rowsThere } = { n: 0 }] = await store.query(`SELECT count(*) AS n FROM ${TABLE}`, []);
    if (Number(rowsThere) !== n) throw new Error(`expected ${n} rows, the store has ${String(rowsThere)}`);
    const definition = ReportDefinitionSchema.parse({ filters: [], widgets: widgets(datasetId) });
    const reportId = await insertReport(deps.db, { name: 'dashboard', description: null, definition, createdBy: null });
    const { hashPassword } = await import('../src/auth/passwords.js');
    const { insertUser } = await import('../src/users/userRepo.js');
    await insertUser(deps.db, { username: 'bench', displayName: 'bench', role: 'admin', passwordHash: await hashPassword('bench-password') });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password', mode: 'token' }),
    }).then((r) => r.json() as Promise<{ data: { token: string } }>);
    const auth = { authorization: `Bearer ${login.data.token}`, 'content-type': 'application/json' };

    // Count what reaches DuckDB, to show the identical widget queries ran once.
    let executed = 0;
    const query = store.query.bind(store);
    store.query = (sqlText, params) => {
      executed++;
      return query(sqlText, params);
    };

    // One report data call, as the web viewer and the mini program open a dashboard.
    const items = definition.widgets.map((w) => ({ widgetId: w.id, body: w.kind === 'table' ? { filters: {}, page: 1, pageSize: 20 } : { filters: {} } }));
    const open = () =>
      fetch(`${url}/api/reports/${reportId}/data`, { method: 'POST', headers: auth, body: JSON.stringify({ widgets: items }) }).then(async (r) => {
        if (!r.ok) throw new Error(`report data: ${r.status} ${await r.text()}`);
        const body = (await r.json()) as { data: { widgets: { widgetId: string; error?: unknown }[] } };
        const failed = body.data.widgets.find((w) => w.error);
        if (failed) throw new Error(`widget ${failed.widgetId}: ${JSON.stringify(failed.error)}`);
        return body;
      });
    await open(); // first use opens the store's connections and warms DuckDB's buffers
    const runs = opts.quick ? 3 : 7;
    const cold: number[] = [];
    let perOpen = 0;
    for (let i = 0; i < runs; i++) {
      await bumpDataVersion(deps.db, TABLE); // a data change: every cached result is stale
      const before = executed;
      const t = performance.now();
      await open();
      cold.push(performance.now() - t);
      perOpen = executed - before;
    }
    const warm = await medianMs(runs * 3, open);

    const bare = await startBareServer();
    const bareOpen = await medianMs(runs * 3, () => fetch(`${bare.url}/bare`, { method: 'POST' }).then((r) => r.json()));
    await bare.app.close();

    return [
      { figure: `dashboard open, 12 widgets over ${label} rows, cold (${perOpen} DuckDB statements: 11 distinct queries, 2 table counts)`, value: fmt.ms(median(cold)), baseline: `1 bare request ${fmt.ms(bareOpen)}`, ratio: fmt.ratio(median(cold) / bareOpen), goal: '< 500 ms' },
      { figure: `dashboard open, 12 widgets over ${label} rows, warm`, value: fmt.ms(warm), baseline: `1 bare request ${fmt.ms(bareOpen)}`, ratio: fmt.ratio(warm / bareOpen), goal: '< 50 ms' },
    ];
  } finally {
    await b.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchDashboard({ quick: process.argv.includes('--quick') });
  console.log(rows);
  process.exit(0);
}
