import { z } from 'zod';

/**
 * Who sees what inside a dataset: row rules (行权限), column rules (hide / mask), user attributes.
 *
 * Row rules, as enforced by the server for every query on the dataset (widget data, drill, CSV
 * export, filter value lists, KPI cards, the editor's preview):
 * - Admins and the dataset's creator are exempt: they always see every row and column.
 * - `rowMode: 'off'`: no row filter. `rowMode: 'rules'`: a viewer sees the rows matching ANY rule
 *   that applies to them (a rule's conditions are ANDed); when no rule applies, `noMatch` decides:
 *   'deny' (default, safe) shows no rows, 'allow' shows all rows.
 * - A rule applies to a user listed in it, to members of a listed group, to members of a listed
 *   WeCom department or any of its sub-departments, or to everyone (`everyone`).
 * - A condition compares a field with constants or with a user attribute; a viewer without that
 *   attribute matches nothing through that condition.
 */

/** Directory attributes every WeCom-bound user has (read-only; refreshed by the sync and events). */
export const DIRECTORY_ATTRIBUTES = ['userid', 'department', 'departments', 'departmentPath', 'departmentIds', 'position'] as const;
/** Custom WeCom fields (extattr) appear as `ext.<name>`. */
export const EXT_ATTRIBUTE_PREFIX = 'ext.';

const AttrName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_.-]+$/u, 'letters, digits, _ . -');
const AttrValue = z.string().trim().min(1).max(200);

export const RuleSubjectsSchema = z.strictObject({
  everyone: z.boolean().default(false),
  users: z.array(z.string().min(1).max(64)).max(1000).default([]),
  /** Groups; a WeCom department group also covers its sub-departments. */
  groups: z.array(z.string().min(1).max(64)).max(1000).default([]),
});
export type RuleSubjects = z.infer<typeof RuleSubjectsSchema>;

export const RowConditionSchema = z.strictObject({
  field: z.string().min(1).max(200),
  op: z.enum(['eq', 'in']),
  value: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('constant'), values: z.array(z.union([z.string().max(200), z.number()])).min(1).max(1000) }),
    z.strictObject({ kind: z.literal('attribute'), name: AttrName }),
  ]),
});
export type RowCondition = z.infer<typeof RowConditionSchema>;

export const RowRuleSchema = z.strictObject({
  subjects: RuleSubjectsSchema,
  conditions: z.array(RowConditionSchema).min(1).max(10),
});
export type RowRule = z.infer<typeof RowRuleSchema>;

export const MASK_KINDS = ['partial', 'full'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

export const ColumnRuleSchema = z.strictObject({
  field: z.string().min(1).max(200),
  /** hide: the field is refused in queries and left out of detail rows; mask: shown masked. */
  action: z.enum(['hide', 'mask']),
  /** partial: 138****1234 (keeps the first 3 and last 4 of long values, the first of short ones); full: ***. */
  mask: z.enum(MASK_KINDS).default('partial'),
  subjects: RuleSubjectsSchema,
});
export type ColumnRule = z.infer<typeof ColumnRuleSchema>;

export const DatasetPermissionsSchema = z.strictObject({
  rowMode: z.enum(['off', 'rules']).default('off'),
  noMatch: z.enum(['deny', 'allow']).default('deny'),
  rowRules: z.array(RowRuleSchema).max(200).default([]),
  columnRules: z.array(ColumnRuleSchema).max(200).default([]),
});
export type DatasetPermissions = z.infer<typeof DatasetPermissionsSchema>;
export type DatasetPermissionsInput = z.input<typeof DatasetPermissionsSchema>;

export const NO_PERMISSIONS: DatasetPermissions = { rowMode: 'off', noMatch: 'deny', rowRules: [], columnRules: [] };

/** Admin-set attributes of a user or a group: name → values. */
export const AttributesSchema = z
  .record(AttrName, z.array(AttrValue).max(100))
  .refine((r) => Object.keys(r).length <= 50, { message: 'at most 50 attributes' });
export type Attributes = z.infer<typeof AttributesSchema>;

export const AttributesBodySchema = z.strictObject({ attributes: AttributesSchema });

/** GET /api/users/:userId/attributes */
export interface UserAttributesView {
  /** From the WeCom directory (bound users only). */
  directory: Record<string, string[]>;
  /** Set by an admin on this user; overrides everything else of the same name. */
  own: Record<string, string[]>;
  /** From the user's groups and departments (a department's nearest ancestor defining a name wins). */
  inherited: Record<string, string[]>;
  /** What row rules see. */
  effective: Record<string, string[]>;
  /** The groups the user belongs to now, WeCom departments included. */
  groups: { id: string; name: string; source: GroupSource }[];
}

export const GROUP_SOURCES = ['manual', 'wecom_department'] as const;
export type GroupSource = (typeof GROUP_SOURCES)[number];

/** POST /api/reports/:reportId/view-as: an admin previews the report as another user. */
export const ViewAsBodySchema = z.strictObject({ userId: z.string().min(1).max(64) });
export interface ViewAsTicket {
  /** Sent back as `viewAs` with data requests; valid for this admin and report, for 1 hour. */
  token: string;
  user: { id: string; username: string; displayName: string };
  expiresAt: string;
}

/** Masks a value as the column rule says ('138****1234', '张*', '***'). */
export function maskValue(v: string | number | boolean | null, kind: MaskKind): string | null {
  if (v === null) return null;
  if (kind === 'full') return '***';
  const chars = [...String(v)];
  if (chars.length >= 8) return `${chars.slice(0, 3).join('')}${'*'.repeat(chars.length - 7)}${chars.slice(-4).join('')}`;
  if (chars.length <= 1) return '*';
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
