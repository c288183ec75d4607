import type { WecomBindBody, WecomBindResult, WecomLoginResult } from '@shulan/shared';
import { audit, auditRow } from '../audit/audit.js';
import { userLabel } from '../audit/auditNames.js';
import { checkPassword } from '../auth/checkPassword.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError, UpstreamError, msg, waitText } from '../errors.js';
import { isReviewerAccount, reviewerCannotBind } from '../reviewer/reviewerStore.js';
import { findUserByUsername, toSessionUser } from '../users/userRepo.js';
import { issueBindTicket, readBindTicket, useBindTicket } from './bindTickets.js';
import { memberStatus } from './access/memberCheck.js';
import { findLoginCandidate, findMember, insertBinding, isMemberInactive } from './bindingRepo.js';
import type { WecomClient } from './WecomClient.js';
import { WecomError, WecomPausedError, explainErrcode } from './wecomErrors.js';

type LoginDeps = Pick<Deps, 'db' | 'wecom' | 'sessions' | 'loginLimiter'>;

const memberInactive = () =>
  new ForbiddenError(
    msg('你的企业微信账号已停用或已离开企业，不能登录数览：如有疑问请联系管理员', 'Your WeCom account is disabled or has left the company, so it cannot log in: contact your administrator'),
  );

const memberNotVisible = () =>
  new ForbiddenError(
    msg('你的企业微信账号不在小程序的可见范围内，不能登录数览：请联系管理员', 'Your WeCom account is outside the mini program\'s visible range, so it cannot log in: contact your administrator'),
  );

const selfBoundAdmin = () =>
  new ForbiddenError(
    msg(
      '管理员账号不能通过在小程序中自行绑定的企业微信登录：请用非管理员账号登录，或请管理员在 企业微信匹配 中为该账号手动匹配，或在 系统设置 → 企业微信集成设置 中允许管理员绑定',
      'Administrator accounts cannot use a WeCom binding made in the mini program: log in with a non-admin account, ask an administrator to match this account by hand under WeCom matching, or to allow admin binding under Settings → WeCom integration',
    ),
  );

const userDisabled = () =>
  new ForbiddenError(msg('绑定的数览账号已被停用，请联系管理员', 'The Shulan account bound to you is disabled; contact your administrator'));

/**
 * Mini-program login inside WeCom: exchanges the wx.qy.login code, then either opens a
 * passwordless session (member bound to an active user) or hands out a bind ticket.
 * Throws 403 when the integration is off or the corp/member is refused, 401 for a bad code.
 */
export async function loginWithCode(deps: LoginDeps, code: string, ip: string): Promise<WecomLoginResult> {
  const { db, sessions } = deps;
  const wecom = await deps.wecom.active();
  const identity = await wecom.client.code2Session(code).catch((err: unknown) => {
    throw toLoginError(err);
  });
  // session_key is dropped here: it never leaves this function, nor is it stored.
  const { corpid, userid } = identity;
  if (corpid !== wecom.corpId) {
    throw new ForbiddenError(
      msg(
        '该小程序登录来自另一个企业，不是本系统配置的企业：请在本企业的企业微信中打开小程序',
        'This login comes from another WeCom enterprise than the one configured here: open the mini program from your company\'s WeCom',
      ),
    );
  }
  // One read for a bound member (user, binding and synced status together), one write (session
  // and audit line together): the 9:00 burst is all bound members.
  const user = await findLoginCandidate(db, userid);
  if (user) {
    if (user.member_status !== null && isMemberInactive({ status: user.member_status, left_at: user.member_left_at })) throw memberInactive();
    if (user.status !== 'active') throw userDisabled();
    // A viewer who bound themselves and was promoted later must not get passwordless admin access:
    // the same rule as binding, applied again at each login (an admin's own match is fine).
    if (user.role === 'admin' && user.binding_source === 'first_login' && !wecom.allowAdminBinding) {
      await audit(db, user.id, 'wecom.bind_refused', user.id, { username: user.username, wecomUserid: userid, ip, reason: 'admin_account' });
      throw selfBoundAdmin();
    }
    const line = auditRow(user.id, 'auth.login', user.id, userLabel(user.display_name, user.username), {
      username: user.username,
      ip,
      via: 'wecom',
      client: 'api',
      wecomUserid: userid,
    });
    const session = await sessions.openAudited(user.id, 'wecom', 'api', line);
    return { status: 'ok', token: session.token, user: toSessionUser(user), expiresAt: session.expiresAt };
  }
  const member = await findMember(db, userid);
  if (member && isMemberInactive(member)) throw memberInactive();
  const ticket = await issueBindTicket(db, corpid, userid);
  return { status: 'needs_binding', bindTicket: ticket.ticket, wecomUserid: userid, expiresAt: ticket.expiresAt };
}

/**
 * First login: binds the WeCom member of the ticket to the Shulan account whose password is
 * given, then opens a WeCom session. Passwords are checked under the login lock. An admin account
 * is bound only when the settings allow it: the binding makes every later login passwordless.
 */
export async function bindWithPassword(deps: LoginDeps, body: WecomBindBody, ip: string): Promise<WecomBindResult> {
  return bindTicketToAccount(deps, await deps.wecom.active(), body, ip, 'api');
}

/** Which WeCom app vouched for the member: the mini program's, or the web login's 自建应用. */
export interface BindingApp {
  corpId: string;
  allowAdminBinding: boolean;
  client: WecomClient;
}

/** The bind itself, for the mini program (api session) and the web login (cookie session). */
export async function bindTicketToAccount(deps: LoginDeps, wecom: BindingApp, body: WecomBindBody, ip: string, client: 'web' | 'api'): Promise<WecomBindResult> {
  const { db, sessions } = deps;
  const ticket = await readBindTicket(db, body.bindTicket);
  if (ticket.corpid !== wecom.corpId) {
    throw new UnauthorizedError(msg('企业微信集成设置已更改，请重新打开小程序', 'The WeCom settings changed; reopen the mini program'));
  }

  const user = await findUserByUsername(db, body.username);
  const ok = await checkPassword(deps, { username: body.username, ip, user, password: body.password, purpose: 'wecom_bind' });
  if (!user || !ok) throw new UnauthorizedError(msg('用户名或密码错误', 'Wrong username or password'));
  if (user.status !== 'active') {
    await audit(db, null, 'auth.login_failed', user.id, { username: body.username, ip, via: 'wecom_bind', reason: 'disabled' });
    throw new UnauthorizedError(msg('该账号已被停用，请联系管理员', 'This account is disabled; contact your administrator'));
  }
  if (await isReviewerAccount(db, user.id)) {
    await audit(db, user.id, 'wecom.bind_refused', user.id, { username: user.username, wecomUserid: ticket.userid, ip, reason: 'reviewer_account' });
    throw reviewerCannotBind();
  }
  if (user.role === 'admin' && !wecom.allowAdminBinding) {
    await audit(db, user.id, 'wecom.bind_refused', user.id, { username: user.username, wecomUserid: ticket.userid, ip, reason: 'admin_account' });
    throw new ForbiddenError(
      msg(
        '管理员账号不能在小程序中绑定企业微信：请用非管理员账号登录，或请管理员在 系统设置 → 企业微信集成设置 中允许管理员绑定',
        'Administrator accounts cannot be bound to WeCom in the mini program: log in with a non-admin account, or ask an administrator to allow admin binding under Settings → WeCom integration',
      ),
    );
  }

  // Before the first sync the local directory may not know the member: WeCom is asked instead,
  // so a disabled member cannot bind (and a member WeCom cannot confirm is refused, not guessed).
  const status = await memberStatus(db, async () => wecom.client, ticket.userid).catch((err: unknown) => {
    throw toLoginError(err);
  });
  if (status.state !== 'active') {
    await audit(db, user.id, 'wecom.bind_refused', user.id, { username: user.username, wecomUserid: ticket.userid, ip, reason: `member_${status.state}` });
    throw status.state === 'not_visible' ? memberNotVisible() : memberInactive();
  }

  await db.transaction().execute(async (trx) => {
    await useBindTicket(trx, body.bindTicket);
    await insertBinding(trx, { userId: user.id, wecomUserid: ticket.userid, source: 'first_login', matchedBy: user.id });
    await audit(trx, user.id, 'wecom.bind', user.id, { wecomUserid: ticket.userid, username: user.username, source: 'first_login' });
  });
  const session = await sessions.open(user.id, 'wecom', client);
  await audit(db, user.id, 'auth.login', user.id, { username: user.username, ip, via: 'wecom_bind', client, wecomUserid: ticket.userid });
  return { token: session.token, user: toSessionUser(user), expiresAt: session.expiresAt };
}

/**
 * What the mini program user sees when code2Session fails. A bad code is the user's to fix
 * (reopen); anything else is a configuration or WeCom problem for the admin, whose details
 * the test connection in the settings shows.
 */
export function toLoginError(err: unknown): unknown {
  if (!(err instanceof WecomError)) return err;
  if (err.errcode === 40029) return new UnauthorizedError(explainErrcode(40029));
  if (err instanceof WecomPausedError) {
    const w = waitText(err.retryAfter);
    return new TooManyRequestsError(msg(`企业微信接口调用过于频繁，请 ${w.zh}后再试`, `WeCom is being called too often; try again in ${w.en}`), err.retryAfter);
  }
  const code = err.errcode === null ? err.failure : String(err.errcode);
  return new UpstreamError(
    msg(
      `企业微信登录暂时不可用（${code}）：请联系管理员在 系统设置 → 企业微信集成设置 中测试连接`,
      `WeCom login is not available right now (${code}): ask an administrator to run the connection test under Settings → WeCom integration`,
    ),
  );
}
