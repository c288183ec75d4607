// The web login page, cold (a fresh browser profile: nothing cached) over loopback in the real
// Chromium: time until the login form is on screen, and the JavaScript bytes the login route moved
// over the wire. Baseline: the same browser loading the bare Fastify handler's page in the same run.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import type { BenchRow } from './benchRow.js';
import { fmt, median, startBenchApp } from './harness.js';

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

async function coldLoad(browser: Browser, url: string, selector: string): Promise<{ ms: number; jsWire: number; jsRaw: number }> {
  const ctx = await browser.newContext({ locale: 'zh-CN' });
  try {
    const page = await ctx.newPage();
    const scripts: Promise<{ wire: number; raw: number }>[] = [];
    page.on('requestfinished', (req) => {
      if (req.resourceType() !== 'script') return;
      scripts.push(
        Promise.all([req.sizes(), req.response().then((r) => r?.body())]).then(([s, body]) => ({ wire: s.responseBodySize, raw: body?.length ?? 0 })),
      );
    });
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector(selector, { state: 'visible', timeout: 30_000 });
    const ms = performance.now() - t0;
    const sizes = await Promise.all(scripts);
    return { ms, jsWire: sizes.reduce((a, s) => a + s.wire, 0), jsRaw: sizes.reduce((a, s) => a + s.raw, 0) };
  } finally {
    await ctx.close();
  }
}

export async function benchWeb(opts: { quick: boolean; bareRps: number; bareLatencyMs: number }): Promise<BenchRow[]> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('web/dist is missing: run `npm run build -w @shulan/web` first');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const bare = Fastify({ logger: false });
  bare.get('/', async (_req, reply) => reply.type('text/html').send('<!doctype html><title>bare</title><form id="f"><input></form>'));
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  const b = await startBenchApp({ db: 'sqlite', webDist: WEB_DIST });
  try {
    const runs = opts.quick ? 2 : 7;
    await coldLoad(browser, `${b.url}/login`, '[data-testid="login-username"]'); // the browser's own first start
    const app: Awaited<ReturnType<typeof coldLoad>>[] = [];
    const base: number[] = [];
    for (let i = 0; i < runs; i++) {
      app.push(await coldLoad(browser, `${b.url}/login`, '[data-testid="login-username"]'));
      base.push((await coldLoad(browser, bareUrl, '#f input')).ms);
    }
    const ms = median(app.map((a) => a.ms));
    const baseMs = median(base);
    const { jsWire, jsRaw } = app[app.length - 1]!;
    return [
      { figure: 'web login page, cold, loopback: to the form', value: fmt.ms(ms), baseline: `bare page ${fmt.ms(baseMs)}`, ratio: fmt.ratio(ms / baseMs), goal: '< 400 ms' },
      { figure: 'web login route JavaScript over the wire', value: fmt.kb(jsWire), baseline: `uncompressed ${fmt.kb(jsRaw)}`, ratio: fmt.ratio(jsWire / Math.max(1, jsRaw)), goal: '< 250 KB' },
    ];
  } finally {
    await b.close();
    await bare.close();
    await browser.close();
  }
}
