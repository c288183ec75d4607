/**
 * WeCom's "you call this too often" answers and how long to stop calling after each. A frequency
 * block lasts the limit's window (a minute for the per-minute limits, reference §4); a
 * concurrency refusal clears sooner. 45011 is the same answer in WeChat's numbering.
 */
export const FREQUENCY_PAUSE_MS: ReadonlyMap<number, number> = new Map([
  [45009, 60_000],
  [45011, 60_000],
  [45033, 10_000],
]);

export interface WecomPause {
  corpId: string;
  /** API path after /cgi-bin/. */
  path: string;
  /** The errcode that started the pause. */
  errcode: number;
  /** Epoch ms when calls resume. */
  until: number;
}

/**
 * Circuit breaker: after WeCom refuses an API as too frequent, nobody in this process calls that
 * API of that corp until the pause is over. Calling on would only spend the next window's quota
 * and keep real members locked out longer. Per (corp, API), as WeCom counts; in memory per process.
 */
export class WecomBreaker {
  private readonly pauses = new Map<string, WecomPause>();
  /** Told of every pause this process starts (the cluster bus passes it to the other instances). */
  onTrip: ((pause: WecomPause) => void) | null = null;

  constructor(readonly now: () => number = Date.now) {}

  /** A pause another instance started: WeCom counts per corp, so it holds here too. */
  apply(p: WecomPause): void {
    const key = `${p.corpId}|${p.path}`;
    if ((this.pauses.get(key)?.until ?? 0) < p.until) this.pauses.set(key, p);
  }

  /** The pause in force for this API, or null when it may be called. */
  pausedFor(corpId: string, path: string): WecomPause | null {
    const key = `${corpId}|${path}`;
    const p = this.pauses.get(key);
    if (!p) return null;
    if (p.until > this.now()) return p;
    this.pauses.delete(key);
    return null;
  }

  /** Starts (or extends) the pause after `errcode`, which must be in FREQUENCY_PAUSE_MS. */
  trip(corpId: string, path: string, errcode: number): WecomPause {
    const pause = { corpId, path, errcode, until: this.now() + (FREQUENCY_PAUSE_MS.get(errcode) ?? 60_000) };
    this.pauses.set(`${corpId}|${path}`, pause);
    this.onTrip?.(pause);
    return pause;
  }

  /** Pauses in force for a corp, for the admin's connection test. */
  active(corpId: string): WecomPause[] {
    return [...this.pauses.values()].filter((p) => p.corpId === corpId && this.pausedFor(p.corpId, p.path) !== null);
  }

  /** Seconds until calls resume (at least 1). */
  secondsLeft(p: WecomPause): number {
    return Math.max(1, Math.ceil((p.until - this.now()) / 1000));
  }
}
