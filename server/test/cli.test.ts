import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
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

  it('prints its version with --version and -v', () => {
    const { version } = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = run([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it('start names the Node.js it runs on and warns when that Node.js is past its end of life', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { ...process.env, SHULAN_DATA_DIR: dataDir, SHULAN_LOG_LEVEL: 'silent', SHULAN_DATABASE_URL: '', SHULAN_PORT: String(port), SHULAN_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!stdout.includes('is running at') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(stdout).toContain(`is running at http://localhost:${port} on Node.js ${process.version}`);
      // CI runs this suite on Node 20 (end of life 2026-04-30) and on Node 24 (supported until 2028-04-30).
      const major = Number(process.versions.node.split('.')[0]);
      if (major <= 20) {
        expect(stderr).toContain(`Node.js ${process.version} reached its end of life on 2026-04-30`);
        expect(stderr).toContain('停止维护');
      } else {
        expect(stderr).not.toContain('end of life');
      }
      expect(child.exitCode).toBeNull(); // a warning, not a refusal: it serves
      expect((await fetch(`http://127.0.0.1:${port}/api/auth/me`)).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 90_000);

  it('stops with the variable named when the configuration is bad', () => {
    const r = run(['migrate'], { SHULAN_PORT: 'abc' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SHULAN_PORT');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
