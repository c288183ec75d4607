import {
  AttributesBodySchema,
  DatasetPermissionsSchema,
  ViewAsBodySchema,
  type Attributes,
  type DatasetPermissions,
  type Field,
  type RuleSubjects,
  type UserAttributesView,
  type ViewAsTicket,
} from '@shulan/shared';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import type { Db } from '../db/createDb.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { nowIso } from '../lib/ids.js';
import { canViewReport } from '../reports/access.js';
import { ReportParamsSchema } from '../reports/reportParams.js';
import { getReport } from '../reports/reportRepo.js';
import { parsePermissions } from './datasetPolicy.js';
import { issueViewAsToken, sessionUserOf } from './viewAs.js';
import { loadViewer } from './viewer.js';

const DatasetParams = z.strictObject({ datasetId: z.string().min(1).max(64) });
const UserParams = z.strictObject({ userId: z.string().min(1).max(64) });
const GroupParams = z.strictObject({ groupId: z.string().min(1).max(64) });

async function readAttributes(db: Db, type: 'user' | 'group', id: string): Promise<Attributes> {
  const row = await db.selectFrom('subject_attributes').select('attributes_json').where('subject_type', '=', type).where('subject_id', '=', id).executeTakeFirst();
  return row ? (JSON.parse(row.attributes_json) as Attributes) : {};
}

async function writeAttributes(db: Db, type: 'user' | 'group', id: string, attrs: Attributes): Promise<void> {
  const clean: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(attrs)) if (v?.length) clean[k] = [...new Set(v)];
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('subject_attributes').where('subject_type', '=', type).where('subject_id', '=', id).execute();
    if (Object.keys(clean).length) {
      await trx.insertInto('subject_attributes').values({ subject_type: type, subject_id: id, attributes_json: JSON.stringify(clean), updated_at: nowIso() }).execute();
    }
  });
}

/** Every field, user and group a set of rules names must exist; the message says which does not. */
async function assertRulesValid(db: Db, fields: Field[], p: DatasetPermissions): Promise<void> {
  const names = new Set(fields.map((f) => f.name));
  const subjects: RuleSubjects[] = [];
  for (const r of p.rowRules) {
    subjects.push(r.subjects);
    for (const c of r.conditions) {
      if (!names.has(c.field)) throw new ValidationError(msg(`行权限规则中的字段「${c.field}」不在数据集中`, `Row rule field "${c.field}" is not in the dataset`), { field: c.field });
      if (c.op === 'eq' && c.value.kind === 'constant' && c.value.values.length !== 1) {
        throw new ValidationError(msg(`“等于”只能填一个值（字段「${c.field}」），多个值请用“属于”`, `"equals" takes one value (field "${c.field}"); use "in" for several`));
      }
    }
  }
  for (const r of p.columnRules) {
    subjects.push(r.subjects);
    if (!names.has(r.field)) throw new ValidationError(msg(`列权限规则中的字段「${r.field}」不在数据集中`, `Column rule field "${r.field}" is not in the dataset`), { field: r.field });
  }
  for (const s of subjects) {
    if (!s.everyone && !s.users.length && !s.groups.length) {
      throw new ValidationError(msg('每条规则都要选择适用的人：所有人、用户、用户组或部门', 'Each rule needs someone it applies to: everyone, users, groups or departments'));
    }
  }
  const users = [...new Set(subjects.flatMap((s) => s.users))];
  const groups = [...new Set(subjects.flatMap((s) => s.groups))];
  for (let i = 0; i < users.length; i += 500) {
    const chunk = users.slice(i, i + 500);
    const found = new Set((await db.selectFrom('users').select('id').where('id', 'in', chunk).execute()).map((r) => r.id));
    const missing = chunk.find((u) => !found.has(u));
    if (missing) throw new ValidationError(msg(`用户「${missing}」不存在`, `User "${missing}" does not exist`), { userId: missing });
  }
  for (let i = 0; i < groups.length; i += 500) {
    const chunk = groups.slice(i, i + 500);
    const found = new Set((await db.selectFrom('groups').select('id').where('id', 'in', chunk).execute()).map((r) => r.id));
    const missing = chunk.find((g) => !found.has(g));
    if (missing) throw new ValidationError(msg(`用户组「${missing}」不存在`, `Group "${missing}" does not exist`), { groupId: missing });
  }
}

/** Row and column permissions of datasets, admin-set attributes, and an admin's "view as". */
export function permissionRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;
  const dataset = async (id: string) => {
    const row = await db.selectFrom('datasets').select(['id', 'name', 'fields_json', 'permissions_json']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(msg('数据集', 'Dataset'));
    return row;
  };
  const userExists = async (id: string) => {
    const u = await sessionUserOf(deps, id);
    if (!u) throw new NotFoundError(msg('用户', 'User'));
    return u;
  };
  const groupExists = async (id: string) => {
    const g = await db.selectFrom('groups').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
    if (!g) throw new NotFoundError(msg('用户组', 'Group'));
    return g;
  };
  return [
    route({
      method: 'GET',
      url: '/api/datasets/:datasetId/permissions',
      access: 'admin',
      tag: 'permissions',
      summary: "A dataset's row rules (行权限) and column rules (hide / mask)",
      params: DatasetParams,
      handler: async ({ params }): Promise<DatasetPermissions> => parsePermissions((await dataset(params.datasetId)).permissions_json),
    }),
    route({
      method: 'PUT',
      url: '/api/datasets/:datasetId/permissions',
      access: 'admin',
      tag: 'permissions',
      summary: "Replace a dataset's row and column rules; they apply to the next query of every viewer (audited)",
      params: DatasetParams,
      body: DatasetPermissionsSchema,
      handler: async ({ params, body, user }): Promise<DatasetPermissions> => {
        const ds = await dataset(params.datasetId);
        await assertRulesValid(db, JSON.parse(ds.fields_json) as Field[], body);
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('datasets').set({ permissions_json: JSON.stringify(body) }).where('id', '=', ds.id).execute();
          await audit(trx, user!.id, 'dataset.permissions', ds.id, {
            name: ds.name,
            rowMode: body.rowMode,
            noMatch: body.noMatch,
            rowRules: body.rowRules.length,
            columnRules: body.columnRules.length,
          });
        });
        return body;
      },
    }),
    route({
      method: 'GET',
      url: '/api/users/:userId/attributes',
      access: 'admin',
      tag: 'permissions',
      summary: "A user's attributes for row rules: from the WeCom directory, its groups and departments, set on the user, and in effect",
      params: UserParams,
      handler: async ({ params }): Promise<UserAttributesView> => {
        const v = await loadViewer(db, await userExists(params.userId));
        return { directory: v.directory, own: v.own, inherited: v.inherited, effective: v.attributes, groups: v.groups };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/users/:userId/attributes',
      access: 'admin',
      tag: 'permissions',
      summary: 'Replace the attributes an admin set on a user (audited)',
      params: UserParams,
      body: AttributesBodySchema,
      handler: async ({ params, body, user }): Promise<UserAttributesView> => {
        const target = await userExists(params.userId);
        await writeAttributes(db, 'user', target.id, body.attributes);
        await audit(db, user!.id, 'user.attributes', target.id, { username: target.username, attributes: Object.keys(body.attributes) });
        const v = await loadViewer(db, target);
        return { directory: v.directory, own: v.own, inherited: v.inherited, effective: v.attributes, groups: v.groups };
      },
    }),
    route({
      method: 'GET',
      url: '/api/groups/:groupId/attributes',
      access: 'admin',
      tag: 'permissions',
      summary: 'Attributes set on a group or WeCom department (members inherit them; sub-departments too)',
      params: GroupParams,
      handler: async ({ params }): Promise<{ attributes: Attributes }> => ({ attributes: await readAttributes(db, 'group', (await groupExists(params.groupId)).id) }),
    }),
    route({
      method: 'PUT',
      url: '/api/groups/:groupId/attributes',
      access: 'admin',
      tag: 'permissions',
      summary: 'Replace the attributes set on a group or WeCom department (audited)',
      params: GroupParams,
      body: AttributesBodySchema,
      handler: async ({ params, body, user }): Promise<{ attributes: Attributes }> => {
        const g = await groupExists(params.groupId);
        await writeAttributes(db, 'group', g.id, body.attributes);
        await audit(db, user!.id, 'group.attributes', g.id, { name: g.name, attributes: Object.keys(body.attributes) });
        return { attributes: await readAttributes(db, 'group', g.id) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/reports/:reportId/view-as',
      access: 'admin',
      tag: 'permissions',
      summary: 'Preview a report as another user: a read-only ticket for the data calls (audited)',
      params: ReportParamsSchema,
      body: ViewAsBodySchema,
      handler: async ({ params, body, user }): Promise<ViewAsTicket> => {
        const report = await getReport(db, params.reportId);
        const target = await userExists(body.userId);
        if (!(await canViewReport(db, target, report.id))) {
          throw new ValidationError(msg(`「${target.displayName}」没有此报表的查看权限，无法以其身份预览`, `${target.displayName} has not been granted this report, so there is nothing to preview`));
        }
        const { token, expiresAt } = issueViewAsToken(deps, user!.id, target.id, report.id);
        await audit(db, user!.id, 'report.view_as', report.id, { name: report.name, viewAs: target.id, username: target.username });
        return { token, expiresAt, user: { id: target.id, username: target.username, displayName: target.displayName } };
      },
    }),
  ];
}
