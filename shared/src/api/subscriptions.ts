import { z } from 'zod';
import { ReportFilterValueSchema } from './reports.js';

/** Report cards (订阅推送): who gets a report's headline figures in WeCom, and when. */

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time like 08:30');

/** When a subscription fires, in China time (Asia/Shanghai). */
export const SubscriptionScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('daily'), time: Time }),
  /** weekday: 1 = Monday … 7 = Sunday. */
  z.strictObject({ kind: z.literal('weekly'), time: Time, weekday: z.number().int().min(1).max(7) }),
  /** day: 1–28, or 'last' for the last day of every month. */
  z.strictObject({ kind: z.literal('monthly'), time: Time, day: z.union([z.number().int().min(1).max(28), z.literal('last')]) }),
  z.strictObject({ kind: z.literal('cron'), cron: z.string().trim().min(9).max(100) }),
]);
export type SubscriptionSchedule = z.infer<typeof SubscriptionScheduleSchema>;

const Id = z.string().min(1).max(64);

export const SubscriptionRecipientsSchema = z
  .strictObject({
    users: z.array(Id).max(1000).default([]),
    groups: z.array(Id).max(100).default([]),
    /** WeCom department ids (sub-departments included). */
    departments: z.array(z.number().int().min(1).max(4_294_967_295)).max(100).default([]),
  })
  .refine((r) => r.users.length + r.groups.length + r.departments.length > 0, { message: 'choose at least one recipient' });
export type SubscriptionRecipients = z.infer<typeof SubscriptionRecipientsSchema>;

/** Card title: WeCom allows 4–12 characters. */
const Title = z
  .string()
  .trim()
  .refine((s) => [...s].length >= 4 && [...s].length <= 12, { message: 'the card title must have 4 to 12 characters' });

export const SubscriptionBodySchema = z.strictObject({
  /** Defaults to the report name (padded or cut to WeCom's 4–12 characters). */
  title: Title.nullable().optional(),
  schedule: SubscriptionScheduleSchema,
  recipients: SubscriptionRecipientsSchema,
  /** Filter values for the figures and the card's link (report filter id → value). */
  filters: z.record(z.string().max(64), ReportFilterValueSchema).default({}),
  enabled: z.boolean().default(true),
});
export type SubscriptionBody = z.infer<typeof SubscriptionBodySchema>;
export type SubscriptionBodyInput = z.input<typeof SubscriptionBodySchema>;

export const SubscriptionParamsSchema = z.strictObject({ reportId: Id, subscriptionId: Id });

export type SubscriptionSendStatus = 'ok' | 'partial' | 'failed' | 'skipped';

/**
 * What happened to one recipient: sent; WeCom rejected the userid (invaliduser); skipped because
 * they may not view the report, have no WeCom binding, are disabled, or reached WeCom's 30 cards a
 * minute / 1000 an hour per member; or the call failed (detail says why).
 */
export const RECIPIENT_STATUSES = ['sent', 'invalid', 'no_access', 'no_wecom', 'no_account', 'inactive', 'rate_limited', 'failed'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export interface SubscriptionRecipientResult {
  userId: string | null;
  name: string;
  wecomUserid: string | null;
  status: RecipientStatus;
  detail: string | null;
}

export interface SubscriptionSendView {
  id: string;
  subscriptionId: string;
  trigger: 'schedule' | 'manual';
  startedAt: string;
  finishedAt: string | null;
  status: SubscriptionSendStatus;
  sent: number;
  skipped: number;
  /** The card as sent (title, figures, page), for the history. */
  card: { title: string; description: string; page: string; items: { key: string; value: string }[] } | null;
  error: { zh: string; en: string } | null;
  recipients: SubscriptionRecipientResult[];
}

export interface SubscriptionView {
  id: string;
  reportId: string;
  title: string | null;
  schedule: SubscriptionSchedule;
  timezone: string;
  recipients: SubscriptionRecipients;
  filters: Record<string, z.infer<typeof ReportFilterValueSchema>>;
  enabled: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  lastSend: Omit<SubscriptionSendView, 'recipients'> | null;
}
