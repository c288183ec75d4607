import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/testDb.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/shulan.mjs');
let dir: string;
let env: NodeJS.ProcessEnv;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-cli-'));
  const fresh = await freshDatabase();
  drop = fresh.drop;
  env = { ...process.env, SHULAN_DATA_DIR: dir, SHULAN_LOG_LEVEL: 'silent' };
  // On PostgreSQL runs the CLI uses the test database; otherwise its SQLite file in the data dir.
  if (fresh.database.kind === 'postgres') env.SHULAN_DATABASE_URL = fresh.database.url;
  else delete env.SHULAN_DATABASE_URL;
});
afterAll(async () => {
  await drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const shulan = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });

describe('shulan user import', () => {
  it('dry run reports and writes nothing; the real run writes a mode-600 passwords file and prints only its path', () => {
    const file = path.join(dir, '人员.csv');
    fs.writeFileSync(file, '用户名,姓名,手机号\nalice,爱丽丝,13800000001\nbob,鲍勃,\n,没有账号,\n');

    const dry = shulan('user', 'import', file, '--dry-run');
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(2);
    expect(dry.stdout).toContain('dry run, nothing written: created 2, updated 0, unchanged 0, errors 1');
    expect(dry.stdout).toContain('row 4: error: username is missing');
    expect(fs.existsSync(`${file}.passwords.csv`)).toBe(false);

    const real = shulan('user', 'import', file);
    expect(real.status).toBe(2);
    expect(real.stdout).toContain('created 2, updated 0, unchanged 0, errors 1');
    const pwFile = `${file}.passwords.csv`;
    expect(real.stdout).toContain(pwFile);
    expect(fs.statSync(pwFile).mode & 0o777).toBe(0o600);
    const lines = fs.readFileSync(pwFile, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('username,password');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(['alice', 'bob']);
    for (const l of lines.slice(1)) expect(real.stdout).not.toContain(l.split(',')[1]!);

    const again = shulan('user', 'import', file);
    expect(again.stdout).toContain('created 0, updated 0, unchanged 2, errors 1');
  });

  it('exits 0 when every row is fine and 1 with a message for a file it refuses', () => {
    const ok = path.join(dir, 'ok.csv');
    fs.writeFileSync(ok, 'username,name\ncarol,卡罗尔\n');
    const res = shulan('user', 'import', ok);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('created 1');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'a,b\n1,2\n');
    const refused = shulan('user', 'import', bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/error: The header row needs a "username"/);
    const missing = shulan('user', 'import', path.join(dir, 'nope.csv'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });
});
