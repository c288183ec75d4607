import type { Corp, MemberInput, Department, Member } from './corp.js';
import { departmentSchema } from './corp.js';
import type { z } from 'zod';
import { CallbackSender, type CallbackConfig, type CallbackDelivery, type callbackConfigSchema } from './callbacks.js';
import { ContactEvents } from './contactEvents.js';
import { Faults, type FaultSpec } from './faults.js';
import { LoginCodes } from './loginCodes.js';
import { RateLimiter, DEFAULT_RATE_LIMITS, type RateLimits } from './rateLimit.js';
import { TokenStore, DEFAULT_TOKEN_TTL_SECONDS } from './tokens.js';
import { QrSessions, WebCodes } from './webLogin.js';

/** A miniprogram_notice (or other message) accepted by message/send, kept for tests to read. */
export interface SentMessage {
  msgid: string;
  appKey: string;
  at: number;
  request: unknown;
  /** userids actually reached. */
  delivered: string[];
}

/** Per-day failure counter of user/getuserid (ban once failures exceed 20 % of seats). */
class GetuseridFailures {
  private day = '';
  count = 0;
  reset(): void {
    this.count = 0;
  }
  /** WeCom days are China days (UTC+8). */
  private roll(now: number): void {
    const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.count = 0;
    }
  }
  banned(now: number, seats: number): boolean {
    this.roll(now);
    return this.count > seats * 0.2;
  }
  fail(now: number): void {
    this.roll(now);
    this.count++;
  }
}

/** Round-trip delay of every WeCom API call: `ms` ± a uniform `jitterMs`. */
export interface Latency {
  ms: number;
  jitterMs: number;
}

/** Parses `25`, `25±5` or `25+-5` (ms). */
export function parseLatency(raw: string): Latency {
  const m = /^\s*(\d{1,6})\s*(?:(?:±|\+-|\+\/-)\s*(\d{1,6}))?\s*$/.exec(raw);
  if (!m) {
    throw new Error(`--latency: expected <ms> or <ms>±<jitter>, got ${raw}`);
  }
  return checkLatency({ ms: Number(m[1]), jitterMs: Number(m[2] ?? 0) });
}

export function checkLatency(l: { ms: number; jitterMs?: number }): Latency {
  const jitterMs = l.jitterMs ?? 0;
  if (!Number.isInteger(l.ms) || l.ms < 0 || l.ms > 60_000 || !Number.isInteger(jitterMs) || jitterMs < 0 || jitterMs > l.ms) {
    throw new Error('latency: 0..60000 ms, jitter 0..ms');
  }
  return { ms: l.ms, jitterMs };
}

/** One call's delay: uniform in [ms - jitter, ms + jitter]. */
export function drawLatency(l: Latency): number {
  return l.jitterMs === 0 ? l.ms : l.ms - l.jitterMs + Math.random() * 2 * l.jitterMs;
}

/** All mutable simulator state; the HTTP routes and the `controls` read and change it. */
export class SimState {
  private clockOffset = 0;
  readonly now: () => number;
  readonly tokens: TokenStore;
  readonly codes: LoginCodes;
  /** OAuth2 and Web-login codes (auth/getuserinfo). */
  readonly webCodes: WebCodes;
  readonly qrSessions: QrSessions;
  readonly faults = new Faults();
  readonly rate: RateLimiter;
  readonly getuseridFailures = new GetuseridFailures();
  readonly calls = new Map<string, number>();
  readonly messages: SentMessage[] = [];
  /** Resolvers of requests held open by 'timeout' faults, released on close. */
  readonly held = new Set<() => void>();
  /** WeCom's calls to the configured callback URL (接收事件服务器). */
  readonly callbacks: CallbackSender;
  /** Added to every WeCom API answer: real WeCom is a network away (tens of ms), loopback is not. */
  latency: Latency = { ms: 0, jitterMs: 0 };

  constructor(
    readonly corp: Corp,
    baseNow: () => number,
  ) {
    this.now = () => baseNow() + this.clockOffset;
    this.tokens = new TokenStore(this.now);
    this.codes = new LoginCodes(this.now);
    this.webCodes = new WebCodes(this.now);
    this.qrSessions = new QrSessions(this.now);
    this.rate = new RateLimiter(this.now);
    this.callbacks = new CallbackSender(corp.corpid, this.now);
  }

  advance(ms: number): void {
    this.clockOffset += ms;
  }

  countCall(endpoint: string): number {
    const n = (this.calls.get(endpoint) ?? 0) + 1;
    this.calls.set(endpoint, n);
    return n;
  }
}

export interface Controls {
  /** Simulates `wx.qy.login` in the mini program: a code for `userid`, bound to a mini program app. */
  issueLoginCode(userid: string, app?: string): { code: string; expires_in: number };
  /** TTL in seconds of tokens issued from now on (default 7200). */
  setTokenTtl(seconds: number): void;
  /** Expire tokens now (→ 42001); `app` = agentid, appid, name or 'contact_sync'; all when omitted. */
  expireTokens(app?: string): number;
  /** Revoke tokens (→ 40014). */
  revokeTokens(app?: string): number;
  injectFault(spec: FaultSpec): number;
  clearFaults(): void;
  setTrustedIps(app: string, ips: string[]): void;
  /** 可信域名 of a self-built app (host[:port]); OAuth2 and Web-login redirects must be on it. null clears. */
  setTrustedDomain(app: string, domain: string | null): void;
  /**
   * A member scans the QR login page with the WeCom app and confirms (or refuses): the page with
   * `key`, or the latest one still waiting. Throws, as the phone would say, when the member is
   * unknown, inactive or outside the app's visible range (无权限).
   */
  scanQrLogin(scan: { userid: string; key?: string; confirm?: boolean }): { key: string };
  setRateLimits(limits: Partial<RateLimits>): RateLimits;
  /** Round-trip delay added to every WeCom API call from now on (`{ms: 0}` turns it off). */
  setLatency(latency: { ms: number; jitterMs?: number }): Latency;
  /** Calls per endpoint (path after /cgi-bin/), faulted and rejected calls included. */
  callCounts(): Record<string, number>;
  resetCallCounts(): void;
  /** Moves the simulator clock forward (token and code expiry, rate windows) without sleeping. */
  advanceTime(ms: number): void;
  now(): number;
  sentMessages(): SentMessage[];
  resetGetuseridFailures(): void;
  addMember(m: MemberInput): Member;
  updateMember(userid: string, patch: Partial<MemberInput>): Member;
  deleteMember(userid: string): void;
  addDepartment(d: z.input<typeof departmentSchema>): Department;
  updateDepartment(id: number, patch: { name?: string; name_en?: string; parentid?: number; order?: number }): Department;
  deleteDepartment(id: number): void;
  /**
   * Sets the 接收事件服务器 (URL, Token, EncodingAESKey) after verifying the URL as WeCom does;
   * from then on every member/department change above is called back (encrypted, signed, retried).
   */
  setCallback(cfg: z.input<typeof callbackConfigSchema>): Promise<CallbackConfig>;
  clearCallback(): void;
  /** Every event queued for the callback URL, with each delivery attempt. */
  callbackDeliveries(): CallbackDelivery[];
  /** Settles when every queued event is delivered or given up. */
  callbacksIdle(): Promise<void>;
}

function requireApp(state: SimState, key: string) {
  const app = state.corp.findApp(key);
  if (!app) {
    throw new Error(`unknown app ${key}`);
  }
  return app;
}

export function createControls(state: SimState): Controls {
  const corp = state.corp;
  const events = new ContactEvents(state.callbacks);
  const appKeyOf = (app?: string) => (app === undefined ? undefined : requireApp(state, app).key);
  return {
    issueLoginCode(userid, app) {
      const target = app !== undefined ? requireApp(state, app) : corp.apps.find((a) => a.kind === 'miniprogram');
      if (!target || target.kind !== 'miniprogram') {
        throw new Error('login codes are issued for a mini program app');
      }
      const member = corp.getMember(userid);
      if (!member) {
        throw new Error(`unknown member ${userid}`);
      }
      const { code, expiresIn } = state.codes.issue(member.userid, target.key);
      return { code, expires_in: expiresIn };
    },
    setTokenTtl(seconds) {
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
        throw new Error('ttl: 1..86400 seconds');
      }
      state.tokens.ttlSeconds = seconds;
    },
    expireTokens: (app) => state.tokens.expire(appKeyOf(app)),
    revokeTokens: (app) => state.tokens.revoke(appKeyOf(app)),
    injectFault: (spec) => state.faults.add(spec),
    clearFaults: () => state.faults.clear(),
    setTrustedIps(app, ips) {
      requireApp(state, app).trustedIps = [...ips];
    },
    setTrustedDomain(app, domain) {
      const target = requireApp(state, app);
      if (target.kind !== 'self_built') throw new Error('a trusted domain is set on a self-built app');
      if (domain === null) delete target.trustedDomain;
      else target.trustedDomain = domain;
    },
    scanQrLogin({ userid, key, confirm = true }) {
      const session = key !== undefined ? state.qrSessions.get(key) : state.qrSessions.latestWaiting();
      if (!session) throw new Error('no QR login page is waiting for a scan');
      if (session.status !== 'waiting') throw new Error('this QR code was already used');
      const member = corp.getMember(userid);
      if (!member) throw new Error(`unknown member ${userid}`);
      if (member.status !== 1) throw new Error('该成员已停用或未激活，无法扫码登录');
      const app = corp.apps.find((a) => a.key === session.appKey);
      if (!app || !corp.canSeeMember(app, member)) throw new Error('无权限：成员不在应用的可见范围内');
      session.status = confirm ? 'confirmed' : 'denied';
      session.userid = member.userid;
      return { key: session.key };
    },
    setRateLimits(limits) {
      state.rate.limits = { ...DEFAULT_RATE_LIMITS, ...state.rate.limits, ...limits };
      state.rate.reset();
      return state.rate.limits;
    },
    setLatency(latency) {
      state.latency = checkLatency(latency);
      return state.latency;
    },
    callCounts: () => Object.fromEntries(state.calls),
    resetCallCounts: () => state.calls.clear(),
    advanceTime: (ms) => state.advance(ms),
    now: () => state.now(),
    sentMessages: () => [...state.messages],
    resetGetuseridFailures: () => state.getuseridFailures.reset(),
    addMember(m) {
      const added = corp.addMember(m);
      events.memberCreated(added);
      return added;
    },
    updateMember(userid, patch) {
      const before = corp.getMember(userid);
      const after = corp.updateMember(userid, patch);
      if (before) events.memberUpdated(before, after);
      return after;
    },
    deleteMember(userid) {
      const m = corp.getMember(userid);
      corp.deleteMember(userid);
      events.memberDeleted(m?.userid ?? userid);
    },
    addDepartment(d) {
      const added = corp.addDepartment(d);
      events.departmentCreated(added);
      return added;
    },
    updateDepartment(id, patch) {
      const before = corp.departments.get(id);
      const after = corp.updateDepartment(id, patch);
      if (before) events.departmentUpdated(before, after);
      return after;
    },
    deleteDepartment(id) {
      corp.deleteDepartment(id);
      events.departmentDeleted(id);
    },
    setCallback: (cfg) => state.callbacks.configure(cfg),
    clearCallback: () => state.callbacks.clear(),
    callbackDeliveries: () => state.callbacks.deliveries.map((d) => ({ ...d, attempts: [...d.attempts] })),
    callbacksIdle: () => state.callbacks.idle(),
  };
}

export { DEFAULT_TOKEN_TTL_SECONDS };
