import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { publishTableChanged } from '../datasets/bumpDataVersion.js';
import { SAMPLE_REPORT_NAME, SAMPLE_TABLE, seedSampleContent } from '../sample/seedSampleContent.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
});
afterAll(async () => t?.close());

describe('mobile settings', () => {
  it('the watermark is on by default, an admin can switch it off, and /api/site tells the mini program', async () => {
    expect((await t.call({ method: 'GET', url: '/api/site' })).json.data.watermark).toBe(true);
    expect((await t.call({ method: 'GET', url: '/api/settings/mobile', headers: admin.headers })).json.data).toEqual({ watermark: true, orgName: '' });
    const put = await t.call({ method: 'PUT', url: '/api/settings/mobile', headers: admin.headers, body: { watermark: false, orgName: '' } });
    expect(put.status).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/site' })).json.data.watermark).toBe(false);
    const bad = await t.call({ method: 'PUT', url: '/api/settings/mobile', headers: admin.headers, body: { watermark: 'no' } });
    expect(bad.status).toBe(400);
    await t.call({ method: 'PUT', url: '/api/settings/mobile', headers: admin.headers, body: { watermark: true, orgName: '' } });
  });

  it('the company name: empty until an admin sets it, then on /api/site for the first page of the mini program', async () => {
    expect((await t.call({ method: 'GET', url: '/api/site' })).json.data.orgName).toBe('');
    const put = await t.call({ method: 'PUT', url: '/api/settings/mobile', headers: admin.headers, body: { watermark: true, orgName: '  示例科技有限公司 ' } });
    expect(put.status).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/site' })).json.data.orgName).toBe('示例科技有限公司');
    expect((await t.call({ method: 'GET', url: '/api/settings/mobile', headers: admin.headers })).json.data).toEqual({ watermark: true, orgName: '示例科技有限公司' });
    const long = await t.call({ method: 'PUT', url: '/api/settings/mobile', headers: admin.headers, body: { watermark: true, orgName: 'x'.repeat(61) } });
    expect(long.status).toBe(400);
    expect(long.json.error.message).toContain('60');
    await t.call({ method: 'PUT', url: '/api/settings/mobile', headers: admin.headers, body: { watermark: true, orgName: '' } });
  });

  it('"me" shows the user and no WeCom match yet', async () => {
    const viewer = await t.user('viewer');
    const res = await t.call({ method: 'GET', url: '/api/mobile/me', headers: viewer.headers });
    expect(res.json.data).toMatchObject({ user: { id: viewer.id }, wecomUserid: null });
  });
});

describe('mini program package download', () => {
  it('asks for the AppID first, then returns a zip with that AppID and the baked domain', async () => {
    const none = await t.call({ method: 'GET', url: '/api/settings/miniprogram/package', headers: admin.headers });
    expect(none.status).toBe(400);
    expect(none.json.error.message).toContain('AppID');
    await t.call({ method: 'PUT', url: '/api/settings/wecom', headers: admin.headers, body: { enabled: false, corpId: null, appId: 'wx00112233445566aa' } });
    const http = await t.call({ method: 'GET', url: '/api/settings/miniprogram/package?domain=http://bi.example.com', headers: admin.headers });
    expect(http.status).toBe(400);
    expect(http.json.error.message).toContain('https');
    const res = await t.app.inject({ method: 'GET', url: '/api/settings/miniprogram/package?domain=https://bi.example.com', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    expect(JSON.parse(Buffer.from(files['project.config.json']!).toString()).appid).toBe('wx00112233445566aa');
    expect(Buffer.from(files['miniprogram/config.js']!).toString()).toContain('https://bi.example.com');
    expect(files['miniprogram/app.json']).toBeDefined();
  });

  it('without ?domain bakes the https address the admin reached the server by, so the package skips the domain page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/settings/miniprogram/package', headers: { ...admin.headers, host: 'bi.corp.example:8443' } });
    expect(res.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    expect(Buffer.from(files['miniprogram/config.js']!).toString()).toContain('BAKED_DOMAIN = "https://bi.corp.example:8443"');
  });
});

describe('live report updates (GET /api/live)', () => {
  it('refuses a socket without a session, and pushes data changes only for visible, subscribed reports', async () => {
    await seedSampleContent(t.deps, admin.id);
    const reportId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
    expect((await t.call({ method: 'GET', url: '/api/live' })).status).toBe(401);

    const open = async (headers: Record<string, string>) => {
      const ws = await t.app.injectWS('/api/live', { headers });
      const messages: any[] = [];
      const waiters: (() => void)[] = [];
      ws.on('message', (d: Buffer) => {
        messages.push(JSON.parse(d.toString()));
        waiters.splice(0).forEach((w) => w());
      });
      const next = async (pred: (m: any) => boolean) => {
        while (!messages.some(pred)) await new Promise<void>((r) => waiters.push(r));
        return messages.find(pred);
      };
      return { ws, messages, next };
    };

    const stranger = await open((await t.user('viewer')).headers);
    stranger.ws.send(JSON.stringify({ subscribe: reportId }));
    expect((await stranger.next((m) => m.type === 'error')).type).toBe('error');

    const reader = await open(admin.headers);
    reader.ws.send(JSON.stringify({ subscribe: reportId }));
    await reader.next((m) => m.type === 'subscribed');
    await publishTableChanged(t.deps.db, t.deps.liveEvents, SAMPLE_TABLE);
    expect(await reader.next((m) => m.type === 'report.data_changed')).toEqual({ type: 'report.data_changed', reportId });
    expect(stranger.messages.some((m) => m.type === 'report.data_changed')).toBe(false);
    reader.ws.terminate();
    stranger.ws.terminate();
  });
});
