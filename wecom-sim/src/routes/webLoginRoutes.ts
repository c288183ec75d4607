import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../corp.js';
import { WecomError } from '../errors.js';
import type { SimState } from '../simulator.js';
import { openidFor, withCode } from '../webLogin.js';
import { wecomRoute, withApp } from './wecomRoute.js';

/**
 * The member the simulated WeCom client is logged in as: a cookie on the simulator's host (what the
 * real client knows without asking). Set it with GET /__sim/wecom-client/as?userid=…&next=… or
 * directly in a test browser.
 */
export const CLIENT_USER_COOKIE = 'wwsim_userid';

function cookieOf(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, title: string, body: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title></head><body style="font-family:sans-serif;max-width:420px;margin:40px auto">${body}</body></html>`);
}

/** WeCom's own error page for a link it refuses ("该链接无法访问" and the reason). */
function refuse(reply: FastifyReply, reason: string): FastifyReply {
  return page(reply, '企业微信', `<h3 class="wecom-error">该链接无法访问</h3><p class="wecom-reason">${esc(reason)}</p>`);
}

function hostOf(uri: string | undefined): { url: URL; host: string } | null {
  if (!uri) return null;
  try {
    const url = new URL(uri);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return { url, host: url.host };
  } catch {
    return null;
  }
}

function query(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string') out[k] = s;
  }
  return out;
}

/** The self-built app named by agentid (or, without one, any app trusting the host), and the host check. */
function appFor(state: SimState, agentid: string | undefined, host: string): { app: App } | { error: string } {
  const selfBuilt = state.corp.apps.filter((a) => a.kind === 'self_built' && a.enabled);
  if (agentid !== undefined) {
    const app = selfBuilt.find((a) => String(a.agentid) === agentid);
    if (!app) return { error: `agentid 参数错误（40056 invalid agentid）：${agentid}` };
    if (app.trustedDomain !== host) return { error: `redirect_uri 的域名 ${host} 与应用的可信域名不一致` };
    return { app };
  }
  const app = selfBuilt.find((a) => a.trustedDomain === host);
  return app ? { app } : { error: `redirect_uri 的域名 ${host} 不是任何应用的可信域名` };
}

export function registerWebLoginRoutes(fastify: FastifyInstance, state: SimState): void {
  const corp = state.corp;

  // ---- 构造网页授权链接: open.weixin.qq.com/connect/oauth2/authorize (inside WeCom's browser) ----
  fastify.get('/connect/oauth2/authorize', async (req, reply) => {
    const q = query(req);
    // Outside the WeCom client there is nobody to vouch for: WeCom asks to open the link in it.
    if (!/wxwork/i.test(req.headers['user-agent'] ?? '')) {
      return page(reply, '企业微信', '<h3 class="wecom-error">请在企业微信客户端打开链接</h3>');
    }
    if (q.appid !== corp.corpid) return refuse(reply, 'appid 参数错误：应为企业的 CorpID');
    if (q.response_type !== 'code') return refuse(reply, 'response_type 参数错误：固定为 code');
    if (q.scope !== 'snsapi_base' && q.scope !== 'snsapi_privateinfo') return refuse(reply, 'scope 参数错误');
    if (q.scope === 'snsapi_privateinfo' && !q.agentid) return refuse(reply, 'snsapi_privateinfo 时必须填写 agentid');
    if (q.state !== undefined && Buffer.byteLength(q.state) > 128) return refuse(reply, 'state 长度不可超过128个字节');
    const target = hostOf(q.redirect_uri);
    if (!target) return refuse(reply, 'redirect_uri 参数错误');
    const found = appFor(state, q.agentid, target.host);
    if ('error' in found) return refuse(reply, found.error);

    const who = cookieOf(req, CLIENT_USER_COOKIE);
    if (!who) {
      // The simulator's stand-in for "the member logged in to this WeCom client".
      const back = req.url;
      return page(
        reply,
        '模拟企业微信客户端',
        `<h3>模拟企业微信客户端：以哪位成员登录？</h3><form method="get" action="/__sim/wecom-client/as"><input name="userid" placeholder="userid"><input type="hidden" name="next" value="${esc(back)}"><button>登录</button></form>`,
      );
    }
    const member = corp.getMember(who);
    const code = state.webCodes.issue(member ? { userid: member.userid } : { openid: openidFor(corp.corpid, who) }, target.host);
    return reply.redirect(withCode(target.url.toString(), { code, state: q.state ?? '' }), 302);
  });

  // ---- 企业微信Web登录 (QR scan or desktop client): login.work.weixin.qq.com/wwlogin/sso/login ----
  fastify.get('/wwlogin/sso/login', async (req, reply) => {
    const q = query(req);
    if (q.login_type !== 'CorpApp') return refuse(reply, 'login_type 参数错误：企业自建应用填 CorpApp');
    if (q.appid !== corp.corpid) return refuse(reply, 'appid 参数错误：应为企业的 CorpID');
    if (!q.agentid) return refuse(reply, 'login_type=CorpApp 时必须填写 agentid');
    const target = hostOf(q.redirect_uri);
    if (!target) return refuse(reply, 'redirect_uri 参数错误');
    const found = appFor(state, q.agentid, target.host);
    if ('error' in found) return refuse(reply, found.error);
    const s = state.qrSessions.open({ appKey: found.app.key, redirectUri: target.url.toString(), state: q.state });
    const en = q.lang === 'en';
    return page(
      reply,
      en ? 'WeCom login' : '企业微信登录',
      `<h3>${en ? 'Scan with WeCom to log in' : '企业微信扫码登录'}</h3>
<div class="qrcode" data-key="${s.key}" style="width:200px;height:200px;border:8px solid #333;display:flex;align-items:center;justify-content:center;font:12px monospace">${s.key}</div>
<p class="qr-status">${en ? 'Open WeCom on your phone and scan' : '请使用企业微信扫描二维码登录'}</p>
<details><summary>模拟手机扫码（仅模拟器）</summary>
<form id="scan"><input name="userid" placeholder="userid"><button name="confirm" value="1">确认登录</button><button name="confirm" value="0">拒绝</button></form></details>
<script>
const key=${JSON.stringify(s.key)};
document.getElementById('scan').addEventListener('submit',async(e)=>{e.preventDefault();const f=new FormData(e.target);
 const r=await fetch('/__sim/qr/scan',{method:'POST',body:JSON.stringify({key,userid:f.get('userid'),confirm:e.submitter.value==='1'})});
 if(!r.ok)document.querySelector('.qr-status').textContent=(await r.json()).error;});
async function poll(){try{const r=await (await fetch('/wwlogin/sso/status?key='+key)).json();
 if(r.location){location.href=r.location;return}
 if(r.status==='expired'){document.querySelector('.qr-status').textContent='二维码已失效，请刷新';return}}catch(e){}
 setTimeout(poll,500)}
poll();
</script>`,
    );
  });

  // The login page's own poll (on WeCom's side in reality): where to go once the phone answered.
  fastify.get('/wwlogin/sso/status', async (req, reply) => {
    const s = state.qrSessions.get(query(req).key ?? '');
    if (!s) return reply.send({ status: 'expired' });
    if (s.status === 'waiting') return reply.send({ status: 'waiting' });
    if (!s.location) {
      // Allowed: redirect_uri?code=CODE&state=STATE; refused: redirect_uri?state=STATE (no code).
      const code = s.status === 'confirmed' && s.userid ? state.webCodes.issue({ userid: s.userid }, new URL(s.redirectUri).host) : undefined;
      s.location = withCode(s.redirectUri, { code, state: s.state });
    }
    return reply.send({ status: s.status, location: s.location });
  });

  // ---- 获取访问用户身份 / 获取用户登录身份: GET /cgi-bin/auth/getuserinfo ----
  wecomRoute(
    fastify,
    state,
    { method: 'GET', endpoint: 'auth/getuserinfo' },
    withApp(({ app, query: q }) => {
      if (app.kind === 'contact_sync') throw new WecomError(48002);
      if (!q.code) throw new WecomError(41008);
      const rec = state.webCodes.peek(q.code);
      if (!rec) throw new WecomError(40029);
      // "跳转的域名须完全匹配access_token对应应用的可信域名,否则会返回50001错误"
      if (app.trustedDomain !== rec.redirectHost) throw new WecomError(50001);
      state.webCodes.consume(q.code);
      if ('openid' in rec.identity) return { openid: rec.identity.openid };
      // A member deleted since the code was issued: the code no longer stands for anyone.
      const member = corp.getMember(rec.identity.userid);
      if (!member) throw new WecomError(40029);
      return { userid: member.userid };
    }),
  );
}
