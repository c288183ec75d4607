import type { Db } from '../db/createDb.js';
import { nowIso } from '../lib/ids.js';

/** The parsed JSON stored under a settings key, or null when never written. */
export async function readSetting(db: Db, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value_json').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value_json) as unknown) : null;
}

/** Stores a JSON value under a settings key, replacing any previous one. */
export async function writeSetting(db: Db, key: string, value: unknown): Promise<void> {
  const value_json = JSON.stringify(value);
  const updated_at = nowIso();
  await db
    .insertInto('settings')
    .values({ key, value_json, updated_at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json, updated_at }))
    .execute();
}
