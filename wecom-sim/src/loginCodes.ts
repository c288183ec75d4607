import { randomBytes } from 'node:crypto';

/** wx.qy.login codes are valid for 5 minutes and can be consumed once (reference §2.2). */
export const LOGIN_CODE_TTL_MS = 5 * 60 * 1000;

interface CodeRecord {
  userid: string;
  appKey: string;
  expiresAt: number;
}

export class LoginCodes {
  private readonly codes = new Map<string, CodeRecord>();

  constructor(private readonly now: () => number) {}

  issue(userid: string, appKey: string): { code: string; expiresIn: number } {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { userid, appKey, expiresAt: this.now() + LOGIN_CODE_TTL_MS });
    return { code, expiresIn: LOGIN_CODE_TTL_MS / 1000 };
  }

  /** Returns the userid and forgets the code, or undefined (unknown, used, expired, other app). */
  consume(code: string, appKey: string): string | undefined {
    const rec = this.codes.get(code);
    if (!rec || rec.appKey !== appKey) {
      return undefined;
    }
    this.codes.delete(code);
    return rec.expiresAt > this.now() ? rec.userid : undefined;
  }
}
