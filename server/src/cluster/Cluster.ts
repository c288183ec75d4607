import type { Config } from '../config.js';
import { ClusterBus } from './ClusterBus.js';
import { ClusterRedis, type RedisHealth, type RedisLog } from './ClusterRedis.js';
import { jobLocksFor, type JobLocks } from './JobLocks.js';

/**
 * What an instance shares with the others (docs/scale.md). One instance (no SHULAN_REDIS_URL):
 * no Redis, an in-process bus, and job locks that always grant (the lease row decides).
 */
export interface Cluster {
  /** null: single instance. */
  redis: ClusterRedis | null;
  /** Messages to every instance (live events, sync progress, WeCom pauses). */
  bus: ClusterBus;
  /** Jobs that run on one instance at a time (sync, report cards). */
  locks: JobLocks;
  /** Redis as doctor reports it; null when none is configured. */
  redisHealth(): RedisHealth | null;
  close(): Promise<void>;
}

export function createCluster(config: Config, log: RedisLog): Cluster {
  const redis = config.redisUrl ? new ClusterRedis(config.redisUrl, log) : null;
  return {
    redis,
    bus: new ClusterBus(redis),
    locks: jobLocksFor(config.database),
    redisHealth: () => redis?.health() ?? null,
    close: async () => redis?.close(),
  };
}
