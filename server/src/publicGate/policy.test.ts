import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { FORBIDDEN_PAGE, MINI_PROGRAM_ROUTES, isMiniProgramReferer, miniProgramRefererPattern, publicAccess } from './policy.js';

const APPID = 'wx0123456789abcdef';
const MINIPROGRAM_SRC = path.resolve(import.meta.dirname, '../../../miniprogram/src');

/** Every `/api/…` path the mini program's code builds, `${…}` segments as `:`. */
function miniProgramApiPaths(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/\/api(?:\/(?:[\w-]+|\$\{[^}]*\}))+/g)) found.add(m[0].replace(/\$\{[^}]*\}/g, ':'));
      }
    }
  };
  walk(MINIPROGRAM_SRC);
  return found;
}

describe('the public-domain policy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('lists exactly the API paths the mini program calls', () => {
    const policyPaths = new Set(MINI_PROGRAM_ROUTES.map((r) => r.url.replace(/:\w+/g, ':')));
    expect([...miniProgramApiPaths()].sort()).toEqual([...policyPaths].sort());
  });

  it('keeps the WeCom web login (H5 entry, QR) off the public domain, whatever the User-Agent', () => {
    // Admitting "wxwork" browsers would put the whole web UI and admin API behind a forgeable header;
    // the H5 entry lives on the web address instead (docs/security.md, the public domain gate).
    for (const url of ['/api/auth/wecom/oauth/start', '/api/auth/wecom/qr/start', '/api/auth/wecom/callback', '/api/auth/wecom/bind', '/api/auth/methods']) {
      expect(publicAccess('GET', url), url).toBe('refused');
    }
  });

  it('names only routes the app has, with their methods', () => {
    for (const r of MINI_PROGRAM_ROUTES) expect(t.app.hasRoute({ method: r.method, url: r.url }), `${r.method} ${r.url}`).toBe(true);
  });

  it('opens verification files to anyone by GET, the mini program routes to the mini program, nothing else', () => {
    expect(publicAccess('GET', '/:name.txt')).toBe('anyone');
    expect(publicAccess('HEAD', '/:name.txt')).toBe('anyone');
    expect(publicAccess('DELETE', '/:name.txt')).toBe('refused');
    expect(publicAccess('GET', '/api/reports/:reportId')).toBe('mini-program');
    expect(publicAccess('HEAD', '/api/reports/:reportId')).toBe('mini-program');
    expect(publicAccess('PUT', '/api/reports/:reportId')).toBe('refused');
    expect(publicAccess('GET', '/api/reports/:reportId/widgets/:widgetId/export.csv')).toBe('refused');
    expect(publicAccess('POST', '/api/auth/password')).toBe('refused');
    expect(publicAccess('GET', undefined)).toBe('refused');
  });

  it('opens the WeCom callback to anyone (WeCom sends no Referer), by GET and POST only', () => {
    expect(publicAccess('GET', '/api/wecom/callback')).toBe('anyone');
    expect(publicAccess('POST', '/api/wecom/callback')).toBe('anyone');
    expect(publicAccess('PUT', '/api/wecom/callback')).toBe('refused');
    expect(publicAccess('GET', '/api/wecom/sync/events')).toBe('refused');
  });

  it('recognises the Referer of our mini program in every build, and nothing like it', () => {
    const ok = (n: string) => `https://servicewechat.com/${APPID}/${n}/page-frame.html`;
    for (const n of ['0', '7', '183', 'devtools']) expect(isMiniProgramReferer(ok(n), APPID), n).toBe(true);
    for (const bad of [undefined, '', ok('01'), ok('-1'), ok(''), ok('3').replace('https', 'http'), `${ok('3')}#`, ok('3').toUpperCase()]) {
      expect(isMiniProgramReferer(bad, APPID), String(bad)).toBe(false);
    }
    expect(isMiniProgramReferer(ok('3'), null)).toBe(false);
    expect(isMiniProgramReferer(ok('3'), 'wx99ff88ee77dd66cc')).toBe(false);
  });

  it('builds the Referer pattern only from a well-formed AppID (it goes into nginx.conf)', () => {
    expect(miniProgramRefererPattern(APPID)).toContain(APPID);
    for (const bad of ['wx0123', `${APPID}/.*`, `${APPID}" 1; } include /etc/passwd; #`, ` ${APPID}`]) {
      expect(() => miniProgramRefererPattern(bad), bad).toThrow(/AppID/);
    }
  });

  it('has a refusal page that nginx can inline as a quoted string', () => {
    expect(FORBIDDEN_PAGE).toContain('此地址仅供小程序使用');
    expect(FORBIDDEN_PAGE).toContain('This address is for the mini program only.');
    expect(FORBIDDEN_PAGE).not.toMatch(/[$'\\]/);
  });
});
