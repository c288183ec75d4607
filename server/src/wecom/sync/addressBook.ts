import type { WecomSyncCounts, WecomSyncProgress } from '@shulan/shared';
import type { Db } from '../../db/createDb.js';
import type { WecomDepartmentsTable, WecomMembersTable } from '../../db/schema.js';
import { msg } from '../../errors.js';
import type { WecomClient } from '../WecomClient.js';
import { WecomError } from '../wecomErrors.js';
import type { WecomMember } from '../wecomTypes.js';

/** What one complete listing of the visible range returned, in the shape of our tables. */
export interface AddressBook {
  departments: Omit<WecomDepartmentsTable, 'synced_at'>[];
  members: Omit<WecomMembersTable, 'synced_at' | 'left_at'>[];
}

/**
 * Lists the departments visible to the app, then the members of each (user/list is per
 * department and not recursive). Throws WecomError on the first call that fails after the
 * client's retries: a partial listing is never returned, so nobody is wrongly marked as left.
 */
export async function fetchAddressBook(
  client: Pick<WecomClient, 'listDepartments' | 'listMembers' | 'getMember'>,
  onProgress: (p: WecomSyncProgress) => Promise<void>,
  syncClient: Pick<WecomClient, 'listMemberIds'> | null = null,
  /** user/list_id page size (tests page with small ones). */
  listIdLimit = LIST_ID_LIMIT,
): Promise<AddressBook> {
  await onProgress({ phase: 'departments', done: 0, total: 1 });
  const depts = await client.listDepartments();
  const departments = depts.map((d) => ({ id: d.id, name: d.name, parent_id: d.parentid > 0 ? d.parentid : null }));

  const members = new Map<string, AddressBook['members'][number]>();
  await onProgress({ phase: 'members', done: 0, total: departments.length });
  for (const [i, d] of departments.entries()) {
    for (const m of await client.listMembers(d.id)) {
      // A member of several departments is listed under each; the first copy carries them all.
      if (!members.has(m.userid)) members.set(m.userid, toRow(m));
    }
    await onProgress({ phase: 'members', done: i + 1, total: departments.length });
  }
  if (syncClient) await addIndividuallyVisible(client, syncClient, members, onProgress, listIdLimit);
  return { departments, members: [...members.values()] };
}

function toRow(m: WecomMember): AddressBook['members'][number] {
  return {
    userid: m.userid,
    name: m.name,
    // Apps created after 2022-06-20 get no mobile/email: stored as null, never as "".
    mobile: m.mobile ? m.mobile : null,
    email: m.email ? m.email : null,
    department_ids_json: JSON.stringify([...m.department].sort((a, b) => a - b)),
    status: m.status,
    position: m.position ? m.position : null,
  };
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
  members: Map<string, AddressBook['members'][number]>,
  onProgress: (p: WecomSyncProgress) => Promise<void>,
  listIdLimit: number,
): Promise<void> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_LIST_ID_PAGES) throw endlessListing();
    const res = await syncClient.listMemberIds(cursor, listIdLimit);
    for (const r of res.rows) ids.add(r.userid);
    if (res.nextCursor === '') break;
    if (res.nextCursor === cursor) throw endlessListing();
    cursor = res.nextCursor;
  }
  const known = new Set([...members.keys()].map((u) => u.toLowerCase()));
  const missing = [...ids].filter((u) => !known.has(u.toLowerCase()));
  await onProgress({ phase: 'members', done: 0, total: missing.length });
  for (const [i, userid] of missing.entries()) {
    try {
      const m = await client.getMember(userid);
      members.set(m.userid, toRow(m));
    } catch (e) {
      if (!(e instanceof WecomError && (e.errcode === 60011 || e.errcode === 60111))) throw e;
    }
    if ((i + 1) % 50 === 0 || i + 1 === missing.length) await onProgress({ phase: 'members', done: i + 1, total: missing.length });
  }
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
 * transaction. Unchanged rows are not touched (their synced_at stays), so a re-sync with no
 * change in WeCom writes nothing.
 */
export async function applyAddressBook(trx: Db, book: AddressBook, runAt: string): Promise<ApplyResult> {
  const counts = emptyCounts();
  counts.membersSeen = book.members.length;

  const oldDepts = new Map((await trx.selectFrom('wecom_departments').selectAll().execute()).map((d) => [d.id, d]));
  const newDepts: WecomDepartmentsTable[] = [];
  for (const d of book.departments) {
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

  const oldMembers = new Map((await trx.selectFrom('wecom_members').selectAll().execute()).map((m) => [m.userid, m]));
  const newMembers: WecomMembersTable[] = [];
  for (const m of book.members) {
    const old = oldMembers.get(m.userid);
    oldMembers.delete(m.userid);
    if (!old) {
      newMembers.push({ ...m, left_at: null, synced_at: runAt });
      counts.membersAdded++;
      continue;
    }
    const same =
      old.name === m.name &&
      old.mobile === m.mobile &&
      old.email === m.email &&
      old.department_ids_json === m.department_ids_json &&
      old.status === m.status &&
      old.position === m.position &&
      old.left_at === null;
    if (same) continue;
    await trx
      .updateTable('wecom_members')
      .set({ name: m.name, mobile: m.mobile, email: m.email, department_ids_json: m.department_ids_json, status: m.status, position: m.position, left_at: null, synced_at: runAt })
      .where('userid', '=', m.userid)
      .execute();
    counts.membersChanged++;
    if (m.status === 2 && old.status !== 2) counts.membersDisabled++;
    if (m.status === 5 && old.status !== 5) counts.membersLeft++;
  }
  for (let i = 0; i < newMembers.length; i += CHUNK) await trx.insertInto('wecom_members').values(newMembers.slice(i, i + CHUNK)).execute();

  // Not in a complete listing any more: left the company or left the visible range.
  const left = [...oldMembers.values()].filter((m) => m.left_at === null).map((m) => m.userid);
  for (let i = 0; i < left.length; i += CHUNK) {
    await trx.updateTable('wecom_members').set({ left_at: runAt, synced_at: runAt }).where('userid', 'in', left.slice(i, i + CHUNK)).execute();
  }
  counts.membersLeft += left.length;
  return { counts };
}
