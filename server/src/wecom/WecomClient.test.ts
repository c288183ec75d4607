import { startSimulator, type Simulator } from '@shulan/wecom-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CORP_ID, MP_SECRET, OTHER_APP_SECRET, testCorp } from './testing/wecomTestEnv.js';
import { WecomClient, type WecomClientOptions, type WecomLogger } from './WecomClient.js';
import { WecomBreaker } from './WecomBreaker.js';
import { WecomTokenCache } from './WecomTokenCache.js';
import { WecomError, WecomPausedError } from './wecomErrors.js';

// The client against the WeCom simulator over real HTTP; retries pause 1 ms so no test waits.
let sim: Simulator;
const logged: unknown[] = [];
const log: WecomLogger = { warn: (obj, m) => logged.push([obj, m]) };

beforeAll(async () => {
  sim = await startSimulator({ corp: testCorp() });
});
afterAll(async () => sim?.close());
afterEach(() => {
  sim.controls.clearFaults();
  sim.controls.resetCallCounts();
  sim.controls.setTrustedIps('数览小程序', []);
});

function client(over: Partial<WecomClientOptions> & { secret?: string; corpId?: string } = {}): WecomClient {
  const { secret = MP_SECRET, corpId = CORP_ID, ...opts } = over;
  return new WecomClient({ corpId, secret }, { baseUrl: sim.url, retryBaseMs: 1, timeoutMs: 2000, log, ...opts });
}

const calls = (endpoint: string) => sim.controls.callCounts()[endpoint] ?? 0;

async function failure(p: Promise<unknown>): Promise<WecomError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WecomError);
  return err as WecomError;
}

describe('access token', () => {
  it('is fetched once and reused, also by concurrent callers', async () => {
    const c = client();
    await Promise.all([c.listDepartments(), c.listDepartments(), c.listMembers(2), c.getMember('lisi')]);
    await c.listDepartments();
    expect(calls('gettoken')).toBe(1);
  });

  it('is shared by clients with the same credentials through one cache', async () => {
    const tokens = new WecomTokenCache();
    await client({ tokens }).listDepartments();
    await client({ tokens }).listDepartments();
    expect(calls('gettoken')).toBe(1);
  });

  it('is refetched and the call retried once after WeCom revokes it (40014) or expires it (42001)', async () => {
    const c = client();
    await c.listDepartments();
    sim.controls.revokeTokens();
    expect((await c.listDepartments()).length).toBe(3);
    sim.controls.expireTokens();
    expect((await c.listMembers(2)).map((m) => m.userid).sort()).toEqual(['lisi', 'zhangsan']);
    expect(calls('gettoken')).toBe(3);
  });

  it('retries a token error only once, then reports it', async () => {
    const c = client();
    await c.listDepartments();
    sim.controls.injectFault({ endpoint: 'department/list', kind: 'errcode', errcode: 42001, times: 2 });
    const e = await failure(c.listDepartments());
    expect(e.errcode).toBe(42001);
    expect(calls('department/list')).toBe(3);
  });

  it('is refreshed before expires_in runs out', async () => {
    let now = 1_000_000;
    const tokens = new WecomTokenCache(() => now);
    sim.controls.setTokenTtl(100);
    sim.controls.expireTokens(); // the next gettoken issues a 100-second token
    try {
      const c = client({ tokens });
      await c.listDepartments();
      now += 70_000; // 70 s of 100: still comfortably valid
      await c.listDepartments();
      expect(calls('gettoken')).toBe(1);
      now += 10_000; // 80 s: inside the last quarter, refreshed early without a failed call first
      await c.listDepartments();
      expect(calls('gettoken')).toBe(2);
      expect(calls('department/list')).toBe(3);
    } finally {
      sim.controls.setTokenTtl(7200);
    }
  });
});

describe('retries', () => {
  it.each([
    ['system busy -1', { kind: 'errcode', errcode: -1 }],
    ['HTTP 502', { kind: 'http5xx', status: 502 }],
    ['truncated JSON', { kind: 'truncated' }],
  ] as const)('retries after %s and then succeeds', async (_name, fault) => {
    const c = client();
    sim.controls.injectFault({ endpoint: 'department/list', times: 2, ...fault });
    expect((await c.listDepartments()).length).toBe(3);
    expect(calls('department/list')).toBe(3);
  });

  it('retries a request that timed out', async () => {
    const c = client({ timeoutMs: 300 });
    await c.listDepartments();
    sim.controls.injectFault({ endpoint: 'user/list', kind: 'timeout' });
    expect((await c.listMembers(3)).length).toBe(4);
    expect(calls('user/list')).toBe(2);
  });

  it('gives up after the bound with a translated error', async () => {
    const c = client({ maxAttempts: 3 });
    await c.listDepartments();
    sim.controls.injectFault({ endpoint: 'department/list', kind: 'errcode', errcode: -1, times: 10 });
    const e = await failure(c.listDepartments());
    expect(calls('department/list')).toBe(4); // the warm-up call plus 3 attempts
    expect(e.errcode).toBe(-1);
    expect(e.status).toBe(502);
    expect(e.msg.zh).toContain('繁忙');
    expect(e.msg.en).toContain('busy');
  });

  it('gives up on repeated HTTP 5xx and timeouts with advice about the network', async () => {
    const c = client({ maxAttempts: 2, timeoutMs: 200 });
    await c.listDepartments();
    sim.controls.injectFault({ endpoint: 'user/list', kind: 'http5xx', status: 503, times: 5 });
    const http = await failure(c.listMembers(2));
    expect(http.failure).toBe('http');
    expect(http.msg.en).toContain('HTTP 503');
    sim.controls.clearFaults();
    sim.controls.injectFault({ endpoint: 'user/get', kind: 'timeout', times: 5 });
    const timeout = await failure(c.getMember('lisi'));
    expect(timeout.failure).toBe('timeout');
    expect(timeout.msg.zh).toContain('超时');
  });

  it('does not repeat a login code exchange that may have reached WeCom (the code would be spent)', async () => {
    const c = client({ timeoutMs: 200 });
    await c.listDepartments();
    const { code } = sim.controls.issueLoginCode('lisi');
    sim.controls.injectFault({ endpoint: 'miniprogram/jscode2session', kind: 'timeout' });
    const e = await failure(c.code2Session(code));
    expect(e.failure).toBe('timeout');
    expect(calls('miniprogram/jscode2session')).toBe(1);
  });
});

describe('frequency limits (45009, 45033): a circuit breaker instead of retries', () => {
  it('45009 is not retried; the API stays paused for every client sharing the breaker, other APIs are not, until the minute is over', async () => {
    let now = 1_000_000;
    const breaker = new WecomBreaker(() => now);
    const c = client({ breaker });
    await c.listDepartments();
    sim.controls.injectFault({ endpoint: 'user/list', kind: 'errcode', errcode: 45009 });
    const first = await failure(c.listMembers(2));
    expect(first).toBeInstanceOf(WecomPausedError);
    expect(first.errcode).toBe(45009);
    expect(first.msg.zh).toContain('企业微信接口调用过于频繁');
    expect(calls('user/list')).toBe(1);

    now += 59_000;
    const again = await failure(client({ breaker }).listMembers(3));
    expect((again as WecomPausedError).retryAfter).toBe(1);
    expect(calls('user/list')).toBe(1); // refused here, WeCom never asked
    expect((await c.listDepartments()).length).toBe(3);
    expect(breaker.active(CORP_ID).map((p) => p.path)).toEqual(['user/list']);

    now += 1_000;
    expect((await c.listMembers(2)).length).toBe(2);
    expect(calls('user/list')).toBe(2);
    expect(breaker.active(CORP_ID)).toEqual([]);
  });

  it('45033 (too many concurrent calls) pauses for 10 s', async () => {
    let now = 1_000_000;
    const c = client({ breaker: new WecomBreaker(() => now) });
    await c.listDepartments();
    sim.controls.injectFault({ endpoint: 'user/get', kind: 'errcode', errcode: 45033 });
    const e = await failure(c.getMember('lisi'));
    expect((e as WecomPausedError).retryAfter).toBe(10);
    now += 10_000;
    expect((await c.getMember('lisi')).userid).toBe('lisi');
    expect(calls('user/get')).toBe(2);
  });

  it('a paused gettoken stops every API of that corp', async () => {
    let now = 1_000_000;
    const c = client({ breaker: new WecomBreaker(() => now) });
    sim.controls.injectFault({ endpoint: 'gettoken', kind: 'errcode', errcode: 45009 });
    await failure(c.listDepartments());
    await failure(c.getMember('lisi'));
    expect(calls('gettoken')).toBe(1);
    expect(calls('user/get')).toBe(0);
    now += 60_000;
    expect((await c.getMember('lisi')).userid).toBe('lisi');
  });
});

describe('errcodes translated into what the admin must do', () => {
  it('wrong Secret → 40001, wrong Corp ID → 40013', async () => {
    const secret = await failure(client({ secret: 'not-the-right-secret-0123' }).listDepartments());
    expect(secret.errcode).toBe(40001);
    expect(secret.msg.zh).toContain('Secret 不正确');
    const corp = await failure(client({ corpId: 'ww00000000000000ff' }).listDepartments());
    expect(corp.errcode).toBe(40013);
    expect(corp.msg.zh).toContain('我的企业');
  });

  it('untrusted caller IP → 60020 with where to add the IP', async () => {
    sim.controls.setTrustedIps('数览小程序', ['203.0.113.7']);
    const e = await failure(client().listDepartments());
    expect(e.errcode).toBe(60020);
    expect(e.msg.zh).toContain('企业可信IP');
    expect(e.msg.zh).toContain('127.0.0.1'); // the "from ip" WeCom reported
    expect(e.msg.en).toContain('Trusted IPs');
  });

  it('a Secret of another app exchanging a login code → 48002 explained', async () => {
    const { code } = sim.controls.issueLoginCode('lisi');
    const e = await failure(client({ secret: OTHER_APP_SECRET }).code2Session(code));
    expect(e.errcode).toBe(48002);
    expect(e.msg.zh).toContain('Secret 不是在企业微信中关联的小程序的 Secret');
  });

  it('a login code works once; a replay → 40029', async () => {
    const c = client();
    const { code } = sim.controls.issueLoginCode('zhangsan');
    const session = await c.code2Session(code);
    expect(session).toMatchObject({ corpid: CORP_ID, userid: 'zhangsan' });
    const e = await failure(c.code2Session(code));
    expect(e.errcode).toBe(40029);
    expect(e.msg.zh).toContain('只能使用一次');
  });

  it('member lookups: unknown userid, by mobile, and mobiles withheld from apps created after 2022-06-20', async () => {
    const c = client();
    const unknown = await failure(c.getMember('nobody'));
    expect(unknown.errcode).toBe(60111);
    expect(await c.getUseridByMobile('13800000002')).toBe('lisi');
    const m = await c.getMember('zhangsan');
    expect(m).toMatchObject({ userid: 'zhangsan', name: '张三', department: [2, 3], status: 1 });
    expect(m.mobile ?? '').toBe('');
    const old = await client({ secret: OTHER_APP_SECRET }).getMember('zhangsan');
    expect(old.mobile).toBe('13800000001');
  });
});

describe('logging', () => {
  it('logs the path and errcode, never the secret or the token', async () => {
    logged.length = 0;
    const c = client();
    await c.listDepartments();
    const token = await c.accessToken();
    sim.controls.injectFault({ endpoint: 'department/list', kind: 'errcode', errcode: -1 });
    sim.controls.revokeTokens();
    await c.listDepartments();
    sim.controls.injectFault({ endpoint: 'user/get', kind: 'errcode', errcode: 45009 });
    await failure(c.getMember('lisi'));
    await failure(client({ secret: 'wrong-secret-for-logging' }).listDepartments());
    const text = JSON.stringify(logged);
    expect(logged.length).toBeGreaterThan(0);
    expect(text).toContain('department/list');
    expect(text).toContain('"errcode":-1');
    expect(logged).toContainEqual([expect.objectContaining({ wecomPath: 'user/get', errcode: 45009, pausedUntil: expect.any(String) }), 'wecom frequency limit: calls to this API paused']);
    for (const secret of [MP_SECRET, 'wrong-secret-for-logging', token, 'access_token=']) expect(text).not.toContain(secret);
  });
});
