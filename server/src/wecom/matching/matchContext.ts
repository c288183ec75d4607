import type { Db } from '../../db/createDb.js';
import type { UsersTable, WecomMembersTable } from '../../db/schema.js';

/** Everything a matching preview compares, read once. */
export interface MatchContext {
  /** Active Shulan users without a WeCom match: the ones to match. */
  unmatched: UsersTable[];
  /** Every active Shulan user (to spot two users sharing a mobile or a name). */
  activeUsers: UsersTable[];
  /** Synced members WeCom reports active and still in the address book. */
  members: WecomMembersTable[];
  /** wecom_userid → Shulan user id, for every existing match. */
  boundTo: Map<string, string>;
}

export async function loadMatchContext(db: Db): Promise<MatchContext> {
  const [activeUsers, members, bindings] = await Promise.all([
    db.selectFrom('users').selectAll().where('status', '=', 'active').orderBy('username').execute(),
    db.selectFrom('wecom_members').selectAll().where('status', '=', 1).where('left_at', 'is', null).orderBy('userid').execute(),
    db.selectFrom('wecom_bindings').select(['user_id', 'wecom_userid']).execute(),
  ]);
  const boundUsers = new Set(bindings.map((b) => b.user_id));
  return {
    unmatched: activeUsers.filter((u) => !boundUsers.has(u.id)),
    activeUsers,
    members,
    boundTo: new Map(bindings.map((b) => [b.wecom_userid, b.user_id])),
  };
}

export function groupBy<T>(items: T[], key: (t: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

/** Names compare after trimming and collapsing inner spaces ("张 三" stays distinct from "张三"). */
export const nameKey = (s: string | null | undefined): string | null => {
  const k = (s ?? '').trim().replace(/\s+/g, ' ');
  return k === '' ? null : k;
};
