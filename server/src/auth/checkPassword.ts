import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { TooManyRequestsError, msg } from '../errors.js';
import { Reservation } from './LoginLimiter.js';
import { verifyPassword } from './passwords.js';

/** 429 with Retry-After, before any password is checked. */
export class LoginLockedError extends TooManyRequestsError {
  constructor(retryAfter: number) {
    const minutes = Math.ceil(retryAfter / 60);
    super(msg(`登录失败次数过多，请 ${minutes} 分钟后再试`, `Too many failed logins; try again in ${minutes} min`), retryAfter);
  }
}

/** Where the password was typed: the audit log says so. */
export type PasswordPurpose = 'login' | 'wecom_bind' | 'change_password';

export interface PasswordAttempt {
  /** As typed; it names the counters and the audit entry. */
  username: string;
  ip: string;
  /** The account, or undefined when no user has that name (a dummy check keeps the timing equal). */
  user: { id: string; password_hash: string } | undefined;
  password: string;
  purpose: PasswordPurpose;
}

/**
 * Checks a password under the login limits (auth/LoginLimiter.ts): throws LoginLockedError when
 * the caller is locked out, counts the attempt before verifying, and gives it back only when the
 * password is right. A wrong password, and the lock it may cause, go to the audit log (never the
 * password itself).
 */
export async function checkPassword(deps: Pick<Deps, 'db' | 'loginLimiter'>, a: PasswordAttempt): Promise<boolean> {
  const r = await deps.loginLimiter.reserve(a.username, a.ip);
  if (!(r instanceof Reservation)) throw new LoginLockedError(r.retryAfter);
  if (await verifyPassword(a.user?.password_hash ?? null, a.password)) {
    await r.succeed();
    return true;
  }
  const target = a.user?.id ?? null;
  // Only a logged-in user changing their password is a known actor; a login failure has none.
  const actor = a.purpose === 'change_password' ? target : null;
  const who = { username: a.username, ip: a.ip, via: a.purpose };
  await audit(deps.db, actor, 'auth.login_failed', target, { ...who, reason: a.user ? 'wrong_password' : 'unknown_user' });
  for (const f of r.filled) {
    await audit(deps.db, actor, 'auth.locked', f.scope === 'ip' ? null : target, { ...who, scope: f.scope, until: f.resetAt });
  }
  return false;
}
