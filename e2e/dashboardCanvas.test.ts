import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedSampleContent } from '../server/src/sample/seedSampleContent.js';
import { login, resizeBy } from './dashboardHelpers.js';
import { startE2E, type E2E } from './fixture.js';

// Building a dashboard the way a DataEase / FineBI user would: widgets on a 12-column canvas,
// fields dragged from the fields panel onto the slots of the side panel, a widget resized by its
// corner handle, undo/redo, duplicate, a title text, save, reopen, view.

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  const adminId = await e.user('admin', 'admin', 'admin-password-1');
  await seedSampleContent(e.deps, adminId); // the dataset 示例：销售数据 (日期, 区域, 城市, 产品类别, 产品, 销量, 销售额)
});
afterAll(async () => e?.close());

const savedDefinition = async (id: string) =>
  JSON.parse((await e.deps.db.selectFrom('reports').select('definition_json').where('id', '=', id).executeTakeFirstOrThrow()).definition_json) as {
    widgets: { id: string; kind: string; layout: { x: number; y: number; w: number; h: number }; query?: any; options?: any }[];
  };

const canvasWidgets = (page: Page) => page.getByTestId('canvas-widget');
const widthInput = (page: Page) => page.locator('input[data-testid="layout-width"], [data-testid="layout-width"] input').first();

let page: Page;
let id: string;
let saved: Awaited<ReturnType<typeof savedDefinition>>;

it('builds a dashboard by dragging fields and resizing, with undo/redo and duplicate, and saves it', async () => {
  page = await e.newPage();
  await login(page, e.url, 'admin', 'admin-password-1');
  await page.goto(`${e.url}/reports/new`);
  await page.getByTestId('report-name').fill('华东经营看板');

  // A bar chart: it opens selected, on the sample dataset, grouped by 区域 (the default).
  await page.getByTestId('widget-add-bar').click();
  await page.getByTestId('widget-panel').waitFor();
  await page.getByTestId('slot-dimension-item').filter({ hasText: '区域' }).waitFor();
  await page.getByTestId('slot-dimension-item').getByRole('button').click();
  await expect.poll(() => page.getByTestId('slot-dimension-item').count()).toBe(0);

  // Fields dragged onto the slots: 产品 as the dimension, 销售额 as a second measure next to the
  // default 销量 (summed: a number), 城市 as a filter.
  await page.dragAndDrop('[data-testid="field-产品"]', '[data-testid="slot-dimension"]');
  await page.getByTestId('slot-dimension-item').filter({ hasText: '产品' }).waitFor();
  await page.dragAndDrop('[data-testid="field-销售额"]', '[data-testid="slot-measure"]');
  await expect.poll(() => page.getByTestId('slot-measure-item').count()).toBe(2);
  await expect.poll(() => page.getByTestId('slot-measure-item').nth(1).getByTestId('measure-agg').textContent()).toBe('求和');
  await page.dragAndDrop('[data-testid="field-城市"]', '[data-testid="slot-filter"]');
  await page.getByTestId('slot-filter-item').filter({ hasText: '城市' }).waitFor();
  // The chart redraws in place from the draft.
  const bar = canvasWidgets(page).first();
  await bar.locator('canvas').first().waitFor();

  // Resize by the corner handle: 6 → 9 columns.
  expect(await widthInput(page).inputValue()).toBe('6');
  await resizeBy(page, bar, 3);
  await expect.poll(() => widthInput(page).inputValue()).toBe('9');

  // Undo / redo from the keyboard, then from the toolbar.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect.poll(() => bar.evaluate((el) => Math.round(el.getBoundingClientRect().width))).toBeLessThan(700);
  await bar.click();
  expect(await widthInput(page).inputValue()).toBe('6');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => widthInput(page).inputValue()).toBe('9');
  await page.getByTestId('editor-undo').click();
  await expect.poll(() => widthInput(page).inputValue()).toBe('6');
  await page.getByTestId('editor-redo').click();
  await expect.poll(() => widthInput(page).inputValue()).toBe('9');

  // Duplicate: a second bar chart with the same fields, selected.
  await page.getByTestId('widget-duplicate').click();
  await expect.poll(() => canvasWidgets(page).count()).toBe(2);
  await expect.poll(() => page.getByTestId('slot-dimension-item').textContent()).toContain('产品');

  // A KPI card, its measure added with the click alternative (the field's + menu).
  await page.getByTestId('widget-add-kpi').click();
  await expect.poll(() => page.getByTestId('slot-measure-item').textContent()).toContain('销量');
  await page.getByTestId('field-add-销售额').click();
  await page.getByRole('menuitem', { name: '添加为度量' }).click();
  await expect.poll(() => page.getByTestId('slot-measure-item').textContent()).toContain('销售额');

  // A title text: plain text, markup shown as typed.
  await page.getByTestId('widget-add-text').click();
  await page.getByTestId('fields-empty').waitFor(); // a text widget has no dataset
  await page.getByTestId('text-widget-text').fill('华东经营看板 <b>2025</b>');
  await expect.poll(() => page.getByTestId('text-widget-title').textContent()).toBe('华东经营看板 <b>2025</b>');
  await e.shot(page, 'canvas-01-editor');

  await page.getByTestId('save-report').click();
  await page.waitForURL(/\/reports\/[^/]+\/edit/);
  id = page.url().split('/reports/')[1]!.split('/')[0]!;
  saved = await savedDefinition(id);
  expect(saved.widgets.map((w) => w.kind)).toEqual(['text', 'bar', 'bar', 'kpi']);
  const [text, chart, copy, kpi] = saved.widgets;
  expect(text!.layout).toMatchObject({ x: 0, y: 0, w: 12 }); // a new title goes on top
  expect(chart!.layout.w).toBe(9);
  expect(chart!.query.dimensions).toEqual([{ field: '产品' }]);
  expect(chart!.query.measures).toEqual([{ field: '销量', agg: 'sum' }, { field: '销售额', agg: 'sum' }]);
  expect(chart!.query.filters).toEqual([{ field: '城市', op: 'not_null' }]);
  expect(copy!.id).not.toBe(chart!.id);
  expect(copy!.query).toEqual(chart!.query);
  expect(copy!.layout.y).toBeGreaterThanOrEqual(chart!.layout.y + chart!.layout.h);
  expect(kpi!.query.measures).toEqual([{ field: '销售额', agg: 'sum' }]);
  expect(text).toMatchObject({ options: { text: '华东经营看板 <b>2025</b>', textStyle: 'title' } });
  expect(text).not.toHaveProperty('datasetId');
});

it('reopens the same canvas, asks before dropping unsaved changes, and shows the layout on wide and narrow screens', async () => {
  const [text, chart, copy, kpi] = saved.widgets;
  // Reopen: the same canvas.
  await page.reload();
  await canvasWidgets(page).nth(3).waitFor();
  await expect.poll(() => canvasWidgets(page).count()).toBe(4);
  await expect.poll(() => page.getByTestId('text-widget-title').textContent()).toBe('华东经营看板 <b>2025</b>');
  await expect.poll(() => page.getByTestId('editor-dirty').count()).toBe(0);

  // An unsaved change asks before leaving; staying keeps it, leaving drops it.
  await canvasWidgets(page).filter({ has: page.getByTestId('text-widget-title') }).click();
  await page.getByTestId('text-widget-text').fill('未保存的标题');
  await page.getByTestId('report-open').click();
  await page.getByRole('button', { name: '留在这里' }).click();
  // One dialog, and it is gone: nothing left over the page.
  await page.getByRole('button', { name: '留在这里' }).waitFor({ state: 'detached' });
  expect(page.url()).toContain('/edit');
  await page.getByTestId('report-open').click();
  await page.getByRole('button', { name: '放弃修改并离开' }).click();
  await page.waitForURL(new RegExp(`/reports/${id}$`));

  // The report page: the same grid, read-only; the title as text.
  await page.getByTestId('report-title').waitFor();
  await expect.poll(() => page.getByTestId('text-widget-title').textContent()).toBe('华东经营看板 <b>2025</b>');
  await page.getByTestId('widget-bar').first().locator('canvas').first().waitFor();
  const cell = page.locator(`.widget-cell[data-widget-id="${chart!.id}"]`);
  expect(await cell.evaluate((el) => getComputedStyle(el).gridColumnEnd)).toBe('span 9');
  await page.getByTestId('kpi-value').waitFor();
  await e.shot(page, 'canvas-02-view');

  // A narrow screen stacks the same widgets in reading order, none over another.
  await page.setViewportSize({ width: 390, height: 844 });
  const boxes = await page.locator('.widget-cell').evaluateAll((els) => els.map((el) => {
    const r = el.getBoundingClientRect();
    return { id: el.getAttribute('data-widget-id'), top: Math.round(r.top), bottom: Math.round(r.bottom) };
  }));
  expect(boxes.map((b) => b.id)).toEqual([text!.id, chart!.id, copy!.id, kpi!.id]);
  boxes.slice(1).forEach((b, i) => expect(b.top).toBeGreaterThanOrEqual(boxes[i]!.bottom));
});

it('keeps a widget’s settings across a kind change, takes fields dropped straight onto a canvas widget, and undoes that', async () => {
  const p = await e.newPage();
  await login(p, e.url, 'admin', 'admin-password-1');
  await p.goto(`${e.url}/reports/new`);

  // A bar chart (区域 × 销量) with a title and a limit, turned into a table: both stay, and the
  // table aggregates the same query instead of listing raw rows.
  await p.getByTestId('widget-add-bar').click();
  await p.getByTestId('widget-title').fill('各区域');
  await p.getByTestId('slot-dimension-item').filter({ hasText: '区域' }).waitFor();
  await p.getByTestId('widget-kind').click();
  await p.locator('.ant-select-item-option').filter({ hasText: /^表格$/ }).click();
  await p.locator('[data-testid="canvas-widget"][data-kind="table"]').waitFor();
  expect(await p.getByTestId('widget-title').inputValue()).toBe('各区域');
  await expect.poll(() => p.getByTestId('slot-dimension-item').textContent()).toContain('区域');
  const table = p.locator('[data-testid="canvas-widget"][data-kind="table"]');
  await expect.poll(() => table.locator('th').allTextContents()).toEqual(['区域', '销量 合计']);

  // A KPI card is selected, so the fields panel shows the sample dataset; 销售额 (a number) and
  // 产品 (text) dropped on the table join it as a summed measure and a dimension.
  await p.getByTestId('widget-add-kpi').click();
  await p.locator('[data-testid="canvas-widget"][data-kind="kpi"]').waitFor();
  await p.dragAndDrop('[data-testid="field-销售额"]', '[data-testid="canvas-widget"][data-kind="table"] [data-testid="widget-preview"]');
  await expect.poll(() => table.locator('th').allTextContents()).toEqual(['区域', '销量 合计', '销售额 合计']);
  expect(await table.getAttribute('aria-selected')).toBe('true'); // the widget dropped on is selected
  await p.dragAndDrop('[data-testid="field-产品"]', '[data-testid="canvas-widget"][data-kind="table"] [data-testid="widget-preview"]');
  await expect.poll(() => table.locator('th').allTextContents()).toEqual(['区域', '产品', '销量 合计', '销售额 合计']);

  // Undo takes the drops back one by one, like any other edit.
  await p.getByTestId('editor-undo').click();
  await expect.poll(() => table.locator('th').allTextContents()).toEqual(['区域', '销量 合计', '销售额 合计']);
  await p.getByTestId('editor-undo').click();
  await expect.poll(() => table.locator('th').allTextContents()).toEqual(['区域', '销量 合计']);

  // A field the widget already has, or dropped on a text block, is refused in words.
  await table.click();
  await p.dragAndDrop('[data-testid="field-区域"]', '[data-testid="canvas-widget"][data-kind="table"] [data-testid="widget-preview"]');
  await p.locator('.ant-message').getByText('「区域」没有加入「各区域」').waitFor();
  await p.getByTestId('widget-add-text').click();
  await table.click();
  await p.dragAndDrop('[data-testid="field-销量"]', '[data-testid="canvas-widget"][data-kind="text"] [data-testid="widget-preview"]');
  await p.locator('.ant-message').getByText('文本组件不显示数据，不能放入字段「销量」').waitFor();
  await e.shot(p, 'canvas-03-field-dropped');
  await p.close();
});
