import { startSimulator } from '@shulan/wecom-sim';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_REPORT_NAME, SAMPLE_TABLE, seedSampleContent } from '../server/src/sample/seedSampleContent.js';
import { insertBinding } from '../server/src/wecom/bindingRepo.js';
import { syncServiceFor } from '../server/src/wecom/sync/SyncService.js';
import { APP_ID, CORP_ID, MP_SECRET, testCorp } from '../server/src/wecom/testing/wecomTestEnv.js';
import { writeWecomSettings } from '../server/src/wecom/wecomSettings.js';
import { startE2E, type E2E } from './fixture.js';

/**
 * The org chart decides the numbers: 华东区 and 华南区 carry a region attribute, the sample
 * dataset shows each viewer only their region's rows; two people see two numbers, the admin
 * previews the report as one of them.
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let e: E2E;
let reportId: string;
const ids: Record<string, string> = {};

async function api(method: string, path: string, token: string, body: unknown) {
  const res = await fetch(`${e.url}/api${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

/** The KPI text the web app shows for a region's total (what SQL gives for that region). */
async function expectedKpi(region: string): Promise<string> {
  const store = await e.deps.connectors.embedded();
  const [row] = await store.query(`select sum("销售额") as v from ${SAMPLE_TABLE} where "区域" = $1`, [region]);
  return `¥${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(Number(row!.v))}`;
}

beforeAll(async () => {
  sim = await startSimulator({ corp: testCorp() });
  sim.controls.addDepartment({ id: 4, name: '华东区', parentid: 1 });
  sim.controls.addDepartment({ id: 5, name: '华南区', parentid: 1 });
  sim.controls.addMember({ userid: 'east', name: '东', department: [4] });
  sim.controls.addMember({ userid: 'south', name: '南', department: [5] });
  e = await startE2E({ env: { WECOM_API_BASE: sim.url } });
  ids.admin = await e.user('admin', 'admin', 'admin-password-1');
  await writeWecomSettings(e.deps.db, { enabled: true, corpId: CORP_ID, appId: APP_ID, secretEnc: e.deps.secretBox.encrypt(MP_SECRET) });
  const { done } = await syncServiceFor(e.deps).start('manual');
  expect((await done).status).toBe('ok');
  await seedSampleContent(e.deps, ids.admin);
  reportId = (await e.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  const datasetId = (await e.deps.db.selectFrom('datasets').select('id').executeTakeFirstOrThrow()).id;
  for (const name of ['east', 'south'] as const) {
    ids[name] = await e.user(name, 'viewer', `${name}-password-1`);
    await e.deps.db.transaction().execute((trx) => insertBinding(trx, { userId: ids[name]!, wecomUserid: name, source: 'manual', matchedBy: null }));
  }
  const groups = Object.fromEntries((await e.deps.db.selectFrom('groups').select(['id', 'name']).execute()).map((g) => [g.name, g.id]));
  // Set up through the admin API, as the permissions tab would save it.
  const token = (await e.deps.sessions.open(ids.admin, 'password', 'api')).token;
  await api('PUT', `/groups/${groups['华东区']}/attributes`, token, { attributes: { region: ['华东'] } });
  await api('PUT', `/groups/${groups['华南区']}/attributes`, token, { attributes: { region: ['华南'] } });
  await api('PUT', `/datasets/${datasetId}/permissions`, token, {
    rowMode: 'rules',
    noMatch: 'deny',
    rowRules: [{ subjects: { everyone: true }, conditions: [{ field: '区域', op: 'in', value: { kind: 'attribute', name: 'region' } }] }],
  });
  await api('PUT', `/reports/${reportId}/grants`, token, { users: [], groups: [groups['华东区'], groups['华南区']], subDepartments: [] });
});
afterAll(async () => {
  await e?.close();
  await sim?.close();
});

async function login(username: string, password: string): Promise<Page> {
  const page = await e.newPage();
  await page.goto(e.url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  return page;
}

const firstKpi = (page: Page) => page.getByTestId('kpi-value').first();

it('two people of two departments see two numbers, each what SQL gives for their region', async () => {
  const [east, south] = [await expectedKpi('华东'), await expectedKpi('华南')];
  expect(east).not.toBe(south);

  const eastPage = await login('east', 'east-password-1');
  await eastPage.goto(`${e.url}/reports/${reportId}`);
  await expect.poll(() => firstKpi(eastPage).textContent()).toBe(east);
  await e.shot(eastPage, 'department-permissions-01-east');

  const southPage = await login('south', 'south-password-1');
  await southPage.goto(`${e.url}/reports/${reportId}`);
  await expect.poll(() => firstKpi(southPage).textContent()).toBe(south);
});

it('the admin views the report as one of them (read-only, audited) and back', async () => {
  const [east, south] = [await expectedKpi('华东'), await expectedKpi('华南')];
  const admin = await login('admin', 'admin-password-1');
  await admin.goto(`${e.url}/reports/${reportId}`);
  await expect.poll(() => firstKpi(admin).textContent()).not.toBe(east);
  await admin.getByTestId('view-as').click();
  await admin.getByTestId('view-as-user').click();
  await admin.keyboard.type('south');
  await admin.locator('.ant-select-item-option').filter({ hasText: 'south (south)' }).first().click();
  await admin.locator('#view-as-ok').click();
  await admin.getByTestId('view-as-banner').waitFor();
  await expect.poll(() => firstKpi(admin).textContent()).toBe(south);
  await e.shot(admin, 'department-permissions-02-view-as');

  await admin.getByTestId('view-as-exit').click();
  await expect.poll(() => firstKpi(admin).textContent()).not.toBe(south);

  // The rule as the admin finds it under 数据集 → 权限.
  await admin.goto(`${e.url}/datasets`);
  await admin.getByText('示例：销售数据').click();
  await admin.getByRole('tab', { name: '权限' }).click();
  await admin.getByTestId('row-rule').waitFor();
  await expect.poll(() => admin.getByTestId('row-rule').locator('input').last().inputValue()).toBe('region');
  await e.shot(admin, 'department-permissions-03-dataset-rules');

  const audit = await e.deps.db.selectFrom('audit_log').select(['action', 'detail_json']).where('action', '=', 'report.view_as').execute();
  expect(audit).toHaveLength(1);
  expect(JSON.parse(audit[0]!.detail_json!)).toMatchObject({ viewAs: ids.south });
});
