import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

const WINDOW_S = 15 * 60;

/**
 * Counts failed logins per username and per IP. Blocked callers are refused before the
 * password is checked, so guessing stops even with the right password.
 */
export class LoginLimiter {
  constructor(
    private readonly perUser: RateLimiterAbstract = new RateLimiterMemory({ keyPrefix: 'login_user', points: 10, duration: WINDOW_S }),
    private readonly perIp: RateLimiterAbstract = new RateLimiterMemory({ keyPrefix: 'login_ip', points: 50, duration: WINDOW_S }),
  ) {}

  /** Seconds until the caller may try again, or 0 when allowed. */
  async retryAfter(username: string, ip: string): Promise<number> {
    const [u, i] = await Promise.all([this.perUser.get(username.toLowerCase()), this.perIp.get(ip)]);
    const blocked = [
      [u, this.perUser.points],
      [i, this.perIp.points],
    ] as const;
    let wait = 0;
    for (const [res, points] of blocked) {
      if (res && res.consumedPoints >= points) wait = Math.max(wait, Math.ceil(res.msBeforeNext / 1000));
    }
    return wait;
  }

  async fail(username: string, ip: string): Promise<void> {
    await Promise.all([
      this.perUser.penalty(username.toLowerCase(), 1),
      this.perIp.penalty(ip, 1),
    ]).catch((e: unknown) => {
      if (!(e instanceof RateLimiterRes)) throw e;
    });
  }

  async succeed(username: string): Promise<void> {
    await this.perUser.delete(username.toLowerCase());
  }
}
