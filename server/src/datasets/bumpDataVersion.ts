import { EMBEDDED_DATASOURCE_ID } from '@shulan/shared';
import { sql } from 'kysely';
import type { Db } from '../db/createDb.js';
import { nowIso } from '../lib/ids.js';
import type { LiveEvents } from '../live/LiveEvents.js';

/** Datasets that read an embedded table: those over it, and SQL datasets on the embedded store (they may read any table). */
function datasetsOverTable(db: Db, tableName: string) {
  return db
    .selectFrom('datasets')
    .select('id')
    .where('datasource_id', '=', EMBEDDED_DATASOURCE_ID)
    .where((eb) => eb.or([eb('table_name', '=', tableName), eb('kind', '=', 'sql')]));
}

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

/**
 * Tells open reports (live sockets) that the datasets over a table changed. Call it after the
 * transaction that bumped the version has committed, so a client reloading at once sees new data.
 */
export async function publishTableChanged(db: Db, events: LiveEvents, tableName: string): Promise<void> {
  const rows = await datasetsOverTable(db, tableName).execute();
  if (rows.length > 0) events.publishDataChanged({ datasetIds: rows.map((r) => r.id) });
}
