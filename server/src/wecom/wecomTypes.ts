import { z } from 'zod';

/** Every WeCom answer: errcode 0 is success; anything else is decided by the errcode alone. */
export const EnvelopeSchema = z.looseObject({
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
});

export const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1).max(2048),
  expires_in: z.number().int().positive(),
});

/** miniprogram/jscode2session. session_key stays inside the server and is never stored. */
export const Code2SessionResponseSchema = z.looseObject({
  corpid: z.string().min(1),
  userid: z.string().min(1),
  session_key: z.string(),
});
export type Code2Session = z.infer<typeof Code2SessionResponseSchema>;

/** auth/getuserinfo: a member's userid, or an openid for someone outside the corp. */
export const WebUserInfoResponseSchema = z.looseObject({
  userid: z.string().min(1).optional(),
  openid: z.string().optional(),
});
export type WebUserInfo = z.infer<typeof WebUserInfoResponseSchema>;

export const DepartmentSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().default(''),
  parentid: z.number().int().default(0),
  order: z.number().int().default(0),
});
export type WecomDepartment = z.infer<typeof DepartmentSchema>;

export const DepartmentListResponseSchema = z.looseObject({
  department: z.array(DepartmentSchema).default([]),
});

/**
 * A member from user/get or user/list. Apps created after 2022-06-20 get no mobile, email,
 * avatar or gender (absent or empty), so those stay optional.
 */
export const MemberSchema = z.looseObject({
  userid: z.string().min(1),
  name: z.string().default(''),
  department: z.array(z.number().int()).default([]),
  status: z.number().int().default(1),
  mobile: z.string().optional(),
  email: z.string().optional(),
  position: z.string().optional(),
  main_department: z.number().int().optional(),
  /** Custom fields; only text ones (type 0) are kept, as attributes for row rules. */
  extattr: z
    .looseObject({
      attrs: z.array(z.looseObject({ type: z.number().int().optional(), name: z.string(), text: z.looseObject({ value: z.string() }).optional(), value: z.string().optional() })).default([]),
    })
    .optional()
    .catch(undefined),
});
export type WecomMember = z.infer<typeof MemberSchema>;

export const MemberListResponseSchema = z.looseObject({
  userlist: z.array(MemberSchema).default([]),
});

export const UseridResponseSchema = z.looseObject({
  userid: z.string().min(1),
});

/** user/list_id (contact-sync Secret only): one row per (member, department). */
export const MemberIdListResponseSchema = z.looseObject({
  next_cursor: z.string().default(''),
  dept_user: z.array(z.looseObject({ userid: z.string().min(1), department: z.number().int() })).default([]),
});

/** message/send answer: `|`-joined recipients WeCom refused (reference §7). */
export const MessageSendResponseSchema = z.looseObject({
  invaliduser: z.string().optional(),
  invalidparty: z.string().optional(),
  invalidtag: z.string().optional(),
  unlicenseduser: z.string().optional(),
  msgid: z.string().optional(),
});
export type MessageSendResult = z.infer<typeof MessageSendResponseSchema>;

/** A miniprogram_notice card (reference §7; limits checked by the caller). */
export interface MiniprogramNotice {
  appid: string;
  page: string;
  title: string;
  description?: string;
  emphasis_first_item?: boolean;
  content_item: { key: string; value: string }[];
}
