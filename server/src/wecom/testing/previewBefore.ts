// The matching preview as it was before it matched in SQL on stored keys (commit 9836e08, minus
// the user/getuserid path, which did not change): every user and member row read into JS and
// classified there. Kept only as the reference the SQL preview is compared with (matchKeys.test.ts).
import { randomBytes } from 'node:crypto';
import type { WecomMatchBy, WecomMatchCandidate, WecomMatchCategory, WecomMatchPage, WecomMatchPreview } from '@shulan/shared';
import type { Db } from '../../db/createDb.js';
import type { Deps } from '../../deps.js';
import { ValidationError, msg, type Msg } from '../../errors.js';
import type { Lang } from '../../http/route.js';
import { groupBy, loadMatchContext, nameKey, type MatchContext, type MatchMember, type MatchUser } from '../matching/matchContext.js';
import { normalizeMobile } from '../matching/mobile.js';
import type { PreviewRequest } from '../matching/preview.js';

type PreviewDeps = Pick<Deps, 'db' | 'wecom'>;


/**
 * Dry run of bulk matching: sorts every unmatched active user into sure / ambiguous / conflict /
 * no match, each with its reason. Never picks "the first one" among several candidates.
 *
 * The classification is kept briefly as a snapshot (see snapshotStore) and each answer carries
 * the counts plus one page of one category.
 * Namesakes share one group: its candidates are listed once, not once per ambiguous user,
 * which keeps the work and the answer small however many 王伟 a company has.
 */
export async function previewMatchingBefore(deps: PreviewDeps, req: PreviewRequest, lang: Lang): Promise<WecomMatchPreview> {
  const store = snapshotStore(deps.db);
  let id = req.snapshot;
  let snap = id !== undefined ? store.get(id) : undefined;
  if (!snap || snap.by !== req.by) {
    snap = await classify(deps, req.by);
    id = store.put(snap);
  }
  const { ctx, c } = snap;
  return {
    by: req.by,
    snapshot: id!,
    counts: { sure: c.sure.length, ambiguous: c.ambiguous.length, conflicts: c.conflicts.length, noMatch: c.noMatch.length },
    page: new Pager(ctx, c, lang, req).page(),
    stopped: c.stopped ? { message: c.stopped.message[lang], checked: c.stopped.checked, total: c.stopped.total } : null,
  };
}

interface Snapshot {
  by: WecomMatchBy;
  ctx: MatchContext;
  c: Classifier;
}

async function classify(deps: PreviewDeps, by: WecomMatchBy): Promise<Snapshot> {
  const ctx = await loadMatchContext(deps.db);
  if (ctx.members.length === 0) {
    throw new ValidationError(
      msg(
        '本地还没有企业微信通讯录：请先在 企业微信集成设置 中“立即同步”通讯录（每天 02:00 也会自动同步）',
        'No WeCom address book yet: press "Sync now" in the WeCom integration settings first (it also syncs daily at 02:00)',
      ),
    );
  }
  const c = new Classifier(ctx);
  if (by === 'name') {
    c.matchLocally((u) => nameKey(u.display_name), (m) => nameKey(m.name), NAME_REASONS);
  } else if (ctx.members.some((m) => m.mobile !== null)) {
    // Apps created before 2022-06-20 still read mobiles: match on the synced copy.
    c.matchLocally((u) => normalizeMobile(u.mobile), (m) => normalizeMobile(m.mobile), MOBILE_REASONS);
  } else {
    throw new Error('the reference covers local matching only');
  }
  return { by, ctx, c };
}

/** Snapshots kept per database, few and briefly: an admin pages through one, then confirms. */
const SNAPSHOT_TTL_MS = 5 * 60_000;
const SNAPSHOTS_KEPT = 2;
const snapshots = new WeakMap<Db, Map<string, { snap: Snapshot; usedAt: number }>>();

/**
 * Pages of one preview come from one classification, so they add up to its counts and turning a
 * page costs no re-reading of 200,000 rows. Nothing here is trusted for writing: confirm checks
 * every pair against the database again. Another instance (or an expired snapshot) simply
 * classifies afresh and names a new snapshot.
 */
function snapshotStore(db: Db) {
  let map = snapshots.get(db);
  if (!map) snapshots.set(db, (map = new Map()));
  const m = map;
  const now = Date.now();
  for (const [k, v] of m) if (now - v.usedAt > SNAPSHOT_TTL_MS) m.delete(k);
  return {
    get(id: string): Snapshot | undefined {
      const e = m.get(id);
      if (e) e.usedAt = now;
      return e?.snap;
    },
    put(snap: Snapshot): string {
      while (m.size >= SNAPSHOTS_KEPT) m.delete(m.keys().next().value!);
      const id = randomBytes(12).toString('base64url');
      m.set(id, { snap, usedAt: now });
      return id;
    },
  };
}

interface Reasons {
  missing: (u: MatchUser) => Msg;
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

/** Reasons are built only for the rows of the page shown, hence the thunks. */
type LazyMsg = () => Msg;
interface Group {
  key: string;
  reason: LazyMsg;
  members: MatchMember[];
}

class Classifier {
  readonly sure: { u: MatchUser; m: MatchMember }[] = [];
  readonly ambiguous: { u: MatchUser; group: Group }[] = [];
  readonly conflicts: { u: MatchUser; m: MatchMember; bound: string }[] = [];
  readonly noMatch: { u: MatchUser; reason: LazyMsg }[] = [];
  stopped: { message: Msg; checked: number; total: number } | null = null;

  constructor(private readonly ctx: MatchContext) {}

  /** One candidate member for one user: sure, or a conflict when the member is matched elsewhere. */
  private single(u: MatchUser, m: MatchMember): void {
    const bound = this.ctx.boundTo.get(m.userid);
    if (bound !== undefined) this.conflicts.push({ u, m, bound });
    else this.sure.push({ u, m });
  }

  /** Matching on a value both sides carry locally (name, or mobile for pre-2022 apps). */
  matchLocally(userKey: (u: MatchUser) => string | null, memberKey: (m: MatchMember) => string | null, r: Reasons): void {
    const members = groupBy(this.ctx.members, memberKey);
    const users = groupBy(this.ctx.activeUsers, userKey);
    const groups = new Map<string, Group>();
    const groupOf = (k: string, cands: MatchMember[], reason: LazyMsg): Group => {
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { key: k, reason, members: cands }));
      return g;
    };
    for (const u of this.ctx.unmatched) {
      const k = userKey(u);
      if (k === null) {
        this.noMatch.push({ u, reason: () => r.missing(u) });
        continue;
      }
      const cands = members.get(k) ?? [];
      const sameKeyUsers = users.get(k)?.length ?? 1;
      if (cands.length === 0) this.noMatch.push({ u, reason: () => r.none(k) });
      else if (cands.length > 1) this.ambiguous.push({ u, group: groupOf(k, cands, () => r.severalMembers(k, cands.length)) });
      else if (sameKeyUsers > 1) this.ambiguous.push({ u, group: groupOf(k, cands, () => r.severalUsers(k, sameKeyUsers)) });
      else this.single(u, cands[0]!);
    }
    this.sortAmbiguous();
  }

  /** Namesakes side by side, so a page shows few groups and each group's candidates once. */
  private sortAmbiguous(): void {
    this.ambiguous.sort((a, b) => (a.group.key < b.group.key ? -1 : a.group.key > b.group.key ? 1 : a.u.username < b.u.username ? -1 : 1));
  }
}

/** Builds the one page asked for, with reasons, candidates and department names for its rows only. */
class Pager {
  private readonly usernames: Map<string, string>;
  private readonly q: string | null;
  private readonly deptCache = new Map<string, string[]>();

  constructor(
    private readonly ctx: MatchContext,
    private readonly c: Classifier,
    private readonly lang: Lang,
    private readonly req: PreviewRequest,
  ) {
    this.usernames = new Map();
    this.q = req.q ? req.q.toLowerCase() : null;
  }

  private departments(m: MatchMember): string[] {
    let d = this.deptCache.get(m.department_ids_json);
    if (!d) {
      const ids = JSON.parse(m.department_ids_json) as number[];
      d = ids.map((id) => this.ctx.departments.get(id) ?? String(id));
      this.deptCache.set(m.department_ids_json, d);
    }
    return d;
  }

  private hit(...texts: string[]): boolean {
    const q = this.q!;
    return texts.some((t) => t.toLowerCase().includes(q));
  }
  private userHit(u: MatchUser): boolean {
    return this.hit(u.username, u.display_name);
  }
  private memberHit(m: MatchMember): boolean {
    return this.hit(m.name, m.userid, ...this.departments(m));
  }

  private slice<T>(rows: T[], keep: (t: T) => boolean): { total: number; rows: T[] } {
    const all = this.q === null ? rows : rows.filter(keep);
    return { total: all.length, rows: all.slice(this.req.offset, this.req.offset + this.req.limit) };
  }

  private candidate(m: MatchMember): WecomMatchCandidate {
    return { wecomUserid: m.userid, wecomName: m.name, departments: this.departments(m), boundUserId: this.ctx.boundTo.get(m.userid) ?? null };
  }

  private usernameOf(id: string): string {
    if (this.usernames.size === 0) for (const u of this.ctx.activeUsers) this.usernames.set(u.id, u.username);
    return this.usernames.get(id) ?? id;
  }

  page(): WecomMatchPage {
    const { c, lang, req } = this;
    const offset = req.offset;
    switch (req.category) {
      case 'sure': {
        const { total, rows } = this.slice(c.sure, ({ u, m }) => this.userHit(u) || this.memberHit(m));
        const items = rows.map(({ u, m }) => ({ userId: u.id, username: u.username, displayName: u.display_name, wecomUserid: m.userid, wecomName: m.name, departments: this.departments(m) }));
        return { category: 'sure', total, offset, items };
      }
      case 'ambiguous': {
        const groupHit = new Map<string, boolean>();
        const { total, rows } = this.slice(c.ambiguous, ({ u, group }) => {
          if (this.userHit(u)) return true;
          let h = groupHit.get(group.key);
          if (h === undefined) groupHit.set(group.key, (h = group.members.some((m) => this.memberHit(m))));
          return h;
        });
        const groups = [...new Set(rows.map((r) => r.group))].map((g) => ({ key: g.key, reason: g.reason()[lang], candidates: g.members.map((m) => this.candidate(m)) }));
        const items = rows.map(({ u, group }) => ({ userId: u.id, username: u.username, displayName: u.display_name, group: group.key }));
        return { category: 'ambiguous', total, offset, items, groups };
      }
      case 'conflicts': {
        const { total, rows } = this.slice(c.conflicts, ({ u, m }) => this.userHit(u) || this.memberHit(m));
        const items = rows.map(({ u, m, bound }) => {
          const other = this.usernameOf(bound);
          return {
            userId: u.id,
            username: u.username,
            wecomUserid: m.userid,
            boundUserId: bound,
            reason: msg(`企业微信成员 ${m.name}（${m.userid}）已匹配数览用户 ${other}`, `WeCom member ${m.name} (${m.userid}) is already matched with Shulan user ${other}`)[lang],
          };
        });
        return { category: 'conflicts', total, offset, items };
      }
      case 'noMatch': {
        const { total, rows } = this.slice(c.noMatch, ({ u }) => this.userHit(u));
        return { category: 'noMatch', total, offset, items: rows.map(({ u, reason }) => ({ userId: u.id, username: u.username, reason: reason()[lang] })) };
      }
    }
  }
}
