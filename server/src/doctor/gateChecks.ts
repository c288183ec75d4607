import { randomBytes } from 'node:crypto';
import { msg } from '../errors.js';
import { LIVE_URL, UPGRADE_SEEN_HEADER } from '../live/liveSocket.js';
import { DESKTOP_UA, MINI_PROGRAM_UA, errorCode, type DoctorContext, type HttpAnswer } from './DoctorContext.js';
import { fail, ok, skip, type DoctorCheck } from './types.js';

const referer = (appId: string, n: string) => `https://servicewechat.com/${appId}/${n}/page-frame.html`;

const regenerate = msg(
  '用 shulan deploy nginx 重新生成公网域名的 nginx 配置（AppID 取自 企业微信集成设置），然后 nginx -t && nginx -s reload；不用 nginx 时设置 SHULAN_PUBLIC_LISTEN（见 docs/deploy.md）',
  'Regenerate the nginx configuration of the public domain with shulan deploy nginx (it takes the AppID from the WeCom settings), then nginx -t && nginx -s reload; without nginx, use SHULAN_PUBLIC_LISTEN (see docs/deploy.md)',
);

async function answer(ctx: DoctorContext, pathname: string, headers: Record<string, string>): Promise<HttpAnswer | string> {
  try {
    return await ctx.request(pathname, headers);
  } catch (err) {
    return errorCode(err);
  }
}

export const browserRefusedCheck: DoctorCheck = {
  id: 'browser_refused',
  title: msg('电脑浏览器被拒绝（403）', 'A desktop browser is refused (403)'),
  needs: 'https',
  async run(ctx) {
    const served: string[] = [];
    for (const p of ['/', '/api/site']) {
      const res = await answer(ctx, p, { 'user-agent': DESKTOP_UA, accept: 'text/html,application/json' });
      if (typeof res === 'string') served.push(`${p}: ${res}`);
      else if (res.status !== 403) served.push(`${p} → ${res.status}`);
    }
    if (served.length === 0) return ok(msg('/ 和 /api/site 都返回 403', '/ and /api/site both answer 403'));
    return fail(
      msg(`公网域名对浏览器开放：${served.join('，')}（应为 403）`, `The public domain serves browsers: ${served.join(', ')} (403 expected)`),
      msg(
        `公网域名只应放行小程序（按 Referer）。${regenerate.zh}`,
        `The public domain must admit only the mini program (by its Referer). ${regenerate.en}`,
      ),
    );
  },
};

export const miniProgramAdmittedCheck: DoctorCheck = {
  id: 'mini_program_admitted',
  title: msg('小程序的请求被放行（GET /api/site）', "The mini program's requests get through (GET /api/site)"),
  needs: 'https',
  async run(ctx) {
    const { appId } = await ctx.deps.wecom.settings();
    if (!appId) {
      return fail(
        msg('企业微信集成设置中还没有小程序 AppID', 'No mini program AppID in the WeCom settings yet'),
        msg('在 系统设置 → 企业微信集成设置 填写并保存 AppID，再重新生成 nginx 配置', 'Save the AppID under Settings → WeCom integration, then regenerate the nginx configuration'),
      );
    }
    // 0: the build WeChat's reviewers and trial users run; 1: a released version.
    const wrong: string[] = [];
    for (const n of ['0', '1']) {
      const res = await answer(ctx, '/api/site', { referer: referer(appId, n), 'user-agent': MINI_PROGRAM_UA });
      if (typeof res === 'string') {
        wrong.push(`…/${n}/page-frame.html: ${res}`);
        continue;
      }
      if (res.status !== 200 || !isSiteInfo(res.body)) {
        wrong.push(`…/${n}/page-frame.html → ${res.status}${res.status === 200 ? ' (not Shulan JSON)' : ''}`);
      }
    }
    if (wrong.length === 0) return ok(msg(`带 AppID ${appId} 的 Referer 得到数览的 JSON`, `With the Referer of AppID ${appId}, Shulan's JSON comes back`));
    return fail(
      msg(`带本系统 AppID ${appId} 的 Referer 被拒绝或没有到达数览：${wrong.join('，')}`, `The Referer of our AppID ${appId} is refused or does not reach Shulan: ${wrong.join(', ')}`),
      msg(`公网域名放行的可能是另一个 AppID（AppID 改过之后要重新生成配置）。${regenerate.zh}`, `The public domain may admit another AppID (a changed AppID needs the configuration regenerated). ${regenerate.en}`),
    );
  },
};

/**
 * An upgrade to the live socket with the Referer and no session. Shulan answers 401 either way;
 * the header UPGRADE_SEEN_HEADER on it proves the Upgrade itself arrived, i.e. the proxy passes
 * WebSocket upgrades (a proxy that drops the header leaves a plain GET, which gets no such header).
 */
export const liveSocketCheck: DoctorCheck = {
  id: 'live_socket',
  title: msg('实时刷新的 WebSocket（/api/live）能升级到数览', 'The live WebSocket (/api/live) upgrades through to Shulan'),
  needs: 'https',
  async run(ctx) {
    const { appId } = await ctx.deps.wecom.settings();
    if (!appId) return skip(msg('没有 AppID，无法模拟小程序：见上一项', 'No AppID to act as the mini program with: see above'));
    const res = await answer(ctx, LIVE_URL, {
      referer: referer(appId, '0'),
      'user-agent': MINI_PROGRAM_UA,
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': randomBytes(16).toString('base64'),
    });
    if (typeof res !== 'string' && (res.status === 101 || (res.status === 401 && res.headers[UPGRADE_SEEN_HEADER] === 'websocket'))) {
      return ok(msg('升级请求到达了数览（没有登录，所以是 401，这正常）', 'The upgrade reached Shulan (401 without a session, as expected)'));
    }
    const got = typeof res === 'string' ? res : String(res.status);
    if (typeof res !== 'string' && res.status === 401) {
      return fail(
        msg('请求到达了数览，但 Upgrade 头被代理丢掉了：实时刷新无法工作', 'The request reached Shulan, but the proxy dropped the Upgrade header: live refresh cannot work'),
        msg(
          '在 /api/live 的 location 中加上 proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";（shulan deploy nginx 生成的配置已包含）',
          'In the /api/live location add proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; (the configuration from shulan deploy nginx has them)',
        ),
      );
    }
    return fail(msg(`/api/live 的升级请求得到 ${got}`, `The upgrade request to /api/live got ${got}`), regenerate);
  },
};

/** The answer of GET /api/site: {data: {name, version, …}}. */
function isSiteInfo(body: Buffer): boolean {
  try {
    const site = JSON.parse(body.toString('utf8')) as { data?: { name?: unknown; version?: unknown } } | null;
    return typeof site?.data?.name === 'string' && typeof site.data.version === 'string';
  } catch {
    return false;
  }
}
