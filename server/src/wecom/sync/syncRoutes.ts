import {
  WecomSyncRunParamsSchema,
  WecomSyncRunsQuerySchema,
  WecomSyncScheduleBodySchema,
  type WecomSyncProgressEvent,
  type WecomSyncRunView,
  type WecomSyncScheduleView,
} from '@shulan/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import { ForbiddenError, NotFoundError, UnauthorizedError, msg } from '../../errors.js';
import { langOf } from '../../http/lang.js';
import { authenticateSocket, holdSocketSession } from '../../http/socketAuth.js';
import { route, type RouteDef } from '../../http/route.js';
import { scheduleView, writeSchedule } from './scheduleSync.js';
import { syncServiceFor, type SyncEvent } from './SyncService.js';
import { findRun, listRuns, toRunView } from './syncRuns.js';

/** Admin: sync the WeCom address book now, its history and progress, and its schedule. */
export function syncRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  const service = syncServiceFor(deps);
  return [
    route({
      method: 'POST',
      url: '/api/wecom/sync',
      access: 'admin',
      tag: 'wecom',
      summary: 'Start an address-book sync in the background (409 while one is running)',
      async handler() {
        const { runId } = await service.start('manual');
        return { runId };
      },
    }),
    route({
      method: 'GET',
      url: '/api/wecom/sync/runs',
      access: 'admin',
      tag: 'wecom',
      summary: 'History of address-book syncs, newest first',
      query: WecomSyncRunsQuerySchema,
      async handler({ query, lang }): Promise<WecomSyncRunView[]> {
        const rows = await listRuns(db, query.limit);
        return rows.map((r) => toRunView(r, lang, service.progressOf(r.id)));
      },
    }),
    route({
      method: 'GET',
      url: '/api/wecom/sync/runs/:runId',
      access: 'admin',
      tag: 'wecom',
      summary: 'One sync run: status, counts, error and progress {phase, done, total}',
      params: WecomSyncRunParamsSchema,
      async handler({ params, lang }): Promise<WecomSyncRunView> {
        const row = await findRun(db, params.runId);
        if (!row) throw new NotFoundError(msg('同步记录', 'Sync run'));
        return toRunView(row, lang, service.progressOf(row.id));
      },
    }),
    route({
      method: 'GET',
      url: '/api/wecom/sync/schedule',
      access: 'admin',
      tag: 'wecom',
      summary: 'The sync schedule (cron, time zone) and its next run times',
      async handler(): Promise<WecomSyncScheduleView> {
        return scheduleView(db);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/wecom/sync/schedule',
      access: 'admin',
      tag: 'wecom',
      summary: 'Change the sync schedule; 400 for an unparsable cron or unknown time zone',
      body: WecomSyncScheduleBodySchema,
      async handler({ body }): Promise<WecomSyncScheduleView> {
        await writeSchedule(db, body);
        return scheduleView(db);
      },
    }),
  ];
}

export const SYNC_PROGRESS_URL = '/api/wecom/sync/progress';

/**
 * WebSocket GET /api/wecom/sync/progress (admin): JSON WecomSyncProgressEvent messages for every
 * run of this process. Authenticated before the upgrade, from the bearer header or the session
 * cookie (only from this site's Origin, see http/socketAuth.ts).
 */
export function registerSyncProgressSocket(app: FastifyInstance, deps: Deps): void {
  const service = syncServiceFor(deps);
  app.get(
    SYNC_PROGRESS_URL,
    {
      websocket: true,
      preValidation: async (req) => {
        await requireAdmin(req, deps);
      },
    },
    (socket, req) => {
      const lang = langOf(req);
      // Closed when the session ends; every event first checks the user is still an active admin.
      const session = holdSocketSession(socket, req, deps, (u) => u.role === 'admin');
      const send = (e: SyncEvent) =>
        session.serial(async () => {
          if (!(await session.current())) return;
          const out: WecomSyncProgressEvent = { runId: e.runId, status: e.status, progress: e.progress };
          if (e.counts) out.counts = e.counts;
          if (e.error) out.error = e.error[lang];
          socket.send(JSON.stringify(out));
        });
      service.on('progress', send);
      socket.on('close', () => service.off('progress', send));
      socket.on('message', () => undefined); // nothing to receive
    },
  );
}

async function requireAdmin(req: FastifyRequest, deps: Deps): Promise<void> {
  const user = await authenticateSocket(req, deps);
  if (!user) throw new UnauthorizedError();
  if (user.role !== 'admin') throw new ForbiddenError(msg('仅管理员可以执行此操作', 'Only administrators may do this'));
}
