import type { Db } from '../../db/createDb.js';

/** The user columns matching needs: never the password hash, nor anything else it does not read. */
export interface MatchUser {
  id: string;
  username: string;
  display_name: string;
  mobile: string | null;
}

export interface MatchMember {
  userid: string;
  name: string;
  mobile: string | null;
  department_ids_json: string;
}

/** Everything a matching preview compares, read once per request. */
export interface MatchContext {
  /** Active Shulan users without a WeCom match, by username: the ones to match. */
  unmatched: MatchUser[];
  /** Every active Shulan user (to spot two users sharing a mobile or a name). */
  activeUsers: MatchUser[];
  /** Synced members WeCom reports active and still in the address book. */
  members: MatchMember[];
  /** wecom_userid → Shulan user id, for every existing match. */
  boundTo: Map<string, string>;
  /** Department id → name, to show and filter candidates by department. */
  departments: Map<number, string>;
}

export async function loadMatchContext(db: Db): Promise<MatchContext> {
  const [activeUsers, members, bindings, departments] = await Promise.all([
    db.selectFrom('users').select(['id', 'username', 'display_name', 'mobile']).where('status', '=', 'active').orderBy('username').execute(),
    db
      .selectFrom('wecom_members')
      .select(['userid', 'name', 'mobile', 'department_ids_json'])
      .where('status', '=', 1)
      .where('left_at', 'is', null)
      .orderBy('userid')
      .execute(),
    db.selectFrom('wecom_bindings').select(['user_id', 'wecom_userid']).execute(),
    db.selectFrom('wecom_departments').select(['id', 'name']).execute(),
  ]);
  const boundUsers = new Set(bindings.map((b) => b.user_id));
  return {
    unmatched: activeUsers.filter((u) => !boundUsers.has(u.id)),
    activeUsers,
    members,
    boundTo: new Map(bindings.map((b) => [b.wecom_userid, b.user_id])),
    departments: new Map(departments.map((d) => [d.id, d.name])),
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

export { nameKey } from './matchKeys.js';
