import { afterAll, beforeAll, expect, it } from 'vitest';
import { startE2E, type E2E } from './fixture.js';

// Testing a connection whose account can write shows what it could do, next to the success.

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  await e.user('admin', 'admin', 'admin-password-1');
});
afterAll(async () => e?.close());

it('the connection test of a superuser account warns that it can do more than read', async () => {
  const page = await e.newPage();
  await page.goto(e.url);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('admin-password-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('menu-datasources').click();
  await page.getByTestId('datasource-new').click();
  await page.getByTestId('datasource-name').fill('生产库');
  // Host 127.0.0.1 and port 5432 are the form's defaults; the local server trusts loopback.
  await page.locator('#database').fill('postgres');
  await page.locator('#user').fill('postgres');
  await page.locator('#password').fill('unused');
  await page.getByTestId('datasource-test').click();

  const result = page.getByTestId('datasource-test-result');
  await expect.poll(() => result.textContent()).toMatch(/^连接成功 \(PostgreSQL/);
  const warnings = page.getByTestId('datasource-test-warnings');
  await expect.poll(() => warnings.textContent()).toContain('这个账号能做的不只是读取数据');
  await expect.poll(() => warnings.textContent()).toContain('账号 postgres 是超级用户');
  await e.shot(page, 'datasource-write-warning');
});
