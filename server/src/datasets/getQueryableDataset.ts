import type { Deps } from '../deps.js';
import type { QueryableDataset } from '../datasources/types.js';

/** Loads a dataset with its fields and an open connector; throws NotFoundError when missing. */
export async function getQueryableDataset(_deps: Deps, _datasetId: string): Promise<QueryableDataset> {
  throw new Error('not implemented yet');
}
