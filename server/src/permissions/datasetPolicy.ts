import { DatasetPermissionsSchema, NO_PERMISSIONS, type DatasetPermissions, type MaskKind, type RuleSubjects } from '@shulan/shared';
import type { Viewer } from './viewer.js';

/** One row condition with its values resolved for the viewer (constants, or the viewer's attribute). */
export interface ResolvedCondition {
  field: string;
  values: (string | number)[];
}

/**
 * What one viewer may see of one dataset, compiled into every query on it (compileQuery.ts).
 * `rows`: null = every row; otherwise the rows matching any of the lists (each list ANDed);
 * an empty list of lists = no row.
 */
export interface ViewerPolicy {
  rows: ResolvedCondition[][] | null;
  hidden: Set<string>;
  masked: Map<string, MaskKind>;
}

export const UNRESTRICTED: ViewerPolicy = { rows: null, hidden: new Set(), masked: new Map() };

export function parsePermissions(json: string | null): DatasetPermissions {
  if (!json) return NO_PERMISSIONS;
  const parsed = DatasetPermissionsSchema.safeParse(JSON.parse(json));
  // Stored rules are validated on save; unreadable ones fail closed (no rows), never open.
  return parsed.success ? parsed.data : { ...NO_PERMISSIONS, rowMode: 'rules', noMatch: 'deny' };
}

export function hasRules(p: DatasetPermissions): boolean {
  return p.rowMode === 'rules' || p.columnRules.length > 0;
}

function applies(s: RuleSubjects, v: Viewer): boolean {
  return s.everyone || s.users.includes(v.user.id) || s.groups.some((g) => v.groupIds.has(g) || v.ancestorGroupIds.has(g));
}

const STRENGTH = { partial: 1, full: 2, hide: 3 } as const;

/**
 * The policy of `viewer` on a dataset. Admins and the dataset's creator are exempt. `viewer` null
 * means a caller that reads on nobody's behalf (definition checks), which is unrestricted.
 */
export function policyFor(perms: DatasetPermissions, viewer: Viewer | null, createdBy: string | null): ViewerPolicy {
  if (!viewer || viewer.user.role === 'admin' || (createdBy !== null && viewer.user.id === createdBy)) return UNRESTRICTED;
  let rows: ResolvedCondition[][] | null = null;
  if (perms.rowMode === 'rules') {
    const matching = perms.rowRules.filter((r) => applies(r.subjects, viewer));
    if (matching.length === 0) rows = perms.noMatch === 'allow' ? null : [];
    else {
      rows = matching.map((r) =>
        r.conditions.map((c) => ({
          field: c.field,
          values: c.value.kind === 'constant' ? c.value.values : (viewer.attributes[c.value.name] ?? []),
        })),
      );
    }
  }
  const strongest = new Map<string, keyof typeof STRENGTH>();
  for (const r of perms.columnRules) {
    if (!applies(r.subjects, viewer)) continue;
    const k = r.action === 'hide' ? 'hide' : r.mask;
    const cur = strongest.get(r.field);
    if (!cur || STRENGTH[k] > STRENGTH[cur]) strongest.set(r.field, k);
  }
  const hidden = new Set<string>();
  const masked = new Map<string, MaskKind>();
  for (const [field, k] of strongest) {
    if (k === 'hide') hidden.add(field);
    else masked.set(field, k);
  }
  return { rows, hidden, masked };
}

/** A stable text of the policy: viewers with equal keys see the same data (one card for all of them). */
export function policyKey(p: ViewerPolicy): string {
  return JSON.stringify([p.rows, [...p.hidden].sort(), [...p.masked.entries()].sort()]);
}
