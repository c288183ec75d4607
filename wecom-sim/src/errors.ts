import { randomBytes } from 'node:crypto';

/**
 * WeCom answers HTTP 200 with `errcode`/`errmsg`; the short texts below are the ones observed in
 * real responses (reference §0). Codes whose text was never observed carry our best guess.
 */
export const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  0: 'ok',
  40001: 'invalid credential',
  40003: 'invalid userid',
  40008: 'invalid message type',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40035: 'invalid parameter',
  40056: 'invalid agentid',
  40058: 'invalid Request Parameter',
  40063: 'invalid appid',
  40091: 'secret is invalid',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  41008: 'missing code',
  41009: 'missing userid',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  46004: 'user no exist',
  47001: 'data format error',
  48002: 'api forbidden',
  // Redirect host ≠ the token's app 可信域名 (text not observed; our guess).
  50001: 'redirect_url domain not match trusted domain',
  50003: 'application is disabled',
  60011: 'no privilege to access/modify contact/party/agent',
  60020: 'not allow to access from your ip',
  60103: 'mobile invalid',
  60111: 'userid not found',
  60123: 'invalid party id',
  81013: 'user & party & tag all invalid',
  82001: 'All touser & toparty & totag invalid',
};

/** A WeCom business error: the route answers it as `{errcode, errmsg}` with HTTP 200. */
export class WecomError extends Error {
  constructor(
    readonly errcode: number,
    /** Replaces the standard short text, e.g. `invalid string value \`x\`. userid not found`. */
    readonly shortText?: string,
  ) {
    super(shortText ?? ERRMSG[errcode] ?? 'unknown error');
  }
}

let hintSeq = 0;

/** Builds the full errmsg exactly like WeCom: `<text>, hint: [..], from ip: .., more info at ..`. */
export function formatErrmsg(errcode: number, ip: string, nowMs: number, shortText?: string): string {
  const text = shortText ?? ERRMSG[errcode] ?? 'unknown error';
  if (errcode === 0) {
    return text;
  }
  hintSeq = (hintSeq + 1) % 1000;
  const hint = `${Math.floor(nowMs / 1000)}_${hintSeq}_${randomBytes(16).toString('hex')}`;
  return `${text}, hint: [${hint}], from ip: ${ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}
