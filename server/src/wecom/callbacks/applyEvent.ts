import type { Deps } from '../../deps.js';
import type { Db } from '../../db/createDb.js';
import { msg, type Msg } from '../../errors.js';
import { nowIso } from '../../lib/ids.js';
import { findMember, isMemberInactive } from '../bindingRepo.js';
import { WecomError } from '../wecomErrors.js';
import { memberMatchKeys, nameKey } from '../matching/matchKeys.js';
import { syncDepartmentGroups } from '../../permissions/departmentGroups.js';

type ApplyDeps = Pick<Deps, 'db' | 'wecom' | 'sessions'>;

export interface EventOutcome {
  status: 'applied' | 'ignored';
  result: Msg;
}

/** Errcodes of user/get meaning "this member is not (or no longer) ours to see". */
const MEMBER_GONE = new Set([60111, 60011]);

/**
 * Applies one change_contact event to the local copy of the address book. Writes only what differs,
 * so applying the same event again changes nothing. Members that end up disabled, not activated or
 * gone lose their WeCom sessions at once. Throws on a WeCom failure (the event is then marked failed
 * and the 02:00 sync repairs it).
 */
export async function applyContactEvent(deps: ApplyDeps, f: Record<string, string>): Promise<EventOutcome> {
  if (f.MsgType !== 'event' || f.Event !== 'change_contact') {
    return { status: 'ignored', result: msg(`数览不处理此事件（${f.Event ?? f.MsgType ?? '未知'}）`, `Shulan does not use this event (${f.Event ?? f.MsgType ?? 'unknown'})`) };
  }
  switch (f.ChangeType) {
    case 'create_user':
    case 'update_user':
      return upsertUser(deps, f);
    case 'delete_user':
      return deleteUser(deps, f.UserID ?? '');
    case 'create_party':
    case 'update_party':
      return upsertParty(deps, f);
    case 'delete_party':
      return deleteParty(deps.db, Number(f.Id));
    case 'update_tag':
      return { status: 'ignored', result: msg('数览不使用企业微信标签，已记录', 'Shulan does not use WeCom tags; recorded only') };
    default:
      return { status: 'ignored', result: msg(`未知的通讯录变更类型 ${f.ChangeType ?? ''}`, `Unknown contact change ${f.ChangeType ?? ''}`) };
  }
}

const csvInts = (s: string | undefined): number[] | undefined =>
  s === undefined || s.trim() === '' ? undefined : s.split(',').map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n > 0);

interface MemberState {
  name: string;
  departmentIds: number[];
  status: number;
  mainDepartment: number | null;
}

async function upsertUser(deps: ApplyDeps, f: Record<string, string>): Promise<EventOutcome> {
  const { db } = deps;
  let userid = f.UserID ?? '';
  if (!userid) return { status: 'ignored', result: msg('事件缺少 UserID', 'The event has no UserID') };
  if (f.NewUserID && f.NewUserID !== userid) {
    await renameMember(db, userid, f.NewUserID);
    userid = f.NewUserID;
  }
  const known = await findMember(db, userid);
  let next: MemberState;
  if (known && f.Status !== undefined) {
    // A full event (Status included): take its values, keep what it leaves out.
    next = {
      name: f.Name ?? known.name,
      departmentIds: csvInts(f.Department) ?? (JSON.parse(known.department_ids_json) as number[]),
      status: Number(f.Status),
      mainDepartment: f.MainDepartment !== undefined && Number(f.MainDepartment) > 0 ? Number(f.MainDepartment) : known.main_department,
    };
  } else {
    // Never seen, or a reduced event (callback URLs set after 2022-08-15 carry only UserID and
    // Department, not the status): ask WeCom for the member.
    const { client } = await deps.wecom.active();
    try {
      const m = await client.getMember(userid);
      next = { name: m.name, departmentIds: m.department, status: m.status, mainDepartment: m.main_department ?? null };
    } catch (e) {
      if (!(e instanceof WecomError) || e.errcode === null || !MEMBER_GONE.has(e.errcode)) throw e;
      if (!known) return { status: 'ignored', result: msg(`成员 ${userid} 不在应用可见范围内`, `Member ${userid} is outside the app's visible range`) };
      return markLeft(deps, userid);
    }
  }
  const departmentIdsJson = JSON.stringify([...next.departmentIds].sort((a, b) => a - b));
  const now = nowIso();
  if (!known) {
    await db
      .insertInto('wecom_members')
      .values({ userid, name: next.name, mobile: null, email: null, department_ids_json: departmentIdsJson, status: next.status, left_at: null, synced_at: now, content_hash: null, main_department: next.mainDepartment, ...memberMatchKeys({ name: next.name, mobile: null }) })
      .execute();
  } else if (
    known.name !== next.name ||
    known.department_ids_json !== departmentIdsJson ||
    known.status !== next.status ||
    known.left_at !== null ||
    (known.main_department ?? null) !== next.mainDepartment
  ) {
    await db
      .updateTable('wecom_members')
      // No hash: the next full sync compares this row field by field again (rewrites it once).
      .set({ name: next.name, match_name_key: nameKey(next.name), department_ids_json: departmentIdsJson, status: next.status, left_at: null, synced_at: now, content_hash: null, main_department: next.mainDepartment })
      .where('userid', '=', userid)
      .execute();
  } else {
    return { status: 'applied', result: msg(`成员 ${userid} 没有变化`, `Member ${userid} unchanged`) };
  }
  if (next.status !== 1) {
    const ended = await endSessionsOf(deps, userid);
    return { status: 'applied', result: msg(`成员 ${userid} 已停用或未激活（状态 ${next.status}）${ended.zh}`, `Member ${userid} is disabled or not active (status ${next.status})${ended.en}`) };
  }
  return known
    ? { status: 'applied', result: msg(`已更新成员 ${userid}`, `Member ${userid} updated`) }
    : { status: 'applied', result: msg(`已新增成员 ${userid}，可立即匹配`, `Member ${userid} added; it can be matched now`) };
}

async function deleteUser(deps: ApplyDeps, userid: string): Promise<EventOutcome> {
  const known = userid ? await findMember(deps.db, userid) : undefined;
  if (!known) return { status: 'ignored', result: msg(`本地没有成员 ${userid}`, `No local member ${userid}`) };
  return markLeft(deps, userid);
}

/** Like a complete sync that no longer lists the member: kept with left_at, so bindings stay explainable. */
async function markLeft(deps: ApplyDeps, userid: string): Promise<EventOutcome> {
  const known = await findMember(deps.db, userid);
  if (known && known.left_at === null) {
    const now = nowIso();
    await deps.db.updateTable('wecom_members').set({ left_at: now, synced_at: now }).where('userid', '=', userid).execute();
  }
  const ended = await endSessionsOf(deps, userid);
  return { status: 'applied', result: msg(`成员 ${userid} 已离开企业或可见范围${ended.zh}`, `Member ${userid} left the company or the visible range${ended.en}`) };
}

/** Ends the WeCom sessions of the Shulan user bound to an inactive member (sockets close too). */
async function endSessionsOf(deps: ApplyDeps, userid: string): Promise<Msg> {
  const member = await findMember(deps.db, userid);
  const binding = await deps.db.selectFrom('wecom_bindings').select('user_id').where('wecom_userid', '=', userid).executeTakeFirst();
  if (!binding || !member || !isMemberInactive(member)) return msg('', '');
  const n = await deps.sessions.endWecomSessions(binding.user_id);
  return msg(`，已结束其 ${n} 个企业微信登录会话`, `; ${n} WeCom session(s) ended`);
}

async function renameMember(db: Db, from: string, to: string): Promise<void> {
  if (await findMember(db, to)) return;
  await db.updateTable('wecom_members').set({ userid: to }).where('userid', '=', from).execute();
  await db.updateTable('wecom_bindings').set({ wecom_userid: to }).where('wecom_userid', '=', from).execute();
}

async function upsertParty(deps: ApplyDeps, f: Record<string, string>): Promise<EventOutcome> {
  const { db } = deps;
  const id = Number(f.Id);
  if (!Number.isInteger(id) || id < 1) return { status: 'ignored', result: msg('事件缺少部门 Id', 'The event has no department Id') };
  const parentId = f.ParentId === undefined ? undefined : Number(f.ParentId) > 0 ? Number(f.ParentId) : null;
  const known = await db.selectFrom('wecom_departments').selectAll().where('id', '=', id).executeTakeFirst();
  let name = f.Name;
  if (!known && name === undefined) {
    // Reduced events carry no name: ask WeCom (department/list of that department).
    const { client } = await deps.wecom.active();
    name = (await client.listDepartments(id)).find((d) => d.id === id)?.name;
    if (name === undefined) return { status: 'ignored', result: msg(`部门 ${id} 不在应用可见范围内`, `Department ${id} is outside the app's visible range`) };
  }
  const now = nowIso();
  if (!known) {
    await db.insertInto('wecom_departments').values({ id, name: name ?? '', parent_id: parentId ?? null, synced_at: now }).execute();
    await syncDepartmentGroups(db);
    return { status: 'applied', result: msg(`已新增部门 ${name ?? id}`, `Department ${name ?? id} added`) };
  }
  const nextName = name ?? known.name;
  const nextParent = parentId === undefined ? known.parent_id : parentId;
  if (nextName === known.name && nextParent === known.parent_id) return { status: 'applied', result: msg(`部门 ${nextName} 没有变化`, `Department ${nextName} unchanged`) };
  await db.updateTable('wecom_departments').set({ name: nextName, parent_id: nextParent, synced_at: now }).where('id', '=', id).execute();
  await syncDepartmentGroups(db);
  return { status: 'applied', result: msg(`已更新部门 ${nextName}`, `Department ${nextName} updated`) };
}

async function deleteParty(db: Db, id: number): Promise<EventOutcome> {
  const res = Number.isInteger(id) ? await db.deleteFrom('wecom_departments').where('id', '=', id).executeTakeFirst() : { numDeletedRows: 0n };
  if (Number(res.numDeletedRows) > 0) await syncDepartmentGroups(db);
  return Number(res.numDeletedRows) > 0
    ? { status: 'applied', result: msg(`已删除部门 ${id}`, `Department ${id} deleted`) }
    : { status: 'ignored', result: msg(`本地没有部门 ${id}`, `No local department ${id}`) };
}
