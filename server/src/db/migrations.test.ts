import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/testDb.js';
import { createDb, migrate, type Db } from './createDb.js';
import { migrations } from './migrations/index.js';

let db: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  db = createDb(fresh.database);
});
afterAll(async () => {
  await db?.destroy();
  await drop?.();
});

describe('migrations', () => {
  it('a database migrated in one go opens again, even when migrations share a timestamp', async () => {
    expect(await migrate(db)).toEqual(Object.keys(migrations).sort());
    // Migrations applied within one millisecond get the same timestamp; the next start must still
    // read them in the order they were applied (names mixing upper and lower case included).
    await sql`update kysely_migration set timestamp = ${new Date('2026-12-01T00:00:00.000Z').toISOString()}`.execute(db);
    expect(await migrate(db)).toEqual([]);
  });

  it('are listed in the order they apply', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
  });
});
