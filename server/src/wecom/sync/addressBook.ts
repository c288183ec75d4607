import type { WecomSyncCounts, WecomSyncProgress } from '@shulan/shared';
import type { Db } from '../../db/createDb.js';
import type { WecomDepartmentsTable, WecomMembersColumns } from '../../db/schema.js';
import { msg } from '../../errors.js';
import type { WecomClient } from '../WecomClient.js';
import { WecomError, WecomPausedError } from '../wecomErrors.js';
import type { WecomMember } from '../wecomTypes.js';
import { memberHash } from './memberHash.js';
import { memberMatchKeys } from '../matching/matchKeys.js';
import { syncDepartmentGroups } from '../../permissions/departmentGroups.js';

export { memberHash };

/** A member as WeCom lists it, in the shape of wecom_members. */
export type MemberRow = Pick<WecomMembersColumns, 'userid' | 'name' | 'mobile' | 'email' | 'department_ids_json' | 'status' | 'match_name_key' | 'match_mobile_key'> & {
  position: string | null;
  main_department: number | null;
  extattr_json: string | null;
};
type DepartmentRow = Omit<WecomDepartmentsTable, 'synced_at'>;

/**
 * What one complete listing of the visible range returned, kept small: the content hash of every
 * member listed, and the full row only of those that differ from the local copy as it was when
 * the listing started. A resync with nothing changed holds 100k short strings, not 100k rows.
 */
export interface Listing {
  departments: DepartmentRow[];
  /** userid → content hash, for every member listed. */
  seen: Map<string, string>;
  /** Members whose hash (or left_at) differed from the snapshot taken before listing. */
  changed: Map<string, MemberRow>;
}

/** user/list calls in flight at once: far under WeCom's per-corp limits (reference §4). */
export const SYNC_CONCURRENCY = 16;
/** After this many concurrency refusals (45033) in one run the sync gives up, changing nothing. */
const MAX_CONCURRENCY_PAUSES = 3;

export interface ListingOptions {
  concurrency?: number;
  /** user/list_id page size (tests page with small ones). */
  listIdLimit?: number;
  /** How to wait out a 45033 pause (tests move the breaker's clock instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
}

/** userid → stored hash ('' when the row must be rewritten anyway: no hash yet, or marked left). */
export async function storedHashes(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('wecom_members').select(['userid', 'content_hash', 'left_at']).execute();
  return new Map(rows.map((r) => [r.userid, r.left_at === null && r.content_hash ? r.content_hash : '']));
}

/**
 * Lists the departments visible to the app, then the members of each (user/list is per
 * department and not recursive), SYNC_CONCURRENCY departments at a time. Each page is compared
 * with `stored` as it arrives, so unchanged members are dropped at once. Throws WecomError on the
 * first call that fails after the client's retries: a partial listing is never returned, so
 * nobody is wrongly marked as left.
 */
export async function fetchListing(
  client: Pick<WecomClient, 'listDepartments' | 'listMembers' | 'getMember'>,
  stored: ReadonlyMap<string, string>,
  onProgress: (p: WecomSyncProgress) => Promise<void>,
  syncClient: Pick<WecomClient, 'listMemberIds'> | null = null,
  opts: ListingOptions = {},
): Promise<Listing> {
  const pool = { concurrency: opts.concurrency ?? SYNC_CONCURRENCY, sleep: opts.sleep ?? sleep };
  await onProgress({ phase: 'departments', done: 0, total: 1 });
  const depts = await client.listDepartments();
  const departments = depts.map((d) => ({ id: d.id, name: d.name, parent_id: d.parentid > 0 ? d.parentid : null }));

  const listing: Listing = { departments, seen: new Map(), changed: new Map() };
  const see = (m: WecomMember) => {
    // A member of several departments is listed under each; the first copy carries them all.
    if (listing.seen.has(m.userid)) return;
    const row = toRow(m);
    const hash = memberHash(row);
    listing.seen.set(m.userid, hash);
    if (stored.get(m.userid) !== hash) listing.changed.set(m.userid, row);
  };

  let done = 0;
  await onProgress({ phase: 'members', done: 0, total: departments.length });
  await inPool(
    departments.map((d) => d.id),
    pool,
    async (id) => {
      for (const m of await client.listMembers(id)) see(m);
      await onProgress({ phase: 'members', done: ++done, total: departments.length });
    },
  );
  if (syncClient) await addIndividuallyVisible(client, syncClient, listing, see, onProgress, pool, opts.listIdLimit ?? LIST_ID_LIMIT);
  return listing;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `visit` over `items`, `concurrency` at a time. WeCom's answers to calling too much are
 * obeyed, never hammered: on 45033 (too many concurrent calls) the pool halves, waits the pause
 * out and tries those items again; on anything else, 45009 included (the API is blocked for a
 * minute or an hour), no new call starts and the first error is thrown once the calls in flight
 * have ended.
 */
async function inPool<T>(items: T[], pool: { concurrency: number; sleep: (ms: number) => Promise<void> }, visit: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  let next = 0;
  let width = pool.concurrency;
  let pauses = 0;
  let gate: Promise<void> | null = null;
  let failure: { error: unknown } | null = null;
  const worker = async (slot: number) => {
    while (!failure && next < queue.length && slot < width) {
      if (gate) {
        await gate;
        continue;
      }
      const item = queue[next++] as T;
      try {
        await visit(item);
      } catch (e) {
        if (e instanceof WecomPausedError && e.pause.errcode === 45033 && (gate || pauses < MAX_CONCURRENCY_PAUSES)) {
          queue.push(item);
          if (!gate) {
            pauses++;
            width = Math.max(1, Math.floor(width / 2));
            gate = pool.sleep(e.retryAfter * 1000).finally(() => (gate = null));
          }
          continue;
        }
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(pool.concurrency, Math.max(1, items.length)) }, (_, i) => worker(i)));
  if (failure) throw (failure as { error: unknown }).error;
}

function toRow(m: WecomMember): MemberRow {
  // Apps created after 2022-06-20 get no mobile/email: stored as null, never as "".
  const mobile = m.mobile ? m.mobile : null;
  return {
    userid: m.userid,
    name: m.name,
    mobile,
    ...memberMatchKeys({ name: m.name, mobile }),
    email: m.email ? m.email : null,
    department_ids_json: JSON.stringify([...m.department].sort((a, b) => a - b)),
    status: m.status,
    position: m.position ? m.position : null,
    main_department: m.main_department ?? null,
    extattr_json: extattrJson(m),
  };
}

/** Text custom fields as {name: value} JSON (row rules read them as `ext.<name>`); null when none. */
export function extattrJson(m: Pick<WecomMember, 'extattr'>): string | null {
  const out: Record<string, string> = {};
  for (const a of m.extattr?.attrs ?? []) {
    const v = a.text?.value ?? a.value;
    if ((a.type === undefined || a.type === 0) && a.name && v) out[a.name] = v;
  }
  return Object.keys(out).length ? JSON.stringify(out) : null;
}

/** user/list_id page size: WeCom's maximum. */
const LIST_ID_LIMIT = 10_000;
/** More pages than any corp has (10k ids each): a cursor that never ends is WeCom's bug, not a listing. */
const MAX_LIST_ID_PAGES = 1_000;

/**
 * With a contact-sync Secret: every member id of the corp (user/list_id, which only that Secret
 * may call), then user/get with the app's own token for the ids the department listing missed.
 * Those are members added to the visible range one by one (their department is not visible);
 * 60011 means outside the visible range (they cannot open the mini program, so they are not
 * synced), 60111 deleted since the listing. Any other failure ends the sync with nothing
 * changed, so nobody is marked as left on a guess.
 */
async function addIndividuallyVisible(
  client: Pick<WecomClient, 'getMember'>,
  syncClient: Pick<WecomClient, 'listMemberIds'>,
  listing: Listing,
  see: (m: WecomMember) => void,
  onProgress: (p: WecomSyncProgress) => Promise<void>,
  pool: { concurrency: number; sleep: (ms: number) => Promise<void> },
  listIdLimit: number,
): Promise<void> {
  const known = new Set([...listing.seen.keys()].map((u) => u.toLowerCase()));
  const missing = new Set<string>();
  let cursor: string | undefined;
  // The cursor chains the pages, so they come one after another (10,000 rows each).
  for (let page = 0; ; page++) {
    if (page >= MAX_LIST_ID_PAGES) throw endlessListing();
    const res = await syncClient.listMemberIds(cursor, listIdLimit);
    for (const r of res.rows) if (!known.has(r.userid.toLowerCase())) missing.add(r.userid);
    if (res.nextCursor === '') break;
    if (res.nextCursor === cursor) throw endlessListing();
    cursor = res.nextCursor;
  }
  let done = 0;
  await onProgress({ phase: 'members', done: 0, total: missing.size });
  await inPool([...missing], pool, async (userid) => {
    try {
      see(await client.getMember(userid));
    } catch (e) {
      if (!(e instanceof WecomError && (e.errcode === 60011 || e.errcode === 60111))) throw e;
    }
    if (++done % 50 === 0 || done === missing.size) await onProgress({ phase: 'members', done, total: missing.size });
  });
}

const endlessListing = () =>
  new WecomError(null, 'invalid_response', 'user/list_id', msg('企业微信返回的成员 ID 列表没有结束，本次同步未做任何修改', 'WeCom\'s member id listing never ended; this sync changed nothing'));

export const emptyCounts = (): WecomSyncCounts => ({
  departmentsAdded: 0,
  departmentsChanged: 0,
  departmentsRemoved: 0,
  membersAdded: 0,
  membersChanged: 0,
  membersLeft: 0,
  membersDisabled: 0,
  membersSeen: 0,
});

export interface ApplyResult {
  counts: WecomSyncCounts;
}

const CHUNK = 500;

/**
 * Writes the difference between a complete listing and the local copy, inside the caller's
 * transaction. The local copy is read again here (by hash, not whole rows), so a change made
 * since the snapshot (a callback event) is compared with what is stored now. Unchanged rows are
 * not touched (their synced_at stays), so a resync with no change in WeCom writes nothing.
 */
export async function applyListing(trx: Db, listing: Listing, runAt: string): Promise<ApplyResult> {
  const counts = emptyCounts();
  counts.membersSeen = listing.seen.size;

  const oldDepts = new Map((await trx.selectFrom('wecom_departments').selectAll().execute()).map((d) => [d.id, d]));
  const newDepts: WecomDepartmentsTable[] = [];
  for (const d of listing.departments) {
    const old = oldDepts.get(d.id);
    oldDepts.delete(d.id);
    if (!old) {
      newDepts.push({ ...d, synced_at: runAt });
      counts.departmentsAdded++;
    } else if (old.name !== d.name || old.parent_id !== d.parent_id) {
      await trx.updateTable('wecom_departments').set({ name: d.name, parent_id: d.parent_id, synced_at: runAt }).where('id', '=', d.id).execute();
      counts.departmentsChanged++;
    }
  }
  for (let i = 0; i < newDepts.length; i += CHUNK) await trx.insertInto('wecom_departments').values(newDepts.slice(i, i + CHUNK)).execute();
  const gone = [...oldDepts.keys()];
  for (let i = 0; i < gone.length; i += CHUNK) await trx.deleteFrom('wecom_departments').where('id', 'in', gone.slice(i, i + CHUNK)).execute();
  counts.departmentsRemoved = gone.length;

  const stored = new Map(
    (await trx.selectFrom('wecom_members').select(['userid', 'content_hash', 'left_at', 'status']).execute()).map((m) => [m.userid, m]),
  );
  // Inserted a chunk at a time, so a first sync does not build a second copy of the whole book.
  let inserts: (MemberRow & { content_hash: string; left_at: null; synced_at: string })[] = [];
  const flush = async () => {
    if (inserts.length > 0) await trx.insertInto('wecom_members').values(inserts).execute();
    inserts = [];
  };
  for (const [userid, hash] of listing.seen) {
    const old = stored.get(userid);
    stored.delete(userid);
    if (old && old.content_hash === hash && old.left_at === null) continue;
    const row = listing.changed.get(userid);
    if (!old) {
      // Listed and unchanged at the snapshot, deleted locally since: nothing to insert from.
      if (!row) continue;
      inserts.push({ ...row, content_hash: hash, left_at: null, synced_at: runAt });
      listing.changed.delete(userid);
      if (inserts.length === CHUNK) await flush();
      counts.membersAdded++;
      continue;
    }
    if (row) {
      await trx
        .updateTable('wecom_members')
        .set({ ...row, content_hash: hash, left_at: null, synced_at: runAt })
        .where('userid', '=', userid)
        .execute();
      if (row.status === 2 && old.status !== 2) counts.membersDisabled++;
      if (row.status === 5 && old.status !== 5) counts.membersLeft++;
    } else if (old.content_hash === hash) {
      // Marked left since the snapshot, listed again: back.
      await trx.updateTable('wecom_members').set({ left_at: null, synced_at: runAt }).where('userid', '=', userid).execute();
    } else {
      // Changed locally since the snapshot (a callback event, newer than this listing): kept.
      continue;
    }
    counts.membersChanged++;
  }
  await flush();

  // Not in a complete listing any more: left the company or left the visible range.
  const left = [...stored.values()].filter((m) => m.left_at === null).map((m) => m.userid);
  for (let i = 0; i < left.length; i += CHUNK) {
    await trx.updateTable('wecom_members').set({ left_at: runAt, synced_at: runAt }).where('userid', 'in', left.slice(i, i + CHUNK)).execute();
  }
  counts.membersLeft += left.length;
  // Department groups follow the departments, in the same transaction.
  await syncDepartmentGroups(trx);
  return { counts };
}
