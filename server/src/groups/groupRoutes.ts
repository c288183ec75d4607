import { GroupBodySchema, GroupMembersBodySchema, UpdateGroupBodySchema, type GroupMemberView, type GroupView } from '@shulan/shared';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import type { Db } from '../db/createDb.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { newId, nowIso } from '../lib/ids.js';
import { isUniqueViolation } from '../users/userRepo.js';
import { boundUsersByDepartment } from '../permissions/departmentGroups.js';

const GroupParams = z.strictObject({ groupId: z.string().min(1).max(64) });
const GROUP = msg('用户组', 'Group');
/** Rows per statement, under the databases' parameter limits. */
const CHUNK = 500;

const nameTaken = (name: string) => new ConflictError(msg(`用户组“${name}”已存在`, `A group named "${name}" already exists`));

async function findGroup(db: Db, id: string) {
  const g = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  if (!g) throw new NotFoundError(GROUP);
  return g;
}

/** Department groups follow WeCom: only the sync and contact events change them. */
async function findManualGroup(db: Db, id: string) {
  const g = await findGroup(db, id);
  if (g.source === 'wecom_department') {
    throw new ValidationError(
      msg(`「${g.name}」是企业微信部门，由通讯录同步维护，不能在数览中修改`, `"${g.name}" is a WeCom department, kept by the address-book sync; it cannot be changed in Shulan`),
    );
  }
  return g;
}

async function nameInUse(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('groups').select('id').where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

async function groupViews(db: Db, id?: string): Promise<GroupView[]> {
  let q = db
    .selectFrom('groups')
    .leftJoin('group_members', 'group_members.group_id', 'groups.id')
    .select((eb) => [
      'groups.id',
      'groups.name',
      'groups.description',
      'groups.created_at',
      'groups.source',
      'groups.wecom_department_id',
      eb.fn.count<number>('group_members.user_id').as('n'),
    ])
    .groupBy(['groups.id', 'groups.name', 'groups.description', 'groups.created_at', 'groups.source', 'groups.wecom_department_id'])
    .orderBy('groups.name');
  if (id) q = q.where('groups.id', '=', id);
  const rows = await q.execute();
  const hasDepartments = rows.some((g) => g.source === 'wecom_department');
  // Department members are the bound users listed in the department now (not stored).
  const bound = hasDepartments ? await boundUsersByDepartment(db) : new Map<number, string[]>();
  const parents = hasDepartments
    ? new Map((await db.selectFrom('wecom_departments').select(['id', 'parent_id']).execute()).map((d) => [Number(d.id), d.parent_id === null ? null : Number(d.parent_id)]))
    : new Map<number, number | null>();
  const groupOfDept = hasDepartments
    ? new Map((await db.selectFrom('groups').select(['id', 'wecom_department_id']).where('wecom_department_id', 'is not', null).execute()).map((g) => [Number(g.wecom_department_id), g.id]))
    : new Map<number, string>();
  return rows.map((g) => {
    const base = { id: g.id, name: g.name, description: g.description, memberCount: Number(g.n), createdAt: g.created_at, source: g.source };
    if (g.source !== 'wecom_department' || g.wecom_department_id === null) return base;
    const deptId = Number(g.wecom_department_id);
    const parent = parents.get(deptId) ?? null;
    return { ...base, memberCount: bound.get(deptId)?.length ?? 0, departmentId: deptId, parentId: parent === null ? null : (groupOfDept.get(parent) ?? null) };
  });
}

export function groupRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  return [
    route({
      method: 'GET',
      url: '/api/groups',
      access: 'editor',
      tag: 'groups',
      summary: 'All groups with member counts',
      handler: () => groupViews(db),
    }),
    route({
      method: 'POST',
      url: '/api/groups',
      access: 'admin',
      tag: 'groups',
      summary: 'Create a group',
      body: GroupBodySchema,
      handler: async ({ body, user }) => {
        if (await nameInUse(db, body.name)) throw nameTaken(body.name);
        const id = newId();
        await db
          .transaction()
          .execute(async (trx) => {
            await trx.insertInto('groups').values({ id, name: body.name, description: body.description || null, created_at: nowIso() }).execute();
            await audit(trx, user!.id, 'group.create', id, { name: body.name });
          })
          .catch((e: unknown) => {
            throw isUniqueViolation(e) ? nameTaken(body.name) : e;
          });
        return (await groupViews(db, id))[0];
      },
    }),
    route({
      method: 'PATCH',
      url: '/api/groups/:groupId',
      access: 'admin',
      tag: 'groups',
      summary: 'Rename a group or change its description',
      params: GroupParams,
      body: UpdateGroupBodySchema,
      handler: async ({ params, body, user }) => {
        const g = await findManualGroup(db, params.groupId);
        if (body.name !== undefined && body.name !== g.name && (await nameInUse(db, body.name, g.id))) throw nameTaken(body.name);
        await db.transaction().execute(async (trx) => {
          const set: { name?: string; description?: string | null } = {};
          if (body.name !== undefined && body.name !== g.name) set.name = body.name;
          if (body.description !== undefined) set.description = body.description || null;
          if (!Object.keys(set).length) return;
          await trx.updateTable('groups').set(set).where('id', '=', g.id).execute();
          if (set.name) await audit(trx, user!.id, 'group.rename', g.id, { from: g.name, to: set.name });
          else await audit(trx, user!.id, 'group.update', g.id, { name: g.name });
        }).catch((e: unknown) => {
          throw isUniqueViolation(e) ? nameTaken(body.name ?? g.name) : e;
        });
        return (await groupViews(db, g.id))[0];
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/groups/:groupId',
      access: 'admin',
      tag: 'groups',
      summary: 'Delete a group with its memberships and report grants',
      params: GroupParams,
      handler: async ({ params, user }) => {
        const g = await findManualGroup(db, params.groupId);
        await db.transaction().execute(async (trx) => {
          const members = await trx.deleteFrom('group_members').where('group_id', '=', g.id).executeTakeFirst();
          const grants = await trx
            .deleteFrom('report_grants')
            .where('subject_type', '=', 'group')
            .where('subject_id', '=', g.id)
            .executeTakeFirst();
          await trx.deleteFrom('subject_attributes').where('subject_type', '=', 'group').where('subject_id', '=', g.id).execute();
          await trx.deleteFrom('groups').where('id', '=', g.id).execute();
          await audit(trx, user!.id, 'group.delete', g.id, {
            name: g.name,
            members: Number(members.numDeletedRows),
            grants: Number(grants.numDeletedRows),
          });
        });
        return { deleted: true };
      },
    }),
    route({
      method: 'GET',
      url: '/api/groups/:groupId/members',
      access: 'admin',
      tag: 'groups',
      summary: 'Members of a group',
      params: GroupParams,
      handler: async ({ params }): Promise<GroupMemberView[]> => {
        const g = await findGroup(db, params.groupId);
        if (g.source === 'wecom_department' && g.wecom_department_id !== null) {
          const ids = (await boundUsersByDepartment(db)).get(Number(g.wecom_department_id)) ?? [];
          if (!ids.length) return [];
          const users = await db.selectFrom('users').select(['id', 'username', 'display_name', 'status']).where('id', 'in', ids).orderBy('username_key').execute();
          return users.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, status: r.status }));
        }
        const rows = await db
          .selectFrom('group_members')
          .innerJoin('users', 'users.id', 'group_members.user_id')
          .select(['users.id', 'users.username', 'users.display_name', 'users.status'])
          .where('group_members.group_id', '=', params.groupId)
          .orderBy('users.username_key')
          .execute();
        return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, status: r.status }));
      },
    }),
    route({
      method: 'PUT',
      url: '/api/groups/:groupId/members',
      access: 'admin',
      tag: 'groups',
      summary: 'Replace the members of a group',
      params: GroupParams,
      body: GroupMembersBodySchema,
      handler: async ({ params, body, user }) => {
        const g = await findManualGroup(db, params.groupId);
        const wanted = [...new Set(body.userIds)];
        const found = new Set<string>();
        for (let i = 0; i < wanted.length; i += CHUNK) {
          const rows = await db.selectFrom('users').select('id').where('id', 'in', wanted.slice(i, i + CHUNK)).execute();
          for (const r of rows) found.add(r.id);
        }
        const missing = wanted.find((id) => !found.has(id));
        if (missing) throw new ValidationError(msg(`用户不存在：${missing}`, `No such user: ${missing}`));
        await db.transaction().execute(async (trx) => {
          const before = new Set(
            (await trx.selectFrom('group_members').select('user_id').where('group_id', '=', g.id).execute()).map((r) => r.user_id),
          );
          await trx.deleteFrom('group_members').where('group_id', '=', g.id).execute();
          for (let i = 0; i < wanted.length; i += CHUNK) {
            await trx
              .insertInto('group_members')
              .values(wanted.slice(i, i + CHUNK).map((user_id) => ({ group_id: g.id, user_id })))
              .execute();
          }
          const added = wanted.filter((id) => !before.has(id)).length;
          const removed = [...before].filter((id) => !found.has(id)).length;
          await audit(trx, user!.id, 'group.members', g.id, { name: g.name, added, removed, total: wanted.length });
        });
        return { memberCount: wanted.length };
      },
    }),
  ];
}
