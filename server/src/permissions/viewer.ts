import { EXT_ATTRIBUTE_PREFIX, type GroupSource, type SessionUser } from '@shulan/shared';
import type { Db } from '../db/createDb.js';

type Attrs = Record<string, string[]>;

/**
 * Everything the access rules need to know about the person asking, read fresh on each request
 * (no cache, so a WeCom move or an admin's change counts at the next request).
 */
export interface Viewer {
  user: SessionUser;
  /** Manual groups, and the department groups of the user's own WeCom departments. */
  groupIds: Set<string>;
  /** Department groups of the departments above the user's own (grants "with sub-departments", rules). */
  ancestorGroupIds: Set<string>;
  groups: { id: string; name: string; source: GroupSource }[];
  directory: Attrs;
  own: Attrs;
  inherited: Attrs;
  /** What row rules see: directory, overridden by group/department attributes, overridden by the user's own. */
  attributes: Attrs;
}

const parseAttrs = (json: string | undefined): Attrs => (json ? (JSON.parse(json) as Attrs) : {});

export async function loadViewer(db: Db, user: SessionUser): Promise<Viewer> {
  const manual = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['groups.id', 'groups.name', 'groups.source'])
    .where('group_members.user_id', '=', user.id)
    // A stray row for a department group (an import naming a department) gives nothing: departments come from WeCom.
    .where('groups.source', '=', 'manual')
    .execute();

  // The WeCom member bound to the user, while active: departments, position, custom fields.
  const member = await db
    .selectFrom('wecom_bindings')
    .innerJoin('wecom_members', 'wecom_members.userid', 'wecom_bindings.wecom_userid')
    .select(['wecom_members.userid', 'wecom_members.department_ids_json', 'wecom_members.main_department', 'wecom_members.position', 'wecom_members.extattr_json'])
    .where('wecom_bindings.user_id', '=', user.id)
    .where('wecom_members.left_at', 'is', null)
    .where('wecom_members.status', '=', 1)
    .executeTakeFirst();
  const ownDepts = member ? (JSON.parse(member.department_ids_json) as number[]) : [];

  // The user's departments and every department above them, in one recursive query.
  const chain = ownDepts.length
    ? await db
        .withRecursive('chain(id, name, parent_id)', (qb) =>
          qb
            .selectFrom('wecom_departments')
            .select(['id', 'name', 'parent_id'])
            .where('id', 'in', ownDepts)
            .union((q2) =>
              q2
                .selectFrom('wecom_departments as d')
                .innerJoin('chain', 'chain.parent_id', 'd.id')
                .select(['d.id', 'd.name', 'd.parent_id']),
            ),
        )
        .selectFrom('chain')
        .selectAll()
        .execute()
    : [];
  const deptById = new Map(chain.map((d) => [Number(d.id), { name: d.name, parent: d.parent_id === null ? null : Number(d.parent_id) }]));
  const deptGroups = deptById.size
    ? await db.selectFrom('groups').select(['id', 'name', 'wecom_department_id']).where('wecom_department_id', 'in', [...deptById.keys()]).execute()
    : [];
  const groupOfDept = new Map(deptGroups.map((g) => [Number(g.wecom_department_id), g]));
  const pathOf = (id: number): number[] => {
    const out: number[] = [];
    for (let cur: number | null = id; cur !== null && deptById.has(cur) && !out.includes(cur); cur = deptById.get(cur)!.parent) out.push(cur);
    return out; // nearest first
  };

  const groupIds = new Set(manual.map((g) => g.id));
  const ancestorGroupIds = new Set<string>();
  const groups: Viewer['groups'] = manual.map((g) => ({ id: g.id, name: g.name, source: g.source }));
  for (const d of ownDepts) {
    const g = groupOfDept.get(d);
    if (g && !groupIds.has(g.id)) {
      groupIds.add(g.id);
      groups.push({ id: g.id, name: g.name, source: 'wecom_department' });
    }
    for (const a of pathOf(d).slice(1)) {
      const ag = groupOfDept.get(a);
      if (ag) ancestorGroupIds.add(ag.id);
    }
  }

  // Admin-set attributes of the user, its groups and the departments on its paths.
  const subjects = [...groupIds, ...ancestorGroupIds];
  const attrRows = await db
    .selectFrom('subject_attributes')
    .select(['subject_type', 'subject_id', 'attributes_json'])
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'user'), eb('subject_id', '=', user.id)]),
        ...(subjects.length ? [eb.and([eb('subject_type', '=', 'group'), eb('subject_id', 'in', subjects)])] : []),
      ]),
    )
    .execute();
  const own = parseAttrs(attrRows.find((r) => r.subject_type === 'user')?.attributes_json);
  const ofGroup = new Map(attrRows.filter((r) => r.subject_type === 'group').map((r) => [r.subject_id, parseAttrs(r.attributes_json)]));

  const inherited: Attrs = {};
  const addAll = (name: string, values: string[]) => {
    const set = new Set(inherited[name] ?? []);
    for (const v of values) set.add(v);
    inherited[name] = [...set];
  };
  // Per own department, the nearest department defining a name wins; several departments add up.
  for (const d of ownDepts) {
    const found: Attrs = {};
    for (const a of pathOf(d)) {
      const g = groupOfDept.get(a);
      for (const [name, values] of Object.entries((g && ofGroup.get(g.id)) ?? {})) if (!(name in found)) found[name] = values;
    }
    for (const [name, values] of Object.entries(found)) addAll(name, values);
  }
  for (const g of manual) for (const [name, values] of Object.entries(ofGroup.get(g.id) ?? {})) addAll(name, values);

  const directory: Attrs = {};
  if (member) {
    const main = member.main_department !== null && ownDepts.includes(Number(member.main_department)) ? Number(member.main_department) : ownDepts[0];
    directory.userid = [member.userid];
    directory.departmentIds = ownDepts.map(String);
    directory.departments = ownDepts.map((d) => deptById.get(d)?.name).filter((n): n is string => !!n);
    if (main !== undefined && deptById.has(main)) {
      directory.department = [deptById.get(main)!.name];
      directory.departmentPath = [pathOf(main).reverse().map((d) => deptById.get(d)!.name).join('/')];
    }
    if (member.position) directory.position = [member.position];
    for (const [name, value] of Object.entries(parseAttrs(member.extattr_json ?? undefined) as unknown as Record<string, string>)) {
      if (value) directory[`${EXT_ATTRIBUTE_PREFIX}${name}`] = [value];
    }
  }
  return { user, groupIds, ancestorGroupIds, groups, directory, own, inherited, attributes: { ...directory, ...inherited, ...own } };
}
