import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { publishTableChanged } from '../src/datasets/bumpDataVersion.js';
import { SOCKET_FORBIDDEN, SOCKET_SESSION_ENDED } from '../src/http/socketAuth.js';
import { SAMPLE_REPORT_NAME, SAMPLE_TABLE, seedSampleContent } from '../src/sample/seedSampleContent.js';
import { syncServiceFor } from '../src/wecom/sync/SyncService.js';
import { startWecomTestEnv, type WecomTestEnv } from '../src/wecom/testing/wecomTestEnv.js';
import { createTestApp, type TestApp } from './testApp.js';

// Real listening apps and real WebSocket clients: a socket must not outlive the right to receive.
let t: TestApp;
let env: WecomTestEnv | undefined;
let wsBase: string;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  if (env) await env.close();
  else await t?.close();
  env = undefined;
});

type Client = Awaited<ReturnType<typeof openSocket>>;

async function openSocket(path: string, headers: Record<string, string>) {
  const ws = new WebSocket(`${wsBase}${path}`, { headers });
  sockets.push(ws);
  const messages: { type?: string; status?: string; reportId?: string }[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d: Buffer) => {
    messages.push(JSON.parse(d.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
  await once(ws, 'open');
  const next = async (pred: (m: (typeof messages)[number]) => boolean) => {
    while (!messages.some(pred)) await new Promise<void>((r) => waiters.push(r));
    return messages.find(pred)!;
  };
  return { ws, messages, closed, next, send: (m: object) => ws.send(JSON.stringify(m)) };
}

async function liveApp() {
  t = await createTestApp();
  const admin = await t.user('admin');
  await seedSampleContent(t.deps, admin.id);
  const reportId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  wsBase = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
  const viewer = await t.user('viewer');
  const grant = (users: string[]) =>
    t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: admin.headers, body: { users, groups: [] } });
  expect((await grant([viewer.id])).status).toBe(200);
  const subscribed = async (headers: Record<string, string>): Promise<Client> => {
    const c = await openSocket('/api/live', headers);
    c.send({ subscribe: reportId });
    await c.next((m) => m.type === 'subscribed');
    return c;
  };
  const dataChanges = (c: Client) => c.messages.filter((m) => m.type === 'report.data_changed');
  const changeData = () => publishTableChanged(t.deps.db, t.deps.liveEvents, SAMPLE_TABLE);
  return { admin, viewer, reportId, grant, subscribed, dataChanges, changeData };
}

describe('live report sockets follow the session and the grant', () => {
  it('disabling the user closes the socket at once; no event arrives', async () => {
    const { admin, viewer, subscribed, dataChanges, changeData } = await liveApp();
    const c = await subscribed(viewer.headers);
    const res = await t.call({ method: 'PATCH', url: `/api/users/${viewer.id}`, headers: admin.headers, body: { status: 'disabled' } });
    expect(res.status).toBe(200);
    expect(await c.closed).toBe(SOCKET_SESSION_ENDED);
    await changeData();
    expect(dataChanges(c)).toEqual([]);
  });

  it('logging out closes the sockets of that session only', async () => {
    const { viewer, reportId, subscribed, dataChanges, changeData } = await liveApp();
    const other = await t.deps.sessions.open(viewer.id, 'password', 'api');
    const phone = await subscribed(viewer.headers);
    const tablet = await subscribed({ authorization: `Bearer ${other.token}` });
    expect((await t.call({ method: 'POST', url: '/api/auth/logout', headers: viewer.headers })).status).toBe(200);
    expect(await phone.closed).toBe(SOCKET_SESSION_ENDED);
    await changeData();
    expect(await tablet.next((m) => m.type === 'report.data_changed')).toEqual({ type: 'report.data_changed', reportId });
    expect(dataChanges(phone)).toEqual([]);
  });

  it('an admin ending all sessions of a user closes every socket of that user', async () => {
    const { admin, viewer, subscribed } = await liveApp();
    const c = await subscribed(viewer.headers);
    expect((await t.call({ method: 'POST', url: `/api/users/${viewer.id}/logout-all`, headers: admin.headers })).status).toBe(200);
    expect(await c.closed).toBe(SOCKET_SESSION_ENDED);
  });

  it('after the grant is revoked, the next data change is not delivered and subscribing again is refused', async () => {
    const { viewer, grant, subscribed, dataChanges, changeData, reportId } = await liveApp();
    const c = await subscribed(viewer.headers);
    await changeData();
    await c.next((m) => m.type === 'report.data_changed'); // delivered while granted
    expect((await grant([])).status).toBe(200);
    await changeData();
    // The socket handles events and messages in order, so this answer comes after the event's.
    c.send({ subscribe: reportId });
    expect((await c.next((m) => m.type === 'error')).type).toBe('error');
    expect(dataChanges(c)).toHaveLength(1);
  });
});

describe('the sync progress socket (admins only)', () => {
  it("closes a demoted admin's socket before sending it anything", async () => {
    env = await startWecomTestEnv();
    t = env.t;
    await env.configure();
    wsBase = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
    const other = await t.user('admin');
    const demoted = await openSocket('/api/wecom/sync/progress', other.headers);
    const watcher = await openSocket('/api/wecom/sync/progress', env.admin.headers);
    const res = await t.call({ method: 'PATCH', url: `/api/users/${other.id}`, headers: env.admin.headers, body: { role: 'viewer' } });
    expect(res.status).toBe(200);

    const started = await t.call({ method: 'POST', url: '/api/wecom/sync', headers: env.admin.headers });
    await syncServiceFor(t.deps).whenDone(started.json.data.runId);
    await watcher.next((m) => m.status === 'ok');
    expect(await demoted.closed).toBe(SOCKET_FORBIDDEN);
    expect(demoted.messages).toEqual([]);
  });

  it("ending the admin's session closes the socket", async () => {
    env = await startWecomTestEnv();
    t = env.t;
    wsBase = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
    const c = await openSocket('/api/wecom/sync/progress', env.admin.headers);
    expect((await t.call({ method: 'POST', url: '/api/auth/logout-all', headers: env.admin.headers })).status).toBe(200);
    expect(await c.closed).toBe(SOCKET_SESSION_ENDED);
  });
});

describe('live socket heartbeat', () => {
  it('answers {ping:true} with a pong (the mini program cannot send protocol pings) and keeps the subscription', async () => {
    const { viewer, reportId, subscribed, dataChanges, changeData } = await liveApp();
    const c = await subscribed(viewer.headers);
    c.send({ ping: true });
    await c.next((m) => m.type === 'pong');
    expect(c.messages.filter((m) => m.type === 'error')).toEqual([]);
    await changeData();
    await c.next((m) => m.type === 'report.data_changed');
    expect(dataChanges(c)).toEqual([{ type: 'report.data_changed', reportId }]);
  });
});
