/** Frequency limits per reference §4: per corp and per IP, per API, per minute and per hour. */
export interface RateLimits {
  corpPerMinute: number;
  corpPerHour: number;
  ipPerMinute: number;
  ipPerHour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  corpPerMinute: 10_000,
  corpPerHour: 150_000,
  ipPerMinute: 20_000,
  ipPerHour: 600_000,
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Window {
  start: number;
  count: number;
}

/**
 * Fixed windows; going over a limit blocks that (scope, api) for the window length
 * (minute → 60 s, hour → 60 min) as WeCom documents.
 */
export class RateLimiter {
  limits: RateLimits = { ...DEFAULT_RATE_LIMITS };
  private readonly windows = new Map<string, Window>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Counts one call; returns false when it must be answered with 45009. */
  allow(corpid: string, ip: string, api: string): boolean {
    const now = this.now();
    const checks: [string, number, number][] = [
      [`corp:${corpid}:${api}:m`, MINUTE, this.limits.corpPerMinute],
      [`corp:${corpid}:${api}:h`, HOUR, this.limits.corpPerHour],
      [`ip:${ip}:${api}:m`, MINUTE, this.limits.ipPerMinute],
      [`ip:${ip}:${api}:h`, HOUR, this.limits.ipPerHour],
    ];
    for (const [key] of checks) {
      if ((this.blockedUntil.get(key) ?? 0) > now) {
        return false;
      }
    }
    let ok = true;
    for (const [key, len, limit] of checks) {
      let w = this.windows.get(key);
      if (!w || now - w.start >= len) {
        w = { start: now - (now % len), count: 0 };
        this.windows.set(key, w);
      }
      w.count++;
      if (w.count > limit) {
        this.blockedUntil.set(key, now + len);
        ok = false;
      }
    }
    return ok;
  }

  reset(): void {
    this.windows.clear();
    this.blockedUntil.clear();
  }
}
