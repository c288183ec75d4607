import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { generateNginxConfig } from '../../src/publicGate/nginxConfig.js';
import { seedSampleContent } from '../../src/sample/seedSampleContent.js';
import { createTestApp, type TestApp } from '../testApp.js';
import { freePort, startNginx, type NginxProcess } from './nginxProcess.js';
import { makeTestPki, type TestPki } from './testPki.js';

/**
 * The public-domain gate, for real: a listening Shulan, a throwaway CA, and nginx running the
 * configuration `shulan deploy nginx` generates, spoken to over TLS (HTTP/1.1, HTTP/2, WebSocket).
 * The same cases run against Shulan's own SHULAN_PUBLIC_LISTEN listener (without TLS).
 */

const NAME = 'bi.shulan.test';
const APPID = 'wx00aa11bb22cc33dd';
const OTHER_APPID = 'wx99ff88ee77dd66cc';
const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
// Captured shape of a mini program inside WeCom (wecom-api.md § 6).
const MP_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 MiniProgramEnv/android';
const referer = (appId: string, n: string) => `https://servicewechat.com/${appId}/${n}/page-frame.html`;
const fromMiniProgram = (n = '3', appId = APPID) => ({ referer: referer(appId, n), 'user-agent': MP_UA });
// WeCom's official callback vectors (wecom-api.md § 5.4): a URL verification as WeCom sends it.
const CALLBACK = { corpId: 'ww1436e0e65a779aee', token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', aesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt' };
const CALLBACK_VERIFY =
  '/api/wecom/callback?msg_signature=012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb&timestamp=1476416373&nonce=47744683&echostr=' +
  encodeURIComponent('fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==');
const VERIFICATION_NAME = `WW_verify_${Math.random().toString(36).slice(2, 12)}.txt`;
// BOM, CRLF, Chinese, no final newline: any re-encoding on the way shows.
const VERIFICATION_BYTES = Buffer.from('\uFEFFshulan-验证-Zx81\r\nsecond line', 'utf8');

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: any;
}

interface Side {
  request(method: string, pathname: string, opts?: { headers?: Record<string, string>; body?: unknown }): Promise<Res>;
  socket(headers: Record<string, string>): WebSocket;
}

function collect(req: http.ClientRequest, body: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        const buf = Buffer.concat(chunks);
        const text = buf.toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON (the 403 page, a verification file)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text, json });
      });
    });
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const jsonHeaders = (body: unknown): Record<string, string> => (body === undefined ? {} : { 'content-type': 'application/json' });

let t: TestApp;
let tmp: string;
let pki: TestPki;
let nginx: NginxProcess;
let shulanPort: number;
const ports = { https: 0, http: 0, intranet: 0, publicListener: 0 };
let viewer: Awaited<ReturnType<TestApp['user']>>;
let admin: Awaited<ReturnType<TestApp['user']>>;
let reportId: string;

const throughNginx: Side = {
  request(method, pathname, { headers = {}, body } = {}) {
    const req = https.request({
      host: '127.0.0.1',
      port: ports.https,
      servername: NAME,
      ca: pki.caPem,
      method,
      path: pathname,
      headers: { host: NAME, ...jsonHeaders(body), ...headers },
      agent: false,
    });
    return collect(req, body);
  },
  socket(headers) {
    // ws hands TLS options such as servername (SNI) to https.request; its types do not list them.
    const options: WebSocket.ClientOptions & { servername: string } = { headers: { host: NAME, ...headers }, ca: pki.caPem, servername: NAME };
    return new WebSocket(`wss://127.0.0.1:${ports.https}/api/live`, options);
  },
};

const throughListener: Side = {
  request(method, pathname, { headers = {}, body } = {}) {
    const req = http.request({ host: '127.0.0.1', port: ports.publicListener, method, path: pathname, headers: { ...jsonHeaders(body), ...headers }, agent: false });
    return collect(req, body);
  },
  socket: (headers) => new WebSocket(`ws://127.0.0.1:${ports.publicListener}/api/live`, { headers }),
};

/** Shulan's main listener (intranet side), for the admin set-up. */
async function main(method: string, pathname: string, headers: Record<string, string>, body?: unknown): Promise<Res> {
  const req = http.request({ host: '127.0.0.1', port: shulanPort, method, path: pathname, headers: { ...jsonHeaders(body), ...headers }, agent: false });
  return collect(req, body);
}

async function saveAppId(appId: string): Promise<void> {
  const res = await main('PUT', '/api/settings/wecom', admin.headers, { enabled: false, corpId: CALLBACK.corpId, appId, callbackToken: CALLBACK.token, callbackAesKey: CALLBACK.aesKey });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-gate-'));
  pki = makeTestPki(tmp, NAME);

  t = await createTestApp({ trustedProxies: ['loopback'] });
  shulanPort = Number(new URL(await t.app.listen({ host: '127.0.0.1', port: 0 })).port);
  ports.publicListener = (await t.app.listenPublic({ host: '127.0.0.1', port: 0 })).port;

  admin = await t.user('admin');
  viewer = await t.user('viewer');
  await seedSampleContent(t.deps, admin.id);
  reportId = (await t.deps.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  await saveAppId(APPID);

  // The verification file and the grant go in through the admin API, as an administrator would.
  const form = new FormData();
  form.append('file', new Blob([VERIFICATION_BYTES]), VERIFICATION_NAME);
  const upload = await fetch(`http://127.0.0.1:${shulanPort}/api/settings/wecom/verification-files`, { method: 'POST', headers: admin.headers, body: form });
  expect(upload.status).toBe(200);
  expect((await main('PUT', `/api/reports/${reportId}/grants`, admin.headers, { users: [viewer.id], groups: [] })).status).toBe(200);

  ports.https = await freePort();
  ports.http = await freePort();
  ports.intranet = await freePort();
  const conf = generateNginxConfig({
    domain: NAME,
    appId: APPID,
    cert: pki.certFile,
    key: pki.keyFile,
    upstream: `127.0.0.1:${shulanPort}`,
    httpsListen: `127.0.0.1:${ports.https}`,
    httpListen: `127.0.0.1:${ports.http}`,
    intranetListen: `127.0.0.1:${ports.intranet}`,
  });
  nginx = await startNginx(tmp, conf, [ports.https, ports.http, ports.intranet]);
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function expectForbiddenPage(res: Res, what: string): void {
  expect(res.status, what).toBe(403);
  expect(res.headers['content-type'], what).toMatch(/^text\/html/);
  expect(res.text, what).toContain('此地址仅供小程序使用');
  expect(res.text, what).toContain('This address is for the mini program only.');
}

async function login(side: Side): Promise<string> {
  const res = await side.request('POST', '/api/auth/login', { headers: fromMiniProgram(), body: { username: viewer.username, password: viewer.password, mode: 'token' } });
  expect(res.status).toBe(200);
  return res.json.data.token as string;
}

/** Resolves with the first message after open, or rejects with the refusal's status code. */
function socketReply(ws: WebSocket, send: object): Promise<any> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify(send)));
    ws.once('message', (data: Buffer) => {
      resolve(JSON.parse(data.toString()));
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

function gateCases(name: string, side: () => Side) {
  describe(`public gate: ${name}`, () => {
    it('refuses a desktop browser with the Chinese “mini program only” page, on every path', async () => {
      for (const p of ['/', '/index.html', '/login', '/api/site', '/api/reports', '/assets/index.js', '/favicon.ico']) {
        expectForbiddenPage(await side().request('GET', p, { headers: { 'user-agent': BROWSER_UA, accept: 'text/html' } }), p);
      }
      expectForbiddenPage(await side().request('POST', '/api/auth/login', { body: { username: viewer.username, password: viewer.password } }), 'login without Referer');
    });

    it('admits the mini program with our AppID: login, reports, widget data, filter values, me, logout', async () => {
      const site = await side().request('GET', '/api/site', { headers: fromMiniProgram() });
      expect(site.status).toBe(200);
      expect(site.json.data.name).toContain('数览');

      const token = await login(side());
      const h = { ...fromMiniProgram(), authorization: `Bearer ${token}` };
      const list = await side().request('GET', '/api/reports?q=%E9%94%80%E5%94%AE', { headers: h });
      expect(list.status).toBe(200);
      expect(list.json.data.items.map((r: { id: string }) => r.id)).toEqual([reportId]);
      const detail = await side().request('GET', `/api/reports/${reportId}`, { headers: h });
      expect(detail.status).toBe(200);
      expect(detail.json.data.name).toBe('销售概览');
      const kpi = await side().request('POST', `/api/reports/${reportId}/widgets/order_count/data`, { headers: h, body: { filters: {} } });
      expect(kpi.status).toBe(200);
      expect(kpi.json.data.rows[0].count).toBeGreaterThan(0);
      const values = await side().request('GET', `/api/reports/${reportId}/filters/region/values`, { headers: h });
      expect(values.status).toBe(200);
      expect(values.json.data.values).toHaveLength(5);
      expect((await side().request('GET', '/api/auth/me', { headers: h })).json.data.username).toBe(viewer.username);
      expect((await side().request('GET', '/api/mobile/me', { headers: h })).status).toBe(200);
      expect((await side().request('POST', '/api/auth/logout', { headers: h })).status).toBe(200);
      expect((await side().request('GET', '/api/auth/me', { headers: h })).status).toBe(401);
    });

    it('admits develop/trial/review builds (0), releases (n) and WeChat DevTools', async () => {
      for (const n of ['0', '1', '183', 'devtools']) {
        expect((await side().request('GET', '/api/site', { headers: fromMiniProgram(n) })).status, n).toBe(200);
      }
    });

    it('refuses another AppID and anything that only resembles our Referer', async () => {
      const near = [
        referer(OTHER_APPID, '3'),
        referer(APPID, '01'),
        referer(APPID, 'x'),
        `http://servicewechat.com/${APPID}/3/page-frame.html`,
        `https://servicewechat.com.evil.example/${APPID}/3/page-frame.html`,
        `https://evil.example/servicewechat.com/${APPID}/3/page-frame.html`,
        `${referer(APPID, '3')}?x=1`,
        `https://servicewechat.com/${APPID}/3/page-frame.htmlx`,
      ];
      for (const r of near) expectForbiddenPage(await side().request('GET', '/api/site', { headers: { referer: r, 'user-agent': MP_UA } }), r);
    });

    it('keeps what the Referer cannot: a forged Referer passes the gate, never the session check', async () => {
      const res = await side().request('GET', '/api/reports', { headers: { referer: referer(APPID, '3'), 'user-agent': BROWSER_UA } });
      expect(res.status).toBe(401);
    });

    it('upgrades the live socket with the Referer and refuses it without', async () => {
      const token = await login(side());
      const auth = { authorization: `Bearer ${token}` };
      expect(await socketReply(side().socket({ ...fromMiniProgram(), ...auth }), { subscribe: reportId })).toEqual({ type: 'subscribed', reportId });
      await expect(socketReply(side().socket({ ...auth, 'user-agent': BROWSER_UA }), { subscribe: reportId })).rejects.toMatchObject({ status: 403 });
      await expect(socketReply(side().socket({ ...auth, ...fromMiniProgram('3', OTHER_APPID) }), { subscribe: reportId })).rejects.toMatchObject({ status: 403 });
    });

    it('serves the verification file byte for byte to anyone, and only by GET', async () => {
      const anyone: Record<string, string>[] = [{}, { 'user-agent': BROWSER_UA }, { 'user-agent': 'Mozilla/5.0 (compatible; Baiduspider/2.0)' }];
      for (const headers of anyone) {
        const res = await side().request('GET', `/${VERIFICATION_NAME}`, { headers });
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expect(res.body.equals(VERIFICATION_BYTES)).toBe(true);
      }
      expect((await side().request('GET', '/WW_verify_missing0000.txt')).status).toBe(404);
      expectForbiddenPage(await side().request('DELETE', `/${VERIFICATION_NAME}`), 'DELETE');
      expectForbiddenPage(await side().request('GET', `/files/${VERIFICATION_NAME}`), 'not at the root');
    });

    it("lets WeCom's callback through without a Referer (signed requests only), by GET and POST only", async () => {
      const res = await side().request('GET', CALLBACK_VERIFY, { headers: { 'user-agent': 'Mozilla/4.0' } });
      expect(res.status).toBe(200);
      expect(res.text).toBe('1288432023552776189');
      // Past the gate, a request without a valid signature is Shulan's refusal, not the gate's page.
      const forged = await side().request('GET', CALLBACK_VERIFY.replace('012bc6', '000000'));
      expect(forged.status).toBe(403);
      expect(forged.text).not.toContain('此地址仅供小程序使用');
      expectForbiddenPage(await side().request('PUT', '/api/wecom/callback', { body: {} }), 'PUT callback');
    });

    it('never reaches the web UI or the admin API, even with our Referer and an admin token', async () => {
      const h = { ...fromMiniProgram(), authorization: admin.headers.authorization! };
      const refused: [string, string][] = [
        ['GET', '/api/openapi.json'],
        ['GET', '/api/users/options'],
        ['GET', '/api/personnel'],
        ['GET', '/api/settings/wecom'],
        ['GET', '/api/settings/wecom/verification-files'],
        ['GET', '/api/settings/mobile'],
        ['GET', '/api/audit'],
        ['GET', '/api/datasources'],
        ['GET', '/api/wecom/sync/runs'],
        ['POST', '/api/auth/password'],
        ['POST', '/api/auth/logout-all'],
        ['POST', '/api/reports'],
        ['PUT', `/api/reports/${reportId}`],
        ['DELETE', `/api/reports/${reportId}`],
        ['GET', `/api/reports/${reportId}/grants`],
        ['GET', `/api/reports/${reportId}/widgets/detail/export.csv`],
        ['GET', '/api/wecom/sync/progress'],
        ['GET', '/'],
        // Paths that an upstream could read differently from the gate.
        ['GET', '/api/site/../settings/wecom'],
        ['GET', '/api/reports/x/../../settings/wecom'],
        ['GET', '/api/reports/%2e%2e/settings'],
        ['GET', '/api//settings/wecom'],
        ['GET', '/API/settings/wecom'],
        ['GET', '/api/site/'],
      ];
      for (const [method, p] of refused) {
        const res = await side().request(method, p, { headers: h, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
        expectForbiddenPage(res, `${method} ${p}`);
        expect(res.text, `${method} ${p}`).not.toContain('"data"');
      }
    });
  });
}

gateCases('nginx with TLS', () => throughNginx);
gateCases('SHULAN_PUBLIC_LISTEN', () => throughListener);

describe('nginx transport', () => {
  it('speaks HTTP/2 with HSTS, on the test certificate', async () => {
    const session = http2.connect(`https://127.0.0.1:${ports.https}`, { ca: pki.caPem, servername: NAME });
    try {
      const res = await new Promise<{ status: number; hsts: unknown; body: string }>((resolve, reject) => {
        const req = session.request({ ':path': '/api/site', ':authority': NAME, ...fromMiniProgram() });
        let status = 0;
        let hsts: unknown;
        let body = '';
        req.on('response', (h) => {
          status = Number(h[':status']);
          hsts = h['strict-transport-security'];
        });
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => resolve({ status, hsts, body }));
        req.on('error', reject);
        req.end();
      });
      expect(session.alpnProtocol).toBe('h2');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).data.name).toContain('数览');
      expect(res.hsts).toMatch(/max-age=\d{7,}/);
    } finally {
      session.close();
    }
    const refused = await throughNginx.request('GET', '/');
    expect(refused.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  });

  it('accepts TLS 1.2 and 1.3 and refuses TLS 1.1', async () => {
    const handshake = (v: tls.SecureVersion) =>
      new Promise<string>((resolve, reject) => {
        // SECLEVEL=0 so that it is nginx, not this client, that turns TLS 1.1 down.
        const s = tls.connect({ host: '127.0.0.1', port: ports.https, servername: NAME, ca: pki.caPem, minVersion: v, maxVersion: v, ciphers: 'DEFAULT@SECLEVEL=0' });
        s.once('secureConnect', () => {
          resolve(s.getProtocol() ?? '');
          s.destroy();
        });
        s.once('error', reject);
      });
    expect(await handshake('TLSv1.2')).toBe('TLSv1.2');
    expect(await handshake('TLSv1.3')).toBe('TLSv1.3');
    await expect(handshake('TLSv1.1')).rejects.toThrow();
  });

  it('answers plain HTTP on the TLS port with an error, never with Shulan content', async () => {
    for (const p of ['/api/site', `/${VERIFICATION_NAME}`, '/api/openapi.json']) {
      const req = http.request({ host: '127.0.0.1', port: ports.https, path: p, headers: { host: NAME, ...fromMiniProgram() }, agent: false });
      const res = await collect(req, undefined);
      expect(res.status, p).toBe(400);
      expect(res.text, p).not.toMatch(/数览|"data"|shulan-验证|openapi/);
    }
  });

  it('port 80 only redirects to https, whatever is asked', async () => {
    for (const p of ['/', '/api/site', `/${VERIFICATION_NAME}`, '/api/openapi.json']) {
      const req = http.request({ host: '127.0.0.1', port: ports.http, path: p, headers: { host: NAME, ...fromMiniProgram() }, agent: false });
      const res = await collect(req, undefined);
      expect(res.status, p).toBe(301);
      expect(res.headers.location, p).toBe(`https://${NAME}:${ports.https}${p}`);
      expect(res.text, p).not.toMatch(/数览|"data"|shulan-验证|openapi/);
    }
  });

  it('the intranet server block serves the web API and the admin API', async () => {
    const openapi = await fetch(`http://127.0.0.1:${ports.intranet}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    const users = await fetch(`http://127.0.0.1:${ports.intranet}/api/settings/wecom`, { headers: admin.headers });
    expect(users.status).toBe(200);
    expect(((await users.json()) as { data: { appId: string } }).data.appId).toBe(APPID);
  });

  it('logged nothing worse than a refusal', () => {
    expect(nginx.errorLog()).not.toMatch(/\[(emerg|alert|crit)\]/);
  });
});

describe('SHULAN_PUBLIC_LISTEN', () => {
  it('reads the AppID at each request: a saved change applies at once', async () => {
    await saveAppId(OTHER_APPID);
    try {
      expectForbiddenPage(await throughListener.request('GET', '/api/site', { headers: fromMiniProgram('3', APPID) }), 'old AppID');
      expect((await throughListener.request('GET', '/api/site', { headers: fromMiniProgram('3', OTHER_APPID) })).status).toBe(200);
    } finally {
      await saveAppId(APPID);
    }
  });

  it('admits nothing but verification files while no AppID is saved', async () => {
    await main('PUT', '/api/settings/wecom', admin.headers, { enabled: false, corpId: null, appId: null });
    try {
      expectForbiddenPage(await throughListener.request('GET', '/api/site', { headers: fromMiniProgram() }), 'no AppID');
      expect((await throughListener.request('GET', `/${VERIFICATION_NAME}`)).status).toBe(200);
    } finally {
      await saveAppId(APPID);
    }
  });

  it('leaves the main listener alone: the web app and admin API stay there', async () => {
    expect((await main('GET', '/api/openapi.json', {})).status).toBe(200);
    expect((await main('GET', '/api/settings/wecom', admin.headers)).status).toBe(200);
  });
});
