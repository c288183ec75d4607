import { z } from 'zod';

/** What started a sync run. */
export type WecomSyncTrigger = 'schedule' | 'manual' | 'cli';
export type WecomSyncStatus = 'running' | 'ok' | 'failed';

/** What a run changed in the local copy of the address book. */
export interface WecomSyncCounts {
  departmentsAdded: number;
  departmentsChanged: number;
  departmentsRemoved: number;
  membersAdded: number;
  membersChanged: number;
  membersLeft: number;
  membersDisabled: number;
  /** Members seen in the visible range by this run. */
  membersSeen: number;
}

export type WecomSyncPhase = 'starting' | 'departments' | 'members' | 'saving' | 'done' | 'failed';

export interface WecomSyncProgress {
  phase: WecomSyncPhase;
  /** Departments listed so far (phase members), else 0/1. */
  done: number;
  total: number;
}

export interface WecomSyncRunView {
  id: string;
  trigger: WecomSyncTrigger;
  startedAt: string;
  finishedAt: string | null;
  status: WecomSyncStatus;
  counts: WecomSyncCounts | null;
  /** The failure, in the caller's language, saying what the admin must do. */
  error: string | null;
  progress: WecomSyncProgress | null;
}

/** One live event on the WebSocket GET /api/wecom/sync/progress. */
export interface WecomSyncProgressEvent {
  runId: string;
  status: WecomSyncStatus;
  progress: WecomSyncProgress;
  counts?: WecomSyncCounts;
  error?: string;
}

export const WecomSyncRunParamsSchema = z.strictObject({ runId: z.string().min(1).max(64) });

export const WecomSyncRunsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** PUT /api/wecom/sync/schedule: a cron expression (croner syntax) and an IANA time zone. */
export const WecomSyncScheduleBodySchema = z.strictObject({
  cron: z.string().trim().min(9).max(100),
  timezone: z.string().trim().min(1).max(64),
});
export type WecomSyncScheduleBody = z.infer<typeof WecomSyncScheduleBodySchema>;

export interface WecomSyncScheduleView {
  cron: string;
  timezone: string;
  /** False while the integration is switched off: the schedule then does nothing. */
  active: boolean;
  /** The next few run times, ISO UTC. */
  nextRuns: string[];
}

export const WECOM_MATCH_BY = ['mobile', 'name'] as const;
export type WecomMatchBy = (typeof WECOM_MATCH_BY)[number];

export const WECOM_MATCH_CATEGORIES = ['sure', 'ambiguous', 'conflicts', 'noMatch'] as const;
export type WecomMatchCategory = (typeof WECOM_MATCH_CATEGORIES)[number];
export const WECOM_MATCH_PAGE_MAX = 200;

/**
 * A preview answers with the counts of every category and one page of one category, so it stays
 * small however large the company and however many namesakes it has.
 */
export const WecomMatchPreviewBodySchema = z.strictObject({
  by: z.enum(WECOM_MATCH_BY),
  category: z.enum(WECOM_MATCH_CATEGORIES).default('sure'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(WECOM_MATCH_PAGE_MAX).default(50),
  /** Keeps rows whose user or member name, account or member department contains it. */
  q: z.string().trim().max(64).optional(),
  /** The snapshot an earlier answer named: its pages are read from it instead of classifying again. */
  snapshot: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
});
export type WecomMatchPreviewBody = z.input<typeof WecomMatchPreviewBodySchema>;

export interface WecomMatchCandidate {
  wecomUserid: string;
  wecomName: string;
  /** Names of the member's departments, to tell namesakes apart. */
  departments: string[];
  /** The Shulan user this member is already matched with, if any. */
  boundUserId: string | null;
}

export type WecomMatchSure = { userId: string; username: string; displayName: string; wecomUserid: string; wecomName: string; departments: string[] };
/** An ambiguous user points at its group; the group carries the candidates once for all its users. */
export type WecomMatchAmbiguous = { userId: string; username: string; displayName: string; group: string };
export type WecomMatchGroup = { key: string; reason: string; candidates: WecomMatchCandidate[] };
export type WecomMatchConflict = { userId: string; username: string; wecomUserid: string; boundUserId: string; reason: string };
export type WecomMatchNoMatch = { userId: string; username: string; reason: string };

export type WecomMatchPage =
  | { category: 'sure'; total: number; offset: number; items: WecomMatchSure[] }
  | { category: 'ambiguous'; total: number; offset: number; items: WecomMatchAmbiguous[]; groups: WecomMatchGroup[] }
  | { category: 'conflicts'; total: number; offset: number; items: WecomMatchConflict[] }
  | { category: 'noMatch'; total: number; offset: number; items: WecomMatchNoMatch[] };

export interface WecomMatchPreview {
  by: WecomMatchBy;
  /**
   * Names the classification these counts and this page come from; pass it back to page through
   * the same snapshot. Kept a few minutes on the server that made it; a new one is made when gone.
   */
  snapshot: string;
  /** Rows per category, before the name filter. */
  counts: Record<WecomMatchCategory, number>;
  /** The requested page; its total counts the rows left by the filter. */
  page: WecomMatchPage;
  /**
   * Set when matching by mobile through WeCom stopped early (to stay clear of WeCom's daily ban on
   * failed look-ups, or on a WeCom error): what happened and how far it got.
   */
  stopped: { message: string; checked: number; total: number } | null;
}

export const WecomMatchConfirmBodySchema = z.strictObject({
  by: z.enum(WECOM_MATCH_BY),
  pairs: z
    .array(
      z.strictObject({
        userId: z.string().min(1).max(64),
        wecomUserid: z.string().trim().min(1).max(64),
      }),
    )
    .min(1)
    .max(1000),
});
export type WecomMatchConfirmBody = z.infer<typeof WecomMatchConfirmBodySchema>;

export interface WecomMatchConfirmResult {
  bound: number;
  results: { userId: string; wecomUserid: string; ok: boolean; message: string | null }[];
}

/** A contact-change event received on the WeCom callback (real-time changes between syncs). */
export type WecomCallbackEventStatus = 'pending' | 'applying' | 'applied' | 'ignored' | 'failed';

export interface WecomCallbackEventView {
  id: string;
  receivedAt: string;
  appliedAt: string | null;
  /** create_user, update_user, delete_user, create_party, update_party, delete_party, update_tag… */
  changeType: string;
  /** The member's userid, the department id or the tag id. */
  subject: string;
  status: WecomCallbackEventStatus;
  /** What the event changed, or why it changed nothing, in the caller's language. */
  result: string | null;
}

export const WecomCallbackEventsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
