import { startSimulator } from '@shulan/wecom-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../server/src/auth/passwords.js';
import { insertUser } from '../server/src/users/userRepo.js';
import { syncServiceFor } from '../server/src/wecom/sync/SyncService.js';
import { APP_ID, CORP_ID, MP_SECRET, testCorp } from '../server/src/wecom/testing/wecomTestEnv.js';
import { writeWecomSettings } from '../server/src/wecom/wecomSettings.js';
import { startE2E, type E2E } from './fixture.js';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let e: E2E;
const ids: Record<string, string> = {};

// 60 Shulan users called 张三 against two WeCom members called 张三: more than one page of ambiguous rows.
const ZHANGS = Array.from({ length: 60 }, (_, i) => `zs${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  sim = await startSimulator({ corp: testCorp() });
  sim.controls.addMember({ userid: 'zhangsan2', name: '张三', mobile: '13800000006', department: [3] });
  e = await startE2E({ env: { WECOM_API_BASE: sim.url } });
  await e.user('admin', 'admin', 'admin-password-1');
  await writeWecomSettings(e.deps.db, { enabled: true, corpId: CORP_ID, appId: APP_ID, secretEnc: e.deps.secretBox.encrypt(MP_SECRET) });
  const { done } = await syncServiceFor(e.deps).start('manual');
  expect((await done).status).toBe('ok');
  const hash = await hashPassword('user-password-1');
  ids.li = await insertUser(e.deps.db, { username: 'li', displayName: '李四', role: 'viewer', passwordHash: hash });
  for (const u of ZHANGS) ids[u] = await insertUser(e.deps.db, { username: u, displayName: '张三', role: 'viewer', passwordHash: hash });
});
afterAll(async () => {
  await e?.close();
  await sim?.close();
});

it('pages the matching preview, filters it, and confirms picks made on different pages', async () => {
  const page = await e.newPage();
  await page.goto(e.url);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('admin-password-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();

  await page.getByTestId('menu-wecom-matching').click();
  await page.getByTestId('wecom-match-by-name').click();
  await page.getByTestId('wecom-match-preview').click();
  await page.getByTestId('wecom-match-sure').getByText('lisi').waitFor();
  // The tab shows the count of all 60, though only one page was sent.
  await expect.poll(() => page.getByTestId('wecom-match-tab-ambiguous').textContent()).toContain('60');
  await page.getByTestId('wecom-match-tab-ambiguous').click();
  const ambiguous = page.getByTestId('wecom-match-ambiguous');
  const rows = ambiguous.locator('tbody tr.ant-table-row');
  await expect.poll(() => rows.count()).toBe(50);

  const pick = async (username: string, wecomUserid: string) => {
    await page.getByTestId(`wecom-match-pick-${username}`).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: `（${wecomUserid}）` }).click();
    await page.keyboard.press('Escape');
  };
  await pick('zs01', 'zhangsan');

  // Page 2 holds the last ten; the pick on page 1 is kept meanwhile.
  // (the pager sits beside the table, in the active tab)
  await page.locator('.ant-pagination li[title="2"]').click();
  await expect.poll(() => rows.count()).toBe(10);
  await ambiguous.getByText('zs60').waitFor();
  await pick('zs60', 'zhangsan2');
  await expect.poll(() => page.getByTestId('wecom-match-confirm').textContent()).toMatch(/确认匹配（3）/);

  // The filter narrows the rows to the users whose account contains it.
  await page.getByTestId('wecom-match-filter').locator('input').fill('zs3');
  await page.getByTestId('wecom-match-filter').locator('input').press('Enter');
  await expect.poll(async () => (await rows.allTextContents()).map((r) => r.match(/zs\d\d/)?.[0]).sort()).toEqual(['zs30', 'zs31', 'zs32', 'zs33', 'zs34', 'zs35', 'zs36', 'zs37', 'zs38', 'zs39']);
  await e.shot(page, 'wecom-match-paging');

  await page.getByTestId('wecom-match-confirm').click();
  await page.getByTestId('wecom-match-confirm-result').getByText('成功匹配 3 人，0 对未成功').waitFor();
  const bindings = await e.deps.db.selectFrom('wecom_bindings').select(['user_id', 'wecom_userid']).orderBy('wecom_userid').execute();
  expect(bindings.map((b) => [b.user_id, b.wecom_userid])).toEqual([
    [ids.li, 'lisi'],
    [ids.zs01, 'zhangsan'],
    [ids.zs60, 'zhangsan2'],
  ]);
});
