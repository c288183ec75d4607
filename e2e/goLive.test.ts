import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startE2E, type E2E } from './fixture.js';

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
  await e.user('admin', 'admin', 'admin-password-1');
});
afterAll(async () => e?.close());

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto(e.url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

it('the reviewer account is made with a button, its credentials shown once ready to paste; it sees one report; removed after release', async () => {
  const page = await e.newPage();
  await login(page, 'admin', 'admin-password-1');
  await page.getByTestId('menu-wecom-settings').click();
  await page.getByTestId('reviewer-create').click();

  const box = page.getByTestId('reviewer-credentials');
  await box.waitFor();
  await box.getByText('提交审核').waitFor();
  await box.getByText('密码只显示这一次').waitFor();
  const username = (await page.getByTestId('reviewer-username').innerText()).trim();
  const password = (await page.getByTestId('reviewer-password').innerText()).trim();
  expect(username).toMatch(/^wx-reviewer-[a-z0-9]{6}$/);
  expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
  await e.shot(page, 'golive-01-reviewer-credentials');
  await page.getByTestId('reviewer-credentials-close').click();
  await page.getByTestId('reviewer-account').getByText(username).waitFor();

  // The reviewer, in another browser: one report, a bar chart and a table.
  const reviewer = await e.newPage();
  await login(reviewer, username, password);
  await reviewer.getByTestId('report-item').first().waitFor();
  expect(await reviewer.getByTestId('report-item-name').allInnerTexts()).toEqual(['示例报表']);
  await reviewer.getByTestId('report-item-name').click();
  await reviewer.getByTestId('widget-table').getByText('华东').waitFor();
  await reviewer.getByTestId('widget-bar').locator('canvas').waitFor();
  await e.shot(reviewer, 'golive-02-reviewer-report');

  // After release: removed, and the card offers a new one for the next version.
  await page.getByTestId('reviewer-remove').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await page.getByTestId('reviewer-create').waitFor();
  await page.getByText('上一个审核测试账号已在发布后删除').waitFor();
  await reviewer.reload();
  await reviewer.getByTestId('login-username').waitFor();
});

it('上线检查 lists every check with ✓ / ✗ and what to do', async () => {
  const page = await e.newPage();
  await login(page, 'admin', 'admin-password-1');
  await page.getByTestId('menu-doctor').click();
  await page.getByTestId('doctor-url').fill('http://bi.example.com');
  await page.getByText('应为 https 域名').waitFor();
  expect(await page.getByTestId('doctor-run').isDisabled()).toBe(true);
  // A name that never resolves: the outside checks stop at DNS, the inside ones still run.
  await page.getByTestId('doctor-url').fill('https://shulan-e2e.invalid');
  await page.getByTestId('doctor-run').click();
  const report = page.getByTestId('doctor-report');
  await report.waitFor();
  expect(await report.getAttribute('data-ok')).toBe('false');
  // 13 single-server checks plus Redis and the instances (docs/scale.md).
  expect(await page.locator('[data-testid^="doctor-check-"]').count()).toBe(15);
  expect(await page.getByTestId('doctor-check-redis').getAttribute('data-status')).toBe('ok');
  expect(await page.getByTestId('doctor-check-dns').getAttribute('data-status')).toBe('fail');
  await page.getByTestId('doctor-check-dns').getByText('A 记录').waitFor();
  expect(await page.getByTestId('doctor-check-tls_certificate').getAttribute('data-status')).toBe('skip');
  // The reviewer was removed in the test above, which the settings remember as released.
  expect(await page.getByTestId('doctor-released').isChecked()).toBe(true);
  expect(await page.getByTestId('doctor-check-reviewer').getAttribute('data-status')).toBe('ok');
  expect(await page.getByTestId('doctor-check-wecom_integration').getAttribute('data-status')).toBe('fail');
  await page.getByTestId('doctor-check-wecom_integration').getByText('企业微信集成：未开启').waitFor();
  await e.shot(page, 'golive-03-doctor');
});
