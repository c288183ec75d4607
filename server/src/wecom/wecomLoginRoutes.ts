import { WecomBindBodySchema, WecomLoginBodySchema, type WecomBindResult, type WecomLoginResult } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { route, type RouteDef } from '../http/route.js';
import { bindWithPassword, loginWithCode } from './wecomLogin.js';

/**
 * Public routes the mini program calls inside WeCom, capped per IP and in total (a login costs a
 * WeCom call, a bind a password check). Plain account login is POST /api/auth/login (mode token).
 */
export function wecomLoginRoutes(deps: Deps): RouteDef[] {
  return [
    route({
      method: 'POST',
      url: '/api/wecom/login',
      access: 'public',
      tag: 'wecom',
      summary: 'Log in from the mini program with a wx.qy.login code: a session, or a bind ticket on first login',
      body: WecomLoginBodySchema,
      async handler({ body, req }): Promise<WecomLoginResult> {
        await deps.wecom.loginLimit.take(req.ip);
        return loginWithCode(deps, body.code, req.ip);
      },
    }),
    route({
      method: 'POST',
      url: '/api/wecom/bind',
      access: 'public',
      tag: 'wecom',
      summary: 'First login: bind the WeCom member of a bind ticket to a Shulan account (username + password)',
      body: WecomBindBodySchema,
      async handler({ body, req }): Promise<WecomBindResult> {
        await deps.wecom.bindLimit.take(req.ip);
        return bindWithPassword(deps, body, req.ip);
      },
    }),
  ];
}
