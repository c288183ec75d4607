import type { Config } from './config.js';
import { createDb, type Db } from './db/createDb.js';
import { LoginLimiter } from './auth/LoginLimiter.js';
import { SessionService } from './auth/SessionService.js';
import { SecretBox, resolveSecretKey } from './lib/secretBox.js';
import { ownerOnlyUmask, secureDataDir } from './lib/dataDir.js';
import { Connectors } from './datasources/Connectors.js';
import { QueryCache } from './reports/QueryCache.js';
import { pino } from 'pino';
import { WecomIntegration } from './wecom/WecomIntegration.js';
import { InProcessLiveEvents, type LiveEvents } from './live/LiveEvents.js';
import { createCluster, type Cluster } from './cluster/Cluster.js';
import { BusLiveEvents } from './cluster/RedisLiveEvents.js';
import { RedisTokenStore } from './cluster/RedisTokenStore.js';
import { RedisLoginLimiter } from './cluster/RedisLoginLimiter.js';
import { memoryLimiterStore, redisLimiterStore } from './http/routeRateLimit.js';

/** Everything the routes, jobs and CLI use, constructed in this one place. */
export interface Deps {
  config: Config;
  db: Db;
  secretBox: SecretBox;
  sessions: SessionService;
  loginLimiter: LoginLimiter;
  connectors: Connectors;
  queryCache: QueryCache;
  /** WeCom settings, clients and their shared token cache. */
  wecom: WecomIntegration;
  /** Data-change notifications for live report updates (in-process; Redis pub/sub for several instances). */
  liveEvents: LiveEvents;
  /** What this instance shares with the others: Redis, the bus, job locks (docs/scale.md). */
  cluster: Cluster;
  /** The server's clock: what "today" is for relative date filters (tests may set their own). */
  clock: () => Date;
  close(): Promise<void>;
}

export function createDeps(config: Config, overrides: Partial<Deps> = {}): Deps {
  const log = pino({ name: 'shulan', level: config.logLevel });
  // Before anything is written: the databases, the key and uploads are for this account only.
  ownerOnlyUmask();
  const tightened = secureDataDir(config.dataDir);
  if (tightened.changed.length) {
    log.warn(`data dir ${config.dataDir}: removed group/other permissions from ${tightened.changed.length} entries (now 0700 dirs, 0600 files)`);
  }
  for (const f of tightened.failed) log.error(`data dir: cannot restrict permissions of ${f}`);
  const db = overrides.db ?? createDb(config.database);
  const secretBox = overrides.secretBox ?? new SecretBox(resolveSecretKey(config.secretKey, config.dataDir));
  const connectors = overrides.connectors ?? new Connectors(db, secretBox, config.dataDir, (line) => log.warn(line), config.sharedDir ?? null);
  const cluster = overrides.cluster ?? createCluster(config, { warn: (l) => log.warn(l), info: (l) => log.info(l) });
  const redis = cluster.redis;
  const deps: Deps = {
    config,
    db,
    secretBox,
    sessions: new SessionService(db),
    loginLimiter: redis ? new RedisLoginLimiter(db, redis) : new LoginLimiter(db),
    connectors,
    queryCache: new QueryCache(),
    wecom: new WecomIntegration(db, secretBox, {
      baseUrl: config.wecomApiBase,
      log: pino({ name: 'wecom', level: config.logLevel }),
      limiterStore: redis ? redisLimiterStore(redis) : memoryLimiterStore,
      ...(redis ? { sharedTokens: new RedisTokenStore(redis, secretBox), bus: cluster.bus } : {}),
    }),
    liveEvents: redis ? new BusLiveEvents(cluster.bus) : new InProcessLiveEvents(),
    cluster,
    clock: () => new Date(),
    ...overrides,
    async close() {
      await connectors.closeAll();
      await deps.wecom.close();
      await cluster.close();
      await db.destroy();
    },
  };
  return deps;
}
