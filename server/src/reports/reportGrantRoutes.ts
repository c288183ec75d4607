import { ReportGrantsSchema, type ReportGrants } from '@shulan/shared';
import { audit } from '../audit/audit.js';
import type { Db } from '../db/createDb.js';
import type { Deps } from '../deps.js';
import { ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { ReportParamsSchema } from './reportParams.js';
import { getGrants, getReport, replaceGrants } from './reportRepo.js';

/** Who (besides editors and admins) may see a report: users and groups. */
export function reportGrantRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/reports/:reportId/grants',
      access: 'editor',
      tag: 'reports',
      summary: 'Users and groups granted this report',
      params: ReportParamsSchema,
      handler: async ({ params }): Promise<ReportGrants> => {
        await getReport(db, params.reportId);
        return getGrants(db, params.reportId);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/reports/:reportId/grants',
      access: 'editor',
      tag: 'reports',
      summary: 'Replace the users and groups granted this report (audited)',
      params: ReportParamsSchema,
      body: ReportGrantsSchema,
      handler: async ({ user, params, body }): Promise<ReportGrants> => {
        await getReport(db, params.reportId);
        await assertSubjectsExist(db, body);
        const before = await getGrants(db, params.reportId);
        await replaceGrants(db, params.reportId, body);
        const after = await getGrants(db, params.reportId);
        await audit(db, user!.id, 'report.grants.update', params.reportId, {
          addedUsers: after.users.filter((u) => !before.users.includes(u)),
          removedUsers: before.users.filter((u) => !after.users.includes(u)),
          addedGroups: after.groups.filter((g) => !before.groups.includes(g)),
          removedGroups: before.groups.filter((g) => !after.groups.includes(g)),
          subDepartments: after.subDepartments,
        });
        return after;
      },
    }),
  ];
}

async function assertSubjectsExist(db: Db, grants: ReportGrants): Promise<void> {
  const users = [...new Set(grants.users)];
  const groups = [...new Set(grants.groups)];
  const found = new Set<string>();
  for (let i = 0; i < users.length; i += 500) {
    const rows = await db.selectFrom('users').select('id').where('id', 'in', users.slice(i, i + 500)).execute();
    rows.forEach((r) => found.add(r.id));
  }
  const missingUser = users.find((u) => !found.has(u));
  if (missingUser) {
    throw new ValidationError(msg(`用户「${missingUser}」不存在`, `User "${missingUser}" does not exist`), { userId: missingUser });
  }
  if (groups.length === 0) {
    if (grants.subDepartments.length) throw new ValidationError(msg('“含下级部门”只能用于已授权的部门', '"With sub-departments" applies only to a granted department'));
    return;
  }
  const groupRows = await db.selectFrom('groups').select(['id', 'name', 'source']).where('id', 'in', groups).execute();
  const missingGroup = groups.find((g) => !groupRows.some((r) => r.id === g));
  if (missingGroup) {
    throw new ValidationError(msg(`用户组「${missingGroup}」不存在`, `Group "${missingGroup}" does not exist`), { groupId: missingGroup });
  }
  for (const id of grants.subDepartments) {
    const g = groupRows.find((r) => r.id === id);
    if (!g) throw new ValidationError(msg('“含下级部门”只能用于已授权的部门', '"With sub-departments" applies only to a granted department'), { groupId: id });
    if (g.source !== 'wecom_department') {
      throw new ValidationError(msg(`「${g.name}」不是企业微信部门，没有下级部门`, `"${g.name}" is not a WeCom department, so it has no sub-departments`), { groupId: id });
    }
  }
}
