import { sql } from 'kysely';
import type { Db } from '../../db/createDb.js';
import type { Group } from './classification.js';
import type { MatchMember } from './matchContext.js';

export type MatchKeyColumn = 'match_name_key' | 'match_mobile_key';

const CHUNK = 500;
/** Above this many members or groups to read for a filter, the whole address book is read instead (tests lower it). */
export const memberBookTuning = { wholeBookAbove: 2000 };

/**
 * The member rows a snapshot shows, read when first needed: the candidates of the groups on a
 * page, the member of each sure or conflicting row on it, or (once, when a filter must look at
 * every candidate) the whole address book. The first page of 100k × 100k then reads a few dozen
 * member rows, not 100k.
 */
export class MemberBook {
  private readonly byUserid = new Map<string, MatchMember>();
  private complete = false;

  constructor(
    private readonly db: Db,
    /** The stored key groups' candidates are read by; null when every group carries its members. */
    private readonly keyColumn: MatchKeyColumn | null,
  ) {}

  /** A book holding the whole address book already (matching through user/getuserid reads it). */
  static of(db: Db, members: MatchMember[]): MemberBook {
    const b = new MemberBook(db, null);
    for (const m of members) b.byUserid.set(m.userid, m);
    b.complete = true;
    return b;
  }

  get(userid: string): MatchMember {
    const m = this.byUserid.get(userid);
    if (!m) throw new Error(`member ${userid} was not read`);
    return m;
  }

  /** Reads the rows of these members and the candidates of these groups not read yet. */
  async need(userids: Iterable<string>, groups: Iterable<Group>): Promise<void> {
    const missing = [...new Set(userids)].filter((id) => !this.byUserid.has(id));
    for (let i = 0; i < missing.length; i += CHUNK) {
      for (const m of await this.select().where('userid', 'in', missing.slice(i, i + CHUNK)).execute()) this.byUserid.set(m.userid, m);
    }
    const open = [...new Set(groups)].filter((g) => g.members === null);
    if (open.length === 0) return;
    const col = this.keyColumn!;
    const byKey = new Map(open.map((g) => [g.key, [] as MatchMember[]]));
    for (let i = 0; i < open.length; i += CHUNK) {
      const rows = await this.select()
        .select(sql.ref<string>(col).as('k'))
        .where(col, 'in', open.slice(i, i + CHUNK).map((g) => g.key))
        .where('status', '=', 1)
        .where('left_at', 'is', null)
        .orderBy('userid')
        .execute();
      for (const { k, ...m } of rows) {
        byKey.get(k)!.push(m);
        this.byUserid.set(m.userid, m);
      }
    }
    for (const g of open) g.members = byKey.get(g.key)!;
  }

  /**
   * Like need, for a filter that looks at every row of a category: a few keys or members are read
   * by key or userid, many in one read of the whole address book (cheaper than hundreds of IN lists).
   */
  async needFor(userids: string[], groups: Iterable<Group>): Promise<void> {
    const open = [...groups].filter((g) => g.members === null);
    if (this.complete || userids.length + open.length <= memberBookTuning.wholeBookAbove) return this.need(userids, open);
    const col = this.keyColumn!;
    const rows = await this.select().select([sql.ref<string | null>(col).as('k'), 'status', 'left_at']).orderBy('userid').execute();
    const byKey = new Map<string, MatchMember[]>();
    for (const { k, status, left_at, ...m } of rows) {
      this.byUserid.set(m.userid, m);
      if (k === null || status !== 1 || left_at !== null) continue;
      const list = byKey.get(k);
      if (list) list.push(m);
      else byKey.set(k, [m]);
    }
    this.complete = true;
    for (const g of open) g.members ??= byKey.get(g.key) ?? [];
  }

  private select() {
    return this.db.selectFrom('wecom_members').select(['userid', 'name', 'mobile', 'department_ids_json']);
  }
}
