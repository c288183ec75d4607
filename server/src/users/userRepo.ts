import type { Role, SessionUser, UserStatus } from '@shulan/shared';
import type { Db } from '../db/createDb.js';
import type { UsersTable } from '../db/schema.js';
import { newId, nowIso } from '../lib/ids.js';

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

export const toSessionUser = (u: UsersTable): SessionUser => ({
  id: u.id,
  username: u.username,
  displayName: u.display_name,
  role: u.role,
  status: u.status,
});
