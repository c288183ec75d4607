import type { SessionUser } from '@shulan/shared';
import type { Db } from '../db/createDb.js';
import { ForbiddenError, NotFoundError, msg } from '../errors.js';
import { loadViewer, type Viewer } from '../permissions/viewer.js';

/**
 * Grants that reach a viewer: to the user, to one of its groups (WeCom department groups of its
 * own departments included), or to a department above its own when the grant includes
 * sub-departments. Membership is read fresh (viewer.ts), so a move in WeCom counts at once.
 */
async function grantedReportIds(db: Db, viewer: Viewer, reportId?: string): Promise<string[]> {
  const groups = [...viewer.groupIds];
  const above = [...viewer.ancestorGroupIds];
  let q = db
    .selectFrom('report_grants')
    .select('report_id')
    .distinct()
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'user'), eb('subject_id', '=', viewer.user.id)]),
        ...(groups.length ? [eb.and([eb('subject_type', '=', 'group'), eb('subject_id', 'in', groups)])] : []),
        ...(above.length ? [eb.and([eb('subject_type', '=', 'group'), eb('include_sub', '=', 1), eb('subject_id', 'in', above)])] : []),
      ]),
    );
  if (reportId) q = q.where('report_id', '=', reportId);
  return (await q.execute()).map((r) => r.report_id);
}

/**
 * The one rule for who sees a report, used by every route that reads report data:
 * admins and editors see all; viewers see reports granted to them, their groups or departments.
 */
export async function canViewReport(db: Db, user: SessionUser, reportId: string): Promise<boolean> {
  if (user.role === 'admin' || user.role === 'editor') return true;
  return (await grantedReportIds(db, await loadViewer(db, user), reportId)).length > 0;
}

/** Throws 404 when the report does not exist and 403 when the user may not see it. */
export async function assertCanViewReport(db: Db, user: SessionUser, reportId: string): Promise<void> {
  const exists = await db.selectFrom('reports').select('id').where('id', '=', reportId).executeTakeFirst();
  if (!exists) throw new NotFoundError(msg('报表', 'Report'));
  if (!(await canViewReport(db, user, reportId))) {
    throw new ForbiddenError(msg('您没有查看此报表的权限，请联系管理员授权', 'You have not been granted this report; ask an administrator'));
  }
}

/** Ids of the reports a user may list (null = all, for admins and editors). */
export async function listVisibleReportIds(db: Db, user: SessionUser): Promise<string[] | null> {
  if (user.role === 'admin' || user.role === 'editor') return null;
  return grantedReportIds(db, await loadViewer(db, user));
}
