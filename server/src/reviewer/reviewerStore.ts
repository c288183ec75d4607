import { z } from 'zod';
import type { Db } from '../db/createDb.js';
import { ForbiddenError, msg } from '../errors.js';
import { nowIso } from '../lib/ids.js';
import { readSetting, writeSetting } from '../settings/settingsStore.js';

/**
 * Settings rows of the reviewer kit. ACCOUNT_KEY exists exactly while a reviewer account does:
 * it is inserted (never upserted) when one is created, so two admins creating at once get one
 * account and one 409. RELEASE_KEY remembers whether the last account was removed after release,
 * which is what `shulan doctor` expects unless told otherwise.
 */
export const ACCOUNT_KEY = 'reviewer_account';
const RELEASE_KEY = 'reviewer_release';

export const ReviewerRecordSchema = z.object({
  userId: z.string(),
  username: z.string(),
  reportId: z.string(),
  datasetId: z.string(),
  createdAt: z.string(),
});
export type ReviewerRecord = z.infer<typeof ReviewerRecordSchema>;

export async function readReviewerRecord(db: Db): Promise<ReviewerRecord | null> {
  const parsed = ReviewerRecordSchema.safeParse(await readSetting(db, ACCOUNT_KEY));
  return parsed.success ? parsed.data : null;
}

/** Throws a unique violation when a record exists already. */
export async function insertReviewerRecord(db: Db, record: ReviewerRecord): Promise<void> {
  await db.insertInto('settings').values({ key: ACCOUNT_KEY, value_json: JSON.stringify(record), updated_at: nowIso() }).execute();
}

export async function deleteReviewerRecord(db: Db): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', ACCOUNT_KEY).execute();
}

export async function readReleased(db: Db): Promise<boolean> {
  const parsed = z.object({ released: z.boolean() }).safeParse(await readSetting(db, RELEASE_KEY));
  return parsed.success ? parsed.data.released : false;
}

export async function writeReleased(db: Db, released: boolean): Promise<void> {
  await writeSetting(db, RELEASE_KEY, { released, at: nowIso() });
}

/** The reviewer account is for plain WeChat only: it must never be bound to a WeCom member. */
export async function isReviewerAccount(db: Db, userId: string): Promise<boolean> {
  return (await readReviewerRecord(db))?.userId === userId;
}

/**
 * The report the reviewer account opens straight after logging in (the mini program skips the
 * list); null for every other account, so nobody else learns anything from it.
 */
export async function reviewerStartReport(db: Db, userId: string): Promise<string | null> {
  const record = await readReviewerRecord(db);
  return record?.userId === userId ? record.reportId : null;
}

export const reviewerCannotBind = (): ForbiddenError =>
  new ForbiddenError(
    msg(
      '微信审核测试账号只用于微信审核，不能绑定企业微信：请用自己的数览账号',
      'The reviewer account is for WeChat review only and cannot be bound to WeCom: use your own Shulan account',
    ),
  );
