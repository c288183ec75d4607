import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, CORP_ID, MP_SECRET, OTHER_APP_SECRET, startWecomTestEnv, type WecomTestEnv } from './testing/wecomTestEnv.js';

let env: WecomTestEnv;
/** Every response body of this file, to prove the Secret never comes back. */
const bodies: string[] = [];

beforeAll(async () => {
  env = await startWecomTestEnv();
});
afterAll(async () => {
  // Secrets only ever go in, never out: not in any answer of this whole file.
  const all = bodies.join('\n');
  for (const s of [MP_SECRET, OTHER_APP_SECRET, MP_SECRET.slice(0, 20)]) expect(all).not.toContain(s);
  await env?.close();
});

async function call(method: 'GET' | 'PUT' | 'POST', url: string, body?: object, headers = env.admin.headers) {
  const res = await env.t.call({ method, url, headers, ...(body !== undefined ? { body } : {}) });
  bodies.push(JSON.stringify(res.json));
  return res;
}

const save = (body: Record<string, unknown>) => call('PUT', '/api/settings/wecom', { enabled: true, corpId: CORP_ID, appId: APP_ID, ...body });

describe('WeCom integration settings', () => {
  it('starts empty and switched off', async () => {
    const res = await call('GET', '/api/settings/wecom');
    expect(res.json.data).toEqual({ enabled: false, corpId: null, appId: null, secretSet: false, secretHint: null, allowAdminBinding: false, syncSecretSet: false, syncSecretHint: null, callbackTokenSet: false, callbackAesKeySet: false, callbackPath: '/api/wecom/callback' });
  });

  it('checks the formats of AppID and Corp ID with messages saying where to find them', async () => {
    const badApp = await save({ appId: 'wx123', secret: MP_SECRET });
    expect(badApp.status).toBe(400);
    expect(badApp.json.error.message).toContain('AppID');
    expect(badApp.json.error.message).toContain('开发设置');
    const badCorp = await save({ corpId: 'ab0123456789abcdef', secret: MP_SECRET });
    expect(badCorp.status).toBe(400);
    expect(badCorp.json.error.message).toContain('我的企业');
    const spaces = await save({ secret: 'has a space in it' });
    expect(spaces.status).toBe(400);
    const extra = await save({ secret: MP_SECRET, token: 'x' });
    expect(extra.status).toBe(400);
  });

  it('refuses to switch on without a Secret', async () => {
    const res = await save({});
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('开启企业微信集成需要填写企业ID、Secret 和 AppID');
  });

  it('stores the Secret encrypted, shows only a hint, and keeps it when omitted', async () => {
    const saved = await save({ secret: MP_SECRET });
    expect(saved.status).toBe(200);
    expect(saved.json.data).toEqual({ enabled: true, corpId: CORP_ID, appId: APP_ID, secretSet: true, secretHint: `••••${MP_SECRET.slice(-4)}`, allowAdminBinding: false, syncSecretSet: false, syncSecretHint: null, callbackTokenSet: false, callbackAesKeySet: false, callbackPath: '/api/wecom/callback' });

    const row = await env.t.deps.db.selectFrom('settings').selectAll().where('key', '=', 'wecom').executeTakeFirstOrThrow();
    expect(row.value_json).not.toContain(MP_SECRET);
    const stored = JSON.parse(row.value_json) as { secretEnc: string };
    expect(stored.secretEnc).toMatch(/^v1:/);
    expect(env.t.deps.secretBox.decrypt(stored.secretEnc)).toBe(MP_SECRET);

    const kept = await save({ enabled: false });
    expect(kept.json.data).toMatchObject({ enabled: false, secretSet: true });
    expect(env.t.deps.wecom.storedSecret(await env.t.deps.wecom.settings())).toBe(MP_SECRET);
  });

  it('stores the callback Token and EncodingAESKey write-only and encrypted, keeps them when omitted, removes them with null', async () => {
    const token = 'Tk3x9a';
    const aesKey = 'Q9w8e7r6t5y4u3i2o1p0AaSsDdFfGgHhJjKkLlZzXxC';
    for (const [k, v] of [['callbackToken', 'ab'], ['callbackToken', 'has-dash'], ['callbackToken', 'x'.repeat(33)], ['callbackAesKey', aesKey.slice(1)], ['callbackAesKey', `${aesKey.slice(1)}=`]] as const) {
      expect((await save({ secret: MP_SECRET, [k]: v })).status, `${k}=${v}`).toBe(400);
    }
    const saved = await save({ secret: MP_SECRET, callbackToken: token, callbackAesKey: aesKey });
    expect(saved.status).toBe(200);
    expect(saved.json.data).toMatchObject({ callbackTokenSet: true, callbackAesKeySet: true, callbackPath: '/api/wecom/callback' });
    const row = await env.t.deps.db.selectFrom('settings').selectAll().where('key', '=', 'wecom').executeTakeFirstOrThrow();
    expect(row.value_json).not.toContain(token);
    expect(row.value_json).not.toContain(aesKey);
    const kept = await save({});
    expect(kept.json.data).toMatchObject({ callbackTokenSet: true, callbackAesKeySet: true });
    const audit = await call('GET', '/api/audit?action=wecom.settings_changed');
    expect(audit.json.data.items[1].detail).toMatchObject({ callbackTokenChanged: true, callbackAesKeyChanged: true });
    expect(audit.json.data.items[0].detail).toMatchObject({ callbackTokenChanged: false, callbackAesKeyChanged: false });
    const removed = await save({ callbackToken: null, callbackAesKey: null });
    expect(removed.json.data).toMatchObject({ callbackTokenSet: false, callbackAesKeySet: false });
  });

  it('audits each change without the Secret', async () => {
    await save({ secret: MP_SECRET });
    const audit = await call('GET', '/api/audit?action=wecom.settings_changed');
    expect(audit.json.data.items[0]).toMatchObject({
      action: 'wecom.settings_changed',
      actor: { id: env.admin.id },
      detail: { enabled: true, corpId: CORP_ID, appId: APP_ID, secretChanged: true },
    });
  });

  it('offers WeCom login on the public site info only once switched on', async () => {
    await save({ enabled: false });
    expect((await call('GET', '/api/site', undefined, {})).json.data.wecomLogin).toBe(false);
    await save({ enabled: true });
    expect((await call('GET', '/api/site', undefined, {})).json.data.wecomLogin).toBe(true);
  });

  it('is for admins only', async () => {
    const viewer = await env.t.user('viewer');
    const editor = await env.t.user('editor');
    for (const h of [viewer.headers, editor.headers]) {
      expect((await call('GET', '/api/settings/wecom', undefined, h)).status).toBe(403);
      expect((await call('PUT', '/api/settings/wecom', { enabled: false, corpId: null, appId: null }, h)).status).toBe(403);
      expect((await call('POST', '/api/settings/wecom/test', {}, h)).status).toBe(403);
      expect((await call('GET', '/api/settings/wecom/verification-files', undefined, h)).status).toBe(403);
      expect((await call('PUT', '/api/wecom/bindings/x', { wecomUserid: 'lisi' }, h)).status).toBe(403);
      for (const url of ['/api/wecom/bindings/x', '/api/settings/wecom/verification-files/a.txt']) {
        expect((await env.t.call({ method: 'DELETE', url, headers: h })).status).toBe(403);
      }
    }
    expect((await call('GET', '/api/settings/wecom', undefined, {})).status).toBe(401);
  });
});

describe('test connection', () => {
  const test = async (body: Record<string, unknown> = {}, lang = 'zh') => {
    const res = await env.t.call({ method: 'POST', url: '/api/settings/wecom/test', headers: { ...env.admin.headers, 'accept-language': lang }, body });
    bodies.push(JSON.stringify(res.json));
    expect(res.status).toBe(200);
    type Check = { check: string; ok: boolean; severity: string; message: string };
    const checks: Record<string, Check> = Object.fromEntries((res.json.data.checks as Check[]).map((c) => [c.check, c]));
    return { ok: res.json.data.ok as boolean, checks };
  };

  it('passes every prerequisite for a good configuration, warning that mobiles are not readable', async () => {
    await save({ secret: MP_SECRET });
    const r = await test();
    expect(r.ok).toBe(true);
    expect(Object.keys(r.checks)).toEqual(['settings', 'token', 'trusted_ip', 'miniprogram_secret', 'visible_range', 'sensitive_fields', 'rate_limit', 'sync_mode']);
    expect(r.checks.token!.ok).toBe(true);
    expect(r.checks.trusted_ip!.ok).toBe(true);
    expect(r.checks.miniprogram_secret!.ok).toBe(true);
    expect(r.checks.visible_range!.message).toBe('可见 3 个部门、5 名成员');
    expect(r.checks.sensitive_fields).toMatchObject({ ok: true, severity: 'warning' });
    expect(r.checks.sensitive_fields!.message).toContain('user/getuserid');
  });

  it('reports readable mobiles for an app created before 2022-06-20', async () => {
    const app = env.sim.corp.findApp(APP_ID)!;
    app.createdAfter20220620 = false;
    try {
      const r = await test();
      expect(r.checks.sensitive_fields).toMatchObject({ ok: true, severity: 'ok' });
    } finally {
      app.createdAfter20220620 = true;
    }
  });

  it('a wrong Secret fails the token check with what to do, and skips the rest', async () => {
    const r = await test({ secret: 'not-the-secret-0123456789' }, 'en');
    expect(r.ok).toBe(false);
    expect(r.checks.token).toMatchObject({ ok: false, severity: 'error' });
    expect(r.checks.token!.message).toContain('The Secret is wrong');
    expect(r.checks.visible_range!.severity).toBe('skipped');
  });

  it("another app's Secret gets a token but is refused for mini program login (48002)", async () => {
    const r = await test({ secret: OTHER_APP_SECRET });
    expect(r.ok).toBe(false);
    expect(r.checks.token!.ok).toBe(true);
    expect(r.checks.miniprogram_secret!.ok).toBe(false);
    expect(r.checks.miniprogram_secret!.message).toContain('Secret 不是在企业微信中关联的小程序的 Secret');
  });

  it('an untrusted server IP (60020) says where to add it', async () => {
    env.sim.controls.setTrustedIps(APP_ID, ['203.0.113.9']);
    try {
      const r = await test();
      expect(r.ok).toBe(false);
      expect(r.checks.token!.ok).toBe(true);
      expect(r.checks.trusted_ip!.ok).toBe(false);
      expect(r.checks.trusted_ip!.message).toContain('企业微信管理后台 → 应用管理 → 小程序');
      expect(r.checks.trusted_ip!.message).toContain('企业可信IP');
      expect(r.checks.visible_range!.severity).toBe('skipped');
    } finally {
      env.sim.controls.setTrustedIps(APP_ID, []);
    }
  });

  it('zero visible departments or members is a failure naming the visible range', async () => {
    const app = env.sim.corp.findApp(APP_ID)!;
    const before = app.visible;
    app.visible = { departments: [], users: [] };
    try {
      const r = await test();
      expect(r.ok).toBe(false);
      expect(r.checks.visible_range!.ok).toBe(false);
      expect(r.checks.visible_range!.message).toContain('可见范围');
      expect(r.checks.sensitive_fields!.severity).toBe('skipped');
    } finally {
      app.visible = before;
    }
  });

  it('says to fill in the values when nothing is saved or typed', async () => {
    await save({ enabled: false, corpId: null, appId: null });
    const fresh = await env.t.deps.wecom.settings();
    expect(fresh.corpId).toBeNull();
    const r = await test();
    expect(r.checks.settings!.ok).toBe(false);
    expect(r.checks.token!.severity).toBe('skipped');
  });
});
