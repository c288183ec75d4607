import { getGlobalDispatcher, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { FREQUENCY_PAUSE_MS, WecomBreaker } from './WecomBreaker.js';
import { WecomTokenCache } from './WecomTokenCache.js';
import {
  TOKEN_ERRCODES,
  TRANSIENT_ERRCODES,
  WecomError,
  WecomPausedError,
  explainErrcode,
  explainFailure,
  type WecomFailure,
} from './wecomErrors.js';
import {
  Code2SessionResponseSchema,
  DepartmentListResponseSchema,
  EnvelopeSchema,
  MemberIdListResponseSchema,
  MemberListResponseSchema,
  MemberSchema,
  MessageSendResponseSchema,
  TokenResponseSchema,
  WebUserInfoResponseSchema,
  type WebUserInfo,
  UseridResponseSchema,
  type Code2Session,
  type MessageSendResult,
  type MiniprogramNotice,
  type WecomDepartment,
  type WecomMember,
} from './wecomTypes.js';

export interface WecomCredentials {
  corpId: string;
  secret: string;
}

/** pino-compatible; the client logs the API path and errcode only. */
export interface WecomLogger {
  warn(obj: object, msg: string): void;
}

export interface WecomClientOptions {
  /** e.g. https://qyapi.weixin.qq.com (or the simulator), no trailing slash. */
  baseUrl: string;
  /** Shared across clients so every caller of one (corpid, secret) reuses one token. */
  tokens?: WecomTokenCache;
  /** Shared like the tokens, so a frequency limit hit by one caller pauses that API for all. */
  breaker?: WecomBreaker;
  /**
   * Keep-alive connections to WeCom, shared by the clients of one integration (a Pool for the
   * base URL); undici's global Agent otherwise.
   */
  dispatcher?: Dispatcher;
  /** Per request: until the answer's headers, and again between chunks of its body. */
  timeoutMs?: number;
  /** Tries per call, the first included, for transient failures. */
  maxAttempts?: number;
  /** First backoff pause; doubles on every retry. */
  retryBaseMs?: number;
  log?: WecomLogger;
}

const silent: WecomLogger = { warn() {} };

type Outcome =
  | { ok: true; json: unknown }
  | { ok: false; failure: Exclude<WecomFailure, 'api'>; status?: number; reachedServer: boolean };

interface CallOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
  /** Needs an access_token (every API but gettoken). */
  auth?: boolean;
  /**
   * Whether repeating the request is harmless. jscode2session is not: a code is consumed by the
   * first request that reached WeCom, so a timeout or a cut-off answer is not retried.
   */
  idempotent?: boolean;
}

/**
 * Typed client for the WeCom server API (reference: shared/reference/wecom-api.md).
 * Errors come out as WecomError, already translated into what the admin must do.
 */
export class WecomClient {
  private readonly tokens: WecomTokenCache;
  private readonly breaker: WecomBreaker;
  private readonly tokenKey: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly log: WecomLogger;
  private readonly host: string;
  private readonly origin: string;
  /** Path prefix of the base URL (a reverse proxy may serve WeCom under one), without trailing slash. */
  private readonly basePath: string;
  private readonly dispatcher: Dispatcher;

  constructor(
    private readonly creds: WecomCredentials,
    private readonly opts: WecomClientOptions,
  ) {
    this.tokens = opts.tokens ?? new WecomTokenCache();
    this.breaker = opts.breaker ?? new WecomBreaker();
    this.tokenKey = WecomTokenCache.keyOf(creds.corpId, creds.secret);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
    this.retryBaseMs = opts.retryBaseMs ?? 300;
    this.log = opts.log ?? silent;
    const base = new URL(opts.baseUrl);
    this.host = base.host;
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.dispatcher = opts.dispatcher ?? getGlobalDispatcher();
  }

  /** An access_token for these credentials (cached). Throws WecomError (40013 corp id, 40001 secret…). */
  accessToken(): Promise<string> {
    return this.tokens.get(this.tokenKey, async () => {
      const res = await this.call('gettoken', TokenResponseSchema, {
        query: { corpid: this.creds.corpId, corpsecret: this.creds.secret },
        auth: false,
      });
      return { token: res.access_token, expiresIn: res.expires_in };
    });
  }

  /** Exchanges a wx.qy.login code for the member's identity. Throws WecomError (40029 bad code, 48002 wrong secret). */
  code2Session(code: string): Promise<Code2Session> {
    return this.call('miniprogram/jscode2session', Code2SessionResponseSchema, {
      query: { js_code: code, grant_type: 'authorization_code' },
      idempotent: false,
    });
  }

  /**
   * The visitor behind an OAuth2 (H5) or Web-login (QR) code. Like jscode2session, a code is used
   * up by the first request that reaches WeCom, so it is not retried after a timeout.
   */
  getUserInfo(code: string): Promise<WebUserInfo> {
    return this.call('auth/getuserinfo', WebUserInfoResponseSchema, { query: { code }, idempotent: false });
  }

  /** Departments visible to the app; `id` limits it to that department and its descendants. */
  async listDepartments(id?: number): Promise<WecomDepartment[]> {
    const res = await this.call('department/list', DepartmentListResponseSchema, { query: id === undefined ? {} : { id: String(id) } });
    return res.department;
  }

  /** Members (with details) directly in one department (user/list; no recursion into sub-departments). */
  async listMembers(departmentId: number): Promise<WecomMember[]> {
    const res = await this.call('user/list', MemberListResponseSchema, { query: { department_id: String(departmentId) } });
    return res.userlist;
  }

  /** One member. Throws WecomError 60111 when unknown, 60011 outside the visible range. */
  getMember(userid: string): Promise<WecomMember> {
    return this.call('user/get', MemberSchema, { query: { userid } });
  }

  /**
   * One page of user/list_id: (userid, department) rows of the whole corp. Only a contact-sync
   * (通讯录同步) Secret may call it (48002 otherwise). An empty nextCursor means the last page.
   */
  async listMemberIds(cursor: string | undefined, limit: number): Promise<{ rows: { userid: string; department: number }[]; nextCursor: string }> {
    const res = await this.call('user/list_id', MemberIdListResponseSchema, { method: 'POST', body: cursor ? { cursor, limit } : { limit } });
    return { rows: res.dept_user, nextCursor: res.next_cursor };
  }

  /** The userid of the member with this mobile (works without read access to mobiles). */
  async getUseridByMobile(mobile: string): Promise<string> {
    const res = await this.call('user/getuserid', UseridResponseSchema, { method: 'POST', body: { mobile } });
    return res.userid;
  }

  /**
   * Sends a miniprogram_notice card to up to 1000 members (message/send). WeCom's duplicate check
   * is on, so repeating a request that did reach WeCom (a timeout) does not deliver the card twice.
   * Throws WecomError 81013 when every recipient was refused.
   */
  sendMiniprogramNotice(touser: string[], notice: MiniprogramNotice): Promise<MessageSendResult> {
    return this.call('message/send', MessageSendResponseSchema, {
      method: 'POST',
      body: {
        touser: touser.join('|'),
        msgtype: 'miniprogram_notice',
        miniprogram_notice: notice,
        enable_duplicate_check: 1,
        duplicate_check_interval: 600,
      },
    });
  }

  /** One API call with token handling, retries and translation of every failure. */
  private async call<S extends z.ZodType>(path: string, schema: S, o: CallOptions): Promise<z.output<S>> {
    const auth = o.auth ?? true;
    const idempotent = o.idempotent ?? true;
    let tokenRetried = false;
    for (let attempt = 1; ; attempt++) {
      const paused = this.breaker.pausedFor(this.creds.corpId, path);
      if (paused) throw new WecomPausedError(paused, this.breaker.secondsLeft(paused));
      const token = auth ? await this.accessToken() : null;
      const outcome = await this.send(path, o, token);
      const canRetry = attempt < this.maxAttempts;

      if (!outcome.ok) {
        // A request that never reached WeCom is always safe to repeat.
        const retryable = idempotent || !outcome.reachedServer;
        this.log.warn({ wecomPath: path, failure: outcome.failure, status: outcome.status, attempt }, 'wecom call failed');
        if (retryable && canRetry) {
          await this.pause(attempt);
          continue;
        }
        throw new WecomError(null, outcome.failure, path, explainFailure(outcome.failure, { ...outcome, timeoutMs: this.timeoutMs, host: this.host }));
      }

      const env = EnvelopeSchema.safeParse(outcome.json);
      if (!env.success) throw this.invalidResponse(path);
      const errcode = env.data.errcode ?? 0;
      if (errcode === 0) {
        const parsed = schema.safeParse(outcome.json);
        if (!parsed.success) throw this.invalidResponse(path);
        return parsed.data;
      }

      this.log.warn({ wecomPath: path, errcode, attempt }, 'wecom errcode');
      if (token !== null && TOKEN_ERRCODES.has(errcode) && !tokenRetried) {
        // WeCom may end a token early; fetch a fresh one and try once more.
        this.tokens.invalidate(this.tokenKey, token);
        tokenRetried = true;
        attempt--;
        continue;
      }
      if (FREQUENCY_PAUSE_MS.has(errcode)) {
        const pause = this.breaker.trip(this.creds.corpId, path, errcode);
        this.log.warn({ wecomPath: path, errcode, pausedUntil: new Date(pause.until).toISOString() }, 'wecom frequency limit: calls to this API paused');
        throw new WecomPausedError(pause, this.breaker.secondsLeft(pause));
      }
      if (TRANSIENT_ERRCODES.has(errcode) && canRetry) {
        await this.pause(attempt);
        continue;
      }
      throw new WecomError(errcode, 'api', path, explainErrcode(errcode, env.data.errmsg));
    }
  }

  private async send(path: string, o: CallOptions, token: string | null): Promise<Outcome> {
    const query = new URLSearchParams(o.query);
    if (token !== null) query.set('access_token', token);
    const method = o.method ?? 'GET';
    // undici's request on a shared keep-alive pool rather than fetch: no WHATWG streams, no
    // AbortSignal and timer per call, no new connection per login. The timeouts are undici's own.
    let res: Dispatcher.ResponseData;
    try {
      res = await this.dispatcher.request({
        origin: this.origin,
        path: `${this.basePath}/cgi-bin/${path}?${query.toString()}`,
        method,
        headers: o.body === undefined ? {} : { 'content-type': 'application/json' },
        body: o.body === undefined ? null : JSON.stringify(o.body),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (err) {
      if (isTimeout(err)) return { ok: false, failure: 'timeout', reachedServer: !isConnectFailure(err) };
      // Connection refused or DNS failure: the request never reached WeCom.
      return { ok: false, failure: 'network', reachedServer: !isConnectFailure(err) };
    }
    if (res.statusCode >= 500) {
      await res.body.dump().catch(() => {});
      return { ok: false, failure: 'http', status: res.statusCode, reachedServer: true };
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      return { ok: false, failure: isTimeout(err) ? 'timeout' : 'invalid_response', reachedServer: true };
    }
    try {
      return { ok: true, json: JSON.parse(text) as unknown };
    } catch {
      // Truncated or garbled JSON (seen behind flaky proxies): retried like a 5xx.
      return { ok: false, failure: 'invalid_response', status: res.statusCode, reachedServer: true };
    }
  }

  private invalidResponse(path: string): WecomError {
    this.log.warn({ wecomPath: path }, 'wecom response did not match the expected shape');
    return new WecomError(null, 'invalid_response', path, explainFailure('invalid_response', {}));
  }

  private pause(attempt: number): Promise<void> {
    const ms = this.retryBaseMs * 2 ** (attempt - 1);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** undici's errors carry a code: headers, body or connect timeout. */
function isTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function isConnectFailure(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT';
}
