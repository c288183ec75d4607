import { randomBytes } from 'node:crypto';
import type { WecomMatchBy, WecomMatchCategory, WecomMatchPreview } from '@shulan/shared';
import type { Db } from '../../db/createDb.js';
import type { Deps } from '../../deps.js';
import { ValidationError, msg } from '../../errors.js';
import type { Lang } from '../../http/route.js';
import type { Classification } from './classification.js';
import { matchThroughGetuserid } from './getuseridMatch.js';
import { matchLocally } from './localMatch.js';
import { loadMatchContext } from './matchContext.js';
import { MemberBook } from './memberBook.js';
import { Pager } from './pager.js';
import { MOBILE_REASONS, NAME_REASONS } from './reasons.js';

type PreviewDeps = Pick<Deps, 'db' | 'wecom'>;

export interface PreviewRequest {
  by: WecomMatchBy;
  category: WecomMatchCategory;
  offset: number;
  limit: number;
  q?: string | undefined;
  snapshot?: string | undefined;
}

/**
 * Dry run of bulk matching: sorts every unmatched active user into sure / ambiguous / conflict /
 * no match, each with its reason. Never picks "the first one" among several candidates.
 *
 * The classification is kept briefly as a snapshot (see snapshotStore) and each answer carries
 * the counts plus one page of one category.
 * Namesakes share one group: its candidates are listed once, not once per ambiguous user,
 * which keeps the work and the answer small however many 王伟 a company has.
 */
export async function previewMatching(deps: PreviewDeps, req: PreviewRequest, lang: Lang): Promise<WecomMatchPreview> {
  const store = snapshotStore(deps.db);
  let id = req.snapshot;
  let snap = id !== undefined ? store.get(id) : undefined;
  if (!snap || snap.by !== req.by) {
    snap = await classify(deps, req.by);
    id = store.put(snap);
  }
  const { c } = snap;
  return {
    by: req.by,
    snapshot: id!,
    counts: { sure: c.sure.length, ambiguous: c.ambiguous.length, conflicts: c.conflicts.length, noMatch: c.noMatch.length },
    page: await new Pager(c, snap.book, snap.departments, snap.boundTo, lang, req).page(),
    stopped: c.stopped ? { message: c.stopped.message[lang], checked: c.stopped.checked, total: c.stopped.total } : null,
  };
}

interface Snapshot {
  by: WecomMatchBy;
  c: Classification;
  /** The member rows pages show, read as needed. */
  book: MemberBook;
  /** Department id → name, to show and filter candidates by department. */
  departments: Map<number, string>;
  /** wecom_userid → Shulan user id, for every match when the snapshot was taken. */
  boundTo: Map<string, string>;
}

async function classify(deps: PreviewDeps, by: WecomMatchBy): Promise<Snapshot> {
  const { db } = deps;
  const active = (q: ReturnType<typeof members>) => q.where('status', '=', 1).where('left_at', 'is', null);
  const members = () => db.selectFrom('wecom_members').select('userid');
  const [any, anyMobile] = await Promise.all([active(members()).limit(1).executeTakeFirst(), by === 'mobile' ? active(members()).where('mobile', 'is not', null).limit(1).executeTakeFirst() : undefined]);
  if (!any) {
    throw new ValidationError(
      msg(
        '本地还没有企业微信通讯录：请先在 企业微信集成设置 中“立即同步”通讯录（每天 02:00 也会自动同步）',
        'No WeCom address book yet: press "Sync now" in the WeCom integration settings first (it also syncs daily at 02:00)',
      ),
    );
  }
  if (by === 'mobile' && !anyMobile) {
    // Apps created after 2022-06-20 cannot read mobiles: ask WeCom, on the whole address book.
    const ctx = await loadMatchContext(db);
    return { by, c: await matchThroughGetuserid(deps, ctx), book: MemberBook.of(db, ctx.members), departments: ctx.departments, boundTo: ctx.boundTo };
  }
  // Apps created before 2022-06-20 still read mobiles: match on the synced copy, like names.
  const keyColumn = by === 'name' ? 'match_name_key' : 'match_mobile_key';
  const [{ c, boundTo }, departments] = await Promise.all([matchLocally(db, keyColumn, by === 'name' ? NAME_REASONS : MOBILE_REASONS), departmentNames(db)]);
  return { by, c, book: new MemberBook(db, keyColumn), departments, boundTo };
}

async function departmentNames(db: Db): Promise<Map<number, string>> {
  return new Map((await db.selectFrom('wecom_departments').select(['id', 'name']).execute()).map((d) => [d.id, d.name]));
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
