import { z } from 'zod';
import { ROLES, USER_STATUSES } from '../types.js';

/** Usernames stay ASCII-safe: they are typed on phones and appear in audit logs and URLs. */
export const UsernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'username may contain letters, digits, _ . @ - only');

export const MobileSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'not a valid mobile number');

export const CreateUserBodySchema = z.strictObject({
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(64),
  mobile: MobileSchema.nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  role: z.enum(ROLES).default('viewer'),
  password: z.string().min(8).max(256),
  groupIds: z.array(z.string().max(64)).max(200).optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>;

export const UpdateUserBodySchema = z.strictObject({
  displayName: z.string().trim().min(1).max(64).optional(),
  mobile: MobileSchema.nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  role: z.enum(ROLES).optional(),
  status: z.enum(USER_STATUSES).optional(),
  password: z.string().min(8).max(256).optional(),
  groupIds: z.array(z.string().max(64)).max(200).optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;

export const PersonnelQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  status: z.enum(USER_STATUSES).optional(),
  role: z.enum(ROLES).optional(),
  groupId: z.string().max(64).optional(),
  /** 企业微信匹配: only users matched (or not) with a WeCom member. */
  wecom: z.enum(['matched', 'unmatched']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export type PersonnelQuery = z.infer<typeof PersonnelQuerySchema>;

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  mobile: string | null;
  email: string | null;
  role: (typeof ROLES)[number];
  status: (typeof USER_STATUSES)[number];
  groups: { id: string; name: string }[];
  createdAt: string;
  /** Filled by the WeCom integration; null until a member is matched. */
  wecom: null | {
    userid: string;
    name: string;
    departments: string[];
    source: 'first_login' | 'mobile' | 'name' | 'manual' | 'jit';
    matchedAt: string;
  };
}

export const GroupBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  description: z.string().trim().max(500).optional(),
});

export const GroupMembersBodySchema = z.strictObject({
  userIds: z.array(z.string().max(64)).max(10_000),
});

export type GroupBody = z.infer<typeof GroupBodySchema>;
export type GroupMembersBody = z.infer<typeof GroupMembersBodySchema>;

/** PATCH /api/groups/:groupId: rename and/or change the description. */
export const UpdateGroupBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  description: z.string().trim().max(500).nullable().optional(),
});
export type UpdateGroupBody = z.infer<typeof UpdateGroupBodySchema>;

export interface GroupView {
  id: string;
  name: string;
  description: string | null;
  memberCount: number;
  createdAt: string;
  /** 'wecom_department': kept by the WeCom sync, read-only (members are the bound users of the department). */
  source?: 'manual' | 'wecom_department';
  /** WeCom department id and the parent department's group, for department groups. */
  departmentId?: number | null;
  parentId?: string | null;
}

/** A small user record for pickers (report grants, group members). */
export interface UserOption {
  id: string;
  username: string;
  displayName: string;
}

export interface GroupMemberView extends UserOption {
  status: (typeof USER_STATUSES)[number];
}

export const UserOptionsQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
});

export interface PersonnelPage {
  items: UserView[];
  total: number;
}

/** One row of a bulk import report; `row` is the line number in the file (header = 1). */
export interface ImportRowReport {
  row: number;
  username: string;
  status: 'created' | 'updated' | 'unchanged' | 'error';
  message: string;
}

export interface ImportReport {
  dryRun: boolean;
  counts: { created: number; updated: number; unchanged: number; error: number };
  rows: ImportRowReport[];
  /** Groups named in the file that did not exist (created unless dry run). */
  groupsCreated: string[];
  /** Initial passwords of the new users; shown ONCE, never stored in clear. Empty on a dry run. */
  initialPasswords: { username: string; password: string }[];
}

/** GET /api/site: public bootstrap info for the web app and the mini program. */
export interface SiteInfo {
  name: string;
  version: string;
  /** Whether "log in with WeCom" is offered. */
  wecomLogin: boolean;
  /** Mini program: draw the viewer watermark over report pages (admin switch, default on). */
  watermark: boolean;
  /**
   * The enterprise that deploys this server (admin setting, '' until set). The mini program's first
   * page says it is for this enterprise's employees only, as WeChat review requires.
   */
  orgName: string;
}
