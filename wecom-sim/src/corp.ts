import { readFileSync } from 'node:fs';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Fixture format (JSON). Validated with zod so a hand-written fixture fails with a clear message.
// ---------------------------------------------------------------------------------------------

const userIdSchema = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'userid: 1~64 chars of letters, digits, -_.@');

export const departmentSchema = z.strictObject({
  id: z.number().int().min(1).max(2 ** 32 - 1),
  name: z.string().min(1).max(64),
  name_en: z.string().max(64).optional(),
  /** 0 only for the root department (id 1). */
  parentid: z.number().int().min(0),
  order: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  department_leader: z.array(userIdSchema).max(100).default([]),
});

export const memberSchema = z.strictObject({
  userid: userIdSchema,
  name: z.string().min(1).max(64),
  mobile: z.string().regex(/^[0-9+-]{5,32}$/).optional(),
  email: z.string().max(128).optional(),
  biz_mail: z.string().max(128).optional(),
  department: z.array(z.number().int().min(1)).min(1).max(100),
  /** Same length as `department`; defaults to zeros. */
  order: z.array(z.number().int().min(0)).max(100).optional(),
  main_department: z.number().int().min(1).optional(),
  is_leader_in_dept: z.array(z.union([z.literal(0), z.literal(1)])).max(100).optional(),
  direct_leader: z.array(userIdSchema).max(5).default([]),
  position: z.string().max(128).default(''),
  /** Custom fields (自定义字段), text ones: returned as extattr.attrs[{type: 0, name, text: {value}}]. */
  extattr: z.record(z.string().min(1).max(32), z.string().max(64)).optional(),
  /** "1" male, "2" female, "0" unknown (WeCom returns a string). */
  gender: z
    .union([z.enum(['0', '1', '2']), z.literal(0), z.literal(1), z.literal(2)])
    .transform((g): '0' | '1' | '2' => (g === 0 ? '0' : g === 1 ? '1' : g === 2 ? '2' : g))
    .default('0'),
  avatar: z.string().max(512).optional(),
  telephone: z.string().max(32).default(''),
  alias: z.string().max(64).default(''),
  address: z.string().max(128).optional(),
  /** 1 active, 2 disabled, 4 not activated, 5 left the corp. */
  status: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(5)]).default(1),
});

export const appKinds = ['miniprogram', 'self_built', 'contact_sync'] as const;

export const appSchema = z.strictObject({
  name: z.string().min(1).max(64),
  kind: z.enum(appKinds),
  /** Not present for the contact-sync secret (通讯录同步), required otherwise. */
  agentid: z.number().int().min(1).optional(),
  secret: z.string().min(8).max(128),
  /** The mini program's AppID (`wx` + 16 hex), only for kind 'miniprogram'. */
  appid: z.string().regex(/^wx[0-9a-f]{16}$/).optional(),
  /** 可见范围; ignored for contact_sync, which sees the whole corp. */
  visible: z
    .strictObject({
      departments: z.array(z.number().int().min(1)).max(10_000).default([]),
      users: z.array(userIdSchema).max(10_000).default([]),
    })
    .default({ departments: [], users: [] }),
  /** 企业可信IP; empty = any IP may call. */
  trustedIps: z.array(z.string().max(64)).max(200).default([]),
  /** Apps created after 2022-06-20 no longer get mobile/email/avatar/gender/... from user/get and user/list. */
  createdAfter20220620: z.boolean().default(true),
  enabled: z.boolean().default(true),
  /**
   * 可信域名 / 授权回调域 of a self-built app (host or host:port, no scheme, no wildcard): the
   * redirect_uri of its OAuth2 and Web-login links must be on exactly this host (reference: path/98173).
   */
  trustedDomain: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'trustedDomain: host or host:port').optional(),
});

export const corpFixtureSchema = z
  .strictObject({
    corpid: z.string().regex(/^ww[0-9a-f]{16}$/, 'corpid: ww + 16 hex'),
    name: z.string().min(1).max(64).default('模拟企业'),
    /** 企业人数上限, used by the getuserid failure ban (20 % of seats); defaults to the member count. */
    seats: z.number().int().min(1).optional(),
    departments: z.array(departmentSchema).min(1),
    members: z.array(memberSchema),
    apps: z.array(appSchema).min(1).max(100),
  })
  .superRefine((c, ctx) => {
    const ids = new Set(c.departments.map((d) => d.id));
    if (!c.departments.some((d) => d.id === 1)) {
      ctx.addIssue({ code: 'custom', message: 'departments: the root department id 1 is required' });
    }
    if (ids.size !== c.departments.length) {
      ctx.addIssue({ code: 'custom', message: 'departments: duplicate id' });
    }
    for (const d of c.departments) {
      if (d.id !== 1 && !ids.has(d.parentid)) {
        ctx.addIssue({ code: 'custom', message: `department ${d.id}: unknown parentid ${d.parentid}` });
      }
    }
    const userids = new Set<string>();
    for (const m of c.members) {
      const key = m.userid.toLowerCase();
      if (userids.has(key)) {
        ctx.addIssue({ code: 'custom', message: `members: duplicate userid ${m.userid}` });
      }
      userids.add(key);
      for (const d of m.department) {
        if (!ids.has(d)) {
          ctx.addIssue({ code: 'custom', message: `member ${m.userid}: unknown department ${d}` });
        }
      }
    }
    for (const a of c.apps) {
      if (a.kind !== 'contact_sync' && a.agentid === undefined) {
        ctx.addIssue({ code: 'custom', message: `app ${a.name}: agentid is required` });
      }
      if (a.kind === 'miniprogram' && !a.appid) {
        ctx.addIssue({ code: 'custom', message: `app ${a.name}: a mini program needs its appid` });
      }
    }
    if (new Set(c.apps.map((a) => a.secret)).size !== c.apps.length) {
      ctx.addIssue({ code: 'custom', message: 'apps: each app needs its own secret' });
    }
  });

export type CorpFixture = z.input<typeof corpFixtureSchema>;
export type Department = z.output<typeof departmentSchema>;
export type MemberInput = z.input<typeof memberSchema>;
export type Member = z.output<typeof memberSchema> & { order: number[]; main_department: number; is_leader_in_dept: (0 | 1)[] };
export type App = z.output<typeof appSchema> & { key: string };

interface CorpIndex {
  children: Map<number, Department[]>;
  members: Map<number, Member[]>;
  byMobile: Map<string, Member>;
  rows?: { userid: string; department: number }[];
  /** visibleDepartmentIds per app, keyed by the app and its range (tests edit `app.visible` in place). */
  visible: Map<string, Set<number>>;
}

/** Loads and validates a fixture file; throws with every problem listed. */
export function loadCorpFile(path: string): Corp {
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return Corp.fromFixture(raw);
}

function normalizeMember(m: z.output<typeof memberSchema>): Member {
  const n = m.department.length;
  return {
    ...m,
    order: m.order && m.order.length === n ? m.order : m.department.map(() => 0),
    is_leader_in_dept: m.is_leader_in_dept && m.is_leader_in_dept.length === n ? m.is_leader_in_dept : m.department.map(() => 0 as const),
    main_department: m.main_department ?? m.department[0] ?? 1,
  };
}

/**
 * The live corp: departments, members and apps. Mutable so tests can change it between syncs;
 * every query reads the current state.
 */
export class Corp {
  readonly corpid: string;
  name: string;
  seats: number | undefined;
  readonly departments = new Map<number, Department>();
  /** Keyed by lower-cased userid (WeCom userids are case-insensitive). */
  readonly members = new Map<string, Member>();
  readonly apps: App[];

  private constructor(f: z.output<typeof corpFixtureSchema>) {
    this.corpid = f.corpid;
    this.name = f.name;
    this.seats = f.seats;
    for (const d of f.departments) {
      this.departments.set(d.id, { ...d, parentid: d.id === 1 ? 0 : d.parentid });
    }
    for (const m of f.members) {
      this.members.set(m.userid.toLowerCase(), normalizeMember(m));
    }
    this.apps = f.apps.map((a) => ({ ...a, key: a.agentid !== undefined ? String(a.agentid) : a.kind }));
  }

  static fromFixture(raw: unknown): Corp {
    const parsed = corpFixtureSchema.safeParse(raw);
    if (!parsed.success) {
      const lines = parsed.error.issues.slice(0, 20).map((i) => `  ${i.path.join('.')}: ${i.message}`);
      throw new Error(`invalid corp fixture:\n${lines.join('\n')}`);
    }
    return new Corp(parsed.data);
  }

  /** The fixture form of the current state (what `GET /__sim/corp` returns). */
  toFixture(): CorpFixture {
    return {
      corpid: this.corpid,
      name: this.name,
      ...(this.seats !== undefined ? { seats: this.seats } : {}),
      departments: [...this.departments.values()],
      members: [...this.members.values()],
      apps: this.apps.map(({ key: _key, ...a }) => a),
    };
  }

  seatCount(): number {
    return this.seats ?? Math.max(this.members.size, 1);
  }

  getMember(userid: string): Member | undefined {
    return this.members.get(userid.toLowerCase());
  }

  findApp(key: string): App | undefined {
    return this.apps.find((a) => a.key === key || a.appid === key || a.name === key);
  }

  children(id: number): Department[] {
    return this.index().children.get(id) ?? [];
  }

  /** `id` and all its descendants, parents before children (siblings by descending order). */
  subtree(id: number): Department[] {
    const root = this.departments.get(id);
    if (!root) {
      return [];
    }
    const children = this.index().children;
    const out: Department[] = [root];
    for (let i = 0; i < out.length; i++) {
      const cur = out[i];
      if (cur) {
        out.push(...(children.get(cur.id) ?? []));
      }
    }
    return out;
  }

  /** Members directly in department `id`, in corp order. */
  membersIn(id: number): Member[] {
    return this.index().members.get(id) ?? [];
  }

  /** user/list_id rows: one per (member, department), ordered by userid so cursors stay stable. */
  memberDepartmentRows(): { userid: string; department: number }[] {
    const idx = this.index();
    if (!idx.rows) {
      const sorted = [...this.members.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      idx.rows = sorted.flatMap(([, m]) => m.department.map((department) => ({ userid: m.userid, department })));
    }
    return idx.rows;
  }

  /** The member whose directory mobile is exactly `mobile`. */
  memberByMobile(mobile: string): Member | undefined {
    return this.index().byMobile.get(mobile);
  }

  // Indexes rebuilt lazily after each change, so 100k-member corps stay fast.
  private cache: CorpIndex | undefined;

  private index(): CorpIndex {
    if (this.cache) {
      return this.cache;
    }
    const children = new Map<number, Department[]>();
    for (const d of this.departments.values()) {
      if (d.id === 1) {
        continue;
      }
      const list = children.get(d.parentid) ?? [];
      list.push(d);
      children.set(d.parentid, list);
    }
    for (const list of children.values()) {
      list.sort((a, b) => b.order - a.order || a.id - b.id);
    }
    const members = new Map<number, Member[]>();
    const byMobile = new Map<string, Member>();
    for (const m of this.members.values()) {
      if (m.mobile !== undefined) {
        byMobile.set(m.mobile, m);
      }
      for (const d of m.department) {
        const list = members.get(d) ?? [];
        list.push(m);
        members.set(d, list);
      }
    }
    this.cache = { children, members, byMobile, visible: new Map() };
    return this.cache;
  }

  /** Call after changing `departments` or `members` directly (the methods below do it). */
  invalidate(): void {
    this.cache = undefined;
  }

  // ---- visibility (可见范围) ----------------------------------------------------------------

  /**
   * Departments the app may read; contact_sync sees everything. Cached until the directory
   * changes: every list call asks, and rebuilding a 5,000-entry set each time made the simulator
   * the bottleneck of a full sync. Read-only for callers.
   */
  visibleDepartmentIds(app: App): ReadonlySet<number> {
    const cache = this.index().visible;
    const key = app.kind === 'contact_sync' ? '*' : `${app.key}|${app.visible.departments.join(',')}`;
    const hit = cache.get(key);
    if (hit) {
      return hit;
    }
    let out: Set<number>;
    if (app.kind === 'contact_sync') {
      out = new Set(this.departments.keys());
    } else {
      out = new Set<number>();
      for (const id of app.visible.departments) {
        for (const d of this.subtree(id)) {
          out.add(d.id);
        }
      }
    }
    cache.set(key, out);
    return out;
  }

  canSeeDepartment(app: App, id: number): boolean {
    return this.visibleDepartmentIds(app).has(id);
  }

  canSeeMember(app: App, m: Member, visibleDepts: ReadonlySet<number> = this.visibleDepartmentIds(app)): boolean {
    if (app.kind === 'contact_sync') {
      return true;
    }
    if (app.visible.users.some((u) => u.toLowerCase() === m.userid.toLowerCase())) {
      return true;
    }
    return m.department.some((d) => visibleDepts.has(d));
  }

  // ---- changes between syncs ------------------------------------------------------------------

  addDepartment(d: z.input<typeof departmentSchema>): Department {
    const dep = departmentSchema.parse(d);
    if (this.departments.has(dep.id)) {
      throw new Error(`department ${dep.id} already exists`);
    }
    if (!this.departments.has(dep.parentid)) {
      throw new Error(`unknown parent department ${dep.parentid}`);
    }
    this.departments.set(dep.id, dep);
    this.invalidate();
    return dep;
  }

  updateDepartment(id: number, patch: { name?: string; name_en?: string; parentid?: number; order?: number }): Department {
    const dep = this.departments.get(id);
    if (!dep) {
      throw new Error(`unknown department ${id}`);
    }
    if (patch.parentid !== undefined) {
      if (id === 1 || !this.departments.has(patch.parentid) || this.subtree(id).some((d) => d.id === patch.parentid)) {
        throw new Error(`cannot move department ${id} under ${patch.parentid}`);
      }
    }
    const next = departmentSchema.parse({ ...dep, ...patch });
    this.departments.set(id, next);
    this.invalidate();
    return next;
  }

  /** Like WeCom: a department with sub-departments or members cannot be deleted. */
  deleteDepartment(id: number): void {
    if (id === 1 || !this.departments.has(id)) {
      throw new Error(`cannot delete department ${id}`);
    }
    if (this.children(id).length > 0 || [...this.members.values()].some((m) => m.department.includes(id))) {
      throw new Error(`department ${id} still has sub-departments or members`);
    }
    this.departments.delete(id);
    this.invalidate();
  }

  addMember(m: MemberInput): Member {
    const parsed = normalizeMember(memberSchema.parse(m));
    if (this.members.has(parsed.userid.toLowerCase())) {
      throw new Error(`member ${parsed.userid} already exists`);
    }
    this.checkDepartments(parsed.department);
    this.members.set(parsed.userid.toLowerCase(), parsed);
    this.invalidate();
    return parsed;
  }

  /** Rename, move (new `department`), disable (`status: 2`), change mobile, ... */
  updateMember(userid: string, patch: Partial<MemberInput>): Member {
    const cur = this.getMember(userid);
    if (!cur) {
      throw new Error(`unknown member ${userid}`);
    }
    const moved = patch.department !== undefined;
    const merged: MemberInput = {
      ...cur,
      ...patch,
      userid: cur.userid,
      // A move resets the per-department arrays unless they are given too.
      ...(moved && !patch.order ? { order: undefined } : {}),
      ...(moved && !patch.is_leader_in_dept ? { is_leader_in_dept: undefined } : {}),
      ...(moved && patch.main_department === undefined ? { main_department: undefined } : {}),
    };
    const next = normalizeMember(memberSchema.parse(merged));
    this.checkDepartments(next.department);
    this.members.set(cur.userid.toLowerCase(), next);
    this.invalidate();
    return next;
  }

  deleteMember(userid: string): void {
    if (!this.members.delete(userid.toLowerCase())) {
      throw new Error(`unknown member ${userid}`);
    }
    this.invalidate();
  }

  private checkDepartments(ids: number[]): void {
    for (const d of ids) {
      if (!this.departments.has(d)) {
        throw new Error(`unknown department ${d}`);
      }
    }
  }
}
