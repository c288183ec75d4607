import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedSampleContent } from '../server/src/sample/seedSampleContent.js';
import { ARTIFACTS, startE2E, type E2E } from './fixture.js';

// Every chart kind on the sample data in one report, drawn by the real web app in Chromium: each
// card must draw something (pixels on its canvas, rows in its table, a figure on its KPI) and no
// card may show an error. A screenshot per kind goes to test-artifacts/charts/.

let e: E2E;
let reportId: string;
const SHOTS = path.join(ARTIFACTS, 'charts');

const region = { field: '区域' };
const amount = { field: '销售额', agg: 'sum', label: '销售额' };
const quantity = { field: '销量', agg: 'sum', label: '销量' };
const month = { field: '日期', grain: 'month' };

/** [file name, kind, title, query, options]: one widget each, two per row. */
const GALLERY: [string, string, string, object, object?][] = [
  ['bar', 'bar', '柱状图：各区域销售额', { dimensions: [region], measures: [amount], sort: [{ key: 'sum__销售额', dir: 'desc' }] }, { showLabels: true, formats: { 'sum__销售额': { kind: 'currency', unit: 'wan', decimals: 1 } } }],
  ['bar-horizontal', 'bar', '条形图：各城市销量', { dimensions: [{ field: '城市' }], measures: [quantity], sort: [{ key: 'sum__销量', dir: 'desc' }] }, { horizontal: true }],
  ['bar-stacked-percent', 'bar', '百分比堆叠：区域 × 品类', { dimensions: [region, { field: '产品类别' }], measures: [amount] }, { percent: true }],
  ['line', 'line', '折线图：月度销售额', { dimensions: [month], measures: [amount] }, { smooth: true, formats: { '日期__month': { kind: 'date', dateGrain: 'month' } } }],
  ['area', 'area', '面积图：月度销量', { dimensions: [month], measures: [quantity] }],
  ['combo', 'combo', '柱线组合：销售额与销量', { dimensions: [month], measures: [amount, quantity] }, { secondaryMeasures: ['sum__销量'], formats: { 'sum__销售额': { kind: 'number', unit: 'wan', decimals: 1 } } }],
  ['pie', 'pie', '饼图：品类占比', { dimensions: [{ field: '产品类别' }], measures: [amount] }],
  ['donut', 'pie', '环形图：区域占比', { dimensions: [region], measures: [amount] }, { donut: true }],
  ['scatter', 'scatter', '散点图：各产品销量与销售额', { dimensions: [{ field: '产品' }], measures: [quantity, amount] }, { showLabels: true }],
  ['funnel', 'funnel', '漏斗图：各区域订单数', { dimensions: [region], measures: [{ agg: 'count', label: '订单数' }] }],
  ['gauge', 'gauge', '仪表盘：年度目标完成', { measures: [amount] }, { gaugeMax: 20_000_000, formats: { 'sum__销售额': { kind: 'currency', unit: 'wan', decimals: 0 } } }],
  ['map', 'map', '地图：各省销售额', { dimensions: [{ field: '省份' }], measures: [amount] }, { showLabels: true }],
  ['pivot', 'pivot', '透视表：区域 × 品类（含小计）', { dimensions: [region, { field: '城市' }, { field: '产品类别' }], measures: [amount] }, { subtotals: true, pivotColumns: 1, formats: { 'sum__销售额': { kind: 'number', decimals: 0 } } }],
  ['kpi', 'kpi', '指标卡：总销售额（含趋势）', { measures: [amount] }, { sparkline: true, compare: 'previous_period', formats: { 'sum__销售额': { kind: 'currency', unit: 'auto' } } }],
  ['table', 'table', '表格：省份汇总', { dimensions: [{ field: '省份' }], measures: [amount, quantity], sort: [{ key: 'sum__销售额', dir: 'desc' }] }, { formats: { 'sum__销售额': { kind: 'currency' } } }],
];

beforeAll(async () => {
  e = await startE2E();
  const adminId = await e.user('admin', 'admin', 'admin-password-1');
  const token = (await e.deps.sessions.open(adminId, 'password', 'api')).token;
  await seedSampleContent(e.deps, adminId);
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${e.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as { data: any; error?: { message: string } };
    expect(res.status, `${method} ${url}: ${json.error?.message ?? ''}`).toBe(200);
    return json.data;
  };
  const datasetId = (await e.deps.db.selectFrom('datasets').select('id').executeTakeFirstOrThrow()).id;
  const widgets = GALLERY.map(([id, kind, title, query, options], i) => ({
    id,
    kind,
    title,
    datasetId,
    query,
    layout: { x: (i % 2) * 6, y: Math.floor(i / 2) * 5, w: 6, h: 5 },
    ...(options ? { options } : {}),
  }));
  const filters = [{ id: 'date', label: '日期', kind: 'date_range', field: '日期', default: { from: '2025-01-01', to: '2025-12-31' } }];
  reportId = (await api('POST', '/api/reports', { name: '图表一览', definition: { filters, widgets } })).id;
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => e?.close());

it('draws every chart kind on the sample data and saves a screenshot of each', async () => {
  const page = await e.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(e.url);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('admin-password-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  await page.goto(`${e.url}/reports/${reportId}`);

  const card = (title: string) => page.locator('.ant-card').filter({ has: page.getByText(title, { exact: true }) });
  for (const [name, kind, title] of GALLERY) {
    const c = card(title);
    await c.evaluate((el) => el.scrollIntoView({ block: 'center' })).catch(async (err: unknown) => {
      await e.shot(page, 'charts-failed');
      throw new Error(`${title}: ${String(err)}`);
    });
    if (kind === 'table') {
      await c.locator('tbody tr.ant-table-row').first().waitFor();
      // Rows are provinces, money with the currency format.
      expect(await c.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(5);
      expect(await c.locator('tbody tr.ant-table-row').first().textContent()).toMatch(/¥[\d,]+\.\d\d/);
      // Two exports: raw numbers for Excel, and the cells as shown.
      const get = async (testId: string) =>
        (await page.context().request.get(`${e.url}${await c.getByTestId(testId).getAttribute('href')}`)).text();
      const [raw, shown] = [await get('widget-export'), await get('widget-export-formatted')];
      expect(raw.split('\r\n')[1]).toMatch(/^[^,]+省,\d+(\.\d+)?,\d+$/);
      expect(shown.split('\r\n')[1]).toMatch(/^[^,]+省,"¥[\d,]+\.\d\d","?[\d,]+"?$/);
    } else if (kind === 'kpi') {
      await c.getByTestId('kpi-sparkline').waitFor();
      expect(await c.getByTestId('kpi-value').textContent()).toMatch(/^¥\d+(\.\d+)?万$/);
      expect(Number(await c.getByTestId('kpi-sparkline').getAttribute('data-points'))).toBeGreaterThan(10);
    } else {
      const canvas = c.locator(kind === 'pivot' ? '[data-testid="pivot"] canvas' : 'canvas').first();
      await canvas.waitFor();
      // Drawn means many non-blank pixels; poll, since charts animate in.
      await expect
        .poll(() =>
          canvas.evaluate((el: HTMLCanvasElement) => {
            const g = el.getContext('2d');
            if (!g) return 0;
            const { data } = g.getImageData(0, 0, el.width, el.height);
            let inked = 0;
            for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && (data[i]! < 240 || data[i + 1]! < 240 || data[i + 2]! < 240)) inked++;
            return inked;
          }),
        { timeout: 15_000 },
      )
        .toBeGreaterThan(2000);
    }
    expect(await c.locator('.ant-result, [role="alert"]').count(), `${title} shows an error`).toBe(0);
    if (kind === 'map') {
      // Every sample province (广东省, 上海市 …) is matched to a map shape: no "not a province" warning.
      expect(await c.locator('.ant-alert').count()).toBe(0);
    }
    await c.screenshot({ path: path.join(SHOTS, `${name}.png`), timeout: 20_000 }).catch(async (err: unknown) => {
      await e.shot(page, 'charts-failed');
      throw new Error(`${title}: ${String(err)}`);
    });
  }
  await e.shot(page, 'charts-00-all-kinds');
  expect(errors).toEqual([]);
  for (const [name] of GALLERY) expect(fs.statSync(path.join(SHOTS, `${name}.png`)).size).toBeGreaterThan(3000);
});
