import { AuditQuerySchema, auditTargetKind, type AuditEntry, type AuditPage } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { route, type RouteDef } from '../http/route.js';
import { startsWith } from '../users/userRepo.js';
import { currentNames, isNamedKind, looksLikeId, wecomMemberNames } from './auditNames.js';

function parseDetail(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Ids in a detail's values (top level and lists), so the page can show names instead. */
function idsIn(detail: Record<string, unknown> | null): string[] {
  if (!detail) return [];
  return Object.values(detail)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter(looksLikeId);
}

export function auditRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/audit',
      access: 'admin',
      tag: 'audit',
      summary: 'Audit log, newest first, with the names of actors and objects; filter by action (or its start) and actor',
      query: AuditQuerySchema,
      handler: async ({ query }): Promise<AuditPage> => {
        let base = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.actor_id');
        if (query.action) base = base.where(startsWith('audit_log.action', query.action));
        if (query.actor) {
          const actor = query.actor;
          base = base.where((eb) => eb.or([startsWith('users.username_key', actor.toLowerCase()), startsWith('users.display_name', actor)]));
        }
        const [rows, count] = await Promise.all([
          base
            .select([
              'audit_log.id',
              'audit_log.at',
              'audit_log.actor_id',
              'audit_log.action',
              'audit_log.target',
              'audit_log.target_name',
              'audit_log.detail_json',
              'users.username',
              'users.display_name',
            ])
            .orderBy('audit_log.at', 'desc')
            .orderBy('audit_log.id', 'desc')
            .limit(query.limit)
            .offset(query.offset)
            .execute(),
          base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        ]);
        const entries = rows.map((r) => ({ row: r, kind: r.target === null ? null : auditTargetKind(r.action), detail: parseDetail(r.detail_json) }));
        const ids = entries.flatMap((e) => [...(isNamedKind(e.kind) && e.row.target ? [e.row.target] : []), ...idsIn(e.detail)]);
        const wecomUserids = entries.map((e) => e.detail?.wecomUserid).filter((v): v is string => typeof v === 'string');
        const [names, members] = await Promise.all([currentNames(db, ids), wecomMemberNames(db, wecomUserids)]);

        const items: AuditEntry[] = entries.map(({ row: r, kind, detail }) => ({
          id: r.id,
          at: r.at,
          actor: r.actor_id ? { id: r.actor_id, username: r.username, displayName: r.display_name } : null,
          action: r.action,
          target: r.target,
          targetKind: kind,
          targetName: (r.target && names.get(r.target)) ?? r.target_name,
          detail,
        }));
        return { items, total: Number(count.n), names: Object.fromEntries([...names, ...members]) };
      },
    }),
  ];
}
