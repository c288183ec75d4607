import type { SessionUser } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { ForbiddenError, ValidationError, msg } from '../errors.js';
import { canViewReport } from '../reports/access.js';
import { findUserById } from '../users/userRepo.js';
import { loadViewer, type Viewer } from './viewer.js';

/** A view-as ticket lasts an hour: long enough to look around, short enough to not linger. */
export const VIEW_AS_TTL_MS = 60 * 60 * 1000;

interface Ticket {
  /** The admin who asked, the user looked through, the report, the expiry (ms). */
  a: string;
  u: string;
  r: string;
  exp: number;
}

/**
 * A ticket letting one admin read one report's data as another user. Sealed with the server's
 * secret key (AES-GCM), so it cannot be forged or altered; creating one is audited.
 */
export function issueViewAsToken(deps: Pick<Deps, 'secretBox'>, adminId: string, userId: string, reportId: string, now = Date.now()): { token: string; expiresAt: string } {
  const exp = now + VIEW_AS_TTL_MS;
  const ticket: Ticket = { a: adminId, u: userId, r: reportId, exp };
  return { token: deps.secretBox.encrypt(JSON.stringify(ticket)), expiresAt: new Date(exp).toISOString() };
}

const badTicket = () => new ValidationError(msg('“以他人身份查看”已失效，请重新选择用户', 'The "view as" preview has expired; choose the user again'));

async function sessionUserOf(deps: Pick<Deps, 'db'>, id: string): Promise<SessionUser | null> {
  const u = await findUserById(deps.db, id);
  return u ? { id: u.id, username: u.username, displayName: u.display_name, role: u.role, status: u.status } : null;
}

/**
 * Whose eyes a data request looks through: the caller's, or with an admin's view-as ticket the
 * chosen user's (who must be allowed the report, or the preview would show what they cannot see).
 */
export async function viewerFor(deps: Pick<Deps, 'db' | 'secretBox'>, caller: SessionUser, reportId: string, viewAs: string | undefined): Promise<Viewer> {
  if (!viewAs) return loadViewer(deps.db, caller);
  if (caller.role !== 'admin') throw new ForbiddenError(msg('只有管理员可以以他人身份查看报表', 'Only administrators may view a report as someone else'));
  let t: Ticket;
  try {
    t = JSON.parse(deps.secretBox.decrypt(viewAs)) as Ticket;
  } catch {
    throw badTicket();
  }
  if (t.a !== caller.id || t.r !== reportId || !(t.exp > Date.now())) throw badTicket();
  const target = await sessionUserOf(deps, t.u);
  if (!target) throw badTicket();
  if (!(await canViewReport(deps.db, target, reportId))) {
    throw new ForbiddenError(msg(`「${target.displayName}」没有此报表的查看权限`, `${target.displayName} has not been granted this report`));
  }
  return loadViewer(deps.db, target);
}

export { sessionUserOf };
