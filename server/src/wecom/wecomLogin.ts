import type { WecomBindBody, WecomBindResult, WecomLoginResult } from '@shulan/shared';
import { audit } from '../audit/audit.js';
import { verifyPassword } from '../auth/passwords.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError, UpstreamError, msg, waitText } from '../errors.js';
import { findUserByUsername, toSessionUser } from '../users/userRepo.js';
import { issueBindTicket, readBindTicket, useBindTicket } from './bindTickets.js';
import { findMember, findUserByWecomUserid, insertBinding, isMemberInactive } from './bindingRepo.js';
import { WecomError, WecomPausedError, explainErrcode } from './wecomErrors.js';

type LoginDeps = Pick<Deps, 'db' | 'wecom' | 'sessions' | 'loginLimiter'>;

/** The same lock as /api/auth/login; the route turns retryAfter into a Retry-After header. */
export class LoginLockedError extends TooManyRequestsError {
  constructor(readonly retryAfter: number) {
    const minutes = Math.ceil(retryAfter / 60);
    super(msg(`登录失败次数过多，请 ${minutes} 分钟后再试`, `Too many failed logins; try again in ${minutes} min`));
  }
}

const memberInactive = () =>
  new ForbiddenError(
    msg('你的企业微信账号已停用或已离开企业，不能登录数览：如有疑问请联系管理员', 'Your WeCom account is disabled or has left the company, so it cannot log in: contact your administrator'),
  );

const userDisabled = () =>
  new ForbiddenError(msg('绑定的数览账号已被停用，请联系管理员', 'The Shulan account bound to you is disabled; contact your administrator'));

/**
 * Mini-program login inside WeCom: exchanges the wx.qy.login code, then either opens a
 * passwordless session (member bound to an active user) or hands out a bind ticket.
 * Throws 403 when the integration is off or the corp/member is refused, 401 for a bad code.
 */
export async function loginWithCode(deps: LoginDeps, code: string): Promise<WecomLoginResult> {
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
  const member = await findMember(db, userid);
  if (member && isMemberInactive(member)) throw memberInactive();

  const user = await findUserByWecomUserid(db, userid);
  if (user) {
    if (user.status !== 'active') throw userDisabled();
    const session = await sessions.open(user.id, 'wecom', 'api');
    return { status: 'ok', token: session.token, user: toSessionUser(user), expiresAt: session.expiresAt };
  }
  const ticket = await issueBindTicket(db, corpid, userid);
  return { status: 'needs_binding', bindTicket: ticket.ticket, wecomUserid: userid, expiresAt: ticket.expiresAt };
}

/**
 * First login: binds the WeCom member of the ticket to the Shulan account whose password is
 * given, then opens a WeCom session. Failed passwords count toward the login lock.
 */
export async function bindWithPassword(deps: LoginDeps, body: WecomBindBody, ip: string): Promise<WecomBindResult> {
  const { db, sessions, loginLimiter } = deps;
  const wecom = await deps.wecom.active();
  const ticket = await readBindTicket(db, body.bindTicket);
  if (ticket.corpid !== wecom.corpId) {
    throw new UnauthorizedError(msg('企业微信集成设置已更改，请重新打开小程序', 'The WeCom settings changed; reopen the mini program'));
  }

  const wait = await loginLimiter.retryAfter(body.username, ip);
  if (wait > 0) throw new LoginLockedError(wait);
  const user = await findUserByUsername(db, body.username);
  const ok = await verifyPassword(user?.password_hash ?? null, body.password);
  if (!user || !ok) {
    await loginLimiter.fail(body.username, ip);
    throw new UnauthorizedError(msg('用户名或密码错误', 'Wrong username or password'));
  }
  if (user.status !== 'active') {
    throw new UnauthorizedError(msg('该账号已被停用，请联系管理员', 'This account is disabled; contact your administrator'));
  }
  await loginLimiter.succeed(body.username);

  const member = await findMember(db, ticket.userid);
  if (member && isMemberInactive(member)) throw memberInactive();

  await db.transaction().execute(async (trx) => {
    await useBindTicket(trx, body.bindTicket);
    await insertBinding(trx, { userId: user.id, wecomUserid: ticket.userid, source: 'first_login', matchedBy: user.id });
    await audit(trx, user.id, 'wecom.bind', user.id, { wecomUserid: ticket.userid, username: user.username, source: 'first_login' });
  });
  const session = await sessions.open(user.id, 'wecom', 'api');
  return { token: session.token, user: toSessionUser(user), expiresAt: session.expiresAt };
}

/**
 * What the mini program user sees when code2Session fails. A bad code is the user's to fix
 * (reopen); anything else is a configuration or WeCom problem for the admin, whose details
 * the test connection in the settings shows.
 */
function toLoginError(err: unknown): unknown {
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
