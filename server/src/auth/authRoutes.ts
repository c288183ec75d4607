import { ChangePasswordBodySchema, LoginBodySchema, type LoginResult } from '@shulan/shared';
import type { FastifyReply } from 'fastify';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { UnauthorizedError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { reviewerStartReport } from '../reviewer/reviewerStore.js';
import { changeOwnPassword } from '../users/passwordChange.js';
import { findUserById, findUserByUsername, toSessionUser } from '../users/userRepo.js';
import { checkPassword } from './checkPassword.js';

export const SESSION_COOKIE = 'shulan_session';

export function authRoutes(deps: Deps): RouteDef[] {
  const { db, sessions, config } = deps;

  const setCookie = (reply: FastifyReply, token: string, expiresAt: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      expires: new Date(expiresAt),
    });

  return [
    route({
      method: 'POST',
      url: '/api/auth/login',
      access: 'public',
      tag: 'auth',
      summary: 'Log in with username and password (cookie for the web, token for API clients)',
      body: LoginBodySchema,
      async handler({ body, req, reply }): Promise<LoginResult> {
        const user = await findUserByUsername(db, body.username);
        const ok = await checkPassword(deps, { username: body.username, ip: req.ip, user, password: body.password, purpose: 'login' });
        if (!user || !ok) throw new UnauthorizedError(msg('用户名或密码错误', 'Wrong username or password'));
        if (user.status !== 'active') {
          await audit(db, null, 'auth.login_failed', user.id, { username: body.username, ip: req.ip, via: 'login', reason: 'disabled' });
          throw new UnauthorizedError(msg('该账号已被停用，请联系管理员', 'This account is disabled; contact your administrator'));
        }
        const client = body.mode === 'token' ? 'api' : 'web';
        const session = await sessions.open(user.id, 'password', client);
        await audit(db, user.id, 'auth.login', user.id, { username: user.username, ip: req.ip, via: 'password', client });
        if (client === 'web') setCookie(reply, session.token, session.expiresAt);
        const startReportId = await reviewerStartReport(db, user.id);
        return {
          user: toSessionUser(user),
          ...(client === 'api' ? { token: session.token } : {}),
          expiresAt: session.expiresAt,
          ...(startReportId ? { startReportId } : {}),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/logout',
      access: 'user',
      tag: 'auth',
      summary: 'End the current session',
      async handler({ req, reply }) {
        const token = req.sessionToken;
        if (token) await sessions.close(token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true };
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/logout-all',
      access: 'user',
      tag: 'auth',
      summary: 'End every session of the current user, on every device',
      async handler({ user, reply }) {
        const closed = await sessions.closeAllForUser(user!.id);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { closed };
      },
    }),
    route({
      method: 'GET',
      url: '/api/auth/me',
      access: 'user',
      tag: 'auth',
      summary: 'The logged-in user',
      async handler({ user }) {
        return user;
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/password',
      access: 'user',
      tag: 'auth',
      summary: 'Change own password (counts toward the login lock); other sessions end, a WeCom binding made at first login is removed',
      body: ChangePasswordBodySchema,
      async handler({ user, body, req, reply }) {
        const row = await findUserById(db, user!.id);
        const attempt = { username: user!.username, ip: req.ip, user: row, password: body.currentPassword, purpose: 'change_password' } as const;
        if (!row || !(await checkPassword(deps, attempt))) {
          throw new ValidationError(msg('当前密码不正确', 'The current password is wrong'));
        }
        await changeOwnPassword(deps, row, body.newPassword);
        const session = await sessions.open(row.id, 'password', req.sessionVia === 'bearer' ? 'api' : 'web');
        if (req.sessionVia !== 'bearer') setCookie(reply, session.token, session.expiresAt);
        return { ok: true, ...(req.sessionVia === 'bearer' ? { token: session.token } : {}) };
      },
    }),
  ];
}
