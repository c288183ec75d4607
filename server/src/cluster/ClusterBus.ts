import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { KEY_PREFIX, type ClusterRedis } from './ClusterRedis.js';

const CHANNEL = `${KEY_PREFIX}bus`;

/**
 * Messages between instances: a kind and a JSON payload. Delivered to the listeners of this
 * process at once and, through Redis pub/sub, to those of every other instance. Without Redis (one
 * instance, or Redis down) it is an in-process event emitter: nothing is lost for this instance.
 */
export class ClusterBus {
  private readonly emitter = new EventEmitter();
  private subscribed = false;
  /** Per bus, not per process: a test may run two instances' deps in one process. */
  private readonly origin = randomUUID();

  constructor(private readonly redis: ClusterRedis | null = null) {
    // One listener per open socket: far more than Node's default warning threshold of 10.
    this.emitter.setMaxListeners(0);
  }

  publish(kind: string, payload: unknown): void {
    this.emitter.emit(kind, payload);
    if (!this.redis?.up) return;
    // Fire and forget: a message lost while Redis fails is what a refresh of the page repairs.
    this.redis.client.publish(CHANNEL, JSON.stringify({ origin: this.origin, kind, payload })).catch(() => undefined);
  }

  /** Returns the unsubscribe function. */
  on<T>(kind: string, listener: (payload: T) => void): () => void {
    this.subscribeOnce();
    const l = listener as (payload: unknown) => void;
    this.emitter.on(kind, l);
    return () => this.emitter.off(kind, l);
  }

  private subscribeOnce(): void {
    if (this.subscribed || !this.redis) return;
    this.subscribed = true;
    const sub = this.redis.subscriber();
    // ioredis subscribes again by itself after a reconnect.
    sub.subscribe(CHANNEL).catch(() => undefined);
    sub.on('message', (_channel: string, raw: string) => {
      let m: { origin?: string; kind?: string; payload?: unknown };
      try {
        m = JSON.parse(raw) as typeof m;
      } catch {
        return;
      }
      // Our own messages were delivered locally when published.
      if (m.origin === this.origin || typeof m.kind !== 'string') return;
      this.emitter.emit(m.kind, m.payload);
    });
  }
}
