import { createHash } from 'node:crypto';
import type { SecretBox } from '../lib/secretBox.js';
import type { CachedToken, SharedTokenStore } from '../wecom/WecomTokenCache.js';
import { KEY_PREFIX, type ClusterRedis } from './ClusterRedis.js';

/** A gettoken call takes well under this; a lock left by a crashed instance lapses after it. */
const LOCK_MS = 10_000;

// Deletes the token only if it is still the one the caller found rejected (a newer one stays).
const REMOVE_IF = `local v = redis.call('GET', KEYS[1]) if v and string.find(v, ARGV[1], 1, true) then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * WeCom access tokens in Redis for every instance. The key holds only a hash of the Secret
 * (WecomTokenCache.keyOf); the token is encrypted with the instance key (SHULAN_SECRET_KEY, the
 * same on every instance), so a Redis dump does not hand out API access.
 */
export class RedisTokenStore implements SharedTokenStore {
  constructor(
    private readonly redis: ClusterRedis,
    private readonly box: SecretBox,
  ) {}

  private k(key: string): string {
    return `${KEY_PREFIX}wecom:token:${key}`;
  }

  async read(key: string): Promise<CachedToken | null> {
    if (!this.redis.up) return null;
    try {
      const raw = await this.redis.client.get(this.k(key));
      if (!raw) return null;
      const { refreshAt, sealed } = JSON.parse(raw) as { refreshAt: number; sealed: string };
      return { token: this.box.decrypt(sealed), refreshAt };
    } catch {
      return null; // unreachable, or written under another key: fetch a token of our own
    }
  }

  async write(key: string, token: CachedToken): Promise<void> {
    if (!this.redis.up) return;
    const ttl = Math.max(1_000, token.refreshAt - Date.now());
    const value = JSON.stringify({ refreshAt: token.refreshAt, sealed: this.box.encrypt(token.token), id: tokenId(token.token) });
    await this.redis.client.set(this.k(key), value, 'PX', ttl).catch(() => undefined);
  }

  async lock(key: string): Promise<boolean | 'down'> {
    if (!this.redis.up) return 'down';
    try {
      return (await this.redis.client.set(`${this.k(key)}:lock`, '1', 'PX', LOCK_MS, 'NX')) === 'OK';
    } catch {
      return 'down';
    }
  }

  async unlock(key: string): Promise<void> {
    if (!this.redis.up) return;
    await this.redis.client.del(`${this.k(key)}:lock`).catch(() => undefined);
  }

  async remove(key: string, token: string): Promise<void> {
    if (!this.redis.up) return;
    await this.redis.client.eval(REMOVE_IF, 1, this.k(key), `"id":"${tokenId(token)}"`).catch(() => undefined);
  }
}

/** A short fingerprint naming a token without storing it in clear. */
function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}
