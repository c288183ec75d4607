import { startSimulator, SAMPLE_CORP_PATH } from '@shulan/wecom-sim';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeLdapSettings, writeOidcSettings } from '../server/src/auth/external/externalSettings.js';
import { LDAP_ADMIN, LDAP_ADMIN_PASSWORD, LDAP_BASE, startOidcProvider, startSlapd, type OidcProviderHandle, type Slapd } from '../server/src/auth/external/testing/providers.js';
import { writeWecomSettings } from '../server/src/wecom/wecomSettings.js';
import { startE2E, type E2E } from './fixture.js';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let e: E2E;
let slapd: Slapd;
let op: OidcProviderHandle;
const contexts: BrowserContext[] = [];
/** WeCom's built-in browser on a phone: its User-Agent carries "wxwork". */
const WXWORK_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 NetType/WIFI Language/zh ColorScheme/Light';

beforeAll(async () => {
  sim = await startSimulator({ corp: SAMPLE_CORP_PATH });
  // WeCom's server API, its OAuth2 page and its Web-login page are all the simulator here.
  e = await startE2E({ env: { WECOM_API_BASE: sim.url, WECOM_OAUTH_BASE: sim.url, WECOM_LOGIN_BASE: sim.url } });
  await e.user('admin', 'admin', 'admin-password-1');
  await e.user('xuwei', 'viewer', 'xuwei-password-1');
  const mini = sim.corp.apps.find((a) => a.kind === 'miniprogram')!;
  await writeWecomSettings(e.deps.db, { enabled: true, corpId: sim.corp.corpid, appId: mini.appid!, secretEnc: e.deps.secretBox.encrypt(mini.secret) });
  // The self-built app's 可信域名 is where Shulan is reached (host:port, as WeCom compares it).
  sim.controls.setTrustedDomain('1000003', new URL(e.url).host);

  // A real LDAP server and a real OpenID Provider, configured as an admin would on 系统设置 → 登录方式.
  const box = e.deps.secretBox;
  const mapping = { createUsers: true, groupMap: [], adminGroups: [], editorGroups: ['bi-editors'] };
  slapd = await startSlapd([{ uid: 'ldapuser', cn: '林达', password: 'ldap-user-pw', groups: ['bi-editors'] }]);
  await writeLdapSettings(e.deps.db, {
    ...mapping,
    enabled: true,
    url: slapd.url,
    bindDn: LDAP_ADMIN,
    bindPasswordEnc: box.encrypt(LDAP_ADMIN_PASSWORD),
    baseDn: `ou=people,${LDAP_BASE}`,
    userFilter: '(uid={username})',
    nameAttribute: 'cn',
    groupBaseDn: `ou=groups,${LDAP_BASE}`,
  });
  op = await startOidcProvider([`${e.url}/api/auth/oidc/callback`], [{ sub: 'sso-1', preferred_username: 'ssouser', name: '单点用户', groups: ['bi-editors'] }]);
  await writeOidcSettings(e.deps.db, {
    ...mapping,
    enabled: true,
    issuer: op.issuer,
    clientId: op.clientId,
    clientSecretEnc: box.encrypt(op.clientSecret),
    displayName: '集团统一认证',
    scopes: 'openid profile groups',
    usernameClaim: 'preferred_username',
    groupsClaim: 'groups',
  });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await e?.close();
  await sim?.close();
  await slapd?.stop();
  await op?.stop();
});

async function wecomBrowser(userid: string): Promise<BrowserContext> {
  const ctx = await e.browser.newContext({ userAgent: WXWORK_UA, viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  // The member this WeCom client is logged in as (the simulator's stand-in for the phone's account).
  await ctx.addCookies([{ name: 'wwsim_userid', value: userid, url: sim.url }]);
  contexts.push(ctx);
  return ctx;
}

it('admin sets up the WeCom web login app; the login page then offers 企业微信扫码登录', async () => {
  const self = sim.corp.apps.find((a) => a.kind === 'self_built')!;
  const page = await e.newPage();
  await page.goto(e.url);
  await expect(page.getByTestId('login-wecom-qr').count()).resolves.toBe(0);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('admin-password-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  await page.goto(`${e.url}/settings/wecom`);
  const card = page.getByTestId('wecom-web-card');
  await card.getByTestId('wecom-web-agentid').fill(String(self.agentid));
  await card.getByTestId('wecom-web-secret').fill(self.secret);
  // Prefilled with the address the admin is using.
  await expect(card.getByTestId('wecom-web-origin').inputValue()).resolves.toBe(e.url);
  await card.getByTestId('wecom-web-enabled').click();
  await card.getByTestId('wecom-web-save').click();
  await page.getByText('网页登录设置已保存').waitFor();
  await card.getByText(`${e.url}/api/auth/wecom/oauth/start`).waitFor();
  await card.getByText(new URL(e.url).host, { exact: true }).waitFor();
  await e.shot(page, 'wecom-web-login-settings');
  await page.context().close();
});

it('H5 inside WeCom: an unbound member binds once with the password, then comes straight in', async () => {
  const first = await (await wecomBrowser('XuWei')).newPage();
  // Opening Shulan inside WeCom goes through WeCom's OAuth2 by itself: no password form to fill.
  await first.goto(`${e.url}/reports`);
  await first.getByTestId('wecom-bind-help').getByText('XuWei', { exact: false }).waitFor();
  expect(new URL(first.url()).pathname).toBe('/login/wecom-bind');
  await first.getByTestId('login-username').fill('xuwei');
  await first.getByTestId('login-password').fill('wrong-password');
  await first.getByTestId('login-submit').click();
  await first.getByTestId('login-error').getByText('用户名或密码错误').waitFor();
  await first.getByTestId('login-password').fill('xuwei-password-1');
  await first.getByTestId('login-submit').click();
  await first.getByTestId('user-menu').waitFor();
  expect(new URL(first.url()).pathname).toBe('/reports');

  // Another day, another WeCom webview (no Shulan cookie): straight in, no password.
  const later = await (await wecomBrowser('XuWei')).newPage();
  await later.goto(`${e.url}/reports`);
  await later.getByTestId('user-menu').waitFor();
  expect(new URL(later.url()).pathname).toBe('/reports');
  await e.shot(later, 'wecom-h5-passwordless');
});

it('H5 inside WeCom: someone outside the corp is refused and keeps the password form', async () => {
  const stranger = await (await wecomBrowser('someone-else')).newPage();
  await stranger.goto(e.url);
  await stranger.getByTestId('login-error').getByText('不是本企业的企业微信成员').waitFor();
  // After a failure the page does not bounce back to WeCom: the password form stays usable.
  await stranger.getByTestId('login-username').waitFor();
});

it('QR login on the web login page: the bound member scans with the WeCom app and is in', async () => {
  const ctx = await e.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.goto(`${e.url}/login`);
  await page.getByTestId('login-wecom-qr').click();
  await page.locator('.qrcode').waitFor();
  expect(page.url().startsWith(`${sim.url}/wwlogin/sso/login?`)).toBe(true);
  // The phone: scan the code shown and confirm.
  sim.controls.scanQrLogin({ userid: 'XuWei', key: (await page.locator('.qrcode').getAttribute('data-key'))! });
  await page.getByTestId('user-menu').waitFor();
  expect(page.url().startsWith(e.url)).toBe(true);
});

it('LDAP account: the login page\'s LDAP toggle logs a directory user in with its directory password', async () => {
  const ctx = await e.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.goto(`${e.url}/login`);
  await page.getByTestId('login-kind-ldap').click();
  await page.getByTestId('login-username').fill('ldapuser');
  await page.getByTestId('login-password').fill('ldap-user-pw');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  const user = await e.deps.db.selectFrom('users').select(['role', 'display_name']).where('username', '=', 'ldapuser').executeTakeFirstOrThrow();
  expect(user).toEqual({ role: 'editor', display_name: '林达' });
});

it('OIDC: 单点登录 goes to the provider\'s login and consent pages and comes back logged in', async () => {
  const ctx = await e.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.goto(`${e.url}/login`);
  await page.getByTestId('login-oidc').getByText('集团统一认证').click();
  // oidc-provider's development login page, then its consent page.
  await page.locator('input[name="login"]').fill('sso-1');
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').getByText('Continue').click();
  await page.getByTestId('user-menu').waitFor();
  expect(new URL(page.url()).pathname).toBe('/reports');
  const user = await e.deps.db.selectFrom('users').select(['role', 'display_name']).where('username', '=', 'ssouser').executeTakeFirstOrThrow();
  expect(user).toEqual({ role: 'editor', display_name: '单点用户' });
});
