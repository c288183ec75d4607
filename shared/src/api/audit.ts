import { z } from 'zod';

/** What an audit entry is about; decides where the server looks up its current name. */
export type AuditTargetKind =
  | 'user'
  | 'group'
  | 'report'
  | 'dataset'
  | 'datasource'
  | 'embedded_table'
  | 'wecom_settings'
  | 'verification_file';

/**
 * Every action the server writes to the audit log, with the kind of its target (null: none).
 * The web app labels each one in words; a web test checks this list against the server source.
 */
export const AUDIT_ACTIONS = {
  'auth.login': 'user',
  'auth.login_failed': 'user',
  'auth.locked': 'user',
  'auth.external_user_created': 'user',
  'auth.oidc_settings_changed': null,
  'auth.ldap_settings_changed': null,
  'user.create': 'user',
  'user.update': 'user',
  'user.role_change': 'user',
  'user.disable': 'user',
  'user.enable': 'user',
  'user.password_reset': 'user',
  'user.password_changed': 'user',
  'user.logout_all': 'user',
  'user.import': null,
  'group.create': 'group',
  'group.rename': 'group',
  'group.update': 'group',
  'group.delete': 'group',
  'group.members': 'group',
  'report.create': 'report',
  'report.update': 'report',
  'report.delete': 'report',
  'report.grants.update': 'report',
  'report.subscription.create': 'report',
  'report.subscription.update': 'report',
  'report.subscription.delete': 'report',
  'report.subscription.send': 'report',
  'dataset.create': 'dataset',
  'dataset.update': 'dataset',
  'dataset.delete': 'dataset',
  'dataset.permissions': 'dataset',
  'user.attributes': 'user',
  'group.attributes': 'group',
  'report.view_as': 'report',
  'datasource.create': 'datasource',
  'datasource.update': 'datasource',
  'datasource.delete': 'datasource',
  'embedded_table.create': 'embedded_table',
  'embedded_table.replace': 'embedded_table',
  'embedded_table.append': 'embedded_table',
  'embedded_table.delete': 'embedded_table',
  'wecom.settings_changed': 'wecom_settings',
  'wecom.match': 'user',
  'wecom.unmatch': 'user',
  'wecom.bind': 'user',
  'wecom.binding_removed': 'user',
  'wecom.bind_refused': 'user',
  'wecom.jit_user_created': 'user',
  'wecom.web_login_settings_changed': 'wecom_settings',
  'wecom.verification_file_uploaded': 'verification_file',
  'wecom.verification_file_deleted': 'verification_file',
  'reviewer.create': 'user',
  'reviewer.remove': 'user',
} as const satisfies Record<string, AuditTargetKind | null>;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function auditTargetKind(action: string): AuditTargetKind | null {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, action) ? AUDIT_ACTIONS[action as AuditAction] : null;
}

export const AuditQuerySchema = z.strictObject({
  /** An action ("group.delete") or the start of one ("user."). */
  action: z.string().trim().max(64).optional(),
  /** The start of the actor's username or name. */
  actor: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; username: string | null; displayName: string | null } | null;
  action: string;
  /** Id (or, for files, the name) of the object acted on. */
  target: string | null;
  targetKind: AuditTargetKind | null;
  /** The object's current name, or the name it had when the entry was written if it is gone. */
  targetName: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  items: AuditEntry[];
  total: number;
  /** Names of the objects whose ids (or WeCom userids) appear in the details on this page. */
  names: Record<string, string>;
}
