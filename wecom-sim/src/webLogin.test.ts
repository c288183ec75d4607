import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from './index.js';
import { call, start, tokenFor } from './testHelpers.js';

let sim: Simulator;
let clock = 1_800_000_000_000;
const WXWORK_UA = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh';
const DOMAIN = 'bi.example.com:8443';
const REDIRECT = `https://${DOMAIN}/api/auth/wecom/callback?from=menu`;

beforeEach(async () => {
  clock = 1_800_000_000_000;
  sim = await start(undefined, { now: () => clock });
  sim.controls.setTrustedDomain(String(selfBuilt().agentid), DOMAIN);
});
afterEach(async () => {
  await sim.close();
});

const selfBuilt = () => sim.corp.apps.find((a) => a.kind === 'self_built')!;
const member = () => [...sim.corp.members.values()].find((m) => m.status === 1 && sim.corp.canSeeMember(selfBuilt(), m))!;

function authorizeUrl(over: Record<string, string | undefined> = {}): string {
  const q = { appid: sim.corp.corpid, redirect_uri: REDIRECT, response_type: 'code', scope: 'snsapi_base', state: 'abc123', agentid: String(selfBuilt().agentid), ...over };
  const qs = Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');
  return `${sim.url}/connect/oauth2/authorize?${qs}#wechat_redirect`;
}

async function open(url: string, userid?: string, ua = WXWORK_UA) {
  const res = await fetch(url, { redirect: 'manual', headers: { 'user-agent': ua, ...(userid ? { cookie: `wwsim_userid=${encodeURIComponent(userid)}` } : {}) } });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

async function getuserinfo(code: string, kind: 'self_built' | 'miniprogram' = 'self_built') {
  return call(sim, `/cgi-bin/auth/getuserinfo?access_token=${await tokenFor(sim, kind)}&code=${encodeURIComponent(code)}`);
}

describe('OAuth2 in WeCom\'s browser (connect/oauth2/authorize + auth/getuserinfo)', () => {
  it('redirects a member to redirect_uri with a single-use code that getuserinfo turns into the userid', async () => {
    const res = await open(authorizeUrl(), member().userid);
    expect(res.status).toBe(302);
    const to = new URL(res.location!);
    expect(`${to.origin}${to.pathname}`).toBe(`https://${DOMAIN}/api/auth/wecom/callback`);
    expect(to.searchParams.get('from')).toBe('menu');
    expect(to.searchParams.get('state')).toBe('abc123');
    const code = to.searchParams.get('code')!;
    expect(code.length).toBeGreaterThan(10);

    const first = await getuserinfo(code);
    expect(first.json).toEqual({ errcode: 0, errmsg: 'ok', userid: member().userid });
    const again = await getuserinfo(code);
    expect(again.json.errcode).toBe(40029);
    expect(again.json.errmsg).toMatch(/^invalid code, hint/);
  });

  it('expires codes after 5 minutes and refuses tokens of apps without that trusted domain (50001)', async () => {
    const a = new URL((await open(authorizeUrl(), member().userid)).location!).searchParams.get('code')!;
    expect((await getuserinfo(a, 'miniprogram')).json.errcode).toBe(50001);
    clock += 5 * 60_000 + 1;
    expect((await getuserinfo(a)).json.errcode).toBe(40029);
    expect((await call(sim, `/cgi-bin/auth/getuserinfo?access_token=${await tokenFor(sim, 'self_built')}`)).json.errcode).toBe(41008);
    expect((await call(sim, '/cgi-bin/auth/getuserinfo?access_token=nope&code=x')).json.errcode).toBe(40014);
  });

  it('gives someone outside the corp an openid, not a userid', async () => {
    const code = new URL((await open(authorizeUrl(), 'stranger')).location!).searchParams.get('code')!;
    const info = await getuserinfo(code);
    expect(info.json.errcode).toBe(0);
    expect(info.json.userid).toBeUndefined();
    expect(info.json.openid).toMatch(/^o[\w-]{27}$/);
  });

  it('checks the link like WeCom: client, appid, agentid, redirect domain', async () => {
    expect((await open(authorizeUrl(), member().userid, 'Mozilla/5.0 Chrome/120')).text).toContain('请在企业微信客户端打开链接');
    const refused = async (over: Record<string, string | undefined>) => {
      const r = await open(authorizeUrl(over), member().userid);
      expect(r.status).toBe(200);
      expect(r.text).toContain('该链接无法访问');
      return r.text;
    };
    expect(await refused({ appid: 'ww0000000000000000' })).toContain('appid');
    expect(await refused({ agentid: '4242' })).toContain('40056');
    expect(await refused({ redirect_uri: 'https://evil.example.com/cb' })).toContain('可信域名');
    // Same host on another port is another domain ("必须与访问链接的域名完全一致,包括端口号").
    expect(await refused({ redirect_uri: 'https://bi.example.com/api/auth/wecom/callback' })).toContain('可信域名');
    expect(await refused({ response_type: 'token' })).toContain('response_type');
  });

  it('asks which member the simulated client is logged in as, then continues', async () => {
    const first = await open(authorizeUrl());
    expect(first.text).toContain('模拟企业微信客户端');
    const as = await fetch(`${sim.url}/__sim/wecom-client/as?userid=${member().userid}&next=${encodeURIComponent('/connect/oauth2/authorize?x=1')}`, { redirect: 'manual' });
    expect(as.status).toBe(302);
    expect(as.headers.get('set-cookie')).toContain(`wwsim_userid=${member().userid}`);
    expect(as.headers.get('location')).toBe('/connect/oauth2/authorize?x=1');
  });
});

describe('Web login by QR scan (wwlogin/sso/login)', () => {
  const loginUrl = (over: Record<string, string> = {}) => {
    const q = new URLSearchParams({ login_type: 'CorpApp', appid: sim.corp.corpid, agentid: String(selfBuilt().agentid), redirect_uri: REDIRECT, state: 'qr42', ...over });
    return `${sim.url}/wwlogin/sso/login?${q}`;
  };
  const status = async (key: string) => (await call(sim, `/wwlogin/sso/status?key=${key}`)).json as { status: string; location?: string };

  it('shows a QR page that, once a member scans and confirms, sends the browser to redirect_uri with a code', async () => {
    const html = await (await fetch(loginUrl())).text();
    const key = /data-key="([0-9a-f]+)"/.exec(html)![1]!;
    expect(await status(key)).toEqual({ status: 'waiting' });

    const scan = await call(sim, '/__sim/qr/scan', { body: { userid: member().userid } });
    expect(scan.json).toEqual({ key });
    const done = await status(key);
    expect(done.status).toBe('confirmed');
    const to = new URL(done.location!);
    expect(to.host).toBe(DOMAIN);
    expect(to.searchParams.get('state')).toBe('qr42');
    expect((await getuserinfo(to.searchParams.get('code')!)).json).toMatchObject({ errcode: 0, userid: member().userid });
    // The page hands out one code: polling again gives the same (now used) location.
    expect((await status(key)).location).toBe(done.location);
    expect((await call(sim, '/__sim/qr/scan', { body: { userid: member().userid, key } })).status).toBe(400);
  });

  it('refused on the phone: redirect with the state only; outside the visible range: 无权限', async () => {
    const key = /data-key="([0-9a-f]+)"/.exec(await (await fetch(loginUrl())).text())![1]!;
    const app = selfBuilt();
    const who = member().userid;
    const saved = app.visible;
    app.visible = { departments: [], users: [] };
    const denied = await call(sim, '/__sim/qr/scan', { body: { userid: who } });
    expect(denied.status).toBe(400);
    expect(denied.json.error).toContain('无权限');
    app.visible = saved;
    await call(sim, '/__sim/qr/scan', { body: { userid: member().userid, confirm: false } });
    const s = await status(key);
    expect(s.status).toBe('denied');
    expect(new URL(s.location!).searchParams.has('code')).toBe(false);
    expect(new URL(s.location!).searchParams.get('state')).toBe('qr42');
  });

  it('refuses links with a wrong login_type, agentid or redirect domain', async () => {
    for (const over of [{ login_type: 'ServiceApp' }, { agentid: '999' }, { redirect_uri: 'https://other.example.com/cb' }] as Record<string, string>[]) {
      expect(await (await fetch(loginUrl(over))).text()).toContain('该链接无法访问');
    }
  });
});
