import type { WecomMatchBy, WecomMatchPreview } from '@shulan/shared';
import type { UsersTable, WecomMembersTable } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { ValidationError, msg, type Msg } from '../../errors.js';
import type { Lang } from '../../http/route.js';
import { WecomError } from '../wecomErrors.js';
import { FAILED_LOOKUP_ERRCODES, failureLimit, failuresToday, recordFailure } from './getuseridBudget.js';
import { groupBy, loadMatchContext, nameKey, type MatchContext } from './matchContext.js';
import { normalizeMobile } from './mobile.js';

type PreviewDeps = Pick<Deps, 'db' | 'wecom'>;

/**
 * Dry run of bulk matching: sorts every unmatched active user into sure / ambiguous / conflict /
 * no match, each with its reason. Never picks "the first one" among several candidates.
 */
export async function previewMatching(deps: PreviewDeps, by: WecomMatchBy, lang: Lang): Promise<WecomMatchPreview> {
  const ctx = await loadMatchContext(deps.db);
  if (ctx.members.length === 0) {
    throw new ValidationError(
      msg(
        '本地还没有企业微信通讯录：请先在 企业微信集成设置 中“立即同步”通讯录（每天 02:00 也会自动同步）',
        'No WeCom address book yet: press "Sync now" in the WeCom integration settings first (it also syncs daily at 02:00)',
      ),
    );
  }
  const b = new Builder(by, ctx, lang);
  if (by === 'name') {
    b.matchLocally((u) => nameKey(u.display_name), (m) => nameKey(m.name), NAME_REASONS);
  } else if (ctx.members.some((m) => m.mobile !== null)) {
    // Apps created before 2022-06-20 still read mobiles: match on the synced copy.
    b.matchLocally((u) => normalizeMobile(u.mobile), (m) => normalizeMobile(m.mobile), MOBILE_REASONS);
  } else {
    await b.matchThroughGetuserid(deps);
  }
  return b.result;
}

interface Reasons {
  missing: (u: UsersTable) => Msg;
  none: (key: string) => Msg;
  severalMembers: (key: string, n: number) => Msg;
  severalUsers: (key: string, n: number) => Msg;
}

const NAME_REASONS: Reasons = {
  missing: () => msg('数览用户没有显示名', 'The Shulan user has no display name'),
  none: (k) => msg(`企业微信通讯录中没有名为“${k}”的成员`, `No WeCom member is called "${k}"`),
  severalMembers: (k, n) => msg(`企业微信中有 ${n} 个名为“${k}”的成员，请手动选择`, `${n} WeCom members are called "${k}": pick one by hand`),
  severalUsers: (k, n) => msg(`有 ${n} 个数览用户名为“${k}”，无法确定是哪一个`, `${n} Shulan users are called "${k}": cannot tell which one`),
};

const MOBILE_REASONS: Reasons = {
  missing: (u) => (u.mobile ? msg(`手机号格式无法识别：${u.mobile}`, `Unrecognised mobile number: ${u.mobile}`) : msg('数览用户没有填写手机号', 'The Shulan user has no mobile number')),
  none: (k) => msg(`企业微信通讯录中没有手机号为 ${k} 的成员`, `No WeCom member has the mobile ${k}`),
  severalMembers: (k, n) => msg(`企业微信中有 ${n} 个成员使用手机号 ${k}，请手动选择`, `${n} WeCom members have the mobile ${k}: pick one by hand`),
  severalUsers: (k, n) => msg(`有 ${n} 个数览用户使用同一手机号 ${k}，无法确定是哪一个`, `${n} Shulan users share the mobile ${k}: cannot tell which one`),
};

class Builder {
  readonly result: WecomMatchPreview;
  constructor(
    by: WecomMatchBy,
    private readonly ctx: MatchContext,
    private readonly lang: Lang,
  ) {
    this.result = { by, sure: [], ambiguous: [], conflicts: [], noMatch: [], stopped: null };
  }

  private t(m: Msg): string {
    return m[this.lang];
  }

  private candidate(m: WecomMembersTable) {
    return { wecomUserid: m.userid, wecomName: m.name, boundUserId: this.ctx.boundTo.get(m.userid) ?? null };
  }

  private noMatch(u: UsersTable, reason: Msg): void {
    this.result.noMatch.push({ userId: u.id, username: u.username, reason: this.t(reason) });
  }

  /** One candidate member for one user: sure, or a conflict when the member is matched elsewhere. */
  private single(u: UsersTable, m: WecomMembersTable): void {
    const bound = this.ctx.boundTo.get(m.userid);
    if (bound !== undefined) {
      const other = this.ctx.activeUsers.find((x) => x.id === bound)?.username ?? bound;
      this.result.conflicts.push({
        userId: u.id,
        username: u.username,
        wecomUserid: m.userid,
        boundUserId: bound,
        reason: this.t(msg(`企业微信成员 ${m.name}（${m.userid}）已匹配数览用户 ${other}`, `WeCom member ${m.name} (${m.userid}) is already matched with Shulan user ${other}`)),
      });
      return;
    }
    this.result.sure.push({ userId: u.id, username: u.username, displayName: u.display_name, wecomUserid: m.userid, wecomName: m.name });
  }

  private ambiguous(u: UsersTable, candidates: WecomMembersTable[], reason: Msg): void {
    this.result.ambiguous.push({ userId: u.id, username: u.username, displayName: u.display_name, candidates: candidates.map((m) => this.candidate(m)), reason: this.t(reason) });
  }

  /** Matching on a value both sides carry locally (name, or mobile for pre-2022 apps). */
  matchLocally(userKey: (u: UsersTable) => string | null, memberKey: (m: WecomMembersTable) => string | null, r: Reasons): void {
    const members = groupBy(this.ctx.members, memberKey);
    const users = groupBy(this.ctx.activeUsers, userKey);
    for (const u of this.ctx.unmatched) {
      const k = userKey(u);
      if (k === null) {
        this.noMatch(u, r.missing(u));
        continue;
      }
      const cands = members.get(k) ?? [];
      const sameKeyUsers = users.get(k)?.length ?? 1;
      if (cands.length === 0) this.noMatch(u, r.none(k));
      else if (cands.length > 1) this.ambiguous(u, cands, r.severalMembers(k, cands.length));
      else if (sameKeyUsers > 1) this.ambiguous(u, cands, r.severalUsers(k, sameKeyUsers));
      else this.single(u, cands[0]!);
    }
  }

  /**
   * Matching by mobile for apps that cannot read mobiles (created after 2022-06-20): asks WeCom
   * user/getuserid for each user's mobile, stopping well before WeCom's daily ban on failures.
   */
  async matchThroughGetuserid(deps: PreviewDeps): Promise<void> {
    const { db } = deps;
    const users = groupBy(this.ctx.activeUsers, (u) => normalizeMobile(u.mobile));
    const byUserid = new Map(this.ctx.members.map((m) => [m.userid.toLowerCase(), m]));
    const toAsk: { u: UsersTable; mobile: string }[] = [];
    for (const u of this.ctx.unmatched) {
      const mobile = normalizeMobile(u.mobile);
      const sharing = mobile === null ? 0 : users.get(mobile)!.length;
      if (mobile === null) this.noMatch(u, MOBILE_REASONS.missing(u));
      else if (sharing > 1) this.ambiguous(u, [], MOBILE_REASONS.severalUsers(mobile, sharing));
      else toAsk.push({ u, mobile });
    }
    if (toAsk.length === 0) return;

    const { client } = await deps.wecom.active();
    const limit = failureLimit(this.ctx.members.length);
    let failures = await failuresToday(db);
    const found: { u: UsersTable; m: WecomMembersTable }[] = [];
    let checked = 0;
    for (const { u, mobile } of toAsk) {
      if (failures >= limit) {
        this.stop(
          msg(
            `为避免企业微信封禁“手机号获取 userid”接口（当天失败次数超过企业人数的 20% 将停用一天），今天已失败 ${failures} 次（上限 ${limit} 次，约为已同步成员数的 10%），已停止：检查了 ${checked}/${toAsk.length} 个用户，其余请明天再试或按姓名匹配`,
            `Stopped to stay clear of WeCom's ban on mobile look-ups (more failures than 20 % of the seats in a day blocks them for a day): ${failures} failures today (limit ${limit}, about 10 % of the synced members). Checked ${checked} of ${toAsk.length} users; try the rest tomorrow or match by name`,
          ),
          checked,
          toAsk.length,
        );
        break;
      }
      try {
        const userid = await client.getUseridByMobile(mobile);
        const m = byUserid.get(userid.toLowerCase());
        if (m) found.push({ u, m });
        else this.noMatch(u, msg(`手机号 ${mobile} 属于成员 ${userid}，但该成员不在已同步的通讯录中或已停用：请先同步通讯录`, `The mobile ${mobile} belongs to member ${userid}, who is not in the synced address book or is disabled: sync first`));
      } catch (e) {
        if (e instanceof WecomError && e.errcode !== null && FAILED_LOOKUP_ERRCODES.has(e.errcode)) {
          failures = await recordFailure(db);
          this.noMatch(u, msg(`企业微信中没有手机号为 ${mobile} 的成员（${e.errcode}）`, `No WeCom member has the mobile ${mobile} (${e.errcode})`));
        } else if (e instanceof WecomError) {
          this.stop(msg(`企业微信查询失败，已停止（检查了 ${checked}/${toAsk.length} 个用户）：${e.msg.zh}`, `A WeCom look-up failed, stopped after ${checked} of ${toAsk.length} users: ${e.msg.en}`), checked, toAsk.length);
          break;
        } else {
          throw e;
        }
      }
      checked++;
    }
    for (const { u } of toAsk.slice(checked)) this.noMatch(u, msg('未检查（查询已停止）', 'Not checked (the look-up stopped)'));

    // Two users whose mobiles lead to one member are ambiguous, never "first one wins".
    const perMember = groupBy(found, (f) => f.m.userid);
    for (const { u, m } of found) {
      const n = perMember.get(m.userid)!.length;
      if (n > 1) this.ambiguous(u, [m], msg(`${n} 个数览用户的手机号都对应成员 ${m.name}（${m.userid}）`, `The mobiles of ${n} Shulan users all lead to member ${m.name} (${m.userid})`));
      else this.single(u, m);
    }
  }

  private stop(m: Msg, checked: number, total: number): void {
    this.result.stopped = { message: this.t(m), checked, total };
  }
}
