import { randomBytes } from 'node:crypto';
import type { GroupMapping, Role } from '@shulan/shared';
import { audit } from '../../audit/audit.js';
import type { Deps } from '../../deps.js';
import type { UsersTable } from '../../db/schema.js';
import { nowIso } from '../../lib/ids.js';
import { findUserById, findUserByUsername, insertUser, isUniqueViolation } from '../../users/userRepo.js';
import { hashPassword } from '../passwords.js';

/** Someone an external directory (OIDC provider, LDAP server) vouched for. */
export interface ExternalIdentity {
  source: 'oidc' | 'ldap';
  username: string;
  displayName: string;
  /** The directory's group names for this person. */
  groups: string[];
}

export type Provisioned = { ok: true; user: UsersTable } | { ok: false; reason: 'no_account' | 'disabled' };

/** The role the directory's groups give, or null when no role mapping is configured. */
export function mappedRole(m: GroupMapping, groups: string[]): Role | null {
  if (!m.adminGroups.length && !m.editorGroups.length) return null;
  const has = (list: string[]) => list.some((g) => groups.includes(g));
  return has(m.adminGroups) ? 'admin' : has(m.editorGroups) ? 'editor' : 'viewer';
}

/**
 * The Shulan account of an external login: the user with that username (created when the mapping
 * allows), its role and its mapped groups brought in line with the directory. Groups that are not
 * mapped are left alone, so an admin's own group assignments stay.
 */
export async function provisionExternalUser(deps: Pick<Deps, 'db'>, who: ExternalIdentity, m: GroupMapping, ip: string): Promise<Provisioned> {
  const { db } = deps;
  const role = mappedRole(m, who.groups);
  let user = await findUserByUsername(db, who.username);
  if (!user) {
    if (!m.createUsers) {
      await audit(db, null, 'auth.login_failed', null, { username: who.username, ip, via: who.source, reason: 'no_account' });
      return { ok: false, reason: 'no_account' };
    }
    try {
      // No password anyone knows: this account logs in through the directory (an admin may set one).
      const id = await insertUser(db, { username: who.username, displayName: who.displayName, role: role ?? 'viewer', passwordHash: await hashPassword(randomBytes(24).toString('base64url')) });
      await audit(db, null, 'auth.external_user_created', id, { username: who.username, via: who.source, role: role ?? 'viewer', ip });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // created by a concurrent first login
    }
    user = await findUserByUsername(db, who.username);
    if (!user) return { ok: false, reason: 'no_account' };
  }
  if (user.status !== 'active') {
    await audit(db, null, 'auth.login_failed', user.id, { username: who.username, ip, via: who.source, reason: 'disabled' });
    return { ok: false, reason: 'disabled' };
  }
  if (role && role !== user.role && !(user.role === 'admin' && (await isLastAdmin(deps, user.id)))) {
    await db.updateTable('users').set({ role, updated_at: nowIso() }).where('id', '=', user.id).execute();
    await audit(db, null, 'user.role_change', user.id, { username: user.username, from: user.role, to: role, via: who.source });
  }
  await syncMappedGroups(deps, user.id, m, who.groups);
  return { ok: true, user: (await findUserById(db, user.id)) ?? user };
}

/** The directory never demotes the last active admin (nobody could administer Shulan then). */
async function isLastAdmin(deps: Pick<Deps, 'db'>, userId: string): Promise<boolean> {
  const admins = await deps.db.selectFrom('users').select('id').where('role', '=', 'admin').where('status', '=', 'active').execute();
  return admins.length === 1 && admins[0]!.id === userId;
}

async function syncMappedGroups(deps: Pick<Deps, 'db'>, userId: string, m: GroupMapping, groups: string[]): Promise<void> {
  if (!m.groupMap.length) return;
  const { db } = deps;
  const managed = [...new Set(m.groupMap.map((g) => g.groupId))];
  const wanted = new Set(m.groupMap.filter((g) => groups.includes(g.external)).map((g) => g.groupId));
  const existing = new Set((await db.selectFrom('groups').select('id').where('id', 'in', managed).execute()).map((r) => r.id));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('group_members').where('user_id', '=', userId).where('group_id', 'in', managed).execute();
    const rows = [...wanted].filter((id) => existing.has(id)).map((group_id) => ({ group_id, user_id: userId }));
    if (rows.length) await trx.insertInto('group_members').values(rows).execute();
  });
}
