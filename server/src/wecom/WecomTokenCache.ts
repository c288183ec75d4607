import { createHash } from 'node:crypto';

export interface CachedToken {
  token: string;
  /** Epoch ms after which the token is refreshed (a margin before WeCom's expiry). */
  refreshAt: number;
}

/**
 * Where the instances of a cluster share tokens (Redis: cluster/RedisTokenStore.ts). Every method
 * answers `null`/`'down'` instead of throwing when the store cannot be reached: the instance then
 * fetches its own token, as a single instance does.
 */
export interface SharedTokenStore {
  read(key: string): Promise<CachedToken | null>;
  write(key: string, token: CachedToken): Promise<void>;
  /** true: this caller fetches; false: another instance is fetching; 'down': no store. */
  lock(key: string): Promise<boolean | 'down'>;
  unlock(key: string): Promise<void>;
  remove(key: string, token: string): Promise<void>;
}

/** How long an instance waits for the token another instance is fetching before fetching its own. */
const WAIT_FOR_OTHER_MS = 5_000;
const POLL_MS = 50;

/**
 * access_token per (corpid, secret), shared by every client of the process, and with a shared
 * store by every instance of the cluster: one gettoken per secret for the whole cluster. WeCom wants tokens
 * cached (gettoken itself is rate limited), and concurrent callers wait for ONE refresh.
 */
export class WecomTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly shared: SharedTokenStore | null = null,
  ) {}

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
        return this.shared ? await this.viaShared(key, fetch) : await this.fetchAndKeep(key, fetch);
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, p);
    return p;
  }

  private async fetchAndKeep(key: string, fetch: () => Promise<{ token: string; expiresIn: number }>): Promise<string> {
    const { token, expiresIn } = await fetch();
    const lifetimeMs = expiresIn * 1000;
    // Refresh before WeCom's expiry: 5 minutes early for normal 2-hour tokens, a quarter early for short ones.
    const margin = Math.min(300_000, lifetimeMs / 4);
    const entry = { token, refreshAt: this.now() + lifetimeMs - margin };
    this.tokens.set(key, entry);
    await this.shared?.write(key, entry);
    return token;
  }

  /** Single flight across the cluster: a fresh shared token, else one instance fetches under a lock. */
  private async viaShared(key: string, fetch: () => Promise<{ token: string; expiresIn: number }>): Promise<string> {
    const shared = this.shared!;
    const deadline = this.now() + WAIT_FOR_OTHER_MS;
    for (;;) {
      const found = await shared.read(key);
      if (found && this.now() < found.refreshAt) {
        this.tokens.set(key, found);
        return found.token;
      }
      const locked = await shared.lock(key);
      if (locked === 'down') return this.fetchAndKeep(key, fetch);
      if (locked) {
        try {
          return await this.fetchAndKeep(key, fetch);
        } finally {
          await shared.unlock(key);
        }
      }
      // Another instance is asking WeCom right now: its token lands in the store shortly.
      if (this.now() > deadline) return this.fetchAndKeep(key, fetch);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Forgets `token` if it is still the cached one (a newer token from another caller stays). */
  invalidate(key: string, token: string): void {
    if (this.tokens.get(key)?.token === token) this.tokens.delete(key);
    void this.shared?.remove(key, token);
  }

  clear(): void {
    this.tokens.clear();
  }
}
