import { z } from 'zod';

/** GET /api/wecom/members: search the synced WeCom directory (the manual-match dialog). */
export const WecomMemberSearchQuerySchema = z.strictObject({
  /** Part of a name, userid, department name or mobile (mobiles only where WeCom lets us read them). */
  q: z.string().trim().max(64).default(''),
  /** Also list members WeCom reports disabled or gone (they cannot be matched). */
  includeInactive: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type WecomMemberSearchQuery = z.output<typeof WecomMemberSearchQuerySchema>;

/** One member as the dialog shows it: enough to tell two namesakes apart. */
export interface WecomMemberView {
  userid: string;
  name: string;
  position: string | null;
  /** Each department's path from the top, e.g. "总部 / 销售部 / 华东区". */
  departments: string[];
  /** WeCom status 1 active, 2 disabled, 4 not activated, 5 left; `left` when gone from the listing. */
  status: number;
  left: boolean;
  /** The Shulan user this member is matched with already, if any. */
  boundTo: { userId: string; username: string; displayName: string } | null;
}

export interface WecomMemberPage {
  items: WecomMemberView[];
  total: number;
}
