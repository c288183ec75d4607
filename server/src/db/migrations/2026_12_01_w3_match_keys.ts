import { sql, type Kysely } from 'kysely';
import { memberMatchKeys, userMatchKeys } from '../../wecom/matching/matchKeys.js';

/**
 * Stored matching keys (normalised name and mobile) on users and WeCom members, indexed, so the
 * matching preview groups members in SQL instead of reading and normalising 200k rows in JS. Filled here for
 * the rows already stored, with the same JS normalisation every write uses.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['users', 'wecom_members'] as const) {
    await db.schema.alterTable(table).addColumn('match_name_key', 'text').execute();
    await db.schema.alterTable(table).addColumn('match_mobile_key', 'text').execute();
  }
  const k = db as unknown as Kysely<KeysV>;
  await fill(k, 'users', 'id', async (after) => {
    const rows = await k.selectFrom('users').select(['id', 'display_name', 'mobile']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    return rows.map((r) => ({ id: r.id, ...userMatchKeys(r) }));
  });
  await fill(k, 'wecom_members', 'userid', async (after) => {
    const rows = await k.selectFrom('wecom_members').select(['userid', 'name', 'mobile']).where('userid', '>', after).orderBy('userid').limit(BATCH).execute();
    return rows.map((r) => ({ id: r.userid, ...memberMatchKeys(r) }));
  });
  // The preview groups active members by key and reads a group's candidates by key: covering
  // indexes answer both without visiting the rows. Users are read whole, so theirs need none.
  for (const key of ['match_name_key', 'match_mobile_key']) {
    await db.schema.createIndex(`wecom_members_${key}`).on('wecom_members').columns([key, 'status', 'left_at', 'userid']).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const key of ['match_name_key', 'match_mobile_key']) await db.schema.dropIndex(`wecom_members_${key}`).execute();
  for (const table of ['users', 'wecom_members'] as const) {
    await db.schema.alterTable(table).dropColumn('match_name_key').execute();
    await db.schema.alterTable(table).dropColumn('match_mobile_key').execute();
  }
}

const BATCH = 500;
type Keyed = { id: string; match_name_key: string | null; match_mobile_key: string | null };

/**
 * One UPDATE … FROM (VALUES …) per batch (SQLite ≥ 3.33 and PostgreSQL both name the VALUES
 * columns column1…): 100k one-row updates would take many seconds on PostgreSQL.
 */
async function fill(db: Kysely<KeysV>, table: 'users' | 'wecom_members', idCol: string, next: (after: string) => Promise<Keyed[]>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await next(after);
    if (rows.length === 0) break;
    const values = sql.join(rows.map((r) => sql`(${r.id}, ${r.match_name_key}, ${r.match_mobile_key})`));
    await sql`UPDATE ${sql.table(table)} SET match_name_key = v.column2, match_mobile_key = v.column3
      FROM (VALUES ${values}) AS v WHERE ${sql.ref(`${table}.${idCol}`)} = v.column1`.execute(db);
    after = rows[rows.length - 1]!.id;
  }
}

interface KeysV {
  users: { id: string; display_name: string; mobile: string | null };
  wecom_members: { userid: string; name: string; mobile: string | null };
}
