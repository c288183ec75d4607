import type { SubscriptionBody, SubscriptionSendView, SubscriptionView } from '@shulan/shared';
import type { Db } from '../../db/createDb.js';
import type { ReportSubscriptionSendsTable, ReportSubscriptionsTable } from '../../db/schema.js';
import { NotFoundError, msg } from '../../errors.js';
import { newId, nowIso } from '../../lib/ids.js';
import { SUBSCRIPTION_TIMEZONE, nextRunAfter, validateSubscriptionSchedule } from './schedule.js';

export const SUBSCRIPTION = msg('订阅推送', 'Subscription');

const sendSummary = (s: ReportSubscriptionSendsTable): Omit<SubscriptionSendView, 'recipients'> => ({
  id: s.id,
  subscriptionId: s.subscription_id,
  trigger: s.trigger,
  startedAt: s.started_at,
  finishedAt: s.finished_at,
  status: s.status,
  sent: s.sent,
  skipped: s.skipped,
  card: s.card_json ? JSON.parse(s.card_json) : null,
  error: s.error_json ? JSON.parse(s.error_json) : null,
});

function toView(r: ReportSubscriptionsTable, last: ReportSubscriptionSendsTable | undefined): SubscriptionView {
  return {
    id: r.id,
    reportId: r.report_id,
    title: r.title,
    schedule: JSON.parse(r.schedule_json),
    timezone: r.timezone,
    recipients: JSON.parse(r.recipients_json),
    filters: JSON.parse(r.filters_json),
    enabled: r.enabled === 1,
    nextRunAt: r.next_run_at,
    lastRunAt: r.last_run_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastSend: last ? sendSummary(last) : null,
  };
}

async function lastSendOf(db: Db, subscriptionId: string) {
  return db.selectFrom('report_subscription_sends').selectAll().where('subscription_id', '=', subscriptionId).orderBy('started_at', 'desc').limit(1).executeTakeFirst();
}

export async function listSubscriptions(db: Db, reportId: string): Promise<SubscriptionView[]> {
  const rows = await db.selectFrom('report_subscriptions').selectAll().where('report_id', '=', reportId).orderBy('created_at').execute();
  return Promise.all(rows.map(async (r) => toView(r, await lastSendOf(db, r.id))));
}

/** The subscription of this report (404 when missing or of another report). */
export async function getSubscriptionRow(db: Db, reportId: string, id: string): Promise<ReportSubscriptionsTable> {
  const row = await db.selectFrom('report_subscriptions').selectAll().where('id', '=', id).where('report_id', '=', reportId).executeTakeFirst();
  if (!row) throw new NotFoundError(SUBSCRIPTION);
  return row;
}

export async function getSubscription(db: Db, reportId: string, id: string): Promise<SubscriptionView> {
  const row = await getSubscriptionRow(db, reportId, id);
  return toView(row, await lastSendOf(db, id));
}

function columnsOf(body: SubscriptionBody, now: Date) {
  const cron = validateSubscriptionSchedule(body.schedule);
  return {
    title: body.title ?? null,
    schedule_json: JSON.stringify(body.schedule),
    cron,
    timezone: SUBSCRIPTION_TIMEZONE,
    recipients_json: JSON.stringify(body.recipients),
    filters_json: JSON.stringify(body.filters),
    enabled: body.enabled ? 1 : 0,
    next_run_at: body.enabled ? nextRunAfter(cron, now) : null,
    updated_at: now.toISOString(),
  };
}

export async function createSubscription(db: Db, reportId: string, body: SubscriptionBody, actorId: string): Promise<string> {
  const id = newId();
  await db
    .insertInto('report_subscriptions')
    .values({ id, report_id: reportId, ...columnsOf(body, new Date()), last_run_at: null, created_by: actorId, created_at: nowIso() })
    .execute();
  return id;
}

export async function updateSubscription(db: Db, reportId: string, id: string, body: SubscriptionBody): Promise<void> {
  await getSubscriptionRow(db, reportId, id);
  await db.updateTable('report_subscriptions').set(columnsOf(body, new Date())).where('id', '=', id).execute();
}

/** Deletes subscriptions and their history (explicitly: SQLite does not enforce the cascade). */
export async function deleteSubscriptions(db: Db, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const sends = db.selectFrom('report_subscription_sends').select('id').where('subscription_id', 'in', ids);
  await db.deleteFrom('report_subscription_recipients').where('send_id', 'in', sends).execute();
  await db.deleteFrom('report_subscription_sends').where('subscription_id', 'in', ids).execute();
  await db.deleteFrom('report_subscriptions').where('id', 'in', ids).execute();
}

/** Called when a report is deleted (inside its transaction). */
export async function deleteSubscriptionsOfReport(db: Db, reportId: string): Promise<void> {
  const rows = await db.selectFrom('report_subscriptions').select('id').where('report_id', '=', reportId).execute();
  await deleteSubscriptions(db, rows.map((r) => r.id));
}

/** Sends of a subscription, newest first, with every recipient's outcome. */
export async function listSends(db: Db, subscriptionId: string, limit = 20): Promise<SubscriptionSendView[]> {
  const sends = await db.selectFrom('report_subscription_sends').selectAll().where('subscription_id', '=', subscriptionId).orderBy('started_at', 'desc').limit(limit).execute();
  if (!sends.length) return [];
  const recipients = await db
    .selectFrom('report_subscription_recipients')
    .selectAll()
    .where('send_id', 'in', sends.map((s) => s.id))
    .orderBy('name')
    .execute();
  return sends.map((s) => ({
    ...sendSummary(s),
    recipients: recipients
      .filter((r) => r.send_id === s.id)
      .map((r) => ({ userId: r.user_id, name: r.name, wecomUserid: r.wecom_userid, status: r.status, detail: r.detail })),
  }));
}
