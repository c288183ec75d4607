import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../server/src/sample/seedSampleContent.js';
import { clickTallestBar as clickTallest, login, pickPreset } from './dashboardHelpers.js';
import { startE2E, type E2E } from './fixture.js';

// A viewer reads the sample report by clicking: drill down 区域 → 城市 → 产品 and back up, a click at
// the bottom filters the other widgets (联动), relative dates 本月 / 近 7 天, and a reload of the URL
// shows the same view. Every figure is checked against SQL run straight on the embedded store.

let e: E2E;
let reportId: string;
// The server's "today" for relative dates: 2025-06-18 noon in Shanghai, inside the sample year.
const NOW = new Date('2025-06-18T04:00:00Z');

beforeAll(async () => {
  e = await startE2E();
  const adminId = await e.user('admin', 'admin', 'admin-password-1');
  await seedSampleContent(e.deps, adminId);
  e.deps.clock = () => NOW;
  const token = (await e.deps.sessions.open(adminId, 'password', 'api')).token;
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${e.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status, `${method} ${url}`).toBe(200);
    return ((await res.json()) as { data: any }).data;
  };
  reportId = (await api('GET', '/api/reports')).items.find((r: any) => r.name === SAMPLE_REPORT_NAME).id;
  // The editor's hierarchy on the region bar (the settings component saves exactly this).
  const definition = (await api('GET', `/api/reports/${reportId}`)).definition;
  definition.widgets.find((w: any) => w.id === 'amount_by_region').options.drillFields = [{ field: '城市' }, { field: '产品' }];
  await api('PUT', `/api/reports/${reportId}`, { definition });
});
afterAll(async () => e?.close());

async function sql(text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await e.deps.connectors.embedded()).query(text, params);
}

/** The first category by sales under a WHERE clause, as the bar chart sorts them. */
async function top(field: string, where: string, params: unknown[]): Promise<string> {
  const rows = await sql(`SELECT "${field}" AS v, sum("销售额") AS s FROM sample_sales WHERE ${where} GROUP BY 1 ORDER BY s DESC LIMIT 1`, params);
  return String(rows[0]!.v);
}

const money = (n: number) => new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(n);

async function totalShown(page: Page): Promise<string> {
  return (await page.locator('[data-widget-id="total_amount"] [data-testid="kpi-value"]').textContent()) ?? '';
}

/** Waits until the 总销售额 card shows the sum SQL gives for the same rows. */
async function expectTotal(page: Page, where: string, params: unknown[] = []) {
  const [row] = await sql(`SELECT sum("销售额") AS s FROM sample_sales WHERE ${where}`, params);
  const want = row!.s === null ? '—' : `¥${money(Number(row!.s))}`;
  await expect.poll(() => totalShown(page), { timeout: 10_000 }).toBe(want);
}

async function crumbs(page: Page): Promise<string[]> {
  return page.locator('[data-widget-id="amount_by_region"] [data-testid="drill-crumb"]').allTextContents();
}

/** Clicks the tallest bar of the region chart once it shows `count` bars. */
const clickTallestBar = (page: Page, count: number) => clickTallest(page, page.locator('[data-widget-id="amount_by_region"]'), count);

async function distinct(field: string, where: string, params: unknown[]): Promise<number> {
  return Number((await sql(`SELECT count(DISTINCT "${field}") AS n FROM sample_sales WHERE ${where}`, params))[0]!.n);
}

it('drills down two levels and up, links the other widgets, filters by 本月 and 近 7 天, and a reload shows the same view', async () => {
  const page = await e.newPage();
  await login(page, e.url, 'admin', 'admin-password-1');
  const dataCalls: string[] = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (r.method() === 'POST' && /^\/api\/reports\/[^/]+\/(data|widgets\/[^/]+\/data)$/.test(p)) dataCalls.push(p);
  });
  await page.goto(`${e.url}/reports/${reportId}`);
  await expectTotal(page, 'true');
  expect(await crumbs(page)).toEqual(['全部']);
  // The whole dashboard opened with one report data call, not one call per widget.
  expect(dataCalls).toEqual([`/api/reports/${reportId}/data`]);

  // Drill: the biggest region, then its biggest city.
  const region = await top('区域', 'true', []);
  await clickTallestBar(page, await distinct('区域', 'true', []));
  await expect.poll(() => crumbs(page)).toEqual(['全部', region]);
  const city = await top('城市', '"区域" = $1', [region]);
  await clickTallestBar(page, await distinct('城市', '"区域" = $1', [region]));
  await expect.poll(() => crumbs(page)).toEqual(['全部', region, city]);
  await expectTotal(page, 'true'); // drilling one chart leaves the others as they were

  // At the bottom a click links: the other widgets narrow to that product in that city.
  const product = await top('产品', '"区域" = $1 AND "城市" = $2', [region, city]);
  await clickTallestBar(page, await distinct('产品', '"区域" = $1 AND "城市" = $2', [region, city]));
  await expect.poll(() => page.getByTestId('selection-chip').textContent()).toContain(`区域 = ${region} · 城市 = ${city} · 产品 = ${product}`);
  await expectTotal(page, '"区域" = $1 AND "城市" = $2 AND "产品" = $3', [region, city, product]);
  await e.shot(page, 'interaction-01-drilled-and-linked');

  // Up the breadcrumbs, one level then to the top; the linkage stays until cleared in one click.
  await page.locator('[data-widget-id="amount_by_region"] [data-testid="drill-crumb"]').nth(1).click();
  await expect.poll(() => crumbs(page)).toEqual(['全部', region]);
  await page.locator('[data-widget-id="amount_by_region"] [data-testid="drill-crumb"]').first().click();
  await expect.poll(() => crumbs(page)).toEqual(['全部']);
  await expectTotal(page, '"区域" = $1 AND "城市" = $2 AND "产品" = $3', [region, city, product]);
  await page.getByTestId('selection-clear').click();
  await expect.poll(() => page.getByTestId('selection-chip').count()).toBe(0);
  await expectTotal(page, 'true');

  // Relative dates, resolved by the server's calendar (2025-06-18 in Shanghai).
  await pickPreset(page, '本月');
  await expectTotal(page, `"日期" BETWEEN DATE '2025-06-01' AND DATE '2025-06-30'`);
  await pickPreset(page, '近 7 天');
  const week = `"日期" BETWEEN DATE '2025-06-12' AND DATE '2025-06-18'`;
  await expectTotal(page, week);

  // Drill once more under the filter, then reload the URL: the same view comes back.
  const weekRegion = await top('区域', week, []);
  await clickTallestBar(page, await distinct('区域', week, []));
  await expect.poll(() => crumbs(page)).toEqual(['全部', weekRegion]);
  const url = page.url();
  expect(url).toContain('drill=');
  await page.reload();
  await expectTotal(page, week);
  await expect.poll(() => crumbs(page)).toEqual(['全部', weekRegion]);
  expect(await page.getByTestId('filter-preset-date').textContent()).toContain('近 7 天');
  expect(page.url()).toBe(url);
  await e.shot(page, 'interaction-02-reloaded-view');
});
