import { Redis } from 'ioredis';

/** Every key and channel Shulan uses starts with this, so a shared Redis can hold other things. */
export const KEY_PREFIX = 'shulan:';

export interface RedisLog {
  warn(line: string): void;
  info(line: string): void;
}

export interface RedisHealth {
  up: boolean;
  /** When Redis was last seen down (ISO), while it is down. */
  downSince: string | null;
  /** The last connection error, without the URL (it may carry a password). */
  lastError: string | null;
}

/**
 * The one Redis connection of an instance (plus one for subscriptions). Redis holds nothing
 * durable: when it is unreachable, commands fail at once (no offline queue that would make logins
 * hang) and every user of it falls back to this process, so logins and reports keep answering.
 * The outage is logged once when it starts and once when it ends, and `health()` feeds doctor.
 */
export class ClusterRedis {
  readonly client: Redis;
  private subscriberClient: Redis | null = null;
  private downSince: number | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly url: string,
    private readonly log: RedisLog,
  ) {
    this.client = this.connect('commands');
  }

  private connect(role: string): Redis {
    const c = new Redis(this.url, {
      // Fail fast while disconnected: callers fall back instead of queueing behind a dead link.
      // The subscriber queues its SUBSCRIBE until connected (and ioredis renews it on reconnect).
      enableOfflineQueue: role === 'subscriber',
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      // Keep trying for ever, at most every 2 s: Redis coming back is picked up without a restart.
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    c.on('error', (err: Error) => {
      this.lastError = err.message;
      this.markDown(role);
    });
    c.on('close', () => this.markDown(role));
    c.on('ready', () => {
      if (role !== 'commands' || this.downSince === null) return;
      const s = Math.round((Date.now() - this.downSince) / 1000);
      this.downSince = null;
      this.lastError = null;
      this.log.info(`redis: reachable again after ${s} s; rate limits, live events and the WeCom token are shared by the cluster again`);
    });
    return c;
  }

  private markDown(role: string): void {
    if (role !== 'commands' || this.downSince !== null) return;
    this.downSince = Date.now();
    this.log.warn(
      `redis: unreachable (${this.lastError ?? 'connection closed'}); falling back to this instance alone: rate limits per instance, live events and WeCom tokens not shared until it is back`,
    );
  }

  get up(): boolean {
    return this.client.status === 'ready';
  }

  /** Waits (at most `ms`) for the first connection, so the start does not begin in fallback mode for nothing. */
  async ready(ms = 3_000): Promise<boolean> {
    if (this.up) return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.client.on('ready', onReady);
    });
  }

  health(): RedisHealth {
    return {
      up: this.up,
      downSince: this.up || this.downSince === null ? null : new Date(this.downSince).toISOString(),
      lastError: this.up ? null : this.lastError,
    };
  }

  /** A second connection for SUBSCRIBE (a subscribed connection can run no other command). */
  subscriber(): Redis {
    this.subscriberClient ??= this.connect('subscriber');
    return this.subscriberClient;
  }

  async close(): Promise<void> {
    for (const c of [this.client, this.subscriberClient]) {
      if (!c) continue;
      c.removeAllListeners('close');
      c.removeAllListeners('error');
      c.on('error', () => {});
      c.disconnect();
    }
  }
}
