import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createTestApp, type TestApp } from './testApp.js';

let t: TestApp;
let web: Awaited<ReturnType<typeof buildApp>>;
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-dist-'));

beforeAll(async () => {
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>数览</title>');
  fs.writeFileSync(path.join(dist, 'assets', 'app-1.js'), 'console.log(1)');
  t = await createTestApp();
  web = await buildApp(t.deps, { logger: false, webDist: dist });
});
afterAll(async () => {
  await web?.close();
  await t?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

it('serves the app for client-side routes, assets by name, and 404 for a missing asset', async () => {
  const page = await web.inject({ method: 'GET', url: '/reports/abc' });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('数览');
  // A file added after start (a rebuild) is served without a restart.
  fs.writeFileSync(path.join(dist, 'assets', 'app-2.js'), 'console.log(2)');
  expect((await web.inject({ method: 'GET', url: '/assets/app-2.js' })).body).toBe('console.log(2)');
  const missing = await web.inject({ method: 'GET', url: '/assets/gone.js' });
  expect(missing.statusCode).toBe(404);
  expect(missing.body).not.toContain('<!doctype');
  const api = await web.inject({ method: 'GET', url: '/api/nope' });
  expect(api.statusCode).toBe(404);
  expect(api.json().error.code).toBe('not_found');
});

it('sends framing, sniffing, referrer and content-security headers on the app, its assets, API answers and errors', async () => {
  const responses = {
    index: await web.inject({ method: 'GET', url: '/' }),
    clientRoute: await web.inject({ method: 'GET', url: '/reports/abc' }),
    asset: await web.inject({ method: 'GET', url: '/assets/app-1.js' }),
    api: await web.inject({ method: 'GET', url: '/api/site' }),
    apiError: await web.inject({ method: 'GET', url: '/api/reports' }),
    missing: await web.inject({ method: 'GET', url: '/api/nope' }),
  };
  for (const [name, res] of Object.entries(responses)) {
    const h = res.headers;
    expect(h['x-frame-options'], name).toBe('DENY');
    expect(h['x-content-type-options'], name).toBe('nosniff');
    expect(h['referrer-policy'], name).toBe('no-referrer');
    const csp = String(h['content-security-policy']);
    expect(csp, name).toContain("frame-ancestors 'none'");
    expect(csp, name).toContain("script-src 'self';");
    expect(csp, name).toContain("object-src 'none'");
    expect(csp, name).not.toContain('unsafe-eval');
    // Over plain HTTP a browser would ignore it anyway; with HTTPS it would pin the host.
    expect(h['strict-transport-security'], name).toBeUndefined();
  }
  expect(responses.apiError.statusCode).toBe(401);
});

it('pins HTTPS with HSTS only when Shulan is told it is served over HTTPS', async () => {
  const https = await buildApp({ ...t.deps, config: { ...t.deps.config, secureCookies: true } }, { logger: false, webDist: dist });
  try {
    const res = await https.inject({ method: 'GET', url: '/' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
  } finally {
    await https.close();
  }
});
