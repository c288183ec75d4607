import type { WecomMemberPage, WecomMemberSearchQuery, WecomMemberView } from '@shulan/shared';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/createDb.js';
import type { Database } from '../../db/schema.js';
import { escapeLike } from '../../users/userRepo.js';

type Eb = ExpressionBuilder<Database, 'wecom_members'>;

/** Departments whose name matches are looked for in at most this many departments. */
const MAX_DEPARTMENT_HITS = 100;

const contains = (column: string, needle: string) => sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${escapeLike(needle.toLowerCase())}%`} escape '\\'`;

/** department_ids_json is a compact JSON array ("[2,3]"): the id as a whole element. */
function inDepartment(eb: Eb, id: number): Expression<SqlBool> {
  return eb.or(
    [`[${id}]`, `[${id},%`, `%,${id},%`, `%,${id}]`].map((p) => eb('wecom_members.department_ids_json', 'like', p)),
  );
}

/**
 * Searches the synced directory for the manual-match dialog: part of a name, userid, department
 * name, or mobile (only where WeCom lets the app read mobiles). Active members only unless asked.
 */
export async function searchMembers(db: Db, query: WecomMemberSearchQuery): Promise<WecomMemberPage> {
  const q = query.q.trim();
  const departments = await db.selectFrom('wecom_departments').select(['id', 'name', 'parent_id']).execute();
  const deptHits = q === '' ? [] : departments.filter((d) => d.name.toLowerCase().includes(q.toLowerCase())).slice(0, MAX_DEPARTMENT_HITS);
  const digits = q.replace(/[\s-]/g, '');

  const where = (eb: Eb): Expression<SqlBool> => {
    const conds: Expression<SqlBool>[] = [];
    if (!query.includeInactive) conds.push(eb.and([eb('wecom_members.status', '=', 1), eb('wecom_members.left_at', 'is', null)]));
    if (q !== '') {
      const any: Expression<SqlBool>[] = [contains('wecom_members.name', q), contains('wecom_members.userid', q)];
      if (/^\+?\d{3,}$/.test(digits)) any.push(contains('wecom_members.mobile', digits));
      for (const d of deptHits) any.push(inDepartment(eb, d.id));
      conds.push(eb.or(any));
    }
    return eb.and(conds);
  };

  const [rows, count] = await Promise.all([
    db.selectFrom('wecom_members').selectAll().where(where).orderBy('wecom_members.name').orderBy('wecom_members.userid').limit(query.limit).offset(query.offset).execute(),
    db.selectFrom('wecom_members').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow(),
  ]);

  const bound = rows.length === 0
    ? []
    : await db
        .selectFrom('wecom_bindings')
        .innerJoin('users', 'users.id', 'wecom_bindings.user_id')
        .select(['wecom_bindings.wecom_userid', 'users.id', 'users.username', 'users.display_name'])
        .where('wecom_bindings.wecom_userid', 'in', rows.map((r) => r.userid))
        .execute();
  const boundTo = new Map(bound.map((b) => [b.wecom_userid, { userId: b.id, username: b.username, displayName: b.display_name }]));
  const path = departmentPaths(departments);

  const items: WecomMemberView[] = rows.map((m) => ({
    userid: m.userid,
    name: m.name,
    position: m.position,
    departments: (JSON.parse(m.department_ids_json) as number[]).map((id) => path(id)),
    status: m.status,
    left: m.left_at !== null,
    boundTo: boundTo.get(m.userid) ?? null,
  }));
  return { items, total: Number(count.n) };
}

/** "总部 / 销售部 / 华东区" for a department id (its own id when not synced). */
function departmentPaths(departments: { id: number; name: string; parent_id: number | null }[]): (id: number) => string {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const cache = new Map<number, string>();
  return (id) => {
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    const names: string[] = [];
    const seen = new Set<number>();
    for (let d = byId.get(id); d && !seen.has(d.id); d = d.parent_id === null ? undefined : byId.get(d.parent_id)) {
      seen.add(d.id);
      names.unshift(d.name);
    }
    const out = names.length === 0 ? String(id) : names.join(' / ');
    cache.set(id, out);
    return out;
  };
}
