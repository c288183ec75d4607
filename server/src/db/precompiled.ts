import { PostgresAdapter, type Compilable, type CompiledQuery, type QueryResult } from 'kysely';
import type { Db } from './createDb.js';

// Parameters are built with placeholder strings no caller's value can start with.
const MARK = '\u0000shulan-param:';

/**
 * A query built and compiled by Kysely ONCE, run many times with new values: for hot paths (the
 * login burst), where building the operation tree and compiling it again per request costs more
 * than running it. `build` receives placeholders for the named values; use them only as values
 * (never in a string you assemble yourself, nor spread: they are read one property at a time). Compiled once per dialect.
 */
export class Precompiled<P extends object, R> {
  /** Per dialect (a transaction is another object on the same database). */
  private readonly compiled = new Map<'postgres' | 'sqlite', CompiledQuery<R>>();

  constructor(private readonly build: (db: Db, p: { [K in keyof P]: P[K] }) => Compilable<R>) {}

  execute(db: Db, values: P): Promise<QueryResult<R>> {
    const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
    let c = this.compiled.get(dialect);
    if (!c) this.compiled.set(dialect, (c = this.build(db, placeholders<P>()).compile()));
    const parameters = c.parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? (values as Record<string, unknown>)[v.slice(MARK.length)] : v));
    return db.executeQuery({ ...c, parameters });
  }
}

function placeholders<P>(): { [K in keyof P]: P[K] } {
  return new Proxy({}, { get: (_t, key) => `${MARK}${String(key)}` }) as { [K in keyof P]: P[K] };
}

export const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;
