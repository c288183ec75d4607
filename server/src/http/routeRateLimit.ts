import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { KEY_PREFIX, type ClusterRedis } from '../cluster/ClusterRedis.js';
import { TooManyRequestsError, msg, waitText } from '../errors.js';

/**
 * Where the counters live. In memory they are per process; with several instances behind a load
 * balancer, pass a factory of RateLimiterRedis (same options) so the caps hold for the whole site.
 */
export type LimiterStore = (opts: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiterStore: LimiterStore = (opts) => new RateLimiterMemory(opts);

/**
 * Counters in Redis, one atomic INCR per request, shared by every instance. While Redis is
 * unreachable each instance counts for itself (the insurance limiter) instead of failing the
 * request: the caps then hold per instance, which is looser but never locks everyone out.
 */
export function redisLimiterStore(redis: ClusterRedis): LimiterStore {
  return (opts) =>
    new RateLimiterRedis({
      ...opts,
      keyPrefix: `${KEY_PREFIX}rl:${opts.keyPrefix}`,
      storeClient: redis.client,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(opts),
    });
}

export interface RouteLimit {
  /** Requests per minute from one IP address. */
  perIpPerMinute: number;
  /** Requests per minute from everyone together: holds even against many addresses. */
  totalPerMinute: number;
}

/** Caps how often a public route may be called, before it does anything costly. */
export class RouteRateLimit {
  private readonly perIp: RateLimiterAbstract;
  private readonly total: RateLimiterAbstract;

  constructor(name: string, limit: RouteLimit, store: LimiterStore = memoryLimiterStore) {
    this.perIp = store({ keyPrefix: `${name}_ip`, points: limit.perIpPerMinute, duration: 60 });
    this.total = store({ keyPrefix: `${name}_total`, points: limit.totalPerMinute, duration: 60 });
  }

  /** Counts one request from `ip`; throws 429 (with Retry-After) when over either cap. */
  async take(ip: string): Promise<void> {
    const ipWait = await consume(this.perIp, ip);
    if (ipWait > 0) {
      const w = waitText(ipWait);
      throw new TooManyRequestsError(msg(`请求过于频繁，请 ${w.zh}后再试`, `Too many requests from your network; try again in ${w.en}`), ipWait);
    }
    // Counted only for requests within their IP's cap, so one address cannot use up everyone's share.
    const totalWait = await consume(this.total, 'all');
    if (totalWait > 0) {
      const w = waitText(totalWait);
      throw new TooManyRequestsError(msg(`当前请求的人太多，请 ${w.zh}后再试`, `Too many people are trying right now; try again in ${w.en}`), totalWait);
    }
  }
}

/** Seconds to wait, or 0 when the request is within the cap. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}
