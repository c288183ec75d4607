import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { App, Corp, Department, Member } from '../corp.js';
import { WecomError } from '../errors.js';
import type { SimState } from '../simulator.js';
import { wecomRoute, withApp, type Payload } from './wecomRoute.js';

const MAX_LIST_ID_LIMIT = 10_000;

function deptPayload(d: Department): Payload {
  return { id: d.id, name: d.name, ...(d.name_en ? { name_en: d.name_en } : {}), department_leader: d.department_leader, parentid: d.parentid, order: d.order };
}

/** Apps created after 2022-06-20 (except the contact-sync secret) no longer read these fields. */
function withholdsSensitive(app: App): boolean {
  return app.kind !== 'contact_sync' && app.createdAfter20220620;
}

/**
 * One member as user/get and user/list return it. Withheld sensitive fields are omitted and
 * gender is "0" ("不可获取指返回值为0"); departments are limited to those the app can see.
 */
export function memberPayload(app: App, m: Member, visible: ReadonlySet<number>): Payload {
  const idx = m.department.map((d, i) => [d, i] as const).filter(([d]) => visible.has(d) || app.kind === 'contact_sync');
  const out: Payload = {
    userid: m.userid,
    name: m.name,
    department: idx.map(([d]) => d),
    order: idx.map(([, i]) => m.order[i] ?? 0),
    position: m.position,
    is_leader_in_dept: idx.map(([, i]) => m.is_leader_in_dept[i] ?? 0),
    direct_leader: m.direct_leader,
    telephone: m.telephone,
    alias: m.alias,
    status: m.status,
    extattr: { attrs: Object.entries(m.extattr ?? {}).map(([name, value]) => ({ type: 0, name, text: { value }, value })) },
    external_position: '',
  };
  if (visible.has(m.main_department) || app.kind === 'contact_sync') {
    out.main_department = m.main_department;
  }
  if (withholdsSensitive(app)) {
    out.gender = '0';
    return out;
  }
  out.gender = m.gender;
  if (m.mobile !== undefined) {
    out.mobile = m.mobile;
  }
  if (m.email !== undefined) {
    out.email = m.email;
  }
  if (m.biz_mail !== undefined) {
    out.biz_mail = m.biz_mail;
  }
  if (m.avatar !== undefined) {
    out.avatar = m.avatar;
    out.thumb_avatar = m.avatar.replace(/\/0$/, '/100');
  }
  if (m.address !== undefined) {
    out.address = m.address;
  }
  out.qr_code = `https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=${createHash('sha1').update(m.userid).digest('hex').slice(0, 16)}`;
  return out;
}

/** Parses a department id parameter; unknown → 60123, outside the app's range → 60011. */
function visibleDept(corp: Corp, app: App, raw: string | undefined, visible: ReadonlySet<number>): number {
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) {
    throw new WecomError(60123);
  }
  const id = Number(raw);
  if (!corp.departments.has(id)) {
    throw new WecomError(60123);
  }
  if (!visible.has(id)) {
    throw new WecomError(60011);
  }
  return id;
}

/** The departments of a list call: `id` with descendants, or the whole visible tree. */
function listedDepartments(corp: Corp, app: App, rawId: string | undefined): Department[] {
  const visible = corp.visibleDepartmentIds(app);
  const root = rawId === undefined || rawId === '' ? 1 : visibleDept(corp, app, rawId, visible);
  return corp.subtree(root).filter((d) => visible.has(d.id));
}

/** Members of a department (and with the legacy fetch_child=1, of its sub-departments), deduplicated. */
function listedMembers(corp: Corp, app: App, query: Record<string, string>): { members: Member[]; visible: ReadonlySet<number> } {
  const visible = corp.visibleDepartmentIds(app);
  const id = visibleDept(corp, app, query.department_id, visible);
  const depts = query.fetch_child === '1' ? corp.subtree(id).filter((d) => visible.has(d.id)) : [corp.departments.get(id)];
  const seen = new Set<string>();
  const members: Member[] = [];
  for (const d of depts) {
    for (const m of d ? corp.membersIn(d.id) : []) {
      if (!seen.has(m.userid)) {
        seen.add(m.userid);
        members.push(m);
      }
    }
  }
  return { members, visible };
}

function stringField(body: unknown, key: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** Directory endpoints (reference §3). */
export function registerContactRoutes(fastify: FastifyInstance, state: SimState): void {
  wecomRoute(
    fastify,
    state,
    { method: 'GET', endpoint: 'department/list' },
    withApp(({ corp, app, query }) => ({ department: listedDepartments(corp, app, query.id).map(deptPayload) })),
  );

  wecomRoute(
    fastify,
    state,
    { method: 'GET', endpoint: 'department/simplelist' },
    withApp(({ corp, app, query }) => ({
      department_id: listedDepartments(corp, app, query.id).map((d) => ({ id: d.id, parentid: d.parentid, order: d.order })),
    })),
  );

  wecomRoute(
    fastify,
    state,
    { method: 'GET', endpoint: 'department/get' },
    withApp(({ corp, app, query }) => {
      const id = visibleDept(corp, app, query.id, corp.visibleDepartmentIds(app));
      const d = corp.departments.get(id);
      if (!d) {
        throw new WecomError(60123);
      }
      return { department: deptPayload(d) };
    }),
  );

  wecomRoute(
    fastify,
    state,
    { method: 'GET', endpoint: 'user/simplelist' },
    withApp(({ corp, app, query }) => {
      const { members, visible } = listedMembers(corp, app, query);
      return {
        userlist: members.map((m) => ({ userid: m.userid, name: m.name, department: m.department.filter((d) => visible.has(d)) })),
      };
    }),
  );

  wecomRoute(
    fastify,
    state,
    { method: 'GET', endpoint: 'user/list' },
    withApp(({ corp, app, query }) => {
      const { members, visible } = listedMembers(corp, app, query);
      return { userlist: members.map((m) => memberPayload(app, m, visible)) };
    }),
  );

  wecomRoute(
    fastify,
    state,
    { method: 'GET', endpoint: 'user/get' },
    withApp(({ corp, app, query }) => {
      if (!query.userid) {
        throw new WecomError(41009);
      }
      const m = corp.getMember(query.userid);
      if (!m) {
        throw new WecomError(60111, `invalid string value \`${query.userid.slice(0, 64)}\`. userid not found`);
      }
      const visible = corp.visibleDepartmentIds(app);
      if (!corp.canSeeMember(app, m, visible)) {
        throw new WecomError(60011);
      }
      return memberPayload(app, m, visible);
    }),
  );

  wecomRoute(
    fastify,
    state,
    { method: 'POST', endpoint: 'user/list_id' },
    withApp(({ corp, app, body }) => {
      // "仅支持通过“通讯录同步secret”调用"
      if (app.kind !== 'contact_sync') {
        throw new WecomError(48002);
      }
      const rawLimit = stringField(body, 'limit');
      const limit = rawLimit === undefined ? MAX_LIST_ID_LIMIT : rawLimit;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_ID_LIMIT) {
        throw new WecomError(40058);
      }
      const cursor = stringField(body, 'cursor');
      let offset = 0;
      if (cursor !== undefined && cursor !== '') {
        const decoded = typeof cursor === 'string' ? decodeCursor(cursor) : undefined;
        if (decoded === undefined) {
          throw new WecomError(40058);
        }
        offset = decoded;
      }
      const rows = corp.memberDepartmentRows();
      const page = rows.slice(offset, offset + limit);
      const next = offset + limit < rows.length ? encodeCursor(offset + limit) : '';
      return { next_cursor: next, dept_user: page };
    }),
  );

  wecomRoute(
    fastify,
    state,
    { method: 'POST', endpoint: 'user/getuserid' },
    withApp(({ corp, app, body }) => {
      const now = state.now();
      // Wrong mobiles beyond 20 % of the seats ban the API for the rest of the day.
      if (state.getuseridFailures.banned(now, corp.seatCount())) {
        throw new WecomError(45009);
      }
      const mobile = stringField(body, 'mobile');
      if (typeof mobile !== 'string' || !/^[0-9+-]{5,32}$/.test(mobile)) {
        state.getuseridFailures.fail(now);
        throw new WecomError(60103);
      }
      const m = corp.memberByMobile(mobile);
      if (!m) {
        state.getuseridFailures.fail(now);
        throw new WecomError(46004);
      }
      if (!corp.canSeeMember(app, m)) {
        throw new WecomError(60011);
      }
      return { userid: m.userid };
    }),
  );
}
