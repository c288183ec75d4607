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
  /** OIDC single sign-on: the button's text, or null when not configured. */
  oidc: string | null;
  /** LDAP accounts can log in (the login form gets an 账号类型 toggle). */
  ldap: boolean;
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
  'oidc_off',
  'oidc_failed',
  'external_no_account',
  'external_disabled',
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

export const NextPathSchema = z.string().max(2048).optional().transform(sameSitePath);

const SELF = 'http://shulan.invalid';
// The WHATWG URL parser of Node and browsers; typed here because the mini program, which
// type-checks this package, has no URL (it never calls this).
const WhatwgUrl = (globalThis as unknown as { URL: new (url: string, base: string) => { origin: string; pathname: string; search: string; hash: string } }).URL;

/**
 * Where a login may send the browser afterwards: only a path on this site, else `/`. Read the way
 * a browser reads a Location header (WHATWG URL: tabs and newlines dropped, `\` as `/`), so
 * `/\t/evil.example`, which a browser follows as `//evil.example`, cannot lead off the site; the
 * path returned is the one that was checked.
 */
export function sameSitePath(v: string | undefined): string {
  if (!v || !v.startsWith('/')) return '/';
  try {
    const u = new WhatwgUrl(v, SELF);
    return u.origin === SELF ? u.pathname + u.search + u.hash : '/';
  } catch {
    return '/';
  }
}

// ---------------------------------------------------------------------------------------------
// OIDC and LDAP: each optional, each maps the directory's groups to Shulan groups and roles.
// ---------------------------------------------------------------------------------------------

/** How an external directory's groups become Shulan groups and a role (the directory is the source). */
export const GroupMappingSchema = z.strictObject({
  /** Create a Shulan account at the first login (off: only existing usernames may log in). */
  createUsers: z.boolean().default(false),
  /** External group name → Shulan group id; on each login the user joins / leaves these mapped groups. */
  groupMap: z.array(z.strictObject({ external: z.string().trim().min(1).max(512), groupId: z.string().min(1).max(64) })).max(200).default([]),
  /** Members of any of these external groups are admins; when both lists are empty the role is left alone. */
  adminGroups: z.array(z.string().trim().min(1).max(512)).max(50).default([]),
  editorGroups: z.array(z.string().trim().min(1).max(512)).max(50).default([]),
});
export type GroupMapping = z.output<typeof GroupMappingSchema>;

export const OidcSettingsBodySchema = GroupMappingSchema.extend({
  enabled: z.boolean(),
  /** Issuer URL; its /.well-known/openid-configuration is read (discovery). */
  issuer: z.url({ protocol: /^https?$/ }).max(512).nullable(),
  clientId: z.string().trim().min(1).max(255).nullable(),
  /** Write-only: omit to keep the stored one. */
  clientSecret: z.string().min(1).max(512).optional(),
  /** Button text on the login page, e.g. 公司统一身份认证. */
  displayName: z.string().trim().min(1).max(64).default('单点登录'),
  /** Space-separated scopes; add the one that releases the groups claim at your provider. */
  scopes: z.string().trim().min(6).max(255).default('openid profile email').refine((v) => v.split(/\s+/).includes('openid'), '需要包含 openid / must include openid'),
  usernameClaim: z.string().trim().min(1).max(64).default('preferred_username'),
  groupsClaim: z.string().trim().min(1).max(64).default('groups'),
});
export type OidcSettingsBody = z.input<typeof OidcSettingsBodySchema>;
export type OidcSettingsView = Omit<z.output<typeof OidcSettingsBodySchema>, 'clientSecret'> & { clientSecretSet: boolean; redirectPath: string };

export const LdapSettingsBodySchema = GroupMappingSchema.extend({
  enabled: z.boolean(),
  url: z
    .string()
    .trim()
    .regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'LDAP 地址应为 ldap://主机:端口 或 ldaps://主机:端口 / The LDAP URL must be ldap://host:port or ldaps://host:port')
    .nullable(),
  /** Service account that searches for the user (empty: anonymous search). */
  bindDn: z.string().trim().max(512).nullable().default(null),
  /** Write-only: omit to keep, null to remove. */
  bindPassword: z.string().min(1).max(512).nullable().optional(),
  baseDn: z.string().trim().min(1).max(512).nullable(),
  /** {username} is replaced by the typed name, escaped as RFC 4515 requires. */
  userFilter: z.string().trim().max(512).default('(uid={username})').refine((v) => v.includes('{username}'), '需要包含 {username} / must contain {username}'),
  nameAttribute: z.string().trim().min(1).max(64).default('cn'),
  /** Groups holding the user's DN in `member` (groupOfNames); their `cn` is the group name. */
  groupBaseDn: z.string().trim().max(512).nullable().default(null),
});
export type LdapSettingsBody = z.input<typeof LdapSettingsBodySchema>;
export type LdapSettingsView = Omit<z.output<typeof LdapSettingsBodySchema>, 'bindPassword'> & { bindPasswordSet: boolean };

export const LdapLoginBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(128),
  password: z.string().min(1).max(256),
});
