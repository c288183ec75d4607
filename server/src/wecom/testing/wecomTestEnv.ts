import { startSimulator, type CorpFixture, type Simulator } from '@shulan/wecom-sim';
import { createTestApp, type TestApp } from '../../../test/testApp.js';
import { WecomIntegration, type WecomIntegrationOptions } from '../WecomIntegration.js';

/** A small corp for the tests: ids and secrets the tests refer to by name. */
export const CORP_ID = 'ww0123456789abcdef';
export const APP_ID = 'wx0123456789abcdef';
export const MP_SECRET = 'mp-Secret-0123456789-abcdefghijklmnopqrstuv';
export const OTHER_APP_SECRET = 'selfbuilt-Secret-0123456789-abcdefghijklmn';
/** The corp's 通讯录同步 Secret (the only one allowed to call user/list_id). */
export const SYNC_SECRET = 'contactsync-Secret-0123456789-abcdefghijk';

export function testCorp(): CorpFixture {
  return {
    corpid: CORP_ID,
    name: '测试企业',
    departments: [
      { id: 1, name: '测试企业', parentid: 0 },
      { id: 2, name: '销售部', parentid: 1 },
      { id: 3, name: '研发部', parentid: 1 },
    ],
    members: [
      { userid: 'zhangsan', name: '张三', mobile: '13800000001', department: [2, 3] },
      { userid: 'lisi', name: '李四', mobile: '13800000002', department: [2] },
      { userid: 'wangwu', name: '王五', mobile: '13800000003', department: [3] },
      { userid: 'zhaoliu', name: '赵六', mobile: '13800000004', department: [3] },
      { userid: 'sunqi', name: '孙七', mobile: '13800000005', department: [3] },
    ],
    apps: [
      {
        name: '数览小程序',
        kind: 'miniprogram',
        agentid: 1000002,
        appid: APP_ID,
        secret: MP_SECRET,
        visible: { departments: [1], users: [] },
        createdAfter20220620: true,
      },
      {
        name: '自建应用',
        kind: 'self_built',
        agentid: 1000003,
        secret: OTHER_APP_SECRET,
        visible: { departments: [1], users: [] },
        createdAfter20220620: false,
      },
      { name: '通讯录同步', kind: 'contact_sync', secret: SYNC_SECRET, createdAfter20220620: true },
    ],
  };
}

export interface WecomTestEnv {
  t: TestApp;
  sim: Simulator;
  admin: Awaited<ReturnType<TestApp['user']>>;
  /** Saves the settings (switched on with the test corp's values unless overridden). */
  configure(over?: Partial<{ enabled: boolean; corpId: string | null; appId: string | null; secret: string; syncSecret: string | null; allowAdminBinding: boolean; callbackToken: string; callbackAesKey: string }>): Promise<void>;
  close(): Promise<void>;
}

/** Far above what one suite sends from its single address; the limits have their own suite. */
const SUITE_LOGIN_LIMITS = { login: { perIpPerMinute: 10_000, totalPerMinute: 10_000 }, bind: { perIpPerMinute: 10_000, totalPerMinute: 10_000 } };

/**
 * Shulan on a fresh database with WECOM_API_BASE pointing at a simulator of the test corp.
 * `integration` overrides options of the WeCom integration (login limits, breaker clock…).
 */
export async function startWecomTestEnv(integration: Partial<WecomIntegrationOptions> = {}): Promise<WecomTestEnv> {
  const sim = await startSimulator({ corp: testCorp() });
  const t = await createTestApp({ wecomApiBase: sim.url, wecomOauthBase: sim.url, wecomLoginBase: sim.url });
  t.deps.wecom = new WecomIntegration(t.deps.db, t.deps.secretBox, { baseUrl: sim.url, loginLimits: SUITE_LOGIN_LIMITS, ...integration });
  const admin = await t.user('admin');
  return {
    t,
    sim,
    admin,
    async configure(over = {}) {
      const res = await t.call({
        method: 'PUT',
        url: '/api/settings/wecom',
        headers: admin.headers,
        body: { enabled: true, corpId: CORP_ID, appId: APP_ID, secret: MP_SECRET, ...over },
      });
      if (res.status !== 200) throw new Error(`configure failed: ${res.status} ${JSON.stringify(res.json)}`);
    },
    async close() {
      await t.close();
      await sim.close();
    },
  };
}
