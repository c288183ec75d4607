import {
  CreateReportBodySchema,
  ReportListQuerySchema,
  UpdateReportBodySchema,
  type ReportDetail,
  type ReportList,
} from '@shulan/shared';
import { audit } from '../audit/audit.js';
import { getQueryableDataset } from '../datasets/getQueryableDataset.js';
import type { Deps } from '../deps.js';
import { route, type RouteDef } from '../http/route.js';
import { listVisibleReportIds } from './access.js';
import { favoriteRoutes, isFavorite } from './favoriteRoutes.js';
import { reportGrantRoutes } from './reportGrantRoutes.js';
import { ReportParamsSchema } from './reportParams.js';
import { deleteReport, getReport, insertReport, listReports, summaryOf, updateReport } from './reportRepo.js';
import { validateDefinition, memoLoader } from './validateDefinition.js';
import { widgetDataRoutes } from './widgetDataRoutes.js';

/** Reports: list, read, write, and (in the included files) widget data and grants. */
export function reportRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  const loader = () => memoLoader((id) => getQueryableDataset(deps, id, null));
  return [
    route({
      method: 'GET',
      url: '/api/reports',
      access: 'user',
      tag: 'reports',
      summary: 'Reports the caller may see, newest first; q searches names',
      query: ReportListQuerySchema,
      handler: async ({ user, query }): Promise<ReportList> => {
        const ids = await listVisibleReportIds(db, user!);
        return listReports(db, { ids, q: query.q, limit: query.limit, offset: query.offset });
      },
    }),
    route({
      method: 'POST',
      url: '/api/reports',
      access: 'editor',
      tag: 'reports',
      summary: 'Create a report; every widget query is checked against its dataset',
      body: CreateReportBodySchema,
      handler: async ({ user, body }): Promise<ReportDetail> => {
        await validateDefinition(body.definition, loader());
        const id = await insertReport(db, {
          name: body.name,
          description: body.description ?? null,
          definition: body.definition,
          createdBy: user!.id,
        });
        await audit(db, user!.id, 'report.create', id, { name: body.name });
        return { ...(await getReport(db, id)), canEdit: true };
      },
    }),
    route({
      method: 'GET',
      url: '/api/reports/:reportId',
      access: 'report',
      tag: 'reports',
      summary: 'One report with its definition (needs a grant for viewers)',
      params: ReportParamsSchema,
      handler: async ({ user, params }): Promise<ReportDetail> => {
        const r = await getReport(db, params.reportId);
        const favorite = await isFavorite(db, user!.id, r.id);
        return { ...summaryOf(r), definition: r.definition, canEdit: user!.role !== 'viewer', favorite };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/reports/:reportId',
      access: 'editor',
      tag: 'reports',
      summary: 'Change a report (name, description, definition)',
      params: ReportParamsSchema,
      body: UpdateReportBodySchema,
      handler: async ({ user, params, body }): Promise<ReportDetail> => {
        await getReport(db, params.reportId);
        if (body.definition) await validateDefinition(body.definition, loader());
        await updateReport(db, params.reportId, body);
        await audit(db, user!.id, 'report.update', params.reportId, body.name ? { name: body.name } : undefined);
        return { ...(await getReport(db, params.reportId)), canEdit: true };
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/reports/:reportId',
      access: 'editor',
      tag: 'reports',
      summary: 'Delete a report and its grants',
      params: ReportParamsSchema,
      handler: async ({ user, params }) => {
        const r = await getReport(db, params.reportId);
        await deleteReport(db, params.reportId);
        await audit(db, user!.id, 'report.delete', params.reportId, { name: r.name });
        return { deleted: true };
      },
    }),
    ...widgetDataRoutes(deps),
    ...reportGrantRoutes(deps),
    ...favoriteRoutes(deps),
  ];
}
