import { z } from 'zod';

/** Usernames of reviewer accounts start with this, so an administrator recognises one at a glance. */
export const REVIEWER_USERNAME_PREFIX = 'wx-reviewer-';

/** POST /api/settings/reviewer: an account that can log in is made only when asked for in so many words. */
export const ReviewerCreateBodySchema = z.strictObject({
  confirm: z.literal(true, { error: '请求体应为 {"confirm": true} / The body must be {"confirm": true}' }),
});

/** …/reviewer/:username: the account acted on, so a page showing an old account cannot touch a new one. */
export const ReviewerParamsSchema = z.strictObject({ username: z.string().min(1).max(64) });

/** The account WeChat's reviewers log in with (seed step 6), as the admin sees it. */
export interface ReviewerAccountView {
  userId: string;
  username: string;
  displayName: string;
  reportId: string;
  reportName: string;
  createdAt: string;
}

/** GET /api/settings/reviewer. `released`: the account was removed after a release (until one is created again). */
export interface ReviewerStatus {
  account: ReviewerAccountView | null;
  released: boolean;
}

/** What create and reset-password answer, once: paste these into WeChat's submission form. */
export interface ReviewerCredentials {
  username: string;
  password: string;
  reportName: string;
}

/** DELETE /api/settings/reviewer. */
export interface ReviewerRemoved {
  username: string;
  sessionsEnded: number;
}
