import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider, type SqliteDatabase } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DbKind = Config['database']['kind'];

/** Opens the application database (not report data): SQLite file or PostgreSQL pool. */
export function createDb(database: Config['database']): Db {
  if (database.kind === 'postgres') {
    // pg loads only when the app database is PostgreSQL (Kysely opens the pool on the first query).
    const pool = async () => {
      const { default: pg } = await import('pg');
      // count(*) and bigint come back as strings from pg; our counters fit in a JS number.
      pg.types.setTypeParser(20, (v) => Number(v));
      const p = new pg.Pool({ connectionString: database.url, max: 10 });
      // An idle connection dropped by the server (restart, failover) must not crash the process;
      // the pool replaces it on the next query.
      p.on('error', () => {});
      return p;
    };
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (database.file !== ':memory:') {
    fs.mkdirSync(path.dirname(database.file), { recursive: true, mode: 0o700 });
    // Created owner-only before SQLite opens it: SQLite gives its -wal and -shm files the mode of the database file.
    fs.closeSync(fs.openSync(database.file, 'a', 0o600));
  }
  const sqlite = new SQLite(database.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

/**
 * Kysely prepares every query afresh; better-sqlite3 statements can be reused, and preparing is a
 * large part of a short query's cost (the login burst). A statement still being iterated (a
 * streamed query) is busy: then a fresh one is prepared. Bounded: IN lists make many variants.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new LRUCache<string, SQLite.Statement>({ max: 500 });
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached && !cached.busy) return cached;
      const stmt = sqlite.prepare(sql);
      statements.set(sql, stmt);
      return stmt;
    },
  };
}

/**
 * Migrations apply in code-point order of their names. Kysely's default compares with
 * localeCompare, whose order of upper- and lower-case letters depends on the process's locale: two
 * processes on one database could then disagree and refuse to start ("corrupted migrations").
 */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrate(db: Db): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider, nameComparator: byCodePoint }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
