import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '@shulan/shared';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../src/app.js';
import { hashPassword } from '../src/auth/passwords.js';
import type { Config } from '../src/config.js';
import { migrate } from '../src/db/createDb.js';
import { createDeps, type Deps } from '../src/deps.js';
import { insertUser } from '../src/users/userRepo.js';
import { freshDatabase } from './testDb.js';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  dataDir: string;
  /** Creates a user and returns its id and a bearer header for it. */
  user(role: Role, name?: string): Promise<{ id: string; username: string; password: string; headers: Record<string, string> }>;
  /** inject() with JSON body shortcut; returns status and parsed JSON. */
  call(opts: InjectOptions & { body?: unknown }): Promise<{ status: number; json: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

let counter = 0;

/** A real app on a fresh database (SQLite in memory, or a new PostgreSQL database with TEST_DB=postgres). */
export async function createTestApp(over: Partial<Config> = {}): Promise<TestApp> {
  const { database, drop } = await freshDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-test-'));
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    database,
    secretKey: 'a'.repeat(64),
    adminPassword: null,
    secureCookies: false,
    trustedProxies: [],
    publicListen: null,
    logLevel: 'silent',
    sampleContent: false,
    // Nothing in the suite may reach the real WeCom; tests that need it start the simulator.
    wecomApiBase: 'http://127.0.0.1:9',
    timeZone: 'Asia/Shanghai',
    wecomOauthBase: 'http://127.0.0.1:9',
    wecomLoginBase: 'http://127.0.0.1:9',
    ...over,
  };
  const deps = createDeps(config);
  await migrate(deps.db);
  const app = await buildApp(deps, { logger: false, webDist: null });
  await app.ready();

  const t: TestApp = {
    app,
    deps,
    dataDir,
    async user(role, name) {
      const username = name ?? `${role}${++counter}`;
      const password = `pw-${username}-secret`;
      const id = await insertUser(deps.db, {
        username,
        displayName: `${role} ${username}`,
        role,
        passwordHash: await hashPassword(password),
      });
      const session = await deps.sessions.open(id, 'password', 'api');
      return { id, username, password, headers: { authorization: `Bearer ${session.token}` } };
    },
    async call(opts) {
      const { body, ...rest } = opts;
      const res = await app.inject({ ...rest, ...(body !== undefined ? { payload: body as object } : {}) } as InjectOptions);
      let json: unknown = null;
      try {
        json = res.json();
      } catch {
        json = res.body;
      }
      return { status: res.statusCode, json, headers: res.headers };
    },
    async close() {
      await app.close();
      await deps.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
