import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBinding } from '../src/wecom/bindingRepo.js';
import { createCliTestApp, type CliTestApp } from './cliTestApp.js';
import type { TestApp } from './testApp.js';

let app: CliTestApp;
let t: TestApp;
beforeAll(async () => {
  app = await createCliTestApp('shulan-cli-reset-');
  t = app.t;
});
afterAll(async () => app?.close());

const cli = (args: string[]) => app.cli(args);

const login = (username: string, password: string) =>
  t.call({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.30.0.1', body: { username, password, mode: 'token' } });

describe('shulan admin reset-password', () => {
  it('lifts the login lock, ends WeCom sessions and removes a binding made at first login', async () => {
    const u = await t.user('admin');
    await t.deps.db.transaction().execute((trx) => insertBinding(trx, { userId: u.id, wecomUserid: 'cli-member', source: 'first_login', matchedBy: u.id }));
    const wecom = await t.deps.sessions.open(u.id, 'wecom', 'api');
    for (let i = 0; i < 10; i++) await login(u.username, 'wrong');
    expect((await login(u.username, u.password)).status).toBe(429);

    const r = cli(['admin', 'reset-password', u.username, '--password', 'cli-reset-password-1']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);

    expect((await login(u.username, 'cli-reset-password-1')).status).toBe(200);
    expect(await t.deps.sessions.authenticate(wecom.token)).toBeNull();
    expect(await t.deps.db.selectFrom('wecom_bindings').selectAll().where('user_id', '=', u.id).execute()).toEqual([]);
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('target', '=', u.id).where('action', 'in', ['user.password_reset', 'wecom.binding_removed']).execute();
    expect(audit.map((a) => [a.action, a.actor_id, JSON.parse(a.detail_json ?? '{}').by ?? JSON.parse(a.detail_json ?? '{}').reason]).sort()).toEqual([
      ['user.password_reset', null, 'cli'],
      ['wecom.binding_removed', null, 'password_reset'],
    ]);
  });

  it('keeps a match an admin made', async () => {
    const u = await t.user('viewer');
    const admin = await t.user('admin');
    await t.deps.db.transaction().execute((trx) => insertBinding(trx, { userId: u.id, wecomUserid: 'cli-matched', source: 'mobile', matchedBy: admin.id }));
    expect(cli(['admin', 'reset-password', u.username, '--password', 'cli-reset-password-2']).status).toBe(0);
    expect(await t.deps.db.selectFrom('wecom_bindings').select('wecom_userid').where('user_id', '=', u.id).execute()).toEqual([{ wecom_userid: 'cli-matched' }]);
  });
});
