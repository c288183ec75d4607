import { EMBEDDED_DATASOURCE_ID } from '@shulan/shared';
import { sql } from 'kysely';
import type { Db } from '../db/createDb.js';
import { nowIso } from '../lib/ids.js';

/**
 * The data of an embedded table changed: every dataset over it gets a new data_version, so cached
 * report results are not served. SQL datasets on the embedded store may read any table, so they
 * are bumped too.
 */
export async function bumpDataVersion(db: Db, tableName: string): Promise<void> {
  await db
    .updateTable('datasets')
    .set({ data_version: sql`data_version + 1`, updated_at: nowIso() })
    .where('datasource_id', '=', EMBEDDED_DATASOURCE_ID)
    .where((eb) => eb.or([eb('table_name', '=', tableName), eb('kind', '=', 'sql')]))
    .execute();
}
