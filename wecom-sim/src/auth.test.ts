import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from './index.js';
import { call, secretOf, start, tokenFor } from './testHelpers.js';

let sim: Simulator;
let clock = 1_800_000_000_000;
beforeEach(async () => {
  clock = 1_800_000_000_000;
  sim = await start(undefined, { now: () => clock });
});
afterEach(async () => {
  await sim.close();
});

const gettoken = (corpid: string | undefined, secret: string | undefined) =>
  call(sim, `/cgi-bin/gettoken?${corpid !== undefined ? `corpid=${corpid}&` : ''}${secret !== undefined ? `corpsecret=${encodeURIComponent(secret)}` : ''}`);

describe('gettoken', () => {
  it('returns a token with expires_in 7200 and the same token until it expires', async () => {
    const a = await gettoken(sim.corp.corpid, secretOf(sim, 'miniprogram'));
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(typeof a.json.access_token).toBe('string');
    expect(String(a.json.access_token).length).toBeLessThanOrEqual(512);
    expect(a.headers.get('error-code')).toBe('0');

    clock += 3600_000;
    const b = await gettoken(sim.corp.corpid, secretOf(sim, 'miniprogram'));
    expect(b.json.access_token).toBe(a.json.access_token);
    expect(b.json.expires_in).toBe(3600);

    clock += 3600_000;
    const c = await gettoken(sim.corp.corpid, secretOf(sim, 'miniprogram'));
    expect(c.json.access_token).not.toBe(a.json.access_token);
    expect(c.json.expires_in).toBe(7200);
  });

  it('gives each secret its own token', async () => {
    expect(await tokenFor(sim, 'miniprogram')).not.toBe(await tokenFor(sim, 'contact_sync'));
  });

  it('answers the reference errcodes with WeCom-style errmsg and headers', async () => {
    const badCorp = await gettoken('ww0000000000000000', secretOf(sim, 'miniprogram'));
    expect(badCorp.status).toBe(200);
    expect(badCorp.json.errcode).toBe(40013);
    expect(badCorp.json.errmsg).toMatch(/^invalid corpid, hint: \[\d+_\d+_[0-9a-f]{32}\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=40013$/);
    expect(badCorp.headers.get('error-code')).toBe('40013');
    expect(badCorp.headers.get('error-msg')).toBe(badCorp.json.errmsg);

    expect((await gettoken(sim.corp.corpid, 'not-the-secret')).json).toMatchObject({ errcode: 40001, errmsg: expect.stringMatching(/^invalid credential, hint/) });
    expect((await gettoken(sim.corp.corpid, undefined)).json.errcode).toBe(41004);
    expect((await gettoken(undefined, secretOf(sim, 'miniprogram'))).json.errcode).toBe(41002);
    sim.corp.apps.find((a) => a.kind === 'self_built')!.enabled = false;
    expect((await gettoken(sim.corp.corpid, secretOf(sim, 'self_built'))).json.errcode).toBe(50003);
  });
});

describe('token checks on business calls', () => {
  it('41001 without a token, 40014 for an unknown one, 42001 once expired', async () => {
    expect((await call(sim, '/cgi-bin/department/simplelist')).json).toMatchObject({ errcode: 41001, errmsg: expect.stringMatching(/^access_token missing/) });
    expect((await call(sim, '/cgi-bin/department/simplelist?access_token=nope')).json).toMatchObject({ errcode: 40014, errmsg: expect.stringMatching(/^invalid access_token/) });

    const token = await tokenFor(sim, 'miniprogram');
    expect((await call(sim, `/cgi-bin/department/simplelist?access_token=${token}`)).json.errcode).toBe(0);
    clock += 7200_000;
    expect((await call(sim, `/cgi-bin/department/simplelist?access_token=${token}`)).json).toMatchObject({ errcode: 42001, errmsg: expect.stringMatching(/^access_token expired/) });
    expect(await tokenFor(sim, 'miniprogram')).not.toBe(token);
  });

  it('shortened TTL, expire and revoke controls', async () => {
    sim.controls.setTokenTtl(60);
    const t1 = await tokenFor(sim, 'miniprogram');
    sim.controls.advanceTime(61_000);
    expect((await call(sim, `/cgi-bin/department/simplelist?access_token=${t1}`)).json.errcode).toBe(42001);

    const t2 = await tokenFor(sim, 'miniprogram');
    expect(sim.controls.expireTokens('1000002')).toBe(1);
    expect((await call(sim, `/cgi-bin/department/simplelist?access_token=${t2}`)).json.errcode).toBe(42001);

    const t3 = await tokenFor(sim, 'miniprogram');
    const contact = await tokenFor(sim, 'contact_sync');
    const r = await call(sim, '/__sim/tokens/revoke', { body: { app: 'contact_sync' } });
    expect(r.json).toEqual({ revoked: 1 });
    expect((await call(sim, `/cgi-bin/department/simplelist?access_token=${contact}`)).json.errcode).toBe(40014);
    expect((await call(sim, `/cgi-bin/department/simplelist?access_token=${t3}`)).json.errcode).toBe(0);
  });

  it('60020 when the caller IP is not trusted, through the control API too', async () => {
    const token = await tokenFor(sim, 'miniprogram');
    const put = await call(sim, '/__sim/apps/1000002/trusted-ips', { method: 'PUT', body: { ips: ['10.1.2.3'] } });
    expect(put.status).toBe(200);
    const r = await call(sim, `/cgi-bin/department/simplelist?access_token=${token}`);
    expect(r.json).toMatchObject({ errcode: 60020, errmsg: expect.stringMatching(/^not allow to access from your ip, hint: .*from ip: 127\.0\.0\.1/) });
    sim.controls.setTrustedIps('1000002', ['127.0.0.1']);
    expect((await call(sim, `/cgi-bin/department/simplelist?access_token=${token}`)).json.errcode).toBe(0);
  });
});

describe('miniprogram/jscode2session', () => {
  const exchange = (token: string, code: string) => call(sim, `/cgi-bin/miniprogram/jscode2session?access_token=${token}&js_code=${encodeURIComponent(code)}&grant_type=authorization_code`);

  it('exchanges a wx.qy.login code once for corpid, userid and session_key', async () => {
    const token = await tokenFor(sim, 'miniprogram');
    const member = [...sim.corp.members.values()][0]!;
    const issued = await call(sim, '/__sim/login-code', { body: { userid: member.userid } });
    expect(issued.json).toMatchObject({ expires_in: 300 });
    const code = String(issued.json.code);

    const ok = await exchange(token, code);
    expect(ok.json).toMatchObject({ errcode: 0, errmsg: 'ok', corpid: sim.corp.corpid, userid: member.userid });
    expect(Buffer.from(String(ok.json.session_key), 'base64')).toHaveLength(16);
    expect(ok.json).not.toHaveProperty('openid');

    const again = await exchange(token, code);
    expect(again.json).toMatchObject({ errcode: 40029, errmsg: expect.stringMatching(/^invalid code, hint/) });
  });

  it('40029 after five minutes, and for made-up codes', async () => {
    const token = await tokenFor(sim, 'miniprogram');
    const { code } = sim.controls.issueLoginCode([...sim.corp.members.values()][1]!.userid);
    clock += 5 * 60_000 + 1;
    expect((await exchange(token, code)).json.errcode).toBe(40029);
    expect((await exchange(token, 'made-up')).json.errcode).toBe(40029);
  });

  it('48002 with another app token, and the code stays usable', async () => {
    const { code } = sim.controls.issueLoginCode([...sim.corp.members.values()][2]!.userid);
    const other = await tokenFor(sim, 'self_built');
    expect((await exchange(other, code)).json).toMatchObject({ errcode: 48002, errmsg: expect.stringMatching(/^api forbidden/) });
    expect((await exchange(await tokenFor(sim, 'contact_sync'), code)).json.errcode).toBe(48002);
    expect((await exchange(await tokenFor(sim, 'miniprogram'), code)).json.errcode).toBe(0);
  });

  it('refuses to issue a code for an unknown member', async () => {
    const r = await call(sim, '/__sim/login-code', { body: { userid: 'nobody-here' } });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/unknown member/);
  });
});
