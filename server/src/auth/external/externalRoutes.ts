import {
  LdapLoginBodySchema,
  LdapSettingsBodySchema,
  NextPathSchema,
  OidcSettingsBodySchema,
  type LdapSettingsView,
  type LoginErrorCode,
  type OidcSettingsView,
} from '@shulan/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit } from '../../audit/audit.js';
import type { Deps } from '../../deps.js';
import { ForbiddenError, UnauthorizedError, UpstreamError, ValidationError, msg } from '../../errors.js';
import { route, type RouteDef } from '../../http/route.js';
import { toSessionUser } from '../../users/userRepo.js';
import { SESSION_COOKIE } from '../authRoutes.js';
import { LoginLockedError } from '../checkPassword.js';
import { Reservation } from '../LoginLimiter.js';
import {
  OIDC_CALLBACK_PATH,
  ldapReady,
  ldapView,
  oidcReady,
  oidcView,
  readLdapSettings,
  readOidcSettings,
  writeLdapSettings,
  writeOidcSettings,
} from './externalSettings.js';
import { ldapAuthenticate } from './ldap.js';
import { oidcFinish, oidcStart, type OidcPending } from './oidc.js';
import { provisionExternalUser, type ExternalIdentity } from './provisioning.js';

const OIDC_COOKIE = 'shulan_oidc';
const OIDC_COOKIE_PATH = '/api/auth/oidc';

/** Where the browser reached us: the redirect URI registered at the provider must match it. */
const originOf = (req: FastifyRequest) => new URL(`${req.protocol}://${req.host}`).origin; // default port dropped, as URL writes it

/** OIDC single sign-on and LDAP accounts, each optional, with group and role mapping. */
export function externalLoginRoutes(deps: Deps): RouteDef[] {
  const { db, secretBox, sessions, config } = deps;
  const toLogin = (reply: FastifyReply, code: LoginErrorCode) => reply.redirect(`/login?loginError=${code}`, 302);
  const sessionCookie = (reply: FastifyReply, token: string, expiresAt: string) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, expires: new Date(expiresAt) });

  /** A session for someone the directory vouched for, or the reason there is none. */
  async function signIn(who: ExternalIdentity, mapping: Parameters<typeof provisionExternalUser>[2], ip: string) {
    const p = await provisionExternalUser(deps, who, mapping, ip);
    if (!p.ok) return p;
    const session = await sessions.open(p.user.id, 'password', 'web');
    await audit(db, p.user.id, 'auth.login', p.user.id, { username: p.user.username, ip, via: who.source, client: 'web' });
    return { ok: true as const, user: p.user, session };
  }

  return [
    route({
      method: 'GET',
      url: '/api/auth/oidc/start',
      access: 'public',
      tag: 'auth',
      summary: 'OIDC single sign-on: redirects to the provider (PKCE, state and nonce bound to this browser)',
      query: z.object({ next: NextPathSchema }),
      async handler({ query, req, reply }) {
        const s = await readOidcSettings(db);
        if (!oidcReady(s)) return toLogin(reply, 'oidc_off');
        let started;
        try {
          started = await oidcStart(s, secretBox, originOf(req) + OIDC_CALLBACK_PATH, query.next);
        } catch (e) {
          req.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'OIDC discovery failed');
          return toLogin(reply, 'oidc_failed');
        }
        reply.setCookie(OIDC_COOKIE, Buffer.from(JSON.stringify(started.pending)).toString('base64url'), {
          path: OIDC_COOKIE_PATH,
          httpOnly: true,
          sameSite: 'lax',
          secure: config.secureCookies,
          maxAge: 600,
        });
        return reply.redirect(started.url, 302);
      },
    }),
    route({
      method: 'GET',
      url: OIDC_CALLBACK_PATH,
      access: 'public',
      tag: 'auth',
      summary: 'The OIDC provider redirects here with code and state: a session, or /login with the reason',
      async handler({ req, reply }) {
        const raw = req.cookies[OIDC_COOKIE];
        reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
        let pending: OidcPending | null = null;
        try {
          pending = raw && raw.length < 4096 ? (JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as OidcPending) : null;
        } catch {
          pending = null;
        }
        const s = await readOidcSettings(db);
        if (!oidcReady(s)) return toLogin(reply, 'oidc_off');
        if (!pending || typeof pending.state !== 'string') return toLogin(reply, 'oidc_failed');
        let claims;
        try {
          // State, nonce, PKCE and the ID token's signature, issuer and audience are checked here.
          claims = await oidcFinish(s, secretBox, new URL(pending.redirectUri + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '')), pending);
        } catch (e) {
          req.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'OIDC login failed');
          return toLogin(reply, 'oidc_failed');
        }
        if (!claims.username) return toLogin(reply, 'oidc_failed');
        const r = await signIn({ source: 'oidc', ...claims, username: claims.username }, s, req.ip);
        if (!r.ok) return toLogin(reply, r.reason === 'disabled' ? 'external_disabled' : 'external_no_account');
        sessionCookie(reply, r.session.token, r.session.expiresAt);
        return reply.redirect(pending.next, 302);
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/ldap/login',
      access: 'public',
      tag: 'auth',
      summary: 'Log in with an LDAP account (the same login limits as passwords); a session cookie',
      body: LdapLoginBodySchema,
      async handler({ body, req, reply }) {
        const s = await readLdapSettings(db);
        if (!ldapReady(s)) throw new ForbiddenError(msg('LDAP 登录未开启', 'LDAP login is switched off'));
        // Counted before the directory is asked, given back when the password is right (as for passwords).
        const r = await deps.loginLimiter.reserve(`ldap:${body.username}`, req.ip);
        if (!(r instanceof Reservation)) throw new LoginLockedError(r.retryAfter);
        const outcome = await ldapAuthenticate(s, secretBox, body.username, body.password).catch((e: unknown) => {
          req.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'LDAP login failed');
          throw new UpstreamError(msg('LDAP 服务器暂时不可用，请稍后再试或联系管理员', 'The LDAP server is not available right now; try again later or contact your administrator'));
        });
        if (!outcome.ok) {
          const who = { username: body.username, ip: req.ip, via: 'ldap' };
          await audit(db, null, 'auth.login_failed', null, { ...who, reason: outcome.reason });
          for (const f of r.filled) await audit(db, null, 'auth.locked', null, { ...who, scope: f.scope, until: f.resetAt });
          throw new UnauthorizedError(msg('用户名或密码错误', 'Wrong username or password'));
        }
        await r.succeed();
        const signed = await signIn({ source: 'ldap', username: outcome.username, displayName: outcome.displayName, groups: outcome.groups }, s, req.ip);
        if (!signed.ok) {
          throw signed.reason === 'disabled'
            ? new UnauthorizedError(msg('该账号已被停用，请联系管理员', 'This account is disabled; contact your administrator'))
            : new ForbiddenError(msg('该 LDAP 账号在数览中没有对应的账号，请联系管理员', 'This LDAP account has no Shulan account; contact your administrator'));
        }
        sessionCookie(reply, signed.session.token, signed.session.expiresAt);
        return { user: toSessionUser(signed.user), expiresAt: signed.session.expiresAt };
      },
    }),
    route({
      method: 'GET',
      url: '/api/settings/oidc',
      access: 'admin',
      tag: 'auth',
      summary: 'OIDC single sign-on settings (the client secret only as set/not set)',
      handler: async (): Promise<OidcSettingsView> => oidcView(await readOidcSettings(db), secretBox),
    }),
    route({
      method: 'PUT',
      url: '/api/settings/oidc',
      access: 'admin',
      tag: 'auth',
      summary: 'Save the OIDC settings; omit clientSecret to keep the stored one',
      body: OidcSettingsBodySchema,
      async handler({ body, user }): Promise<OidcSettingsView> {
        const current = await readOidcSettings(db);
        const { clientSecret, ...rest } = body;
        const next = { ...rest, clientSecretEnc: clientSecret === undefined ? current.clientSecretEnc : secretBox.encrypt(clientSecret) };
        if (next.enabled && (!next.issuer || !next.clientId)) {
          throw new ValidationError(msg('开启单点登录需要填写 Issuer 和 Client ID', 'Turning single sign-on on needs the issuer and the client ID'));
        }
        await writeOidcSettings(db, next);
        await audit(db, user!.id, 'auth.oidc_settings_changed', null, { enabled: next.enabled, issuer: next.issuer, clientId: next.clientId, secretChanged: clientSecret !== undefined });
        return oidcView(next, secretBox);
      },
    }),
    route({
      method: 'GET',
      url: '/api/settings/ldap',
      access: 'admin',
      tag: 'auth',
      summary: 'LDAP login settings (the bind password only as set/not set)',
      handler: async (): Promise<LdapSettingsView> => ldapView(await readLdapSettings(db), secretBox),
    }),
    route({
      method: 'PUT',
      url: '/api/settings/ldap',
      access: 'admin',
      tag: 'auth',
      summary: 'Save the LDAP settings; omit bindPassword to keep the stored one, null removes it',
      body: LdapSettingsBodySchema,
      async handler({ body, user }): Promise<LdapSettingsView> {
        const current = await readLdapSettings(db);
        const { bindPassword, ...rest } = body;
        const bindPasswordEnc = bindPassword === undefined ? current.bindPasswordEnc : bindPassword === null ? null : secretBox.encrypt(bindPassword);
        const next = { ...rest, bindPasswordEnc };
        if (next.enabled && (!next.url || !next.baseDn)) {
          throw new ValidationError(msg('开启 LDAP 登录需要填写服务器地址和 Base DN', 'Turning LDAP login on needs the server URL and the base DN'));
        }
        await writeLdapSettings(db, next);
        await audit(db, user!.id, 'auth.ldap_settings_changed', null, { enabled: next.enabled, url: next.url, secretChanged: bindPassword !== undefined });
        return ldapView(next, secretBox);
      },
    }),
  ];
}

/** What /api/auth/methods says of OIDC and LDAP. */
export async function externalMethods(deps: Pick<Deps, 'db'>): Promise<{ oidc: string | null; ldap: boolean }> {
  const [o, l] = await Promise.all([readOidcSettings(deps.db), readLdapSettings(deps.db)]);
  return { oidc: oidcReady(o) ? o.displayName : null, ldap: ldapReady(l) };
}
