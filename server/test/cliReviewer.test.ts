import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliTestApp, type CliTestApp } from './cliTestApp.js';
import type { TestApp } from './testApp.js';

let app: CliTestApp;
let t: TestApp;
beforeAll(async () => {
  app = await createCliTestApp('shulan-cli-reviewer-');
  t = app.t;
});
afterAll(async () => app?.close());

const cli = (args: string[]) => app.cli(args);

const credentials = (stdout: string) => ({
  username: /Test account:\s+(\S+)/.exec(stdout)?.[1] ?? '',
  password: /Test password:\s+(\S+)/.exec(stdout)?.[1] ?? '',
});

const login = (username: string, password: string) => t.call({ method: 'POST', url: '/api/auth/login', body: { username, password, mode: 'token' } });

describe('shulan reviewer', () => {
  it('create prints the credentials once with where to paste them; they log in to a viewer that sees one report', async () => {
    const r = cli(['reviewer', 'create']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('提交审核');
    expect(r.stdout).toContain('shulan reviewer remove');
    const c = credentials(r.stdout);
    expect(c.username).toMatch(/^wx-reviewer-[a-z0-9]{6}$/);
    const res = await login(c.username, c.password);
    expect(res.status).toBe(200);
    expect(res.json.data.user.role).toBe('viewer');
    const list = await t.call({ method: 'GET', url: '/api/reports', headers: { authorization: `Bearer ${res.json.data.token}` } });
    expect(list.json.data.items.map((i: { name: string }) => i.name)).toEqual(['示例报表']);
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'reviewer.create').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBeNull();
    expect(JSON.parse(audit.detail_json!)).toEqual({ username: c.username, by: 'cli' });
  });

  it('create again says one exists and how to reset its password, and creates nothing', async () => {
    const before = await t.deps.db.selectFrom('users').select('id').execute();
    const r = cli(['reviewer', 'create']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('exists already');
    expect(r.stderr).toContain('shulan reviewer reset-password');
    expect(await t.deps.db.selectFrom('users').select('id').execute()).toHaveLength(before.length);
  });

  it('reset-password prints a new password that works and stops the old one', async () => {
    const user = await t.deps.db.selectFrom('users').select('username').where('username', 'like', 'wx-reviewer-%').executeTakeFirstOrThrow();
    const r = cli(['reviewer', 'reset-password']);
    expect(r.status).toBe(0);
    const c = credentials(r.stdout);
    expect(c.username).toBe(user.username);
    expect((await login(c.username, c.password)).status).toBe(200);
  });

  it('remove deletes the account and its report; a second remove says there is none', async () => {
    const r = cli(['reviewer', 'remove']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Removed the reviewer account wx-reviewer-[a-z0-9]{6}, its report and its dataset \(1 sessions ended\)/);
    expect(await t.deps.db.selectFrom('users').select('id').where('username', 'like', 'wx-reviewer-%').execute()).toEqual([]);
    expect(await t.deps.db.selectFrom('reports').select('id').execute()).toEqual([]);
    const again = cli(['reviewer', 'remove']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('Reviewer account not found');
  });
});
