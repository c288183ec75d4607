import { audit } from '../audit/audit.js';
import { hashPassword } from '../auth/passwords.js';
import type { UsersTable } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { nowIso } from '../lib/ids.js';
import { deleteFirstLoginBinding } from '../wecom/bindingRepo.js';

type PasswordDeps = Pick<Deps, 'db' | 'sessions' | 'loginLimiter'>;
type User = Pick<UsersTable, 'id' | 'username'>;

/**
 * A new password ends what the old one vouched for: every session (WeCom ones included) and a
 * WeCom binding made at first login in the mini program, since whoever knew the old password may
 * have bound their own WeCom account. Matches an admin made (mobile, name, by hand) stay.
 */
async function replacePassword(
  deps: PasswordDeps,
  user: User,
  newPassword: string,
  actorId: string | null,
  action: 'user.password_reset' | 'user.password_changed',
  detail: Record<string, unknown>,
): Promise<void> {
  const hash = await hashPassword(newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, updated_at: nowIso() }).where('id', '=', user.id).execute();
    const removed = await deleteFirstLoginBinding(trx, user.id);
    if (removed) {
      await audit(trx, actorId, 'wecom.binding_removed', user.id, {
        username: user.username,
        wecomUserid: removed.wecom_userid,
        source: removed.source,
        reason: action === 'user.password_reset' ? 'password_reset' : 'password_changed',
      });
    }
  });
  const wecomSessionsEnded = await deps.sessions.closeAllForUser(user.id, 'wecom');
  const sessionsEnded = wecomSessionsEnded + (await deps.sessions.closeAllForUser(user.id));
  await audit(deps.db, actorId, action, user.id, { username: user.username, ...detail, sessionsEnded, wecomSessionsEnded });
}

/** An admin sets someone's password (web: PATCH /api/users/:id; `shulan admin reset-password`). */
export async function resetPassword(deps: PasswordDeps, user: User, newPassword: string, by: { actorId: string | null; via: 'admin' | 'cli' }): Promise<void> {
  await replacePassword(deps, user, newPassword, by.actorId, 'user.password_reset', { by: by.via });
  // The admin vouches for the person now, so a lock a stranger caused is lifted at once.
  await deps.loginLimiter.clearUser(user.username);
}

/** The user changes their own password, having given the current one. */
export async function changeOwnPassword(deps: PasswordDeps, user: User, newPassword: string): Promise<void> {
  await replacePassword(deps, user, newPassword, user.id, 'user.password_changed', {});
}
