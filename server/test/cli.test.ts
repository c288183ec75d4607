import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../bin/shulan.mjs');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-cli-'));
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, SHULAN_DATA_DIR: dataDir, SHULAN_LOG_LEVEL: 'silent', SHULAN_DATABASE_URL: '', ...env },
    encoding: 'utf8',
  });

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('shulan CLI', () => {
  it('migrates, creates an admin with a generated password, and resets it', () => {
    expect(run(['migrate']).status).toBe(0);
    const created = run(['admin', 'create', 'ops']);
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/admin "ops" created; password: \S{8,}/);
    const again = run(['admin', 'create', 'ops']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    const reset = run(['admin', 'reset-password', 'ops', '--password', 'new-password-1']);
    expect(reset.status).toBe(0);
    expect(reset.stdout).not.toContain('new-password-1');
    expect(fs.statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('stops with the variable named when the configuration is bad', () => {
    const r = run(['migrate'], { SHULAN_PORT: 'abc' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SHULAN_PORT');
  });
});
