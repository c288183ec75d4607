// @vitest-environment node
// What WeChat's reviewer does, on the package that ships: plain WeChat (no wx.qy), the built code
// (buildMiniprogram and the admin's zip), a real Shulan. First page → login → the reviewer's report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWecomTestEnv, type WecomTestEnv } from '../../server/src/wecom/testing/wecomTestEnv.js';
import { buildMiniprogram } from '../build/buildPackage';
import { BuiltApp } from './builtHarness';
import { loadSimulate } from './domInNode';
import type { PageInstance } from './pageHarness';
import { createWxDouble, type WxDouble } from './wxDouble';

const DOMAIN = 'https://bi.test';
const ORG = '示例科技有限公司';
let env: WecomTestEnv;
let baseUrl: string;
let creds: { username: string; password: string };
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-review-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure(); // the AppID the admin download needs
  const { t, admin } = env;
  expect((await t.call({ method: 'PUT', url: '/api/settings/mobile', headers: admin.headers, body: { watermark: true, orgName: ORG } })).status).toBe(200);
  const created = await t.call({ method: 'POST', url: '/api/settings/reviewer', headers: admin.headers, body: { confirm: true } });
  expect(created.status).toBe(200);
  creds = created.json.data;
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  await env?.close();
});

/** The reviewer's phone: plain WeChat, nothing stored yet. */
function reviewerPhone(pkgDir: string): { app: BuiltApp; wx: WxDouble } {
  const wx = createWxDouble({ hosts: { [DOMAIN]: baseUrl } });
  return { wx, app: BuiltApp.launch(pkgDir, wx.wx) };
}

/** A page's own template from the package, rendered with the page's data and its handlers. */
async function render(pkgDir: string, route: string, page: PageInstance, components: string[] = []) {
  const simulate = await loadSimulate();
  const template = fs.readFileSync(path.join(pkgDir, `${route}.wxml`), 'utf8');
  const usingComponents = Object.fromEntries(
    components.map((name) => [name, simulate.load(path.join(pkgDir, 'components', name, 'index'), { rootPath: pkgDir })]),
  );
  const methods = Object.fromEntries(Object.entries(page).filter(([k, v]) => typeof v === 'function' && k.startsWith('on')));
  const comp = simulate.render(simulate.load({ template, data: page.data, methods, usingComponents }));
  comp.attach(document.createElement('parent-wrapper'));
  return { comp, simulate };
}

async function walk(pkgDir: string) {
  const { app, wx } = reviewerPhone(pkgDir);
  // WeChat opens the first page of app.json: it says who the app is for; no domain page, no login yet.
  const first = app.firstPage();
  expect(first).toBe('pages/intro/index');
  const intro = await app.open(first);
  await wx.settled();
  expect(wx.navigations).toEqual([]);
  const introView = await render(pkgDir, first, intro);
  const introText = introView.comp.dom.textContent ?? '';
  expect(introText).toContain(ORG);
  expect(introText).toContain(`仅供${ORG}员工`);
  expect(introText).toContain('如何获得账号');
  introView.comp.querySelector('#login').dispatchEvent('tap');
  await introView.simulate.sleep(0);
  expect(wx.navigations.at(-1)).toBe('/pages/login/index');

  const login = await app.open('pages/login/index');
  await wx.settled();
  expect(login.data.showForm).toBe(true);
  const loginText = (await render(pkgDir, 'pages/login/index', login)).comp.dom.textContent ?? '';
  expect(loginText).toContain('暂不登录');
  expect(loginText).toContain(ORG);
  login.onUsername({ detail: { value: creds.username } });
  login.onPassword({ detail: { value: creds.password } });
  await login.onSubmit();
  expect(login.data.error).toBe('');
  const { route, query } = parse(wx.navigations.at(-1)!);
  expect(route).toBe('pages/report/index');

  const report = await app.open(route, query);
  await wx.settled();
  expect(report.data.name).toBe('示例报表');
  expect(report.data.widgets.map((w: any) => [w.kind, w.loading, w.error])).toEqual([
    ['bar', false, ''],
    ['table', false, ''],
  ]);
  const { comp } = await render(pkgDir, route, report, ['chart', 'data-table', 'watermark', 'filter-sheet']);
  const text = comp.dom.textContent ?? '';
  for (const s of ['示例报表', '各区域销售额', '明细', '华东', '东北']) expect(text).toContain(s);
  report.onUnload();
  wx.closeSockets();
}

function parse(url: string) {
  const [p, qs] = url.replace(/^\//, '').split('?');
  return { route: p!, query: Object.fromEntries(new URLSearchParams(qs ?? '')) };
}

describe("WeChat's reviewer in plain WeChat, on the built package", () => {
  it('package built with --domain: first page → account login → the reviewer report, rendered', async () => {
    const out = tmp();
    await buildMiniprogram({ appid: 'wx0123456789abcdef', domain: DOMAIN, outDir: out });
    await walk(path.join(out, 'miniprogram'));
  });

  it("the admin's zip download knows the server and skips the domain page too", async () => {
    const res = await env.t.app.inject({ method: 'GET', url: '/api/settings/miniprogram/package', headers: { ...env.admin.headers, host: 'bi.test' } });
    expect(res.statusCode).toBe(200);
    const out = tmp();
    for (const [rel, bytes] of Object.entries(unzipSync(new Uint8Array(res.rawPayload)))) {
      fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
      fs.writeFileSync(path.join(out, rel), bytes);
    }
    await walk(path.join(out, 'miniprogram'));
  });

  it('the generic package (no domain) starts on the domain page instead', async () => {
    const out = tmp();
    await buildMiniprogram({ appid: 'wx0123456789abcdef', outDir: out });
    const { app, wx } = reviewerPhone(path.join(out, 'miniprogram'));
    await app.open(app.firstPage());
    expect(wx.navigations).toEqual(['/pages/domain/index']);
  });
});
