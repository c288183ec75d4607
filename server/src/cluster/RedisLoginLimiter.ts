import { LoginLimiter, Reservation, type Counter, type Limit, type LimitScope, LOGIN_LIMITS } from '../auth/LoginLimiter.js';
import type { Db } from '../db/createDb.js';
import { KEY_PREFIX, type ClusterRedis } from './ClusterRedis.js';

const P = `${KEY_PREFIX}login:`;

// Reserve: every counter is counted in one atomic script (a counter is a hash {count, reset} whose
// window restarts once `reset` has passed); when any is over its limit, all are given back at once
// and the waits returned. Same reserve-then-verify rule as the database version.
const RESERVE = `
local now = tonumber(ARGV[1])
local n = #KEYS
local counts, resets, over = {}, {}, false
for i = 1, n do
  local points, window = tonumber(ARGV[2*i]), tonumber(ARGV[2*i+1])
  local reset = tonumber(redis.call('HGET', KEYS[i], 'reset') or '0')
  if reset <= now then
    reset = now + window
    redis.call('HSET', KEYS[i], 'count', 1, 'reset', reset)
    redis.call('PEXPIREAT', KEYS[i], reset)
    counts[i] = 1
  else
    counts[i] = redis.call('HINCRBY', KEYS[i], 'count', 1)
  end
  resets[i] = reset
  if counts[i] > points then over = true end
end
if over then
  for i = 1, n do redis.call('HINCRBY', KEYS[i], 'count', -1) end
end
local out = {}
for i = 1, n do out[2*i-1] = counts[i]; out[2*i] = tostring(resets[i]) end
return out`;

// Gives one attempt back unless the window restarted since (the reset differs).
const RELEASE = `
if redis.call('HGET', KEYS[1], 'reset') == ARGV[1] and tonumber(redis.call('HGET', KEYS[1], 'count') or '0') > 0 then
  return redis.call('HINCRBY', KEYS[1], 'count', -1)
end
return 0`;

/**
 * The login limits in Redis for a cluster: one round trip per attempt instead of three database
 * upserts. While Redis is unreachable the database counters (the single-instance implementation,
 * still shared by all instances) take over, so a Redis outage never opens the door nor locks
 * anyone out. A password reset clears both.
 */
export class RedisLoginLimiter extends LoginLimiter {
  constructor(
    db: Db,
    private readonly redis: ClusterRedis,
    limits: Record<LimitScope, Limit> = LOGIN_LIMITS,
  ) {
    super(db, limits);
  }

  override async reserve(username: string, ip: string): Promise<Reservation | { retryAfter: number }> {
    if (!this.redis.up) return super.reserve(username, ip);
    const now = Date.now();
    const user = username.trim().toLowerCase();
    const wanted: { scope: LimitScope; key: string }[] = [
      { scope: 'user_ip', key: `${P}user_ip:${user}|${ip}` },
      { scope: 'user', key: `${P}user:${user}` },
      { scope: 'ip', key: `${P}ip:${ip}` },
    ];
    let raw: (number | string)[];
    try {
      const args = wanted.flatMap((w) => [this.limits[w.scope].points, this.limits[w.scope].windowS * 1000]);
      raw = (await this.redis.client.eval(RESERVE, wanted.length, ...wanted.map((w) => w.key), now, ...args)) as (number | string)[];
      // Remembered per username, so a password reset can find every IP's counter of that user.
      await this.redis.client.pipeline().sadd(`${P}keys:${user}`, wanted[0]!.key).pexpire(`${P}keys:${user}`, this.limits.user_ip.windowS * 1000).exec();
    } catch {
      return super.reserve(username, ip);
    }
    const counters: Counter[] = wanted.map((w, i) => ({
      scope: w.scope,
      key: w.key,
      count: Number(raw[2 * i]),
      // The window's end in ms as stored (the release compares it); resetAt is that as ISO.
      resetAt: new Date(Number(raw[2 * i + 1])).toISOString(),
      redisReset: String(raw[2 * i + 1]),
    }));
    const over = counters.filter((c) => c.count > this.limits[c.scope].points);
    if (!over.length) return new Reservation(this, counters);
    const wait = Math.max(...over.map((c) => Date.parse(c.resetAt) - now));
    return { retryAfter: Math.max(1, Math.ceil(wait / 1000)) };
  }

  override async release(counters: Counter[]): Promise<void> {
    const inRedis = counters.filter((c) => c.redisReset !== undefined);
    await super.release(counters.filter((c) => c.redisReset === undefined));
    for (const c of inRedis) await this.redis.client.eval(RELEASE, 1, c.key, c.redisReset!).catch(() => undefined);
  }

  override async forget(counters: Counter[]): Promise<void> {
    const inRedis = counters.filter((c) => c.redisReset !== undefined);
    await super.forget(counters.filter((c) => c.redisReset === undefined));
    if (inRedis.length) await this.redis.client.del(...inRedis.map((c) => c.key)).catch(() => undefined);
  }

  override async clearUser(username: string): Promise<void> {
    await super.clearUser(username);
    const user = username.trim().toLowerCase();
    try {
      const keys = await this.redis.client.smembers(`${P}keys:${user}`);
      await this.redis.client.del(...keys, `${P}user:${user}`, `${P}keys:${user}`);
    } catch {
      // Redis down: logins count in the database meanwhile, which was just cleared.
    }
  }
}
