import type { ColumnType, Generated, Selectable } from 'kysely';

/**
 * Row types. Timestamps are ISO-8601 text and JSON is text, booleans 0/1, so the same
 * queries run on SQLite and PostgreSQL.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  datasources: DatasourcesTable;
  embedded_tables: EmbeddedTablesTable;
  datasets: DatasetsTable;
  reports: ReportsTable;
  report_grants: ReportGrantsTable;
  report_favorites: ReportFavoritesTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  wecom_bindings: WecomBindingsTable;
  wecom_members: WecomMembersColumns;
  wecom_departments: WecomDepartmentsTable;
  wecom_bind_tickets: WecomBindTicketsTable;
  wecom_verification_files: WecomVerificationFilesTable;
  wecom_sync_runs: WecomSyncRunsTable;
  wecom_sync_lease: WecomSyncLeaseTable;
  wecom_callback_events: WecomCallbackEventsTable;
  login_attempts: LoginAttemptsTable;
  report_subscriptions: ReportSubscriptionsTable;
  report_subscription_sends: ReportSubscriptionSendsTable;
  report_subscription_recipients: ReportSubscriptionRecipientsTable;
  embedded_table_files: EmbeddedTableFilesTable;
  cluster_instances: ClusterInstancesTable;
  subject_attributes: SubjectAttributesTable;
}

export interface UsersTable {
  id: string;
  username: string;
  /** Lower-cased username, unique, so "Zhang" and "zhang" cannot both exist. */
  username_key: string;
  display_name: string;
  mobile: string | null;
  email: string | null;
  role: 'admin' | 'editor' | 'viewer';
  status: 'active' | 'disabled';
  password_hash: string;
  created_at: string;
  updated_at: string;
  /** nameKey(display_name) and normalizeMobile(mobile), set with every write (see matchKeys.ts). */
  match_name_key: string | null;
  match_mobile_key: string | null;
}

export interface SessionsTable {
  /** sha256 of the token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  /** How the session was opened: password, or wecom (passwordless). */
  via: 'password' | 'wecom';
  client: 'web' | 'api';
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface GroupsTable {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  /** 'wecom_department': created, renamed and removed by the WeCom sync; read-only for admins. */
  source: ColumnType<'manual' | 'wecom_department', 'manual' | 'wecom_department' | undefined, 'manual' | 'wecom_department'>;
  wecom_department_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
}

export interface DatasourcesTable {
  id: string;
  name: string;
  kind: 'embedded' | 'postgres' | 'mysql';
  /** host, port, database, user, ssl — never the password. */
  config_json: string;
  /** Password encrypted with SecretBox; null for the embedded store. */
  secret_enc: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface EmbeddedTablesTable {
  id: string;
  datasource_id: string;
  /** Physical table name in the embedded engine (generated, safe). */
  table_name: string;
  /** Name the user sees (from the file name, editable). */
  display_name: string;
  source_file: string | null;
  row_count: number;
  fields_json: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DatasetsTable {
  id: string;
  name: string;
  datasource_id: string;
  kind: 'table' | 'sql';
  table_name: string | null;
  sql: string | null;
  fields_json: string;
  /** Calculated fields, `[{name, expression}]`. */
  calculated_fields_json: Generated<string>;
  /** Bumped whenever the underlying data changes; part of the query cache key. */
  data_version: Generated<number>;
  /** DatasetPermissions (row and column rules) as JSON; null = none. */
  permissions_json: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReportsTable {
  id: string;
  name: string;
  description: string | null;
  /** ReportDefinition: widgets and report-level filters. */
  definition_json: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReportGrantsTable {
  report_id: string;
  subject_type: 'user' | 'group';
  subject_id: string;
  created_at: string;
  /** 1: a department group's grant covers its sub-departments too. */
  include_sub: ColumnType<number, number | undefined, number>;
}

export interface ReportFavoritesTable {
  user_id: string;
  report_id: string;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value_json: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  action: string;
  target: string | null;
  /** The target's name when the entry was written (it may since have been renamed or deleted). */
  target_name: string | null;
  detail_json: string | null;
}

/** One WeCom member <-> one Shulan user (both columns unique). */
export interface WecomBindingsTable {
  user_id: string;
  wecom_userid: string;
  source: 'first_login' | 'mobile' | 'name' | 'manual' | 'jit';
  matched_at: string;
  /** Who made the match: the admin, or the user themself on first login. */
  matched_by: string | null;
}

/** Local copy of the WeCom address book (members within the app's visible range). */
/** A row of wecom_members as read. */
export type WecomMembersTable = Selectable<WecomMembersColumns>;

export interface WecomMembersColumns {
  userid: string;
  name: string;
  mobile: string | null;
  email: string | null;
  /** Compact JSON.stringify(number[]) of the member's department ids. */
  department_ids_json: string;
  /** WeCom status: 1 active, 2 disabled, 4 not activated, 5 left the company. */
  status: number;
  /** Set when a complete sync no longer saw the member. */
  left_at: string | null;
  synced_at: string;
  /** 职务; null when WeCom gives none. Optional on insert (rows from before it was synced). */
  position: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * memberHash of the synced fields, so a sync skips unchanged members without reading them;
   * null when written by something else (a callback event), which makes the next sync rewrite it.
   */
  content_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** WeCom main_department (null when WeCom does not say: the first department then counts). */
  main_department: ColumnType<number | null, number | null | undefined, number | null>;
  /** nameKey(name) and normalizeMobile(mobile), set with every write (see matchKeys.ts). */
  match_name_key: string | null;
  match_mobile_key: string | null;
  /** Text custom fields (extattr) as a JSON object name → value; null = none. */
  extattr_json: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface WecomDepartmentsTable {
  id: number;
  name: string;
  parent_id: number | null;
  synced_at: string;
}

/** Single-use tickets proving a WeCom login happened, for binding with a password. */
export interface WecomBindTicketsTable {
  /** sha256 of the ticket; the ticket itself is only ever shown to the mini program. */
  ticket_hash: string;
  corpid: string;
  userid: string;
  expires_at: string;
  used_at: string | null;
}

/** Domain verification files served verbatim at /<name>. */
export interface WecomVerificationFilesTable {
  name: string;
  content: string;
  created_at: string;
}

/** One address-book sync run (history shown to admins). */
export interface WecomSyncRunsTable {
  id: string;
  trigger: 'schedule' | 'manual' | 'cli';
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'ok' | 'failed';
  /** WecomSyncCounts as JSON, set when the run ends. */
  counts_json: string | null;
  /** The failure translated for the admin, {zh, en}. */
  error_json: string | null;
  /** Last known {phase, done, total}, for other instances and after the run. */
  progress_json: string | null;
}

/** Single row (id 'sync'): whoever moves expires_at into the future holds the sync. */
export interface WecomSyncLeaseTable {
  id: string;
  run_id: string | null;
  expires_at: string;
  /** `host:pid:random` of the process holding it (null before the first run). */
  owner: string | null;
  /** 1: the holder also holds the job's advisory lock (PostgreSQL), see cluster/JobLocks.ts. */
  locked: Generated<number>;
}

/** The shared Parquet file of each uploaded table's current version (SHULAN_SHARED_DIR). */
export interface EmbeddedTableFilesTable {
  table_name: string;
  /** Path relative to the shared dir. */
  file: string;
  updated_at: string;
}

/** A running instance, renewed by its heartbeat (doctor compares their versions). */
export interface ClusterInstancesTable {
  id: string;
  host: string;
  version: string;
  node_version: string;
  started_at: string;
  seen_at: string;
}

/** One login-attempt counter (auth/LoginLimiter.ts). */
export interface LoginAttemptsTable {
  /** scope:subject, e.g. "user_ip:zhang|10.0.0.1", "user:zhang", "ip:10.0.0.1". */
  key: string;
  username_key: string | null;
  count: number;
  reset_at: string;
}

/** A contact-change event from the WeCom callback: queued on receipt, then applied (callbacks/). */
export interface WecomCallbackEventsTable {
  id: string;
  /** sha256 of the decrypted XML: WeCom's retries of one event share it. */
  content_hash: string;
  received_at: string;
  /** create_user, update_user, delete_user, create_party, update_party, delete_party, update_tag, or another Event. */
  change_type: string;
  /** The member's userid, the department id or the tag id. */
  subject: string;
  /** The decrypted XML, kept so a failed event can be applied again. */
  message: string;
  status: 'pending' | 'applying' | 'applied' | 'ignored' | 'failed';
  /** WecomCallbackEventResult as JSON: what the event changed, or why not. */
  result_json: string | null;
  /** When it was applied; while 'applying', when it was claimed (a stale claim is taken up again). */
  applied_at: string | null;
}

/** Report cards (订阅推送): a report's headline figures sent through WeCom on a schedule. */
export interface ReportSubscriptionsTable {
  id: string;
  report_id: string;
  /** Card title; null = from the report name. */
  title: string | null;
  /** SubscriptionSchedule as chosen in the UI; `cron` is what it means for croner. */
  schedule_json: string;
  cron: string;
  timezone: string;
  /** SubscriptionRecipients: user ids, group ids, WeCom department ids. */
  recipients_json: string;
  filters_json: string;
  /** 1/0 (SQLite has no boolean). */
  enabled: number;
  /** ISO; the runner sends when it has passed. Null when disabled. */
  next_run_at: string | null;
  last_run_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReportSubscriptionSendsTable {
  id: string;
  subscription_id: string;
  trigger: 'schedule' | 'manual';
  started_at: string;
  finished_at: string | null;
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  sent: number;
  skipped: number;
  card_json: string | null;
  /** Msg {zh, en} of a failure that stopped the whole send. */
  error_json: string | null;
}

export interface ReportSubscriptionRecipientsTable {
  send_id: string;
  user_id: string | null;
  name: string;
  wecom_userid: string | null;
  status: 'sent' | 'invalid' | 'no_access' | 'no_wecom' | 'no_account' | 'inactive' | 'rate_limited' | 'failed';
  detail: string | null;
  at: string;
}

/** Admin-set attributes of a user or group (row rules read them), JSON name → values. */
export interface SubjectAttributesTable {
  subject_type: 'user' | 'group';
  subject_id: string;
  attributes_json: string;
  updated_at: string;
}
