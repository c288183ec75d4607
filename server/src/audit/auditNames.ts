import type { AuditTargetKind } from '@shulan/shared';
import type { Db } from '../db/createDb.js';

const NAMED_KINDS = ['user', 'group', 'report', 'dataset', 'datasource', 'embedded_table'] as const;
type NamedKind = (typeof NAMED_KINDS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Keeps each IN list well below SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK = 500;

export const isNamedKind = (kind: AuditTargetKind | null): kind is NamedKind => (NAMED_KINDS as readonly string[]).includes(kind ?? '');
export const looksLikeId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** How the audit log names a user: display names repeat, usernames do not. */
export const userLabel = (displayName: string, username: string): string =>
  displayName && displayName !== username ? `${displayName} (${username})` : username;

async function namesInTable(db: Db, kind: NamedKind, ids: string[]): Promise<[string, string][]> {
  switch (kind) {
    case 'user':
      return (await db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute()).map((r) => [
        r.id,
        userLabel(r.display_name, r.username),
      ]);
    case 'group':
      return (await db.selectFrom('groups').select(['id', 'name']).where('id', 'in', ids).execute()).map((r) => [r.id, r.name]);
    case 'report':
      return (await db.selectFrom('reports').select(['id', 'name']).where('id', 'in', ids).execute()).map((r) => [r.id, r.name]);
    case 'dataset':
      return (await db.selectFrom('datasets').select(['id', 'name']).where('id', 'in', ids).execute()).map((r) => [r.id, r.name]);
    case 'datasource':
      return (await db.selectFrom('datasources').select(['id', 'name']).where('id', 'in', ids).execute()).map((r) => [r.id, r.name]);
    case 'embedded_table':
      return (await db.selectFrom('embedded_tables').select(['id', 'display_name']).where('id', 'in', ids).execute()).map((r) => [
        r.id,
        r.display_name,
      ]);
  }
}

/** Current names of the given ids, looked up in the tables of `kinds` (ids are unique across tables). */
export async function currentNames(db: Db, ids: Iterable<string>, kinds: readonly NamedKind[] = NAMED_KINDS): Promise<Map<string, string>> {
  const all = [...new Set(ids)];
  const out = new Map<string, string>();
  for (let i = 0; i < all.length; i += CHUNK) {
    const part = all.slice(i, i + CHUNK);
    for (const kind of kinds) for (const [id, name] of await namesInTable(db, kind, part)) out.set(id, name);
  }
  return out;
}

/** Names of WeCom members by userid, as synced from the address book. */
export async function wecomMemberNames(db: Db, userids: Iterable<string>): Promise<Map<string, string>> {
  const all = [...new Set(userids)];
  const out = new Map<string, string>();
  for (let i = 0; i < all.length; i += CHUNK) {
    const rows = await db.selectFrom('wecom_members').select(['userid', 'name']).where('userid', 'in', all.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.set(r.userid, r.name);
  }
  return out;
}
