import { sql } from 'kysely';
import type { Db } from '../../db/createDb.js';
import { Classification } from './classification.js';
import type { MatchUser } from './matchContext.js';
import type { MatchKeyColumn } from './memberBook.js';
import type { Reasons } from './reasons.js';

type KeyedUser = MatchUser & { k: string | null };

/**
 * Matching on a key both sides carry locally (the name, or the mobile for apps created before
 * 2022-06-20), on the stored keys. The member side comes grouped from SQL (a few thousand keys
 * with their count and, when alone, their member), not as 100k member rows; the member rows a
 * page shows are read later (MemberBook). The user side is read whole: a user's category
 * depends on how many other active users share the key, and paging and filtering need every row.
 */
export async function matchLocally(db: Db, keyColumn: MatchKeyColumn, r: Reasons): Promise<{ c: Classification; boundTo: Map<string, string> }> {
  const k = sql.ref<string | null>(keyColumn);
  const [users, keys, bindings] = await Promise.all([
    readUsers(db, keyColumn),
    db
      .selectFrom('wecom_members')
      .select([k.as('k'), sql<number>`CAST(COUNT(*) AS INTEGER)`.as('n'), sql<string>`MIN(userid)`.as('userid')])
      .where('status', '=', 1)
      .where('left_at', 'is', null)
      .where(keyColumn, 'is not', null)
      .groupBy(keyColumn)
      .execute(),
    db.selectFrom('wecom_bindings').select(['user_id', 'wecom_userid']).execute(),
  ]);
  const members = new Map(keys.map((m) => [m.k!, m]));
  const boundUsers = bindings.length ? new Set(bindings.map((b) => b.user_id)) : null;
  const boundTo = new Map(bindings.map((b) => [b.wecom_userid, b.user_id]));
  const c = new Classification();

  // Active users by key (bound ones too: two users sharing a name are ambiguous even when one
  // of them is matched already), each list in the database's username order.
  const byKey = new Map<string, KeyedUser[]>();
  for (const u of users) {
    if (u.k === null) continue;
    const list = byKey.get(u.k);
    if (list) list.push(u);
    else byKey.set(u.k, [u]);
  }
  // Ambiguous keys: several candidates, or one candidate and several users. Listed by key, then
  // username, both in JS string order (a group's rows side by side, so a page shows few groups).
  const ambiguousKeys = new Set<string>();
  const byUsername = (a: KeyedUser, b: KeyedUser) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);
  for (const key of [...byKey.keys()].sort()) {
    const cands = members.get(key);
    const same = byKey.get(key)!;
    if (!cands || (cands.n === 1 && same.length === 1)) continue;
    ambiguousKeys.add(key);
    const n = cands.n > 1 ? cands.n : same.length;
    const group = c.group(key, cands.n > 1 ? () => r.severalMembers(key, n) : () => r.severalUsers(key, n), null);
    if (!inJsOrder(same)) same.sort(byUsername);
    for (const u of same) if (!boundUsers?.has(u.id)) c.ambiguous.push({ u, group });
  }
  // The other categories in the database's username order.
  let usernames: Map<string, string> | null = null;
  const usernameOf = (id: string) => (usernames ??= new Map(users.map((u) => [u.id, u.username]))).get(id) ?? id;
  for (const u of users) {
    const key = u.k;
    if (key !== null && ambiguousKeys.has(key)) continue;
    if (boundUsers?.has(u.id)) continue;
    const cands = key === null ? undefined : members.get(key);
    if (key === null) c.noMatch.push({ u, reason: () => r.missing(u) });
    else if (!cands) c.noMatch.push({ u, reason: () => r.none(key) });
    else {
      const bound = boundTo.get(cands.userid);
      if (bound !== undefined) c.conflicts.push({ u, m: cands.userid, bound, boundName: usernameOf(bound) });
      else c.sure.push({ u, m: cands.userid });
    }
  }
  return { c, boundTo };
}

function inJsOrder(users: KeyedUser[]): boolean {
  for (let i = 1; i < users.length; i++) if (!(users[i - 1]!.username < users[i]!.username)) return false;
  return true;
}

/**
 * Every active user with its key, in the database's username order (the order pages list them
 * in). A key equal to the display name (nearly every name key) is not sent twice: the driver
 * builds 100k strings fewer. Sent as kx: null = the display name, '' = no key (neither key is
 * ever ''), else the key itself.
 */
async function readUsers(db: Db, keyColumn: MatchKeyColumn): Promise<KeyedUser[]> {
  const rows = (await db
    .selectFrom('users')
    .select([
      'id',
      'username',
      'display_name',
      keyColumn === 'match_mobile_key' ? 'mobile' : sql<null>`NULL`.as('mobile'),
      sql<string | null>`CASE WHEN ${sql.ref(keyColumn)} IS NULL THEN '' WHEN ${sql.ref(keyColumn)} = display_name THEN NULL ELSE ${sql.ref(keyColumn)} END`.as('k'),
    ])
    .where('status', '=', 'active')
    .orderBy('username')
    .execute()) as KeyedUser[];
  for (const u of rows) u.k = u.k === null ? u.display_name : u.k === '' ? null : u.k;
  return rows;
}
