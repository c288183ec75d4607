import { z } from 'zod';
import { ROLES } from '../types.js';
import { WecomSecretSchema } from './wecom.js';

/**
 * 企业微信网页登录 (H5 in WeCom's browser, QR scan on the web login page) and just-in-time users.
 * Stored apart from the mini program settings: it is another WeCom app (a 自建应用 with its own
 * AgentId, Secret and 可信域名).
 */

/** The public address people open Shulan at, e.g. https://bi.example.com (also the app's 可信域名). */
export const PublicOriginSchema = z
  .string()
  .trim()
  .max(255)
  .transform((v) => v.replace(/\/+$/, ''))
  .pipe(
    z
      .string()
      .regex(
        /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/,
        '访问地址应为 https://域名[:端口]，不带路径 / The address must be https://host[:port] without a path',
      ),
  );

export const WecomWebLoginBodySchema = z.strictObject({
  /** H5 entry (workbench app) and QR login on the web login page. */
  enabled: z.boolean(),
  /** AgentId of the self-built app (应用管理 → 自建应用 → AgentId). */
  agentId: z.number().int().min(1).max(2 ** 31 - 1).nullable(),
  /** That app's Secret: write-only, omit to keep. */
  secret: WecomSecretSchema.optional(),
  publicOrigin: PublicOriginSchema.nullable(),
  /** Create a Shulan account at a member's first WeCom login (off by default). */
  jitEnabled: z.boolean().default(false),
  jitRole: z.enum(ROLES).exclude(['admin']).default('viewer'),
  /** Ordinary groups the new account joins. */
  jitGroupIds: z.array(z.string().min(1).max(64)).max(50).default([]),
});
export type WecomWebLoginBody = z.input<typeof WecomWebLoginBodySchema>;

export interface WecomWebLoginView {
  enabled: boolean;
  agentId: number | null;
  secretSet: boolean;
  secretHint: string | null;
  publicOrigin: string | null;
  jitEnabled: boolean;
  jitRole: 'editor' | 'viewer';
  jitGroupIds: string[];
  /** What to enter as the app's 可信域名 / 授权回调域 (host[:port] of publicOrigin). */
  trustedDomain: string | null;
  /** The URL to set as the workbench app's home page (应用主页). */
  homeUrl: string | null;
}

/** GET /api/auth/methods: what the login page offers besides the password form. */
export interface LoginMethods {
  /** QR scan (企业微信扫码登录) and the H5 entry are configured. */
  wecom: boolean;
}

/** Why a redirect-based login came back to /login (?loginError=…); the web app words each one. */
export const LOGIN_ERROR_CODES = [
  'wecom_off',
  'wecom_state',
  'wecom_denied',
  'wecom_code',
  'wecom_not_member',
  'wecom_member_inactive',
  'wecom_user_disabled',
  'wecom_admin_binding',
  'wecom_unavailable',
] as const;
export type LoginErrorCode = (typeof LOGIN_ERROR_CODES)[number];

/** POST /api/auth/wecom/bind: the bind ticket rides in an HttpOnly cookie set by the callback. */
export const WecomWebBindBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

/** GET /api/auth/wecom/bind: who is binding (the page shows it). */
export interface WecomWebBindInfo {
  wecomUserid: string;
  name: string | null;
}

export const NextPathSchema = z
  .string()
  .max(2048)
  .optional()
  // Only a path on this site: never //host or a scheme, so the login cannot redirect elsewhere.
  .transform((v) => (v && v.startsWith('/') && !v.startsWith('//') && !v.startsWith('/\\') ? v : '/'));
