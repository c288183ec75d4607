import type { Db } from '../../db/createDb.js';
import { msg, type Msg } from '../../errors.js';
import { findMember, isMemberInactive } from '../bindingRepo.js';
import type { WecomClient } from '../WecomClient.js';
import { WecomError } from '../wecomErrors.js';

/** What is known of a WeCom member when it is about to be matched with a Shulan user. */
export type MemberStatus =
  | { state: 'active'; source: 'directory' | 'wecom'; name: string }
  | { state: 'inactive' | 'unknown' | 'not_visible'; source: 'directory' | 'wecom' };

/** user/get errcodes saying the userid is no member of the corp (deleted, or never was). */
const UNKNOWN_MEMBER = new Set([60111, 46004, 40003]);

/**
 * The member's status: the synced directory when it knows the member, else WeCom `user/get`
 * (one call; user/get has no failure ban like user/getuserid, only the per-corp frequency limit
 * that the client's breaker respects). Throws WecomError when WeCom cannot be asked: callers
 * refuse rather than guess, so an unconfirmed member is never matched.
 */
export async function memberStatus(db: Db, client: () => Promise<Pick<WecomClient, 'getMember'>>, userid: string): Promise<MemberStatus> {
  const local = await findMember(db, userid);
  if (local) return isMemberInactive(local) ? { state: 'inactive', source: 'directory' } : { state: 'active', source: 'directory', name: local.name };
  try {
    const m = await (await client()).getMember(userid);
    return m.status === 1 ? { state: 'active', source: 'wecom', name: m.name } : { state: 'inactive', source: 'wecom' };
  } catch (e) {
    if (e instanceof WecomError && e.errcode !== null && UNKNOWN_MEMBER.has(e.errcode)) return { state: 'unknown', source: 'wecom' };
    if (e instanceof WecomError && e.errcode === 60011) return { state: 'not_visible', source: 'wecom' };
    throw e;
  }
}

/** Why a member cannot be matched, for the admin matching by hand. */
export function refusalForAdmin(s: MemberStatus, userid: string): Msg | null {
  switch (s.state) {
    case 'active':
      return null;
    case 'inactive':
      return msg(
        `企业微信成员 ${userid} 已停用、未激活或已离开企业，不能匹配`,
        `WeCom member ${userid} is disabled, not activated or has left the company, so it cannot be matched`,
      );
    case 'unknown':
      return msg(`企业微信中没有 userid 为 ${userid} 的成员：请检查拼写，或先同步通讯录`, `WeCom has no member with userid ${userid}: check the spelling, or sync the address book first`);
    case 'not_visible':
      return msg(
        `企业微信成员 ${userid} 不在小程序的可见范围内，无法登录数览：请先在企业微信管理后台把该成员加入可见范围`,
        `WeCom member ${userid} is outside the mini program's visible range and could not log in: add the member to the visible range in the WeCom admin console first`,
      );
  }
}
