import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../src/config.js';

/** Which application database the suite runs on: TEST_DB=postgres or sqlite (default). */
export const TEST_DB = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, empty database for one test file; the returned drop() removes it. */
export async function freshDatabase(): Promise<{ database: Config['database']; drop: () => Promise<void> }> {
  if (TEST_DB === 'sqlite') return { database: { kind: 'sqlite', file: ':memory:' }, drop: async () => {} };
  const { url, drop } = await freshPostgres();
  return { database: { kind: 'postgres', url }, drop };
}

/** A fresh PostgreSQL database whatever TEST_DB says (several instances, the bench). */
export async function freshPostgres(prefix = 'shulan_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
