import { WECOM_CALLBACK_PATH, WecomCallbackEventsQuerySchema, type WecomCallbackEventView } from '@shulan/shared';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { ForbiddenError, ValidationError, msg } from '../../errors.js';
import { route, type RouteDef } from '../../http/route.js';
import { decryptCallbackKeys, readWecomSettings } from '../wecomSettings.js';
import { CallbackRejected, openCallback, type SignedQuery } from './callbackCrypto.js';
import { callbackQueueFor, toEventView } from './callbackQueue.js';
import { parseFlatXml } from './callbackXml.js';

const SignedQuerySchema = z.looseObject({
  msg_signature: z.string().regex(/^[0-9a-fA-F]{40}$/),
  timestamp: z.string().regex(/^\d{1,12}$/),
  nonce: z.string().min(1).max(64),
});
const VerifyQuerySchema = SignedQuerySchema.extend({ echostr: z.string().min(1).max(2048) });
/** The POST body is WeCom's XML envelope (read as text by the XML content-type parser). */
const EnvelopeBodySchema = z.string().min(1).max(64 * 1024);

const refused = () => new ForbiddenError(msg('回调签名或加密校验失败：请核对 Token、EncodingAESKey 和企业ID', 'The callback signature or encryption did not check: verify the Token, EncodingAESKey and Corp ID'));

/**
 * WeCom's 接收事件服务器 for contact changes (public: WeCom's servers call it; the signature made
 * with the shared Token is the authentication). GET answers the URL verification, POST stores the
 * event and answers at once; the event is applied right after (WeCom waits 5 s at most).
 */
export function callbackRoutes(deps: Deps): RouteDef[] {
  const { db, secretBox } = deps;
  const queue = callbackQueueFor(deps);

  async function keys() {
    const s = await readWecomSettings(db);
    const k = decryptCallbackKeys(s, secretBox);
    if (!k || !s.corpId) {
      throw new ForbiddenError(msg('尚未配置接收事件的 Token 和 EncodingAESKey', 'The callback Token and EncodingAESKey are not configured'));
    }
    return { ...k, corpId: s.corpId };
  }

  function open(k: Awaited<ReturnType<typeof keys>>, q: SignedQuery, encrypted: string): string {
    try {
      return openCallback(k, q, encrypted);
    } catch (e) {
      if (e instanceof CallbackRejected) throw refused();
      throw e;
    }
  }

  return [
    route({
      method: 'GET',
      url: WECOM_CALLBACK_PATH,
      access: 'public',
      tag: 'wecom',
      summary: 'WeCom callback URL verification: checks the signature and answers the decrypted echostr as plain text',
      query: VerifyQuerySchema,
      async handler({ query, reply }) {
        const plain = open(await keys(), query, query.echostr);
        // Exactly the plaintext: no quotes, no BOM, no newline.
        void reply.type('text/plain; charset=utf-8').send(plain);
      },
    }),
    route({
      method: 'POST',
      url: WECOM_CALLBACK_PATH,
      access: 'public',
      tag: 'wecom',
      summary: 'WeCom contact-change events (encrypted XML): stored and answered at once, applied right after',
      query: SignedQuerySchema,
      body: EnvelopeBodySchema,
      async handler({ query, body, reply }) {
        const k = await keys();
        const encrypted = parseFlatXml(body).Encrypt;
        if (!encrypted) throw new ValidationError(msg('回调消息缺少 Encrypt', 'The callback message has no Encrypt element'));
        const xml = open(k, query, encrypted);
        const inner = parseFlatXml(xml);
        if (inner.ToUserName !== undefined && inner.ToUserName !== k.corpId) throw refused();
        await queue.enqueue(xml);
        queue.kick();
        // An empty 200 means "received, no reply": WeCom does not retry.
        void reply.type('text/plain; charset=utf-8').send('');
      },
    }),
    route({
      method: 'GET',
      url: '/api/wecom/sync/events',
      access: 'admin',
      tag: 'wecom',
      summary: 'Contact-change events received from WeCom in real time, newest first, with what each changed',
      query: WecomCallbackEventsQuerySchema,
      async handler({ query, lang }): Promise<WecomCallbackEventView[]> {
        const rows = await db.selectFrom('wecom_callback_events').selectAll().orderBy('id', 'desc').limit(query.limit).execute();
        return rows.map((r) => toEventView(r, lang));
      },
    }),
  ];
}
