import type { Migration } from 'kysely';
import * as foundation from './2026_11_25_001_foundation.js';
import * as data from './2026_11_25_002_data.js';
import * as users from './2026_11_25_003_users.js';
import * as wecom from './2026_11_25_004_wecom.js';
import * as wecomSync from './2026_11_25_005_wecom_sync.js';
import * as loginAttempts from './2026_12_01_B_login_attempts.js';
import * as auditTargetName from './2026_12_01_E_audit_target_name.js';
import * as syncLeaseOwner from './2026_12_01_C_sync_lease_owner.js';
import * as memberPosition from './2026_12_01_m_member_position.js';
import * as wecomCallbackEvents from './2026_12_01_k_wecom_callback_events.js';
import * as reportSubscriptions from './2026_12_01_p_report_subscriptions.js';
import * as reportFavorites from './2026_12_01_M_report_favorites.js';
import * as memberContentHash from './2026_12_01_s_member_content_hash.js';
import * as datasetCalculatedFields from './2026_12_01_u4_dataset_calculated_fields.js';
import * as cluster from './2026_12_01_u6_cluster.js';
import * as directoryPermissions from './2026_12_01_u7_directory_permissions.js';
import * as matchKeys from './2026_12_01_w3_match_keys.js';

/** Listed by hand (not read from disk) so bundlers keep them; names sort in apply order. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_001_foundation': foundation,
  '2026_11_25_002_data': data,
  '2026_11_25_003_users': users,
  '2026_11_25_004_wecom': wecom,
  '2026_11_25_005_wecom_sync': wecomSync,
  '2026_12_01_B_login_attempts': loginAttempts,
  '2026_12_01_C_sync_lease_owner': syncLeaseOwner,
  '2026_12_01_E_audit_target_name': auditTargetName,
  '2026_12_01_M_report_favorites': reportFavorites,
  '2026_12_01_k_wecom_callback_events': wecomCallbackEvents,
  '2026_12_01_m_member_position': memberPosition,
  '2026_12_01_p_report_subscriptions': reportSubscriptions,
  '2026_12_01_s_member_content_hash': memberContentHash,
  '2026_12_01_u4_dataset_calculated_fields': datasetCalculatedFields,
  '2026_12_01_u6_cluster': cluster,
  '2026_12_01_u7_directory_permissions': directoryPermissions,
  '2026_12_01_w3_match_keys': matchKeys,
};
