import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { LoginErrorCode, Role } from '@shulan/shared';
import { audit, auditRow } from '../../audit/audit.js';
import { userLabel } from '../../audit/auditNames.js';
import { hashPassword } from '../../auth/passwords.js';
import type { Deps } from '../../deps.js';
import { findUserByUsername, insertUser, isUniqueViolation, setUserGroups } from '../../users/userRepo.js';
import { issueBindTicket } from '../bindTickets.js';
import { findLoginCandidate, findMember, insertBinding, isMemberInactive } from '../bindingRepo.js';
import { memberStatus } from '../access/memberCheck.js';
import type { WecomClient } from '../WecomClient.js';
import { WecomError } from '../wecomErrors.js';
import { CALLBACK_PATH, decryptWebSecret, readWebLoginSettings, type StoredWebLogin } from './webLoginSettings.js';

/** Which door the member came through: WeCom's built-in browser (OAuth2) or the QR on the login page. */
export type WebFlow = 'h5' | 'qr';

/** The web login's WeCom app, ready to use; null when not configured or switched off. */
export interface ActiveWebLogin {
  corpId: string;
  agentId: number;
  publicOrigin: string;
  allowAdminBinding: boolean;
  client: WecomClient;
  settings: StoredWebLogin;
}

export async function activeWebLogin(deps: Pick<Deps, 'db' | 'wecom' | 'secretBox'>): Promise<ActiveWebLogin | null> {
  const s = await readWebLoginSettings(deps.db);
  if (!s.enabled || s.agentId === null || !s.publicOrigin) return null;
  const secret = decryptWebSecret(s, deps.secretBox);
  // The Corp ID is the one of 企业微信集成设置; the mini program itself is not needed.
  const corp = await deps.wecom.settings();
  if (!secret || !corp.corpId) return null;
  return {
    corpId: corp.corpId,
    agentId: s.agentId,
    publicOrigin: s.publicOrigin,
    allowAdminBinding: corp.allowAdminBinding,
    client: deps.wecom.client({ corpId: corp.corpId, secret }),
    settings: s,
  };
}

/** WeCom's pages; tests and trials point them at the simulator (WECOM_OAUTH_BASE, WECOM_LOGIN_BASE). */
export function authorizeUrl(oauthBase: string, a: ActiveWebLogin, state: string): string {
  const q = new URLSearchParams({
    appid: a.corpId,
    redirect_uri: a.publicOrigin + CALLBACK_PATH,
    response_type: 'code',
    scope: 'snsapi_base',
    state,
    agentid: String(a.agentId),
  });
  return `${oauthBase}/connect/oauth2/authorize?${q}#wechat_redirect`;
}

export function qrLoginUrl(loginBase: string, a: ActiveWebLogin, state: string, lang: 'zh' | 'en'): string {
  const q = new URLSearchParams({
    login_type: 'CorpApp',
    appid: a.corpId,
    agentid: String(a.agentId),
    redirect_uri: a.publicOrigin + CALLBACK_PATH,
    state,
    lang,
  });
  return `${loginBase}/wwlogin/sso/login?${q}`;
}

/**
 * The state round trip: a random value in the link and in an HttpOnly cookie of this browser. The
 * callback accepts a code only when both agree, so nobody can log a victim in as themselves by
 * sending a link with their own code (login CSRF). a-z0-9 only, as WeCom asks.
 */
export interface PendingLogin {
  state: string;
  next: string;
  flow: WebFlow;
}
export const newState = (): string => randomBytes(16).toString('hex');

export function encodePending(p: PendingLogin): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

export function decodePending(raw: string | undefined): PendingLogin | null {
  if (!raw || raw.length > 4096) return null;
  try {
    const p = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<PendingLogin>;
    if (typeof p.state !== 'string' || typeof p.next !== 'string' || (p.flow !== 'h5' && p.flow !== 'qr')) return null;
    return { state: p.state, next: p.next, flow: p.flow };
  } catch {
    return null;
  }
}

export function sameState(a: string, b: string | undefined): boolean {
  if (typeof b !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export type CallbackOutcome =
  | { kind: 'session'; token: string; expiresAt: string }
  | { kind: 'bind'; ticket: string; expiresAt: string }
  | { kind: 'error'; code: LoginErrorCode };

type FlowDeps = Pick<Deps, 'db' | 'wecom' | 'sessions' | 'secretBox'>;

/** code → userid (auth/getuserinfo) → a session, a bind ticket, or why not. */
export async function completeWebLogin(deps: FlowDeps, a: ActiveWebLogin, code: string, flow: WebFlow, ip: string): Promise<CallbackOutcome> {
  const { db, sessions } = deps;
  let userid: string | undefined;
  try {
    userid = (await a.client.getUserInfo(code)).userid;
  } catch (e) {
    if (e instanceof WecomError && e.errcode === 40029) return { kind: 'error', code: 'wecom_code' };
    if (e instanceof WecomError) return { kind: 'error', code: 'wecom_unavailable' };
    throw e;
  }
  // Someone outside the corp (an openid): nothing to log in as.
  if (!userid) return { kind: 'error', code: 'wecom_not_member' };
  const via = flow === 'h5' ? 'wecom_h5' : 'wecom_qr';

  const user = await findLoginCandidate(db, userid);
  if (user) {
    if (user.member_status !== null && isMemberInactive({ status: user.member_status, left_at: user.member_left_at })) return { kind: 'error', code: 'wecom_member_inactive' };
    if (user.status !== 'active') return { kind: 'error', code: 'wecom_user_disabled' };
    // Same rule as the mini program: a self-made binding never gives passwordless admin access.
    if (user.role === 'admin' && user.binding_source === 'first_login' && !a.allowAdminBinding) {
      await audit(db, user.id, 'wecom.bind_refused', user.id, { username: user.username, wecomUserid: userid, ip, reason: 'admin_account' });
      return { kind: 'error', code: 'wecom_admin_binding' };
    }
    const line = auditRow(user.id, 'auth.login', user.id, userLabel(user.display_name, user.username), { username: user.username, ip, via, client: 'web', wecomUserid: userid });
    const s = await sessions.openAudited(user.id, 'wecom', 'web', line);
    return { kind: 'session', token: s.token, expiresAt: s.expiresAt };
  }

  const member = await findMember(db, userid);
  if (member && isMemberInactive(member)) return { kind: 'error', code: 'wecom_member_inactive' };
  if (a.settings.jitEnabled) {
    const created = await createJitUser(deps, a, userid, ip);
    if (created === 'inactive') return { kind: 'error', code: 'wecom_member_inactive' };
    if (created === 'unavailable') return { kind: 'error', code: 'wecom_unavailable' };
    if (created !== 'taken') {
      const s = await sessions.open(created.id, 'wecom', 'web');
      await audit(db, created.id, 'auth.login', created.id, { username: created.username, ip, via, client: 'web', wecomUserid: userid });
      return { kind: 'session', token: s.token, expiresAt: s.expiresAt };
    }
    // The username is someone's already: that person may bind it with its password, once.
  }
  const ticket = await issueBindTicket(db, a.corpId, userid);
  return { kind: 'bind', ticket: ticket.ticket, expiresAt: ticket.expiresAt };
}

/**
 * Just-in-time account for a member's first WeCom login (off unless switched on): username = the
 * userid, name from the directory, the configured role (never admin) and groups, no usable password
 * (random, never shown: an admin may reset one). The member must be active per the directory or WeCom.
 */
async function createJitUser(
  deps: FlowDeps,
  a: ActiveWebLogin,
  userid: string,
  ip: string,
): Promise<{ id: string; username: string } | 'taken' | 'inactive' | 'unavailable'> {
  const { db } = deps;
  if (await findUserByUsername(db, userid)) return 'taken';
  let name = userid;
  try {
    const status = await memberStatus(db, async () => a.client, userid);
    if (status.state === 'inactive' || status.state === 'unknown') return 'inactive';
    if (status.state === 'active') name = status.name;
    // not_visible: the web app cannot read the member; WeCom vouched for the userid all the same.
  } catch (e) {
    if (e instanceof WecomError) return 'unavailable';
    throw e;
  }
  const role: Role = a.settings.jitRole;
  const groupIds = await existingGroups(deps, a.settings.jitGroupIds);
  try {
    return await db.transaction().execute(async (trx) => {
      const id = await insertUser(trx, { username: userid, displayName: name, role, passwordHash: await hashPassword(randomBytes(24).toString('base64url')) });
      await setUserGroups(trx, id, groupIds);
      await insertBinding(trx, { userId: id, wecomUserid: userid, source: 'jit', matchedBy: null });
      await audit(trx, null, 'wecom.jit_user_created', id, { username: userid, wecomUserid: userid, role, groupIds, ip });
      return { id, username: userid };
    });
  } catch (e) {
    // Two first logins of the same member at once: the other one created it.
    if (isUniqueViolation(e)) return 'taken';
    throw e;
  }
}

/** The configured default groups that still exist (a deleted group is skipped, not an error). */
async function existingGroups(deps: FlowDeps, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await deps.db.selectFrom('groups').select('id').where('id', 'in', ids).execute();
  return rows.map((r) => r.id);
}
