import { randomInt } from 'node:crypto';
import { EMBEDDED_DATASOURCE_ID, REVIEWER_USERNAME_PREFIX, type ReviewerCredentials, type ReviewerRemoved, type ReviewerStatus } from '@shulan/shared';
import { audit } from '../audit/audit.js';
import { hashPassword } from '../auth/passwords.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, msg } from '../errors.js';
import { newId, nowIso } from '../lib/ids.js';
import { insertReport } from '../reports/reportRepo.js';
import { findUserById, insertUser, isUniqueViolation } from '../users/userRepo.js';
import { resetPassword } from '../users/passwordChange.js';
import {
  REVIEWER_DISPLAY_NAME,
  REVIEWER_FIELDS,
  REVIEWER_REPORT_DESCRIPTION,
  REVIEWER_REPORT_NAME,
  REVIEWER_SQL,
  reviewerDatasetName,
  reviewerReportDefinition,
} from './reviewerContent.js';
import { deleteReviewerRecord, insertReviewerRecord, readReleased, readReviewerRecord, writeReleased, type ReviewerRecord } from './reviewerStore.js';

type ReviewerDeps = Pick<Deps, 'db' | 'sessions' | 'loginLimiter'>;

/** Who acts: an admin in the web UI, or the operator at the command line (no account). */
export interface ReviewerActor {
  actorId: string | null;
  via: 'admin' | 'cli';
}

// No 0/O, 1/l/I: a reviewer may have to type the password on a phone.
const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const PASSWORD_LENGTH = 16; // about 93 bits
const SUFFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
export const generateReviewerPassword = (): string => pick(PASSWORD_ALPHABET, PASSWORD_LENGTH);
// A random suffix: the username is not guessable either, and a new account never reuses an old name.
const generateUsername = () => `${REVIEWER_USERNAME_PREFIX}${pick(SUFFIX_ALPHABET, 6)}`;

const exists = (r: ReviewerRecord) =>
  new ConflictError(
    msg(
      `已有微信审核测试账号 ${r.username}（不会再创建一个）：如需新的密码，请重置它的密码；小程序发布后请删除它`,
      `A reviewer account exists already: ${r.username} (no second one is created). Reset its password for a new one; remove it once the mini program is released`,
    ),
  );
const none = () => new NotFoundError(msg('微信审核测试账号', 'Reviewer account'));

export async function reviewerStatus(deps: Pick<Deps, 'db'>): Promise<ReviewerStatus> {
  const { db } = deps;
  const [record, released] = await Promise.all([readReviewerRecord(db), readReleased(db)]);
  if (!record) return { account: null, released };
  const [user, report] = await Promise.all([
    findUserById(db, record.userId),
    db.selectFrom('reports').select('name').where('id', '=', record.reportId).executeTakeFirst(),
  ]);
  return {
    account: {
      userId: record.userId,
      username: user?.username ?? record.username,
      displayName: user?.display_name ?? REVIEWER_DISPLAY_NAME,
      reportId: record.reportId,
      reportName: report?.name ?? REVIEWER_REPORT_NAME,
      createdAt: record.createdAt,
    },
    released,
  };
}

/**
 * The account WeChat's reviewers log in with: a viewer that sees one report (a bar chart and a
 * table over five made-up rows) and nothing else. The password is returned here only, once.
 * A second call while one exists is a 409 that offers the password reset instead.
 */
export async function createReviewer(deps: ReviewerDeps, actor: ReviewerActor): Promise<ReviewerCredentials> {
  const { db } = deps;
  const current = await readReviewerRecord(db);
  if (current) throw exists(current);

  const username = generateUsername();
  const password = generateReviewerPassword();
  const passwordHash = await hashPassword(password);
  const now = nowIso();
  try {
    await db.transaction().execute(async (trx) => {
      const userId = await insertUser(trx, { username, displayName: REVIEWER_DISPLAY_NAME, role: 'viewer', passwordHash });
      const datasetId = newId();
      await trx
        .insertInto('datasets')
        .values({
          id: datasetId,
          name: reviewerDatasetName(username),
          datasource_id: EMBEDDED_DATASOURCE_ID,
          kind: 'sql',
          table_name: null,
          sql: REVIEWER_SQL,
          fields_json: JSON.stringify(REVIEWER_FIELDS),
          created_by: actor.actorId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const reportId = await insertReport(trx, {
        name: REVIEWER_REPORT_NAME,
        description: REVIEWER_REPORT_DESCRIPTION,
        definition: reviewerReportDefinition(datasetId),
        createdBy: actor.actorId,
      });
      await trx.insertInto('report_grants').values({ report_id: reportId, subject_type: 'user', subject_id: userId, created_at: now }).execute();
      await insertReviewerRecord(trx, { userId, username, reportId, datasetId, createdAt: now });
      await writeReleased(trx, false);
      await audit(trx, actor.actorId, 'reviewer.create', userId, { username, by: actor.via });
    });
  } catch (e) {
    // Another admin created one at the same moment: theirs stands.
    if (isUniqueViolation(e)) {
      const winner = await readReviewerRecord(db);
      if (winner) throw exists(winner);
    }
    throw e;
  }
  return { username, password, reportName: REVIEWER_REPORT_NAME };
}

/** The reviewer record; with `username`, only if it is that account. */
async function current(db: Deps['db'], username?: string): Promise<ReviewerRecord> {
  const record = await readReviewerRecord(db);
  if (!record || (username !== undefined && record.username.toLowerCase() !== username.toLowerCase())) throw none();
  return record;
}

/** A new password for the existing account; its sessions end and a login lock is lifted. */
export async function resetReviewerPassword(deps: ReviewerDeps, actor: ReviewerActor, username?: string): Promise<ReviewerCredentials> {
  const record = await current(deps.db, username);
  const user = await findUserById(deps.db, record.userId);
  if (!user) throw none();
  const password = generateReviewerPassword();
  await resetPassword(deps, user, password, actor);
  const report = await deps.db.selectFrom('reports').select('name').where('id', '=', record.reportId).executeTakeFirst();
  return { username: user.username, password, reportName: report?.name ?? REVIEWER_REPORT_NAME };
}

/**
 * After release: the account, its sessions, login counters and grants, its report and its
 * dataset go. The audit log keeps the entries (with the username) as history.
 */
export async function removeReviewer(deps: ReviewerDeps, actor: ReviewerActor, username?: string): Promise<ReviewerRemoved> {
  const { db } = deps;
  const record = await current(db, username);
  // Through the session service, so the account's open sockets close at once too.
  const sessionsEnded = await deps.sessions.closeAllForUser(record.userId);
  await db.transaction().execute(async (trx) => {
    // Written first, while the account still exists, so the entry keeps its name.
    await audit(trx, actor.actorId, 'reviewer.remove', record.userId, { username: record.username, by: actor.via });
    await trx.deleteFrom('report_grants').where('report_id', '=', record.reportId).execute();
    await trx.deleteFrom('reports').where('id', '=', record.reportId).execute();
    // An editor may have built something else on the sample rows; then the dataset stays.
    const usedElsewhere = await trx.selectFrom('reports').select('id').where('definition_json', 'like', `%"${record.datasetId}"%`).executeTakeFirst();
    if (!usedElsewhere) await trx.deleteFrom('datasets').where('id', '=', record.datasetId).execute();
    await trx.deleteFrom('report_grants').where('subject_type', '=', 'user').where('subject_id', '=', record.userId).execute();
    await trx.deleteFrom('group_members').where('user_id', '=', record.userId).execute();
    await trx.deleteFrom('wecom_bindings').where('user_id', '=', record.userId).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', record.userId).execute(); // one opened meanwhile
    await trx.deleteFrom('login_attempts').where('username_key', '=', record.username.toLowerCase()).execute();
    await trx.deleteFrom('users').where('id', '=', record.userId).execute();
    await deleteReviewerRecord(trx);
    await writeReleased(trx, true);
  });
  return { username: record.username, sessionsEnded };
}
