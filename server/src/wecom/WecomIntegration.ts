import { Pool } from 'undici';
import type { Db } from '../db/createDb.js';
import { ForbiddenError, msg } from '../errors.js';
import { RouteRateLimit, type LimiterStore, type RouteLimit } from '../http/routeRateLimit.js';
import type { SecretBox } from '../lib/secretBox.js';
import { WecomBreaker } from './WecomBreaker.js';
import { WecomClient, type WecomCredentials, type WecomLogger } from './WecomClient.js';
import { WecomTokenCache, type SharedTokenStore } from './WecomTokenCache.js';
import type { ClusterBus } from '../cluster/ClusterBus.js';
import type { WecomPause } from './WecomBreaker.js';
import {
  decryptSecret,
  decryptSyncSecret,
  isLoginReady,
  parseWecomSettings,
  readWecomSettings,
  readWecomSettingsRow,
  type StoredWecomSettings,
} from './wecomSettings.js';

export interface WecomIntegrationOptions {
  baseUrl: string;
  /**
   * How long the active integration is trusted before the settings row is compared again, so a
   * change saved by ANOTHER instance is seen within this time (default 1 s). A change saved through
   * this process drops the cache at once.
   */
  recheckMs?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  log?: WecomLogger;
  /** Clock of the breaker and of the settings recheck (tests move it instead of waiting). */
  now?: () => number;
  /** Caps on the public mini-program routes; defaults in DEFAULT_LOGIN_LIMITS. */
  loginLimits?: Partial<LoginRouteLimits>;
  limiterStore?: LimiterStore;
  /** Several instances: tokens shared through Redis, one gettoken per secret for the cluster. */
  sharedTokens?: SharedTokenStore;
  /** Several instances: a frequency-limit pause started on one instance holds on all. */
  bus?: ClusterBus;
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

/** What the saved settings allow, computed once per version of the settings row. */
type Resolved = { ok: true; active: ActiveWecom } | { ok: false };

interface CacheEntry {
  /** The settings row as stored (null when never saved): its version. */
  raw: string | null;
  resolved: Resolved;
  /** Epoch ms until which the row is not read again. */
  checkAfter: number;
}

/**
 * Entry point of the WeCom integration: reads the saved settings and hands out clients that
 * share one token cache, so a token is fetched once per (corpid, secret) for the whole process,
 * and one keep-alive connection pool to WeCom.
 *
 * The active integration (settings parsed, validated, Secrets decrypted, clients built) is cached:
 * a login burst must not redo that per login. The cache is dropped at once when this process saves
 * the settings (`invalidate`), and across instances the row itself is the version: it is read
 * again at most every `recheckMs` (one primary-key read a second, shared by all callers) and the
 * cache is rebuilt only when its text changed.
 */
export class WecomIntegration {
  readonly tokens: WecomTokenCache;
  readonly breaker: WecomBreaker;
  readonly loginLimit: RouteRateLimit;
  readonly bindLimit: RouteRateLimit;
  private readonly pool: Pool;
  private readonly recheckMs: number;
  private readonly now: () => number;
  private cache: CacheEntry | null = null;
  /** The read of the settings row in flight, shared by concurrent callers. */
  private refreshing: Promise<CacheEntry> | null = null;
  /** Bumped by `invalidate`, so a read that started before a save cannot put old settings back. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly secretBox: SecretBox,
    private readonly opts: WecomIntegrationOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.tokens = new WecomTokenCache(opts.now, opts.sharedTokens ?? null);
    this.breaker = new WecomBreaker(opts.now);
    const bus = opts.bus;
    if (bus) {
      this.breaker.onTrip = (p) => bus.publish('wecom_pause', p);
      bus.on<WecomPause>('wecom_pause', (p) => {
        if (typeof p?.corpId === 'string' && typeof p.path === 'string' && typeof p.until === 'number') this.breaker.apply(p);
      });
    }
    const limits = { ...DEFAULT_LOGIN_LIMITS, ...opts.loginLimits };
    this.loginLimit = new RouteRateLimit('wecom_login', limits.login, opts.limiterStore);
    this.bindLimit = new RouteRateLimit('wecom_bind', limits.bind, opts.limiterStore);
    this.recheckMs = opts.recheckMs ?? 1000;
    // Bounded so a burst queues here rather than opening hundreds of TLS connections to WeCom.
    this.pool = new Pool(new URL(opts.baseUrl).origin, { connections: 64, connect: { timeout: opts.timeoutMs ?? 10_000 } });
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
    return new WecomClient(creds, { baseUrl, timeoutMs, maxAttempts, retryBaseMs, log, tokens: this.tokens, breaker: this.breaker, dispatcher: this.pool });
  }

  /** Forget the cached integration: the settings were just saved through this process. */
  invalidate(): void {
    this.generation++;
    this.cache = null;
    this.refreshing = null;
  }

  /** The integration as saved; throws ForbiddenError when it is off or incomplete. */
  async active(): Promise<ActiveWecom> {
    const c = this.cache;
    const entry = c && this.now() < c.checkAfter ? c : await this.refresh();
    if (!entry.resolved.ok) {
      throw new ForbiddenError(
        msg(
          '企业微信登录未开启：请联系管理员在 系统设置 → 企业微信集成设置 中开启并填写企业ID、Secret 和 AppID',
          'WeCom login is switched off: ask an administrator to turn it on under Settings → WeCom integration, with the Corp ID, Secret and AppID',
        ),
      );
    }
    return entry.resolved.active;
  }

  /** Closes the connections to WeCom (idempotent: a test may close the app twice). */
  async close(): Promise<void> {
    if (!this.pool.closed && !this.pool.destroyed) await this.pool.close();
  }

  private refresh(): Promise<CacheEntry> {
    if (this.refreshing) return this.refreshing;
    const generation = this.generation;
    const p = (async () => {
      const raw = (await readWecomSettingsRow(this.db)) ?? null;
      const prev = this.cache;
      const resolved = prev && prev.raw === raw ? prev.resolved : this.resolve(raw);
      const entry = { raw, resolved, checkAfter: this.now() + this.recheckMs };
      if (generation === this.generation) this.cache = entry;
      return entry;
    })();
    this.refreshing = p;
    void p.finally(() => {
      if (this.refreshing === p) this.refreshing = null;
    }).catch(() => {});
    return p;
  }

  private resolve(raw: string | null): Resolved {
    const s = parseWecomSettings(raw);
    const secret = this.storedSecret(s);
    const { corpId, appId } = s;
    if (!isLoginReady(s) || !corpId || !appId || secret === null) return { ok: false };
    const syncSecret = this.storedSyncSecret(s);
    const syncClient = syncSecret === null ? null : this.client({ corpId, secret: syncSecret });
    return { ok: true, active: { corpId, appId, allowAdminBinding: s.allowAdminBinding, client: this.client({ corpId, secret }), syncClient } };
  }
}
