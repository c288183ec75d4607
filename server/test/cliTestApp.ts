import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from './testApp.js';
import { TEST_DB } from './testDb.js';

const BIN = path.resolve(import.meta.dirname, '../bin/shulan.mjs');

export interface CliTestApp {
  t: TestApp;
  /** Runs `shulan …` in another process against the same database and data dir. */
  cli(args: string[]): SpawnSyncReturns<string>;
  close(): Promise<void>;
}

/** A test app whose database and data dir a separate `shulan` process can open too. */
export async function createCliTestApp(prefix: string): Promise<CliTestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const t = await createTestApp(
    TEST_DB === 'sqlite' ? { dataDir: dir, database: { kind: 'sqlite', file: path.join(dir, 'shulan.sqlite') } } : { dataDir: dir },
  );
  const db = t.deps.config.database;
  return {
    t,
    cli: (args) =>
      spawnSync(process.execPath, [BIN, ...args], {
        env: {
          ...process.env,
          SHULAN_DATA_DIR: dir,
          SHULAN_DATABASE_URL: db.kind === 'postgres' ? db.url : '',
          SHULAN_SECRET_KEY: t.deps.config.secretKey ?? '',
          SHULAN_LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    async close() {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
