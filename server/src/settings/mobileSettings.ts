import { z } from 'zod';
import type { Db } from '../db/createDb.js';
import { writeSetting } from './settingsStore.js';

/** Row key in `settings`. */
const KEY = 'mobile';

export const MobileSettingsSchema = z.strictObject({
  /** Viewer name + user id tail drawn over report pages in the mini program (leak deterrent). */
  watermark: z.boolean(),
  /** The enterprise's name shown on the mini program's first page ("for employees of …"). */
  orgName: z.string().trim().max(60, { error: '企业名称最多 60 个字符 / The company name is at most 60 characters' }),
});
export type MobileSettings = z.infer<typeof MobileSettingsSchema>;

const DEFAULTS: MobileSettings = { watermark: true, orgName: '' };

export async function readMobileSettings(db: Db): Promise<MobileSettings> {
  const row = await db.selectFrom('settings').select('value_json').where('key', '=', KEY).executeTakeFirst();
  if (!row) return DEFAULTS;
  const parsed = MobileSettingsSchema.partial().safeParse(JSON.parse(row.value_json));
  return parsed.success ? { ...DEFAULTS, ...parsed.data } : DEFAULTS;
}

export async function writeMobileSettings(db: Db, s: MobileSettings): Promise<void> {
  await writeSetting(db, KEY, s);
}
