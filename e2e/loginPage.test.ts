import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startE2E, type E2E } from './fixture.js';

// The login route is a lean page of its own (React and plain markup): what it loads, where it
// sends someone after login (`?next=`, same site only), and the behaviours the antd form had.

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await e.user('chenjing', 'viewer', 'chenjing-password-1');
});
afterAll(async () => e?.close());

async function fillAndSubmit(page: Page, password = 'chenjing-password-1'): Promise<void> {
  await page.getByTestId('login-username').fill('chenjing');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

it('the login route loads one script and no antd (no CSS-in-JS styles, no antd class on the page)', async () => {
  const page = await e.newPage();
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto(`${e.url}/login`);
  await page.getByTestId('login-username').waitFor();
  await page.waitForLoadState('networkidle');
  expect(scripts).toHaveLength(1);
  expect(scripts[0]).toMatch(/^\/assets\/index-[\w-]+\.js$/);
  const page_ = await page.evaluate(() => ({
    // antd's CSS-in-JS writes <style> elements into the document; the lean page has only its stylesheet.
    styleElements: document.querySelectorAll('style').length,
    antClasses: document.querySelectorAll('[class*="ant-"]').length,
    focused: document.activeElement?.getAttribute('data-testid'),
    usernameLabel: document.querySelector('label[for="login-username"]')?.textContent,
  }));
  expect(page_).toEqual({ styleElements: 0, antClasses: 0, focused: 'login-username', usernameLabel: '用户名' });
  await e.shot(page, 'login-lean-zh');
  await page.context().close();
});

it('a signed-out visit to an app page comes back to it after login (?next=)', async () => {
  const page = await e.newPage();
  await page.goto(`${e.url}/settings?tab=profile`);
  await page.getByTestId('login-username').waitFor();
  expect(page.url()).toBe(`${e.url}/login?next=${encodeURIComponent('/settings?tab=profile')}`);
  await fillAndSubmit(page);
  await page.getByTestId('user-menu').waitFor();
  expect(page.url()).toBe(`${e.url}/settings?tab=profile`);

  // Signed in, the login page goes straight on to `next`.
  await page.goto(`${e.url}/login?next=${encodeURIComponent('/reports?q=1')}`);
  await page.getByTestId('user-menu').waitFor();
  expect(page.url()).toBe(`${e.url}/reports?q=1`);
  await page.context().close();
});

it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', '/\t/evil.example'])('next=%s does not lead off the site', async (next) => {
  const page = await e.newPage();
  await page.goto(`${e.url}/login?next=${encodeURIComponent(next)}`);
  await fillAndSubmit(page);
  await page.getByTestId('user-menu').waitFor();
  expect(page.url()).toBe(`${e.url}/reports`);
  await page.context().close();
});

it('required fields, the server\'s error, redirect errors, the password eye and the language switch', async () => {
  const page = await e.newPage();
  await page.goto(`${e.url}/login?loginError=wecom_denied`);
  await page.getByTestId('login-error').getByText('你在企业微信中取消了授权').waitFor();
  // An unknown code shows nothing.
  await page.goto(`${e.url}/login?loginError=toString`);
  await page.getByTestId('login-username').waitFor();
  expect(await page.getByTestId('login-error').count()).toBe(0);

  await page.getByTestId('login-submit').click();
  await page.getByText('请输入用户名').waitFor();
  await page.getByText('请输入密码').waitFor();
  expect(await page.getByTestId('login-username').getAttribute('aria-invalid')).toBe('true');
  await page.getByTestId('login-username').fill('chenjing');
  expect(await page.getByText('请输入用户名').count()).toBe(0);

  await page.getByTestId('login-password').fill('wrong-password');
  expect(await page.getByTestId('login-password').getAttribute('type')).toBe('password');
  await page.getByRole('button', { name: '显示密码' }).click();
  expect(await page.getByTestId('login-password').getAttribute('type')).toBe('text');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor();

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  await page.getByTestId('login-password').fill('');
  await page.getByText('Enter your password').waitFor();
  await e.shot(page, 'login-lean-en');
  await page.getByTestId('login-password').fill('chenjing-password-1');
  await page.getByTestId('login-submit').click();
  // The app comes up in the language chosen on the login page.
  await page.getByTestId('user-menu').waitFor();
  await page.getByText('Reports', { exact: true }).first().waitFor();
  await page.context().close();
});

it('logging out lands on the lean login page', async () => {
  const page = await e.newPage();
  await page.goto(`${e.url}/login`);
  await fillAndSubmit(page);
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-username').waitFor();
  expect(page.url()).toBe(`${e.url}/login`);
  await page.context().close();
});
