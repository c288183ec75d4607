import {
  SubscriptionBodySchema,
  SubscriptionParamsSchema,
  reportPagePath,
  type SubscriptionBody,
  type SubscriptionSendView,
  type SubscriptionView,
} from '@shulan/shared';
import { audit } from '../../audit/audit.js';
import type { Deps } from '../../deps.js';
import { ValidationError, msg } from '../../errors.js';
import { route, type RouteDef } from '../../http/route.js';
import { ReportParamsSchema } from '../../reports/reportParams.js';
import { getReport, type ReportRecord } from '../../reports/reportRepo.js';
import { PAGE_MAX_BYTES } from './card.js';
import { sendSubscription } from './sendSubscription.js';
import {
  createSubscription,
  deleteSubscriptions,
  getSubscription,
  getSubscriptionRow,
  listSends,
  listSubscriptions,
  updateSubscription,
} from './subscriptionRepo.js';

/** Refuses filters the report does not have, and a link over WeCom's 1024 bytes. */
function checkFilters(report: ReportRecord, body: SubscriptionBody): void {
  const known = new Set(report.definition.filters.map((f) => f.id));
  const unknown = Object.keys(body.filters).filter((id) => !known.has(id));
  if (unknown.length) throw new ValidationError(msg(`报表没有这些筛选条件：${unknown.join('、')}`, `The report has no filter ${unknown.join(', ')}`));
  for (const f of report.definition.filters) {
    const v = body.filters[f.id];
    if (v === undefined || v === null || Array.isArray(v) === (f.kind === 'values')) continue;
    throw new ValidationError(
      msg(`筛选条件「${f.label}」的值应为${f.kind === 'values' ? '取值列表' : '日期范围'}`, `The value of filter "${f.label}" must be ${f.kind === 'values' ? 'a list of values' : 'a date range'}`),
    );
  }
  if (Buffer.byteLength(reportPagePath(report.id, body.filters)) > PAGE_MAX_BYTES) {
    throw new ValidationError(msg('筛选值太多，卡片链接会超过企业微信的 1024 字节上限', "Too many filter values: the card link would exceed WeCom's 1024-byte limit"));
  }
}

/**
 * Report cards (订阅推送): editors and admins (who may edit any report) subscribe people to a
 * report; cards go out through WeCom on schedule or on "send now".
 */
export function subscriptionRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/wecom/subscription-departments',
      access: 'editor',
      tag: 'subscriptions',
      summary: 'WeCom departments from the last address-book sync, to pick card recipients from',
      handler: async () => {
        const rows = await db.selectFrom('wecom_departments').select(['id', 'name', 'parent_id']).orderBy('id').execute();
        return rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id }));
      },
    }),
    route({
      method: 'GET',
      url: '/api/reports/:reportId/subscriptions',
      access: 'editor',
      tag: 'subscriptions',
      summary: "A report's card subscriptions, each with its last send",
      params: ReportParamsSchema,
      handler: async ({ params }): Promise<SubscriptionView[]> => {
        await getReport(db, params.reportId);
        return listSubscriptions(db, params.reportId);
      },
    }),
    route({
      method: 'POST',
      url: '/api/reports/:reportId/subscriptions',
      access: 'editor',
      tag: 'subscriptions',
      summary: 'Subscribe users, groups or WeCom departments to report cards on a schedule',
      params: ReportParamsSchema,
      body: SubscriptionBodySchema,
      handler: async ({ params, body, user }): Promise<SubscriptionView> => {
        const report = await getReport(db, params.reportId);
        checkFilters(report, body);
        const id = await createSubscription(db, report.id, body, user!.id);
        await audit(db, user!.id, 'report.subscription.create', report.id, { name: report.name, subscriptionId: id });
        return getSubscription(db, report.id, id);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/reports/:reportId/subscriptions/:subscriptionId',
      access: 'editor',
      tag: 'subscriptions',
      summary: 'Change a subscription (schedule, recipients, filters, on/off)',
      params: SubscriptionParamsSchema,
      body: SubscriptionBodySchema,
      handler: async ({ params, body, user }): Promise<SubscriptionView> => {
        const report = await getReport(db, params.reportId);
        checkFilters(report, body);
        await updateSubscription(db, report.id, params.subscriptionId, body);
        await audit(db, user!.id, 'report.subscription.update', report.id, { name: report.name, subscriptionId: params.subscriptionId, enabled: body.enabled });
        return getSubscription(db, report.id, params.subscriptionId);
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/reports/:reportId/subscriptions/:subscriptionId',
      access: 'editor',
      tag: 'subscriptions',
      summary: 'Delete a subscription and its send history',
      params: SubscriptionParamsSchema,
      handler: async ({ params, user }) => {
        const report = await getReport(db, params.reportId);
        await getSubscriptionRow(db, report.id, params.subscriptionId);
        await deleteSubscriptions(db, [params.subscriptionId]);
        await audit(db, user!.id, 'report.subscription.delete', report.id, { name: report.name, subscriptionId: params.subscriptionId });
        return { deleted: true };
      },
    }),
    route({
      method: 'POST',
      url: '/api/reports/:reportId/subscriptions/:subscriptionId/send',
      access: 'editor',
      tag: 'subscriptions',
      summary: 'Send the card now (a test), recorded like a scheduled send',
      params: SubscriptionParamsSchema,
      handler: async ({ params, user }): Promise<SubscriptionSendView> => {
        const report = await getReport(db, params.reportId);
        const row = await getSubscriptionRow(db, report.id, params.subscriptionId);
        const { sendId } = await sendSubscription(deps, row, 'manual', new Date());
        await audit(db, user!.id, 'report.subscription.send', report.id, { name: report.name, subscriptionId: row.id });
        const sends = await listSends(db, row.id, 5);
        return sends.find((s) => s.id === sendId)!;
      },
    }),
    route({
      method: 'GET',
      url: '/api/reports/:reportId/subscriptions/:subscriptionId/sends',
      access: 'editor',
      tag: 'subscriptions',
      summary: 'Send history of a subscription, newest first, with who was skipped or rejected and why',
      params: SubscriptionParamsSchema,
      handler: async ({ params }): Promise<SubscriptionSendView[]> => {
        await getSubscriptionRow(db, params.reportId, params.subscriptionId);
        return listSends(db, params.subscriptionId);
      },
    }),
  ];
}
