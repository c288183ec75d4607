import { startSimulator } from '@shulan/wecom-sim';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../server/src/sample/seedSampleContent.js';
import { insertBinding } from '../server/src/wecom/bindingRepo.js';
import { APP_ID, CORP_ID, MP_SECRET, testCorp } from '../server/src/wecom/testing/wecomTestEnv.js';
import { writeWecomSettings } from '../server/src/wecom/wecomSettings.js';
import { startE2E, type E2E } from './fixture.js';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let e: E2E;
let reportId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  sim = await startSimulator({ corp: testCorp() });
  e = await startE2E({ env: { WECOM_API_BASE: sim.url } });
  const admin = await e.user('admin', 'admin', 'admin-password-1');
  await writeWecomSettings(e.deps.db, { enabled: true, corpId: CORP_ID, appId: APP_ID, secretEnc: e.deps.secretBox.encrypt(MP_SECRET) });
  await seedSampleContent(e.deps, admin);
  reportId = (await e.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  ids.reader = await e.user('reader', 'viewer', 'user-password-1');
  ids.outsider = await e.user('outsider', 'viewer', 'user-password-1');
  await e.deps.db.insertInto('report_grants').values({ report_id: reportId, subject_type: 'user', subject_id: ids.reader, created_at: new Date().toISOString() }).execute();
  for (const [user, member] of [['reader', 'lisi'], ['outsider', 'wangwu']] as const) {
    await e.deps.db.transaction().execute((trx) => insertBinding(trx, { userId: ids[user]!, wecomUserid: member, source: 'manual', matchedBy: null }));
  }
});
afterAll(async () => {
  await e?.close();
  await sim?.close();
});

async function pick(page: Page, testId: string, search: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(search);
  await page.locator('.ant-select-item-option').filter({ hasText: option }).first().click();
  await page.keyboard.press('Escape');
}

it('an editor subscribes two people to the report, sends the card now and sees who was skipped and why', async () => {
  const page = await e.newPage();
  await page.goto(e.url);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('admin-password-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  await page.goto(`${e.url}/reports/${reportId}`);

  await page.getByTestId('report-subscriptions').click();
  await page.getByTestId('subscription-add').click();
  await page.getByTestId('subscription-time').fill('07:30');
  await pick(page, 'subscription-users', 'reader', 'reader (reader)');
  await pick(page, 'subscription-users', 'outsider', 'outsider (outsider)');
  await page.getByRole('button', { name: /确\s*定|OK/ }).click();
  await page.getByText('每天 07:30').waitFor();
  await e.shot(page, 'report-cards-01-list');

  await page.getByTestId('subscription-send-now').click();
  await page.getByTestId('subscription-history').getByText('部分送达').waitFor();
  await page.getByTestId('subscription-history').getByRole('button', { name: /展开|Expand/ }).first().click();
  await page.getByText('无查看权限，已跳过').waitFor();
  expect(await page.getByTestId('subscription-history').textContent()).toContain('outsider (wangwu)');
  await e.shot(page, 'report-cards-02-history');

  const [m] = sim.controls.sentMessages();
  expect(m!.delivered).toEqual(['lisi']);
  expect((m!.request as any).miniprogram_notice.page).toBe(`pages/report/index?id=${reportId}`);
});
