import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../auth/SessionService.js';
import { OTHER_APP_SECRET, startWecomTestEnv, type WecomTestEnv } from '../testing/wecomTestEnv.js';

const ORIGIN = 'https://bi.example.com';
const AGENT_ID = 1000003;
const WXWORK_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh';

let env: WecomTestEnv;

beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  env.sim.controls.setTrustedDomain(String(AGENT_ID), 'bi.example.com');
});
afterAll(async () => {
  await env.close();
});

async function saveWeb(over: Record<string, unknown> = {}) {
  const res = await env.t.call({
    method: 'PUT',
    url: '/api/settings/wecom-web',
    headers: env.admin.headers,
    body: { enabled: true, agentId: AGENT_ID, secret: OTHER_APP_SECRET, publicOrigin: ORIGIN, ...over },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data;
}

function cookieFrom(headers: Record<string, unknown>, name: string): string | undefined {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  const hit = list.find((c: string) => c.startsWith(`${name}=`));
  return hit ? hit.split(';')[0]!.slice(name.length + 1) : undefined;
}

/**
 * One trip through the H5 entry as WeCom's built-in browser makes it: start → WeCom (the simulator,
 * as `userid`) → callback with the pending-login cookie. Returns the callback's answer.
 */
async function h5Login(userid: string, opts: { next?: string; tamperState?: boolean } = {}) {
  const start = await env.t.call({ method: 'GET', url: `/api/auth/wecom/oauth/start${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}` });
  expect(start.status).toBe(302);
  const pending = cookieFrom(start.headers, 'shulan_wecom_login')!;
  const wecom = await fetch(String(start.headers.location).replace('#wechat_redirect', ''), {
    redirect: 'manual',
    headers: { 'user-agent': WXWORK_UA, cookie: `wwsim_userid=${userid}` },
  });
  expect(wecom.status, await wecom.clone().text()).toBe(302);
  const callback = new URL(wecom.headers.get('location')!);
  expect(callback.origin + callback.pathname).toBe(`${ORIGIN}/api/auth/wecom/callback`);
  const state = opts.tamperState ? 'f'.repeat(32) : callback.searchParams.get('state');
  return env.t.call({
    method: 'GET',
    url: `/api/auth/wecom/callback?code=${encodeURIComponent(callback.searchParams.get('code') ?? '')}&state=${state}`,
    headers: { cookie: `shulan_wecom_login=${pending}` },
  });
}
let lastKey = '';

async function userSession(headers: Record<string, unknown>) {
  const token = cookieFrom(headers, 'shulan_session');
  if (!token) return null;
  return env.t.deps.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select(['users.username', 'sessions.via', 'sessions.client']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
}

describe('WeCom web login (H5 entry in WeCom\'s browser)', () => {
  beforeEach(async () => {
    await saveWeb({ jitEnabled: false });
  });

  it('is offered on the login page only once configured, and the Secret is never returned', async () => {
    const view = await saveWeb({ enabled: false });
    expect((await env.t.call({ method: 'GET', url: '/api/auth/methods' })).json.data).toMatchObject({ wecom: false });
    expect(view).toMatchObject({ enabled: false, secretSet: true, secretHint: `••••${OTHER_APP_SECRET.slice(-4)}`, trustedDomain: 'bi.example.com', homeUrl: `${ORIGIN}/api/auth/wecom/oauth/start` });
    expect(JSON.stringify(view)).not.toContain(OTHER_APP_SECRET);
    await saveWeb();
    expect((await env.t.call({ method: 'GET', url: '/api/auth/methods' })).json.data).toMatchObject({ wecom: true });
    const off = await env.t.call({ method: 'PUT', url: '/api/settings/wecom-web', headers: env.admin.headers, body: { enabled: true, agentId: null, publicOrigin: ORIGIN } });
    expect(off.status).toBe(400);
    expect(off.json.error.message).toContain('AgentId');
  });

  it('sends WeCom the OAuth2 link of the docs: corp id, agentid, snsapi_base, the public origin\'s callback', async () => {
    const start = await env.t.call({ method: 'GET', url: '/api/auth/wecom/oauth/start?next=/reports' });
    const url = new URL(String(start.headers.location));
    expect(`${url.origin}${url.pathname}`).toBe(`${env.sim.url}/connect/oauth2/authorize`);
    expect(url.hash).toBe('#wechat_redirect');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ appid: 'ww0123456789abcdef', agentid: String(AGENT_ID), response_type: 'code', scope: 'snsapi_base', redirect_uri: `${ORIGIN}/api/auth/wecom/callback` });
    expect(url.searchParams.get('state')).toMatch(/^[a-f0-9]{32}$/);
    const cookie = String(start.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Path=/api/auth/wecom');
  });

  it('unbound member: binds once with the password, then comes straight in with no password', async () => {
    const viewer = await env.t.user('viewer', 'h5viewer');
    const first = await h5Login('lisi', { next: '/reports/abc' });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe(`/login/wecom-bind?next=${encodeURIComponent('/reports/abc')}`);
    expect(await userSession(first.headers)).toBeNull();
    const bindCookie = cookieFrom(first.headers, 'shulan_wecom_bind')!;

    const info = await env.t.call({ method: 'GET', url: '/api/auth/wecom/bind', headers: { cookie: `shulan_wecom_bind=${bindCookie}` } });
    expect(info.json.data.wecomUserid).toBe('lisi');
    const noCsrf = await env.t.call({ method: 'POST', url: '/api/auth/wecom/bind', headers: { cookie: `shulan_wecom_bind=${bindCookie}` }, body: { username: viewer.username, password: viewer.password } });
    expect(noCsrf.status).toBe(403);
    const wrong = await env.t.call({ method: 'POST', url: '/api/auth/wecom/bind', headers: { cookie: `shulan_wecom_bind=${bindCookie}`, 'x-requested-with': 'shulan' }, body: { username: viewer.username, password: 'nope' } });
    expect(wrong.status).toBe(401);
    const bound = await env.t.call({ method: 'POST', url: '/api/auth/wecom/bind', headers: { cookie: `shulan_wecom_bind=${bindCookie}`, 'x-requested-with': 'shulan' }, body: { username: viewer.username, password: viewer.password } });
    expect(bound.status, JSON.stringify(bound.json)).toBe(200);
    expect(await userSession(bound.headers)).toMatchObject({ username: viewer.username, via: 'wecom', client: 'web' });

    const again = await h5Login('lisi', { next: '/reports/abc' });
    expect(again.status).toBe(302);
    expect(again.headers.location).toBe('/reports/abc');
    expect(await userSession(again.headers)).toMatchObject({ username: viewer.username, via: 'wecom', client: 'web' });
    const audit = await env.t.deps.db.selectFrom('audit_log').select(['action', 'detail_json']).where('action', '=', 'auth.login').where('target', '=', viewer.id).execute();
    expect(audit.map((a) => (JSON.parse(a.detail_json ?? '{}') as { via?: string }).via)).toEqual(expect.arrayContaining(['wecom_bind', 'wecom_h5']));
  });

  it('a next that a browser would follow off the site (a tab in //host) lands on the home page', async () => {
    // lisi was bound in the test above.
    const back = await h5Login('lisi', { next: '/\t/evil.example' });
    expect(back.status).toBe(302);
    expect(back.headers.location).toBe('/');
  });

  it('refuses a code whose state is not this browser\'s (login CSRF)', async () => {
    const tampered = await h5Login('lisi', { tamperState: true });
    expect(tampered.headers.location).toBe('/login?loginError=wecom_state');
    expect(await userSession(tampered.headers)).toBeNull();
    const noCookie = await env.t.call({ method: 'GET', url: '/api/auth/wecom/callback?code=x&state=abc' });
    expect(noCookie.headers.location).toBe('/login?loginError=wecom_state');
  });

  it('refuses someone outside the corp, and creates no account for a member disabled in WeCom', async () => {
    const outsider = await h5Login('not-a-member');
    expect(outsider.headers.location).toBe('/login?loginError=wecom_not_member');
    env.sim.controls.updateMember('wangwu', { status: 2 });
    try {
      await saveWeb({ jitEnabled: true });
      const jit = await h5Login('wangwu');
      expect(jit.headers.location).toBe('/login?loginError=wecom_member_inactive');
      expect(await env.t.deps.db.selectFrom('users').select('id').where('username', '=', 'wangwu').executeTakeFirst()).toBeUndefined();
    } finally {
      env.sim.controls.updateMember('wangwu', { status: 1 });
    }
  });

  it('just-in-time users: off by default; on, a first login creates the account with the default role and groups', async () => {
    const group = await env.t.call({ method: 'POST', url: '/api/groups', headers: env.admin.headers, body: { name: 'JIT 默认组' } });
    expect(group.status, JSON.stringify(group.json)).toBe(200);
    const groupId = group.json.data.id as string;
    const before = await h5Login('zhaoliu');
    expect(before.headers.location).toMatch(/^\/login\/wecom-bind/);

    await saveWeb({ jitEnabled: true, jitRole: 'viewer', jitGroupIds: [groupId] });
    const first = await h5Login('zhaoliu', { next: '/reports' });
    expect(first.headers.location).toBe('/reports');
    expect(await userSession(first.headers)).toMatchObject({ username: 'zhaoliu', via: 'wecom' });
    const user = await env.t.deps.db.selectFrom('users').selectAll().where('username', '=', 'zhaoliu').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ display_name: '赵六', role: 'viewer', status: 'active' });
    const groups = await env.t.deps.db.selectFrom('group_members').select('group_id').where('user_id', '=', user.id).execute();
    expect(groups.map((g) => g.group_id)).toEqual([groupId]);
    const binding = await env.t.deps.db.selectFrom('wecom_bindings').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(binding).toMatchObject({ wecom_userid: 'zhaoliu', source: 'jit' });
    expect(await env.t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'wecom.jit_user_created').where('target', '=', user.id).executeTakeFirst()).toBeDefined();
    // The account has no password anyone knows.
    const pw = await env.t.call({ method: 'POST', url: '/api/auth/login', body: { username: 'zhaoliu', password: '' } });
    expect(pw.status).toBe(400);
  });

  it('JIT never takes over an existing username: that person binds with its password instead', async () => {
    await saveWeb({ jitEnabled: true });
    await env.t.user('viewer', 'sunqi');
    const res = await h5Login('sunqi');
    expect(res.headers.location).toMatch(/^\/login\/wecom-bind/);
  });
});

describe('WeCom QR login on the web login page', () => {
  it('sends the browser to WeCom\'s Web login page and logs a bound member in after the scan', async () => {
    await saveWeb({ jitEnabled: false });
    const start = await env.t.call({ method: 'GET', url: '/api/auth/wecom/qr/start?next=/' });
    const url = new URL(String(start.headers.location));
    expect(`${url.origin}${url.pathname}`).toBe(`${env.sim.url}/wwlogin/sso/login`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ login_type: 'CorpApp', appid: 'ww0123456789abcdef', agentid: String(AGENT_ID), redirect_uri: `${ORIGIN}/api/auth/wecom/callback`, lang: 'zh' });

    const html = await (await fetch(url)).text();
    lastKey = /data-key="([0-9a-f]+)"/.exec(html)![1]!;
    const pending = cookieFrom(start.headers, 'shulan_wecom_login')!;
    env.sim.controls.scanQrLogin({ userid: 'lisi', key: lastKey });
    const status = (await (await fetch(`${env.sim.url}/wwlogin/sso/status?key=${lastKey}`)).json()) as { location: string };
    const cb = new URL(status.location);
    const res = await env.t.call({ method: 'GET', url: `${cb.pathname}${cb.search}`, headers: { cookie: `shulan_wecom_login=${pending}` } });
    expect(res.headers.location).toBe('/');
    expect(await userSession(res.headers)).toMatchObject({ username: 'h5viewer', via: 'wecom', client: 'web' });
  });

  it('a refusal on the phone comes back without a code', async () => {
    const start = await env.t.call({ method: 'GET', url: '/api/auth/wecom/qr/start' });
    const html = await (await fetch(String(start.headers.location))).text();
    const key = /data-key="([0-9a-f]+)"/.exec(html)![1]!;
    env.sim.controls.scanQrLogin({ userid: 'lisi', key, confirm: false });
    const status = (await (await fetch(`${env.sim.url}/wwlogin/sso/status?key=${key}`)).json()) as { location: string };
    const cb = new URL(status.location);
    const res = await env.t.call({ method: 'GET', url: `${cb.pathname}${cb.search}`, headers: { cookie: `shulan_wecom_login=${cookieFrom(start.headers, 'shulan_wecom_login')}` } });
    expect(res.headers.location).toBe('/login?loginError=wecom_denied');
  });
});

describe('switching WeCom web login off', () => {
  it('ends the web sessions it opened; password sessions stay', async () => {
    await saveWeb({ jitEnabled: false });
    const res = await h5Login('lisi');
    const token = cookieFrom(res.headers, 'shulan_session')!;
    const me = () => env.t.call({ method: 'GET', url: '/api/auth/me', headers: { cookie: `shulan_session=${token}` } });
    expect((await me()).status).toBe(200);
    await saveWeb({ enabled: false });
    expect((await me()).status).toBe(401);
    expect((await env.t.call({ method: 'GET', url: '/api/auth/me', headers: env.admin.headers })).status).toBe(200);
    const audit = await env.t.deps.db.selectFrom('audit_log').select('detail_json').where('action', '=', 'wecom.web_login_settings_changed').orderBy('at', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail_json ?? '{}')).toMatchObject({ enabled: false, wecomSessionsEnded: expect.any(Number) });
    expect(audit.detail_json).not.toContain(OTHER_APP_SECRET);
  });
});
