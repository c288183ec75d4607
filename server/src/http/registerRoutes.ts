import type { SessionUser } from '@shulan/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/authRoutes.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, NotFoundError, UnauthorizedError, msg } from '../errors.js';
import { assertCanViewReport } from '../reports/access.js';
import { langOf } from './lang.js';
import type { RouteDef } from './route.js';

declare module 'fastify' {
  interface FastifyRequest {
    sessionToken: string | null;
    sessionVia: 'cookie' | 'bearer' | null;
    user: (SessionUser & { via: 'password' | 'wecom' }) | null;
  }
}

const zhErrors = z.locales.zhCN().localeError;

/** Registers a route table: authentication, the route's access rule, zod parsing, `{data}` envelope. */
export function registerRoutes(app: FastifyInstance, deps: Deps, routes: RouteDef[]): void {
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('sessionVia', null);
  app.decorateRequest('user', null);

  for (const def of routes) {
    app.route({
      method: def.method,
      url: def.url,
      async handler(req, reply) {
        await authenticate(req, deps);
        enforceAccess(def, req);
        if (def.access === 'report') {
          const reportId = (req.params as Record<string, unknown>).reportId;
          if (typeof reportId !== 'string' || reportId.length > 64) throw new NotFoundError(msg('报表', 'Report'));
          await assertCanViewReport(deps.db, req.user!, reportId);
        }
        const lang = langOf(req);
        const opts = lang === 'zh' ? { error: zhErrors } : undefined;
        const params = def.params ? def.params.parse(req.params, opts) : undefined;
        const query = def.query ? def.query.parse(req.query ?? {}, opts) : undefined;
        const body = def.body ? def.body.parse(req.body === undefined ? {} : req.body, opts) : undefined;
        // A handler may answer itself (files, CSV) with reply.send. Compression finishes that answer
        // later, so reply.sent is still false here: remember the call instead of asking reply.sent.
        let answered = false;
        const send = reply.send;
        reply.send = function (this: typeof reply, payload?: unknown) {
          answered = true;
          return send.call(this, payload);
        };
        const data = await def.handler({ user: req.user, params, query, body, lang, req, reply });
        if (answered || reply.sent) return reply;
        return { data: data ?? null };
      },
    });
  }
}

/** Reads the bearer token or session cookie and sets req.user (null when missing or invalid). */
export async function authenticate(req: FastifyRequest, deps: Deps): Promise<void> {
  const header = req.headers.authorization;
  let token: string | null = null;
  if (typeof header === 'string' && header.startsWith('Bearer ')) {
    token = header.slice(7).trim();
    req.sessionVia = 'bearer';
  } else if (req.cookies[SESSION_COOKIE]) {
    token = req.cookies[SESSION_COOKIE] ?? null;
    req.sessionVia = 'cookie';
  }
  if (!token || token.length > 200) return;
  req.sessionToken = token;
  req.user = await deps.sessions.authenticate(token);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function enforceAccess(def: RouteDef, req: FastifyRequest): void {
  // A cookie rides along on cross-site requests; a custom header cannot be set by another
  // site without a CORS preflight we never grant, so requiring it stops CSRF.
  if (req.sessionVia === 'cookie' && req.user && !SAFE_METHODS.has(req.method)) {
    if (req.headers['x-requested-with'] !== 'shulan') {
      throw new ForbiddenError(msg('请求缺少防跨站伪造标记', 'Missing the anti-CSRF header X-Requested-With: shulan'));
    }
  }
  if (def.access === 'public') return;
  const user = req.user;
  if (!user) throw new UnauthorizedError();
  if (def.access === 'admin' && user.role !== 'admin') {
    throw new ForbiddenError(msg('仅管理员可以执行此操作', 'Only administrators may do this'));
  }
  if (def.access === 'editor' && user.role === 'viewer') {
    throw new ForbiddenError(msg('仅编辑者或管理员可以执行此操作', 'Only editors and administrators may do this'));
  }
}
