import http from 'node:http';
import { REVIEWER_USERNAME_PREFIX } from '@shulan/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { newId, nowIso } from '../lib/ids.js';
import { seedSampleContent } from '../sample/seedSampleContent.js';
import { APP_ID, startWecomTestEnv, type WecomTestEnv } from '../wecom/testing/wecomTestEnv.js';

/**
 * The reviewer kit (seed step 6): the account WeChat's reviewers use sees its one report and
 * nothing else, logs in through the public gate with a password, cannot bind WeCom, and leaves
 * nothing behind when removed.
 */

const MP_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50 MiniProgramEnv/iOS';
const fromMiniProgram = { referer: `https://servicewechat.com/${APP_ID}/0/page-frame.html`, 'user-agent': MP_UA };

let env: WecomTestEnv;
let adminHeaders: Record<string, string>;
let publicPort: number;
/** Someone else's things, which the reviewer must never see. */
const other = { reportId: '', datasetId: '', viewerId: '', viewerName: '', groupId: '', runId: '' };

interface Res {
  status: number;
  json: any;
  text: string;
}

/** A request to the SHULAN_PUBLIC_LISTEN listener (the public gate without TLS). */
function viaGate(method: string, pathname: string, headers: Record<string, string>, body?: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: publicPort, method, path: pathname, agent: false, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            // the gate's 403 page
          }
          resolve({ status: res.statusCode ?? 0, json, text });
        });
      },
    );
    req.once('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function loginThroughGate(username: string, password: string): Promise<Res> {
  return viaGate('POST', '/api/auth/login', fromMiniProgram, { username, password, mode: 'token' });
}

const createReviewer = () => env.t.call({ method: 'POST', url: '/api/settings/reviewer', headers: adminHeaders, body: { confirm: true } });

beforeAll(async () => {
  env = await startWecomTestEnv();
  await env.configure();
  adminHeaders = env.admin.headers;
  publicPort = (await env.t.app.listenPublic({ host: '127.0.0.1', port: 0 })).port;

  await seedSampleContent(env.t.deps, env.admin.id);
  other.reportId = (await env.t.deps.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  other.datasetId = (await env.t.deps.db.selectFrom('datasets').select('id').executeTakeFirstOrThrow()).id;
  const viewer = await env.t.user('viewer', 'other-viewer');
  other.viewerId = viewer.id;
  other.viewerName = viewer.username;
  const group = await env.t.call({ method: 'POST', url: '/api/groups', headers: adminHeaders, body: { name: '其他部门' } });
  other.groupId = group.json.data.id;
  expect((await env.t.call({ method: 'PUT', url: `/api/reports/${other.reportId}/grants`, headers: adminHeaders, body: { users: [viewer.id], groups: [other.groupId] } })).status).toBe(200);
  other.runId = newId();
  await env.t.deps.db
    .insertInto('wecom_sync_runs')
    .values({ id: other.runId, trigger: 'manual', started_at: nowIso(), finished_at: nowIso(), status: 'ok', counts_json: null, error_json: null, progress_json: null })
    .execute();
}, 60_000);
afterAll(async () => env?.close());

describe('reviewer kit', () => {
  let creds: { username: string; password: string; reportName: string };
  let reviewer: { id: string; token: string; reportId: string };

  it('creates one least-privilege account with a strong password, shown once', async () => {
    const res = await createReviewer();
    expect(res.status).toBe(200);
    creds = res.json.data;
    expect(creds.username).toMatch(new RegExp(`^${REVIEWER_USERNAME_PREFIX}[a-z0-9]{6}$`));
    expect(creds.password).toMatch(/^[A-Za-z2-9]{16}$/);
    expect(creds.reportName).toBe('示例报表');

    const status = await env.t.call({ method: 'GET', url: '/api/settings/reviewer', headers: adminHeaders });
    expect(status.json.data).toMatchObject({ released: false, account: { username: creds.username, reportName: '示例报表' } });
    expect(JSON.stringify(status.json)).not.toContain(creds.password);
    const user = await env.t.deps.db.selectFrom('users').selectAll().where('username', '=', creds.username).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'viewer', status: 'active' });
    expect(user.password_hash).not.toContain(creds.password);

    const grants = await env.t.deps.db.selectFrom('report_grants').selectAll().where('subject_id', '=', user.id).execute();
    expect(grants).toHaveLength(1);
    const report = await env.t.deps.db.selectFrom('reports').selectAll().where('id', '=', grants[0]!.report_id).executeTakeFirstOrThrow();
    expect(JSON.parse(report.definition_json).widgets.map((w: { kind: string }) => w.kind)).toEqual(['bar', 'table']);
    // Granted to the reviewer only.
    expect(await env.t.deps.db.selectFrom('report_grants').select('subject_id').where('report_id', '=', report.id).execute()).toEqual([{ subject_id: user.id }]);

    const audit = await env.t.call({ method: 'GET', url: '/api/audit?action=reviewer.create', headers: adminHeaders });
    expect(audit.json.data.items[0]).toMatchObject({ target: user.id, targetName: expect.stringContaining(creds.username), detail: { username: creds.username, by: 'admin' } });
    expect(JSON.stringify(audit.json)).not.toContain(creds.password);
  });

  it('creates only when asked in so many words', async () => {
    const res = await env.t.call({ method: 'POST', url: '/api/settings/reviewer', headers: adminHeaders, body: {} });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('confirm');
  });

  it('creating again says one exists and offers the reset, without a second account', async () => {
    const again = await createReviewer();
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain(creds.username);
    expect(again.json.error.message).toContain('重置');
    const reviewers = await env.t.deps.db.selectFrom('users').select('id').where('username', 'like', `${REVIEWER_USERNAME_PREFIX}%`).execute();
    expect(reviewers).toHaveLength(1);
  });

  it('logs in with the password through the public gate and sees its report: a bar chart and a table', async () => {
    expectForbidden(await viaGate('POST', '/api/auth/login', { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Chrome/131.0' }, { username: creds.username, password: creds.password, mode: 'token' }));

    const login = await loginThroughGate(creds.username, creds.password);
    expect(login.status).toBe(200);
    const h = { ...fromMiniProgram, authorization: `Bearer ${login.json.data.token}` };
    const list = await viaGate('GET', '/api/reports', h);
    expect(list.json.data.items.map((r: { name: string }) => r.name)).toEqual(['示例报表']);
    reviewer = { id: login.json.data.user.id, token: login.json.data.token, reportId: list.json.data.items[0].id };
    // The mini program opens this report straight after login (the reviewer sees it without searching).
    expect(login.json.data.startReportId).toBe(reviewer.reportId);
    // Nobody else is told about it: another account's login has no such field.
    const viewer = await env.t.user('viewer');
    const otherLogin = await env.t.call({ method: 'POST', url: '/api/auth/login', body: { username: viewer.username, password: viewer.password, mode: 'token' } });
    expect(otherLogin.status).toBe(200);
    expect(otherLogin.json.data).not.toHaveProperty('startReportId');

    const detail = await viaGate('GET', `/api/reports/${reviewer.reportId}`, h);
    expect(detail.status).toBe(200);
    const bar = await viaGate('POST', `/api/reports/${reviewer.reportId}/widgets/amount_by_region/data`, h, { filters: {} });
    expect(bar.status).toBe(200);
    expect(bar.json.data.rows).toHaveLength(5);
    expect(bar.json.data.rows[0]).toMatchObject({ 区域: '华东' });
    const table = await viaGate('POST', `/api/reports/${reviewer.reportId}/widgets/detail/data`, h, { filters: {} });
    expect(table.status).toBe(200);
    expect(table.json.data.rows.map((r: Record<string, unknown>) => r['区域'])).toEqual(['华东', '华南', '华北', '西南', '东北']);
  });

  it('every read route refuses the reviewer or returns only its own report and itself', async () => {
    const headers = { authorization: `Bearer ${reviewer.token}` };
    const ids: Record<string, string> = {
      userId: other.viewerId,
      groupId: other.groupId,
      runId: other.runId,
      table: 'sample_sales',
      widgetId: 'detail',
      filterId: 'region',
      name: 'WW_verify_x',
    };
    const answered: string[] = [];
    const leaks: string[] = [];
    for (const r of env.t.app.routeTable.filter((route) => route.method === 'GET' && route.access !== 'public')) {
      const targets = r.url.includes(':reportId') ? [reviewer.reportId, other.reportId] : [null];
      for (const reportId of targets) {
        const url = r.url
          .replace(':reportId', reportId ?? '')
          .replace(/:id\b/, r.url.startsWith('/api/datasets') ? other.datasetId : 'embedded')
          .replace(/:([A-Za-z]+)/g, (_, p: string) => ids[p] ?? 'no-such-id');
        const res = await env.t.app.inject({ method: 'GET', url, headers });
        const label = `GET ${r.url}${reportId === other.reportId ? ' (other report)' : ''}`;
        if (res.statusCode === 401 || res.statusCode === 403) continue;
        // The reviewer's report has no filters: a 404 for its filter values shows nothing.
        if (res.statusCode === 404 && reportId === reviewer.reportId) continue;
        answered.push(`${label} ${res.statusCode}`);
        for (const secret of [other.reportId, '销售概览', other.datasetId, other.viewerId, other.viewerName, other.groupId, '其他部门', env.admin.username]) {
          if (res.body.includes(secret)) leaks.push(`${label} shows ${secret}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(answered.sort()).toEqual(
      [
        'GET /api/auth/me 200',
        // Its own stars only, and only of reports it may see.
        'GET /api/favorites 200',
        'GET /api/mobile/me 200',
        'GET /api/reports 200',
        'GET /api/reports/:reportId 200',
        'GET /api/reports/:reportId/widgets/:widgetId/export.csv 200',
      ].sort(),
    );
  });

  it('cannot read widget data of another report, nor watch it on the live socket', async () => {
    const h = { ...fromMiniProgram, authorization: `Bearer ${reviewer.token}` };
    const res = await viaGate('POST', `/api/reports/${other.reportId}/widgets/order_count/data`, h, { filters: {} });
    expect(res.status).toBe(403);
    const ws = new WebSocket(`ws://127.0.0.1:${publicPort}/api/live`, { headers: h });
    const replies: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ subscribe: other.reportId })));
      ws.on('message', (data: Buffer) => {
        replies.push(JSON.parse(data.toString()));
        if (replies.length === 1) ws.send(JSON.stringify({ subscribe: reviewer.reportId }));
        else resolve();
      });
      ws.once('error', reject);
    });
    ws.close();
    expect(replies).toEqual([
      { type: 'error', message: 'cannot subscribe to this report' },
      { type: 'subscribed', reportId: reviewer.reportId },
    ]);
  });

  it('cannot be bound to a WeCom member, in the mini program or by an admin', async () => {
    const code = env.sim.controls.issueLoginCode('zhangsan').code;
    const first = await viaGate('POST', '/api/wecom/login', fromMiniProgram, { code });
    expect(first.json.data.status).toBe('needs_binding');
    const bind = await viaGate('POST', '/api/wecom/bind', fromMiniProgram, { bindTicket: first.json.data.bindTicket, username: creds.username, password: creds.password });
    expect(bind.status).toBe(403);
    expect(bind.json.error.message).toContain('微信审核测试账号');
    const manual = await env.t.call({ method: 'PUT', url: `/api/wecom/bindings/${reviewer.id}`, headers: adminHeaders, body: { wecomUserid: 'lisi' } });
    expect(manual.status).toBe(403);
    expect(await env.t.deps.db.selectFrom('wecom_bindings').selectAll().where('user_id', '=', reviewer.id).execute()).toEqual([]);
    const audit = await env.t.call({ method: 'GET', url: '/api/audit?action=wecom.bind_refused', headers: adminHeaders });
    expect(audit.json.data.items[0]).toMatchObject({ target: reviewer.id, detail: { reason: 'reviewer_account', wecomUserid: 'zhangsan' } });
  });

  it('a password reset gives a new password, ends its sessions and the old password stops working', async () => {
    const stale = await env.t.call({ method: 'POST', url: '/api/settings/reviewer/wx-reviewer-gone00/reset-password', headers: adminHeaders });
    expect(stale.status).toBe(404);
    const reset = await env.t.call({ method: 'POST', url: `/api/settings/reviewer/${creds.username}/reset-password`, headers: adminHeaders });
    expect(reset.status).toBe(200);
    expect(reset.json.data.username).toBe(creds.username);
    expect(reset.json.data.password).not.toBe(creds.password);
    expect((await viaGate('GET', '/api/auth/me', { ...fromMiniProgram, authorization: `Bearer ${reviewer.token}` })).status).toBe(401);
    expect((await loginThroughGate(creds.username, creds.password)).status).toBe(401);
    const login = await loginThroughGate(creds.username, reset.json.data.password);
    expect(login.status).toBe(200);
    creds = reset.json.data;
    reviewer.token = login.json.data.token;
  });

  it('remove deletes the account, its sessions, its report and its dataset, and nothing else', async () => {
    const datasetId = (JSON.parse((await env.t.deps.db.selectFrom('reports').select('definition_json').where('id', '=', reviewer.reportId).executeTakeFirstOrThrow()).definition_json) as { widgets: { datasetId: string }[] }).widgets[0]!.datasetId;
    // A failed login leaves a counter behind, which must go too.
    expect((await loginThroughGate(creds.username, 'wrong-password-1')).status).toBe(401);
    const before = await rowCounts();

    const removed = await env.t.call({ method: 'DELETE', url: `/api/settings/reviewer/${creds.username}`, headers: adminHeaders });
    expect(removed.status).toBe(200);
    expect(removed.json.data).toEqual({ username: creds.username, sessionsEnded: 1 });

    // Nothing in any table still names the account, its report or its dataset, except the audit log's history.
    const traces: string[] = [];
    for (const table of await tableNames()) {
      if (table === 'audit_log') continue;
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(env.t.deps.db);
      for (const row of rows.rows) {
        const text = JSON.stringify(row);
        for (const mark of [reviewer.id, reviewer.reportId, datasetId, creds.username]) if (text.includes(mark)) traces.push(`${table}: ${text.slice(0, 200)}`);
      }
    }
    expect(traces).toEqual([]);
    const after = await rowCounts();
    expect(after.users).toBe(before.users! - 1);
    expect(after.reports).toBe(before.reports! - 1);
    expect(after.datasets).toBe(before.datasets! - 1);
    expect(after.wecom_bindings).toBe(before.wecom_bindings);
    expect(after.audit_log).toBe(before.audit_log! + 1);

    expect((await viaGate('GET', '/api/auth/me', { ...fromMiniProgram, authorization: `Bearer ${reviewer.token}` })).status).toBe(401);
    expect((await loginThroughGate(creds.username, creds.password)).status).toBe(401);
    // The other report and its grants are untouched.
    expect((await env.t.call({ method: 'GET', url: `/api/reports/${other.reportId}/grants`, headers: adminHeaders })).json.data.users).toEqual([other.viewerId]);

    const audit = await env.t.call({ method: 'GET', url: '/api/audit?action=reviewer.remove', headers: adminHeaders });
    expect(audit.json.data.items[0]).toMatchObject({ target: reviewer.id, targetName: expect.stringContaining(creds.username), detail: { username: creds.username, by: 'admin' } });

    const status = await env.t.call({ method: 'GET', url: '/api/settings/reviewer', headers: adminHeaders });
    expect(status.json.data).toEqual({ account: null, released: true });
    const again = await env.t.call({ method: 'DELETE', url: `/api/settings/reviewer/${creds.username}`, headers: adminHeaders });
    expect(again.status).toBe(404);
  });

  it('can be created again for the next version, with a new name', async () => {
    const res = await createReviewer();
    expect(res.status).toBe(200);
    expect(res.json.data.username).not.toBe(creds.username);
    const status = await env.t.call({ method: 'GET', url: '/api/settings/reviewer', headers: adminHeaders });
    expect(status.json.data).toMatchObject({ released: false, account: { username: res.json.data.username } });
  });

  it('is for admins only', async () => {
    const editor = await env.t.user('editor');
    const { username } = (await env.t.call({ method: 'GET', url: '/api/settings/reviewer', headers: adminHeaders })).json.data.account;
    for (const [method, url] of [['GET', '/api/settings/reviewer'], ['POST', '/api/settings/reviewer'], ['POST', `/api/settings/reviewer/${username}/reset-password`], ['DELETE', `/api/settings/reviewer/${username}`]] as const) {
      expect((await env.t.call({ method, url, headers: editor.headers, ...(method === 'POST' ? { body: { confirm: true } } : {}) })).status, `${method} ${url}`).toBe(403);
    }
  });
});

function expectForbidden(res: Res): void {
  expect(res.status).toBe(403);
  expect(res.text).toContain('此地址仅供小程序使用');
}

async function tableNames(): Promise<string[]> {
  return (await env.t.deps.db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_'));
}

async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of await tableNames()) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(env.t.deps.db);
    out[name] = Number(r.rows[0]!.n);
  }
  return out;
}
