import { z } from 'zod';
import type { SessionUser } from './auth.js';

/** AppID of the WeChat mini program: "wx" + 16 hex digits (小程序后台 → 开发 → 开发设置). */
export const WecomAppIdSchema = z
  .string()
  .trim()
  .regex(/^wx[0-9a-f]{16}$/, 'AppID 应为 wx 加 16 位十六进制字符（小程序后台 → 开发 → 开发设置）/ AppID must be "wx" followed by 16 hex digits');

/** WeCom Corp ID: "ww" or "wx" + 16 hex digits (企业微信管理后台 → 我的企业 → 企业信息). */
export const WecomCorpIdSchema = z
  .string()
  .trim()
  .regex(
    /^w[wx][0-9a-f]{16}$/,
    '企业ID 应为 ww 或 wx 加 16 位十六进制字符（企业微信管理后台 → 我的企业 → 企业信息）/ Corp ID must be "ww" or "wx" followed by 16 hex digits',
  );

/** The mini program's Secret as shown in the WeCom admin (printable ASCII, no spaces). */
export const WecomSecretSchema = z
  .string()
  .trim()
  .regex(/^[\x21-\x7e]{8,128}$/, 'Secret 应为 8–128 个可见字符，不含空格 / The Secret must be 8–128 visible characters without spaces');

/** A WeCom userid: 1–64 characters (WeCom allows letters, digits and _ - . @). */
export const WecomUseridSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'userid may contain letters, digits, _ . @ - only');

/** 接收事件服务器 Token: 3–32 letters or digits (WeCom admin's own rule). */
export const WecomCallbackTokenSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{3,32}$/, 'Token 应为 3–32 位英文字母或数字 / The Token must be 3–32 letters or digits');

/** EncodingAESKey: 43 letters or digits (base64 of a 32-byte AES key without the trailing "="). */
export const WecomEncodingAesKeySchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{43}$/, 'EncodingAESKey 应为 43 位英文字母或数字 / The EncodingAESKey must be 43 letters or digits');

/** Where WeCom delivers contact-change events (GET verification, POST events); public, signed. */
export const WECOM_CALLBACK_PATH = '/api/wecom/callback';

/**
 * PUT /api/settings/wecom. The Secret is write-only: omit it to keep the stored one.
 * Switching the integration on needs all three values.
 */
export const WecomSettingsBodySchema = z
  .strictObject({
    enabled: z.boolean(),
    corpId: WecomCorpIdSchema.nullable(),
    appId: WecomAppIdSchema.nullable(),
    secret: WecomSecretSchema.optional(),
    /** Let admin accounts bind at first login in the mini program (every later login is passwordless). Omit to keep. */
    allowAdminBinding: z.boolean().optional(),
    /** Optional 通讯录同步 Secret: omit to keep the stored one, null to remove it. Write-only. */
    syncSecret: WecomSecretSchema.nullable().optional(),
    /** Callback (接收事件服务器) Token, write-only: omit to keep, null to remove. */
    callbackToken: WecomCallbackTokenSchema.nullable().optional(),
    /** Callback EncodingAESKey, write-only: omit to keep, null to remove. */
    callbackAesKey: WecomEncodingAesKeySchema.nullable().optional(),
  });
export type WecomSettingsBody = z.infer<typeof WecomSettingsBodySchema>;

/** GET /api/settings/wecom: the Secret only as "set or not" plus its last 4 characters. */
export interface WecomSettingsView {
  enabled: boolean;
  corpId: string | null;
  appId: string | null;
  secretSet: boolean;
  /** "••••" + the last 4 characters, or null when no Secret is stored. */
  secretHint: string | null;
  /** Admin accounts may be bound at first login in the mini program. */
  allowAdminBinding: boolean;
  /** A contact-sync (通讯录同步) Secret is stored: the sync then lists every member id (user/list_id). */
  syncSecretSet: boolean;
  syncSecretHint: string | null;
  /** Callback Token / EncodingAESKey stored (never shown back). */
  callbackTokenSet: boolean;
  callbackAesKeySet: boolean;
  /** The path to append to the public origin for the URL pasted into the WeCom admin. */
  callbackPath: string;
}

/**
 * POST /api/settings/wecom/test. Omitted values come from the saved settings, so the form can be
 * tested before it is saved without retyping the Secret.
 */
export const WecomTestBodySchema = z.strictObject({
  corpId: WecomCorpIdSchema.optional(),
  secret: WecomSecretSchema.optional(),
  syncSecret: WecomSecretSchema.optional(),
});
export type WecomTestBody = z.infer<typeof WecomTestBodySchema>;

export const WECOM_CHECKS = ['settings', 'token', 'trusted_ip', 'miniprogram_secret', 'visible_range', 'sensitive_fields', 'rate_limit', 'sync_mode'] as const;
export type WecomCheckName = (typeof WECOM_CHECKS)[number];

/** One prerequisite of the integration and, when it fails, what the admin must do. */
export interface WecomCheckResult {
  check: WecomCheckName;
  /** True when passed (a warning passes with something worth knowing); false when failed or skipped. */
  ok: boolean;
  severity: 'ok' | 'warning' | 'error' | 'skipped';
  message: string;
}

export interface WecomTestResult {
  ok: boolean;
  checks: WecomCheckResult[];
}

/** POST /api/wecom/login: the code from wx.qy.login inside WeCom. */
export const WecomLoginBodySchema = z.strictObject({
  code: z.string().trim().min(1).max(256),
});
export type WecomLoginBody = z.infer<typeof WecomLoginBodySchema>;

export type WecomLoginResult =
  | { status: 'ok'; token: string; user: SessionUser; expiresAt: string }
  | { status: 'needs_binding'; bindTicket: string; wecomUserid: string; expiresAt: string };

/** POST /api/wecom/bind: ties the WeCom member of the ticket to a Shulan account, once. */
export const WecomBindBodySchema = z.strictObject({
  bindTicket: z.string().trim().min(1).max(200),
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type WecomBindBody = z.infer<typeof WecomBindBodySchema>;

export interface WecomBindResult {
  token: string;
  user: SessionUser;
  expiresAt: string;
}

/** PUT /api/wecom/bindings/:userId: an admin matches a user with a WeCom member by hand. */
export const WecomManualBindingBodySchema = z.strictObject({
  wecomUserid: WecomUseridSchema,
});
export type WecomManualBindingBody = z.infer<typeof WecomManualBindingBodySchema>;

export const WecomBindingParamsSchema = z.strictObject({
  userId: z.string().min(1).max(64),
});

/** jit: the account was created at the member's first WeCom login (just-in-time users). */
export type WecomMatchSource = 'first_login' | 'mobile' | 'name' | 'manual' | 'jit';

export interface WecomBindingView {
  userId: string;
  wecomUserid: string;
  source: WecomMatchSource;
  matchedAt: string;
}

/** Only plain root-level names such as WW_verify_abc123.txt; no paths, no other extensions. */
export const VerificationFileNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}\.txt$/, '文件名只能是字母、数字、_ 或 - 加 .txt / The name must be letters, digits, _ or - followed by .txt');

export const VerificationFileParamsSchema = z.strictObject({ name: VerificationFileNameSchema });

export const VERIFICATION_FILE_MAX_BYTES = 64 * 1024;

export interface VerificationFileView {
  name: string;
  size: number;
  createdAt: string;
}
