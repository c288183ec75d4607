import { DATE_PRESETS, resolveDatePreset, todayIn, type ReportDefinition } from '@shulan/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { seedSampleContent } from '../sample/seedSampleContent.js';

// Viewer interaction on the sample report: relative dates, linkage (联动) and drill-down (下钻),
// each checked against SQL run straight on the embedded store.

let t: TestApp;
let editor: Awaited<ReturnType<TestApp['user']>>;
let reportId: string;
let definition: ReportDefinition;

/** SQL on the store itself: the yardstick for every number the routes return. */
async function sql(text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const store = await t.deps.connectors.embedded();
  return store.query(text, params);
}

const data = (widgetId: string, body: object) =>
  t.call({ method: 'POST', url: `/api/reports/${reportId}/widgets/${widgetId}/data`, headers: editor.headers, body });

const save = (def: unknown) => t.call({ method: 'PUT', url: `/api/reports/${reportId}`, headers: editor.headers, body: { definition: def } });

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.user('editor');
  await seedSampleContent(t.deps, editor.id);
  reportId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', '销售概览').executeTakeFirstOrThrow()).id;
  definition = (await t.call({ method: 'GET', url: `/api/reports/${reportId}`, headers: editor.headers })).json.data.definition;
  // The editor's hierarchy: 区域 → 城市 → 产品 on the bar, 年 → 月 → 日 on a new line.
  const bar = definition.widgets.find((w) => w.id === 'amount_by_region')!;
  bar.options = { ...bar.options, drillFields: [{ field: '城市' }, { field: '产品' }] };
  definition.widgets.push({
    id: 'by_year',
    kind: 'line',
    title: '按年',
    datasetId: bar.datasetId,
    query: { dimensions: [{ field: '日期', grain: 'year' }], measures: [{ field: '销售额', agg: 'sum' }], columns: undefined, filters: [], sort: [], limit: 1000, offset: 0 },
    layout: { x: 0, y: 30, w: 12, h: 6 },
    options: { drillFields: [{ field: '日期', grain: 'month' }, { field: '日期', grain: 'day' }], linkage: false },
  });
  const saved = await save(definition);
  expect(saved.status, JSON.stringify(saved.json)).toBe(200);
});
afterAll(async () => t?.close());

describe('relative dates', () => {
  it('resolves every preset to whole days, weeks from Monday, months and years by the calendar', () => {
    // 2025-03-05 is a Wednesday.
    const r = (p: (typeof DATE_PRESETS)[number]) => resolveDatePreset(p, '2025-03-05');
    expect(r('today')).toEqual({ from: '2025-03-05', to: '2025-03-05' });
    expect(r('yesterday')).toEqual({ from: '2025-03-04', to: '2025-03-04' });
    expect(r('this_week')).toEqual({ from: '2025-03-03', to: '2025-03-09' });
    expect(r('last_week')).toEqual({ from: '2025-02-24', to: '2025-03-02' });
    expect(r('this_month')).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(r('last_month')).toEqual({ from: '2025-02-01', to: '2025-02-28' });
    expect(r('last_7_days')).toEqual({ from: '2025-02-27', to: '2025-03-05' });
    expect(r('last_30_days')).toEqual({ from: '2025-02-04', to: '2025-03-05' });
    expect(r('this_quarter')).toEqual({ from: '2025-01-01', to: '2025-03-31' });
    expect(r('this_year')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(r('ytd')).toEqual({ from: '2025-01-01', to: '2025-03-05' });
    expect(r('last_year')).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    // Year and leap-day edges.
    expect(resolveDatePreset('last_month', '2025-01-15')).toEqual({ from: '2024-12-01', to: '2024-12-31' });
    expect(resolveDatePreset('this_month', '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(resolveDatePreset('this_week', '2025-03-09')).toEqual({ from: '2025-03-03', to: '2025-03-09' }); // a Sunday
    expect(resolveDatePreset('this_quarter', '2025-11-30')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    // 20:00 UTC is already the next day in Shanghai.
    expect(todayIn('Asia/Shanghai', new Date('2025-06-18T20:00:00Z'))).toBe('2025-06-19');
    expect(todayIn('UTC', new Date('2025-06-18T20:00:00Z'))).toBe('2025-06-18');
  });

  it('filters by the days of a preset in the server time zone, sent or saved as the default', async () => {
    t.deps.clock = () => new Date('2025-06-18T20:00:00Z'); // 2025-06-19 in Asia/Shanghai
    try {
      const count = async (from: string, to: string) =>
        Number((await sql('SELECT count(*) AS n FROM sample_sales WHERE "日期" BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)', [from, to]))[0]!.n);
      const today = await data('order_count', { filters: { date: { preset: 'today' } } });
      expect(today.status).toBe(200);
      expect(today.json.data.rows[0].count).toBe(await count('2025-06-19', '2025-06-19'));
      const week = await data('order_count', { filters: { date: { preset: 'last_7_days' } } });
      expect(week.json.data.rows[0].count).toBe(await count('2025-06-13', '2025-06-19'));
      expect(week.json.data.rows[0].count).toBeGreaterThan(today.json.data.rows[0].count);

      // A saved default 上月 applies when the viewer sends nothing, and a KPI compares real days.
      const def = structuredClone(definition);
      def.filters.find((f) => f.id === 'date')!.default = { preset: 'last_month' };
      def.widgets.find((w) => w.id === 'order_count')!.options = { compare: 'previous_period' };
      expect((await save(def)).status).toBe(200);
      const may = await data('order_count', {});
      expect(may.json.data.rows[0].count).toBe(await count('2025-05-01', '2025-05-31'));
      expect(may.json.data.comparison.range).toEqual({ from: '2025-05-01', to: '2025-05-31' });
      expect(may.json.data.comparison.previous).toBe(await count('2025-03-31', '2025-04-30'));
      expect((await save(definition)).status).toBe(200);

      const bad = await data('order_count', { filters: { date: { preset: 'next_decade' } } });
      expect(bad.status).toBe(400);
    } finally {
      t.deps.clock = () => new Date();
    }
  });
});

describe('linkage', () => {
  it('a region clicked on the bar narrows the other widgets and leaves the bar whole', async () => {
    const selection = [{ widgetId: 'amount_by_region', field: '区域', value: '华东' }];
    const kpi = await data('total_amount', { selection });
    expect(kpi.status).toBe(200);
    const want = Number((await sql('SELECT sum("销售额") AS s FROM sample_sales WHERE "区域" = $1', ['华东']))[0]!.s);
    expect(kpi.json.data.rows[0]['sum__销售额']).toBeCloseTo(want, 2);

    const bar = await data('amount_by_region', { selection });
    expect(bar.json.data.rows).toHaveLength(5);

    const table = await data('detail', { selection, page: 1, pageSize: 10 });
    const rows = Number((await sql('SELECT count(*) AS n FROM sample_sales WHERE "区域" = $1', ['华东']))[0]!.n);
    expect(table.json.data.total).toBe(rows);
    expect(table.json.data.rows.every((r: any) => r['区域'] === '华东')).toBe(true);
  });

  it('a month clicked on the line narrows others to that month; drilled levels select too', async () => {
    const selection = [{ widgetId: 'amount_by_month', field: '日期', grain: 'month', value: '2025-03-01' }];
    const count = await data('order_count', { selection });
    const want = Number((await sql(`SELECT count(*) AS n FROM sample_sales WHERE "日期" >= DATE '2025-03-01' AND "日期" < DATE '2025-04-01'`))[0]!.n);
    expect(count.json.data.rows[0].count).toBe(want);
    // A city on the bar drilled into 华东: a level of its hierarchy.
    const city = await data('order_count', { selection: [{ widgetId: 'amount_by_region', field: '城市', value: '上海' }] });
    expect(city.json.data.rows[0].count).toBe(Number((await sql(`SELECT count(*) AS n FROM sample_sales WHERE "城市" = '上海'`))[0]!.n));
  });

  it('refuses a selection the report cannot make', async () => {
    const cases = [
      [{ widgetId: 'nope', field: '区域', value: 'x' }],
      [{ widgetId: 'amount_by_region', field: '销售额', value: 1 }], // not a level of its hierarchy
      [{ widgetId: 'by_year', field: '日期', grain: 'year', value: '2025-01-01' }], // linkage switched off
      [{ widgetId: 'amount_by_month', field: '日期', grain: 'month', value: 'March' }],
    ];
    for (const selection of cases) {
      const res = await data('order_count', { selection });
      expect(res.status, JSON.stringify(selection)).toBe(400);
      expect(res.json.error.message).toBeTruthy();
    }
  });
});

describe('drill-down', () => {
  it('goes region → city → product, each level summing to the category above', async () => {
    const top = await data('amount_by_region', {});
    const east = top.json.data.rows.find((r: any) => r['区域'] === '华东')['sum__销售额'];

    const cities = await data('amount_by_region', { drill: ['华东'] });
    expect(cities.status).toBe(200);
    expect(cities.json.data.columns[0].key).toBe('城市');
    const want = await sql('SELECT "城市" AS c, sum("销售额") AS s FROM sample_sales WHERE "区域" = $1 GROUP BY 1', ['华东']);
    expect(cities.json.data.rows).toHaveLength(want.length);
    for (const w of want) expect(cities.json.data.rows.find((r: any) => r['城市'] === w.c)['sum__销售额']).toBeCloseTo(Number(w.s), 2);
    expect(cities.json.data.rows.reduce((s: number, r: any) => s + r['sum__销售额'], 0)).toBeCloseTo(east, 2);

    const products = await data('amount_by_region', { drill: ['华东', '上海'] });
    const wantP = await sql('SELECT "产品" AS p, sum("销售额") AS s FROM sample_sales WHERE "区域" = $1 AND "城市" = $2 GROUP BY 1', ['华东', '上海']);
    expect(products.json.data.rows.map((r: any) => r['产品']).sort()).toEqual(wantP.map((r) => r.p).sort());

    const tooDeep = await data('amount_by_region', { drill: ['华东', '上海', '签字笔'] });
    expect(tooDeep.status).toBe(400);
    expect((await data('amount_by_month', { drill: ['2025-03-01'] })).status).toBe(400); // no hierarchy
  });

  it('drills a date year → month → day, and drill-through lists the rows of one category at that level', async () => {
    const months = await data('by_year', { drill: ['2025-01-01'] });
    expect(months.json.data.rows.map((r: any) => r['日期__month'])).toHaveLength(12);
    const days = await data('by_year', { drill: ['2025-01-01', '2025-02-01'] });
    expect(days.json.data.rows).toHaveLength(28);

    const through = await t.call({
      method: 'POST',
      url: `/api/reports/${reportId}/widgets/amount_by_region/drill`,
      headers: editor.headers,
      body: { drill: ['华东'], value: '杭州', pageSize: 5 },
    });
    expect(through.status).toBe(200);
    expect(through.json.data.total).toBe(Number((await sql(`SELECT count(*) AS n FROM sample_sales WHERE "区域" = '华东' AND "城市" = '杭州'`))[0]!.n));
    expect(through.json.data.rows.every((r: any) => r['城市'] === '杭州')).toBe(true);
  });

  it('refuses a hierarchy its dataset cannot have when the report is saved', async () => {
    for (const drillFields of [[{ field: '门店' }], [{ field: '城市', grain: 'month' }], [{ field: '城市' }, { field: '城市' }]]) {
      const def = structuredClone(definition);
      def.widgets.find((w) => w.id === 'amount_by_region')!.options = { drillFields: drillFields as never };
      const res = await save(def);
      expect(res.status, JSON.stringify(drillFields)).toBe(400);
      expect(res.json.error.message).toContain('销售额');
    }
  });
});
