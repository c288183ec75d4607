import type { Field } from '@shulan/shared';
import type { Connector } from './types.js';

/** What the dataset form and the dataset routes need beyond querying: the source's catalog. */
export interface SourceConnector extends Connector {
  /** Tables and views the user may build datasets on (`schema.table` outside the default schema). */
  listTables(): Promise<string[]>;
  /** Columns of one listed table; null when the table does not exist. */
  listFields(table: string): Promise<Field[] | null>;
  /** Column names and types of a SELECT, found without reading rows. */
  describeQuery(sql: string): Promise<Field[]>;
  /** Server version; used by the connection test. */
  version(): Promise<string>;
}
