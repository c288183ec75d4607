import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '@shulan/wecom-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/testDb.js';
import { loadConfig } from '../../config.js';
import { migrate } from '../../db/createDb.js';
import { createDeps, type Deps } from '../../deps.js';
import { APP_ID, CORP_ID, MP_SECRET, testCorp } from '../testing/wecomTestEnv.js';
import { writeWecomSettings } from '../wecomSettings.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/shulan.mjs');
let dir: string;
let sim: Simulator;
let env: NodeJS.ProcessEnv;
let deps: Deps;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-wecom-cli-'));
  sim = await startSimulator({ corp: testCorp() });
  const fresh = await freshDatabase();
  drop = fresh.drop;
  env = { ...process.env, SHULAN_DATA_DIR: dir, WECOM_API_BASE: sim.url, SHULAN_SECRET_KEY: 'b'.repeat(64), SHULAN_LOG_LEVEL: 'silent' };
  if (fresh.database.kind === 'postgres') env.SHULAN_DATABASE_URL = fresh.database.url;
  else delete env.SHULAN_DATABASE_URL;
  // The same database and key the CLI will open, with the integration configured.
  deps = createDeps(loadConfig(env));
  await migrate(deps.db);
  await writeWecomSettings(deps.db, { enabled: true, corpId: CORP_ID, appId: APP_ID, secretEnc: deps.secretBox.encrypt(MP_SECRET) });
});
afterAll(async () => {
  await deps?.close();
  await sim?.close();
  await drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI without blocking this process (the simulator answers from here). */
function shulan(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('shulan wecom sync', () => {
  it('syncs in the foreground with a progress bar on stderr and prints the counts', async () => {
    const res = await shulan('wecom', 'sync');
    expect(res.stderr).toContain('成员 members');
    expect(res.stderr).toMatch(/\[#+\] 完成 done/);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('departments: +3 ~0 -0');
    expect(res.stdout).toContain('members: seen 5, +5 ~0, left 0, disabled 0');
    expect(await deps.db.selectFrom('wecom_members').select('userid').execute()).toHaveLength(5);
    const runs = await deps.db.selectFrom('wecom_sync_runs').selectAll().execute();
    expect(runs).toMatchObject([{ trigger: 'cli', status: 'ok' }]);
  }, 60_000);

  it('exits 1 with the translated error when WeCom keeps failing, changing nothing', async () => {
    sim.controls.deleteMember('sunqi');
    sim.controls.injectFault({ endpoint: 'department/list', kind: 'errcode', errcode: 60020, times: 10 });
    const res = await shulan('wecom', 'sync');
    sim.controls.clearFaults();
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('企业可信IP');
    expect(res.stderr).toContain('Trusted IPs');
    expect((await deps.db.selectFrom('wecom_members').select('left_at').where('userid', '=', 'sunqi').executeTakeFirstOrThrow()).left_at).toBeNull();
  }, 60_000);

  it('exits 1 saying so when the integration is switched off', async () => {
    await writeWecomSettings(deps.db, { enabled: false, corpId: CORP_ID, appId: APP_ID, secretEnc: deps.secretBox.encrypt(MP_SECRET) });
    const res = await shulan('wecom', 'sync');
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('未开启');
  }, 60_000);
});
