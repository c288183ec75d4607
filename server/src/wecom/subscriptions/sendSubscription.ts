import type { RecipientStatus, ReportFilterValue, SubscriptionRecipients } from '@shulan/shared';
import type { Deps } from '../../deps.js';
import type { ReportSubscriptionsTable } from '../../db/schema.js';
import { AppError, msg, type Msg } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import { getReport } from '../../reports/reportRepo.js';
import type { WecomClient } from '../WecomClient.js';
import { TRANSIENT_ERRCODES, WecomError, WecomPausedError } from '../wecomErrors.js';
import { PAGE_MAX_BYTES, buildCard, cardWidgets, type Card } from './card.js';
import { planRecipients, type PlannedRecipient } from './recipients.js';
import type { ReportRecord } from '../../reports/reportRepo.js';
import { hasRules, parsePermissions, policyFor, policyKey } from '../../permissions/datasetPolicy.js';
import { sessionUserOf } from '../../permissions/viewAs.js';
import { loadViewer, type Viewer } from '../../permissions/viewer.js';

/** message/send takes at most 1000 userids per call (reference §7). */
export const BATCH_SIZE = 1000;
/** WeCom's per-member limits for one app; excess cards are dropped silently, so we skip and report. */
export const PER_MEMBER_PER_MINUTE = 30;
export const PER_MEMBER_PER_HOUR = 1000;

/** WeCom refused every recipient of the call: they count as rejected, not as a failed call. */
const ALL_REJECTED = new Set([81013, 82001]);

/** Cards already sent to these members since `since` (ISO), per WeCom userid. */
async function sentSince(deps: Deps, userids: string[], since: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < userids.length; i += 500) {
    const rows = await deps.db
      .selectFrom('report_subscription_recipients')
      .select(['wecom_userid', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'sent')
      .where('at', '>', since)
      .where('wecom_userid', 'in', userids.slice(i, i + 500))
      .groupBy('wecom_userid')
      .execute();
    for (const r of rows) counts.set(r.wecom_userid!, Number(r.n));
  }
  return counts;
}

/** Marks members over WeCom's per-member limits as rate_limited (they would be dropped silently). */
async function applyMemberLimits(deps: Deps, eligible: PlannedRecipient[], now: Date): Promise<void> {
  const ids = eligible.map((r) => r.wecomUserid!);
  if (!ids.length) return;
  const minute = await sentSince(deps, ids, new Date(now.getTime() - 60_000).toISOString());
  const hour = await sentSince(deps, ids, new Date(now.getTime() - 3600_000).toISOString());
  for (const r of eligible) {
    if ((minute.get(r.wecomUserid!) ?? 0) >= PER_MEMBER_PER_MINUTE) {
      r.status = 'rate_limited';
      r.detail = `${PER_MEMBER_PER_MINUTE}/min`;
    } else if ((hour.get(r.wecomUserid!) ?? 0) >= PER_MEMBER_PER_HOUR) {
      r.status = 'rate_limited';
      r.detail = `${PER_MEMBER_PER_HOUR}/h`;
    }
  }
}

/**
 * A failure that may pass by itself: WeCom busy (-1) or overloaded (45033) after the client's own
 * retries, a frequency pause (45009), or no usable answer at all. Anything else (60020 an untrusted
 * IP, 40063 a wrong AppID…) answers the same until an admin acts, so it is never retried.
 */
function isTransient(e: unknown): boolean {
  if (e instanceof WecomPausedError) return true;
  if (!(e instanceof WecomError)) return false;
  return e.errcode === null || TRANSIENT_ERRCODES.has(e.errcode) || e.errcode === 45033;
}

interface BatchFailure {
  why: Msg;
  transient: boolean;
}

/** Sends one batch and sets each recipient's outcome; returns the failure that stopped it, if any. */
async function sendBatch(client: WecomClient, appId: string, card: Card, batch: PlannedRecipient[]): Promise<BatchFailure | null> {
  try {
    const res = await client.sendMiniprogramNotice(
      batch.map((r) => r.wecomUserid!),
      { appid: appId, page: card.page, title: card.title, description: card.description, emphasis_first_item: card.items.length > 0, content_item: card.items },
    );
    const refused = (list: string | undefined) => new Set((list ?? '').split('|').filter(Boolean));
    const invalid = refused(res.invaliduser);
    const unlicensed = refused(res.unlicenseduser);
    for (const r of batch) {
      if (invalid.has(r.wecomUserid!) || unlicensed.has(r.wecomUserid!)) {
        r.status = 'invalid';
        r.detail = invalid.has(r.wecomUserid!) ? 'invaliduser' : 'unlicenseduser';
      }
    }
    return null;
  } catch (e) {
    if (e instanceof WecomError && e.errcode !== null && ALL_REJECTED.has(e.errcode)) {
      for (const r of batch) Object.assign(r, { status: 'invalid' satisfies RecipientStatus, detail: `invaliduser (${e.errcode})` });
      return null;
    }
    const why = e instanceof AppError ? e.msg : msg('发送失败', 'Sending failed');
    const code = e instanceof WecomError && e.errcode !== null ? `${e.errcode}: ` : '';
    for (const r of batch) Object.assign(r, { status: 'failed' satisfies RecipientStatus, detail: `${code}${why.en}`.slice(0, 300) });
    return { why, transient: isTransient(e) };
  }
}

/**
 * Groups recipients by what they may see of the card's datasets and builds one card per group,
 * with the figures computed under that group's row and column permissions. Without rules on
 * those datasets, one card for all (and one, for the send record, when nobody is ready).
 */
async function cardsByView(
  deps: Deps,
  report: ReportRecord,
  ready: PlannedRecipient[],
  build: (viewer: Viewer | null) => Promise<Card>,
): Promise<{ card: Card; recipients: PlannedRecipient[] }[]> {
  const ids = [...new Set(cardWidgets(report).map((w) => w.datasetId))];
  const datasets = ids.length
    ? await deps.db.selectFrom('datasets').select(['id', 'permissions_json', 'created_by']).where('id', 'in', ids).execute()
    : [];
  const ruled = datasets.map((d) => ({ ...d, perms: parsePermissions(d.permissions_json) })).filter((d) => hasRules(d.perms));
  if (!ruled.length) return [{ card: await build(null), recipients: ready }];
  const groups = new Map<string, { viewer: Viewer; recipients: PlannedRecipient[] }>();
  for (const r of ready) {
    const user = r.userId ? await sessionUserOf(deps, r.userId) : null;
    if (!user) continue;
    const viewer = await loadViewer(deps.db, user);
    const key = JSON.stringify(ruled.map((d) => policyKey(policyFor(d.perms, viewer, d.created_by))));
    const g = groups.get(key);
    if (g) g.recipients.push(r);
    else groups.set(key, { viewer, recipients: [r] });
  }
  const out: { card: Card; recipients: PlannedRecipient[] }[] = [];
  for (const g of groups.values()) out.push({ card: await build(g.viewer), recipients: g.recipients });
  return out;
}

export interface SendOutcome {
  sendId: string;
  /** Nobody got the card, for a reason that may pass (WeCom busy, unreachable): worth trying again soon. */
  retryable: boolean;
}

/**
 * Sends a subscription's card now and records the send with every recipient's outcome. Never
 * throws for WeCom or data problems: they end up in the record. `now` is the send's clock (tests).
 */
export async function sendSubscription(deps: Deps, sub: ReportSubscriptionsTable, trigger: 'schedule' | 'manual', now: Date): Promise<SendOutcome> {
  const sendId = newId();
  const startedAt = now.toISOString();
  const t0 = Date.now();
  let card: Card | null = null;
  let error: Msg | null = null;
  let transient = false;
  let plan: PlannedRecipient[] = [];
  try {
    const wecom = await deps.wecom.active();
    const report = await getReport(deps.db, sub.report_id);
    const cardSub = { title: sub.title, filters: JSON.parse(sub.filters_json) as Record<string, ReportFilterValue> };
    plan = await planRecipients(deps.db, sub.report_id, JSON.parse(sub.recipients_json) as SubscriptionRecipients);
    const eligible = plan.filter((r) => r.status === 'sent');
    await applyMemberLimits(deps, eligible, now);
    const ready = eligible.filter((r) => r.status === 'sent');
    // One card per distinct view of the data: recipients under different row permissions get
    // their own figures, everyone else shares one card.
    const cards = await cardsByView(deps, report, ready, (viewer) => buildCard(deps, report, cardSub, now, viewer));
    card = cards[0]?.card ?? null;
    if (card && Buffer.byteLength(card.page) > PAGE_MAX_BYTES) {
      throw new AppError(400, 'validation_error', msg('筛选条件太多，卡片链接超过企业微信的 1024 字节上限', 'Too many filter values: the card link exceeds WeCom\'s 1024-byte limit'));
    }
    for (const group of cards) {
      for (let i = 0; i < group.recipients.length; i += BATCH_SIZE) {
        const failure = await sendBatch(wecom.client, wecom.appId, group.card, group.recipients.slice(i, i + BATCH_SIZE));
        if (failure) {
          error = failure.why;
          transient = failure.transient;
        }
      }
    }
  } catch (e) {
    error = e instanceof AppError ? e.msg : msg('发送时出现内部错误', 'Internal error while sending');
    for (const r of plan) if (r.status === 'sent') Object.assign(r, { status: 'failed', detail: error.en.slice(0, 300) });
  }
  const sent = plan.filter((r) => r.status === 'sent').length;
  const status = sent > 0 ? (sent === plan.length ? 'ok' : 'partial') : error || plan.some((r) => r.status === 'invalid') ? 'failed' : 'skipped';
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('report_subscription_sends')
      .values({
        id: sendId,
        subscription_id: sub.id,
        trigger,
        started_at: startedAt,
        finished_at: new Date(now.getTime() + (Date.now() - t0)).toISOString(),
        status,
        sent,
        skipped: plan.length - sent,
        card_json: card ? JSON.stringify(card) : null,
        error_json: error ? JSON.stringify(error) : null,
      })
      .execute();
    for (let i = 0; i < plan.length; i += 200) {
      await trx
        .insertInto('report_subscription_recipients')
        .values(plan.slice(i, i + 200).map((r) => ({ send_id: sendId, user_id: r.userId, name: r.name, wecom_userid: r.wecomUserid, status: r.status, detail: r.detail, at: startedAt })))
        .execute();
    }
  });
  return { sendId, retryable: sent === 0 && transient };
}
