import { createHash } from 'node:crypto';

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is refreshed (a margin before WeCom's expiry). */
  refreshAt: number;
}

/**
 * access_token per (corpid, secret), shared by every client of the process. WeCom wants tokens
 * cached (gettoken itself is rate limited), and concurrent callers wait for ONE refresh.
 */
export class WecomTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Cache key; the secret only as a hash so it never sits in memory dumps of this map. */
  static keyOf(corpId: string, secret: string): string {
    return `${corpId}:${createHash('sha256').update(secret).digest('hex')}`;
  }

  /** The cached token, or the result of `fetch` (run once however many callers are waiting). */
  async get(key: string, fetch: () => Promise<{ token: string; expiresIn: number }>): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && this.now() < cached.refreshAt) return cached.token;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = (async () => {
      try {
        const { token, expiresIn } = await fetch();
        const lifetimeMs = expiresIn * 1000;
        // Refresh before WeCom's expiry: 5 minutes early for normal 2-hour tokens, a quarter early for short ones.
        const margin = Math.min(300_000, lifetimeMs / 4);
        this.tokens.set(key, { token, refreshAt: this.now() + lifetimeMs - margin });
        return token;
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, p);
    return p;
  }

  /** Forgets `token` if it is still the cached one (a newer token from another caller stays). */
  invalidate(key: string, token: string): void {
    if (this.tokens.get(key)?.token === token) this.tokens.delete(key);
  }

  clear(): void {
    this.tokens.clear();
  }
}
