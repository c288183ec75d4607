import type { Db } from '../../db/createDb.js';
import type { Deps } from '../../deps.js';
import { msg } from '../../errors.js';
import { WecomError } from '../wecomErrors.js';
import { Classification } from './classification.js';
import { FAILED_LOOKUP_ERRCODES, failureLimit, failuresToday, recordFailure } from './getuseridBudget.js';
import { groupBy, type MatchContext, type MatchMember, type MatchUser } from './matchContext.js';
import { normalizeMobile } from './mobile.js';
import { MOBILE_REASONS } from './reasons.js';

type GetuseridDeps = Pick<Deps, 'db' | 'wecom'>;

/**
 * Matching by mobile for apps that cannot read mobiles (created after 2022-06-20): asks WeCom
 * user/getuserid for each user's mobile, stopping well before WeCom's daily ban on failures.
 * Answers are remembered for a while (see lookupMemo) so paging the preview asks nothing again.
 */
export async function matchThroughGetuserid(deps: GetuseridDeps, ctx: MatchContext): Promise<Classification> {
  const { db } = deps;
  const c = new Classification();
  const usernames = new Map(ctx.activeUsers.map((u) => [u.id, u.username]));
  /** One candidate member for one user: sure, or a conflict when the member is matched elsewhere. */
  const single = (u: MatchUser, m: MatchMember) => {
    const bound = ctx.boundTo.get(m.userid);
    if (bound !== undefined) c.conflicts.push({ u, m: m.userid, bound, boundName: usernames.get(bound) ?? bound });
    else c.sure.push({ u, m: m.userid });
  };
  const users = groupBy(ctx.activeUsers, (u) => normalizeMobile(u.mobile));
  const byUserid = new Map(ctx.members.map((m) => [m.userid.toLowerCase(), m]));
  const toAsk: { u: MatchUser; mobile: string }[] = [];
  for (const u of ctx.unmatched) {
    const mobile = normalizeMobile(u.mobile);
    const sharing = mobile === null ? 0 : users.get(mobile)!.length;
    if (mobile === null) c.noMatch.push({ u, reason: () => MOBILE_REASONS.missing(u) });
    else if (sharing > 1) c.ambiguous.push({ u, group: c.group(mobile, () => MOBILE_REASONS.severalUsers(mobile, sharing), []) });
    else toAsk.push({ u, mobile });
  }
  if (toAsk.length === 0) {
    c.sortAmbiguous();
    return c;
  }

  const memo = lookupMemo(db);
  const limit = failureLimit(ctx.members.length);
  let failures = await failuresToday(db);
  let client: Awaited<ReturnType<GetuseridDeps['wecom']['active']>>['client'] | null = null;
  const found: { u: MatchUser; m: MatchMember }[] = [];
  let checked = 0;
  for (const { u, mobile } of toAsk) {
    let answer = memo.get(mobile);
    if (!answer) {
      if (failures >= limit) {
        c.stopped = {
          message: msg(
            `为避免企业微信封禁“手机号获取 userid”接口（当天失败次数超过企业人数的 20% 将停用一天），今天已失败 ${failures} 次（上限 ${limit} 次，约为已同步成员数的 10%），已停止：检查了 ${checked}/${toAsk.length} 个用户，其余请明天再试或按姓名匹配`,
            `Stopped to stay clear of WeCom's ban on mobile look-ups (more failures than 20 % of the seats in a day blocks them for a day): ${failures} failures today (limit ${limit}, about 10 % of the synced members). Checked ${checked} of ${toAsk.length} users; try the rest tomorrow or match by name`,
          ),
          checked,
          total: toAsk.length,
        };
        break;
      }
      client ??= (await deps.wecom.active()).client;
      try {
        answer = { userid: await client.getUseridByMobile(mobile), at: Date.now() };
      } catch (e) {
        if (e instanceof WecomError && e.errcode !== null && FAILED_LOOKUP_ERRCODES.has(e.errcode)) {
          failures = await recordFailure(db);
          answer = { errcode: e.errcode, at: Date.now() };
        } else if (e instanceof WecomError) {
          const m = e.msg;
          c.stopped = {
            message: msg(`企业微信查询失败，已停止（检查了 ${checked}/${toAsk.length} 个用户）：${m.zh}`, `A WeCom look-up failed, stopped after ${checked} of ${toAsk.length} users: ${m.en}`),
            checked,
            total: toAsk.length,
          };
          break;
        } else {
          throw e;
        }
      }
      memo.set(mobile, answer);
    }
    if ('userid' in answer) {
      const userid = answer.userid;
      const m = byUserid.get(userid.toLowerCase());
      if (m) found.push({ u, m });
      else c.noMatch.push({ u, reason: () => msg(`手机号 ${mobile} 属于成员 ${userid}，但该成员不在已同步的通讯录中或已停用：请先同步通讯录`, `The mobile ${mobile} belongs to member ${userid}, who is not in the synced address book or is disabled: sync first`) });
    } else {
      const code = answer.errcode;
      c.noMatch.push({ u, reason: () => msg(`企业微信中没有手机号为 ${mobile} 的成员（${code}）`, `No WeCom member has the mobile ${mobile} (${code})`) });
    }
    checked++;
  }
  for (const { u } of toAsk.slice(checked)) c.noMatch.push({ u, reason: () => msg('未检查（查询已停止）', 'Not checked (the look-up stopped)') });

  // Two users whose mobiles lead to one member are ambiguous, never "first one wins".
  const perMember = groupBy(found, (f) => f.m.userid);
  for (const { u, m } of found) {
    const n = perMember.get(m.userid)!.length;
    if (n > 1) {
      const reason = () => msg(`${n} 个数览用户的手机号都对应成员 ${m.name}（${m.userid}）`, `The mobiles of ${n} Shulan users all lead to member ${m.name} (${m.userid})`);
      c.ambiguous.push({ u, group: c.group(`member:${m.userid}`, reason, [m]) });
    } else single(u, m);
  }
  c.sortAmbiguous();
  return c;
}

type LookupAnswer = ({ userid: string } | { errcode: number }) & { at: number };
const MEMO_TTL_MS = 15 * 60_000;
const memos = new WeakMap<Db, Map<string, LookupAnswer>>();

/**
 * WeCom's answers to mobile look-ups, per database, for 15 minutes: turning the pages of a
 * preview must not ask WeCom (and spend the day's failure budget) again. Confirm always asks afresh.
 */
function lookupMemo(db: Db): { get(mobile: string): LookupAnswer | undefined; set(mobile: string, a: LookupAnswer): void } {
  let m = memos.get(db);
  if (!m) memos.set(db, (m = new Map()));
  const map = m;
  return {
    get(mobile) {
      const a = map.get(mobile);
      if (a && Date.now() - a.at > MEMO_TTL_MS) {
        map.delete(mobile);
        return undefined;
      }
      return a;
    },
    set(mobile, a) {
      map.set(mobile, a);
    },
  };
}

