import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createTestApp, type TestApp } from './testApp.js';

let t: TestApp;
let web: Awaited<ReturnType<typeof buildApp>>;
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-dist-'));
// As `vite build` leaves it: a hashed chunk with .br/.gz siblings (web/vite.config.ts precompress).
const CHUNK = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `登录-${i}`))};`;
const INDEX = `<!doctype html><title>数览</title><script type="module" src="/assets/login-Ab12Cd.js"></script>${'<!-- padding -->'.repeat(100)}`;

beforeAll(async () => {
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), INDEX);
  fs.writeFileSync(path.join(dist, 'assets', 'app-1.js'), 'console.log(1)');
  for (const [file, text] of [['index.html', INDEX], ['assets/login-Ab12Cd.js', CHUNK]] as const) {
    fs.writeFileSync(path.join(dist, file), text);
    fs.writeFileSync(path.join(dist, `${file}.br`), zlib.brotliCompressSync(text));
    fs.writeFileSync(path.join(dist, `${file}.gz`), zlib.gzipSync(text));
  }
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

it('sends the precompressed brotli or gzip file the browser accepts, and the plain file otherwise', async () => {
  const br = await web.inject({ method: 'GET', url: '/assets/login-Ab12Cd.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  expect(br.statusCode).toBe(200);
  expect(br.headers['content-encoding']).toBe('br');
  expect(String(br.headers['content-type'])).toContain('javascript');
  expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
  expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(CHUNK);
  expect(br.rawPayload.length).toBeLessThan(Buffer.byteLength(CHUNK) / 2);

  const gz = await web.inject({ method: 'GET', url: '/assets/login-Ab12Cd.js', headers: { 'accept-encoding': 'gzip, deflate' } });
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(CHUNK);

  const plain = await web.inject({ method: 'GET', url: '/assets/login-Ab12Cd.js', headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body).toBe(CHUNK);

  // The app's page, at its root and at a client-side route, also goes out compressed.
  for (const url of ['/', '/login']) {
    const page = await web.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
    expect(page.statusCode, url).toBe(200);
    expect(page.headers['content-encoding'], url).toBe('br');
    expect(zlib.brotliDecompressSync(page.rawPayload).toString(), url).toBe(INDEX);
  }
});

it('lets browsers keep hashed assets for a year without asking, and revalidate the page on every visit', async () => {
  for (const url of ['/assets/login-Ab12Cd.js', '/assets/app-1.js']) {
    const res = await web.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
    expect(res.headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
  }
  // A new build changes index.html in place: it must never be served from cache unchecked.
  for (const url of ['/', '/index.html', '/login', '/reports/abc']) {
    const res = await web.inject({ method: 'GET', url });
    expect(res.statusCode, url).toBe(200);
    expect(res.headers['cache-control'], url).toBe('no-cache');
  }
});

it('compresses large API answers for clients that accept it, and leaves small ones alone', async () => {
  const big = await web.inject({ method: 'GET', url: '/api/openapi.json', headers: { 'accept-encoding': 'gzip' } });
  expect(big.statusCode).toBe(200);
  expect(big.headers['content-encoding']).toBe('gzip');
  expect(JSON.parse(zlib.gunzipSync(big.rawPayload).toString()).openapi).toBeTruthy();
  const small = await web.inject({ method: 'GET', url: '/api/site', headers: { 'accept-encoding': 'gzip' } });
  expect(small.statusCode).toBe(200);
  expect(small.headers['content-encoding']).toBeUndefined();
  expect(small.json().data).toBeTruthy();
});
