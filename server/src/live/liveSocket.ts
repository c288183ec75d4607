import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { UnauthorizedError } from '../errors.js';
import { authenticateSocket, holdSocketSession } from '../http/socketAuth.js';
import { canViewReport } from '../reports/access.js';
import type { DataChangedEvent } from './LiveEvents.js';

export const LIVE_URL = '/api/live';
/** Set on the answer to an upgrade request of LIVE_URL, whatever the outcome. */
export const UPGRADE_SEEN_HEADER = 'x-shulan-upgrade';

/**
 * What a client may send: the reports it has open, and a heartbeat ping (the mini program's
 * SocketTask cannot send protocol-level pings, so it proves the link alive with a message).
 */
const ClientMessageSchema = z.union([
  z.strictObject({ subscribe: z.string().min(1).max(64) }),
  z.strictObject({ unsubscribe: z.string().min(1).max(64) }),
  z.strictObject({ ping: z.literal(true) }),
]);

/** At most this many reports per socket, so one client cannot make the server track thousands. */
const MAX_SUBSCRIPTIONS = 20;

export type LiveServerMessage =
  | { type: 'report.data_changed'; reportId: string }
  | { type: 'subscribed'; reportId: string }
  | { type: 'pong' }
  | { type: 'error'; message: string };

/** Dataset ids a report reads, from its definition. */
async function reportDatasetIds(deps: Deps, reportId: string): Promise<Set<string>> {
  const row = await deps.db.selectFrom('reports').select('definition_json').where('id', '=', reportId).executeTakeFirst();
  if (!row) return new Set();
  const def = JSON.parse(row.definition_json) as { widgets?: { datasetId?: string }[] };
  return new Set((def.widgets ?? []).map((w) => w.datasetId).filter((id): id is string => typeof id === 'string'));
}

/**
 * WebSocket GET /api/live (any logged-in user; bearer header from the mini program): the client
 * sends `{subscribe: reportId}` and receives `{type:'report.data_changed', reportId}` whenever a
 * dataset of that report gets a new data_version.
 */
export function registerLiveSocket(app: FastifyInstance, deps: Deps): void {
  app.get(
    LIVE_URL,
    {
      websocket: true,
      preValidation: async (req, reply) => {
        // Says the request reached Shulan as a WebSocket upgrade, so `shulan doctor` can tell a
        // proxy that passes the upgrade from one that drops it (both end in this 401 without a session).
        if (req.ws) void reply.header(UPGRADE_SEEN_HEADER, 'websocket');
        if (!(await authenticateSocket(req, deps))) throw new UnauthorizedError();
      },
    },
    (socket, req) => {
      // Every event and every subscribe asks again: the session may have ended, the user been
      // disabled or a grant revoked since the handshake.
      const session = holdSocketSession(socket, req, deps);
      const subscriptions = new Map<string, Set<string>>(); // reportId → its dataset ids
      const send = (m: LiveServerMessage) => socket.send(JSON.stringify(m));

      const onChange = (e: DataChangedEvent) =>
        session.serial(async () => {
          const hit = [...subscriptions].filter(([, datasets]) => e.datasetIds.some((id) => datasets.has(id))).map(([reportId]) => reportId);
          if (hit.length === 0) return;
          const user = await session.current();
          if (!user) return;
          for (const reportId of hit) {
            if (await canViewReport(deps.db, user, reportId)) send({ type: 'report.data_changed', reportId });
            else subscriptions.delete(reportId);
          }
        });
      const off = deps.liveEvents.onDataChanged(onChange);
      socket.on('close', off);

      const onMessage = async (raw: Buffer) => {
        let parsed: z.infer<typeof ClientMessageSchema>;
        try {
          parsed = ClientMessageSchema.parse(JSON.parse(raw.toString('utf8')));
        } catch {
          send({ type: 'error', message: 'expected {"subscribe": "<reportId>"}, {"unsubscribe": "<reportId>"} or {"ping": true}' });
          return;
        }
        if ('ping' in parsed) {
          send({ type: 'pong' });
          return;
        }
        if ('unsubscribe' in parsed) {
          subscriptions.delete(parsed.unsubscribe);
          return;
        }
        const reportId = parsed.subscribe;
        const user = await session.current();
        if (!user) return;
        // Same rule as every report read; a report the user may not see is silently not watched.
        if (subscriptions.size >= MAX_SUBSCRIPTIONS || !(await canViewReport(deps.db, user, reportId))) {
          send({ type: 'error', message: 'cannot subscribe to this report' });
          return;
        }
        subscriptions.set(reportId, await reportDatasetIds(deps, reportId));
        send({ type: 'subscribed', reportId });
      };
      socket.on('message', (raw: Buffer) => session.serial(() => onMessage(raw).catch(() => send({ type: 'error', message: 'subscription failed' }))));
    },
  );
}
