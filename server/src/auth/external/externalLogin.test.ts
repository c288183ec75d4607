import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/testApp.js';
import { hashToken } from '../SessionService.js';
import { LDAP_BASE, startOidcProvider, startSlapd, type OidcProviderHandle, type Slapd } from './testing/providers.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
let groupIds: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  for (const name of ['销售部', '财务部']) {
    const res = await t.call({ method: 'POST', url: '/api/groups', headers: admin.headers, body: { name } });
    groupIds = { ...groupIds, [name]: res.json.data.id };
  }
});
afterAll(async () => t?.close());

function cookieFrom(headers: Record<string, unknown>, name: string): string | undefined {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  const hit = list.find((c: string) => c.startsWith(`${name}=`));
  return hit ? hit.split(';')[0]!.slice(name.length + 1) : undefined;
}

async function sessionOf(headers: Record<string, unknown>) {
  const token = cookieFrom(headers, 'shulan_session');
  if (!token) return null;
  return t.deps.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select(['users.username', 'users.role', 'users.display_name', 'users.id']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
}

const groupsOf = async (userId: string) =>
  (await t.deps.db.selectFrom('group_members').innerJoin('groups', 'groups.id', 'group_members.group_id').select('groups.name').where('user_id', '=', userId).execute()).map((g) => g.name).sort();

describe('LDAP login against a real slapd', () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd([
      { uid: 'alice', cn: '王爱丽', password: 'alice-ldap-pw', groups: ['bi-admins', 'sales'] },
      { uid: 'bob', cn: '李博', password: 'bob-ldap-pw', groups: ['finance'] },
      { uid: 'carol', cn: 'Carol', password: 'carol-ldap-pw', groups: [] },
    ]);
  });
  afterAll(async () => slapd?.stop());

  const save = (over: Record<string, unknown> = {}) =>
    t.call({
      method: 'PUT',
      url: '/api/settings/ldap',
      headers: admin.headers,
      body: {
        enabled: true,
        url: slapd.url,
        bindDn: `cn=admin,${LDAP_BASE}`,
        bindPassword: 'ldap-admin-secret',
        baseDn: `ou=people,${LDAP_BASE}`,
        groupBaseDn: `ou=groups,${LDAP_BASE}`,
        createUsers: true,
        groupMap: [
          { external: 'sales', groupId: groupIds['销售部'] },
          { external: 'finance', groupId: groupIds['财务部'] },
        ],
        adminGroups: ['bi-admins'],
        editorGroups: ['finance'],
        ...over,
      },
    });
  const login = (username: string, password: string) => t.call({ method: 'POST', url: '/api/auth/ldap/login', body: { username, password } });

  it('keeps the bind password write-only and announces LDAP on the login page', async () => {
    const res = await save();
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data.bindPasswordSet).toBe(true);
    expect(JSON.stringify(res.json)).not.toContain('ldap-admin-secret');
    const stored = await t.deps.db.selectFrom('settings').select('value_json').where('key', '=', 'ldap').executeTakeFirstOrThrow();
    expect(stored.value_json).not.toContain('ldap-admin-secret');
    expect((await t.call({ method: 'GET', url: '/api/auth/methods' })).json.data).toMatchObject({ ldap: true });
  });

  it('binds as the person, creates the account with the mapped role and groups, and follows the directory', async () => {
    await save();
    const alice = await login('alice', 'alice-ldap-pw');
    expect(alice.status, JSON.stringify(alice.json)).toBe(200);
    const s = await sessionOf(alice.headers);
    expect(s).toMatchObject({ username: 'alice', role: 'admin', display_name: '王爱丽' });
    expect(await groupsOf(s!.id)).toEqual(['销售部']);
    const bob = await sessionOf((await login('bob', 'bob-ldap-pw')).headers);
    expect(bob).toMatchObject({ role: 'editor' });
    expect(await groupsOf(bob!.id)).toEqual(['财务部']);
    // The directory changes: bob leaves finance, so he loses the group and the editor role at his next login.
    await save({ editorGroups: [], adminGroups: ['bi-admins'], groupMap: [{ external: 'sales', groupId: groupIds['销售部'] }, { external: 'nothing', groupId: groupIds['财务部'] }] });
    const again = await sessionOf((await login('bob', 'bob-ldap-pw')).headers);
    expect(again).toMatchObject({ role: 'viewer' });
    expect(await groupsOf(again!.id)).toEqual([]);
  });

  it('refuses a wrong or empty password, an unknown user and filter injection, under the login limits', async () => {
    await save();
    expect((await login('alice', 'wrong')).status).toBe(401);
    expect((await login('nobody', 'x')).status).toBe(401);
    // "*" must not match everyone: the name is escaped into the filter.
    expect((await login('*', 'alice-ldap-pw')).status).toBe(401);
    expect((await login('alice)(uid=*', 'alice-ldap-pw')).status).toBe(401);
    expect((await login('carol', '')).status).toBe(400);
    const fails = await t.deps.db.selectFrom('audit_log').select('detail_json').where('action', '=', 'auth.login_failed').execute();
    expect(fails.map((f) => JSON.parse(f.detail_json ?? '{}') as { via?: string }).filter((d) => d.via === 'ldap').length).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < 10; i++) await login('carol', 'wrong');
    const locked = await login('carol', 'carol-ldap-pw');
    expect(locked.status).toBe(429);
  });

  it('without account creation, only existing usernames get in', async () => {
    await save({ createUsers: false });
    await t.deps.loginLimiter.clearUser('ldap:carol');
    const carol = await login('carol', 'carol2-wrong');
    expect(carol.status).toBe(401);
    await t.deps.loginLimiter.clearUser('ldap:carol');
    const noAccount = await login('carol', 'carol-ldap-pw');
    expect(noAccount.status).toBe(403);
    expect(noAccount.json.error.message).toContain('没有对应的账号');
    expect((await login('bob', 'bob-ldap-pw')).status).toBe(200);
  });
});

/** A browser stand-in for the provider's development login and consent pages (cookies, forms, redirects). */
async function passProvider(startUrl: string, sub: string, stopAt: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = startUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(stopAt)) return new URL(url);
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await res.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    if (!form) throw new Error(`no form at ${url}: ${res.status} ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const [tag] of form[2]!.matchAll(/<input[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(tag)?.[1];
      if (name) fields.set(name, /value="([^"]*)"/.exec(tag)?.[1] ?? '');
    }
    if (fields.has('login')) fields.set('login', sub);
    if (fields.has('password')) fields.set('password', 'any');
    url = new URL(form[1]!.replace(/&amp;/g, '&'), url).href;
    method = 'POST';
    body = fields.toString();
  }
  throw new Error('too many hops');
}

describe('OIDC single sign-on against oidc-provider', () => {
  let op: OidcProviderHandle;
  const callback = 'http://localhost/api/auth/oidc/callback';
  beforeAll(async () => {
    op = await startOidcProvider([callback], [
      { sub: 'u-1', preferred_username: 'dora', name: '朵拉', groups: ['sales', 'bi-editors'] },
      { sub: 'u-2', preferred_username: 'eve', name: 'Eve', groups: [] },
    ]);
    const res = await t.call({
      method: 'PUT',
      url: '/api/settings/oidc',
      headers: admin.headers,
      body: {
        enabled: true,
        issuer: op.issuer,
        clientId: op.clientId,
        clientSecret: op.clientSecret,
        displayName: '集团统一认证',
        scopes: 'openid profile groups',
        createUsers: true,
        groupMap: [{ external: 'sales', groupId: groupIds['销售部'] }],
        editorGroups: ['bi-editors'],
      },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(JSON.stringify(res.json)).not.toContain(op.clientSecret);
  });
  afterAll(async () => op?.stop());

  async function ssoLogin(sub: string, opts: { tamper?: boolean } = {}) {
    const start = await t.call({ method: 'GET', url: '/api/auth/oidc/start?next=/reports' });
    expect(start.status).toBe(302);
    const authUrl = new URL(String(start.headers.location));
    expect(authUrl.origin).toBe(op.issuer);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('nonce')).toBeTruthy();
    const back = await passProvider(authUrl.href, sub, callback);
    const query = opts.tamper ? back.search.replace(/state=[^&]+/, 'state=forged') : back.search;
    return t.call({ method: 'GET', url: `/api/auth/oidc/callback${query}`, headers: { cookie: `shulan_oidc=${cookieFrom(start.headers, 'shulan_oidc')}` } });
  }

  it('logs in through the provider, creating the account with its mapped role and groups', async () => {
    expect((await t.call({ method: 'GET', url: '/api/auth/methods' })).json.data).toMatchObject({ oidc: '集团统一认证' });
    const res = await ssoLogin('u-1');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/reports');
    const s = await sessionOf(res.headers);
    expect(s).toMatchObject({ username: 'dora', role: 'editor', display_name: '朵拉' });
    expect(await groupsOf(s!.id)).toEqual(['销售部']);
  });

  it('refuses a callback whose state is not the one this browser started', async () => {
    const res = await ssoLogin('u-2', { tamper: true });
    expect(res.headers.location).toBe('/login?loginError=oidc_failed');
    expect(await sessionOf(res.headers)).toBeNull();
  });
});
