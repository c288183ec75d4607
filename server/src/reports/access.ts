import type { SessionUser } from '@shulan/shared';
import type { Db } from '../db/createDb.js';
import { ForbiddenError, NotFoundError, msg } from '../errors.js';

/**
 * The one rule for who sees a report, used by every route that reads report data:
 * admins and editors see all; viewers see reports granted to them or to one of their groups.
 */
export async function canViewReport(db: Db, user: SessionUser, reportId: string): Promise<boolean> {
  if (user.role === 'admin' || user.role === 'editor') return true;
  const grant = await db
    .selectFrom('report_grants')
    .select('report_id')
    .where('report_id', '=', reportId)
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'user'), eb('subject_id', '=', user.id)]),
        eb.and([
          eb('subject_type', '=', 'group'),
          eb(
            'subject_id',
            'in',
            eb.selectFrom('group_members').select('group_id').where('user_id', '=', user.id),
          ),
        ]),
      ]),
    )
    .executeTakeFirst();
  return grant !== undefined;
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
  const rows = await db
    .selectFrom('report_grants')
    .select('report_id')
    .distinct()
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'user'), eb('subject_id', '=', user.id)]),
        eb.and([
          eb('subject_type', '=', 'group'),
          eb('subject_id', 'in', eb.selectFrom('group_members').select('group_id').where('user_id', '=', user.id)),
        ]),
      ]),
    )
    .execute();
  return rows.map((r) => r.report_id);
}
