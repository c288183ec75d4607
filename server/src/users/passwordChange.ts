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
  reason: 'password_reset' | 'password_changed',
): Promise<{ sessionsEnded: number; wecomSessionsEnded: number }> {
  const hash = await hashPassword(newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, updated_at: nowIso() }).where('id', '=', user.id).execute();
    const removed = await deleteFirstLoginBinding(trx, user.id);
    if (removed) {
      await audit(trx, actorId, 'wecom.binding_removed', user.id, {
        username: user.username,
        wecomUserid: removed.wecom_userid,
        source: removed.source,
        reason,
      });
    }
  });
  const wecomSessionsEnded = await deps.sessions.closeAllForUser(user.id, 'wecom');
  const sessionsEnded = wecomSessionsEnded + (await deps.sessions.closeAllForUser(user.id));
  return { sessionsEnded, wecomSessionsEnded };
}

/** An admin sets someone's password (web: PATCH /api/users/:id; `shulan admin reset-password`). */
export async function resetPassword(deps: PasswordDeps, user: User, newPassword: string, by: { actorId: string | null; via: 'admin' | 'cli' }): Promise<void> {
  const ended = await replacePassword(deps, user, newPassword, by.actorId, 'password_reset');
  await audit(deps.db, by.actorId, 'user.password_reset', user.id, { username: user.username, by: by.via, ...ended });
  // The admin vouches for the person now, so a lock a stranger caused is lifted at once.
  await deps.loginLimiter.clearUser(user.username);
}

/** The user changes their own password, having given the current one. */
export async function changeOwnPassword(deps: PasswordDeps, user: User, newPassword: string): Promise<void> {
  const ended = await replacePassword(deps, user, newPassword, user.id, 'password_changed');
  await audit(deps.db, user.id, 'user.password_changed', user.id, { username: user.username, ...ended });
}
