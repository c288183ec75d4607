import {
  CreateUserBodySchema,
  PersonnelQuerySchema,
  UpdateUserBodySchema,
  UserOptionsQuerySchema,
  type UserOption,
  type UserView,
} from '@shulan/shared';
import { PostgresAdapter } from 'kysely';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import { hashPassword } from '../auth/passwords.js';
import type { Db } from '../db/createDb.js';
import type { UsersTable } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { nowIso } from '../lib/ids.js';
import { userMatchKeys } from '../wecom/matching/matchKeys.js';
import { importUsers } from './importUsers.js';
import { resetPassword } from './passwordChange.js';
import { listPersonnel } from './personnel.js';
import { IMPORT_MAX_BYTES, importTooBigError, readUserFile } from './userFile.js';
import { findUserById, findUserByUsername, insertUser, isUniqueViolation, setUserGroups, startsWith, toUserViews } from './userRepo.js';

const UserParams = z.strictObject({ userId: z.string().min(1).max(64) });
const USER = msg('用户', 'User');

async function userView(db: Db, id: string): Promise<UserView> {
  const u = await findUserById(db, id);
  if (!u) throw new NotFoundError(USER);
  return (await toUserViews(db, [u]))[0]!;
}

/** Every id must name an existing group; answers 400 naming the first unknown one. */
async function assertGroupsExist(db: Db, groupIds: string[]): Promise<void> {
  const unique = [...new Set(groupIds)];
  if (!unique.length) return;
  const found = new Set((await db.selectFrom('groups').select('id').where('id', 'in', unique).execute()).map((g) => g.id));
  const missing = unique.find((id) => !found.has(id));
  if (missing) throw new ValidationError(msg(`用户组不存在：${missing}`, `No such group: ${missing}`));
}

/**
 * Refuses a change that would leave no active administrator to run the system. Runs inside the
 * caller's transaction; on PostgreSQL the admin rows are locked so two admins demoting each
 * other at the same moment cannot both succeed (SQLite runs one write transaction at a time).
 */
async function assertNotLastAdmin(trx: Db, user: UsersTable, next: { role: UsersTable['role']; status: UsersTable['status'] }): Promise<void> {
  const wasActiveAdmin = user.role === 'admin' && user.status === 'active';
  const staysActiveAdmin = next.role === 'admin' && next.status === 'active';
  if (!wasActiveAdmin || staysActiveAdmin) return;
  let q = trx.selectFrom('users').select('id').where('role', '=', 'admin').where('status', '=', 'active');
  if (trx.getExecutor().adapter instanceof PostgresAdapter) q = q.forUpdate();
  const admins = await q.execute();
  if (!admins.some((a) => a.id !== user.id)) {
    throw new ConflictError(
      msg('这是最后一位启用中的管理员，不能停用或降级；请先指定另一位管理员', 'This is the last active administrator and cannot be disabled or demoted; make someone else an administrator first'),
    );
  }
}

export function userRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/personnel',
      access: 'admin',
      tag: 'users',
      summary: '人员信息: search and page through users',
      query: PersonnelQuerySchema,
      handler: ({ query }) => listPersonnel(db, query),
    }),
    route({
      method: 'GET',
      url: '/api/users/options',
      access: 'editor',
      tag: 'users',
      summary: 'Up to 50 active users matching q, for grant pickers',
      query: UserOptionsQuerySchema,
      handler: async ({ query }): Promise<UserOption[]> => {
        let q = db.selectFrom('users').select(['id', 'username', 'display_name']).where('status', '=', 'active');
        if (query.q) {
          const p = query.q;
          q = q.where((eb) => eb.or([startsWith('username_key', p.toLowerCase()), startsWith('display_name', p)]));
        }
        const rows = await q.orderBy('username_key').limit(50).execute();
        return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
      },
    }),
    route({
      method: 'POST',
      url: '/api/users',
      access: 'admin',
      tag: 'users',
      summary: 'Create a user',
      body: CreateUserBodySchema,
      handler: async ({ body, user }) => {
        const taken = () => new ConflictError(msg(`用户名“${body.username}”已被使用`, `The username "${body.username}" is already taken`));
        if (await findUserByUsername(db, body.username)) throw taken();
        await assertGroupsExist(db, body.groupIds ?? []);
        const passwordHash = await hashPassword(body.password);
        const id = await db.transaction().execute(async (trx) => {
          const newId = await insertUser(trx, {
            username: body.username,
            displayName: body.displayName,
            mobile: body.mobile ?? null,
            email: body.email ?? null,
            role: body.role,
            passwordHash,
          });
          if (body.groupIds?.length) await setUserGroups(trx, newId, body.groupIds);
          await audit(trx, user!.id, 'user.create', newId, { username: body.username, role: body.role, groups: body.groupIds?.length ?? 0 });
          return newId;
        }).catch((e: unknown) => {
          // Two admins creating the same username at once: the unique index decides.
          throw isUniqueViolation(e) ? taken() : e;
        });
        return userView(db, id);
      },
    }),
    route({
      method: 'GET',
      url: '/api/users/:userId',
      access: 'admin',
      tag: 'users',
      summary: 'One user',
      params: UserParams,
      handler: ({ params }) => userView(db, params.userId),
    }),
    route({
      method: 'PATCH',
      url: '/api/users/:userId',
      access: 'admin',
      tag: 'users',
      summary: 'Change a user: profile, role, status, password reset, groups',
      params: UserParams,
      body: UpdateUserBodySchema,
      handler: async ({ params, body, user: actor }) => {
        if (body.groupIds) await assertGroupsExist(db, body.groupIds);
        const result = await db.transaction().execute(async (trx) => {
          const u = await findUserById(trx, params.userId);
          if (!u) throw new NotFoundError(USER);
          const next = { role: body.role ?? u.role, status: body.status ?? u.status };
          await assertNotLastAdmin(trx, u, next);
          const set: Partial<UsersTable> = {};
          if (body.displayName !== undefined && body.displayName !== u.display_name) set.display_name = body.displayName;
          if (body.mobile !== undefined && body.mobile !== u.mobile) set.mobile = body.mobile;
          if (body.email !== undefined && body.email !== u.email) set.email = body.email;
          // Field names only: the audit log says what changed, not the personal data itself.
          const changed = (['display_name', 'mobile', 'email'] as const).filter((f) => f in set);
          if (next.role !== u.role) set.role = next.role;
          if (next.status !== u.status) set.status = next.status;
          if ('display_name' in set || 'mobile' in set) Object.assign(set, userMatchKeys({ display_name: set.display_name ?? u.display_name, mobile: 'mobile' in set ? (set.mobile ?? null) : u.mobile }));
          if (Object.keys(set).length) {
            await trx.updateTable('users').set({ ...set, updated_at: nowIso() }).where('id', '=', u.id).execute();
          }
          let groupsChanged = false;
          if (body.groupIds) {
            const before = (await trx.selectFrom('group_members').select('group_id').where('user_id', '=', u.id).execute()).map((g) => g.group_id);
            const after = [...new Set(body.groupIds)];
            if (before.length !== after.length || after.some((id) => !before.includes(id))) {
              await setUserGroups(trx, u.id, after);
              groupsChanged = true;
            }
          }
          const actorId = actor!.id;
          if (changed.length || groupsChanged) {
            await audit(trx, actorId, 'user.update', u.id, { username: u.username, fields: groupsChanged ? [...changed, 'groups'] : changed });
          }
          if (set.role) await audit(trx, actorId, 'user.role_change', u.id, { username: u.username, from: u.role, to: set.role });
          if (set.status) await audit(trx, actorId, set.status === 'disabled' ? 'user.disable' : 'user.enable', u.id, { username: u.username });
          return { user: u, endSessions: set.status === 'disabled', promoted: set.role === 'admin' };
        });
        // A disabled user must not keep a working token.
        if (result.endSessions) await deps.sessions.closeAllForUser(params.userId);
        // A promoted user's WeCom sessions end, so the next WeCom login applies the admin-binding rule.
        else if (result.promoted) await deps.sessions.closeAllForUser(params.userId, 'wecom');
        if (body.password) await resetPassword(deps, result.user, body.password, { actorId: actor!.id, via: 'admin' });
        return userView(db, params.userId);
      },
    }),
    route({
      method: 'POST',
      url: '/api/users/:userId/logout-all',
      access: 'admin',
      tag: 'users',
      summary: "End all of a user's sessions",
      params: UserParams,
      handler: async ({ params, user }) => {
        const u = await findUserById(db, params.userId);
        if (!u) throw new NotFoundError(USER);
        const closed = await deps.sessions.closeAllForUser(u.id);
        await audit(db, user!.id, 'user.logout_all', u.id, { username: u.username, sessions: closed });
        return { closed };
      },
    }),
    route({
      method: 'POST',
      url: '/api/users/import',
      access: 'admin',
      tag: 'users',
      summary: 'Bulk import users from CSV or XLSX (multipart: file + dryRun)',
      multipart: true,
      handler: async ({ req, user, lang }) => {
        if (!req.isMultipart()) {
          throw new ValidationError(msg('请以 multipart/form-data 上传文件', 'Upload the file as multipart/form-data'));
        }
        let file: { name: string; data: Buffer } | null = null;
        let dryRunField: string | undefined;
        try {
          for await (const part of req.parts({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } })) {
            if (part.type === 'file') file = { name: part.filename, data: await part.toBuffer() };
            else if (part.fieldname === 'dryRun') dryRunField = String(part.value);
          }
        } catch (e) {
          if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw importTooBigError();
          throw e;
        }
        if (!file) throw new ValidationError(msg('请选择要导入的文件', 'Choose a file to import'));
        const dryRun = z.enum(['true', 'false']).default('false').parse(dryRunField);
        const rows = await readUserFile(file.data, file.name);
        return importUsers(db, rows, { dryRun: dryRun === 'true', actorId: user!.id, lang, source: { via: 'web', file: file.name } });
      },
    }),
  ];
}
