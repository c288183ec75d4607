import type { Db } from '../db/createDb.js';
import { ForbiddenError, msg } from '../errors.js';
import { RouteRateLimit, type LimiterStore, type RouteLimit } from '../http/routeRateLimit.js';
import type { SecretBox } from '../lib/secretBox.js';
import { WecomBreaker } from './WecomBreaker.js';
import { WecomClient, type WecomCredentials, type WecomLogger } from './WecomClient.js';
import { WecomTokenCache } from './WecomTokenCache.js';
import { decryptSecret, decryptSyncSecret, isLoginReady, readWecomSettings, type StoredWecomSettings } from './wecomSettings.js';

export interface WecomIntegrationOptions {
  baseUrl: string;
  timeoutMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  log?: WecomLogger;
  /** Clock of the breaker (tests move it instead of waiting). */
  now?: () => number;
  /** Caps on the public mini-program routes; defaults in DEFAULT_LOGIN_LIMITS. */
  loginLimits?: Partial<LoginRouteLimits>;
  limiterStore?: LimiterStore;
}

export interface LoginRouteLimits {
  /** POST /api/wecom/login: every request costs a jscode2session call against the corp's quota. */
  login: RouteLimit;
  /** POST /api/wecom/bind: every request costs a password hash check. */
  bind: RouteLimit;
}

/**
 * Generous for an office behind one NAT address (a login lasts 30 days, so people log in rarely),
 * and far below WeCom's 10,000 calls per minute per corp, so strangers cannot spend the quota.
 */
export const DEFAULT_LOGIN_LIMITS: LoginRouteLimits = {
  login: { perIpPerMinute: 30, totalPerMinute: 600 },
  bind: { perIpPerMinute: 30, totalPerMinute: 300 },
};

/** Settings saved and switched on, with the Secret decrypted for server-side use only. */
export interface ActiveWecom {
  corpId: string;
  appId: string;
  /** Admin accounts may be bound at first login in the mini program (off by default). */
  allowAdminBinding: boolean;
  client: WecomClient;
  /** A client with the contact-sync Secret, when one is stored (user/list_id); null otherwise. */
  syncClient: WecomClient | null;
}

/**
 * Entry point of the WeCom integration: reads the saved settings and hands out clients that
 * share one token cache, so a token is fetched once per (corpid, secret) for the whole process.
 */
export class WecomIntegration {
  readonly tokens = new WecomTokenCache();
  readonly breaker: WecomBreaker;
  readonly loginLimit: RouteRateLimit;
  readonly bindLimit: RouteRateLimit;

  constructor(
    private readonly db: Db,
    private readonly secretBox: SecretBox,
    private readonly opts: WecomIntegrationOptions,
  ) {
    this.breaker = new WecomBreaker(opts.now);
    const limits = { ...DEFAULT_LOGIN_LIMITS, ...opts.loginLimits };
    this.loginLimit = new RouteRateLimit('wecom_login', limits.login, opts.limiterStore);
    this.bindLimit = new RouteRateLimit('wecom_bind', limits.bind, opts.limiterStore);
  }

  settings(): Promise<StoredWecomSettings> {
    return readWecomSettings(this.db);
  }

  /** The Secret of the saved settings, decrypted; null when none is stored. */
  storedSecret(s: StoredWecomSettings): string | null {
    return decryptSecret(s, this.secretBox);
  }

  /** The contact-sync Secret of the saved settings, decrypted; null when none is stored. */
  storedSyncSecret(s: StoredWecomSettings): string | null {
    return decryptSyncSecret(s, this.secretBox);
  }

  /** A client for these credentials (the saved ones or values being tested). */
  client(creds: WecomCredentials): WecomClient {
    const { baseUrl, timeoutMs, maxAttempts, retryBaseMs, log } = this.opts;
    return new WecomClient(creds, { baseUrl, timeoutMs, maxAttempts, retryBaseMs, log, tokens: this.tokens, breaker: this.breaker });
  }

  /** The integration as saved; throws ForbiddenError when it is off or incomplete. */
  async active(): Promise<ActiveWecom> {
    const s = await this.settings();
    const secret = this.storedSecret(s);
    const { corpId, appId } = s;
    if (!isLoginReady(s) || !corpId || !appId || secret === null) {
      throw new ForbiddenError(
        msg(
          '企业微信登录未开启：请联系管理员在 系统设置 → 企业微信集成设置 中开启并填写企业ID、Secret 和 AppID',
          'WeCom login is switched off: ask an administrator to turn it on under Settings → WeCom integration, with the Corp ID, Secret and AppID',
        ),
      );
    }
    const syncSecret = this.storedSyncSecret(s);
    const syncClient = syncSecret === null ? null : this.client({ corpId, secret: syncSecret });
    return { corpId, appId, allowAdminBinding: s.allowAdminBinding, client: this.client({ corpId, secret }), syncClient };
  }
}
