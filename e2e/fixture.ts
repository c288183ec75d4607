import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../server/src/app.js';
import { hashPassword } from '../server/src/auth/passwords.js';
import { loadConfig } from '../server/src/config.js';
import { migrate } from '../server/src/db/createDb.js';
import { createDeps, type Deps } from '../server/src/deps.js';
import { insertUser } from '../server/src/users/userRepo.js';
import type { Role } from '@shulan/shared';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../test-artifacts');
const WEB_DIST = path.resolve(import.meta.dirname, '../web/dist');

export interface E2E {
  url: string;
  deps: Deps;
  browser: Browser;
  newPage(): Promise<Page>;
  user(username: string, role: Role, password: string): Promise<string>;
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real Shulan on a port of its own (SQLite in a temp dir) and a headless Debian Chromium.
 * `env` adds or overrides configuration variables, e.g. WECOM_API_BASE pointing at the simulator.
 */
export async function startE2E(opts: { env?: Record<string, string> } = {}): Promise<E2E> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('web/dist is missing: run `npm run build -w @shulan/web`');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-e2e-'));
  const config = loadConfig({ SHULAN_DATA_DIR: dataDir, SHULAN_LOG_LEVEL: 'silent', SHULAN_SAMPLE_CONTENT: '0', ...opts.env });
  const deps = createDeps(config);
  await migrate(deps.db);
  const app = await buildApp(deps, { logger: false, webDist: WEB_DIST });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // The server's Content-Security-Policy must not break the app: Chromium reports each refusal on the console.
  const cspViolations: string[] = [];
  return {
    url,
    deps,
    browser,
    async newPage() {
      const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      const page = await ctx.newPage();
      page.on('console', (m) => {
        if (m.text().includes('Content Security Policy')) cspViolations.push(`${page.url()}: ${m.text()}`);
      });
      return page;
    },
    async user(username, role, password) {
      return insertUser(deps.db, { username, displayName: username, role, passwordHash: await hashPassword(password) });
    },
    async shot(page, name) {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await app.close();
      await deps.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (cspViolations.length > 0) throw new Error(`Content-Security-Policy violations:\n${cspViolations.join('\n')}`);
    },
  };
}
