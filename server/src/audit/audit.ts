import { auditTargetKind } from '@shulan/shared';
import type { Db } from '../db/createDb.js';
import type { AuditLogTable } from '../db/schema.js';
import { newId, nowIso } from '../lib/ids.js';
import { currentNames, isNamedKind } from './auditNames.js';

/** The name to keep with the entry: the object's name now, else what the caller put in the detail. */
async function targetName(db: Db, action: string, target: string | null, detail?: Record<string, unknown>): Promise<string | null> {
  if (target === null) return null;
  const kind = auditTargetKind(action);
  if (kind === 'verification_file') return target;
  if (isNamedKind(kind)) {
    const name = (await currentNames(db, [target], [kind])).get(target);
    if (name) return name;
  }
  const fromDetail = detail?.name ?? detail?.username;
  return typeof fromDetail === 'string' ? fromDetail : null;
}

/** The row of one audit line whose target name the caller already knows (a hot path saves the lookup). */
export function auditRow(actorId: string | null, action: string, target: string | null, targetName: string | null, detail?: Record<string, unknown>): AuditLogTable {
  return { id: newId(), at: nowIso(), actor_id: actorId, action, target, target_name: targetName, detail_json: detail ? JSON.stringify(detail) : null };
}

/** Appends one line to the audit log. Never pass secrets in `detail`. */
export async function audit(
  db: Db,
  actorId: string | null,
  action: string,
  target: string | null,
  detail?: Record<string, unknown>,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: nowIso(),
      actor_id: actorId,
      action,
      target,
      target_name: await targetName(db, action, target, detail),
      detail_json: detail ? JSON.stringify(detail) : null,
    })
    .execute();
}
