import { EMBEDDED_DATASOURCE_ID, type Field } from '@shulan/shared';
import type { Db } from '../../db/createDb.js';

/** A table just loaded into the embedded store, to be listed as an uploaded table. */
export interface LoadedTable {
  tableId: string;
  tableName: string;
  displayName: string;
  sourceFile: string;
  rowCount: number;
  fields: Field[];
  userId: string | null;
  now: string;
}

/** Lists a freshly loaded table among the uploaded tables (run inside the import's transaction). */
export async function insertEmbeddedTable(tx: Db, t: LoadedTable): Promise<void> {
  await tx
    .insertInto('embedded_tables')
    .values({
      id: t.tableId,
      datasource_id: EMBEDDED_DATASOURCE_ID,
      table_name: t.tableName,
      display_name: t.displayName,
      source_file: t.sourceFile,
      row_count: t.rowCount,
      fields_json: JSON.stringify(t.fields),
      created_by: t.userId,
      created_at: t.now,
      updated_at: t.now,
    })
    .execute();
}

/** The dataset reports use to read an uploaded table. */
export async function insertTableDataset(
  tx: Db,
  d: { datasetId: string; name: string; tableName: string; fields: Field[]; userId: string | null; now: string },
): Promise<void> {
  await tx
    .insertInto('datasets')
    .values({
      id: d.datasetId,
      name: d.name,
      datasource_id: EMBEDDED_DATASOURCE_ID,
      kind: 'table',
      table_name: d.tableName,
      sql: null,
      fields_json: JSON.stringify(d.fields),
      created_by: d.userId,
      created_at: d.now,
      updated_at: d.now,
    })
    .execute();
}
