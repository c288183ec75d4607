import type { ViewerPolicy } from '../permissions/datasetPolicy.js';
import type { CalculatedField, Field } from '@shulan/shared';

/** SQL flavour of a connection; the report query compiler emits SQL for it. */
export type SqlDialect = 'duckdb' | 'postgres' | 'mysql';

/** A live connection to one data source. Report queries only read. */
export interface Connector {
  readonly dialect: SqlDialect;
  /**
   * Runs one read-only statement with positional parameters ($1… for duckdb/postgres, ? for
   * mysql) and returns plain rows; numbers come back as JS numbers, dates as ISO strings.
   */
  query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** The embedded analytics store (uploaded files become its tables). */
export interface EmbeddedStore extends Connector {
  /** Creates or replaces a table with exactly these fields and rows; returns the row count. */
  replaceTable(table: string, fields: Field[], rows: Iterable<unknown[]> | AsyncIterable<unknown[]>): Promise<number>;
  /** Adds rows to an existing table whose columns are `fields`; returns the rows added. */
  appendTable(table: string, fields: Field[], rows: Iterable<unknown[]> | AsyncIterable<unknown[]>): Promise<number>;
  dropTable(table: string): Promise<void>;
}

/** What the report query layer needs to query a dataset. */
export interface QueryableDataset {
  id: string;
  name: string;
  /** Part of the cache key: bumped whenever the data behind the dataset changes. */
  dataVersion: number;
  fields: Field[];
  /** Expressions over `fields`, usable in queries by name (absent = none). */
  calculated?: CalculatedField[];
  source: { kind: 'table'; table: string } | { kind: 'sql'; sql: string };
  connector: Connector;
  /** External sources can change without us knowing: their cached results expire. */
  external: boolean;
  /** Row filter, hidden and masked fields of the viewer asking (permissions/datasetPolicy.ts); absent = none. */
  policy?: ViewerPolicy;
}
