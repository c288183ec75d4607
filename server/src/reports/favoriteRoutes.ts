import type { FavoriteState, ReportList } from '@shulan/shared';
import type { Db } from '../db/createDb.js';
import type { Deps } from '../deps.js';
import { route, type RouteDef } from '../http/route.js';
import { nowIso } from '../lib/ids.js';
import { listVisibleReportIds } from './access.js';
import { ReportParamsSchema } from './reportParams.js';
import { listReports } from './reportRepo.js';

/**
 * Starred reports (★), one list per user shared by the web viewer and the mini program.
 * Personal bookmarks, so not audited. Starring needs the 'report' right; listing re-checks
 * grants, so a report whose grant was revoked drops out without touching the star.
 */
export function favoriteRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/favorites',
      access: 'user',
      tag: 'reports',
      summary: 'Reports the caller starred and may still see, most recently starred first',
      handler: async ({ user }): Promise<ReportList> => {
        const starred = await db
          .selectFrom('report_favorites')
          .select('report_id')
          .where('user_id', '=', user!.id)
          .orderBy('created_at', 'desc')
          .orderBy('report_id')
          .execute();
        const visible = await listVisibleReportIds(db, user!);
        const allowed = visible === null ? null : new Set(visible);
        const ids = starred.map((r) => r.report_id).filter((id) => allowed === null || allowed.has(id));
        if (ids.length === 0) return { items: [], total: 0 };
        const list = await listReports(db, { ids, limit: 500, offset: 0 });
        const rank = new Map(ids.map((id, i) => [id, i]));
        const items = list.items.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
        return { items, total: items.length };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/reports/:reportId/favorite',
      access: 'report',
      tag: 'reports',
      summary: 'Star a report for the caller (idempotent)',
      params: ReportParamsSchema,
      handler: async ({ user, params }): Promise<FavoriteState> => {
        if (!(await isFavorite(db, user!.id, params.reportId))) {
          await db
            .insertInto('report_favorites')
            .values({ user_id: user!.id, report_id: params.reportId, created_at: nowIso() })
            // Two taps racing: the second insert finds the row and changes nothing.
            .onConflict((oc) => oc.columns(['user_id', 'report_id']).doNothing())
            .execute();
        }
        return { favorite: true };
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/reports/:reportId/favorite',
      access: 'report',
      tag: 'reports',
      summary: 'Remove the star of a report for the caller (idempotent)',
      params: ReportParamsSchema,
      handler: async ({ user, params }): Promise<FavoriteState> => {
        await db.deleteFrom('report_favorites').where('user_id', '=', user!.id).where('report_id', '=', params.reportId).execute();
        return { favorite: false };
      },
    }),
  ];
}

export async function isFavorite(db: Db, userId: string, reportId: string): Promise<boolean> {
  const row = await db
    .selectFrom('report_favorites')
    .select('report_id')
    .where('user_id', '=', userId)
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return row !== undefined;
}
