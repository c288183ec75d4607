import { createHash, randomBytes } from 'node:crypto';

/**
 * Codes of the web logins: OAuth2 inside WeCom's browser (网页授权登录, path/91022) and the
 * Web login / QR scan (企业微信Web登录, path/98152). Both are exchanged with auth/getuserinfo:
 * single use, valid 5 minutes, and only by the token of an app whose 可信域名 is the redirect's host.
 */
export const WEB_CODE_TTL_MS = 5 * 60 * 1000;
/** How long a QR login page waits for a scan before the code on it is stale. */
export const QR_SESSION_TTL_MS = 10 * 60 * 1000;

/** Who the code stands for: a member (userid) or someone outside the corp (openid). */
export type WebIdentity = { userid: string } | { openid: string };

interface WebCodeRecord {
  identity: WebIdentity;
  /** host[:port] of the redirect_uri the code was sent to. */
  redirectHost: string;
  expiresAt: number;
}

export class WebCodes {
  private readonly codes = new Map<string, WebCodeRecord>();

  constructor(private readonly now: () => number) {}

  issue(identity: WebIdentity, redirectHost: string): string {
    // Real codes are up to 512 bytes; ours are 43 url-safe characters.
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { identity, redirectHost, expiresAt: this.now() + WEB_CODE_TTL_MS });
    return code;
  }

  peek(code: string): WebCodeRecord | undefined {
    const rec = this.codes.get(code);
    if (rec && rec.expiresAt <= this.now()) {
      this.codes.delete(code);
      return undefined;
    }
    return rec;
  }

  consume(code: string): void {
    this.codes.delete(code);
  }
}

/** The openid WeCom gives a visitor who is not a member: stable per corp, opaque. */
export function openidFor(corpid: string, who: string): string {
  return 'o' + createHash('sha256').update(`${corpid}:${who}`).digest('base64url').slice(0, 27);
}

export type QrStatus = 'waiting' | 'confirmed' | 'denied';

export interface QrSession {
  key: string;
  appKey: string;
  redirectUri: string;
  state: string | undefined;
  status: QrStatus;
  userid?: string;
  createdAt: number;
  /** Set once the redirect with the code was handed to the page (the code is issued once). */
  location?: string;
}

/** QR login pages waiting for a member to scan them with the WeCom app. */
export class QrSessions {
  private readonly sessions = new Map<string, QrSession>();

  constructor(private readonly now: () => number) {}

  open(s: Omit<QrSession, 'key' | 'status' | 'createdAt'>): QrSession {
    const session: QrSession = { ...s, key: randomBytes(12).toString('hex'), status: 'waiting', createdAt: this.now() };
    this.sessions.set(session.key, session);
    return session;
  }

  get(key: string): QrSession | undefined {
    const s = this.sessions.get(key);
    if (s && s.createdAt + QR_SESSION_TTL_MS <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return s;
  }

  /** The most recently opened page still waiting for a scan. */
  latestWaiting(): QrSession | undefined {
    let latest: QrSession | undefined;
    for (const s of this.sessions.values()) {
      if (s.status === 'waiting' && this.get(s.key) && (!latest || s.createdAt >= latest.createdAt)) latest = s;
    }
    return latest;
  }
}

/** redirect_uri?code=CODE&state=STATE, keeping the redirect's own query (the docs' example does). */
export function withCode(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined) url.searchParams.set(k, v);
  }
  return url.toString();
}
