import type { WecomMatchCandidate, WecomMatchPage } from '@shulan/shared';
import { msg } from '../../errors.js';
import type { Lang } from '../../http/route.js';
import type { Classification, Group } from './classification.js';
import type { MatchMember, MatchUser } from './matchContext.js';
import type { MemberBook } from './memberBook.js';
import type { PreviewRequest } from './preview.js';

/** Builds the one page asked for, with reasons, candidates and department names for its rows only. */
export class Pager {
  private readonly q: string | null;
  private readonly deptCache = new Map<string, string[]>();

  constructor(
    private readonly c: Classification,
    private readonly book: MemberBook,
    private readonly departmentNames: Map<number, string>,
    private readonly boundTo: Map<string, string>,
    private readonly lang: Lang,
    private readonly req: PreviewRequest,
  ) {
    this.q = req.q ? req.q.toLowerCase() : null;
  }

  private departments(m: MatchMember): string[] {
    let d = this.deptCache.get(m.department_ids_json);
    if (!d) {
      const ids = JSON.parse(m.department_ids_json) as number[];
      d = ids.map((id) => this.departmentNames.get(id) ?? String(id));
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
  private memberHit(m: MatchMember | string): boolean {
    if (typeof m === 'string') m = this.book.get(m);
    return this.hit(m.name, m.userid, ...this.departments(m));
  }

  private slice<T>(rows: T[], keep: (t: T) => boolean): { total: number; rows: T[] } {
    const all = this.q === null ? rows : rows.filter(keep);
    return { total: all.length, rows: all.slice(this.req.offset, this.req.offset + this.req.limit) };
  }

  private candidate(m: MatchMember): WecomMatchCandidate {
    return { wecomUserid: m.userid, wecomName: m.name, departments: this.departments(m), boundUserId: this.boundTo.get(m.userid) ?? null };
  }

  async page(): Promise<WecomMatchPage> {
    const { c, lang, req, book } = this;
    const offset = req.offset;
    // A filter looks at the member or candidates of every row of the category: read them once.
    if (this.q !== null) {
      if (req.category === 'sure' || req.category === 'conflicts') await book.needFor(c[req.category].map((r) => r.m), []);
      else if (req.category === 'ambiguous') await book.needFor([], c.groups.values());
    }
    switch (req.category) {
      case 'sure': {
        const { total, rows } = this.slice(c.sure, ({ u, m }) => this.userHit(u) || this.memberHit(m));
        await book.need(
          rows.map((r) => r.m),
          [],
        );
        const items = rows.map(({ u, m: id }) => {
          const m = book.get(id);
          return { userId: u.id, username: u.username, displayName: u.display_name, wecomUserid: m.userid, wecomName: m.name, departments: this.departments(m) };
        });
        return { category: 'sure', total, offset, items };
      }
      case 'ambiguous': {
        const groupHit = new Map<string, boolean>();
        const { total, rows } = this.slice(c.ambiguous, ({ u, group }) => {
          if (this.userHit(u)) return true;
          let h = groupHit.get(group.key);
          if (h === undefined) groupHit.set(group.key, (h = group.members!.some((m) => this.memberHit(m))));
          return h;
        });
        const shown: Group[] = [...new Set(rows.map((r) => r.group))];
        await book.need([], shown);
        const groups = shown.map((g) => ({ key: g.key, reason: g.reason()[lang], candidates: g.members!.map((m) => this.candidate(m)) }));
        const items = rows.map(({ u, group }) => ({ userId: u.id, username: u.username, displayName: u.display_name, group: group.key }));
        return { category: 'ambiguous', total, offset, items, groups };
      }
      case 'conflicts': {
        const { total, rows } = this.slice(c.conflicts, ({ u, m }) => this.userHit(u) || this.memberHit(m));
        await book.need(
          rows.map((r) => r.m),
          [],
        );
        const items = rows.map(({ u, m: id, bound, boundName }) => {
          const m = book.get(id);
          return {
            userId: u.id,
            username: u.username,
            wecomUserid: m.userid,
            boundUserId: bound,
            reason: msg(`企业微信成员 ${m.name}（${m.userid}）已匹配数览用户 ${boundName}`, `WeCom member ${m.name} (${m.userid}) is already matched with Shulan user ${boundName}`)[lang],
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
