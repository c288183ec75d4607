import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { generateSampleSales } from '../sample/sampleSales.js';
import { seedSampleContent } from '../sample/seedSampleContent.js';
import { sparklineGrain } from './kpiSparkline.js';

// The chart gallery's server side on the sample data: KPI sparklines, formatted CSV, and the
// checks on options that name result columns. SQLite or PostgreSQL app database (TEST_DB).

let t: TestApp;
let editor: Awaited<ReturnType<TestApp['user']>>;
let datasetId: string;
const SALES = generateSampleSales();

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.user('editor');
  await seedSampleContent(t.deps, editor.id);
  datasetId = (await t.deps.db.selectFrom('datasets').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const create = (widgets: object[], filters: object[] = []) =>
  t.call({ method: 'POST', url: '/api/reports', headers: editor.headers, body: { name: `图表 ${Math.random()}`, definition: { filters, widgets } } });

const kpiWidget = (options: object) => ({
  id: 'k',
  kind: 'kpi',
  title: '销售额',
  datasetId,
  query: { measures: [{ field: '销售额', agg: 'sum' }] },
  layout: { x: 0, y: 0, w: 4, h: 3 },
  options,
});

describe('KPI sparkline', () => {
  it('returns the figure per bucket over the chosen date range, summing to the figure', async () => {
    const res = await create([kpiWidget({ sparkline: true })], [{ id: 'd', label: '日期', kind: 'date_range', field: '日期' }]);
    expect(res.status).toBe(200);
    const id = res.json.data.id;
    const march = await t.call({ method: 'POST', url: `/api/reports/${id}/widgets/k/data`, headers: editor.headers, body: { filters: { d: { from: '2025-03-01', to: '2025-03-31' } } } });
    expect(march.status).toBe(200);
    const spark = march.json.data.sparkline;
    // 31 days → one point per day, oldest first.
    expect(spark.grain).toBe('day');
    expect(spark.field).toBe('日期');
    expect(spark.points).toHaveLength(31);
    expect(spark.points[0].date).toBe('2025-03-01');
    expect(spark.points.at(-1).date).toBe('2025-03-31');
    const byDay = SALES.filter((r) => r[0] === '2025-03-15').reduce((s, r) => s + Number(r[6]), 0);
    expect(spark.points.find((p: any) => p.date === '2025-03-15').value).toBeCloseTo(byDay, 2);
    const sum = spark.points.reduce((s: number, p: any) => s + p.value, 0);
    expect(sum).toBeCloseTo(march.json.data.rows[0]['sum__销售额'], 2);

    // No range chosen: by month over the whole year.
    const all = await t.call({ method: 'POST', url: `/api/reports/${id}/widgets/k/data`, headers: editor.headers, body: {} });
    expect(all.json.data.sparkline.grain).toBe('month');
    expect(all.json.data.sparkline.points).toHaveLength(12);
  });

  it('is not computed for KPIs that do not ask for it', async () => {
    const res = await create([kpiWidget({})]);
    const data = await t.call({ method: 'POST', url: `/api/reports/${res.json.data.id}/widgets/k/data`, headers: editor.headers, body: {} });
    expect(data.json.data.sparkline).toBeUndefined();
  });

  it('picks days, weeks or months by the length of the range', () => {
    expect(sparklineGrain({ from: '2025-01-01', to: '2025-02-28' })).toBe('day');
    expect(sparklineGrain({ from: '2025-01-01', to: '2025-12-31' })).toBe('week');
    expect(sparklineGrain({ from: '2024-01-01', to: '2025-12-31' })).toBe('month');
    expect(sparklineGrain(null)).toBe('month');
  });
});

describe('CSV export with formats', () => {
  it('is raw by default and shows the report formats with formatted=1', async () => {
    const res = await create([
      {
        id: 'p',
        kind: 'bar',
        title: '省份销售额',
        datasetId,
        query: { dimensions: [{ field: '省份' }], measures: [{ field: '销售额', agg: 'sum' }], sort: [{ key: 'sum__销售额', dir: 'desc' }] },
        layout: { x: 0, y: 0, w: 6, h: 4 },
        options: { formats: { sum__销售额: { kind: 'currency', unit: 'wan', decimals: 2 } } },
      },
    ]);
    expect(res.status).toBe(200);
    const url = `/api/reports/${res.json.data.id}/widgets/p/export.csv`;
    const raw = await t.app.inject({ method: 'GET', url, headers: editor.headers });
    const shown = await t.app.inject({ method: 'GET', url: `${url}?formatted=1`, headers: editor.headers });
    expect(raw.statusCode).toBe(200);
    expect(shown.statusCode).toBe(200);
    const top = new Map<string, number>();
    for (const r of SALES) top.set(String(r[7]), (top.get(String(r[7])) ?? 0) + Number(r[6]));
    const [province, amount] = [...top].sort((a, b) => b[1] - a[1])[0]!;
    const rawLine = raw.rawPayload.toString('utf8').split('\r\n')[1]!;
    expect(rawLine.split(',')[0]).toBe(province);
    expect(Number(rawLine.split(',')[1])).toBeCloseTo(amount, 2);
    const shownLine = shown.rawPayload.toString('utf8').split('\r\n')[1]!;
    expect(shownLine).toBe(`${province},¥${(Math.round(amount / 100) / 100).toFixed(2)}万`);
    const bad = await t.app.inject({ method: 'GET', url: `${url}?formatted=yes`, headers: { ...editor.headers, 'accept-language': 'en' } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('chart options are checked against the query', () => {
  const bar = (options: object, kind = 'combo', measures: object[] = [{ field: '销售额', agg: 'sum' }]) => ({
    id: 'c',
    kind,
    title: '组合',
    datasetId,
    query: { dimensions: [{ field: '区域' }], measures },
    layout: { x: 0, y: 0, w: 6, h: 4 },
    options,
  });

  it('refuses a right-axis measure or a format for a column the widget does not have, saying which', async () => {
    const axis = await create([bar({ secondaryMeasures: ['sum__销量'] })]);
    expect(axis.status).toBe(400);
    expect(axis.json.error.message).toContain('sum__销量');
    const fmt = await create([bar({ formats: { 'sum__利润': { kind: 'number' } } })]);
    expect(fmt.status).toBe(400);
    expect(fmt.json.error.message).toContain('sum__利润');
    const bad = await create([bar({ formats: { 'sum__销售额': { kind: 'money' } } })]);
    expect(bad.status).toBe(400);
    const ok = await create([bar({ secondaryMeasures: ['sum__销量'], formats: { 'sum__销量': { kind: 'number', unit: 'wan' } } }, 'combo', [
      { field: '销售额', agg: 'sum' },
      { field: '销量', agg: 'sum' },
    ])]);
    expect(ok.status).toBe(200);
  });

  it('refuses a scatter chart with one measure', async () => {
    const res = await create([bar({}, 'scatter')]);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('散点图');
  });
});
