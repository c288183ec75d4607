import {
  NextPathSchema,
  WecomWebBindBodySchema,
  WecomWebLoginBodySchema,
  type LoginErrorCode,
  type LoginMethods,
  type WecomWebBindInfo,
  type WecomWebLoginView,
} from '@shulan/shared';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { audit } from '../../audit/audit.js';
import { SESSION_COOKIE } from '../../auth/authRoutes.js';
import { externalMethods } from '../../auth/external/externalRoutes.js';
import type { Deps } from '../../deps.js';
import { ForbiddenError, UnauthorizedError, ValidationError, msg } from '../../errors.js';
import { route, type RouteDef } from '../../http/route.js';
import { readBindTicket } from '../bindTickets.js';
import { findMember } from '../bindingRepo.js';
import { bindTicketToAccount, toLoginError } from '../wecomLogin.js';
import {
  activeWebLogin,
  authorizeUrl,
  completeWebLogin,
  decodePending,
  encodePending,
  newState,
  qrLoginUrl,
  sameState,
  type WebFlow,
} from './webLogin.js';
import { readWebLoginSettings, toWebLoginView, writeWebLoginSettings } from './webLoginSettings.js';

/** The state of a login in flight (10 minutes, this browser only). */
const PENDING_COOKIE = 'shulan_wecom_login';
/** The bind ticket of a member who must bind once (HttpOnly: page scripts never see it). */
const BIND_COOKIE = 'shulan_wecom_bind';
const COOKIE_PATH = '/api/auth/wecom';

const StartQuerySchema = z.object({ next: NextPathSchema });
const CallbackQuerySchema = z.object({ code: z.string().max(512).optional(), state: z.string().max(128).optional() });

/**
 * 企业微信网页登录: the H5 entry in WeCom's built-in browser (OAuth2, silent) and the QR scan on the
 * web login page. Both end at the callback with a code WeCom vouches for; a bound member gets a
 * session, an unbound one binds once with a password (or gets an account when JIT is on).
 */
export function webLoginRoutes(deps: Deps): RouteDef[] {
  const { db, config, secretBox } = deps;
  const cookieOpts = { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies, maxAge: 600 };
  const toLogin = (reply: FastifyReply, code: LoginErrorCode) => reply.redirect(`/login?loginError=${code}`, 302);

  const start = async (flow: WebFlow, { query, reply, lang }: { query: z.output<typeof StartQuerySchema>; reply: FastifyReply; lang: 'zh' | 'en' }) => {
    const active = await activeWebLogin(deps);
    if (!active) return toLogin(reply, 'wecom_off');
    const state = newState();
    reply.setCookie(PENDING_COOKIE, encodePending({ state, next: query.next, flow }), cookieOpts);
    return reply.redirect(flow === 'h5' ? authorizeUrl(config.wecomOauthBase, active, state) : qrLoginUrl(config.wecomLoginBase, active, state, lang), 302);
  };

  return [
    route({
      method: 'GET',
      url: '/api/auth/methods',
      access: 'public',
      tag: 'auth',
      summary: 'Which login methods the login page offers (configured ones only)',
      handler: async (): Promise<LoginMethods> => ({ wecom: (await activeWebLogin(deps)) !== null, ...(await externalMethods(deps)) }),
    }),
    route({
      method: 'GET',
      url: '/api/auth/wecom/oauth/start',
      access: 'public',
      tag: 'auth',
      summary: 'H5 entry (the workbench app\'s home page): redirects to WeCom OAuth2 (snsapi_base) with a state bound to this browser',
      query: StartQuerySchema,
      handler: (ctx) => start('h5', ctx),
    }),
    route({
      method: 'GET',
      url: '/api/auth/wecom/qr/start',
      access: 'public',
      tag: 'auth',
      summary: 'QR login: redirects to WeCom\'s Web login page with a state bound to this browser',
      query: StartQuerySchema,
      handler: (ctx) => start('qr', ctx),
    }),
    route({
      method: 'GET',
      url: '/api/auth/wecom/callback',
      access: 'public',
      tag: 'auth',
      summary: 'WeCom redirects here with code and state: a session, the bind-once page, or /login with the reason',
      query: CallbackQuerySchema,
      async handler({ query, req, reply }) {
        const pending = decodePending(req.cookies[PENDING_COOKIE]);
        reply.clearCookie(PENDING_COOKIE, { path: COOKIE_PATH });
        // No login started in THIS browser, or another one's code: refuse (login CSRF).
        if (!pending || !sameState(pending.state, query.state)) return toLogin(reply, 'wecom_state');
        if (!query.code) return toLogin(reply, 'wecom_denied');
        const active = await activeWebLogin(deps);
        if (!active) return toLogin(reply, 'wecom_off');
        const outcome = await completeWebLogin(deps, active, query.code, pending.flow, req.ip);
        if (outcome.kind === 'error') return toLogin(reply, outcome.code);
        if (outcome.kind === 'bind') {
          reply.setCookie(BIND_COOKIE, outcome.ticket, cookieOpts);
          return reply.redirect(`/login/wecom-bind?next=${encodeURIComponent(pending.next)}`, 302);
        }
        reply.setCookie(SESSION_COOKIE, outcome.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, expires: new Date(outcome.expiresAt) });
        return reply.redirect(pending.next, 302);
      },
    }),
    route({
      method: 'GET',
      url: '/api/auth/wecom/bind',
      access: 'public',
      tag: 'auth',
      summary: 'The member waiting to bind in this browser (from the bind cookie); null when none or expired',
      async handler({ req }): Promise<WecomWebBindInfo | null> {
        const raw = req.cookies[BIND_COOKIE];
        if (!raw) return null;
        const ticket = await readBindTicket(db, raw).catch(() => null);
        if (!ticket) return null;
        const member = await findMember(db, ticket.userid);
        return { wecomUserid: ticket.userid, name: member?.name ?? null };
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/wecom/bind',
      access: 'public',
      tag: 'auth',
      summary: 'Bind once: the WeCom member of the bind cookie to a Shulan account (username + password); a session cookie',
      body: WecomWebBindBodySchema,
      async handler({ body, req, reply }) {
        // A form post with a cookie: the custom header is the CSRF guard, as for every cookie write.
        if (req.headers['x-requested-with'] !== 'shulan') {
          throw new ForbiddenError(msg('请求缺少防跨站伪造标记', 'Missing the anti-CSRF header X-Requested-With: shulan'));
        }
        const ticket = req.cookies[BIND_COOKIE];
        if (!ticket) throw new UnauthorizedError(msg('没有待绑定的企业微信登录：请重新从企业微信进入', 'No WeCom login is waiting to be bound: come in from WeCom again'));
        await deps.wecom.bindLimit.take(req.ip);
        const active = await activeWebLogin(deps);
        if (!active) throw new ForbiddenError(msg('企业微信网页登录未开启', 'WeCom web login is switched off'));
        const result = await bindTicketToAccount(deps, active, { bindTicket: ticket, username: body.username, password: body.password }, req.ip, 'web').catch((e: unknown) => {
          throw toLoginError(e);
        });
        reply.clearCookie(BIND_COOKIE, { path: COOKIE_PATH });
        reply.setCookie(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, expires: new Date(result.expiresAt) });
        return { user: result.user, expiresAt: result.expiresAt };
      },
    }),
    route({
      method: 'GET',
      url: '/api/settings/wecom-web',
      access: 'admin',
      tag: 'wecom',
      summary: 'WeCom web login (H5 entry, QR) and just-in-time users; the Secret only as set/not set',
      handler: async (): Promise<WecomWebLoginView> => toWebLoginView(await readWebLoginSettings(db), secretBox),
    }),
    route({
      method: 'PUT',
      url: '/api/settings/wecom-web',
      access: 'admin',
      tag: 'wecom',
      summary: 'Save the WeCom web login settings; omit the Secret to keep the stored one',
      body: WecomWebLoginBodySchema,
      async handler({ body, user }): Promise<WecomWebLoginView> {
        const current = await readWebLoginSettings(db);
        const secretEnc = body.secret === undefined ? current.secretEnc : secretBox.encrypt(body.secret);
        if (body.enabled && (body.agentId === null || !secretEnc || !body.publicOrigin)) {
          throw new ValidationError(
            msg('开启企业微信网页登录需要填写自建应用的 AgentId、Secret 和访问地址', 'Turning WeCom web login on needs the self-built app\'s AgentId, its Secret and the public address'),
          );
        }
        if (body.enabled && !(await deps.wecom.settings()).corpId) {
          throw new ValidationError(msg('请先在 企业微信集成设置 中填写企业ID', 'Enter the Corp ID under WeCom integration first'));
        }
        const next = { ...body, secretEnc, agentId: body.agentId, publicOrigin: body.publicOrigin };
        const { secret: _secret, ...stored } = next;
        await writeWebLoginSettings(db, stored);
        // Switched off: the passwordless web sessions it opened end with it (the mini program's stay).
        const ended =
          current.enabled && !stored.enabled ? Number((await db.deleteFrom('sessions').where('via', '=', 'wecom').where('client', '=', 'web').executeTakeFirst()).numDeletedRows) : 0;
        await audit(db, user!.id, 'wecom.web_login_settings_changed', 'wecom', {
          enabled: stored.enabled,
          agentId: stored.agentId,
          secretChanged: body.secret !== undefined,
          jitEnabled: stored.jitEnabled,
          role: stored.jitRole,
          groupIds: stored.jitGroupIds,
          wecomSessionsEnded: ended,
        });
        return toWebLoginView(stored, secretBox);
      },
    }),
  ];
}
