import { randomBytes, randomInt } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';
import { z } from 'zod';

/**
 * WeCom's side of the 接收事件服务器 (wecom-api.md §5): saving the configuration verifies the URL
 * (GET with an encrypted echostr, the plaintext expected back within 1 s), then every contact change
 * is POSTed encrypted and signed, one at a time in order, and retried when the answer is not an
 * HTTP 200 within 5 s.
 */
export const callbackConfigSchema = z.strictObject({
  url: z.string().url(),
  token: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'token: 3~32 letters or digits'),
  encodingAesKey: z.string().regex(/^[A-Za-z0-9]{43}$/, 'encodingAesKey: 43 letters or digits'),
  /**
   * Callback URLs configured after 2022-08-15 get member events with UserID and Department only,
   * party events with Id and ParentId only (update_party only on a move). Default false.
   */
  reduced: z.boolean().default(false),
  /** WeCom waits 5 s for the answer; tests shorten it. */
  timeoutMs: z.number().int().min(50).max(5000).default(5000),
  /** Pause before each retry. */
  retryDelayMs: z.number().int().min(0).max(60_000).default(1000),
});
export type CallbackConfig = z.output<typeof callbackConfigSchema>;

/** Retries after the first attempt (WeCom's documented behaviour: up to 3). */
export const CALLBACK_MAX_RETRIES = 3;
/** URL verification must be answered within this. */
export const VERIFY_TIMEOUT_MS = 1000;

export interface CallbackAttempt {
  /** HTTP status, or null when there was no answer in time / no connection. */
  status: number | null;
  ms: number;
  error?: string;
}

export interface CallbackDelivery {
  changeType: string;
  subject: string;
  /** The decrypted XML that was sent. */
  message: string;
  attempts: CallbackAttempt[];
  outcome: 'pending' | 'delivered' | 'failed';
}

/** One field of the event: numbers are written bare, strings in CDATA (as WeCom does). */
export type EventField = [name: string, value: string | number];

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

export class CallbackSender {
  config: CallbackConfig | null = null;
  readonly deliveries: CallbackDelivery[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly corpid: string,
    private readonly now: () => number,
  ) {}

  /** Like saving 接收事件服务器 in the WeCom admin: refused unless the URL answers the verification. */
  async configure(input: z.input<typeof callbackConfigSchema>): Promise<CallbackConfig> {
    const cfg = callbackConfigSchema.parse(input);
    const plain = String(randomInt(1, 2 ** 47)) + String(randomInt(0, 1e6));
    const echostr = encrypt(cfg.encodingAesKey, plain, this.corpid);
    const url = this.signedUrl(cfg, { echostr }, echostr);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS) });
    } catch (e) {
      throw new Error(`URL verification failed: no answer within ${VERIFY_TIMEOUT_MS} ms (${e instanceof Error ? e.message : String(e)})`);
    }
    const body = await res.text();
    if (res.status !== 200) throw new Error(`URL verification failed: HTTP ${res.status}`);
    if (body !== plain) throw new Error(`URL verification failed: expected the decrypted echostr exactly, got ${JSON.stringify(body.slice(0, 64))}`);
    this.config = cfg;
    return cfg;
  }

  clear(): void {
    this.config = null;
  }

  /** Queues a change_contact event (no-op without a configuration). */
  changeContact(changeType: string, subject: string, fields: EventField[]): void {
    const cfg = this.config;
    if (!cfg) return;
    const xml =
      `<xml><ToUserName>${cdata(this.corpid)}</ToUserName><FromUserName>${cdata('sys')}</FromUserName>` +
      `<CreateTime>${Math.floor(this.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
      `<Event>${cdata('change_contact')}</Event><ChangeType>${cdata(changeType)}</ChangeType>` +
      fields.map(([k, v]) => `<${k}>${typeof v === 'number' ? v : cdata(v)}</${k}>`).join('') +
      '</xml>';
    const delivery: CallbackDelivery = { changeType, subject, message: xml, attempts: [], outcome: 'pending' };
    this.deliveries.push(delivery);
    this.chain = this.chain.then(() => this.deliver(cfg, delivery));
  }

  /** Settles when every queued event is delivered or given up. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async deliver(cfg: CallbackConfig, d: CallbackDelivery): Promise<void> {
    for (let attempt = 0; attempt <= CALLBACK_MAX_RETRIES; attempt++) {
      if (attempt > 0 && cfg.retryDelayMs > 0) await new Promise((r) => setTimeout(r, cfg.retryDelayMs));
      // Each attempt is encrypted anew (fresh random prefix, timestamp and nonce), as WeCom does.
      const enc = encrypt(cfg.encodingAesKey, d.message, this.corpid, randomBytes(16));
      const body = `<xml><ToUserName>${cdata(this.corpid)}</ToUserName><Encrypt>${cdata(enc)}</Encrypt><AgentID>${cdata('')}</AgentID></xml>`;
      const started = Date.now();
      try {
        const res = await fetch(this.signedUrl(cfg, {}, enc), {
          method: 'POST',
          headers: { 'content-type': 'text/xml' },
          body,
          signal: AbortSignal.timeout(cfg.timeoutMs),
        });
        await res.text();
        d.attempts.push({ status: res.status, ms: Date.now() - started });
        if (res.status === 200) {
          d.outcome = 'delivered';
          return;
        }
      } catch (e) {
        d.attempts.push({ status: null, ms: Date.now() - started, error: e instanceof Error ? e.name : String(e) });
      }
    }
    d.outcome = 'failed';
  }

  private signedUrl(cfg: CallbackConfig, extra: Record<string, string>, encrypted: string): string {
    const timestamp = String(Math.floor(this.now() / 1000));
    const nonce = String(randomInt(1e8, 1e10));
    const url = new URL(cfg.url);
    const q = { msg_signature: getSignature(cfg.token, timestamp, nonce, encrypted), timestamp, nonce, ...extra };
    for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
    return url.toString();
  }
}
