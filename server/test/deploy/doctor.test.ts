import { execFile } from 'node:child_process';
import dns from 'node:dns';
import fs from 'node:fs';
import type { LookupFunction } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DOCTOR_CHECKS, type DoctorCheckId } from '@shulan/shared';
import { startSimulator, type Simulator } from '@shulan/wecom-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorOptions } from '../../src/doctor/DoctorContext.js';
import { runDoctor, type DoctorResult } from '../../src/doctor/runDoctor.js';
import { generateNginxConfig } from '../../src/publicGate/nginxConfig.js';
import { createReviewer } from '../../src/reviewer/reviewerService.js';
import { startScheduler } from '../../src/wecom/sync/scheduleSync.js';
import { APP_ID, CORP_ID, MP_SECRET, testCorp } from '../../src/wecom/testing/wecomTestEnv.js';
import { createTestApp, type TestApp } from '../testApp.js';
import { TEST_DB } from '../testDb.js';
import { freePort, startNginx, type NginxProcess } from './nginxProcess.js';
import { makePastCertificate, makeTestPki, type TestPki } from './testPki.js';

/**
 * `shulan doctor` against real deployments: nginx with TLS in front of a running Shulan whose
 * WeCom integration talks to the simulator. One nginx per situation: all green, an expired
 * certificate, the gate off, the gate built for another AppID, the verification files not passed
 * through; plus a failed scheduled sync. Each case must fail exactly the checks it is about.
 */

const NAME = 'bi.shulan.test';
const OTHER_APPID = 'wx99ff88ee77dd66cc';
const BIN = path.resolve(import.meta.dirname, '../../bin/shulan.mjs');
const VERIFICATION_NAME = 'WW_verify_doctor0123.txt';
const VERIFICATION_BYTES = Buffer.from('\uFEFFdoctor-验证\r\n', 'utf8');

/** The made-up name resolves to loopback; everything else as usual. */
const lookup: LookupFunction = (host, options, callback) => {
  if (host !== NAME) return dns.lookup(host, options, callback);
  if (options.all) (callback as (e: null, a: dns.LookupAddress[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
};

let tmp: string;
let pki: TestPki;
let sim: Simulator;
let t: TestApp;
let upstream: string;
let closedPort: number;
const sites: Record<'green' | 'expired' | 'gateOff' | 'wrongAppId' | 'noFiles' | 'noUpgrade', { https: number; http?: number; nginx?: NginxProcess }> = {
  green: { https: 0 },
  noUpgrade: { https: 0 },
  expired: { https: 0 },
  gateOff: { https: 0 },
  wrongAppId: { https: 0 },
  noFiles: { https: 0 },
};

/** A Shulan behind TLS with no gate at all: what a hand-written "proxy everything" looks like. */
function ungatedConfig(httpsPort: number): string {
  return `server {
    listen 127.0.0.1:${httpsPort} ssl;
    server_name ${NAME};
    ssl_certificate ${pki.certFile};
    ssl_certificate_key ${pki.keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_pass http://${upstream};
    }
}
`;
}

async function startSite(name: keyof typeof sites, conf: (httpsPort: number, httpPort: number) => string, withHttp = false): Promise<void> {
  const site = sites[name];
  site.https = await freePort();
  if (withHttp) site.http = await freePort();
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  site.nginx = await startNginx(dir, conf(site.https, site.http ?? 0), [site.https, ...(site.http ? [site.http] : [])]);
}

const generated = (over: { appId?: string; cert?: string; httpPort?: number }) => (httpsPort: number) =>
  generateNginxConfig({
    domain: NAME,
    appId: over.appId ?? APP_ID,
    cert: over.cert ?? pki.certFile,
    key: pki.keyFile,
    upstream,
    httpsListen: `127.0.0.1:${httpsPort}`,
    ...(over.httpPort ? { httpListen: `127.0.0.1:${over.httpPort}` } : { httpRedirect: false }),
  });

function doctor(name: keyof typeof sites, over: Partial<DoctorOptions> = {}): Promise<DoctorResult> {
  const site = sites[name];
  return runDoctor(t.deps, {
    url: `https://${NAME}:${site.https}`,
    ca: pki.caPem,
    lookup,
    httpPort: site.http ?? closedPort,
    closedPorts: [closedPort],
    timeoutMs: 3000,
    ...over,
  });
}

/** id → status of every check that is not ok. */
const notOk = (r: DoctorResult) => Object.fromEntries(r.checks.filter((c) => c.status !== 'ok').map((c) => [c.id, c.status]));
const check = (r: DoctorResult, id: DoctorCheckId) => r.checks.find((c) => c.id === id)!;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-doctor-'));
  // Longer than the 30 days the expiry check looks ahead.
  pki = makeTestPki(tmp, NAME, { days: 90 });
  const expiredCert = makePastCertificate(tmp, '20200101000000Z', '20200201000000Z');

  sim = await startSimulator({ corp: testCorp() });
  // The CLI case runs doctor in another process, so the database must be one it can open.
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);
  t = await createTestApp({
    wecomApiBase: sim.url,
    dataDir,
    ...(TEST_DB === 'sqlite' ? { database: { kind: 'sqlite' as const, file: path.join(dataDir, 'shulan.sqlite') } } : {}),
  });
  upstream = `127.0.0.1:${new URL(await t.app.listen({ host: '127.0.0.1', port: 0 })).port}`;
  closedPort = await freePort();

  const admin = await t.user('admin');
  const settings = await t.call({ method: 'PUT', url: '/api/settings/wecom', headers: admin.headers, body: { enabled: true, corpId: CORP_ID, appId: APP_ID, secret: MP_SECRET } });
  expect(settings.status).toBe(200);
  const form = new FormData();
  form.append('file', new Blob([VERIFICATION_BYTES]), VERIFICATION_NAME);
  expect((await fetch(`http://${upstream}/api/settings/wecom/verification-files`, { method: 'POST', headers: admin.headers, body: form })).status).toBe(200);
  await createReviewer(t.deps, { actorId: admin.id, via: 'admin' });
  const scheduler = await startScheduler(t.deps);
  try {
    await scheduler.fire();
  } finally {
    scheduler.stop();
  }

  await Promise.all([
    startSite('green', (https, http) => generated({ httpPort: http })(https), true),
    startSite('expired', generated({ cert: expiredCert })),
    startSite('gateOff', ungatedConfig),
    startSite('wrongAppId', generated({ appId: OTHER_APPID })),
    // A proxy that forgets the WebSocket headers: Shulan sees a plain GET of /api/live.
    startSite('noUpgrade', (https) => {
      const conf = generated({})(https);
      const withoutUpgrade = conf.replace(/^\s*proxy_set_header (Upgrade|Connection) .*\n/gm, '');
      expect(withoutUpgrade).not.toBe(conf);
      return withoutUpgrade;
    }),
    // An nginx that never passes /<name>.txt to Shulan: the gate's catch-all answers 403.
    startSite('noFiles', (https) => {
      const conf = generated({})(https);
      const withoutFiles = conf.replace(/\n {4}# Domain verification files[^\n]*\n {4}location ~ "[^"]+" \{[^}]*\}[^}]*\}\n/, '\n');
      expect(withoutFiles).not.toBe(conf);
      return withoutFiles;
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(sites).map((s) => s.nginx?.stop()));
  await t?.close();
  await sim?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('shulan doctor', () => {
  it('all green: the generated nginx, a valid certificate, WeCom reachable, synced at 02:00, reviewer ready', async () => {
    const r = await doctor('green');
    expect(notOk(r)).toEqual({});
    expect(r.ok).toBe(true);
    // The 13 single-server checks plus Redis and the instances (both ✓ on one instance without Redis).
    expect(r.checks.map((c) => c.id)).toHaveLength(15);
    expect(check(r, 'redis').status).toBe('ok');
    expect(check(r, 'instances').status).toBe('ok');
    expect(check(r, 'tls_certificate').detail.en).toContain('Shulan throwaway test CA');
    expect(check(r, 'ports').detail.en).toMatch(/redirects to https/);
    expect(check(r, 'verification_files').detail.en).toContain(VERIFICATION_NAME);
    expect(check(r, 'reviewer').detail.en).toMatch(/^wx-reviewer-\w+ sees only "示例报表"/);
    expect(check(r, 'wecom_sync').detail.en).toContain('5 members');
  });

  it('without --ca the private CA is not trusted, as WeChat would not trust it; nothing else changes', async () => {
    const r = await doctor('green', { ca: null });
    expect(notOk(r)).toEqual({ tls_certificate: 'fail' });
    expect(check(r, 'tls_certificate').detail.en).toContain('"Shulan throwaway test CA", a self-made CA nobody else trusts (SELF_SIGNED_CERT_IN_CHAIN)');
    expect(check(r, 'tls_certificate').fix?.en).toContain('public CA');
  });

  it('expired certificate: ✗ with the date and how to renew', async () => {
    const r = await doctor('expired');
    expect(notOk(r)).toEqual({ tls_expiry: 'fail', tls_certificate: 'skip' });
    expect(check(r, 'tls_expiry').detail).toEqual({ zh: '证书已于 2020-02-01 过期', en: 'The certificate expired on 2020-02-01' });
    expect(check(r, 'tls_expiry').fix?.zh).toContain('续期');
    expect(r.ok).toBe(false);
  });

  it('gate off: a desktop browser gets Shulan instead of 403', async () => {
    const r = await doctor('gateOff');
    expect(notOk(r)).toEqual({ browser_refused: 'fail' });
    expect(check(r, 'browser_refused').detail.en).toContain('/api/site → 200');
    expect(check(r, 'browser_refused').fix?.en).toContain('shulan deploy nginx');
  });

  it('wrong AppID: the gate admits another mini program, so ours and its socket are refused', async () => {
    const r = await doctor('wrongAppId');
    expect(notOk(r)).toEqual({ mini_program_admitted: 'fail', live_socket: 'fail' });
    expect(check(r, 'mini_program_admitted').detail.en).toContain(APP_ID);
    expect(check(r, 'mini_program_admitted').detail.en).toContain('→ 403');
    expect(check(r, 'mini_program_admitted').fix?.zh).toContain('重新生成');
  });

  it('a proxy that drops the Upgrade header: the socket request reaches Shulan as a plain GET', async () => {
    const r = await doctor('noUpgrade');
    expect(notOk(r)).toEqual({ live_socket: 'fail' });
    expect(check(r, 'live_socket').detail.en).toContain('the proxy dropped the Upgrade header');
  });

  it('missing verification file: the stored file does not come back from the public domain', async () => {
    const r = await doctor('noFiles');
    expect(notOk(r)).toEqual({ verification_files: 'fail' });
    expect(check(r, 'verification_files').detail.en).toBe(`${VERIFICATION_NAME} answers 403`);
  });

  it("Shulan's own port open on the public address and port 80 serving content are ✗", async () => {
    const [shulanPort, httpsPort] = [Number(upstream.split(':')[1]), sites.green.https];
    const r = await doctor('green', { closedPorts: [closedPort, shulanPort], httpPort: httpsPort });
    expect(notOk(r)).toEqual({ ports: 'fail' });
    expect(check(r, 'ports').detail.en).toContain(`these ports accept connections: ${shulanPort}`);
    expect(check(r, 'ports').detail.en).toContain(`plain HTTP on ${httpsPort} answers 400`);
  });

  it('after release the reviewer account must be gone', async () => {
    const r = await doctor('green', { released: true });
    expect(notOk(r)).toEqual({ reviewer: 'fail' });
    expect(check(r, 'reviewer').fix?.en).toContain('shulan reviewer remove');
  });

  it('the real CLI: a checklist in Chinese and English, exit 0 when nothing is ✗; --json and exit 1 when something is', async () => {
    const caFile = path.join(tmp, 'ca.pem');
    const green = await cli(['doctor', '--url', `https://${NAME}:${sites.green.https}`, '--ca', caFile, '--resolve', '127.0.0.1', '--http-port', String(sites.green.http), '--closed-ports', String(closedPort)]);
    expect(green.stderr).toBe('');
    expect(green.stdout).toContain('! 域名能解析 / The name resolves');
    expect(green.stdout).toContain('--resolve');
    expect(green.stdout).toContain(`${sites.green.http} redirects to https`);
    expect(green.stdout).toContain('✓ 证书有效期（30 天内不过期） / Certificate validity (not expiring within 30 days)');
    expect(green.stdout).toContain('✓ 微信审核测试账号：发布前存在，发布后删除 / Reviewer account: present before release, removed after');
    expect(green.stdout).toMatch(/14 ✓ {2}1 ! {2}0 ✗ {2}0 – {3}可以上线 \/ ready/);
    expect(green.status).toBe(0);

    const wrong = await cli(['doctor', '--url', `https://${NAME}:${sites.wrongAppId.https}`, '--ca', caFile, '--resolve', '127.0.0.1', '--http-port', String(closedPort), '--closed-ports', String(closedPort), '--released', '--json']);
    expect(wrong.status).toBe(1);
    const json = JSON.parse(wrong.stdout) as DoctorResult;
    expect(notOk(json)).toEqual({ dns: 'warn', mini_program_admitted: 'fail', live_socket: 'fail', reviewer: 'fail' });
    expect(check(json, 'live_socket').fix).toMatchObject({ zh: expect.stringContaining('shulan deploy nginx'), en: expect.stringContaining('shulan deploy nginx') });

    const help = await cli(['doctor', '--help']);
    expect(help.status).toBe(0);
    for (const id of DOCTOR_CHECKS) expect(help.stdout).toMatch(new RegExp(`^  ${id} +\\S`, 'm'));

    const bad = await cli(['doctor', '--url', 'http://bi.example.com']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--url');
  });

  it('the admin API runs the same checks from the server, in the caller’s language', async () => {
    const admin = await t.user('admin');
    // The server has no answer for the made-up name: the outside checks stop at DNS, the inside ones run.
    const res = await t.call({ method: 'POST', url: '/api/settings/doctor/run', headers: { ...admin.headers, 'accept-language': 'en' }, body: { url: `https://${NAME}:${sites.green.https}` } });
    expect(res.status).toBe(200);
    const statuses = Object.fromEntries(res.json.data.checks.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(statuses).toMatchObject({ dns: 'fail', tls_certificate: 'skip', live_socket: 'skip', wecom_integration: 'ok', wecom_sync: 'ok', reviewer: 'ok' });
    expect(res.json.data.checks[0]).toMatchObject({ title: 'The name resolves', fix: expect.stringContaining('A record') });
    const zh = await t.call({ method: 'POST', url: '/api/settings/doctor/run', headers: admin.headers, body: { url: `https://${NAME}`, released: true } });
    expect(zh.json.data.checks.find((c: { id: string }) => c.id === 'reviewer')).toMatchObject({ status: 'fail', title: '微信审核测试账号：发布前存在，发布后删除' });
    for (const url of ['https://10.0.0.5', 'http://bi.example.com', 'https://bi.example.com/path', 'https://bi.example.com:70000']) {
      const bad = await t.call({ method: 'POST', url: '/api/settings/doctor/run', headers: admin.headers, body: { url } });
      expect(bad.status, url).toBe(400);
      expect(bad.json.error.message, url).toMatch(/https|端口/);
    }
  });

  // Last: it leaves a failed scheduled run behind.
  it('failed sync: the last 02:00 sync failed, with WeCom’s reason', async () => {
    sim.controls.injectFault({ endpoint: 'department/list', kind: 'errcode', errcode: 60020 });
    const scheduler = await startScheduler(t.deps);
    try {
      await scheduler.fire();
    } finally {
      scheduler.stop();
    }
    const r = await doctor('green');
    expect(notOk(r)).toEqual({ wecom_sync: 'fail' });
    expect(check(r, 'wecom_sync').detail.zh).toMatch(/的定时同步失败：.*IP/);
    expect(check(r, 'wecom_sync').fix?.zh).toContain('立即同步');
  });
});

/** The CLI in a subprocess, asynchronously: Shulan and the simulator answer from this process meanwhile. */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  fs.writeFileSync(path.join(tmp, 'ca.pem'), pki.caPem);
  const db = t.deps.config.database;
  const env = {
    ...process.env,
    SHULAN_DATA_DIR: t.deps.config.dataDir,
    SHULAN_DATABASE_URL: db.kind === 'postgres' ? db.url : '',
    SHULAN_SECRET_KEY: t.deps.config.secretKey ?? '',
    SHULAN_LOG_LEVEL: 'silent',
    WECOM_API_BASE: sim.url,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ status: err ? ((err as { code?: unknown }).code as number | null) : 0, stdout, stderr });
    });
  });
}
