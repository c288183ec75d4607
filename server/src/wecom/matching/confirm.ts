import type { WecomMatchBy, WecomMatchConfirmBody, WecomMatchConfirmResult } from '@shulan/shared';
import { audit } from '../../audit/audit.js';
import type { Deps } from '../../deps.js';
import { AppError, msg, type Msg } from '../../errors.js';
import type { Lang } from '../../http/route.js';
import { findUserById } from '../../users/userRepo.js';
import { findBindingByUser, findMember, insertBinding, isMemberInactive } from '../bindingRepo.js';
import { WecomError } from '../wecomErrors.js';
import { FAILED_LOOKUP_ERRCODES, recordFailure } from './getuseridBudget.js';
import { nameKey } from './matchContext.js';
import { normalizeMobile } from './mobile.js';

type ConfirmDeps = Pick<Deps, 'db' | 'wecom'>;

class PairRefused extends Error {
  constructor(readonly m: Msg) {
    super(m.en);
  }
}

/**
 * Binds the pairs the admin confirmed from a preview. Each pair is checked again (both sides
 * still unmatched and active, the evidence still holds) and bound on its own, so one stale pair
 * does not stop the others; each binding is audited.
 */
export async function confirmMatching(deps: ConfirmDeps, body: WecomMatchConfirmBody, adminId: string, lang: Lang): Promise<WecomMatchConfirmResult> {
  const results: WecomMatchConfirmResult['results'] = [];
  for (const pair of body.pairs) {
    try {
      await confirmOne(deps, body.by, pair, adminId);
      results.push({ ...pair, ok: true, message: null });
    } catch (e) {
      if (e instanceof PairRefused) results.push({ ...pair, ok: false, message: e.m[lang] });
      else if (e instanceof AppError) results.push({ ...pair, ok: false, message: e.msg[lang] });
      else throw e;
    }
  }
  return { bound: results.filter((r) => r.ok).length, results };
}

async function confirmOne(deps: ConfirmDeps, by: WecomMatchBy, pair: { userId: string; wecomUserid: string }, adminId: string): Promise<void> {
  const { db } = deps;
  const user = await findUserById(db, pair.userId);
  if (!user || user.status !== 'active') throw new PairRefused(msg('数览用户不存在或已停用', 'The Shulan user does not exist or is disabled'));
  const existing = await findBindingByUser(db, user.id);
  if (existing) {
    throw new PairRefused(msg(`该数览用户已匹配企业微信成员 ${existing.wecom_userid}`, `This Shulan user is already matched with WeCom member ${existing.wecom_userid}`));
  }
  const member = await findMember(db, pair.wecomUserid);
  if (!member || isMemberInactive(member)) {
    throw new PairRefused(msg('企业微信成员不在已同步的通讯录中，或已停用/离职', 'The WeCom member is not in the synced address book, or is disabled or has left'));
  }
  if (by === 'name') {
    if (nameKey(user.display_name) !== nameKey(member.name)) {
      throw new PairRefused(msg(`姓名已不一致：${user.display_name} ≠ ${member.name}`, `The names no longer agree: ${user.display_name} ≠ ${member.name}`));
    }
  } else {
    await checkMobileEvidence(deps, user.mobile, member.userid, member.mobile);
  }
  await db.transaction().execute(async (trx) => {
    // Refuses (409) a user or member that got matched since the preview.
    const res = await insertBinding(trx, { userId: user.id, wecomUserid: member.userid, source: by, matchedBy: adminId });
    if (res.created) await audit(trx, adminId, 'wecom.match', user.id, { wecomUserid: member.userid, username: user.username, source: by });
  });
}

async function checkMobileEvidence(deps: ConfirmDeps, userMobile: string | null, wecomUserid: string, memberMobile: string | null): Promise<void> {
  const mobile = normalizeMobile(userMobile);
  if (mobile === null) throw new PairRefused(msg('数览用户没有可用的手机号', 'The Shulan user has no usable mobile number'));
  if (memberMobile !== null) {
    if (normalizeMobile(memberMobile) !== mobile) throw new PairRefused(msg('手机号已不一致', 'The mobile numbers no longer agree'));
    return;
  }
  // Mobiles are not readable (app created after 2022-06-20): ask WeCom again.
  const { client } = await deps.wecom.active();
  let userid: string;
  try {
    userid = await client.getUseridByMobile(mobile);
  } catch (e) {
    if (e instanceof WecomError && e.errcode !== null && FAILED_LOOKUP_ERRCODES.has(e.errcode)) {
      await recordFailure(deps.db);
      throw new PairRefused(msg(`企业微信中已没有手机号为 ${mobile} 的成员`, `No WeCom member has the mobile ${mobile} any more`));
    }
    throw e;
  }
  if (userid.toLowerCase() !== wecomUserid.toLowerCase()) {
    throw new PairRefused(msg(`手机号 ${mobile} 现在属于成员 ${userid}`, `The mobile ${mobile} now belongs to member ${userid}`));
  }
}
