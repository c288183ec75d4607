/** Connection settings of an external source, password decrypted (kept in memory only). */
export interface ExternalConfig {
  kind: 'postgres' | 'mysql';
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  ssl: boolean;
}

export const CONNECT_TIMEOUT_MS = 5_000;
export const STATEMENT_TIMEOUT_MS = 30_000;
/** Most rows one query may return (the CSV export asks for exactly this many); more is an error, not a silent cut. */
export const MAX_RESULT_ROWS = 100_000;
