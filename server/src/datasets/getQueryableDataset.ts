import type { CalculatedField, Field } from '@shulan/shared';
import { EMBEDDED_DATASOURCE_ID } from '@shulan/shared';
import type { Deps } from '../deps.js';
import type { QueryableDataset } from '../datasources/types.js';
import { NotFoundError, msg } from '../errors.js';

export { bumpDataVersion } from './bumpDataVersion.js';

export const DATASET = msg('数据集', 'Dataset');

/** Loads a dataset with its fields and an open connector; throws NotFoundError when missing. */
export async function getQueryableDataset(deps: Deps, datasetId: string): Promise<QueryableDataset> {
  const row = await deps.db.selectFrom('datasets').selectAll().where('id', '=', datasetId).executeTakeFirst();
  if (!row) throw new NotFoundError(DATASET);
  const connector = await deps.connectors.forSource(row.datasource_id);
  return {
    id: row.id,
    name: row.name,
    dataVersion: Number(row.data_version),
    fields: JSON.parse(row.fields_json) as Field[],
    calculated: JSON.parse(row.calculated_fields_json) as CalculatedField[],
    source: row.kind === 'table' ? { kind: 'table', table: row.table_name ?? '' } : { kind: 'sql', sql: row.sql ?? '' },
    connector,
    external: row.datasource_id !== EMBEDDED_DATASOURCE_ID,
  };
}
