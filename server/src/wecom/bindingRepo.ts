import type { WecomBindingView, WecomMatchSource } from '@shulan/shared';
import type { Db } from '../db/createDb.js';
import { Precompiled } from '../db/precompiled.js';
import type { UsersTable, WecomBindingsTable, WecomMembersTable } from '../db/schema.js';
import { ConflictError, msg } from '../errors.js';
import { nowIso } from '../lib/ids.js';
import { isUniqueViolation } from '../users/userRepo.js';

export const toBindingView = (b: WecomBindingsTable): WecomBindingView => ({
  userId: b.user_id,
  wecomUserid: b.wecom_userid,
  source: b.source,
  matchedAt: b.matched_at,
});

export function findBindingByUser(db: Db, userId: string): Promise<WecomBindingsTable | undefined> {
  return db.selectFrom('wecom_bindings').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** What a passwordless login needs about a bound member: the user, how it was bound, WeCom's status. */
export interface LoginCandidate {
  id: string;
  username: string;
  display_name: string;
  role: UsersTable['role'];
  status: UsersTable['status'];
  binding_source: WecomMatchSource;
  /** Null when the local directory does not know the member (before the first sync). */
  member_status: number | null;
  member_left_at: string | null;
}

// The login burst's only read, compiled once: the bound user with the member's synced status.
const loginCandidateQuery = new Precompiled<{ userid: string }, LoginCandidate>((db, p) =>
  db
    .selectFrom('wecom_bindings')
    .innerJoin('users', 'users.id', 'wecom_bindings.user_id')
    .leftJoin('wecom_members', 'wecom_members.userid', 'wecom_bindings.wecom_userid')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.status',
      'wecom_bindings.source as binding_source',
      'wecom_members.status as member_status',
      'wecom_members.left_at as member_left_at',
    ])
    .where('wecom_bindings.wecom_userid', '=', p.userid),
);

/** The user bound to a WeCom member with the member's synced status, or undefined when unbound. */
export async function findLoginCandidate(db: Db, userid: string): Promise<LoginCandidate | undefined> {
  return (await loginCandidateQuery.execute(db, { userid })).rows[0];
}

export function findMember(db: Db, userid: string): Promise<WecomMembersTable | undefined> {
  return db.selectFrom('wecom_members').selectAll().where('userid', '=', userid).executeTakeFirst();
}

/** A member WeCom reports as disabled, not active, or gone from the address book. */
export const isMemberInactive = (m: Pick<WecomMembersTable, 'status' | 'left_at'>): boolean => m.status !== 1 || m.left_at !== null;

export interface NewBinding {
  userId: string;
  wecomUserid: string;
  source: WecomMatchSource;
  matchedBy: string | null;
}

/**
 * Stores a binding, refusing (409) a member or a user already bound elsewhere. Re-binding the same
 * pair is a no-op that returns the existing binding. Run it inside the caller's transaction.
 */
export async function insertBinding(db: Db, b: NewBinding): Promise<{ binding: WecomBindingsTable; created: boolean }> {
  const [byUser, byMember] = await Promise.all([
    findBindingByUser(db, b.userId),
    db.selectFrom('wecom_bindings').selectAll().where('wecom_userid', '=', b.wecomUserid).executeTakeFirst(),
  ]);
  if (byUser && byUser.wecom_userid === b.wecomUserid) return { binding: byUser, created: false };
  if (byMember) {
    throw new ConflictError(
      msg(
        `企业微信成员 ${b.wecomUserid} 已绑定其他数览账号：请联系管理员在人员列表中解除该匹配`,
        `WeCom member ${b.wecomUserid} is already bound to another Shulan account: ask an administrator to remove that match in the personnel list`,
      ),
    );
  }
  if (byUser) {
    throw new ConflictError(
      msg(
        `该数览账号已绑定企业微信成员 ${byUser.wecom_userid}：请先解除原有匹配`,
        `This Shulan account is already bound to WeCom member ${byUser.wecom_userid}: remove that match first`,
      ),
    );
  }
  const row: WecomBindingsTable = {
    user_id: b.userId,
    wecom_userid: b.wecomUserid,
    source: b.source,
    matched_at: nowIso(),
    matched_by: b.matchedBy,
  };
  try {
    await db.insertInto('wecom_bindings').values(row).execute();
  } catch (e) {
    // Two binds of the same member or user at the same moment: the unique keys decide.
    if (isUniqueViolation(e)) {
      throw new ConflictError(msg('该成员或账号刚刚被绑定，请刷新后重试', 'That member or account was just bound; refresh and retry'));
    }
    throw e;
  }
  return { binding: row, created: true };
}

export async function deleteBinding(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('wecom_bindings').where('user_id', '=', userId).execute();
}

/** Removes the user's binding if the user made it at first login; returns what was removed. */
export async function deleteFirstLoginBinding(db: Db, userId: string): Promise<WecomBindingsTable | undefined> {
  return db.deleteFrom('wecom_bindings').where('user_id', '=', userId).where('source', '=', 'first_login').returningAll().executeTakeFirst();
}
