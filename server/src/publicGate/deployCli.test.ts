import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/testDb.js';
import { loadConfig } from '../config.js';
import { migrate } from '../db/createDb.js';
import { createDeps } from '../deps.js';
import { writeWecomSettings } from '../wecom/wecomSettings.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/shulan.mjs');
const APPID = 'wx1234567890abcdef';
let dir: string;
let env: NodeJS.ProcessEnv;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-deploy-cli-'));
  const fresh = await freshDatabase();
  drop = fresh.drop;
  env = { ...process.env, SHULAN_DATA_DIR: dir, SHULAN_LOG_LEVEL: 'silent', SHULAN_PORT: '9090' };
  if (fresh.database.kind === 'postgres') env.SHULAN_DATABASE_URL = fresh.database.url;
  else delete env.SHULAN_DATABASE_URL;
});
afterAll(async () => {
  await drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const shulan = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
const nginx = (...extra: string[]) =>
  shulan('deploy', 'nginx', '--domain', 'bi.example.com', '--cert', '/etc/ssl/bi/fullchain.pem', '--key', '/etc/ssl/bi/privkey.pem', ...extra);

describe('shulan deploy nginx', () => {
  it('takes the AppID from the saved WeCom settings, and says what to do when there is none', async () => {
    const none = nginx();
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('--appid');
    expect(none.stdout).toBe('');

    const deps = createDeps(loadConfig(env));
    await migrate(deps.db);
    await writeWecomSettings(deps.db, { enabled: false, appId: APPID });
    await deps.close();

    const res = nginx();
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(`servicewechat\\.com/${APPID}/`);
    expect(res.stdout).toContain('proxy_pass http://127.0.0.1:9090;'); // SHULAN_PORT
    expect(res.stdout).toMatch(/^\s*listen 80;$/m);
  });

  it('writes --out, leaves port 80 out when asked, and refuses bad input with a message', () => {
    const out = path.join(dir, 'shulan.conf');
    const res = nginx('--appid', 'wx00000000000000ff', '--upstream', '127.0.0.1:8081', '--no-http-redirect', '--out', out);
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('nginx -t');
    const conf = fs.readFileSync(out, 'utf8');
    expect(conf).toContain('servicewechat\\.com/wx00000000000000ff/');
    expect(conf).toContain('proxy_pass http://127.0.0.1:8081;');
    expect(conf).not.toMatch(/^\s*listen 80;$/m);

    const bad = nginx('--appid', APPID, '--cert', 'relative.pem');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--cert must be an absolute path');
  });
});
