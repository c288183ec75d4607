import { EMBEDDED_DATASOURCE_ID, ReportDefinitionSchema, type Field } from '@shulan/shared';
import { bumpDataVersion } from '../src/datasets/bumpDataVersion.js';
import type { Deps } from '../src/deps.js';
import { newId, nowIso } from '../src/lib/ids.js';
import { insertReport } from '../src/reports/reportRepo.js';
import { medianMs, printRow } from './harness.js';

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

/** Report open — 4 widgets over a large embedded dataset — cold (after a data change) and warm. */
export async function benchReportOpen(o: { deps: Deps; url: string; auth: Record<string, string>; bareLatency: number; rows: number }): Promise<void> {
  const { deps } = o;
  const store = await deps.connectors.embedded();
  const t0 = performance.now();
  await store.replaceTable('bench_sales', FIELDS, rows(o.rows));
  const loadMs = performance.now() - t0;
  printRow(`load ${o.rows.toLocaleString('en')} rows into the embedded store`, `${(loadMs / 1000).toFixed(1)} s`, `${Math.round(o.rows / (loadMs / 1000)).toLocaleString('en')} rows/s`);

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

  const open = () =>
    Promise.all(
      definition.widgets.map((w) =>
        fetch(`${o.url}/api/reports/${reportId}/widgets/${w.id}/data`, {
          method: 'POST',
          headers: { ...o.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ filters: {} }),
        }).then(async (r) => {
          if (!r.ok) throw new Error(`widget ${w.id}: ${r.status} ${await r.text()}`);
          return r.json();
        }),
      ),
    );
  const cold = await medianMs(5, async () => {
    await bumpDataVersion(deps.db, 'bench_sales');
    await open();
  });
  printRow('report open, 4 widgets, cold (no cache)', `${cold.toFixed(1)} ms`, `${(cold / o.bareLatency).toFixed(0)}× bare latency`);
  await open();
  const warm = await medianMs(20, open);
  printRow('report open, 4 widgets, warm (cached)', `${warm.toFixed(1)} ms`, `${(warm / o.bareLatency).toFixed(1)}× bare latency`);
}
