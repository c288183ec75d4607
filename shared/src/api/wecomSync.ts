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

export const WecomMatchPreviewBodySchema = z.strictObject({ by: z.enum(WECOM_MATCH_BY) });
export type WecomMatchPreviewBody = z.infer<typeof WecomMatchPreviewBodySchema>;

export interface WecomMatchCandidate {
  wecomUserid: string;
  wecomName: string;
  /** The Shulan user this member is already matched with, if any. */
  boundUserId: string | null;
}

export interface WecomMatchPreview {
  by: WecomMatchBy;
  sure: { userId: string; username: string; displayName: string; wecomUserid: string; wecomName: string }[];
  ambiguous: { userId: string; username: string; displayName: string; candidates: WecomMatchCandidate[]; reason: string }[];
  conflicts: { userId: string; username: string; wecomUserid: string; boundUserId: string; reason: string }[];
  noMatch: { userId: string; username: string; reason: string }[];
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
