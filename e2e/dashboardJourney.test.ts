import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MiniApp } from '../miniprogram/test/pageHarness.js';
import { createWxDouble } from '../miniprogram/test/wxDouble.js';
import { seedSampleContent } from '../server/src/sample/seedSampleContent.js';
import { clickTallestBar, login, moveBy, pickPreset, resizeBy } from './dashboardHelpers.js';
import { startE2E, type E2E } from './fixture.js';

// The whole life of a dashboard, as the BI issue's "done means": an editor builds a NEW dashboard
// by dragging (fields onto the slots, widgets moved and resized on the canvas, a report filter on
// the date), saves it; a viewer clicks a bar (drill one level, link the others, back up the
// breadcrumbs) and picks relative dates; the mini program shows the same widgets in the same
// order with the same KPI. Every figure is checked against SQL run straight on the embedded store.

let e: E2E;
// The server's "today" for relative dates: 2025-06-18 noon in Shanghai, inside the sample year.
const NOW = new Date('2025-06-18T04:00:00Z');
const NAME = '区域销售驾驶舱';

beforeAll(async () => {
  e = await startE2E();
  const adminId = await e.user('admin', 'admin', 'admin-password-1');
  await seedSampleContent(e.deps, adminId); // the dataset 示例：销售数据 (日期, 区域, 城市, 产品类别, 产品, 销量, 销售额 …)
  e.deps.clock = () => NOW;
});
afterAll(async () => e?.close());

async function sql(text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await e.deps.connectors.embedded()).query(text, params);
}
const sumOf = async (where: string, params: unknown[] = []) => Number((await sql(`SELECT sum("销售额") AS s FROM sample_sales WHERE ${where}`, params))[0]!.s);
const distinct = async (field: string, where: string, params: unknown[] = []) =>
  Number((await sql(`SELECT count(DISTINCT "${field}") AS n FROM sample_sales WHERE ${where}`, params))[0]!.n);
/** The first category by sales, as the tallest bar shows it. */
const top = async (field: string, where: string, params: unknown[] = []) =>
  String((await sql(`SELECT "${field}" AS v FROM sample_sales WHERE ${where} GROUP BY 1 ORDER BY sum("销售额") DESC LIMIT 1`, params))[0]!.v);
/** "5,560,959.4" → 5560959.4 */
const numberIn = (text: string | null) => Number((text ?? '').replace(/[^\d.-]/g, '') || NaN);

type SavedWidget = { id: string; kind: string; title: string; layout: { x: number; y: number; w: number; h: number }; query?: any; options?: any };
const savedDefinition = async (id: string) =>
  JSON.parse((await e.deps.db.selectFrom('reports').select('definition_json').where('id', '=', id).executeTakeFirstOrThrow()).definition_json) as {
    widgets: SavedWidget[];
    filters: { id: string; label: string; kind: string; field: string }[];
  };

const canvasWidget = (page: Page, kind: string) => page.locator(`[data-testid="canvas-widget"][data-kind="${kind}"]`);
const widthInput = (page: Page) => page.locator('input[data-testid="layout-width"], [data-testid="layout-width"] input').first();
const openOption = (page: Page, label: RegExp) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: label });
const drag = (page: Page, field: string, slot: string) => page.dragAndDrop(`[data-testid="field-${field}"]`, `[data-testid="slot-${slot}"]`);

let page: Page;
let reportId: string;
let saved: Awaited<ReturnType<typeof savedDefinition>>;
let bar: SavedWidget;
let kpi: SavedWidget;
let table: SavedWidget;
/** The KPI as the web viewer shows it with no filter, for the phone to match. */
let webKpi: string;

it('an editor builds a new dashboard by dragging fields, moving and resizing widgets, adds a date filter and saves', async () => {
  page = await e.newPage();
  await login(page, e.url, 'admin', 'admin-password-1');
  await page.goto(`${e.url}/reports/new`);
  await page.getByTestId('report-name').fill(NAME);

  // A bar chart of 销售额 by 区域, each field dragged onto its slot; 城市 as the level below 区域.
  await page.getByTestId('widget-add-bar').click();
  await page.getByTestId('widget-title').fill('各区域销售额');
  await page.getByTestId('slot-dimension-item').filter({ hasText: '区域' }).waitFor();
  await page.getByTestId('slot-dimension-item').getByRole('button', { name: '删除' }).click(); // the default grouping
  await expect.poll(() => page.getByTestId('slot-dimension-item').count()).toBe(0);
  await drag(page, '区域', 'dimension');
  await page.getByTestId('slot-dimension-item').filter({ hasText: '区域' }).waitFor();
  await drag(page, '销售额', 'measure');
  await expect.poll(() => page.getByTestId('slot-measure-item').count()).toBe(2);
  await page.getByTestId('slot-measure-item').first().getByRole('button', { name: '删除' }).click(); // the default 销量: one series
  await expect.poll(() => page.getByTestId('slot-measure-item').allTextContents()).toEqual([expect.stringContaining('销售额')]);
  await page.getByTestId('widget-drill-fields').click();
  await openOption(page, /^城市$/).click();
  await page.keyboard.press('Escape');
  await canvasWidget(page, 'bar').locator('canvas').first().waitFor();

  // A KPI card: 销售额 dragged onto its measure slot replaces the default.
  await page.getByTestId('widget-add-kpi').click();
  await page.getByTestId('widget-title').fill('销售额合计');
  await drag(page, '销售额', 'measure');
  await expect.poll(() => page.getByTestId('slot-measure-item').allTextContents()).toEqual([expect.stringContaining('销售额')]);
  await canvasWidget(page, 'kpi').getByTestId('kpi-value').waitFor();

  // A table summing by 城市, rows without a 产品类别 left out (a field dragged onto the filter slot).
  await page.getByTestId('widget-add-table').click();
  await page.getByTestId('widget-title').fill('各城市销售');
  await page.getByTestId('table-mode').click();
  await openOption(page, /^汇总$/).click();
  await drag(page, '城市', 'dimension');
  await drag(page, '销售额', 'measure');
  await drag(page, '销量', 'measure');
  await drag(page, '产品类别', 'filter');
  await page.getByTestId('slot-filter-item').filter({ hasText: '产品类别' }).waitFor();
  await expect.poll(() => canvasWidget(page, 'table').locator('th').allTextContents()).toEqual(['城市', '销售额 合计', '销量 合计']);

  // On the canvas: the KPI dragged by its header to the top left (the bar moves down under it),
  // the bar widened by its corner handle to the full 12 columns.
  await moveBy(page, canvasWidget(page, 'kpi'), 0, -4);
  await canvasWidget(page, 'kpi').click();
  await expect.poll(async () => {
    const [k, b] = [await canvasWidget(page, 'kpi').boundingBox(), await canvasWidget(page, 'bar').boundingBox()];
    return k!.y + k!.height <= b!.y;
  }).toBe(true);
  await canvasWidget(page, 'bar').click();
  expect(await widthInput(page).inputValue()).toBe('6');
  await resizeBy(page, canvasWidget(page, 'bar'), 6);
  await expect.poll(() => widthInput(page).inputValue()).toBe('12');

  // Nothing selected: the side panel shows the report's settings; a date-range filter on 日期.
  await page.getByTestId('widget-panel').getByRole('button', { name: '关闭' }).click();
  await page.getByTestId('report-filter-add').click();
  await page.getByTestId('report-filter-kind').click();
  await openOption(page, /^日期范围$/).click();
  await page.getByTestId('report-filter-field').click();
  await openOption(page, /^日期 · /).click();
  await expect.poll(() => page.getByTestId('report-filter-label').inputValue()).toBe('日期');
  await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0); // a clean screenshot
  await e.shot(page, 'journey-01-editor');

  await page.getByTestId('save-report').click();
  await page.waitForURL(/\/reports\/[^/]+\/edit/);
  reportId = page.url().split('/reports/')[1]!.split('/')[0]!;
  saved = await savedDefinition(reportId);
  expect(saved.widgets.map((w) => w.kind)).toEqual(['bar', 'kpi', 'table']);
  [bar, kpi, table] = saved.widgets as [SavedWidget, SavedWidget, SavedWidget];
  expect(bar.query).toMatchObject({ dimensions: [{ field: '区域' }], measures: [{ field: '销售额', agg: 'sum' }] });
  expect(bar.options).toEqual({ drillFields: [{ field: '城市' }] });
  expect(kpi.query.measures).toEqual([{ field: '销售额', agg: 'sum' }]);
  expect(table.query).toMatchObject({
    dimensions: [{ field: '城市' }],
    measures: [{ field: '销售额', agg: 'sum' }, { field: '销量', agg: 'sum' }],
    filters: [{ field: '产品类别', op: 'not_null' }],
  });
  expect(table.query.columns).toBeUndefined();
  expect(kpi.layout).toMatchObject({ x: 0, y: 0, w: 4 });
  expect(bar.layout).toMatchObject({ x: 0, y: kpi.layout.h, w: 12 });
  expect(table.layout.y).toBeGreaterThanOrEqual(bar.layout.y + bar.layout.h);
  expect(saved.filters).toEqual([expect.objectContaining({ label: '日期', kind: 'date_range', field: '日期' })]);
});

it('the viewer drills one level and back, links the KPI and the table from a bar, and filters by 本月 / 近 7 天', async () => {
  // From the editor's 查看 button.
  await page.getByTestId('report-open').click();
  await page.waitForURL(new RegExp(`/reports/${reportId}$`));
  const cell = (w: SavedWidget) => page.locator(`.widget-cell[data-widget-id="${w.id}"]`);
  const crumbs = () => cell(bar).getByTestId('drill-crumb').allTextContents();
  const kpiText = () => cell(kpi).getByTestId('kpi-value').textContent();
  const expectKpi = async (where: string, params: unknown[] = []) => {
    const want = await sumOf(where, params);
    await expect.poll(async () => numberIn(await kpiText()), { timeout: 10_000 }).toBeCloseTo(want, 1).catch(async (err: unknown) => {
      await e.shot(page, 'journey-failed'); // what the viewer showed instead
      throw err;
    });
  };
  const rows = (): Locator => cell(table).locator('tbody tr.ant-table-row');
  /** Table rows as numbers where they are numbers: [城市, 销售额, 销量]. */
  const tableRows = async () =>
    (await rows().evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))).map(([city, amount, qty]) => [
      city,
      Math.round(numberIn(amount ?? '') * 100) / 100,
      numberIn(qty ?? ''),
    ]);

  await page.getByTestId('report-title').waitFor();
  expect(await page.getByTestId('report-title').textContent()).toBe(NAME);
  await expectKpi('true');
  webKpi = (await kpiText())!;
  await expect.poll(() => rows().count()).toBe(Math.min(20, await distinct('城市', '"产品类别" IS NOT NULL')));
  expect(await crumbs()).toEqual(['全部']);
  await e.shot(page, 'journey-02-viewer');

  // A click on the tallest region drills one level: its cities, with a breadcrumb.
  const region = await top('区域', 'true');
  await clickTallestBar(page, cell(bar), await distinct('区域', 'true'));
  await expect.poll(crumbs).toEqual(['全部', region]);
  await expectKpi('true'); // drilling one chart leaves the others as they were

  // At the bottom level a click links: the KPI and the table narrow to that city.
  const city = await top('城市', '"区域" = $1', [region]);
  await clickTallestBar(page, cell(bar), await distinct('城市', '"区域" = $1', [region]));
  await expect.poll(() => page.getByTestId('selection-chip').textContent()).toContain(`区域 = ${region} · 城市 = ${city}`);
  const linked = '"区域" = $1 AND "城市" = $2';
  await expectKpi(linked, [region, city]);
  const [cityRow] = await sql(
    `SELECT sum("销售额") AS s, sum("销量") AS q FROM sample_sales WHERE ${linked} AND "产品类别" IS NOT NULL`,
    [region, city],
  );
  await expect.poll(tableRows, { timeout: 10_000 }).toEqual([[city, Math.round(Number(cityRow!.s) * 100) / 100, Number(cityRow!.q)]]);
  await e.shot(page, 'journey-03-drilled-and-linked');

  // Back up the breadcrumb; the linkage stays until cleared.
  await cell(bar).getByTestId('drill-crumb').first().click();
  await expect.poll(crumbs).toEqual(['全部']);
  await expectKpi(linked, [region, city]);
  await page.getByTestId('selection-clear').click();
  await expect.poll(() => page.getByTestId('selection-chip').count()).toBe(0);
  await expectKpi('true');

  // Relative dates on the report filter, resolved by the server's calendar (2025-06-18 in Shanghai).
  await pickPreset(page, '本月');
  const june = `"日期" BETWEEN DATE '2025-06-01' AND DATE '2025-06-30'`;
  await expectKpi(june);
  await expect.poll(() => rows().count()).toBe(Math.min(20, await distinct('城市', `${june} AND "产品类别" IS NOT NULL`)));
  await pickPreset(page, '近 7 天');
  const week = `"日期" BETWEEN DATE '2025-06-12' AND DATE '2025-06-18'`;
  await expectKpi(week);
  // The bar chart narrows too: one bar per region that sold that week.
  await clickTallestBar(page, cell(bar), await distinct('区域', week));
  await expect.poll(crumbs).toEqual(['全部', await top('区域', week)]);
  await e.shot(page, 'journey-04-last-7-days');
});

it('the mini program shows the same dashboard: the same widgets in layout order, the same KPI', async () => {
  const DOMAIN = 'https://bi.test';
  const wx = createWxDouble({ hosts: { [DOMAIN]: e.url } }, new Map<string, unknown>([['shulan.domain', DOMAIN]]));
  const app = await MiniApp.launch(wx.wx);
  const login = await app.open('pages/login/index');
  login.onUsername({ detail: { value: 'admin' } });
  login.onPassword({ detail: { value: 'admin-password-1' } });
  await login.onSubmit();
  const page = await app.open('pages/report/index', { id: reportId });
  await wx.settled();

  const widgets = page.data.widgets as { id: string; kind: string; title: string; error: string; kpi?: { value: string }; series?: { categories: string[] }; total: number }[];
  // Top to bottom as laid out on the canvas (the KPI moved above the bar), not in the order added.
  expect(widgets.map((w) => [w.kind, w.title])).toEqual([['kpi', '销售额合计'], ['bar', '各区域销售额'], ['table', '各城市销售']]);
  expect(widgets.map((w) => w.id)).toEqual([kpi.id, bar.id, table.id]);
  expect(widgets.map((w) => w.error)).toEqual(['', '', '']);
  expect(widgets[0]!.kpi!.value).toBe(webKpi);
  expect(numberIn(widgets[0]!.kpi!.value)).toBeCloseTo(await sumOf('true'), 1);
  expect([...widgets[1]!.series!.categories].sort()).toEqual((await sql('SELECT DISTINCT "区域" AS v FROM sample_sales')).map((r) => String(r.v)).sort());
  expect(widgets[2]!.total).toBe(await distinct('城市', '"产品类别" IS NOT NULL'));
  page.onUnload();
});
