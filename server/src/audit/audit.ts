import type { Db } from '../db/createDb.js';
import { newId, nowIso } from '../lib/ids.js';

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
      detail_json: detail ? JSON.stringify(detail) : null,
    })
    .execute();
}
