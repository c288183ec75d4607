import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startE2E, type E2E } from './fixture.js';

// The upload dialog: progress of a large file (上传中 → 分析中, with a percent), and importing
// every sheet of a workbook in one step, with the result of each sheet on the last step.

let e: E2E;
let dir: string;

beforeAll(async () => {
  e = await startE2E();
  await e.user('admin', 'admin', 'admin-password-1');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-e2e-upload-'));
});
afterAll(async () => {
  await e?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function openDatasources(): Promise<Page> {
  const page = await e.newPage();
  await page.goto(e.url);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('admin-password-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  await page.getByTestId('menu-datasources').click();
  return page;
}

it('shows 上传中 with the percent sent while a large CSV goes out, then 分析中 while the server reads it', async () => {
  const file = path.join(dir, '大文件.csv');
  const out = fs.createWriteStream(file);
  out.write('城市,金额,备注\n');
  // About 12 MB: long enough to read that the dialog can ask the server how far it has got.
  for (let i = 0; i < 300_000; i++) out.write(`城市${i % 300},${i % 1000}.${String(i % 100).padStart(2, '0')},备注文字${i}\n`);
  await new Promise<void>((resolve) => out.end(resolve));

  const page = await openDatasources();
  // Slow the upload to about 4 MB/s so its progress is visible on a fast loopback.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * 1024 * 1024 });

  const phases = new Set<string>();
  const percents: number[] = [];
  await page.getByTestId('upload-input').setInputFiles(file);
  // Record what the dialog shows until the preview is there.
  while ((await page.getByTestId('upload-import').count()) === 0) {
    const phase = await page.getByTestId('upload-phase').textContent({ timeout: 200 }).catch(() => null);
    if (phase && !phases.has(phase)) {
      phases.add(phase);
      await e.shot(page, `upload-progress-${phase === '上传中' ? 'uploading' : 'analyzing'}`);
    }
    const pct = await page.getByTestId('upload-percent').textContent({ timeout: 50 }).catch(() => null);
    if (pct) percents.push(Number(pct.replace('%', '')));
  }
  expect(phases.has('上传中')).toBe(true);
  expect(phases.has('分析中')).toBe(true);
  expect(percents.some((p) => p > 0 && p < 100)).toBe(true);
  await expect.poll(() => page.getByText('300000 行', { exact: false }).count()).toBeGreaterThan(0);
  await page.close();
});

it('imports every sheet of a workbook in one step, listing the sheet that could not be imported with its reason', async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('华东').addRows([
    ['城市', '销售额'],
    ['上海', 100],
    ['杭州', 80],
  ]);
  wb.addWorksheet('备注').addRow(['说明']);
  wb.addWorksheet('华南').addRows([
    ['城市', '销售额'],
    ['广州', 90],
    ['广州', 70],
    ['深圳', 60],
    ['深圳', 50],
    ['佛山', 40],
    // Five of six are numbers, so the column is numeric and this one does not fit.
    ['深圳', '未知'],
  ]);
  const file = path.join(dir, '区域.xlsx');
  await wb.xlsx.writeFile(file);

  const page = await openDatasources();
  await page.getByTestId('upload-input').setInputFiles(file);
  await page.getByTestId('upload-mode').waitFor();
  await page.getByTestId('upload-mode').getByText('导入全部工作表（3 个）').click();
  await page.getByTestId('upload-all-hint').waitFor();
  await e.shot(page, 'upload-every-sheet-preview');
  // Every sheet: no name to type, no table to pick.
  expect(await page.getByTestId('upload-name').count()).toBe(0);
  expect(await page.getByTestId('upload-import').textContent()).toBe('导入全部 3 个工作表');
  await page.getByTestId('upload-bad-values').locator('input[value="skip"]').check();
  await page.getByTestId('upload-import').click();

  await page.getByTestId('upload-sheet-results').waitFor({ timeout: 60_000 });
  await e.shot(page, 'upload-every-sheet');
  expect(await page.getByText('已导入 2 个工作表，1 个未导入').count()).toBe(1);
  const row = (sheet: string) => page.getByTestId(`upload-sheet-result-${sheet}`).locator('td');
  expect(await row('华东').allTextContents()).toEqual(expect.arrayContaining(['华东', '区域 - 华东', '2', '0', '已导入']));
  expect(await row('华南').allTextContents()).toEqual(expect.arrayContaining(['华南', '区域 - 华南', '5', '1', '已导入，1 处值不符合列类型']));
  expect((await row('备注').allTextContents()).join(' ')).toContain('未导入：工作表只有表头，没有数据行');
  await page.getByTestId('upload-done').click();

  // Both datasets exist under their sheet names.
  const names = (await e.deps.db.selectFrom('datasets').select('name').execute()).map((d) => d.name);
  expect(names).toEqual(expect.arrayContaining(['区域 - 华东', '区域 - 华南']));
  expect(names).not.toContain('区域 - 备注');
  await page.close();
});
