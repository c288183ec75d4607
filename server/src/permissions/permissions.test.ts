import type { DatasetPermissionsInput } from '@shulan/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_REPORT_NAME, SAMPLE_TABLE, seedSampleContent } from '../sample/seedSampleContent.js';
import { insertBinding } from '../wecom/bindingRepo.js';
import { applyContactEvent } from '../wecom/callbacks/applyEvent.js';
import { sendSubscription } from '../wecom/subscriptions/sendSubscription.js';
import { syncServiceFor } from '../wecom/sync/SyncService.js';
import { startWecomTestEnv, type WecomTestEnv } from '../wecom/testing/wecomTestEnv.js';

/**
 * The WeCom org chart decides who sees what: department groups from the sync, a report granted to
 * departments, a row rule reading the region attribute set on each department, column rules.
 * Every number is checked against SQL run directly on the embedded store.
 */
let env: WecomTestEnv;
let reportId: string;
let datasetId: string;
const users: Record<'east' | 'south' | 'north' | 'loose', { id: string; headers: Record<string, string>; username: string; password: string }> = {} as never;
const groupIds: Record<string, string> = {};

const admin = () => env.admin.headers;
const call = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, body?: object) => env.t.call({ method, url, headers, body });

/** Total sales of one region straight from DuckDB: what a viewer of that region must see. */
async function directTotal(region: string | null): Promise<number> {
  const store = await env.t.deps.connectors.embedded();
  const rows = await store.query(
    region === null ? `select sum("销售额") as v from ${SAMPLE_TABLE}` : `select sum("销售额") as v from ${SAMPLE_TABLE} where "区域" = $1`,
    region === null ? [] : [region],
  );
  return Number(rows[0]!.v);
}
async function directCount(region: string): Promise<number> {
  const store = await env.t.deps.connectors.embedded();
  return Number((await store.query(`select count(*) as n from ${SAMPLE_TABLE} where "区域" = $1`, [region]))[0]!.n);
}

/** The 总销售额 KPI as the widget-data route (web and mini program) answers it. */
async function kpi(headers: Record<string, string>, extra: object = {}): Promise<number | null> {
  const res = await call('POST', `/api/reports/${reportId}/widgets/total_amount/data`, headers, { filters: {}, ...extra });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.data.rows[0]?.['sum__销售额'] ?? null;
}

async function sync() {
  const { done } = await syncServiceFor(env.t.deps).start('manual');
  expect((await done).status).toBe('ok');
}

beforeAll(async () => {
  env = await startWecomTestEnv({ retryBaseMs: 1 });
  await env.configure();
  const c = env.sim.controls;
  c.addDepartment({ id: 4, name: '华东区', parentid: 1 });
  c.addDepartment({ id: 5, name: '华南区', parentid: 1 });
  c.addDepartment({ id: 6, name: '上海', parentid: 4 });
  c.addDepartment({ id: 7, name: '华北区', parentid: 1 });
  c.addMember({ userid: 'east', name: '东', department: [6], position: '销售经理', extattr: { 工号: 'E001' } });
  c.addMember({ userid: 'south', name: '南', department: [5] });
  c.addMember({ userid: 'north', name: '北', department: [7] });
  await sync();

  await seedSampleContent(env.t.deps, env.admin.id);
  const db = env.t.deps.db;
  reportId = (await db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  datasetId = (await db.selectFrom('datasets').select('id').executeTakeFirstOrThrow()).id;
  for (const g of await db.selectFrom('groups').select(['id', 'name']).where('source', '=', 'wecom_department').execute()) groupIds[g.name] = g.id;

  for (const name of ['east', 'south', 'north', 'loose'] as const) {
    const u = await env.t.user('viewer', `perm_${name}`);
    users[name] = u;
    if (name !== 'loose') await db.transaction().execute((trx) => insertBinding(trx, { userId: u.id, wecomUserid: name, source: 'manual', matchedBy: null }));
  }
  // Each region's department carries its region; 上海 inherits 华东 from 华东区.
  for (const [dept, region] of [['华东区', '华东'], ['华南区', '华南'], ['华北区', '华北']] as const) {
    expect((await call('PUT', `/api/groups/${groupIds[dept]}/attributes`, admin(), { attributes: { region: [region] } })).status).toBe(200);
  }
  const perms: DatasetPermissionsInput = {
    rowMode: 'rules',
    noMatch: 'deny',
    rowRules: [{ subjects: { everyone: true }, conditions: [{ field: '区域', op: 'in', value: { kind: 'attribute', name: 'region' } }] }],
    columnRules: [
      { field: '城市', action: 'mask', mask: 'full', subjects: { groups: [groupIds['华南区']!] } },
      { field: '销量', action: 'hide', subjects: { groups: [groupIds['华北区']!] } },
    ],
  };
  const saved = await call('PUT', `/api/datasets/${datasetId}/permissions`, admin(), perms);
  expect(saved.status, JSON.stringify(saved.json)).toBe(200);
  // 华东区 with its sub-departments (east sits in 上海), the other two departments as they are, and one user.
  const grants = await call('PUT', `/api/reports/${reportId}/grants`, admin(), {
    users: [users.loose.id],
    groups: [groupIds['华东区'], groupIds['华南区'], groupIds['华北区']],
    subDepartments: [groupIds['华东区']],
  });
  expect(grants.status, JSON.stringify(grants.json)).toBe(200);
});
afterAll(async () => env?.close());

describe('the WeCom org chart as permissions', () => {
  it('the sync makes read-only department groups whose members are the bound users', async () => {
    const list = (await call('GET', '/api/groups', admin())).json.data as { id: string; name: string; source: string; memberCount: number; parentId: string | null }[];
    const sh = list.find((g) => g.name === '华东区/上海')!;
    expect(sh).toMatchObject({ source: 'wecom_department', memberCount: 1, parentId: groupIds['华东区'] });
    const members = await call('GET', `/api/groups/${sh.id}/members`, admin());
    expect(members.json.data.map((m: { id: string }) => m.id)).toEqual([users.east.id]);
    const rename = await env.t.call({ method: 'PATCH', url: `/api/groups/${sh.id}`, headers: admin(), body: { name: 'x' } });
    expect(rename.status).toBe(400);
    expect(rename.json.error.message).toContain('企业微信部门');
  });

  it('shows each user the directory attributes and the region inherited from the department above', async () => {
    const res = await call('GET', `/api/users/${users.east.id}/attributes`, admin());
    expect(res.json.data.effective).toMatchObject({
      userid: ['east'],
      department: ['上海'],
      departmentPath: ['测试企业/华东区/上海'],
      position: ['销售经理'],
      'ext.工号': ['E001'],
      region: ['华东'],
    });
  });

  it('three people of three departments see three numbers, each what SQL gives for their region', async () => {
    const [east, south, north] = [await kpi(users.east.headers), await kpi(users.south.headers), await kpi(users.north.headers)];
    expect(east).toBeCloseTo(await directTotal('华东'), 6);
    expect(south).toBeCloseTo(await directTotal('华南'), 6);
    expect(north).toBeCloseTo(await directTotal('华北'), 6);
    expect(new Set([east, south, north]).size).toBe(3);
    // No department, no rule for them: denied by default. The admin sees everything.
    expect(await kpi(users.loose.headers)).toBeNull();
    expect(await kpi(admin())).toBeCloseTo(await directTotal(null), 6);
  });

  it('a passwordless mini program session gets the same filtered number', async () => {
    const login = await env.t.call({ method: 'POST', url: '/api/wecom/login', body: { code: env.sim.controls.issueLoginCode('east').code } });
    expect(login.json.data.status).toBe('ok');
    expect(await kpi({ authorization: `Bearer ${login.json.data.token}` })).toBeCloseTo(await directTotal('华东'), 6);
  });

  it('export, drill and the filter value list are filtered the same way; columns are masked or refused', async () => {
    const csv = await env.t.call({ method: 'GET', url: `/api/reports/${reportId}/widgets/amount_by_region/export.csv`, headers: users.east.headers });
    expect(csv.status).toBe(200);
    expect(csv.json).toContain('华东');
    expect(csv.json).not.toContain('华南');

    const drillOwn = await call('POST', `/api/reports/${reportId}/widgets/amount_by_region/drill`, users.south.headers, { filters: {}, value: '华南' });
    expect(drillOwn.json.data.total).toBe(await directCount('华南'));
    // 城市 is masked for 华南区.
    expect(new Set(drillOwn.json.data.rows.map((r: Record<string, unknown>) => r['城市']))).toEqual(new Set(['***']));
    const drillOther = await call('POST', `/api/reports/${reportId}/widgets/amount_by_region/drill`, users.south.headers, { filters: {}, value: '华东' });
    expect(drillOther.json.data.total).toBe(0);

    const values = await call('GET', `/api/reports/${reportId}/filters/region/values`, users.north.headers);
    expect(values.json.data.values).toEqual(['华北']);

    // 销量 is hidden from 华北区: its KPI is refused with a message naming the field; the table leaves it out.
    const hidden = await call('POST', `/api/reports/${reportId}/widgets/total_quantity/data`, users.north.headers, { filters: {} });
    expect(hidden.status).toBe(403);
    expect(hidden.json.error.message).toContain('销量');
    const detail = await call('POST', `/api/reports/${reportId}/widgets/detail/data`, users.north.headers, { filters: {}, page: 1 });
    expect(detail.status).toBe(403);
    const drillNorth = await call('POST', `/api/reports/${reportId}/widgets/amount_by_region/drill`, users.north.headers, { filters: {}, value: '华北' });
    expect(drillNorth.json.data.columns.map((c: { key: string }) => c.key)).not.toContain('销量');
  });

  it('report cards sent to two department groups carry each recipient its own figures', async () => {
    const sub = await call('POST', `/api/reports/${reportId}/subscriptions`, admin(), {
      schedule: { kind: 'daily', time: '08:00' },
      recipients: { groups: [groupIds['华东区/上海'], groupIds['华南区']] },
    });
    expect(sub.status, JSON.stringify(sub.json)).toBe(200);
    const row = await env.t.deps.db.selectFrom('report_subscriptions').selectAll().where('id', '=', sub.json.data.id).executeTakeFirstOrThrow();
    const before = env.sim.controls.sentMessages().length;
    await sendSubscription(env.t.deps, row, 'manual', new Date());
    const sent = env.sim.controls.sentMessages().slice(before).map((m) => m.request as { touser: string; miniprogram_notice: { content_item: { key: string; value: string }[] } });
    const figure = (userid: string) => {
      const m = sent.find((x) => x.touser.split('|').includes(userid))!;
      return Number(m.miniprogram_notice.content_item[0]!.value.replace(/[¥,]/g, ''));
    };
    expect(sent).toHaveLength(2);
    expect(figure('east')).toBeCloseTo(await directTotal('华东'), 0);
    expect(figure('south')).toBeCloseTo(await directTotal('华南'), 0);
  });

  it('an admin previews the report as a chosen user, audited; nobody else can', async () => {
    const ticket = await call('POST', `/api/reports/${reportId}/view-as`, admin(), { userId: users.south.id });
    expect(ticket.status).toBe(200);
    expect(await kpi(admin(), { viewAs: ticket.json.data.token })).toBeCloseTo(await directTotal('华南'), 6);
    const log = await call('GET', '/api/audit?action=report.view_as', admin());
    expect(log.json.data.items[0]).toMatchObject({ action: 'report.view_as', target: reportId, detail: { viewAs: users.south.id } });
    const misuse = await call('POST', `/api/reports/${reportId}/widgets/total_amount/data`, users.east.headers, { filters: {}, viewAs: ticket.json.data.token });
    expect(misuse.status).toBe(403);
  });

  it('a report data call (all widgets at once) applies each item its own view-as, and each caller its own rows', async () => {
    const ticket = (await call('POST', `/api/reports/${reportId}/view-as`, admin(), { userId: users.south.id })).json.data.token;
    const items = [
      { widgetId: 'total_amount', body: { filters: {}, viewAs: ticket } },
      { widgetId: 'total_amount', body: { filters: {} } },
    ];
    const total = (item: { data: { rows: Record<string, number>[] } }) => item.data.rows[0]!['sum__销售额'];
    const asAdmin = await call('POST', `/api/reports/${reportId}/data`, admin(), { widgets: items });
    expect(asAdmin.status, JSON.stringify(asAdmin.json)).toBe(200);
    expect(total(asAdmin.json.data.widgets[0])).toBeCloseTo(await directTotal('华南'), 6);
    expect(total(asAdmin.json.data.widgets[1])).toBeCloseTo(await directTotal(null), 6);
    const asEast = await call('POST', `/api/reports/${reportId}/data`, users.east.headers, { widgets: items });
    expect(asEast.json.data.widgets[0].error.status).toBe(403);
    expect(total(asEast.json.data.widgets[1])).toBeCloseTo(await directTotal('华东'), 6);
  });

  it('a move in WeCom changes the numbers at the next request after the sync, and after a contact event', async () => {
    env.sim.controls.updateMember('south', { department: [4] });
    // Not synced yet: still 华南.
    expect(await kpi(users.south.headers)).toBeCloseTo(await directTotal('华南'), 6);
    await sync();
    expect(await kpi(users.south.headers)).toBeCloseTo(await directTotal('华东'), 6);

    // A contact-change event (full form, as WeCom sends it) moves 北 to 华南区 without a sync.
    const applied = await applyContactEvent(env.t.deps, {
      MsgType: 'event',
      Event: 'change_contact',
      ChangeType: 'update_user',
      UserID: 'north',
      Name: '北',
      Department: '5',
      Status: '1',
    });
    expect(applied.status).toBe('applied');
    expect(await kpi(users.north.headers)).toBeCloseTo(await directTotal('华南'), 6);
  });

  it('a failed sync removes nobody; a department removed in WeCom takes its group and grants with it', async () => {
    env.sim.controls.deleteMember('east');
    env.sim.controls.deleteDepartment(6);
    env.sim.controls.injectFault({ endpoint: 'user/list', kind: 'errcode', errcode: 60020, times: 1000 });
    const { done } = await syncServiceFor(env.t.deps).start('manual');
    expect((await done).status).toBe('failed');
    env.sim.controls.clearFaults();
    expect(await kpi(users.east.headers)).toBeCloseTo(await directTotal('华东'), 6);

    await sync();
    const gone = await call('POST', `/api/reports/${reportId}/widgets/total_amount/data`, users.east.headers, { filters: {} });
    expect(gone.status).toBe(403);
    const names = ((await call('GET', '/api/groups', admin())).json.data as { name: string }[]).map((g) => g.name);
    expect(names).not.toContain('华东区/上海');
    expect(names).toContain('华东区');
  });
});
