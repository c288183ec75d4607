import { WECOM_CALLBACK_PATH, WecomAppIdSchema } from '@shulan/shared';
import { LIVE_URL } from '../live/liveSocket.js';
import { VERIFICATION_FILE_URL } from '../wecom/verificationFiles.js';

/**
 * The public domain exists only for the mini program. This module is the one statement of what
 * it admits; the SHULAN_PUBLIC_LISTEN listener (publicListener.ts) applies it per request and the
 * nginx generator (nginxConfig.ts) turns it into `location` blocks, so the two cannot drift.
 *
 * - verification files at the site root: anyone (WeChat's and WeCom's checkers fetch them);
 * - the WeCom callback (GET verification, POST events): anyone — WeCom's servers send no mini
 *   program Referer; every request must carry a signature made with the callback Token;
 * - the routes below: only with the mini program's Referer for our AppID;
 * - everything else (web UI, admin API, OpenAPI document): refused with FORBIDDEN_PAGE.
 *
 * The Referer keeps browsers and scanners out; it is not authentication (anyone can forge a
 * header). Sessions and the per-route access rules still decide what a caller may see.
 */
export interface MiniProgramRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify route pattern, `:name` for a path segment. */
  url: string;
  /** A WebSocket: nginx passes the upgrade and keeps the connection open for long. */
  socket?: true;
}

/** Exactly what miniprogram/src calls (services/*.ts, pages/me); policy.test.ts keeps this honest. */
export const MINI_PROGRAM_ROUTES: readonly MiniProgramRoute[] = [
  { method: 'GET', url: '/api/site' },
  { method: 'POST', url: '/api/auth/login' },
  { method: 'GET', url: '/api/auth/me' },
  { method: 'POST', url: '/api/auth/logout' },
  { method: 'POST', url: '/api/wecom/login' },
  { method: 'POST', url: '/api/wecom/bind' },
  { method: 'GET', url: '/api/mobile/me' },
  { method: 'GET', url: '/api/reports' },
  { method: 'GET', url: '/api/reports/:reportId' },
  { method: 'POST', url: '/api/reports/:reportId/data' },
  { method: 'POST', url: '/api/reports/:reportId/widgets/:widgetId/data' },
  { method: 'POST', url: '/api/reports/:reportId/widgets/:widgetId/drill' },
  { method: 'GET', url: '/api/reports/:reportId/filters/:filterId/values' },
  { method: 'GET', url: '/api/favorites' },
  { method: 'PUT', url: '/api/reports/:reportId/favorite' },
  { method: 'DELETE', url: '/api/reports/:reportId/favorite' },
  { method: 'GET', url: LIVE_URL, socket: true },
];

/** The WeCom callback (接收事件服务器), admitted without a Referer: WeCom's servers call it. */
export const WECOM_CALLBACK_METHODS: readonly ('GET' | 'POST')[] = ['GET', 'POST'];

/** Root-level verification file names, the same rule as VerificationFileNameSchema (shared). */
export const VERIFICATION_FILE_PATH = /^\/[A-Za-z0-9_-]{1,64}\.txt$/;

export type PublicAccess = 'anyone' | 'mini-program' | 'refused';

/** Who may call `method` on the route pattern `routeUrl` (undefined: no such route) on the public side. */
export function publicAccess(method: string, routeUrl: string | undefined): PublicAccess {
  // nginx's `limit_except GET` admits HEAD as well; so does the listener.
  const m = method === 'HEAD' ? 'GET' : method;
  if (routeUrl === VERIFICATION_FILE_URL && m === 'GET') return 'anyone';
  if (routeUrl === WECOM_CALLBACK_PATH && (WECOM_CALLBACK_METHODS as string[]).includes(m)) return 'anyone';
  return MINI_PROGRAM_ROUTES.some((r) => r.method === m && r.url === routeUrl) ? 'mini-program' : 'refused';
}

/**
 * The Referer WeChat puts on every request of a mini program (the developer cannot set it):
 * https://servicewechat.com/<appid>/<n>/page-frame.html, n = 0 for develop/trial/review
 * builds, a positive release counter for released versions, `devtools` in WeChat DevTools.
 * Returned as a regular-expression source that PCRE (nginx) and JavaScript read alike.
 */
export function miniProgramRefererPattern(appId: string): string {
  if (WecomAppIdSchema.safeParse(appId).data !== appId) throw new Error(`not a mini program AppID: ${appId}`);
  return `^https://servicewechat\\.com/${appId}/(0|[1-9][0-9]*|devtools)/page-frame\\.html$`;
}

/** Whether the request comes from our mini program; false when no AppID is saved yet. */
export function isMiniProgramReferer(referer: string | undefined, appId: string | null): boolean {
  if (!referer || !appId || WecomAppIdSchema.safeParse(appId).data !== appId) return false;
  return new RegExp(miniProgramRefererPattern(appId)).test(referer);
}

/**
 * What a browser, a scanner or a wrongly configured mini program sees. No product name, no `$`,
 * `'` or `\` (it is inlined in the nginx configuration as a quoted string).
 */
export const FORBIDDEN_PAGE = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>403 仅限小程序访问</title></head>
<body style="font-family: sans-serif; text-align: center; padding: 4em 1em; color: #333">
<h1 style="font-size: 1.4em">此地址仅供小程序使用</h1>
<p>请在企业微信或微信中打开小程序访问。</p>
<p lang="en">This address is for the mini program only.</p>
</body>
</html>
`;
