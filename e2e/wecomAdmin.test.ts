import { startSimulator, SAMPLE_CORP_PATH } from '@shulan/wecom-sim';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../server/src/auth/passwords.js';
import { insertUser } from '../server/src/users/userRepo.js';
import { startE2E, type E2E } from './fixture.js';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let e: E2E;
const ids: Record<string, string> = {};
const idOf = (username: string): string => {
  const id = ids[username];
  if (!id) throw new Error(`no user ${username}`);
  return id;
};

beforeAll(async () => {
  sim = await startSimulator({ corp: SAMPLE_CORP_PATH });
  e = await startE2E({ env: { WECOM_API_BASE: sim.url } });
  await e.user('admin', 'admin', 'admin-password-1');
  const hash = await hashPassword('user-password-1');
  // Named like members of the sample corp: three unique names (sure matches), one of the three
  // 张伟 (ambiguous), and one nobody in WeCom is called (no match; matched by hand later).
  const people: [string, string][] = [
    ['tanliang', '谭亮'],
    ['luguiying', '卢桂英'],
    ['lilixin', '黎立新'],
    ['zhangwei', '张伟'],
    ['wangwu', '王五'],
  ];
  for (const [username, displayName] of people) {
    ids[username] = await insertUser(e.deps.db, { username, displayName, role: 'viewer', passwordHash: hash });
  }
});
afterAll(async () => {
  await e?.close();
  await sim?.close();
});

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto(e.url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

it('admin configures WeCom, tests the connection, syncs with progress, matches by name and sees the personnel list', async () => {
  const mini = sim.corp.apps.find((a) => a.kind === 'miniprogram');
  if (!mini?.appid) throw new Error('the sample corp has no mini program');
  const page = await e.newPage();
  await login(page, 'admin', 'admin-password-1');

  // 系统设置 → 企业微信集成设置: a format error shows inline before anything is sent.
  await page.getByTestId('menu-wecom-settings').click();
  await page.getByTestId('wecom-app-id').fill('wx123');
  await page.getByText('AppID 应为 wx 加 16 位十六进制字符').waitFor();
  await page.getByTestId('wecom-corp-id').fill(sim.corp.corpid);
  await page.getByTestId('wecom-secret').fill(mini.secret);
  await page.getByTestId('wecom-app-id').fill(mini.appid);

  // Test connection with the unsaved values: each check with its result.
  await page.getByTestId('wecom-test').click();
  await page.getByTestId('wecom-checks').waitFor();
  await expect.poll(() => page.getByTestId('wecom-check-token').getAttribute('data-severity')).toBe('ok');
  expect(await page.getByTestId('wecom-check-visible_range').getAttribute('data-severity')).toBe('ok');
  // The sample mini program was created after 2022-06-20: mobiles are withheld, which is a warning with its explanation.
  expect(await page.getByTestId('wecom-check-sensitive_fields').getAttribute('data-severity')).toBe('warning');
  await e.shot(page, 'wecom-01-test-connection');

  // Switch on and save; the Secret is then only shown as "set" with its last 4 characters.
  await page.getByTestId('wecom-enabled').click();
  await page.getByTestId('wecom-save').click();
  await page.getByText(`已设置 ••••${mini.secret.slice(-4)}`).waitFor();
  expect(await page.getByTestId('wecom-secret').inputValue()).toBe('');
  const stored = await e.deps.db.selectFrom('settings').select('value_json').where('key', '=', 'wecom').executeTakeFirst();
  expect(stored?.value_json ?? '').not.toContain(mini.secret);

  // Binding admin accounts in the mini program is off until switched on here.
  const allowAdmin = async () =>
    JSON.parse((await e.deps.db.selectFrom('settings').select('value_json').where('key', '=', 'wecom').executeTakeFirst())?.value_json ?? '{}').allowAdminBinding;
  expect(await page.getByTestId('wecom-allow-admin-binding').getAttribute('aria-checked')).toBe('false');
  await page.getByTestId('wecom-allow-admin-binding').click();
  await page.getByTestId('wecom-save').click();
  await expect.poll(allowAdmin).toBe(true);
  await page.getByTestId('wecom-allow-admin-binding').click();
  await page.getByTestId('wecom-save').click();
  await expect.poll(allowAdmin).toBe(false);

  // 接收事件: the URL to paste into WeCom, and a generated Token / EncodingAESKey, saved write-only.
  await page.getByTestId('wecom-callback-url').getByText(`https://${new URL(e.url).host}/api/wecom/callback`).waitFor();
  await page.getByTestId('wecom-callback-token-generate').click();
  await page.getByTestId('wecom-callback-aes-key-generate').click();
  const callbackToken = await page.getByTestId('wecom-callback-token').inputValue();
  const callbackAesKey = await page.getByTestId('wecom-callback-aes-key').inputValue();
  expect(callbackToken).toMatch(/^[A-Za-z0-9]{32}$/);
  expect(callbackAesKey).toMatch(/^[A-Za-z0-9]{43}$/);
  await page.getByTestId('wecom-save').click();
  await expect.poll(() => page.getByTestId('wecom-callback-token').inputValue()).toBe('');
  expect(await page.getByText('已设置；留空则保留当前值').count()).toBe(2);
  const withKeys = (await e.deps.db.selectFrom('settings').select('value_json').where('key', '=', 'wecom').executeTakeFirst())?.value_json ?? '';
  expect(withKeys).not.toContain(callbackToken);
  expect(withKeys).not.toContain(callbackAesKey);

  // A domain verification file: listed with its public address and served verbatim at the root.
  const verification = 'a1b2c3d4e5f6\n';
  await page.getByTestId('wecom-file-input').setInputFiles({ name: 'WW_verify_abc123.txt', mimeType: 'text/plain', buffer: Buffer.from(verification) });
  await page.getByTestId('wecom-files').getByText(`https://${new URL(e.url).host}/WW_verify_abc123.txt`).waitFor();
  const served = await fetch(`${e.url}/WW_verify_abc123.txt`);
  expect(served.headers.get('content-type')).toContain('text/plain');
  expect(await served.text()).toBe(verification);

  // Mini program: the package link carries the domain; the watermark switch is saved at once.
  expect(await page.getByTestId('wecom-mini-download').getAttribute('href')).toBe(
    `/api/settings/miniprogram/package?domain=${encodeURIComponent(`https://${new URL(e.url).host}`)}`,
  );
  await page.getByTestId('wecom-watermark').click();
  await expect
    .poll(async () => (await e.deps.db.selectFrom('settings').select('value_json').where('key', '=', 'mobile').executeTakeFirst())?.value_json)
    .toBe(JSON.stringify({ watermark: false, orgName: '' }));
  await expect.poll(() => page.getByTestId('wecom-watermark').getAttribute('aria-checked')).toBe('false');
  // The company name the mini program's first page shows ("for its employees only"); the review checklist uses it.
  await page.getByTestId('wecom-org-name').fill('示例科技有限公司');
  await page.getByTestId('wecom-org-name-save').click();
  await expect.poll(async () => ((await (await fetch(`${e.url}/api/site`)).json()) as { data: { orgName: string } }).data.orgName).toBe('示例科技有限公司');
  await page.getByTestId('wecom-review-checklist').getByText('示例科技有限公司', { exact: false }).first().waitFor();
  await page.getByTestId('wecom-review-checklist').getByText(`wss://${new URL(e.url).host}`, { exact: false }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await e.shot(page, 'wecom-02-settings-saved');

  // 通讯录同步: slow WeCom down a little so the progress is visible, then sync now.
  await page.getByTestId('wecom-tab-sync').click();
  await page.getByTestId('wecom-sync-next-runs').waitFor();
  // 500 ms per member page: the departments are listed 16 at a time, so the 正在读取成员 phase lasts
  // over a second, long enough for a browser on a loaded machine to draw it.
  sim.controls.injectFault({ endpoint: 'user/list', kind: 'latency', latencyMs: 500, times: 1000 });
  await page.getByTestId('wecom-sync-now').click();
  await page.locator('[data-testid="wecom-sync-progress"][data-status="running"]').waitFor();
  // Live over the WebSocket (cookie-authenticated, same origin), not by polling.
  expect(await page.getByTestId('wecom-sync-progress').getAttribute('data-channel')).toBe('socket');
  await page.getByText(/正在读取成员：已完成 [1-9]\d* \/ 24 个部门/).waitFor();
  await e.shot(page, 'wecom-03-sync-progress');
  await page.locator('[data-testid="wecom-sync-progress"][data-status="ok"]').waitFor({ timeout: 60_000 });
  sim.controls.clearFaults();
  const run = await e.deps.db.selectFrom('wecom_sync_runs').selectAll().executeTakeFirstOrThrow();
  expect(run.status).toBe('ok');
  const counts = JSON.parse(run.counts_json ?? '{}') as { membersSeen: number; membersAdded: number };
  expect(counts.membersSeen).toBeGreaterThan(300);
  await expect.poll(() => page.getByTestId('wecom-sync-result').textContent()).toContain(`成员 ${counts.membersSeen} 人`);
  expect(await page.getByTestId('wecom-sync-result').textContent()).toContain(`新增成员 ${counts.membersAdded}`);
  // The history lists the finished run.
  await expect.poll(() => page.getByTestId('wecom-sync-history').getByText('成功').count()).toBe(1);

  // WeCom (the simulator) verifies the callback URL with the saved Token and key; a change in WeCom
  // then shows up among the real-time events, applied without a sync.
  await sim.controls.setCallback({ url: `${e.url}/api/wecom/callback`, token: callbackToken, encodingAesKey: callbackAesKey });
  // The last member: the matching steps below use the first ones.
  const leaver = [...sim.corp.members.values()].filter((m) => m.status === 1).at(-1)!;
  sim.controls.updateMember(leaver.userid, { status: 2 });
  await sim.controls.callbacksIdle();
  await expect
    .poll(async () => {
      await page.getByTestId('wecom-callback-events-refresh').click();
      return page.getByTestId('wecom-callback-events').getByText('已应用').count();
    })
    .toBe(1);
  await page.getByTestId('wecom-callback-events').getByText(leaver.userid, { exact: true }).waitFor();
  await page.getByTestId('wecom-callback-events').getByText('更新成员').waitFor();
  await e.shot(page, 'wecom-04-sync-done');

  // The schedule: default daily 02:00 China time; a new cron shows its next runs in that zone.
  expect(await page.getByTestId('wecom-sync-next-runs').textContent()).toMatch(/02:00 Asia\/Shanghai/);
  await page.getByTestId('wecom-sync-cron').fill('30 3 * * 1');
  await page.getByTestId('wecom-sync-schedule-save').click();
  await expect.poll(() => page.getByTestId('wecom-sync-next-runs').textContent()).toMatch(/03:30 Asia\/Shanghai/);
  await page.getByTestId('wecom-sync-cron').fill('61 2 * * *');
  await page.getByTestId('wecom-sync-schedule-save').click();
  await page.getByText('无法识别的 cron 表达式：61 2 * * *').waitFor();

  // 企业微信匹配 by name: preview, the ambiguous 张伟, confirm the sure ones.
  await page.getByTestId('menu-wecom-matching').click();
  await page.getByTestId('wecom-match-by-name').click();
  await page.getByTestId('wecom-match-preview').click();
  const sure = page.getByTestId('wecom-match-sure');
  await sure.waitFor();
  for (const name of ['谭亮', '卢桂英', '黎立新']) await sure.getByText(name).first().waitFor();
  await page.getByTestId('wecom-match-tab-ambiguous').click();
  const ambiguous = page.getByTestId('wecom-match-ambiguous');
  await ambiguous.getByText('企业微信中有 3 个名为“张伟”的成员，请手动选择').waitFor();
  // The duplicates are offered to pick by hand, never one chosen for the admin.
  await page.getByTestId('wecom-match-pick-zhangwei').click();
  const options = page.locator('.ant-select-item-option');
  // Each option names the member's departments too, to tell the namesakes apart.
  const optionTexts = async () => (await options.allTextContents()).map((o) => o.split(' · ')[0]).sort();
  await expect.poll(optionTexts).toEqual(['张伟（ZhangWei）', '张伟（ZhangWei02）', '张伟（ZhangWei03）'].sort());
  expect((await options.allTextContents()).every((o) => o.includes(' · '))).toBe(true);
  // Let the dropdown finish opening before the screenshot.
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await expect.poll(() => dropdown.evaluate((el) => el.className)).not.toMatch(/-(enter|appear)/);
  await e.shot(page, 'wecom-05-matching-ambiguous');
  await page.keyboard.press('Escape');
  await page.getByTestId('wecom-match-tab-noMatch').click();
  await page.getByTestId('wecom-match-nomatch').getByText('wangwu').waitFor();
  await page.getByTestId('wecom-match-confirm').click();
  await page.getByTestId('wecom-match-confirm-result').getByText('成功匹配 3 人，0 对未成功').waitFor();
  await e.shot(page, 'wecom-06-matching-confirmed');
  const bindings = await e.deps.db.selectFrom('wecom_bindings').selectAll().orderBy('wecom_userid').execute();
  expect(bindings.map((b) => [b.user_id, b.wecom_userid, b.source])).toEqual([
    [idOf('lilixin'), 'LiLiXin', 'name'],
    [idOf('luguiying'), 'LuGuiYing', 'name'],
    [idOf('tanliang'), 'TanLiang', 'name'],
  ]);

  // 人员信息: filter to matched users; they show their WeCom names.
  await page.getByTestId('menu-personnel').click();
  await page.getByTestId('personnel-wecom-filter').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '已匹配' }).click();
  await expect.poll(async () => (await page.getByTestId('personnel-wecom-name').allTextContents()).sort()).toEqual(['卢桂英', '谭亮', '黎立新'].sort());
  await e.shot(page, 'wecom-07-personnel-matched');

  // Manual match for 王五 among the unmatched, then unmatch with a confirm.
  await page.getByTestId('personnel-wecom-filter').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '未匹配' }).click();
  const wangwuRow = page.locator(`tr[data-row-key="${idOf('wangwu')}"]`);
  await wangwuRow.getByTestId('personnel-match').click();
  // The dialog searches the synced directory; department path and position tell the three 张伟 apart.
  const results = page.getByTestId('wecom-manual-results');
  await page.getByTestId('wecom-manual-search').locator('input').fill('张伟');
  await expect.poll(async () => (await results.locator('tbody tr').allTextContents()).length).toBe(3);
  const rows = await results.locator('tbody tr').allTextContents();
  for (const position of ['人事专员', '会计', '设计师']) expect(rows.some((r) => r.includes(position))).toBe(true);
  // A member WeCom does not know is refused by the server with a clear message.
  await page.getByTestId('wecom-manual-userid').fill('NoSuchMember');
  await page.getByTestId('wecom-manual-submit').click();
  await page.getByText('企业微信中没有 userid 为 NoSuchMember 的成员').waitFor();
  await page.getByTestId('wecom-manual-search').locator('input').fill('叶勇');
  const yeyong = results.locator('tbody tr').filter({ hasText: 'YeYong' });
  await yeyong.getByText('高级工程师').waitFor();
  await e.shot(page, 'wecom-08a-manual-search');
  await yeyong.click();
  await expect.poll(() => page.getByTestId('wecom-manual-userid').inputValue()).toBe('YeYong');
  await page.getByTestId('wecom-manual-submit').click();
  await page.getByText('王五 已匹配').waitFor();
  // The row left the "unmatched" filter; clear it and see the manual match with the member's name.
  await expect.poll(() => wangwuRow.count()).toBe(0);
  await page.getByTestId('personnel-wecom-filter').locator('.ant-select-clear').click();
  await expect.poll(() => wangwuRow.getByTestId('personnel-wecom-name').textContent()).toBe('叶勇');
  expect(await wangwuRow.textContent()).toContain('手动');
  await e.shot(page, 'wecom-08-personnel-manual');
  await wangwuRow.getByTestId('personnel-unmatch').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect.poll(() => wangwuRow.getByTestId('personnel-wecom-name').textContent()).toBe('—');
  expect(await e.deps.db.selectFrom('wecom_bindings').select('user_id').where('user_id', '=', idOf('wangwu')).executeTakeFirst()).toBeUndefined();
});

it('shows the WeCom settings in English too, with the Secret still write-only', async () => {
  const page = await e.newPage();
  await login(page, 'admin', 'admin-password-1');
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('menu-wecom-settings').click();
  await page.getByTestId('wecom-test').getByText('Test connection').waitFor();
  await page.getByText(/^Set ••••/).waitFor();
  expect(await page.getByTestId('wecom-secret').inputValue()).toBe('');
  await page.getByTestId('wecom-tab-sync').click();
  await page.getByTestId('wecom-sync-history').getByText('OK').waitFor();
  await e.shot(page, 'wecom-09-sync-en');
});
