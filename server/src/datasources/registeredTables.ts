import { EMBEDDED_DATASOURCE_ID } from '@shulan/shared';
import type { Db } from '../db/createDb.js';

/** Tables of the embedded store that Shulan knows: imported tables and those table datasets name. */
export async function registeredEmbeddedTables(db: Db): Promise<ReadonlySet<string>> {
  const rows = await db
    .selectFrom('embedded_tables')
    .select('table_name')
    .union(
      db
        .selectFrom('datasets')
        .select('table_name')
        .where('datasource_id', '=', EMBEDDED_DATASOURCE_ID)
        .where('table_name', 'is not', null)
        .$narrowType<{ table_name: string }>(),
    )
    .execute();
  return new Set(rows.map((r) => r.table_name));
}
