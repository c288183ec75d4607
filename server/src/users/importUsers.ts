import { randomInt } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { hash } from '@node-rs/argon2';
import { MobileSchema, UsernameSchema, type ImportReport, type ImportRowReport } from '@shulan/shared';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import type { Db } from '../db/createDb.js';
import type { UsersTable } from '../db/schema.js';
import type { Lang } from '../http/route.js';
import { newId, nowIso } from '../lib/ids.js';
import { userMatchKeys } from '../wecom/matching/matchKeys.js';
import type { RawUserRow } from './userFile.js';

/** Rows per SQL statement: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;
/** Rows checked (a few milliseconds of work) before other requests get a turn: 100k rows take about a second. */
const ROWS_PER_TURN = 2000;
const EmailSchema = z.email().max(254);
const NameSchema = z.string().min(1).max(64);
const GroupNameSchema = z.string().min(1).max(64);

interface ValidRow {
  row: number;
  username: string;
  key: string;
  name: string;
  mobile: string | null;
  email: string | null;
  groups: string[];
}

type Existing = Pick<UsersTable, 'id' | 'username_key' | 'display_name' | 'mobile' | 'email'>;

const t = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);

/**
 * argon2id parameters for initial passwords (m = 64 KiB, t = 1, p = 1; the full-strength setting
 * for passwords people choose is in auth/passwords.ts: 19 MiB, t = 2).
 *
 * Why cheap is safe here: a slow hash only protects secrets people can guess. An initial password
 * is 16 characters drawn at random from 56 (log2(56^16) ≈ 93 bits): 2^92 guesses on average, which
 * no cost setting changes the outcome of (at even 1 µs a guess that is 10^14 years). It is the same
 * reasoning that stores session tokens and bind tickets as plain sha256. We keep argon2id (not a
 * bare digest) so every stored hash has one format and one verifier.
 *
 * Why not the alternatives the issue named (issue 11): the hashes already run on libuv's thread
 * pool, so a worker pool over two cores gains at most 2× (100k × 0.9 ms at m = 2 MiB is still
 * ~45 s); one-time activation links would change how every admin hands out accounts (new table,
 * public route, page) for no gain in what an attacker holding the database can do. With this
 * setting 100k hashes take ~3 s of CPU, spread over both cores.
 */
export const INITIAL_PASSWORD_ARGON2 = { memoryCost: 64, timeCost: 1, parallelism: 1 } as const;

/** Letters and digits without look-alikes (0/O/o, 1/l/I): typed by hand on phones. */
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
const PASSWORD_LENGTH = 16; // log2(56^16) ≈ 93 bits

/** No '-', '=' or '+' either, so spreadsheet apps do not read a password as a formula. */
async function initialPassword(): Promise<{ password: string; hash: string }> {
  let password = '';
  for (let i = 0; i < PASSWORD_LENGTH; i++) password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return { password, hash: await hash(password, INITIAL_PASSWORD_ARGON2) };
}

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Splits a group cell: several groups may be separated by , ; 、 | (ASCII or full width). */
const splitGroups = (cell: string): string[] => [
  ...new Set(
    cell
      .split(/[,;，；、|]/)
      .map((g) => g.trim())
      .filter(Boolean),
  ),
];

function validate(raw: RawUserRow, lang: Lang): ValidRow | string {
  const v = raw.values;
  const problems: string[] = [];
  const username = UsernameSchema.safeParse(v.username ?? '');
  if (!v.username) problems.push(t(lang, '缺少用户名', 'username is missing'));
  else if (!username.success) problems.push(t(lang, '用户名只能包含字母、数字和 _ . @ -，长度 2–64', 'username may contain letters, digits, _ . @ - only (2–64 characters)'));
  if (!v.name) problems.push(t(lang, '缺少姓名', 'name is missing'));
  else if (!NameSchema.safeParse(v.name).success) problems.push(t(lang, '姓名超过 64 个字符', 'name is longer than 64 characters'));
  if (v.mobile && !MobileSchema.safeParse(v.mobile).success) problems.push(t(lang, `手机号无效：${v.mobile}`, `not a valid mobile number: ${v.mobile}`));
  if (v.email && !EmailSchema.safeParse(v.email).success) problems.push(t(lang, `邮箱无效：${v.email}`, `not a valid email: ${v.email}`));
  const groups = splitGroups(v.group ?? '');
  if (groups.some((g) => !GroupNameSchema.safeParse(g).success)) problems.push(t(lang, '用户组名称超过 64 个字符', 'a group name is longer than 64 characters'));
  if (problems.length || !username.success) return problems.join(t(lang, '；', '; '));
  return {
    row: raw.row,
    username: username.data,
    key: username.data.toLowerCase(),
    name: v.name!,
    mobile: v.mobile || null,
    email: v.email || null,
    groups,
  };
}

export interface ImportOptions {
  dryRun: boolean;
  actorId: string | null;
  lang: Lang;
  /** For the audit log: where the import came from and the file name. */
  source: { via: 'web' | 'cli'; file: string };
}

/**
 * Creates or updates users from file rows. Existing users (matched case-insensitively by username)
 * get name, mobile, email and extra group memberships; never their password, role or status.
 * A dry run answers the same report and writes nothing; a real run writes all valid rows in one
 * transaction.
 */
export async function importUsers(db: Db, rawRows: RawUserRow[], opts: ImportOptions): Promise<ImportReport> {
  const { lang } = opts;
  const reports: ImportRowReport[] = [];
  const valid: ValidRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const [i, raw] of rawRows.entries()) {
    if (i % ROWS_PER_TURN === ROWS_PER_TURN - 1) await nextTurn();
    const r = validate(raw, lang);
    const shownName = raw.values.username ?? '';
    if (typeof r === 'string') {
      reports.push({ row: raw.row, username: shownName, status: 'error', message: r });
      continue;
    }
    const first = firstRowOf.get(r.key);
    if (first !== undefined) {
      reports.push({ row: r.row, username: r.username, status: 'error', message: t(lang, `用户名与第 ${first} 行重复`, `username repeats row ${first}`) });
      continue;
    }
    firstRowOf.set(r.key, r.row);
    valid.push(r);
  }

  // What already exists: users by username key, their memberships, and all groups by name.
  const existing = new Map<string, Existing>();
  for (const part of chunks(valid.map((v) => v.key))) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'username_key', 'display_name', 'mobile', 'email'])
      .where('username_key', 'in', part)
      .execute();
    for (const u of rows) existing.set(u.username_key, u);
  }
  const memberOf = new Map<string, Set<string>>();
  for (const part of chunks([...existing.values()].map((u) => u.id))) {
    const rows = await db.selectFrom('group_members').select(['user_id', 'group_id']).where('user_id', 'in', part).execute();
    for (const m of rows) {
      const set = memberOf.get(m.user_id) ?? new Set<string>();
      set.add(m.group_id);
      memberOf.set(m.user_id, set);
    }
  }
  const groupIdByName = new Map((await db.selectFrom('groups').select(['id', 'name']).execute()).map((g) => [g.name, g.id]));
  const groupsCreated = [...new Set(valid.flatMap((v) => v.groups))].filter((g) => !groupIdByName.has(g));
  for (const name of groupsCreated) groupIdByName.set(name, newId());

  // Decide per row.
  const toCreate: ValidRow[] = [];
  const toUpdate: { id: string; row: ValidRow; fields: Partial<Pick<UsersTable, 'display_name' | 'mobile' | 'email' | 'match_name_key' | 'match_mobile_key'>> }[] = [];
  const newMemberships: { group_id: string; user_id: string }[] = [];
  const userIdOf = new Map<string, string>();
  for (const [i, v] of valid.entries()) {
    if (i % ROWS_PER_TURN === ROWS_PER_TURN - 1) await nextTurn();
    const ex = existing.get(v.key);
    if (!ex) {
      const id = newId();
      userIdOf.set(v.key, id);
      toCreate.push(v);
      for (const g of v.groups) newMemberships.push({ group_id: groupIdByName.get(g)!, user_id: id });
      reports.push({ row: v.row, username: v.username, status: 'created', message: '' });
      continue;
    }
    // Empty cells leave the stored value alone: a file without emails must not erase them.
    const fields: (typeof toUpdate)[number]['fields'] = {};
    const changed: string[] = [];
    if (v.name !== ex.display_name) {
      fields.display_name = v.name;
      changed.push(t(lang, '姓名', 'name'));
    }
    if (v.mobile && v.mobile !== ex.mobile) {
      fields.mobile = v.mobile;
      changed.push(t(lang, '手机号', 'mobile'));
    }
    if (v.email && v.email !== ex.email) {
      fields.email = v.email;
      changed.push(t(lang, '邮箱', 'email'));
    }
    const have = memberOf.get(ex.id) ?? new Set<string>();
    const addGroups = v.groups.filter((g) => !have.has(groupIdByName.get(g)!));
    for (const g of addGroups) newMemberships.push({ group_id: groupIdByName.get(g)!, user_id: ex.id });
    if (addGroups.length) changed.push(t(lang, `加入用户组 ${addGroups.join('、')}`, `joined ${addGroups.join(', ')}`));
    if (changed.length === 0) {
      reports.push({ row: v.row, username: v.username, status: 'unchanged', message: '' });
      continue;
    }
    if (fields.display_name !== undefined || fields.mobile !== undefined) {
      Object.assign(fields, userMatchKeys({ display_name: fields.display_name ?? ex.display_name, mobile: fields.mobile ?? ex.mobile }));
    }
    if (Object.keys(fields).length) toUpdate.push({ id: ex.id, row: v, fields });
    reports.push({ row: v.row, username: v.username, status: 'updated', message: t(lang, `更新：${changed.join('、')}`, `updated: ${changed.join(', ')}`) });
  }
  reports.sort((a, b) => a.row - b.row);
  const counts = { created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const r of reports) counts[r.status]++;

  const report: ImportReport = { dryRun: opts.dryRun, counts, rows: reports, groupsCreated, initialPasswords: [] };
  if (opts.dryRun) return report;

  // Hash before the transaction so it is not held open during the slow part.
  const secrets: { password: string; hash: string }[] = [];
  for (const part of chunks(toCreate, 64)) secrets.push(...(await Promise.all(part.map(() => initialPassword()))));

  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    if (groupsCreated.length) {
      for (const part of chunks(groupsCreated)) {
        await trx
          .insertInto('groups')
          .values(part.map((name) => ({ id: groupIdByName.get(name)!, name, description: null, created_at: now })))
          .execute();
      }
    }
    for (const part of chunks(toCreate.map((v, i) => ({ v, hash: secrets[i]!.hash })))) {
      // SQLite's driver is synchronous: without a turn between chunks, 100k inserts stall every request for seconds.
      await nextTurn();
      await trx
        .insertInto('users')
        .values(
          part.map(({ v, hash: passwordHash }) => ({
            id: userIdOf.get(v.key)!,
            username: v.username,
            username_key: v.key,
            display_name: v.name,
            mobile: v.mobile,
            email: v.email,
            role: 'viewer' as const,
            status: 'active' as const,
            password_hash: passwordHash,
            created_at: now,
            updated_at: now,
            ...userMatchKeys({ display_name: v.name, mobile: v.mobile }),
          })),
        )
        .execute();
    }
    for (const u of toUpdate) {
      await trx.updateTable('users').set({ ...u.fields, updated_at: now }).where('id', '=', u.id).execute();
    }
    for (const part of chunks(newMemberships)) {
      await nextTurn();
      await trx.insertInto('group_members').values(part).execute();
    }
    await audit(trx, opts.actorId, 'user.import', null, {
      via: opts.source.via,
      file: opts.source.file.slice(0, 200),
      ...counts,
      groupsCreated: groupsCreated.length,
    });
  });
  report.initialPasswords = toCreate.map((v, i) => ({ username: v.username, password: secrets[i]!.password }));
  return report;
}
