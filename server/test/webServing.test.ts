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
