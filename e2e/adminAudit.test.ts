import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startE2E, type E2E } from './fixture.js';

let e: E2E;
let adminToken: string;
let lisiId: string;

beforeAll(async () => {
  e = await startE2E();
  const adminId = await e.user('admin', 'admin', 'admin-password-1');
  lisiId = await e.user('lisi', 'viewer', 'lisi-password-1');
  adminToken = (await e.deps.sessions.open(adminId, 'password', 'api')).token;
});
afterAll(async () => e?.close());

async function api(method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(`${e.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status, `${method} ${url}`).toBe(200);
  return (await res.json()).data;
}

async function login(page: Page): Promise<void> {
  await page.goto(e.url);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('admin-password-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

it('a saved data source asks for its password again when its host changes', async () => {
  const page = await e.newPage();
  await login(page);
  await page.getByTestId('menu-datasources').click();
  await page.getByTestId('datasource-new').click();
  await page.getByTestId('datasource-name').fill('生产库');
  await page.getByTestId('datasource-database').fill('sales');
  await page.getByTestId('datasource-user').fill('reader');
  await page.getByTestId('datasource-password').fill('stored-secret-1');
  await page.getByTestId('datasource-save').click();
  await page.getByRole('cell', { name: '生产库' }).waitFor();

  await page.getByRole('row', { name: /生产库/ }).getByRole('button', { name: '编辑' }).click();
  await expect.poll(() => page.getByText('留空则保留已保存的密码').count()).toBe(1);
  await page.getByTestId('datasource-host').fill('10.9.9.9');
  await expect.poll(() => page.getByText('已修改连接设置，请重新输入密码').count()).toBeGreaterThan(0);
  await page.getByTestId('datasource-test').click();
  // The form stops before asking the server: the password field is marked as required.
  await page.locator('.ant-form-item-has-error').getByText('请输入密码').waitFor();
  await expect(page.getByTestId('datasource-test-result').count()).resolves.toBe(0);
  await e.shot(page, 'audit-01-datasource-password-again');
});

it('the audit page says who did what to which object, in words, without ids', async () => {
  const report = await api('POST', '/api/reports', { name: '季度汇总', definition: { widgets: [], filters: [] } });
  await api('PUT', `/api/reports/${report.id}/grants`, { users: [lisiId], groups: [] });
  await api('DELETE', `/api/reports/${report.id}`);

  const page = await e.newPage();
  await login(page);
  await page.goto(`${e.url}/audit`);
  const table = page.getByTestId('audit-table');
  await table.getByText('删除报表').waitFor();
  for (const words of ['添加数据源', '新建报表', '修改报表授权', '数据源「生产库」', '报表「季度汇总」', '新授权用户：lisi']) {
    await expect.poll(() => table.getByText(words).count(), { message: words }).toBeGreaterThan(0);
  }
  const text = await table.innerText();
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  expect(text).not.toMatch(/report\.|datasource\.|\{"/);
  await e.shot(page, 'audit-02-log-in-words');

  await page.getByTestId('audit-filter-actor').fill('nobody');
  await page.getByTestId('audit-filter-actor').press('Enter');
  await expect.poll(() => table.getByText('删除报表').count()).toBe(0);
});
