import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../server/src/sample/seedSampleContent.js';
import { startE2E, type E2E } from './fixture.js';

// The web viewer reads like the phone: ★ on a report (the same favorites as the mini program's
// home tab) and a KPI card with its change against the previous period.

let e: E2E;
let viewerToken: string;
let reportId: string;

beforeAll(async () => {
  e = await startE2E();
  const adminId = await e.user('admin', 'admin', 'admin-password-1');
  const viewerId = await e.user('wangwu', 'viewer', 'wangwu-password-1');
  viewerToken = (await e.deps.sessions.open(viewerId, 'password', 'api')).token;
  const adminToken = (await e.deps.sessions.open(adminId, 'password', 'api')).token;
  await seedSampleContent(e.deps, adminId);
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${e.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status, `${method} ${url}`).toBe(200);
    return ((await res.json()) as { data: any }).data;
  };
  const sample = (await api('GET', '/api/reports')).items.find((r: any) => r.name === SAMPLE_REPORT_NAME);
  const definition = (await api('GET', `/api/reports/${sample.id}`)).definition;
  definition.filters.find((f: any) => f.id === 'date').default = { from: '2025-03-01', to: '2025-03-31' };
  definition.widgets.find((w: any) => w.id === 'total_amount').options.compare = 'previous_period';
  reportId = (await api('POST', '/api/reports', { name: '三月环比', definition })).id;
  await api('PUT', `/api/reports/${reportId}/grants`, { users: [viewerId], groups: [] });
  await api('PUT', `/api/reports/${sample.id}/grants`, { users: [viewerId], groups: [] });
});
afterAll(async () => e?.close());

it('a viewer stars a report on the web and sees KPI change coloured the Chinese way', async () => {
  const page = await e.newPage();
  await page.goto(e.url);
  await page.getByTestId('login-username').fill('wangwu');
  await page.getByTestId('login-password').fill('wangwu-password-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  await page.goto(`${e.url}/reports/${reportId}`);

  const change = page.getByTestId('kpi-change');
  await change.first().waitFor();
  expect(await change.count()).toBe(1); // only the KPI that asks for it
  const res0 = await fetch(`${e.url}/api/reports/${reportId}/widgets/total_amount/data`, {
    method: 'POST',
    headers: { authorization: `Bearer ${viewerToken}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const ratio: number = ((await res0.json()) as any).data.comparison.changeRatio;
  const up = ratio > 0;
  expect(await change.first().textContent()).toBe(`${up ? '▲' : '▼'} ${(Math.abs(ratio) * 100).toFixed(1)}%较上期`);
  // Up red, down green (Chinese convention).
  const color = await change.first().evaluate((el) => getComputedStyle(el).color);
  expect(color).toBe(up ? 'rgb(213, 73, 65)' : 'rgb(43, 164, 113)');

  const star = page.getByTestId('report-favorite');
  expect(await star.getAttribute('aria-pressed')).toBe('false');
  await star.click();
  await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');
  // The phone's favorites tab reads this same list.
  const res = await fetch(`${e.url}/api/favorites`, { headers: { authorization: `Bearer ${viewerToken}` } });
  expect(((await res.json()) as any).data.items.map((r: any) => r.id)).toEqual([reportId]);
  await e.shot(page, 'reading-01-favorite-and-kpi-change');

  // The list puts it first with a star, and "my favorites" shows only starred reports.
  await page.goto(`${e.url}/reports`);
  await page.getByTestId('report-item-star').waitFor();
  expect(await page.getByTestId('report-item-name').first().textContent()).toBe('三月环比');
  expect(await page.getByTestId('report-item-star').count()).toBe(1);
  await page.getByTestId('report-show').getByText('我的收藏').click();
  await expect.poll(() => page.getByTestId('report-item').count()).toBe(1);
  await e.shot(page, 'reading-02-favorites-in-list');
});
