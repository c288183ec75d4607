import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from './index.js';
import { call, start, tokenFor } from './testHelpers.js';

let sim: Simulator;
let token: string;
beforeEach(async () => {
  sim = await start(undefined, { trustProxy: true });
  token = await tokenFor(sim, 'contact_sync');
});
afterEach(async () => {
  await sim.close();
});

const list = (headers: Record<string, string> = {}) => call(sim, `/cgi-bin/department/simplelist?access_token=${token}`, { headers });

describe('injected faults', () => {
  it('answers a given errcode on the Nth call only', async () => {
    const r = await call(sim, '/__sim/faults', { body: { endpoint: 'department/simplelist', kind: 'errcode', errcode: 45009, nth: 2 } });
    expect(r.json.id).toEqual(expect.any(Number));
    expect((await list()).json.errcode).toBe(0);
    const second = await list();
    expect(second.json).toMatchObject({ errcode: 45009, errmsg: expect.stringMatching(/^api freq out of limit, hint/) });
    expect(second.headers.get('error-code')).toBe('45009');
    expect((await list()).json.errcode).toBe(0);
  });

  it('-1 system busy for several calls, then normal', async () => {
    sim.controls.injectFault({ endpoint: '*', kind: 'errcode', errcode: -1, times: 2 });
    expect((await list()).json).toMatchObject({ errcode: -1, errmsg: expect.stringMatching(/^system busy/) });
    expect((await call(sim, `/cgi-bin/user/get?access_token=${token}&userid=x`)).json.errcode).toBe(-1);
    expect((await list()).json.errcode).toBe(0);
  });

  it('HTTP 5xx with an HTML body', async () => {
    sim.controls.injectFault({ endpoint: 'department/simplelist', kind: 'http5xx', status: 503 });
    const r = await list();
    expect(r.status).toBe(503);
    expect(r.text).toContain('<html>');
  });

  it('truncated JSON', async () => {
    sim.controls.injectFault({ endpoint: 'department/simplelist', kind: 'truncated' });
    const r = await list();
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text)).toThrow();
    expect(r.text.startsWith('{"errcode":0')).toBe(true);
  });

  it('latency delays the answer', async () => {
    sim.controls.injectFault({ endpoint: 'department/simplelist', kind: 'latency', latencyMs: 150 });
    const t0 = performance.now();
    const r = await list();
    expect(r.json.errcode).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('timeout never answers; the client gives up', async () => {
    sim.controls.injectFault({ endpoint: 'department/simplelist', kind: 'timeout' });
    await expect(fetch(`${sim.url}/cgi-bin/department/simplelist?access_token=${token}`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect((await list()).json.errcode).toBe(0);
  });

  it('counts calls per endpoint, faulted and rejected ones included', async () => {
    sim.controls.injectFault({ endpoint: 'department/simplelist', kind: 'http5xx' });
    await list();
    await list();
    await call(sim, '/cgi-bin/user/get?access_token=bad&userid=x');
    const counts = await call(sim, '/__sim/calls');
    expect(counts.json).toEqual({ gettoken: 1, 'department/simplelist': 2, 'user/get': 1 });
    await call(sim, '/__sim/calls', { method: 'DELETE' });
    expect(sim.controls.callCounts()).toEqual({});
  });

  it('rejects a malformed fault spec with 400', async () => {
    const r = await call(sim, '/__sim/faults', { body: { endpoint: 'user/get', kind: 'explode' } });
    expect(r.status).toBe(400);
    expect((await call(sim, '/__sim/faults', { body: { endpoint: 'user/get', kind: 'errcode' } })).status).toBe(400);
  });
});

describe('frequency limits', () => {
  it('45009 after the per-corp minute limit, back after 60 s', async () => {
    sim.controls.setRateLimits({ corpPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      expect((await list()).json.errcode).toBe(0);
    }
    expect((await list()).json.errcode).toBe(45009);
    // Other APIs have their own counters.
    expect((await call(sim, `/cgi-bin/department/list?access_token=${token}`)).json.errcode).toBe(0);
    sim.controls.advanceTime(60_000);
    expect((await list()).json.errcode).toBe(0);
  });

  it('per-IP limits count each caller IP separately', async () => {
    sim.controls.setRateLimits({ ipPerHour: 2 });
    const a = { 'x-forwarded-for': '10.0.0.1' };
    const b = { 'x-forwarded-for': '10.0.0.2' };
    expect((await list(a)).json.errcode).toBe(0);
    expect((await list(a)).json.errcode).toBe(0);
    expect((await list(a)).json.errcode).toBe(45009);
    expect((await list(b)).json.errcode).toBe(0);
    expect((await list(a)).json.errmsg).toMatch(/from ip: 10\.0\.0\.1,/);
    sim.controls.advanceTime(3600_000);
    expect((await list(a)).json.errcode).toBe(0);
  });

  it('trusted IPs follow the forwarded caller IP', async () => {
    sim.controls.setTrustedIps('contact_sync', ['10.0.0.9']);
    expect((await list({ 'x-forwarded-for': '10.0.0.9' })).json.errcode).toBe(0);
    expect((await list({ 'x-forwarded-for': '10.0.0.8' })).json.errcode).toBe(60020);
  });
});
