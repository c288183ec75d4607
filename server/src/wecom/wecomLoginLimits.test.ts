import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_LIMITS, type WecomIntegrationOptions } from './WecomIntegration.js';
import { startWecomTestEnv, type WecomTestEnv } from './testing/wecomTestEnv.js';

// The public mini-program routes against the WeCom simulator, with the production limits unless
// a test says otherwise: strangers must not be able to spend the corp's WeCom quota.
let env: WecomTestEnv;
afterEach(async () => env?.close());

async function setup(integration: Partial<WecomIntegrationOptions> = {}): Promise<WecomTestEnv> {
  env = await startWecomTestEnv({ loginLimits: DEFAULT_LOGIN_LIMITS, ...integration });
  await env.configure();
  env.sim.controls.resetCallCounts();
  return env;
}

const JSCODE = 'miniprogram/jscode2session';
const wecomCalls = () => env.sim.controls.callCounts()[JSCODE] ?? 0;
const realCode = (userid: string) => env.sim.controls.issueLoginCode(userid).code;
const login = (code: string, ip = '203.0.113.10', lang = 'zh-CN') =>
  env.t.call({ method: 'POST', url: '/api/wecom/login', remoteAddress: ip, headers: { 'accept-language': lang }, body: { code } });
const bind = (ip: string) =>
  env.t.call({ method: 'POST', url: '/api/wecom/bind', remoteAddress: ip, body: { bindTicket: 'not-a-ticket', username: 'someone', password: 'guess' } });
const connectionTest = async () =>
  (await env.t.call({ method: 'POST', url: '/api/settings/wecom/test', headers: env.admin.headers, body: {} })).json.data.checks.find(
    (c: { check: string }) => c.check === 'rate_limit',
  );

describe('rate limits on the public WeCom login routes', () => {
  it('junk codes from one address get 429 after the per-address limit; WeCom sees no more, and a member elsewhere still logs in', async () => {
    await setup();
    // A corp quota small enough that the junk alone would exhaust it without our limit.
    env.sim.controls.setRateLimits({ corpPerMinute: 40 });
    const limit = DEFAULT_LOGIN_LIMITS.login.perIpPerMinute;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < limit + 15; i++) {
      last = await login(`junk-${i}`, '198.51.100.7');
      statuses.push(last.status);
    }
    expect(statuses.slice(0, limit)).toEqual(Array(limit).fill(401));
    expect(statuses.slice(limit)).toEqual(Array(15).fill(429));
    expect(last!.json.error.message).toMatch(/^请求过于频繁，请 (\d+ 秒|1 分钟)后再试$/);
    const retryAfter = Number(last!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(wecomCalls()).toBe(limit);

    const en = await login('junk-en', '198.51.100.7', 'en');
    expect(en.json.error.message).toMatch(/^Too many requests from your network; try again in (\d+ s|1 min)$/);

    const member = await login(realCode('lisi'), '198.51.100.8');
    expect(member.status).toBe(200);
    expect(member.json.data.status).toBe('needs_binding');
  });

  it('the total cap holds against many addresses', async () => {
    await setup({ loginLimits: { ...DEFAULT_LOGIN_LIMITS, login: { perIpPerMinute: 30, totalPerMinute: 5 } } });
    const statuses = [];
    for (let i = 1; i <= 7; i++) statuses.push((await login(`junk-${i}`, `192.0.2.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const refused = await login(realCode('lisi'), '192.0.2.99');
    expect(refused.status).toBe(429);
    expect(refused.json.error.message).toMatch(/^当前请求的人太多，请 (\d+ 秒|1 分钟)后再试$/);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(wecomCalls()).toBe(5);
  });

  it('binding is capped per address too', async () => {
    await setup();
    const limit = DEFAULT_LOGIN_LIMITS.bind.perIpPerMinute;
    const statuses = [];
    for (let i = 0; i <= limit; i++) statuses.push((await bind('198.51.100.20')).status);
    expect(statuses.slice(0, limit)).toEqual(Array(limit).fill(401));
    expect(statuses[limit]).toBe(429);
    expect((await bind('198.51.100.21')).status).toBe(401);
  });
});

describe('WeCom answers that a retry cannot fix', () => {
  it('an invalid code (40029) costs exactly one WeCom call', async () => {
    await setup();
    const res = await login('never-issued');
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain('请重新打开小程序');
    expect(wecomCalls()).toBe(1);
  });

  it('after a 45009 logins stop reaching WeCom until the pause is over, saying when to come back; the admin sees it', async () => {
    let now = Date.now();
    await setup({ now: () => now });
    expect(await connectionTest()).toMatchObject({ severity: 'ok' });
    env.sim.controls.resetCallCounts(); // the connection test probed jscode2session once

    env.sim.controls.injectFault({ endpoint: JSCODE, kind: 'errcode', errcode: 45009 });
    const first = await login(realCode('lisi'));
    expect(first.status).toBe(429);
    expect(first.json.error.message).toBe('企业微信接口调用过于频繁，请 1 分钟后再试');
    expect(first.headers['retry-after']).toBe('60');
    expect(wecomCalls()).toBe(1); // not retried

    now += 20_000;
    for (const userid of ['lisi', 'zhangsan', 'wangwu']) {
      const res = await login(realCode(userid));
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('40');
    }
    const en = await login(realCode('lisi'), undefined, 'en');
    expect(en.json.error.message).toBe('WeCom is being called too often; try again in 40 s');
    expect(wecomCalls()).toBe(1);

    const check = await connectionTest();
    expect(check.severity).toBe('error');
    expect(check.message).toContain('miniprogram/jscode2session');
    expect(check.message).toContain('45009');

    now += 41_000;
    const member = await login(realCode('lisi'));
    expect(member.status).toBe(200);
    expect(member.json.data.status).toBe('needs_binding');
    expect(wecomCalls()).toBe(2);
    expect(await connectionTest()).toMatchObject({ severity: 'ok' });
  });
});
