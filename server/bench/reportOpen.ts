// Report open — 4 widgets over a large embedded dataset, in one report data call as the web viewer
// and the mini program send it — cold (right after a data change, so no cached result) and warm,
// next to the same SQL run straight on DuckDB in the same run.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { EMBEDDED_DATASOURCE_ID, ReportDefinitionSchema, type Field } from '@shulan/shared';
import { bumpDataVersion } from '../src/datasets/bumpDataVersion.js';
import { newId, nowIso } from '../src/lib/ids.js';
import { compileQuery } from '../src/reports/compileQuery.js';
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
const REGIONS = ['华东', '华南', '华北', '西南', '东北'];
const CATEGORIES = ['家电', '数码', '服装', '食品', '家居', '图书'];

function* rows(n: number): Generator<unknown[]> {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const day = new Date(start + Math.floor(rnd() * 730) * 86_400_000).toISOString().slice(0, 10);
    yield [day, REGIONS[i % 5], `城市${Math.floor(rnd() * 60)}`, CATEGORIES[Math.floor(rnd() * 6)], 1 + Math.floor(rnd() * 20), Math.round(rnd() * 500_00) / 100];
  }
}

export async function benchReportOpen(opts: { quick: boolean; bareRps: number; bareLatencyMs: number }): Promise<BenchRow[]> {
  const n = opts.quick ? 20_000 : Number(process.env.BENCH_ROWS ?? 1_000_000);
  const label = n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
  const b = await startBenchApp({ db: 'sqlite' });
  try {
    const { deps, url } = b;
    const store = await deps.connectors.embedded();
    await store.replaceTable('bench_sales', FIELDS, rows(n));
    const datasetId = newId();
    await deps.db
      .insertInto('datasets')
      .values({ id: datasetId, name: 'bench', datasource_id: EMBEDDED_DATASOURCE_ID, kind: 'table', table_name: 'bench_sales', sql: null, fields_json: JSON.stringify(FIELDS), created_by: null, created_at: nowIso(), updated_at: nowIso() })
      .execute();
    const definition = ReportDefinitionSchema.parse({
      filters: [],
      widgets: [
        { id: 'kpi', kind: 'kpi', title: 'total', datasetId, query: { measures: [{ field: 'amount', agg: 'sum' }] }, layout: { x: 0, y: 0, w: 3, h: 3 } },
        { id: 'bar', kind: 'bar', title: 'by region', datasetId, query: { dimensions: [{ field: 'region' }], measures: [{ field: 'amount', agg: 'sum' }, { field: 'city', agg: 'count_distinct' }] }, layout: { x: 3, y: 0, w: 9, h: 6 } },
        { id: 'line', kind: 'line', title: 'by month', datasetId, query: { dimensions: [{ field: 'order_date', grain: 'month' }], measures: [{ field: 'amount', agg: 'sum' }] }, layout: { x: 0, y: 6, w: 12, h: 6 } },
        { id: 'table', kind: 'table', title: 'detail', datasetId, query: { columns: ['order_date', 'region', 'city', 'amount'], sort: [{ key: 'amount', dir: 'desc' }], limit: 50 }, layout: { x: 0, y: 12, w: 12, h: 8 } },
      ],
    });
    const reportId = await insertReport(deps.db, { name: 'bench', description: null, definition, createdBy: null });
    const { hashPassword } = await import('../src/auth/passwords.js');
    const { insertUser } = await import('../src/users/userRepo.js');
    await insertUser(deps.db, { username: 'bench', displayName: 'bench', role: 'admin', passwordHash: await hashPassword('bench-password') });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password', mode: 'token' }),
    }).then((r) => r.json() as Promise<{ data: { token: string } }>);
    const auth = { authorization: `Bearer ${login.data.token}` };

    // One report data call, as the web viewer and the mini program open a report.
    const open = () =>
      fetch(`${url}/api/reports/${reportId}/data`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ widgets: definition.widgets.map((w) => ({ widgetId: w.id, body: { filters: {} } })) }),
      }).then(async (r) => {
        if (!r.ok) throw new Error(`report data: ${r.status} ${await r.text()}`);
        const body = (await r.json()) as { data: { widgets: { widgetId: string; error?: unknown }[] } };
        const failed = body.data.widgets.find((w) => w.error);
        if (failed) throw new Error(`widget ${failed.widgetId}: ${JSON.stringify(failed.error)}`);
        return body;
      });
    await open(); // first use opens the store's connections and warms DuckDB's buffers
    const runs = opts.quick ? 3 : 7;
    const coldTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      await bumpDataVersion(deps.db, 'bench_sales'); // a data change: every cached result is stale
      const t0 = performance.now();
      await open();
      coldTimes.push(performance.now() - t0);
    }
    const cold = median(coldTimes);
    const warm = await medianMs(runs * 3, open);
    if (process.env.BENCH_PROFILE_WARM) {
      const t0 = performance.now();
      for (let i = 0; i < Number(process.env.BENCH_PROFILE_WARM); i++) await open();
      console.error('warm loop', (performance.now() - t0) / Number(process.env.BENCH_PROFILE_WARM));
    }

    // Warm answers come from the result cache, so their yardstick is HTTP itself: one request to a
    // bare Fastify handler, in the same run.
    const bare = await startBareServer();
    const bareOpen = await medianMs(runs * 3, () => fetch(`${bare.url}/bare`, { method: 'POST' }).then((r) => r.json()));
    await bare.app.close();

    // The same SQL straight on DuckDB: a fresh instance on the same file once the app has let go of it.
    const dataset = { id: datasetId, name: 'bench', dataVersion: 0, fields: FIELDS, source: { kind: 'table' as const, table: 'bench_sales' }, connector: store, external: false };
    const compiled = definition.widgets.map((w) => compileQuery(dataset, w.query!));
    await deps.connectors.closeAll();
    const raw = await DuckDBInstance.create(path.join(b.dataDir, 'analytics.duckdb'));
    const conns = await Promise.all(compiled.map(() => raw.connect()));
    const rawOpen = () => Promise.all(compiled.map((c, i) => conns[i]!.runAndReadAll(c.sql, c.params as never)));
    await rawOpen();
    const rawMs = await medianMs(runs * 3, rawOpen);
    for (const c of conns) c.closeSync();
    raw.closeSync();

    return [
      { figure: `report open, 4 widgets over ${label} rows, cold`, value: fmt.ms(cold), baseline: `raw DuckDB ${fmt.ms(rawMs)}`, ratio: fmt.ratio(cold / rawMs), goal: '< 100 ms' },
      { figure: `report open, 4 widgets over ${label} rows, warm`, value: fmt.ms(warm), baseline: `1 bare request ${fmt.ms(bareOpen)}`, ratio: fmt.ratio(warm / bareOpen), goal: '< 5 ms' },
    ];
  } finally {
    await b.close();
  }
}
