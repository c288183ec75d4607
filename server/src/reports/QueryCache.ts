import { createHash } from 'node:crypto';
import type { QueryResult } from '@shulan/shared';
import { LRUCache } from 'lru-cache';

/** Results from external sources may change behind our back, so they expire. */
export const EXTERNAL_TTL_MS = 5 * 60 * 1000;

type Entry = Omit<QueryResult, 'cached'>;

export interface QueryCacheOptions {
  /** Total budget, measured as JSON characters of the cached results. */
  maxSize?: number;
  /** Clock for TTL checks; tests pass their own. */
  now?: () => number;
}

/**
 * Cache of query results. The key holds the dataset's data version, so a data change (which
 * bumps it) makes old entries unreachable; they then age out of the LRU.
 */
export class QueryCache {
  private readonly lru: LRUCache<string, Entry>;
  /** Queries running now, so a dashboard opened by many people at once asks the database once. */
  private readonly inflight = new Map<string, Promise<Entry>>();

  constructor(opts: QueryCacheOptions = {}) {
    const maxSize = opts.maxSize ?? 64 * 1024 * 1024;
    this.lru = new LRUCache<string, Entry>({
      max: 5000,
      maxSize,
      // One huge export must not flush everything else.
      maxEntrySize: Math.floor(maxSize / 8),
      sizeCalculation: (v) => Math.max(1, JSON.stringify(v.rows).length),
      ttlAutopurge: false,
      // A custom clock must be read on every check, not through lru-cache's 1 ms timer cache.
      ...(opts.now ? { perf: { now: opts.now }, ttlResolution: 0 } : {}),
    });
  }

  /** Cache key: dataset, its data version and a stable hash of the compiled SQL and parameters. */
  static key(datasetId: string, dataVersion: number, compiled: { sql: string; params: unknown[]; countSql?: string }): string {
    const hash = createHash('sha256')
      .update(JSON.stringify([compiled.sql, compiled.params, compiled.countSql ?? null]))
      .digest('base64url');
    return `${datasetId}:${dataVersion}:${hash}`;
  }

  get(key: string): Entry | undefined {
    return this.lru.get(key);
  }

  /** `ttlMs` = null keeps the entry until evicted or its data version changes. */
  set(key: string, value: Entry, ttlMs: number | null): void {
    this.lru.set(key, value, ttlMs === null ? {} : { ttl: ttlMs });
  }

  /** Runs `load` unless the same key is already running, in which case that run is shared. */
  shared(key: string, load: () => Promise<Entry>): Promise<Entry> {
    let p = this.inflight.get(key);
    if (!p) {
      p = load().finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}
