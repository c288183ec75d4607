import { randomBytes } from 'node:crypto';

export const DEFAULT_TOKEN_TTL_SECONDS = 7200;

interface TokenRecord {
  token: string;
  appKey: string;
  expiresAt: number;
}

export type TokenCheck = { ok: true; appKey: string } | { ok: false; errcode: 40014 | 42001 };

/**
 * access_tokens, one per app (secret). gettoken returns the same token until it expires, then a
 * new one; expired tokens are remembered so calls with them get 42001 rather than 40014.
 */
export class TokenStore {
  private readonly byToken = new Map<string, TokenRecord>();
  private readonly current = new Map<string, TokenRecord>();
  ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS;

  constructor(private readonly now: () => number) {}

  issue(appKey: string): { token: string; expiresIn: number } {
    const now = this.now();
    let rec = this.current.get(appKey);
    if (!rec || rec.expiresAt <= now) {
      // WeCom tokens are opaque strings up to 512 bytes; ours are 128 url-safe chars.
      rec = { token: randomBytes(96).toString('base64url'), appKey, expiresAt: now + this.ttlSeconds * 1000 };
      this.current.set(appKey, rec);
      this.byToken.set(rec.token, rec);
    }
    return { token: rec.token, expiresIn: Math.max(1, Math.ceil((rec.expiresAt - now) / 1000)) };
  }

  check(token: string): TokenCheck {
    const rec = this.byToken.get(token);
    if (!rec) {
      return { ok: false, errcode: 40014 };
    }
    if (rec.expiresAt <= this.now()) {
      return { ok: false, errcode: 42001 };
    }
    return { ok: true, appKey: rec.appKey };
  }

  /** Marks tokens (all, or one app's) as expired now: later calls get 42001, gettoken a new token. */
  expire(appKey?: string): number {
    const now = this.now();
    let n = 0;
    for (const rec of this.byToken.values()) {
      if ((appKey === undefined || rec.appKey === appKey) && rec.expiresAt > now) {
        rec.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  /** Forgets tokens (WeCom invalidating early "出于运营需要"): later calls get 40014. */
  revoke(appKey?: string): number {
    let n = 0;
    for (const [token, rec] of this.byToken) {
      if (appKey === undefined || rec.appKey === appKey) {
        this.byToken.delete(token);
        if (this.current.get(rec.appKey) === rec) {
          this.current.delete(rec.appKey);
        }
        n++;
      }
    }
    return n;
  }
}
