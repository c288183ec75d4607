import type { Db } from '../db/createDb.js';
import { newId, nowIso } from '../lib/ids.js';

/**
 * WeCom departments as read-only groups (source 'wecom_department'), one per department of the
 * synced directory. Reports, row rules and column rules are granted to them like to any group.
 * Members are not stored: a department group's members are, at each request, the Shulan users
 * bound to an active WeCom member listed in that department (viewer.ts), so a move in WeCom
 * counts at the next request after the sync or event that recorded it.
 */

/** The group name of a department: its path below the root, e.g. "华东区/上海"; the root keeps its name. */
export function departmentPath(id: number, byId: Map<number, { name: string; parent_id: number | null }>): string[] {
  const names: string[] = [];
  const seen = new Set<number>();
  let cid: number | null = id;
  while (cid !== null && !seen.has(cid)) {
    const cur = byId.get(cid);
    if (!cur) break;
    seen.add(cid);
    names.unshift(cur.name);
    cid = cur.parent_id;
  }
  return names;
}

const groupName = (path: string[]) => (path.length > 1 ? path.slice(1) : path).join('/').slice(0, 200);

/**
 * Creates, renames and removes department groups to match wecom_departments; removing one also
 * removes its report grants. Run inside the transaction that changed the departments (the sync's
 * or an event's), so the groups never disagree with the directory they come from.
 */
export async function syncDepartmentGroups(db: Db): Promise<{ created: number; renamed: number; removed: number }> {
  const depts = await db.selectFrom('wecom_departments').select(['id', 'name', 'parent_id']).execute();
  const byId = new Map(depts.map((d) => [d.id, d]));
  const groups = await db.selectFrom('groups').select(['id', 'name', 'description', 'source', 'wecom_department_id']).execute();
  const existing = new Map(groups.filter((g) => g.wecom_department_id !== null).map((g) => [Number(g.wecom_department_id), g]));
  const taken = new Map(groups.map((g) => [g.name, g.id]));
  const out = { created: 0, renamed: 0, removed: 0 };
  const now = nowIso();
  // A manual group (or another department) may hold the name already: the id makes it unique.
  const uniqueName = (wanted: string, deptId: number, selfId?: string) => {
    const owner = taken.get(wanted);
    return owner === undefined || owner === selfId ? wanted : `${wanted} #${deptId}`;
  };
  for (const d of depts) {
    const path = departmentPath(d.id, byId);
    const description = path.join('/');
    const g = existing.get(d.id);
    if (!g) {
      const id = newId();
      const name = uniqueName(groupName(path), d.id);
      await db.insertInto('groups').values({ id, name, description, created_at: now, source: 'wecom_department', wecom_department_id: d.id }).execute();
      taken.set(name, id);
      out.created++;
      continue;
    }
    const name = uniqueName(groupName(path), d.id, g.id);
    if (name !== g.name || description !== g.description) {
      taken.delete(g.name);
      await db.updateTable('groups').set({ name, description }).where('id', '=', g.id).execute();
      taken.set(name, g.id);
      out.renamed++;
    }
  }
  const gone = [...existing.entries()].filter(([deptId]) => !byId.has(deptId)).map(([, g]) => g.id);
  for (let i = 0; i < gone.length; i += 500) {
    const chunk = gone.slice(i, i + 500);
    await db.deleteFrom('report_grants').where('subject_type', '=', 'group').where('subject_id', 'in', chunk).execute();
    await db.deleteFrom('subject_attributes').where('subject_type', '=', 'group').where('subject_id', 'in', chunk).execute();
    await db.deleteFrom('groups').where('id', 'in', chunk).execute();
  }
  out.removed = gone.length;
  return out;
}

/** Bound Shulan users per department id (active members only), for member counts and lists. */
export async function boundUsersByDepartment(db: Db): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('wecom_bindings')
    .innerJoin('wecom_members', 'wecom_members.userid', 'wecom_bindings.wecom_userid')
    .select(['wecom_bindings.user_id', 'wecom_members.department_ids_json'])
    .where('wecom_members.left_at', 'is', null)
    .where('wecom_members.status', '=', 1)
    .execute();
  const out = new Map<number, string[]>();
  for (const r of rows) {
    for (const d of JSON.parse(r.department_ids_json) as number[]) {
      const list = out.get(d) ?? [];
      list.push(r.user_id);
      out.set(d, list);
    }
  }
  return out;
}
