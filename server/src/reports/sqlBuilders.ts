import {
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import type { SqlDialect } from '../datasources/types.js';

// Report data lives in other databases than the app's own; these builders only compile SQL
// (DummyDriver never connects) and the dataset's connector runs it.
// DuckDB takes $1 parameters and double-quoted identifiers, so the PostgreSQL compiler fits it.

/** Table shapes are only known at run time; every identifier is checked before use. */
type AnyDb = Record<string, Record<string, unknown>>;

const postgres = new Kysely<AnyDb>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const mysql = new Kysely<AnyDb>({
  dialect: {
    createAdapter: () => new MysqlAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new MysqlIntrospector(db),
    createQueryCompiler: () => new MysqlQueryCompiler(),
  },
});

/** A connection-less query builder that compiles SQL for the given dialect. */
export function sqlBuilderFor(dialect: SqlDialect): Kysely<AnyDb> {
  return dialect === 'mysql' ? mysql : postgres;
}
