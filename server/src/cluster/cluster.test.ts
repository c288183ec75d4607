import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reservation } from '../auth/LoginLimiter.js';
import { createDb, migrate, type Db } from '../db/createDb.js';
import { DuckDbStore } from '../datasources/DuckDbStore.js';
import { TooManyRequestsError } from '../errors.js';
import { RouteRateLimit, redisLimiterStore } from '../http/routeRateLimit.js';
import { SecretBox } from '../lib/secretBox.js';
import type { DataChangedEvent } from '../live/LiveEvents.js';
import { WecomTokenCache } from '../wecom/WecomTokenCache.js';
import { acquireLease } from '../wecom/sync/syncLease.js';
import { freshDatabase, TEST_DB } from '../../test/testDb.js';
import { startRedis, type RedisProcess } from '../../test/redisProcess.js';
import { ClusterBus } from './ClusterBus.js';
import { ClusterRedis, KEY_PREFIX } from './ClusterRedis.js';
import { PostgresJobLocks } from './JobLocks.js';
import { BusLiveEvents } from './RedisLiveEvents.js';
import { RedisLoginLimiter } from './RedisLoginLimiter.js';
import { RedisTokenStore } from './RedisTokenStore.js';
import { sharedTableFiles } from './sharedTableFiles.js';

/** Waits for a condition (polling; nothing here is timed). */
async function until(cond: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  const give = Date.now() + 10_000;
  while (!(await cond())) {
    if (Date.now() > give) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const lines: string[] = [];
const log = { warn: (l: string) => lines.push(`warn ${l}`), info: (l: string) => lines.push(`info ${l}`) };

let redis: RedisProcess;
let a: ClusterRedis;
let b: ClusterRedis;
let db: Db;
let dropDb: () => Promise<void>;
let dbUrl = '';

beforeAll(async () => {
  redis = await startRedis();
  a = new ClusterRedis(redis.url, log);
  b = new ClusterRedis(redis.url, log);
  expect(await a.ready()).toBe(true);
  expect(await b.ready()).toBe(true);
  const fresh = await freshDatabase();
  dropDb = fresh.drop;
  if (fresh.database.kind === 'postgres') dbUrl = fresh.database.url;
  db = createDb(fresh.database);
  await migrate(db);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await db?.destroy();
  await dropDb?.();
  await redis?.stop();
});

const tight = { user_ip: { points: 3, windowS: 900 }, user: { points: 100, windowS: 3600 }, ip: { points: 50, windowS: 900 } };

describe('two instances sharing one Redis', () => {
  it('a data change published on one instance reaches the listeners of the other, and its own once', async () => {
    const onA = new BusLiveEvents(new ClusterBus(a));
    const onB = new BusLiveEvents(new ClusterBus(b));
    const gotA: DataChangedEvent[] = [];
    const gotB: DataChangedEvent[] = [];
    onA.onDataChanged((e) => gotA.push(e));
    onB.onDataChanged((e) => gotB.push(e));
    await until(async () => ((await a.client.pubsub('NUMSUB', `${KEY_PREFIX}bus`)) as [string, number])[1] >= 2, 'both subscribed');
    onA.publishDataChanged({ datasetIds: ['ds-1'] });
    await until(() => gotB.length === 1, 'the event on B');
    expect(gotB).toEqual([{ datasetIds: ['ds-1'] }]);
    expect(gotA).toEqual([{ datasetIds: ['ds-1'] }]);
  });

  it('route limits count the requests of both instances together', async () => {
    const name = `t${Date.now()}`;
    const onA = new RouteRateLimit(name, { perIpPerMinute: 3, totalPerMinute: 100 }, redisLimiterStore(a));
    const onB = new RouteRateLimit(name, { perIpPerMinute: 3, totalPerMinute: 100 }, redisLimiterStore(b));
    await onA.take('10.0.0.1');
    await onB.take('10.0.0.1');
    await onA.take('10.0.0.1');
    await expect(onB.take('10.0.0.1')).rejects.toBeInstanceOf(TooManyRequestsError);
    await onB.take('10.0.0.2'); // another address is not held back
  });

  it('a burst of token requests on both instances makes one gettoken call for the cluster; Redis holds no token in clear', async () => {
    const box = new SecretBox('b'.repeat(64));
    const onA = new WecomTokenCache(Date.now, new RedisTokenStore(a, box));
    const onB = new WecomTokenCache(Date.now, new RedisTokenStore(b, box));
    let calls = 0;
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    const fetch = async () => {
      calls++;
      await answered; // WeCom takes its time: everyone else arrives meanwhile
      return { token: 'TOKEN-abcdef-123456', expiresIn: 7200 };
    };
    const key = WecomTokenCache.keyOf('ww-corp', 'the-secret');
    const burst = [...Array(10)].flatMap(() => [onA.get(key, fetch), onB.get(key, fetch)]);
    await until(() => calls === 1, 'the one fetch');
    answer();
    expect(new Set(await Promise.all(burst))).toEqual(new Set(['TOKEN-abcdef-123456']));
    expect(calls).toBe(1);
    const stored = await a.client.get(`${KEY_PREFIX}wecom:token:${key}`);
    expect(stored).toBeTruthy();
    expect(stored).not.toContain('TOKEN-abcdef');
    expect(stored).not.toContain('the-secret');
    // A token WeCom rejected is dropped for everyone; the next caller fetches a new one.
    onA.invalidate(key, 'TOKEN-abcdef-123456');
    await until(async () => (await a.client.get(`${KEY_PREFIX}wecom:token:${key}`)) === null, 'the shared token removed');
  });

  it('login limits: concurrent attempts on both instances get exactly the allowed checks; a password reset lifts the lock', async () => {
    const onA = new RedisLoginLimiter(db, a, tight);
    const onB = new RedisLoginLimiter(db, b, tight);
    const results = await Promise.all([...Array(8)].map((_, i) => (i % 2 ? onA : onB).reserve('Alice', '10.1.1.1')));
    expect(results.filter((r) => r instanceof Reservation)).toHaveLength(3);
    const locked = results.find((r) => !(r instanceof Reservation)) as { retryAfter: number };
    expect(locked.retryAfter).toBeGreaterThan(800);
    // A right password forgives this user's failures from this address, on every instance.
    await (results.find((r) => r instanceof Reservation) as Reservation).succeed();
    for (const l of [onA, onB, onA]) expect(await l.reserve('alice', '10.1.1.1')).toBeInstanceOf(Reservation);
    expect(await onB.reserve('alice', '10.1.1.1')).not.toBeInstanceOf(Reservation);
    // So does a password reset (admin or CLI), made on either instance.
    await onB.clearUser('ALICE');
    expect(await onA.reserve('alice', '10.1.1.1')).toBeInstanceOf(Reservation);
  });
});

describe('Redis down', () => {
  it('limits fall back to this instance, live events stay local, tokens are fetched here; all is shared again once Redis is back', async () => {
    await redis.stop();
    await until(() => !a.up && !b.up, 'both see Redis down');
    expect(lines.some((l) => l.startsWith('warn redis: unreachable'))).toBe(true);
    expect(a.health()).toMatchObject({ up: false, downSince: expect.any(String) });

    const limit = new RouteRateLimit(`down${Date.now()}`, { perIpPerMinute: 2, totalPerMinute: 100 }, redisLimiterStore(a));
    await limit.take('10.0.0.9');
    await limit.take('10.0.0.9');
    await expect(limit.take('10.0.0.9')).rejects.toBeInstanceOf(TooManyRequestsError); // still capped, per instance

    const logins = new RedisLoginLimiter(db, a, tight);
    const r = await logins.reserve('bob', '10.2.2.2');
    expect(r).toBeInstanceOf(Reservation); // counted in the database meanwhile
    const counted = await db.selectFrom('login_attempts').select('count').where('key', '=', 'user_ip:bob|10.2.2.2').executeTakeFirst();
    expect(counted?.count).toBe(1);

    const events = new BusLiveEvents(new ClusterBus(a));
    const got: DataChangedEvent[] = [];
    events.onDataChanged((e) => got.push(e));
    events.publishDataChanged({ datasetIds: ['local'] });
    expect(got).toEqual([{ datasetIds: ['local'] }]);

    const tokens = new WecomTokenCache(Date.now, new RedisTokenStore(a, new SecretBox('b'.repeat(64))));
    expect(await tokens.get('k', async () => ({ token: 'LOCAL', expiresIn: 7200 }))).toBe('LOCAL');

    await redis.start();
    await until(() => a.up && b.up, 'reconnected');
    expect(lines.some((l) => l.startsWith('info redis: reachable again'))).toBe(true);
    const again = `up${Date.now()}`;
    await new RouteRateLimit(again, { perIpPerMinute: 1, totalPerMinute: 100 }, redisLimiterStore(a)).take('10.0.0.3');
    await expect(new RouteRateLimit(again, { perIpPerMinute: 1, totalPerMinute: 100 }, redisLimiterStore(b)).take('10.0.0.3')).rejects.toBeInstanceOf(TooManyRequestsError);
  });
});

describe('uploads shared through Parquet files', () => {
  it('a table replaced on one instance is queried on the other, new version included; user SQL cannot read the files', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-shared-'));
    const shared = sharedTableFiles(db, path.join(tmp, 'shared'));
    const registered = async () => new Set(['sales']);
    const storeA = await DuckDbStore.open(path.join(tmp, 'a.duckdb'), { registeredTables: registered, shared });
    const storeB = await DuckDbStore.open(path.join(tmp, 'b.duckdb'), { registeredTables: registered, shared });
    try {
      const fields = [
        { name: 'day', type: 'date' as const },
        { name: 'amount', type: 'number' as const },
      ];
      await storeA.replaceTable('sales', fields, [['2026-01-01', 10], ['2026-01-02', 32.5]]);
      expect(await storeB.query('SELECT count(*) AS n, sum(amount) AS s, min(day) AS d FROM sales', [])).toEqual([{ n: 2, s: 42.5, d: '2026-01-01' }]);
      await storeA.replaceTable('sales', fields, [['2026-02-01', 1]]);
      expect(await storeB.query('SELECT count(*) AS n, sum(amount) AS s FROM sales', [])).toEqual([{ n: 1, s: 1 }]);
      const files = fs.readdirSync(path.join(tmp, 'shared', 'tables', 'sales'));
      expect(files.length).toBeGreaterThanOrEqual(1);
      await expect(storeB.query(`SELECT * FROM read_parquet('${path.join(tmp, 'shared', 'tables', 'sales', files[0]!)}')`, [])).rejects.toThrow(/read_parquet|表函数|table functions/i);
      await expect(storeB.query("SELECT * FROM read_csv('/etc/passwd')", [])).rejects.toThrow();
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });
});

describe.skipIf(TEST_DB !== 'postgres')('job locks on PostgreSQL', () => {
  it('a live holder keeps the job; when its session dies the next instance takes the lease over at once', async () => {
    const onA = new PostgresJobLocks(dbUrl);
    const locks = new PostgresJobLocks(dbUrl); // instance B
    const held = await onA.tryHold('sync');
    expect(held).not.toBeNull();
    expect(await locks.tryHold('sync')).toBeNull(); // A is alive and holds it
    expect(await onA.tryHold('sync')).toBeNull(); // nor does A run it twice
    expect(await acquireLease(db, 'run-a', Date.now(), 'host-a:1:aa', 'sync', true)).toBe(true);
    // The holder's process dies: PostgreSQL ends its session (as when the socket drops).
    const admin = new pg.Client({ connectionString: dbUrl });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'shulan job lock sync'");
    await admin.end();
    let next: Awaited<ReturnType<typeof locks.tryHold>> = null;
    await until(async () => (next = await locks.tryHold('sync')) !== null, 'the lock freed');
    // Its lease still runs for a minute, yet is taken over now: the lock proves the holder is gone.
    expect(await acquireLease(db, 'run-b', Date.now(), 'host-b:2:bb', 'sync', true)).toBe(true);
    await next!.release();
    await held!.release();
    // A holder that took no lock (an older instance mid-upgrade) is still waited for.
    expect(await acquireLease(db, 'run-c', Date.now() + 120_000, 'old:3:cc', 'sync', false)).toBe(true);
    expect(await acquireLease(db, 'run-d', Date.now() + 120_000, 'host-b:2:bb', 'sync', true)).toBe(false);
  });
});
