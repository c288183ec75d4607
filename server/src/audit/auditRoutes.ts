import { AuditQuerySchema, type AuditEntry, type AuditPage } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { route, type RouteDef } from '../http/route.js';
import { startsWith } from '../users/userRepo.js';

function parseDetail(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function auditRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/audit',
      access: 'admin',
      tag: 'audit',
      summary: 'Audit log, newest first; filter by action prefix (e.g. "user.")',
      query: AuditQuerySchema,
      handler: async ({ query }): Promise<AuditPage> => {
        let base = db.selectFrom('audit_log');
        if (query.action) base = base.where(startsWith('audit_log.action', query.action));
        const [rows, count] = await Promise.all([
          base
            .leftJoin('users', 'users.id', 'audit_log.actor_id')
            .select(['audit_log.id', 'audit_log.at', 'audit_log.actor_id', 'audit_log.action', 'audit_log.target', 'audit_log.detail_json', 'users.username'])
            .orderBy('audit_log.at', 'desc')
            .orderBy('audit_log.id', 'desc')
            .limit(query.limit)
            .offset(query.offset)
            .execute(),
          base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        ]);
        const items: AuditEntry[] = rows.map((r) => ({
          id: r.id,
          at: r.at,
          actor: r.actor_id ? { id: r.actor_id, username: r.username } : null,
          action: r.action,
          target: r.target,
          detail: parseDetail(r.detail_json),
        }));
        return { items, total: Number(count.n) };
      },
    }),
  ];
}
