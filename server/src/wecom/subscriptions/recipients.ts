import type { RecipientStatus, SubscriptionRecipients } from '@shulan/shared';
import type { Db } from '../../db/createDb.js';
import { canViewReport } from '../../reports/access.js';
import { boundUsersByDepartment } from '../../permissions/departmentGroups.js';

/** One person a card is meant for, and whether it can go to them. */
export interface PlannedRecipient {
  userId: string | null;
  name: string;
  wecomUserid: string | null;
  /** 'sent' = eligible (the send decides the final status). */
  status: RecipientStatus;
  detail: string | null;
}

/** A department and all its sub-departments, from the synced directory. */
async function withSubDepartments(db: Db, roots: number[]): Promise<Set<number>> {
  const all = await db.selectFrom('wecom_departments').select(['id', 'parent_id']).execute();
  const found = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of all) {
      if (d.parent_id !== null && found.has(d.parent_id) && !found.has(d.id)) {
        found.add(d.id);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * Expands users, groups and WeCom departments into people, and decides who may get the card: only
 * active users who may view the report and have a WeCom binding to an active member. Everyone else
 * is kept with the reason, for the send record.
 */
export async function planRecipients(db: Db, reportId: string, r: SubscriptionRecipients): Promise<PlannedRecipient[]> {
  const userIds = new Set(r.users);
  if (r.groups.length) {
    const rows = await db.selectFrom('group_members').select('user_id').where('group_id', 'in', r.groups).execute();
    for (const row of rows) userIds.add(row.user_id);
    // WeCom department groups: their members are the bound users of the department now.
    const depts = await db.selectFrom('groups').select('wecom_department_id').where('id', 'in', r.groups).where('wecom_department_id', 'is not', null).execute();
    if (depts.length) {
      const bound = await boundUsersByDepartment(db);
      for (const d of depts) for (const id of bound.get(Number(d.wecom_department_id)) ?? []) userIds.add(id);
    }
  }
  const out: PlannedRecipient[] = [];
  // Department members: through their binding to a Shulan account, or reported as having none.
  if (r.departments.length) {
    const depts = await withSubDepartments(db, r.departments);
    const members = await db.selectFrom('wecom_members').selectAll().execute();
    const bindings = new Map((await db.selectFrom('wecom_bindings').select(['user_id', 'wecom_userid']).execute()).map((b) => [b.wecom_userid, b.user_id]));
    for (const m of members) {
      const ids = JSON.parse(m.department_ids_json) as number[];
      if (!ids.some((id) => depts.has(id))) continue;
      const userId = bindings.get(m.userid);
      if (userId) userIds.add(userId);
      else out.push({ userId: null, name: m.name, wecomUserid: m.userid, status: 'no_account', detail: null });
    }
  }
  if (!userIds.size) return out;
  const users = await db
    .selectFrom('users')
    .leftJoin('wecom_bindings', 'wecom_bindings.user_id', 'users.id')
    .leftJoin('wecom_members', 'wecom_members.userid', 'wecom_bindings.wecom_userid')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.status',
      'wecom_bindings.wecom_userid',
      'wecom_members.status as member_status',
      'wecom_members.left_at',
    ])
    .where('users.id', 'in', [...userIds])
    .orderBy('users.display_name')
    .execute();
  for (const u of users) {
    const base = { userId: u.id, name: u.display_name, wecomUserid: u.wecom_userid ?? null, detail: null };
    if (u.status !== 'active') {
      out.push({ ...base, status: 'inactive', detail: 'account disabled' });
    } else if (!(await canViewReport(db, { id: u.id, username: u.username, displayName: u.display_name, role: u.role, status: u.status }, reportId))) {
      out.push({ ...base, status: 'no_access' });
    } else if (!u.wecom_userid) {
      out.push({ ...base, status: 'no_wecom' });
    } else if (u.member_status !== null && u.member_status !== undefined && (u.member_status !== 1 || u.left_at !== null)) {
      // Known to the synced directory as disabled, not yet active, or gone (a member never synced is tried).
      out.push({ ...base, status: 'inactive', detail: 'WeCom member disabled or left' });
    } else {
      out.push({ ...base, status: 'sent' });
    }
  }
  return out;
}
