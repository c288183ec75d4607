import type { Kysely } from 'kysely';
import { memberHash } from '../../wecom/sync/memberHash.js';

/**
 * A content hash per WeCom member, so a sync compares 100k members by one short string each and
 * writes only those that changed. Filled here for the rows already stored, so the first sync after
 * the upgrade still writes nothing when nothing changed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('wecom_members').addColumn('content_hash', 'text').execute();
  const k = db as unknown as Kysely<MembersV>;
  let after = '';
  for (;;) {
    const rows = await k.selectFrom('wecom_members').select(['userid', 'name', 'mobile', 'email', 'department_ids_json', 'status', 'position']).where('userid', '>', after).orderBy('userid').limit(1000).execute();
    if (rows.length === 0) break;
    for (const r of rows) await k.updateTable('wecom_members').set({ content_hash: memberHash(r) }).where('userid', '=', r.userid).execute();
    after = rows[rows.length - 1]!.userid;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('wecom_members').dropColumn('content_hash').execute();
}

interface MembersV {
  wecom_members: {
    userid: string;
    name: string;
    mobile: string | null;
    email: string | null;
    department_ids_json: string;
    status: number;
    position: string | null;
    content_hash: string | null;
  };
}
