import { EMBEDDED_DATASOURCE_ID, type Field } from '@shulan/shared';
import type { Deps } from '../deps.js';

/** Fields of a table the source lists (names are checked against the catalog before use). */
export async function tableFields(deps: Deps, datasourceId: string, table: string): Promise<Field[] | null> {
  if (datasourceId === EMBEDDED_DATASOURCE_ID) {
    const known = await deps.db.selectFrom('embedded_tables').select('fields_json').where('table_name', '=', table).executeTakeFirst();
    if (!known) return null;
  }
  const conn = await deps.connectors.forSource(datasourceId);
  if (datasourceId !== EMBEDDED_DATASOURCE_ID && !(await conn.listTables()).includes(table)) return null;
  return conn.listFields(table);
}
