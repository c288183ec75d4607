import type { Db } from '../db/createDb.js';

export type LimitScope = 'user_ip' | 'user' | 'ip';

export interface Limit {
  points: number;
  windowS: number;
}

/**
 * Per username+IP: the person mistyping. Per username across all IPs: slower, so guessing spread
 * over many addresses still stops, while ten requests from one stranger cannot lock anyone out.
 * Per IP: one address trying many usernames.
 */
export const LOGIN_LIMITS: Record<LimitScope, Limit> = {
  user_ip: { points: 10, windowS: 15 * 60 },
  user: { points: 100, windowS: 60 * 60 },
  ip: { points: 50, windowS: 15 * 60 },
};

export interface Counter {
  scope: LimitScope;
  key: string;
  count: number;
  resetAt: string;
  /** Set when the counter lives in Redis (cluster/RedisLoginLimiter.ts): its window's end as stored. */
  redisReset?: string;
}

/** One password check that is allowed to run; it already counts as a failure until released. */
export class Reservation {
  constructor(
    private readonly limiter: LoginLimiter,
    readonly counters: Counter[],
  ) {}

  /** Scopes this attempt filled to their limit: when it fails, those are now locked. */
  get filled(): { scope: LimitScope; resetAt: string }[] {
    return this.counters.filter((c) => c.count === this.limiter.limits[c.scope].points).map(({ scope, resetAt }) => ({ scope, resetAt }));
  }

  /**
   * The password was right: the attempt does not count, and this user's earlier failures from
   * this IP are forgiven. The per-user and per-IP counts keep the failures of others.
   */
  async succeed(): Promise<void> {
    await this.limiter.release(this.counters.filter((c) => c.scope !== 'user_ip'));
    await this.limiter.forget(this.counters.filter((c) => c.scope === 'user_ip'));
  }
}

// Expired rows are harmless but would pile up with every username ever tried.
const SWEEP_EVERY_MS = 60_000;

/**
 * Counts password checks per username+IP, per username and per IP in the application database.
 * An attempt is counted BEFORE the password is verified (reserve), and given back only when the
 * password was right, so concurrent requests cannot run more checks than the limit allows.
 */
export class LoginLimiter {
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    readonly limits: Record<LimitScope, Limit> = LOGIN_LIMITS,
  ) {}

  /** Reserves one attempt, or answers how many seconds the caller must wait. */
  async reserve(username: string, ip: string): Promise<Reservation | { retryAfter: number }> {
    const now = Date.now();
    await this.sweep(now);
    const user = username.trim().toLowerCase();
    const wanted: { scope: LimitScope; key: string; username_key: string | null }[] = [
      { scope: 'user_ip', key: `user_ip:${user}|${ip}`, username_key: user },
      { scope: 'user', key: `user:${user}`, username_key: user },
      { scope: 'ip', key: `ip:${ip}`, username_key: null },
    ];
    const nowIso = new Date(now).toISOString();
    // One statement per counter, each an atomic upsert: the count returned includes this attempt.
    const counters: Counter[] = [];
    for (const w of wanted) {
      const resetAt = new Date(now + this.limits[w.scope].windowS * 1000).toISOString();
      const row = await this.db
        .insertInto('login_attempts')
        .values({ key: w.key, username_key: w.username_key, count: 1, reset_at: resetAt })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => {
            const expired = eb('login_attempts.reset_at', '<=', nowIso);
            return {
              count: eb.case().when(expired).then(1).else(eb('login_attempts.count', '+', 1)).end(),
              reset_at: eb.case().when(expired).then(resetAt).else(eb.ref('login_attempts.reset_at')).end(),
            };
          }),
        )
        .returning(['count', 'reset_at'])
        .executeTakeFirstOrThrow();
      counters.push({ scope: w.scope, key: w.key, count: Number(row.count), resetAt: row.reset_at });
    }
    const over = counters.filter((c) => c.count > this.limits[c.scope].points);
    if (!over.length) return new Reservation(this, counters);
    await this.release(counters);
    const wait = Math.max(...over.map((c) => Date.parse(c.resetAt) - now));
    return { retryAfter: Math.max(1, Math.ceil(wait / 1000)) };
  }

  /** Forgets every per-user counter of a username (password reset by an admin or the CLI). */
  async clearUser(username: string): Promise<void> {
    await this.db.deleteFrom('login_attempts').where('username_key', '=', username.trim().toLowerCase()).execute();
  }

  /** Gives attempts back; a counter whose window has restarted since is left alone. */
  async release(counters: Counter[]): Promise<void> {
    for (const c of counters) {
      await this.db
        .updateTable('login_attempts')
        .set((eb) => ({ count: eb('count', '-', 1) }))
        .where('key', '=', c.key)
        .where('reset_at', '=', c.resetAt)
        .where('count', '>', 0)
        .execute();
    }
  }

  async forget(counters: Counter[]): Promise<void> {
    for (const c of counters) await this.db.deleteFrom('login_attempts').where('key', '=', c.key).execute();
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.db.deleteFrom('login_attempts').where('reset_at', '<', new Date(now).toISOString()).execute();
  }
}
