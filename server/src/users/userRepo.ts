import type { Role, SessionUser, UserStatus, UserView } from '@shulan/shared';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/createDb.js';
import type { UsersTable } from '../db/schema.js';
import { newId, nowIso } from '../lib/ids.js';
import { userMatchKeys } from '../wecom/matching/matchKeys.js';

export interface NewUser {
  username: string;
  displayName: string;
  mobile?: string | null;
  email?: string | null;
  role: Role;
  status?: UserStatus;
  passwordHash: string;
}

/** Inserts a user; the unique username_key makes a duplicate throw. */
export async function insertUser(db: Db, u: NewUser): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('users')
    .values({
      id,
      username: u.username,
      username_key: u.username.toLowerCase(),
      display_name: u.displayName,
      mobile: u.mobile ?? null,
      email: u.email ?? null,
      role: u.role,
      status: u.status ?? 'active',
      password_hash: u.passwordHash,
      created_at: now,
      updated_at: now,
      ...userMatchKeys({ display_name: u.displayName, mobile: u.mobile ?? null }),
    })
    .execute();
  return id;
}

export function findUserByUsername(db: Db, username: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('username_key', '=', username.toLowerCase()).executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export const toSessionUser = (u: Pick<UsersTable, 'id' | 'username' | 'display_name' | 'role' | 'status'>): SessionUser => ({
  id: u.id,
  username: u.username,
  displayName: u.display_name,
  role: u.role,
  status: u.status,
});

/** Escapes LIKE wildcards so user input only ever matches literally (used with ESCAPE '\'). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `column LIKE 'prefix%' ESCAPE '\'`: a literal prefix match that an index can serve. The ESCAPE
 * clause is spelled out because SQLite has no default escape character.
 */
export const startsWith = (column: string, prefix: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`${sql.ref(column)} like ${`${escapeLike(prefix)}%`} escape '\\'`;

/** Groups of many users in ONE query (no N+1), keyed by user id. */
export async function groupsOfUsers(db: Db, userIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.user_id', 'groups.id', 'groups.name'])
    .where('group_members.user_id', 'in', userIds)
    .orderBy('groups.name')
    .execute();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ id: r.id, name: r.name });
    out.set(r.user_id, list);
  }
  return out;
}

/**
 * WeCom identity of users, in ONE query: binding ⨝ synced member ⨝ the member's departments.
 * Departments are matched inside the member's compact JSON id list ("[1,2]" → ",1,2,"), which
 * needs no dialect-specific JSON function. A member not synced yet shows its userid as the name.
 * This is the ONE place UserView.wecom comes from.
 */
export async function wecomOfUsers(db: Db, userIds: string[]): Promise<Map<string, NonNullable<UserView['wecom']>>> {
  const out = new Map<string, NonNullable<UserView['wecom']>>();
  if (userIds.length === 0) return out;
  const idList = sql<string>`replace(replace(${sql.ref('m.department_ids_json')}, '[', ','), ']', ',')`;
  const rows = await db
    .selectFrom('wecom_bindings as b')
    .leftJoin('wecom_members as m', 'm.userid', 'b.wecom_userid')
    .leftJoin('wecom_departments as d', (join) =>
      join.on(sql<SqlBool>`${idList} like ${sql`'%,' || cast(${sql.ref('d.id')} as text) || ',%'`}`),
    )
    .select(['b.user_id', 'b.wecom_userid', 'b.source', 'b.matched_at', 'm.name as member_name', 'd.name as department_name'])
    .where('b.user_id', 'in', userIds)
    .orderBy('b.user_id')
    .orderBy('d.name')
    .execute();
  for (const r of rows) {
    let entry = out.get(r.user_id);
    if (!entry) {
      entry = { userid: r.wecom_userid, name: r.member_name ?? r.wecom_userid, departments: [], source: r.source, matchedAt: r.matched_at };
      out.set(r.user_id, entry);
    }
    if (r.department_name !== null) entry.departments.push(r.department_name);
  }
  return out;
}

/** Full views (with groups and WeCom identity) for a page of user rows, in two queries. */
export async function toUserViews(db: Db, users: UsersTable[]): Promise<UserView[]> {
  const ids = users.map((u) => u.id);
  const [groups, wecom] = await Promise.all([groupsOfUsers(db, ids), wecomOfUsers(db, ids)]);
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    mobile: u.mobile,
    email: u.email,
    role: u.role,
    status: u.status,
    groups: groups.get(u.id) ?? [],
    createdAt: u.created_at,
    wecom: wecom.get(u.id) ?? null,
  }));
}

/** Replaces a user's group memberships (inside the caller's transaction). */
export async function setUserGroups(db: Db, userId: string, groupIds: string[]): Promise<void> {
  await db.deleteFrom('group_members').where('user_id', '=', userId).execute();
  let unique = [...new Set(groupIds)];
  // WeCom department groups take their members from the directory, never by hand.
  if (unique.length) {
    const manual = await db.selectFrom('groups').select('id').where('id', 'in', unique).where('source', '=', 'manual').execute();
    unique = manual.map((g) => g.id);
  }
  if (unique.length) {
    await db
      .insertInto('group_members')
      .values(unique.map((group_id) => ({ group_id, user_id: userId })))
      .execute();
  }
}

/** True for a unique-constraint error from PostgreSQL (23505) or SQLite, to answer 409 on a race. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
