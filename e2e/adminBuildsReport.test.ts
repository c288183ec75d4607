import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId, nowIso } from '../server/src/lib/ids.js';
import { startE2E, type E2E } from './fixture.js';

let e: E2E;
let csvPath: string;

beforeAll(async () => {
  e = await startE2E();
  await e.user('admin', 'admin', 'admin-password-1');
  await e.user('lisi', 'viewer', 'lisi-password-1');
  // A report the viewer must never see.
  await e.deps.db
    .insertInto('reports')
    .values({ id: newId(), name: '机密：薪资汇总', description: null, definition_json: '{"widgets":[],"filters":[]}', created_by: null, created_at: nowIso(), updated_at: nowIso() })
    .execute();
  const rows = ['区域,产品,销售额'];
  const regions = ['华东', '华南', '华北', '西南'];
  for (let i = 0; i < 40; i++) rows.push(`${regions[i % 4]},产品${i % 7},${100 + i * 10}`);
  csvPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-e2e-csv-')), '区域销售.csv');
  fs.writeFileSync(csvPath, `${rows.join('\n')}\n`);
});
afterAll(async () => e?.close());

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto(e.url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

it('admin uploads a CSV, builds a bar chart and a table, grants it; the viewer sees exactly that report', async () => {
  const admin = await e.newPage();
  await login(admin, 'admin', 'admin-password-1');
  await e.shot(admin, '01-admin-home');

  // Upload: preview with inferred types, then import as a dataset.
  await admin.getByTestId('menu-datasources').click();
  await admin.getByTestId('upload-input').setInputFiles(csvPath);
  await admin.getByTestId('upload-import').waitFor();
  await expect.poll(() => admin.getByText('华东').count()).toBeGreaterThan(0);
  await e.shot(admin, '02-upload-preview');
  await admin.getByTestId('upload-name').fill('区域销售');
  // A bad value blanks its cell by default; the last step counts what was imported.
  expect(await admin.getByTestId('upload-bad-values').locator('input[value="blank"]').isChecked()).toBe(true);
  await admin.getByTestId('upload-import').click();
  await admin.getByTestId('upload-counts').waitFor();
  expect(await admin.getByTestId('upload-count-imported').textContent()).toBe('40');
  expect(await admin.getByTestId('upload-count-skipped').textContent()).toBe('0');
  expect(await admin.getByTestId('upload-count-blanked').textContent()).toBe('0');
  await admin.getByTestId('upload-done').click();

  // Report with a bar chart and a table over the new dataset.
  await admin.getByTestId('menu-reports').click();
  await admin.getByTestId('report-new').click();
  await admin.getByTestId('report-name').fill('区域销售分析');
  await admin.getByTestId('widget-add-bar').click();
  await admin.getByTestId('widget-add-table').click();
  await expect.poll(() => admin.locator('[data-testid="widget-preview"] canvas').count()).toBeGreaterThan(0);
  await e.shot(admin, '03-report-editor');
  await admin.getByTestId('save-report').click();
  await admin.waitForURL(/\/reports\/[^/]+\/edit/);

  // Grant it to the viewer.
  await admin.getByTestId('tab-grants').click();
  await admin.getByTestId('grant-users').click();
  await admin.keyboard.type('lisi');
  await admin.locator('.ant-select-item-option').filter({ hasText: 'lisi' }).first().click();
  await admin.keyboard.press('Escape');
  await admin.getByTestId('grant-save').click();
  await expect.poll(async () => (await e.deps.db.selectFrom('report_grants').selectAll().execute()).length).toBe(1);

  await admin.getByTestId('report-open').click();
  await admin.getByTestId('widget-bar').locator('canvas').first().waitFor();
  await expect.poll(() => admin.getByTestId('widget-table').getByText('华东').count()).toBeGreaterThan(0);
  await e.shot(admin, '04-report-admin');

  // The viewer: only the granted report, with its data.
  const viewer = await e.newPage();
  await login(viewer, 'lisi', 'lisi-password-1');
  await viewer.getByTestId('report-item').first().waitFor();
  const names = await viewer.getByTestId('report-item-name').allTextContents();
  expect(names).toEqual(['区域销售分析']);
  await expect(viewer.getByTestId('menu-datasources').count()).resolves.toBe(0);
  await e.shot(viewer, '05-viewer-list');
  await viewer.getByTestId('report-item').first().click();
  await viewer.getByTestId('widget-bar').locator('canvas').first().waitFor();
  await expect.poll(() => viewer.getByTestId('widget-table').getByText('华东').count()).toBeGreaterThan(0);
  await e.shot(viewer, '06-viewer-report');

  // Typing the URL of the other report does not reveal it.
  const secret = await e.deps.db.selectFrom('reports').select('id').where('name', '=', '机密：薪资汇总').executeTakeFirstOrThrow();
  await viewer.goto(`${e.url}/reports/${secret.id}`);
  // Wait for the page's answer first: a 1 s poll right after goto raced the page load on a busy machine.
  await viewer.locator('.ant-result, .ant-alert').first().waitFor();
  expect(await viewer.getByText('机密：薪资汇总').count()).toBe(0);
  await e.shot(viewer, '07-viewer-forbidden');
});

it('admin writes a SQL dataset with completion over the upload, runs it, and adds a calculated field checked as typed', async () => {
  const admin = await e.newPage();
  await login(admin, 'admin', 'admin-password-1');
  await admin.getByTestId('menu-datasets').click();
  await admin.getByTestId('dataset-new').click();
  await admin.getByTestId('dataset-name').fill('区域汇总');
  await admin.getByTestId('dataset-source').click();
  await admin.locator('.ant-select-item-option').filter({ hasText: '上传的数据' }).first().click();
  await admin.getByText('编写 SQL').click();

  // The schema browser shows the upload by its display name, never its t_<hash>.
  await admin.getByTestId('sql-schema').getByText('区域销售').waitFor();
  await admin.getByTestId('sql-editor').locator('.cm-content').click();
  await admin.keyboard.type('SELECT "区域", sum("销售额") AS total FROM ');
  // Completion from the source's schema: the table, quoted as it must be.
  await admin.keyboard.press('Control+Space');
  await admin.locator('.cm-tooltip-autocomplete li').filter({ hasText: '区域销售' }).first().click();
  await admin.keyboard.type(' GROUP BY 1 ORDER BY 1');
  await expect.poll(() => admin.getByTestId('sql-editor').locator('.cm-content').textContent()).toBe('SELECT "区域", sum("销售额") AS total FROM "区域销售" GROUP BY 1 ORDER BY 1');
  await admin.getByTestId('sql-run').click();
  await expect.poll(() => admin.getByTestId('sql-result').locator('.ant-table-row').count()).toBe(4);
  // 华东 is every 4th of 40 rows: 100 + 10·(0, 4, …, 36) = 10 × 100 + 10 × 180.
  await expect.poll(() => admin.getByTestId('sql-result').getByText('2800').count()).toBe(1);
  await e.shot(admin, '08-sql-editor');

  // A mistake is shown at its line and column.
  await admin.getByTestId('sql-editor').locator('.cm-content').click();
  await admin.keyboard.press('Control+End');
  await admin.keyboard.type(' nope');
  await admin.getByTestId('sql-run').click();
  await expect.poll(() => admin.getByTestId('sql-result').textContent()).toMatch(/第 1 行第 \d+ 列：/);
  await admin.getByTestId('sql-editor').locator('.cm-content').click();
  await admin.keyboard.press('Control+End');
  for (let i = 0; i < ' nope'.length; i++) await admin.keyboard.press('Backspace');
  await admin.locator('.ant-modal-footer .ant-btn-primary').click();
  await expect.poll(async () => (await e.deps.db.selectFrom('datasets').select('sql').where('name', '=', '区域汇总').executeTakeFirst())?.sql ?? '').toMatch(/FROM "t_[0-9a-z_]+" GROUP BY 1/);

  // A calculated field on the uploaded table's dataset, checked while typing.
  await admin.getByText('区域销售', { exact: true }).first().click();
  await admin.getByRole('tab', { name: '计算字段' }).click();
  await admin.getByTestId('calc-add').click();
  await admin.getByTestId('calc-name').fill('平均销售额');
  await admin.getByTestId('calc-expression').fill('SUM([销售额]) / COUNT([销量])');
  await expect.poll(() => admin.getByTestId('calc-check').textContent()).toContain('第 20 个字符：未知字段 [销量]');
  // Typed again with the suggestions: a function's first letters and Enter, a field after "[".
  await admin.getByTestId('calc-expression').fill('');
  await admin.getByTestId('calc-expression').pressSequentially('su');
  await admin.getByTestId('calc-suggestion').filter({ hasText: 'SUM(' }).waitFor();
  await admin.keyboard.press('Enter');
  await admin.keyboard.type('[销售');
  await expect.poll(() => admin.getByTestId('calc-suggestion').first().textContent()).toContain('[销售额]');
  await admin.keyboard.press('Enter');
  await admin.keyboard.type(') / co');
  await expect.poll(() => admin.getByTestId('calc-suggestion').first().textContent()).toContain('COUNT(');
  await admin.keyboard.press('Enter');
  await admin.keyboard.type(')');
  expect(await admin.getByTestId('calc-expression').inputValue()).toBe('SUM([销售额]) / COUNT()');
  await expect.poll(() => admin.getByTestId('calc-check').textContent()).toContain('结果为数值');
  await admin.getByTestId('calc-save').click();
  await expect.poll(async () => (await e.deps.db.selectFrom('datasets').select('calculated_fields_json').where('name', '=', '区域销售').executeTakeFirst())?.calculated_fields_json).toBe(
    JSON.stringify([{ name: '平均销售额', expression: 'SUM([销售额]) / COUNT()' }]),
  );
  await e.shot(admin, '09-calculated-field');
});
