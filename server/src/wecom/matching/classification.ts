import type { Msg } from '../../errors.js';
import type { MatchMember, MatchUser } from './matchContext.js';

/** Reasons are built only for the rows of the page shown, hence the thunks. */
export type LazyMsg = () => Msg;

/**
 * Users sharing one key (a name, a mobile) or led to one member. Candidates are listed once per
 * group; null until read (local matching reads a group's candidates by its key only when a page
 * shows them or a filter looks at them, see MemberBook).
 */
export interface Group {
  key: string;
  reason: LazyMsg;
  members: MatchMember[] | null;
}

/**
 * The sorted preview, held by a snapshot so later pages cost nothing to classify. Members are
 * named by userid; their rows live in the snapshot's MemberBook.
 */
export class Classification {
  readonly sure: { u: MatchUser; m: string }[] = [];
  readonly ambiguous: { u: MatchUser; group: Group }[] = [];
  readonly conflicts: { u: MatchUser; m: string; bound: string; boundName: string }[] = [];
  readonly noMatch: { u: MatchUser; reason: LazyMsg }[] = [];
  readonly groups = new Map<string, Group>();
  stopped: { message: Msg; checked: number; total: number } | null = null;

  group(key: string, reason: LazyMsg, members: MatchMember[] | null): Group {
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { key, reason, members }));
    return g;
  }

  /**
   * Namesakes side by side (group key, then username, both in JS string order), so a page shows
   * few groups and each group's candidates once. Rows arrive in the database's username order,
   * which is JS order unless its collation says otherwise (PostgreSQL's may): bucketing by key
   * keeps that order within each bucket, so only the keys need sorting, and the buckets too only
   * when the database's order was not JS order.
   */
  sortAmbiguous(): void {
    const buckets = new Map<string, { u: MatchUser; group: Group }[]>();
    let jsOrder = true;
    let prev: string | null = null;
    for (const a of this.ambiguous) {
      if (prev !== null && !(prev < a.u.username)) jsOrder = false;
      prev = a.u.username;
      const b = buckets.get(a.group.key);
      if (b) b.push(a);
      else buckets.set(a.group.key, [a]);
    }
    const byUsername = (a: { u: MatchUser }, b: { u: MatchUser }) => (a.u.username < b.u.username ? -1 : a.u.username > b.u.username ? 1 : 0);
    this.ambiguous.length = 0;
    for (const key of [...buckets.keys()].sort()) {
      const bucket = buckets.get(key)!;
      if (!jsOrder) bucket.sort(byUsername);
      for (const a of bucket) this.ambiguous.push(a);
    }
  }
}
